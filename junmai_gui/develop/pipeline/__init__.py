"""The develop pipeline: a preset and a blend applied to the pixels of one photo.

`apply_preset(image, preset, blend, is_raw=False)` takes a 3-band sRGB image of uchar or
ushort (the caller has split off alpha, converted to sRGB and applied orientation) and
returns an image of the same size, bands and format.

Order, on values in 0..1 (x is the input pixel, sRGB-encoded):

1. Clarity2012 (spatial, `local`): local contrast on the input's lightness.
2. The pointwise develop D (`table`), in this order:
   a. white balance (IncrementalTemperature/Tint; Temperature/Tint for RAW) and
      Exposure2012 as gains in linear light (`color`, `tone`);
   b. Contrast, Highlights, Shadows, Whites, Blacks; the parametric curve; the point curve
      ToneCurvePV2012 and its Red/Green/Blue curves (`tone`);
   c. HSL per band, Vibrance, Saturation; ConvertToGrayscale; colour grading / split toning
      (`color`);
   d. the preset's 3D LUT with its domain and 1D shaper (`lut`).
3. The post-crop vignette (spatial, `local`).
4. The blend: out = x + b/100·(developed − x), in floating point, then rounded once to the
   photo's bit depth (16-bit photos keep 16-bit precision throughout).

Speed: D depends on colour alone, so it is evaluated once per preset on a lattice (65
values per channel, plus the inputs that land on the LUT's own nodes) and, for 8-bit photos,
expanded with the blend folded in to a table of all 256³ colours; the photo then costs one
table gather per pixel (`table.apply_table8`). Small images (previews) are interpolated with
numpy instead (`table.interpolate_pixels`); spatial steps and full-size 16-bit photos use a
compiled per-pixel loop (`kernels`). Pixels are processed in one memory buffer, in place,
without the GIL, so two photos can be developed in parallel threads.
"""

from __future__ import annotations

import numpy as np
import pyvips

from junmai_gui.develop.pipeline import local
from junmai_gui.develop.pipeline.table import (
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
_NO_TABLE = np.zeros((0, 4), np.uint8)
_NO_PLANE = np.zeros((1, 1), np.float32)
_NO_ROW = np.zeros(1, np.float32)
# Header fields that describe the pixels themselves; everything else (EXIF, XMP, ICC,
# orientation, …) is copied from the input to the output.
_PIXEL_FIELDS = frozenset(
    {"width", "height", "bands", "format", "coding", "interpretation", "xoffset", "yoffset",
     "xres", "yres", "filename", "mode"}
)  # fmt: skip


def apply_preset(
    image: pyvips.Image, preset: Preset, blend: float, *, is_raw: bool = False
) -> pyvips.Image:
    """Develop `image` with `preset` at `blend` (0..100 %); see the module docstring."""
    return _develop(image, None, preset, blend, is_raw=is_raw)


def apply_preset_in_place(
    image: pyvips.Image, pixels: memoryview, preset: Preset, blend: float, *, is_raw: bool = False
) -> pyvips.Image:
    """`apply_preset` for an image that wraps `pixels`, a writable buffer the caller owns.

    The developed pixels are written into `pixels` itself, so a full-size photo is held in
    memory once instead of twice; `image` shows the developed pixels afterwards.
    """
    if pixels.nbytes != image.width * image.height * 3 * (2 if image.format == "ushort" else 1):
        raise ValueError("apply_preset_in_place needs the image's own pixel buffer")
    return _develop(image, pixels, preset, blend, is_raw=is_raw)


def _develop(
    image: pyvips.Image,
    own_buffer: memoryview | None,
    preset: Preset,
    blend: float,
    *,
    is_raw: bool,
) -> pyvips.Image:
    if image.bands != 3 or image.format not in _FORMATS:
        raise ValueError(
            f"apply_preset needs 3-band uchar or ushort pixels, not {image.bands}-band "
            f"{image.format}"
        )
    amount = min(max(float(blend), 0.0), 100.0) / 100.0
    settings = preset.settings
    vignette = local.vignette_for(settings, image.width, image.height)
    has_clarity = bool(settings.get("Clarity2012"))
    lattice = lattice_for(preset, is_raw=is_raw)
    if amount == 0.0 or (lattice.identity and vignette is None and not has_clarity):
        return image
    dtype, max_value = _FORMATS[image.format]
    buffer = image.write_to_memory() if own_buffer is None else own_buffer
    pixels = np.frombuffer(buffer, dtype=dtype).reshape(image.height, image.width, 3)
    spatial = vignette is not None or has_clarity
    table_blend = 1.0 if spatial else amount
    use_table = dtype == np.uint8 and (
        image.width * image.height >= TABLE_MIN_PIXELS
        or has_table8(preset, table_blend, is_raw=is_raw)
    )
    if use_table and not spatial:
        apply_table8(buffer, table8_for(preset, amount, is_raw=is_raw))
    elif not spatial and image.width * image.height < TABLE_MIN_PIXELS:
        interpolate_pixels(pixels.reshape(-1, 3), lattice, amount)
    else:
        from junmai_gui.develop.pipeline import kernels  # numba: only when needed

        source = pyvips.Image.new_from_memory(buffer, image.width, image.height, 3, image.format)
        clarity = local.clarity_for(settings, source, max_value)
        table = table8_for(preset, 1.0, is_raw=is_raw) if use_table else _NO_TABLE
        kernels.develop_pixels(
            pixels,
            max_value,
            lattice.values,
            *lattice.cells(int(max_value) + 1),
            table,
            amount,
            clarity.amount if clarity else 0.0,
            clarity.blur if clarity else _NO_PLANE,
            clarity.scale if clarity else 1.0,
            vignette.amount if vignette else 0.0,
            vignette.column_term if vignette else _NO_ROW,
            vignette.row_term if vignette else _NO_ROW,
            vignette.falloff if vignette else _NO_ROW,
            vignette.falloff_scale if vignette else 0.0,
        )
    developed = pyvips.Image.new_from_memory(buffer, image.width, image.height, 3, image.format)
    return _with_metadata(developed, image)


def _with_metadata(developed: pyvips.Image, original: pyvips.Image) -> pyvips.Image:
    out = developed.copy(
        interpretation=original.interpretation, xres=original.xres, yres=original.yres
    )
    for name in original.get_fields():
        if name not in _PIXEL_FIELDS:
            out.set_type(original.get_typeof(name), name, original.get(name))
    return out
