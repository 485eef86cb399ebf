"""The New Batch preview: it keeps the last decoded photo, and it looks like the full-size
output reduced to its size, spatial steps included (grain by its strength, not its pixels)."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pytest
import pyvips

from junmai_gui.develop.engine import OutputOptions, PreviewCache, develop_photo, render_preview
from junmai_gui.develop.pipeline import apply_preset
from junmai_gui.develop.preset import Preset

FILM = Preset(
    "film",
    settings={
        "Contrast2012": 20,
        "Clarity2012": 25,
        "Texture": 30,
        "Dehaze": 15,
        "Sharpness": 150,
        "SharpenDetail": 100,
        "LuminanceSmoothing": 40,
        "PostCropVignetteAmount": -30,
    },
)


def write_photo(path: Path, width: int = 2400, height: int = 1600, seed: int = 0) -> Path:
    """Soft shapes, fine texture and sensor-like noise."""
    rng = np.random.default_rng(seed)
    small = rng.uniform(40, 215, (height // 100, width // 100, 3))
    base = pyvips.Image.new_from_array(small).resize(100, kernel="linear").numpy()
    base = base[:height, :width]
    base = base + rng.normal(0, 4, (height, width, 1))
    pixels = np.clip(np.rint(base), 0, 255).astype(np.uint8)
    pyvips.Image.new_from_array(pixels).copy(interpretation="srgb").jpegsave(str(path), Q=95)
    return path


def mean_difference(a: npt.NDArray[np.uint8], b: npt.NDArray[np.uint8]) -> float:
    return float(np.abs(a.astype(np.float64) - b.astype(np.float64)).mean())


def acutance(pixels: npt.NDArray[np.uint8]) -> float:
    """Mean squared difference of neighbouring pixels: how sharp the picture looks."""
    green = pixels[..., 1].astype(np.float64)
    return float(np.mean(np.diff(green, axis=0) ** 2) + np.mean(np.diff(green, axis=1) ** 2))


def test_the_preview_decodes_a_photo_once_until_it_changes(tmp_path: Path) -> None:
    source = write_photo(tmp_path / "a.jpg", 800, 600)
    cache = PreviewCache()
    first = render_preview(source, FILM, 100, max_edge=300, cache=cache)
    again = render_preview(source, FILM, 40, max_edge=300, cache=cache)
    assert cache.decodes == 1  # the blend slider moved: no new decode
    assert np.array_equal(first[0], again[0]) and not np.array_equal(first[1], again[1])
    write_photo(source, 800, 600, seed=1)  # the file is replaced: other size or mtime
    stamp = source.stat()
    os.utime(source, ns=(stamp.st_atime_ns, stamp.st_mtime_ns + 10**9))
    replaced = render_preview(source, FILM, 40, max_edge=300, cache=cache)
    assert cache.decodes == 2
    assert not np.array_equal(replaced[0], first[0])
    other = write_photo(tmp_path / "b.jpg", 800, 600)
    render_preview(other, FILM, 40, max_edge=300, cache=cache)
    render_preview(source, FILM, 40, max_edge=300, cache=cache)
    assert cache.decodes == 4  # one entry only: going back decodes again


def test_a_missing_photo_is_not_served_from_the_cache(tmp_path: Path) -> None:
    from junmai_gui.develop.errors import PhotoError

    source = write_photo(tmp_path / "a.jpg", 400, 300)
    cache = PreviewCache()
    render_preview(source, FILM, 100, max_edge=200, cache=cache)
    source.unlink()
    with pytest.raises(PhotoError, match=r"a\.jpg"):
        render_preview(source, FILM, 100, max_edge=200, cache=cache)


def test_the_preview_looks_like_the_full_size_output_reduced(tmp_path: Path) -> None:
    source = write_photo(tmp_path / "photo.jpg")
    edge = 600

    def reduced_output(preset: Preset) -> npt.NDArray[np.uint8]:
        out = develop_photo(source, tmp_path / f"{preset.name}.png", preset, 100,
                            OutputOptions(format="png"))  # fmt: skip
        image = pyvips.Image.thumbnail(str(out), edge)
        return np.asarray(image.numpy(), dtype=np.uint8)

    def preview_of(preset: Preset) -> npt.NDArray[np.uint8]:
        return render_preview(source, preset, 100, max_edge=edge, cache=PreviewCache())[1]

    identity = Preset("identity")
    baseline = mean_difference(preview_of(identity), reduced_output(identity))  # resampling
    film_output = reduced_output(FILM)
    preview = preview_of(FILM)
    assert mean_difference(preview, film_output) < baseline + 1.0
    # Developed as if the preview were the photo, sharpening and noise reduction would act
    # on detail the reduced output no longer has: its sharpness would not look alike.
    before = preview_of(identity)
    image = pyvips.Image.new_from_array(before).copy(interpretation="srgb")
    unscaled = np.asarray(apply_preset(image, FILM, 100).numpy(), dtype=np.uint8)
    target = acutance(film_output)
    assert abs(acutance(preview) - target) < 0.25 * abs(acutance(unscaled) - target)


def test_the_previews_grain_is_as_strong_as_the_reduced_outputs(tmp_path: Path) -> None:
    """Grain is random, so not pixels but its strength is compared: the standard deviation
    it adds, in the preview and in the full-size output reduced to the preview's size."""
    source = write_photo(tmp_path / "photo.jpg", 3000, 2000)
    grainy = Preset("grainy", {"GrainAmount": 60, "GrainSize": 30, "GrainFrequency": 60})
    plain, edge = Preset("plain"), 500

    def reduced(preset: Preset) -> npt.NDArray[np.float64]:
        out = develop_photo(source, tmp_path / f"{preset.name}.png", preset, 100,
                            OutputOptions(format="png"))  # fmt: skip
        return np.asarray(pyvips.Image.thumbnail(str(out), edge).numpy(), dtype=np.float64)

    def preview(preset: Preset) -> npt.NDArray[np.float64]:
        after = render_preview(source, preset, 100, max_edge=edge, cache=PreviewCache())[1]
        return after.astype(np.float64)

    in_output = float(np.std(reduced(grainy) - reduced(plain)))
    in_preview = float(np.std(preview(grainy) - preview(plain)))
    assert in_output > 0.3
    assert 0.6 < in_preview / in_output < 1.6
