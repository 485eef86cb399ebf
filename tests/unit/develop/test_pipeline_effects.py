"""The steps after the pointwise develop — grain and the vignette's styles — measured on
generated images, and grain's determinism through the engine."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import pytest
import pyvips

from junmai_gui.develop.engine import OutputOptions, develop_photo, photo_seed
from junmai_gui.develop.pipeline import apply_preset
from junmai_gui.develop.pipeline.color import split
from junmai_gui.develop.preset import Preset

Pixels = npt.NDArray[np.float64]
FLAT = np.full((1000, 1500, 3), 128, np.uint8)  # a mid-grey frame, 1500 pixels across


def develop(pixels: npt.NDArray[Any], settings: dict[str, Any], *, seed: int = 7) -> Pixels:
    image = pyvips.Image.new_from_array(np.ascontiguousarray(pixels)).copy(interpretation="srgb")
    out = apply_preset(image, Preset("test", settings=settings), 100, photo_seed=seed)
    return np.asarray(out.numpy(), dtype=np.float64)


def grain_of(settings: dict[str, Any]) -> Pixels:
    return develop(FLAT, settings)[..., 1] - 128.0


def roughness(grain: Pixels) -> float:
    """How much of the grain changes from one pixel to the next (1: white noise)."""
    return float(np.std(np.diff(grain, axis=1)) / (np.sqrt(2.0) * np.std(grain)))


def test_grain_grows_with_amount() -> None:
    deviations = [float(np.std(grain_of({"GrainAmount": a}))) for a in (10, 40, 90)]
    assert 0.5 < deviations[0] < deviations[1] < deviations[2]
    assert deviations[2] > 3 * deviations[0]


def test_grain_gets_coarser_as_its_size_grows() -> None:
    fine, medium, coarse = (
        roughness(grain_of({"GrainAmount": 60, "GrainSize": size, "GrainFrequency": 0}))
        for size in (0, 50, 100)
    )
    assert fine > medium > coarse
    assert coarse < 0.7 * fine


def test_roughness_adds_pixel_sharp_grain() -> None:
    smooth = roughness(grain_of({"GrainAmount": 60, "GrainSize": 60, "GrainFrequency": 0}))
    rough = roughness(grain_of({"GrainAmount": 60, "GrainSize": 60, "GrainFrequency": 100}))
    assert rough > smooth + 0.1
    alias = roughness(grain_of({"GrainAmount": 60, "GrainSize": 60, "GrainRoughness": 100}))
    assert alias == pytest.approx(rough, rel=0.02)  # another seed (other settings), same kind


def test_grain_is_monochrome_and_strongest_in_the_midtones() -> None:
    out = develop(FLAT, {"GrainAmount": 50})
    assert np.array_equal(out[..., 0], out[..., 1]) and np.array_equal(out[..., 1], out[..., 2])
    ramp = np.repeat(np.linspace(20, 235, 1500)[None, :, None], 1000, 0).repeat(3, 2)
    grained = develop(ramp.astype(np.uint8), {"GrainAmount": 50}) - ramp.astype(np.uint8)
    shadows, mids = np.std(grained[:, :150]), np.std(grained[:, 700:850])
    assert mids > 1.5 * shadows


def test_grain_depends_on_the_photo_and_never_on_the_run() -> None:
    settings = {"GrainAmount": 40}
    first, again = develop(FLAT, settings, seed=11), develop(FLAT, settings, seed=11)
    assert np.array_equal(first, again)
    assert not np.array_equal(first, develop(FLAT, settings, seed=12))


def test_the_same_photo_gives_the_same_bytes_wherever_it_is_stored(tmp_path: Path) -> None:
    rng = np.random.default_rng(5)
    pixels = rng.integers(60, 200, (300, 400, 3)).astype(np.uint8)
    source = tmp_path / "a" / "IMG_0001.jpg"
    source.parent.mkdir()
    pyvips.Image.new_from_array(pixels).copy(interpretation="srgb").write_to_file(str(source))
    elsewhere = tmp_path / "mounted" / "elsewhere" / "IMG_0001.jpg"
    elsewhere.parent.mkdir(parents=True)
    shutil.copy2(source, elsewhere)
    renamed = tmp_path / "a" / "IMG_0002.jpg"
    shutil.copy2(source, renamed)
    preset = Preset("film", settings={"GrainAmount": 50, "Clarity2012": 20})
    out = tmp_path / "out"
    out.mkdir()
    results = [
        develop_photo(path, out / f"{i}.jpg", preset, 80, OutputOptions()).read_bytes()
        for i, path in enumerate((source, source, elsewhere, renamed))
    ]
    assert results[0] == results[1] == results[2]  # another run, another folder: same bytes
    assert results[3] != results[0]  # another photo (by name): other grain
    assert photo_seed(source) == photo_seed(elsewhere) != photo_seed(renamed)


def corners_and_centre(settings: dict[str, Any], colour: tuple[int, int, int]) -> Pixels:
    pixels = np.empty((200, 300, 3), np.uint8)
    pixels[...] = colour
    return develop(pixels, {"PostCropVignetteAmount": -70, **settings})


def test_paint_overlay_darkens_most_and_highlight_priority_keeps_highlights() -> None:
    bright = (250, 240, 230)
    overlay = corners_and_centre({"PostCropVignetteStyle": 3}, bright)[:10, :10].mean()
    priority = corners_and_centre({"PostCropVignetteStyle": 1}, bright)[:10, :10].mean()
    protected = corners_and_centre(
        {"PostCropVignetteStyle": 1, "PostCropVignetteHighlightContrast": 100}, bright
    )[:10, :10].mean()
    assert overlay < priority < protected < 240
    centre = corners_and_centre({}, bright)[95:105, 145:155]
    assert np.abs(centre - np.array(bright)).max() <= 1


def hue(pixels: Pixels) -> Pixels:
    _, a, b = split(pixels.reshape(-1, 3) / 255.0)
    return np.degrees(np.arctan2(b, a))


def test_color_priority_keeps_the_hue_of_darkened_colours() -> None:
    colour = (230, 150, 60)
    original = float(hue(np.array(colour, np.float64))[0])
    by_colour = corners_and_centre(
        {"PostCropVignetteStyle": 2, "PostCropVignetteHighlightContrast": 60}, colour
    )[:10, :10]
    by_highlight = corners_and_centre(
        {"PostCropVignetteStyle": 1, "PostCropVignetteHighlightContrast": 60}, colour
    )[:10, :10]
    colour_shift = np.abs(hue(by_colour) - original).mean()
    highlight_shift = np.abs(hue(by_highlight) - original).mean()
    assert colour_shift < 1.5 < highlight_shift
