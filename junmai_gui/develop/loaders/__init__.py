"""Preset files of every kind we read, chosen by extension: `load_preset_file(path)`.

- `.xmp`: a Lightroom / Camera Raw preset (`xmp`)
- `.cube`: a 1D or 3D LUT (`cube`)
- `.png`, `.tif`, `.tiff`: a Hald CLUT image (`hald`)
- `.json`: Junmai's own preset format (`json_preset`)

Every failure is a `PresetError` whose message names the file and says what is wrong, whatever
the bytes: the fuzz tests feed every loader damaged real files to hold them to that. A LUT
(.cube, Hald, the .cube of a JSON preset) is read through `luts`, the library's cache.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from junmai_gui.develop.errors import PresetError
from junmai_gui.develop.loaders._files import LutReader, file_label, parse_directly
from junmai_gui.develop.loaders.cube import load_cube_preset
from junmai_gui.develop.loaders.hald import load_hald_preset
from junmai_gui.develop.loaders.json_preset import load_json_preset
from junmai_gui.develop.loaders.xmp import load_xmp_preset
from junmai_gui.develop.preset import Preset

LOADERS: dict[str, Callable[[Path, LutReader], Preset]] = {
    ".xmp": lambda path, _luts: load_xmp_preset(path),
    ".cube": load_cube_preset,
    ".png": load_hald_preset,
    ".tif": load_hald_preset,
    ".tiff": load_hald_preset,
    ".json": load_json_preset,
}
PRESET_EXTENSIONS: frozenset[str] = frozenset(LOADERS)


def is_preset_file(path: str | Path) -> bool:
    """Whether the file's extension is one a preset can have (its content is not checked)."""
    return Path(path).suffix.lower() in LOADERS


def load_preset_file(path: str | Path, luts: LutReader = parse_directly) -> Preset:
    """The preset in `path`; a `PresetError` naming the file when it cannot be used."""
    path = Path(path)
    loader = LOADERS.get(path.suffix.lower())
    if loader is None:
        raise PresetError(
            f"{file_label(path)} is not a preset file Junmai can read. Use a Lightroom or "
            "Camera Raw preset (.xmp), a LUT (.cube), a Hald CLUT image (.png, .tif) or a "
            "Junmai preset (.json)."
        )
    try:
        return loader(path, luts)
    except MemoryError:
        raise PresetError(
            f"{file_label(path)} is too large to read with the memory available."
        ) from None


__all__ = ["PRESET_EXTENSIONS", "LutReader", "is_preset_file", "load_preset_file"]
