"""Hald CLUT images (.png, .tif, .tiff) read with pyvips into a `Lut3D`.

A Hald CLUT of level L is a square image of L³ × L³ pixels holding an L²-point cube: reading
the pixels row by row, pixel `r + g·N + b·N²` (N = L²) is the output colour for the lattice
point `[r, g, b]` — red changes fastest, as in a .cube file. Level 8 is 512 × 512 pixels and a
64-point cube; level 12 (1728 × 1728, 144 points) is the largest accepted (see `lut_checks`),
and the file is at most `HALD_SIZE_CAP` (64 MB). Any other shape, a "strip" LUT image for
example, is refused with a message that says so. Pixel values are taken as they are (8-bit
/255, 16-bit /65535, float as is), with no colour management: a Hald is a table, not a photo.

The image is decoded with libvips' `fail_on="error"`: a file cut short or otherwise damaged is
refused instead of being read with black (or grey) pixels where its data stopped, which
would turn every photo developed with it wrong.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pyvips

from junmai_gui.develop.errors import PresetError
from junmai_gui.develop.loaders._files import LutReader, file_label, parse_directly, read_capped
from junmai_gui.develop.loaders.lut_checks import MAX_LUT_POINTS, check_lut_values
from junmai_gui.develop.preset import Lut3D, Preset

HALD_SIZE_CAP = 64 * 2**20
MAX_LEVEL = math.isqrt(MAX_LUT_POINTS)  # a level-L Hald holds L² points per side: 12
WHAT = "Hald CLUT image"

_SCALE = {"uchar": 255.0, "ushort": 65535.0, "float": 1.0, "double": 1.0}


def hald_level(width: int, height: int) -> int | None:
    """The level L of a Hald image of this size (side L³), or None if it is not one."""
    if width != height or width < 8:
        return None
    level: int = round(float(width) ** (1 / 3))
    for candidate in (level - 1, level, level + 1):
        if candidate >= 2 and candidate**3 == width:
            return candidate
    return None


def load_hald_preset(path: Path, luts: LutReader = parse_directly) -> Preset:
    data = read_capped(path, HALD_SIZE_CAP, WHAT)
    label = file_label(path)
    lut, warnings = luts(data, label, lambda raw: (parse_hald(raw, label, title=path.stem), []))
    return Preset(
        name=path.stem, lut=lut, default_blend=100.0, source=str(path), warnings=tuple(warnings)
    )


def parse_hald(data: bytes, label: str, *, title: str = "") -> Lut3D:
    """The `Lut3D` held by the bytes of a Hald CLUT image; `label` names the file in errors."""
    try:
        image = pyvips.Image.new_from_buffer(data, "", fail_on="error")
        width, height, bands = int(image.width), int(image.height), int(image.bands)
        pixel_format = str(image.format)
    except pyvips.Error:
        raise PresetError(f"{label} is not an image Junmai can read as a Hald CLUT.") from None
    level = hald_level(width, height)
    if level is None:
        shape = "a strip, not a square" if width != height else "square, but its side is not"
        raise PresetError(
            f"{label} is {width} × {height} pixels, {shape} a cube number (such as "
            "512 × 512 for level 8): it is not a Hald CLUT image. LUT strips are not supported; "
            "use a Hald CLUT or a .cube file."
        )
    if level > MAX_LEVEL:
        raise PresetError(
            f"{label} is a Hald CLUT of level {level}; at most level {MAX_LEVEL} "
            f"({MAX_LEVEL**3} × {MAX_LEVEL**3} pixels) is accepted."
        )
    if bands < 3:
        raise PresetError(f"{label} is a greyscale image; a Hald CLUT must be in colour.")
    scale = _SCALE.get(pixel_format)
    if scale is None:
        raise PresetError(f"{label} stores its pixels as {pixel_format}, which a Hald cannot use.")
    try:
        pixels = image.extract_band(0, n=3).numpy()
    except pyvips.Error:
        raise PresetError(
            f"{label} is damaged or incomplete: its pixels cannot all be read."
        ) from None
    n = level * level
    # one float32 result and no float intermediates
    table = np.empty((n, n, n, 3), dtype=np.float32)
    np.multiply(
        pixels.reshape(n, n, n, 3).transpose(2, 1, 0, 3), np.float32(1.0 / scale), out=table
    )
    check_lut_values(table, label)
    table.flags.writeable = False
    return Lut3D(table=table, title=title)
