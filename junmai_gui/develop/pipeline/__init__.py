"""The develop pipeline: a preset and a blend applied to the pixels of one photo.

`apply_preset(image, preset, blend, is_raw=False)` takes a 3-band sRGB image of uchar or
ushort (the caller has split off alpha, converted to sRGB and applied orientation) and
returns an image of the same size, bands and format.

Order, on values in 0..1 (x is the input pixel, sRGB-encoded); each module's docstring gives
its maths:

1. Before the pointwise develop (spatial, `detail`): luminance and colour noise reduction
   (LuminanceSmoothing, ColorNoiseReduction and their Detail/Contrast/Smoothness), Dehaze,
   Clarity2012 and Texture (local contrast on lightness), sharpening (Sharpness,
   SharpenRadius, SharpenDetail, SharpenEdgeMasking).
2. The pointwise develop D (`table`), in this order:
   a. camera calibration (Red/Green/BlueHue and Saturation, ShadowTint; `calibration`),
      white balance (IncrementalTemperature/Tint; Temperature/Tint for RAW) and Exposure2012
      as gains, all in linear light (`color`, `tone`);
   b. Contrast, Highlights, Shadows, Whites, Blacks; the parametric curve; the point curve
      ToneCurvePV2012 and its Red/Green/Blue curves (`tone`);
   c. HSL per band, Vibrance, Saturation — or, with ConvertToGrayscale, the B&W mix
      (GrayMixer…) instead; colour grading / split toning (`color`);
   d. the preset's 3D LUT with its domain and 1D shaper (`lut`).
3. After it (spatial): the post-crop vignette in its style (`local`), then grain (`grain`).
4. The blend: out = x + b/100·(developed − x), in floating point, then rounded once to the
   photo's bit depth (16-bit photos keep 16-bit precision throughout).

Highlights2012 and Shadows2012 stay global curves of the pointwise develop (see the
benchmarks' README for what a local, edge-aware version would cost).

Spatial steps keep their look at any size: Clarity, Texture, Dehaze, the vignette and grain
are sized relative to the frame, sharpening and noise reduction relative to the photo's own
pixels (`full_long_edge` tells a preview how large the photo is). Grain is seeded from the
photo's identity (`photo_seed`, from the engine), the preset and the blend, never from a
clock: the same inputs give the same bytes on every run. The grain itself is integer
arithmetic and the compiled loop uses no reassociating float maths, so another machine
computes the same; the numpy parts (the lattice, the grid) use numpy's own functions, whose
vectorised variants could, rarely, round a last bit differently on another CPU family.

Speed: D depends on colour alone, so it is evaluated once per preset on a lattice (65
values per channel, plus the inputs that land on the LUT's own nodes) and, for 8-bit photos,
expanded with the blend folded in to a table of all 256³ colours; the photo then costs one
table gather per pixel (`table.apply_table8`). Small images (previews) are interpolated with
numpy instead (`table.interpolate_pixels`); spatial steps and full-size 16-bit photos use a
compiled loop over rows (`kernels`), whose smooth inputs are computed on a small grid
(`detail`). Pixels are processed in one memory buffer, in place, without the GIL, so two
photos can be developed in parallel threads.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt
import pyvips

from junmai_gui.develop.pipeline.spatial import (
    SpatialPlan,
    empty_plan,
    has_spatial_steps,
    plan_spatial,
)
from junmai_gui.develop.pipeline.table import (
    Lattice,
    apply_table8,
    has_table8,
    interpolate_pixels,
    lattice_for,
    table8_for,
)
from junmai_gui.develop.preset import Preset

__all__ = ["apply_preset", "apply_preset_in_place"]

# Building the 256³ table takes a second or two: a batch of full-size photos repays it on its
# first photo, a preview or a test image never does, so those are interpolated per pixel
# unless the table is already built.
TABLE_MIN_PIXELS = 4_000_000
_FORMATS = {"uchar": (np.uint8, 255.0), "ushort": (np.uint16, 65535.0)}
_NO_TABLE = np.zeros(0, np.uint32)
# Header fields that describe the pixels themselves; everything else (EXIF, XMP, ICC,
# orientation, …) is copied from the input to the output.
_PIXEL_FIELDS = frozenset(
    {"width", "height", "bands", "format", "coding", "interpretation", "xoffset", "yoffset",
     "xres", "yres", "filename", "mode"}
)  # fmt: skip


def apply_preset(
    image: pyvips.Image,
    preset: Preset,
    blend: float,
    *,
    is_raw: bool = False,
    photo_seed: int = 0,
    full_long_edge: int | None = None,
) -> pyvips.Image:
    """Develop `image` with `preset` at `blend` (0..100 %); see the module docstring.

    `photo_seed` identifies the photo for its grain; `full_long_edge` is the photo's long
    edge at full size when `image` is a reduced copy (a preview), None when it is the photo.
    """
    return _develop(image, None, preset, blend, is_raw, photo_seed, full_long_edge)


def apply_preset_in_place(
    image: pyvips.Image,
    pixels: memoryview,
    preset: Preset,
    blend: float,
    *,
    is_raw: bool = False,
    photo_seed: int = 0,
) -> pyvips.Image:
    """`apply_preset` for an image that wraps `pixels`, a writable buffer the caller owns.

    The developed pixels are written into `pixels` itself, so a full-size photo is held in
    memory once instead of twice; `image` shows the developed pixels afterwards.
    """
    if pixels.nbytes != image.width * image.height * 3 * (2 if image.format == "ushort" else 1):
        raise ValueError("apply_preset_in_place needs the image's own pixel buffer")
    return _develop(image, pixels, preset, blend, is_raw, photo_seed, None)


def _develop(
    image: pyvips.Image,
    own_buffer: memoryview | None,
    preset: Preset,
    blend: float,
    is_raw: bool,
    photo_seed: int,
    full_long_edge: int | None,
) -> pyvips.Image:
    if image.bands != 3 or image.format not in _FORMATS:
        raise ValueError(
            f"apply_preset needs 3-band uchar or ushort pixels, not {image.bands}-band "
            f"{image.format}"
        )
    amount = min(max(float(blend), 0.0), 100.0) / 100.0
    if amount == 0.0:
        return image
    dtype, max_value = _FORMATS[image.format]
    long_edge = max(image.width, image.height)
    scale = min(long_edge / full_long_edge, 1.0) if full_long_edge else 1.0
    lattice = lattice_for(preset, is_raw=is_raw)
    spatial = has_spatial_steps(preset.settings)
    if lattice.identity and not spatial:
        return image
    buffer = image.write_to_memory() if own_buffer is None else own_buffer
    pixels = np.frombuffer(buffer, dtype=dtype).reshape(image.height, image.width, 3)
    plan = None
    if spatial:
        plan = plan_spatial(
            preset.settings, pixels, max_value, scale=scale, photo_seed=photo_seed, blend=amount
        )
    table_blend = amount if plan is None else 1.0
    use_table = dtype == np.uint8 and (
        image.width * image.height >= TABLE_MIN_PIXELS
        or has_table8(preset, table_blend, is_raw=is_raw)
    )
    if use_table and plan is None:
        apply_table8(buffer, table8_for(preset, amount, is_raw=is_raw))
    elif plan is None and image.width * image.height < TABLE_MIN_PIXELS:
        interpolate_pixels(pixels.reshape(-1, 3), lattice, amount)
    else:
        table = table8_for(preset, 1.0, is_raw=is_raw).view(np.uint32) if use_table else None
        _develop_rows(pixels, max_value, lattice, table, amount, plan or empty_plan())
    developed = pyvips.Image.new_from_memory(buffer, image.width, image.height, 3, image.format)
    return _with_metadata(developed, image)


def _develop_rows(
    pixels: npt.NDArray[Any],
    max_value: float,
    lattice: Lattice,
    table: npt.NDArray[np.uint32] | None,
    amount: float,
    plan: SpatialPlan,
) -> None:
    from junmai_gui.develop.pipeline import kernels  # numba: only when needed

    kernels.develop_rows(
        pixels.reshape(pixels.shape[0], -1),
        max_value,
        lattice.values,
        *lattice.cells(int(max_value) + 1),
        _NO_TABLE if table is None else table.reshape(-1),
        amount,
        plan.planes,
        plan.slots,
        plan.factor,
        plan.numbers,
        plan.filters,
        plan.radii,
        plan.tables,
        plan.column_term,
        plan.row_term,
        plan.seed,
    )


def _with_metadata(developed: pyvips.Image, original: pyvips.Image) -> pyvips.Image:
    out = developed.copy(
        interpretation=original.interpretation, xres=original.xres, yres=original.yres
    )
    for name in original.get_fields():
        if name not in _PIXEL_FIELDS:
            out.set_type(original.get_typeof(name), name, original.get(name))
    return out
