""".cube LUTs: the colour-science resources, generated tables, and malformed files."""

from __future__ import annotations

import sys
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any
from unittest.mock import MagicMock

import numpy as np
import numpy.typing as npt
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from junmai_gui.develop.loaders import load_preset_file
from junmai_gui.develop.loaders.cube import parse_cube
from junmai_gui.develop.preset import Lut3D
from tests.unit.develop.helpers import error_of

FloatArray = npt.NDArray[np.float64]


def cube_text(table: FloatArray, header: str = "") -> str:
    """A .cube text for `table[r, g, b]`, rows with red changing fastest."""
    n = table.shape[0]
    rows = [
        " ".join(f"{v:.7f}" for v in table[r, g, b])
        for b in range(n)
        for g in range(n)
        for r in range(n)
    ]
    return f"{header}LUT_3D_SIZE {n}\n" + "\n".join(rows) + "\n"


def identity_table(n: int) -> FloatArray:
    axis = np.linspace(0.0, 1.0, n)
    return np.stack(np.meshgrid(axis, axis, axis, indexing="ij"), axis=-1)


def apply_lut(lut: Lut3D, rgb: FloatArray) -> FloatArray:
    """Reference evaluation of the model: shaper (linear), domain to 0..1, trilinear."""
    x = rgb.astype(np.float64)
    if lut.shaper is not None:
        m = lut.shaper.shape[0]
        shaped = np.empty_like(x)
        for c in range(3):
            grid = np.linspace(lut.shaper_domain_min[c], lut.shaper_domain_max[c], m)
            shaped[:, c] = np.interp(x[:, c], grid, lut.shaper[:, c])
        x = shaped
    lo, hi = np.array(lut.domain_min), np.array(lut.domain_max)
    n = lut.size
    pos = np.clip((x - lo) / (hi - lo), 0.0, 1.0) * (n - 1)
    i0 = np.minimum(np.floor(pos).astype(int), n - 2)
    f = pos - i0
    out = np.zeros_like(x)
    table = lut.table.astype(np.float64)
    for dr in (0, 1):
        for dg in (0, 1):
            for db in (0, 1):
                w = (
                    (f[:, 0] if dr else 1 - f[:, 0])
                    * (f[:, 1] if dg else 1 - f[:, 1])
                    * (f[:, 2] if db else 1 - f[:, 2])
                )
                out += w[:, None] * table[i0[:, 0] + dr, i0[:, 1] + dg, i0[:, 2] + db]
    return out


def read_with_colour(path: Path) -> Any:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import colour
    # Without SciPy/Matplotlib, colour-science puts MagicMocks in sys.modules under their
    # names; left there, they break any later import that checks them (numba reads
    # scipy.__version__). colour keeps its own references, so the entries can go.
    for name, module in list(sys.modules.items()):
        if isinstance(module, MagicMock):
            del sys.modules[name]
    return colour.io.read_LUT(str(path))


LUTS = {
    "colour-Colour_Correct-3d.cube": (4, (0, 0, 0), (1, 1, 1), None),
    "colour-eotf_sRGB_3D-domain.cube": (8, (-0.1, -0.15, -0.2), (1.5, 2.0, 3.0), None),
    "colour-3d-with-shaper.cube": (3, (-0.1, -0.1, -0.1), (3, 3, 3), 10),
    "colour-Demo-1d-domain.cube": (2, None, None, 3),
}


def test_the_shared_folder_holds_exactly_the_luts_listed_here(testdata: Path) -> None:
    assert sorted(p.name for p in (testdata / "luts").glob("*.cube")) == sorted(LUTS)


@pytest.mark.parametrize("file_name", sorted(LUTS))
def test_every_shared_lut_loads_with_its_size_and_domain(testdata: Path, file_name: str) -> None:
    size, lo, hi, shaper_rows = LUTS[file_name]
    preset = load_preset_file(testdata / "luts" / file_name)
    assert preset.lut is not None
    lut = preset.lut
    assert preset.name == file_name.removesuffix(".cube")
    assert preset.settings == {}
    assert lut.size == size
    assert lut.table.shape == (size, size, size, 3)
    assert lut.table.dtype == np.float32
    if lo is not None:
        assert lut.domain_min == pytest.approx(lo)
        assert lut.domain_max == pytest.approx(hi)
    if shaper_rows is None:
        assert lut.shaper is None
    else:
        assert lut.shaper is not None
        assert lut.shaper.shape == (shaper_rows, 3)


@pytest.mark.parametrize("file_name", sorted(LUTS))
def test_every_shared_lut_agrees_with_colour_science(testdata: Path, file_name: str) -> None:
    path = testdata / "luts" / file_name
    lut = load_preset_file(path).lut
    assert lut is not None
    reference = read_with_colour(path)
    lo = np.array(lut.shaper_domain_min if lut.shaper is not None else lut.domain_min)
    hi = np.array(lut.shaper_domain_max if lut.shaper is not None else lut.domain_max)
    rng = np.random.default_rng(7)
    samples = lo + rng.random((500, 3)) * (hi - lo)
    expected = reference.apply(samples)
    np.testing.assert_allclose(apply_lut(lut, samples), expected, atol=1e-5)


def test_titles_and_shaper_ranges(testdata: Path) -> None:
    lut = load_preset_file(testdata / "luts" / "colour-3d-with-shaper.cube").lut
    assert lut is not None
    assert lut.title == "LUT3D with My Shaper"
    assert lut.shaper_domain_min == pytest.approx((-0.1, -0.1, -0.1))
    assert lut.shaper_domain_max == pytest.approx((3, 3, 3))
    one_d = load_preset_file(testdata / "luts" / "colour-Demo-1d-domain.cube")
    assert one_d.description == "Demo"
    assert one_d.lut is not None
    assert one_d.lut.shaper_domain_max == pytest.approx((3, 3, 3))


def test_identity_cube_round_trip_and_red_changes_fastest(tmp_path: Path) -> None:
    table = identity_table(5)
    table[..., 1] *= 0.5  # an asymmetric table shows any swap of the axes
    path = tmp_path / "id.cube"
    path.write_text(cube_text(table, 'TITLE "Id"\n# a comment\n'), encoding="utf-8")
    lut = load_preset_file(path).lut
    assert lut is not None
    np.testing.assert_allclose(lut.table, table, atol=1e-6)
    assert tuple(lut.table[4, 0, 0]) == pytest.approx((1.0, 0.0, 0.0))
    assert tuple(lut.table[0, 0, 4]) == pytest.approx((0.0, 0.0, 1.0))
    assert lut.title == "Id"


@settings(max_examples=15, deadline=None)
@given(n=st.integers(2, 6), seed=st.integers(0, 2**16))
def test_any_table_survives_writing_and_reading(n: int, seed: int) -> None:
    table = np.random.default_rng(seed).uniform(-0.5, 1.5, (n, n, n, 3))
    lut, notes = parse_cube(cube_text(table), '"t.cube"')
    assert notes == []
    np.testing.assert_allclose(lut.table, table, atol=1e-6)


def test_windows_line_endings_and_inline_comments() -> None:
    text = (
        cube_text(identity_table(2))
        .replace("\n", "\r\n")
        .replace("LUT_3D_SIZE 2", "LUT_3D_SIZE 2 # n")
    )
    lut, _ = parse_cube(text, '"w.cube"')
    assert lut.size == 2


def test_unknown_keywords_are_skipped_with_a_warning() -> None:
    lut, notes = parse_cube("LUT_IN_VIDEO_RANGE\n" + cube_text(identity_table(2)), '"v.cube"')
    assert lut.size == 2
    assert notes and "LUT_IN_VIDEO_RANGE" in notes[0]


def write(tmp_path: Path, text: str, name: str = "bad.cube") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_a_missing_row_names_the_file_the_line_and_the_counts(tmp_path: Path) -> None:
    lines = cube_text(identity_table(3)).splitlines()
    message = error_of(write(tmp_path, "\n".join(lines[:-1])))
    assert '"bad.cube"' in message
    assert "line 27" in message
    assert "26 colour rows" in message and "27" in message


def test_an_extra_row_names_its_line(tmp_path: Path) -> None:
    message = error_of(write(tmp_path, cube_text(identity_table(2)) + "0 0 0\n"))
    assert "line 10" in message


def test_a_non_numeric_row_names_its_line(tmp_path: Path) -> None:
    lines = cube_text(identity_table(2)).splitlines()
    lines[3] = "0.5 abc 0.5"
    message = error_of(write(tmp_path, "\n".join(lines)))
    assert '"bad.cube", line 4' in message
    assert "0.5 abc 0.5" in message


def test_a_short_row_names_its_line(tmp_path: Path) -> None:
    lines = cube_text(identity_table(2)).splitlines()
    lines[2] = "0.5 0.5"
    message = error_of(write(tmp_path, "\n".join(lines)))
    assert '"bad.cube", line 3' in message


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("LUT_3D_SIZE 1\n", "between 2 and 144"),
        ("LUT_3D_SIZE 300\n", "between 2 and 144"),
        ("LUT_3D_SIZE two\n", "whole number"),
        ('TITLE "x"\n', "no LUT_3D_SIZE"),
        ("LUT_3D_SIZE 2\nDOMAIN_MIN 0 0\n", "3 numbers"),
        ("LUT_3D_SIZE 2\nDOMAIN_MIN 1 0 0\nDOMAIN_MAX 1 1 1\n", "DOMAIN_MIN must be below"),
        ("LUT_3D_SIZE 2\nLUT_3D_INPUT_RANGE 1 0\n", "lower to a higher"),
    ],
)
def test_bad_headers(tmp_path: Path, header: str, expected: str) -> None:
    rows = cube_text(identity_table(2)).split("\n", 1)[1]
    message = error_of(write(tmp_path, header + rows))
    assert '"bad.cube"' in message
    assert expected in message


def test_a_keyword_after_the_rows_is_an_error(tmp_path: Path) -> None:
    message = error_of(write(tmp_path, cube_text(identity_table(2)) + 'TITLE "late"\n'))
    assert "line 10" in message and "TITLE" in message


def test_an_empty_cube_is_refused(tmp_path: Path) -> None:
    message = error_of(write(tmp_path, ""))
    assert message == 'The LUT file "bad.cube" is empty.'


def test_one_d_lut_is_an_exact_shaper_before_an_identity(tmp_path: Path) -> None:
    text = "LUT_1D_SIZE 3\n0 0 0\n0.25 0.5 0.75\n1 1 0.8\n"
    lut = load_preset_file(write(tmp_path, text, "curve.cube")).lut
    assert lut is not None
    assert lut.shaper is not None
    assert lut.size == 2
    samples = np.array([[0.0, 0.0, 0.0], [0.25, 0.5, 0.75], [0.5, 0.5, 0.5], [1.0, 1.0, 1.0]])
    expected = np.stack(
        [np.interp(samples[:, c], [0, 0.5, 1], lut.shaper[:, c]) for c in range(3)], axis=1
    )
    np.testing.assert_allclose(apply_lut(lut, samples), expected, atol=1e-6)


@pytest.mark.parametrize(
    "spell",
    [
        lambda text: text.replace("\n", "\r\n"),
        lambda text: text.replace("\n", "\r"),
        lambda text: text.replace("\n", "  # a note\n"),
        lambda text: text.replace("\n", "\n\n \t\n"),
        lambda text: text + "\n\n\n",
    ],
    ids=["crlf", "cr", "comments", "blank-lines", "trailing"],
)
def test_line_ends_comments_and_blank_lines_do_not_change_the_table(
    spell: Callable[[str], str],
) -> None:
    text = cube_text(identity_table(3))
    plain, _ = parse_cube(text, '"a.cube"')
    spelled, _ = parse_cube(spell(text), '"a.cube"')
    np.testing.assert_array_equal(spelled.table, plain.table)


def test_a_lut_over_the_file_size_cap_is_refused_before_it_is_read(tmp_path: Path) -> None:
    path = tmp_path / "huge.cube"
    with path.open("wb") as handle:
        handle.truncate(65 * 2**20)
    message = error_of(path)
    assert message == (
        'The LUT file "huge.cube" is too large (65.0 MB; at most 64 MB is accepted).'
    )
