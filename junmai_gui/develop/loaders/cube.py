"""`.cube` LUTs (Adobe/IRIDAS and Resolve flavours) read into a `Lut3D`.

Understood: `TITLE`, `#` comments, `LUT_3D_SIZE` (2..256), `LUT_1D_SIZE` (2..65536),
`DOMAIN_MIN`/`DOMAIN_MAX` (three numbers), and Resolve's `LUT_1D_INPUT_RANGE`/
`LUT_3D_INPUT_RANGE` (two numbers, the same for every channel). Rows are "r g b" numbers with
red changing fastest, so row `r + g·N + b·N²` is `table[r, g, b]`.

- A 3D file gives `Lut3D(table)`.
- A 1D + 3D file (Resolve's shaper form) gives the 1D rows as `Lut3D.shaper` (its input range
  as `shaper_domain_*`), then the 3D table (its input range as `domain_*`).
- A 1D file is kept exact rather than sampled into a lattice: its rows become the shaper, and
  the 3D table is an identity of size 2 spanning the shaper's output range (per channel), so
  trilinear interpolation passes the shaper's output through unchanged.

Unknown keywords are skipped with a warning; anything else malformed is a `PresetError`
naming the file and the line.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import numpy.typing as npt

from junmai_gui.develop.errors import PresetError
from junmai_gui.develop.loaders._files import decode_text, file_label, read_capped
from junmai_gui.develop.preset import Lut3D, Preset

CUBE_SIZE_CAP = 128 * 2**20  # a 65³ LUT is about 8 MB of text; 128 MB allows ~129³
MAX_3D_SIZE = 256
MAX_1D_SIZE = 65536
WHAT = "LUT file"

Triple = tuple[float, float, float]


@dataclass
class _Header:
    title: str = ""
    size_1d: int = 0
    size_3d: int = 0
    domain_min: Triple | None = None
    domain_max: Triple | None = None
    range_1d: tuple[float, float] | None = None
    range_3d: tuple[float, float] | None = None
    warnings: list[str] = field(default_factory=list)


def load_cube_preset(path: Path) -> Preset:
    data = read_capped(path, CUBE_SIZE_CAP, WHAT)
    label = file_label(path)
    lut, warnings = parse_cube(decode_text(data, label, WHAT), label)
    return Preset(
        name=path.stem,
        lut=lut,
        default_blend=100.0,
        source=str(path),
        warnings=tuple(warnings),
        description=lut.title,
    )


def parse_cube(text: str, label: str) -> tuple[Lut3D, list[str]]:
    """The `Lut3D` a .cube text describes, and warnings; `label` names the file in errors."""
    header = _Header()
    rows: list[str] = []
    row_lines: list[int] = []
    for number, raw_line in enumerate(text.splitlines(), start=1):
        line = raw_line.split("#", 1)[0].strip()
        if not line:
            continue
        first = line[0]
        if first.isdigit() or first in "+-.":
            rows.append(line)
            row_lines.append(number)
            continue
        if rows:
            raise PresetError(
                f"{label}, line {number}: the keyword {line.split()[0]} comes after the "
                "colour rows have started; this LUT file is damaged."
            )
        _read_keyword(header, line, number, label)
    return _build(header, rows, row_lines, label), header.warnings


def _read_keyword(header: _Header, line: str, number: int, label: str) -> None:
    word, _, rest = line.partition(" ")
    rest = rest.strip()
    where = f"{label}, line {number}"
    if word == "TITLE":
        header.title = rest.strip('"')
    elif word in ("LUT_3D_SIZE", "LUT_1D_SIZE"):
        limit = MAX_3D_SIZE if word == "LUT_3D_SIZE" else MAX_1D_SIZE
        try:
            size = int(rest)
        except ValueError:
            raise PresetError(f"{where}: {word} should be a whole number, not {rest!r}.") from None
        if not 2 <= size <= limit:
            raise PresetError(f"{where}: {word} is {size}; it must be between 2 and {limit}.")
        if word == "LUT_3D_SIZE":
            header.size_3d = size
        else:
            header.size_1d = size
    elif word in ("DOMAIN_MIN", "DOMAIN_MAX"):
        values = _numbers(rest, 3, where, word)
        triple = (values[0], values[1], values[2])
        if word == "DOMAIN_MIN":
            header.domain_min = triple
        else:
            header.domain_max = triple
    elif word in ("LUT_1D_INPUT_RANGE", "LUT_3D_INPUT_RANGE"):
        values = _numbers(rest, 2, where, word)
        if values[0] >= values[1]:
            raise PresetError(f"{where}: {word} must go from a lower to a higher number.")
        if word == "LUT_1D_INPUT_RANGE":
            header.range_1d = (values[0], values[1])
        else:
            header.range_3d = (values[0], values[1])
    else:
        header.warnings.append(f"Line {number}: the keyword {word} is not understood; skipped.")


def _numbers(text: str, count: int, where: str, word: str) -> list[float]:
    parts = text.split()
    try:
        values = [float(part) for part in parts]
    except ValueError:
        values = []
    if len(values) != count or not all(np.isfinite(values)):
        raise PresetError(f"{where}: {word} should be followed by {count} numbers.")
    return values


def _parse_rows(rows: list[str], row_lines: list[int], label: str) -> npt.NDArray[np.float64]:
    tokens = " ".join(rows).split()
    if len(tokens) == 3 * len(rows):
        try:
            data = np.array(tokens, dtype=np.float64).reshape(-1, 3)
        except ValueError:
            pass
        else:
            if np.isfinite(data).all():
                return data
    for row, number in zip(rows, row_lines, strict=True):  # find the culprit for the message
        parts = row.split()
        try:
            values = [float(part) for part in parts]
        except ValueError:
            values = []
        if len(parts) != 3 or len(values) != 3 or not all(np.isfinite(values)):
            raise PresetError(
                f'{label}, line {number}: "{row}" is not a colour row of three numbers.'
            )
    raise PresetError(f"{label}: the colour rows cannot be read.")  # pragma: no cover


def _build(header: _Header, rows: list[str], row_lines: list[int], label: str) -> Lut3D:
    if not header.size_1d and not header.size_3d:
        raise PresetError(
            f"{label} is not a LUT file Junmai can read: it has no LUT_3D_SIZE or LUT_1D_SIZE line."
        )
    expected = header.size_1d + header.size_3d**3
    if len(rows) != expected:
        sizes = " and ".join(
            f"{word} {size}"
            for word, size in (("LUT_1D_SIZE", header.size_1d), ("LUT_3D_SIZE", header.size_3d))
            if size
        )
        line = row_lines[expected] if len(rows) > expected else (row_lines or [0])[-1]
        raise PresetError(
            f"{label}, line {line}: the file has {len(rows)} colour rows, but {sizes} needs "
            f"{expected}; the LUT is incomplete or damaged."
        )
    data = _parse_rows(rows, row_lines, label)
    shaper_rows = data[: header.size_1d]
    cube_rows = data[header.size_1d :]
    lo, hi = _domain(header, label, header.range_3d if header.size_3d else header.range_1d)
    if not header.size_3d:
        return _from_1d(shaper_rows, lo, hi, header.title)
    n = header.size_3d
    table = cube_rows.reshape(n, n, n, 3).transpose(2, 1, 0, 3)  # rows run [b][g][r]
    shaper: npt.NDArray[np.float32] | None = None
    s_lo, s_hi = (0.0, 0.0, 0.0), (1.0, 1.0, 1.0)
    if header.size_1d:
        shaper = _frozen(shaper_rows)
        s_lo, s_hi = _domain(header, label, header.range_1d)
    return Lut3D(
        table=_frozen(table),
        domain_min=lo,
        domain_max=hi,
        shaper=shaper,
        shaper_domain_min=s_lo,
        shaper_domain_max=s_hi,
        title=header.title,
    )


def _domain(
    header: _Header, label: str, input_range: tuple[float, float] | None
) -> tuple[Triple, Triple]:
    if input_range is not None:
        low, high = input_range
        return (low, low, low), (high, high, high)
    lo = header.domain_min or (0.0, 0.0, 0.0)
    hi = header.domain_max or (1.0, 1.0, 1.0)
    if any(a >= b for a, b in zip(lo, hi, strict=True)):
        raise PresetError(f"{label}: DOMAIN_MIN must be below DOMAIN_MAX for every channel.")
    return lo, hi


def _from_1d(rows: npt.NDArray[np.float64], lo: Triple, hi: Triple, title: str) -> Lut3D:
    """A 1D LUT as an exact shaper followed by a size-2 identity over the shaper's outputs."""
    out_lo = rows.min(axis=0)
    out_hi = rows.max(axis=0)
    out_hi = np.where(out_hi > out_lo, out_hi, out_lo + 1.0)
    corners = np.stack([out_lo, out_hi])  # (2, 3): per channel, the low and the high end
    grid = np.empty((2, 2, 2, 3), dtype=np.float32)
    for r in range(2):
        for g in range(2):
            for b in range(2):
                grid[r, g, b] = (corners[r, 0], corners[g, 1], corners[b, 2])
    grid.flags.writeable = False
    return Lut3D(
        table=grid,
        domain_min=(float(out_lo[0]), float(out_lo[1]), float(out_lo[2])),
        domain_max=(float(out_hi[0]), float(out_hi[1]), float(out_hi[2])),
        shaper=_frozen(rows),
        shaper_domain_min=lo,
        shaper_domain_max=hi,
        title=title,
    )


def _frozen(values: npt.NDArray[np.float64]) -> npt.NDArray[np.float32]:
    """A contiguous float32 copy that cannot be written: presets are shared between threads."""
    array = np.ascontiguousarray(values, dtype=np.float32)
    array.flags.writeable = False
    return array
