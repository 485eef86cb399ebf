"""`.cube` LUTs (Adobe/IRIDAS and Resolve flavours) read into a `Lut3D`.

Understood: `TITLE`, `#` comments, `LUT_3D_SIZE` (2..144), `LUT_1D_SIZE` (2..65536),
`DOMAIN_MIN`/`DOMAIN_MAX` (three numbers), and Resolve's `LUT_1D_INPUT_RANGE`/
`LUT_3D_INPUT_RANGE` (two numbers, the same for every channel). Rows are "r g b" numbers with
red changing fastest, so row `r + g·N + b·N²` is `table[r, g, b]`.

- A 3D file gives `Lut3D(table)`.
- A 1D + 3D file (Resolve's shaper form) gives the 1D rows as `Lut3D.shaper` (its input range
  as `shaper_domain_*`), then the 3D table (its input range as `domain_*`).
- A 1D file is kept exact rather than sampled into a lattice: its rows become the shaper, and
  the 3D table is an identity of size 2 spanning the shaper's output range (per channel), so
  trilinear interpolation passes the shaper's output through unchanged.

A file is at most `CUBE_SIZE_CAP` (64 MB; a 129-point LUT is about 58 MB of text). The colour
rows are read by numpy in one pass; only a file that fails that pass is read line by line, to
name the line that is wrong. Values and domains are checked by `lut_checks`. Unknown keywords
are skipped with a warning; anything else malformed is a `PresetError` naming the file and the
line.
"""

from __future__ import annotations

import re
import warnings
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import numpy.typing as npt

from junmai_gui.develop.errors import PresetError
from junmai_gui.develop.loaders._files import (
    LutReader,
    decode_text,
    file_label,
    parse_directly,
    read_capped,
)
from junmai_gui.develop.loaders.lut_checks import MAX_LUT_POINTS, check_domain, check_lut_values
from junmai_gui.develop.preset import Lut3D, Preset

CUBE_SIZE_CAP = 64 * 2**20
MAX_3D_SIZE = MAX_LUT_POINTS
MAX_1D_SIZE = 65536
WHAT = "LUT file"

Triple = tuple[float, float, float]
Rows = npt.NDArray[np.float64]

_FIRST_ROW = re.compile(r"^[ \t]*[-+.0-9]", re.MULTILINE)
_COMMENT = re.compile(r"#[^\n]*")
_BLANK_LINE = re.compile(r"\n[ \t]*\n")


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

    @property
    def rows(self) -> int:
        return self.size_1d + self.size_3d**3


def load_cube_preset(path: Path, luts: LutReader = parse_directly) -> Preset:
    data = read_capped(path, CUBE_SIZE_CAP, WHAT)
    lut, warnings = read_cube_bytes(data, file_label(path), luts)
    return Preset(
        name=path.stem,
        lut=lut,
        default_blend=100.0,
        source=str(path),
        warnings=tuple(warnings),
        description=lut.title,
    )


def read_cube_bytes(
    data: bytes, label: str, luts: LutReader = parse_directly
) -> tuple[Lut3D, list[str]]:
    """The LUT of a .cube file's bytes, through `luts` (a cache, or parsing them directly)."""

    def parse(raw: bytes) -> tuple[Lut3D, list[str]]:
        return parse_cube(decode_text(raw, label, WHAT), label)

    return luts(data, label, parse)


def parse_cube(text: str, label: str) -> tuple[Lut3D, list[str]]:
    """The `Lut3D` a .cube text describes, and warnings; `label` names the file in errors."""
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    found = _FIRST_ROW.search(text)
    start = found.start() if found else len(text)
    header = _Header()
    head_lines = text[:start].splitlines()
    for number, raw_line in enumerate(head_lines, start=1):
        line = raw_line.split("#", 1)[0].strip()
        if line:
            _read_keyword(header, line, number, label)
    if not header.size_1d and not header.size_3d:
        raise PresetError(
            f"{label} is not a LUT file Junmai can read: it has no LUT_3D_SIZE or LUT_1D_SIZE line."
        )
    body = text[start:]
    rows = _fast_rows(body, header.rows)
    if rows is None:
        raise _row_problem(body, len(head_lines) + 1, header, label)
    check_lut_values(rows, label)
    return _build(header, rows, label), header.warnings


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
            raise PresetError(
                f"{where}: {word} should be a whole number, not {rest[:40]!r}."
            ) from None
        if not 2 <= size <= limit:
            shown = f"{size}" if len(rest) <= 12 else "a very large number"
            raise PresetError(f"{where}: {word} is {shown}; it must be between 2 and {limit}.")
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
        header.warnings.append(
            f"Line {number}: the keyword {word[:40]} is not understood; skipped."
        )


def _numbers(text: str, count: int, where: str, word: str) -> list[float]:
    parts = text.split()
    try:
        values = [float(part) for part in parts]
    except ValueError:
        values = []
    if len(values) != count or not all(np.isfinite(values)):
        raise PresetError(f"{where}: {word} should be followed by {count} numbers.")
    return values


def _row_count(body: str) -> int:
    """How many non-blank lines `body` (without comments, with \\n line ends) has."""
    stripped = body.strip()
    if not stripped:
        return 0
    if _BLANK_LINE.search(stripped) is None:
        return stripped.count("\n") + 1
    return sum(1 for line in stripped.split("\n") if line.strip())


def _fast_rows(body: str, expected: int) -> Rows | None:
    """The rows as an (expected, 3) array in one numpy pass; None when anything is off."""
    clean = _COMMENT.sub("", body) if "#" in body else body
    if _row_count(clean) != expected:
        return None
    try:
        with warnings.catch_warnings():
            # numpy < 2.3 warns and stops at the first token that is not a number
            warnings.simplefilter("ignore", DeprecationWarning)
            values = np.fromstring(clean, dtype=np.float64, sep=" ")
    except ValueError:
        return None
    if values.size != 3 * expected:
        return None
    return values.reshape(expected, 3)


def _is_row(line: str) -> bool:
    return bool(line) and (line[0].isdigit() or line[0] in "+-.")


def _row_problem(body: str, first_line: int, header: _Header, label: str) -> PresetError:
    """The error for colour rows that did not read: the first line that is wrong, named."""
    row_lines: list[int] = []
    for number, raw_line in enumerate(body.splitlines(), start=first_line):
        line = raw_line.split("#", 1)[0].strip()
        if not line:
            continue
        if not _is_row(line):
            return PresetError(
                f"{label}, line {number}: the keyword {line.split()[0][:40]} comes after the "
                "colour rows have started; this LUT file is damaged."
            )
        row_lines.append(number)
    expected = header.rows
    if len(row_lines) != expected:
        sizes = " and ".join(
            f"{word} {size}"
            for word, size in (("LUT_1D_SIZE", header.size_1d), ("LUT_3D_SIZE", header.size_3d))
            if size
        )
        at = row_lines[expected] if len(row_lines) > expected else (row_lines or [0])[-1]
        return PresetError(
            f"{label}, line {at}: the file has {len(row_lines)} colour rows, but {sizes} "
            f"needs {expected}; the LUT is incomplete or damaged."
        )
    lines = body.splitlines()
    for number in row_lines:
        row = lines[number - first_line].split("#", 1)[0].strip()
        parts = row.split()
        try:
            np.array(parts, dtype=np.float64)
        except ValueError:
            parts = []
        if len(parts) != 3:
            return PresetError(
                f'{label}, line {number}: "{row[:60]}" is not a colour row of three numbers.'
            )
    return PresetError(f"{label}: the colour rows cannot be read; the LUT file is damaged.")


def _build(header: _Header, data: Rows, label: str) -> Lut3D:
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
        lo, hi = (low, low, low), (high, high, high)
        check_domain(lo, hi, label, "the input range")
        return lo, hi
    lo = header.domain_min or (0.0, 0.0, 0.0)
    hi = header.domain_max or (1.0, 1.0, 1.0)
    if any(a >= b for a, b in zip(lo, hi, strict=True)):
        raise PresetError(f"{label}: DOMAIN_MIN must be below DOMAIN_MAX for every channel.")
    check_domain(lo, hi, label)
    return lo, hi


def _from_1d(rows: Rows, lo: Triple, hi: Triple, title: str) -> Lut3D:
    """A 1D LUT as an exact shaper followed by a size-2 identity over the shaper's outputs."""
    out_lo = rows.min(axis=0)
    out_hi = rows.max(axis=0)
    # a channel whose output hardly changes gets a unit-wide range: a tiny one would divide
    # by almost nothing when the table maps it back to 0..1
    out_hi = np.where(out_hi - out_lo >= 1e-6, out_hi, out_lo + 1.0)
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


def _frozen(values: Rows) -> npt.NDArray[np.float32]:
    """A contiguous float32 copy that cannot be written: presets are shared between threads."""
    array = np.ascontiguousarray(values, dtype=np.float32)
    array.flags.writeable = False
    return array
