"""Hald CLUT images: generated identity Halds in 8 and 16 bits, and images that are not Halds."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import numpy.typing as npt
import pytest
import pyvips

from junmai_gui.develop.loaders import load_preset_file
from junmai_gui.develop.loaders.cube import parse_cube
from junmai_gui.develop.loaders.hald import hald_level
from tests.unit.develop.helpers import error_of


def identity_hald_pixels(level: int, maximum: int) -> npt.NDArray[np.float64]:
    """Pixels (side × side × 3) of an identity Hald: pixel r + g·N + b·N² holds (r, g, b)."""
    n = level * level
    index = np.arange(n**3)
    rgb = np.stack([index % n, (index // n) % n, index // (n * n)], axis=-1) / (n - 1)
    side = level**3
    return np.rint(rgb * maximum).reshape(side, side, 3)


def save(pixels: npt.NDArray[np.float64], path: Path, fmt: str = "uchar") -> Path:
    image = pyvips.Image.new_from_array(np.ascontiguousarray(pixels)).cast(fmt)
    if fmt == "ushort":
        image = image.copy(interpretation="rgb16")
    else:
        image = image.copy(interpretation="srgb")
    image.write_to_file(str(path))
    return path


@pytest.mark.parametrize(
    ("width", "height", "level"),
    [
        (8, 8, 2),
        (27, 27, 3),
        (64, 64, 4),
        (512, 512, 8),
        (1728, 1728, 12),
        (4096, 4096, 16),
        (500, 500, None),
        (512, 8, None),
        (64, 4096, None),
        (1, 1, None),
    ],
)
def test_hald_level_from_the_image_size(width: int, height: int, level: int | None) -> None:
    assert hald_level(width, height) == level


@pytest.mark.parametrize(("level", "suffix"), [(2, ".png"), (4, ".png"), (3, ".tif")])
def test_identity_hald_gives_an_identity_table(tmp_path: Path, level: int, suffix: str) -> None:
    path = save(identity_hald_pixels(level, 255), tmp_path / f"identity{suffix}")
    preset = load_preset_file(path)
    assert preset.name == "identity"
    assert preset.lut is not None
    n = level * level
    assert preset.lut.size == n
    axis = np.linspace(0.0, 1.0, n)
    expected = np.stack(np.meshgrid(axis, axis, axis, indexing="ij"), axis=-1)
    np.testing.assert_allclose(preset.lut.table, expected, atol=0.5 / 255)
    assert preset.lut.table[n - 1, 0, 0] == pytest.approx((1, 0, 0))  # red is the fast axis


def test_sixteen_bit_hald_keeps_its_precision(tmp_path: Path) -> None:
    path = save(identity_hald_pixels(4, 65535), tmp_path / "deep.tif", "ushort")
    lut = load_preset_file(path).lut
    assert lut is not None
    axis = np.linspace(0.0, 1.0, 16)
    expected = np.stack(np.meshgrid(axis, axis, axis, indexing="ij"), axis=-1)
    np.testing.assert_allclose(lut.table, expected, atol=0.5 / 65535 + 1e-7)


def test_alpha_is_dropped(tmp_path: Path) -> None:
    pixels = identity_hald_pixels(2, 255)
    rgba = np.concatenate([pixels, np.full((*pixels.shape[:2], 1), 255.0)], axis=-1)
    lut = load_preset_file(save(rgba, tmp_path / "alpha.png")).lut
    assert lut is not None
    assert lut.table.shape == (4, 4, 4, 3)


def test_hald_and_cube_round_trip(tmp_path: Path) -> None:
    lut = load_preset_file(save(identity_hald_pixels(3, 255), tmp_path / "h.png")).lut
    assert lut is not None
    n = lut.size
    rows = [
        " ".join(f"{v:.6f}" for v in lut.table[r, g, b])
        for b in range(n)
        for g in range(n)
        for r in range(n)
    ]
    again, _ = parse_cube(f"LUT_3D_SIZE {n}\n" + "\n".join(rows), '"h.cube"')
    np.testing.assert_allclose(again.table, lut.table, atol=1e-6)


def test_a_strip_image_is_refused_with_an_explanation(tmp_path: Path) -> None:
    path = save(np.zeros((8, 64, 3)), tmp_path / "strip.png")
    message = error_of(path)
    assert '"strip.png"' in message
    assert "64 × 8" in message
    assert "strip" in message
    assert "not a Hald CLUT" in message


def test_a_square_image_of_the_wrong_side_is_refused(tmp_path: Path) -> None:
    path = save(np.zeros((30, 30, 3)), tmp_path / "square.png")
    message = error_of(path)
    assert "not a Hald CLUT" in message
    assert "cube number" in message


def test_a_grey_image_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "grey.png"
    pyvips.Image.black(8, 8).cast("uchar").write_to_file(str(path))
    message = error_of(path)
    assert "greyscale" in message


def test_a_file_that_is_not_an_image_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "text.png"
    path.write_text("not an image at all", encoding="utf-8")
    message = error_of(path)
    assert '"text.png"' in message
    assert "not an image" in message


def test_a_truncated_hald_is_refused_not_read_as_black(tmp_path: Path) -> None:
    whole = save(identity_hald_pixels(8, 255), tmp_path / "whole.png").read_bytes()
    cut = whole[: len(whole) * 6 // 10]
    # the trap: libvips by default decodes what is there and fills the rest with black
    pixels = pyvips.Image.new_from_buffer(cut, "").numpy()
    assert pixels[-1, -1].max() == 0
    path = tmp_path / "cut.png"
    path.write_bytes(cut)
    message = error_of(path)
    assert '"cut.png"' in message
    assert "damaged or incomplete" in message


def test_a_truncated_tiff_hald_is_refused(tmp_path: Path) -> None:
    whole = save(identity_hald_pixels(8, 255), tmp_path / "whole.tif").read_bytes()
    path = tmp_path / "cut.tif"
    path.write_bytes(whole[: len(whole) * 6 // 10])
    assert '"cut.tif"' in error_of(path)


@pytest.mark.parametrize(
    ("value", "shown"), [(np.nan, "nan"), (np.inf, "inf"), (1e30, "1e+30"), (-70000.0, "-70000")]
)
def test_a_float_hald_with_unusable_values_is_refused(
    tmp_path: Path, value: float, shown: str
) -> None:
    pixels = identity_hald_pixels(2, 1)
    pixels[3, 5, 1] = value
    message = error_of(save(pixels, tmp_path / "float.tif", "float"))
    assert '"float.tif"' in message
    assert f"colour value {shown}" in message
    assert "65504" in message


def test_a_hald_above_level_12_is_refused_by_its_size_alone(tmp_path: Path) -> None:
    path = tmp_path / "huge.png"
    pyvips.Image.black(13**3, 13**3, bands=3).write_to_file(str(path))
    message = error_of(path)
    assert "level 13" in message and "at most level 12" in message
