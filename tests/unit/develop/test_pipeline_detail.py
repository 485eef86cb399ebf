"""The spatial steps before the pointwise develop, measured on generated images: noise
reduction, sharpening, texture, clarity and dehaze (`pipeline.detail`, `pipeline.kernels`)."""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt
import pytest
import pyvips

from junmai_gui.develop.pipeline import apply_preset
from junmai_gui.develop.pipeline.color import split
from junmai_gui.develop.preset import Preset

Pixels = npt.NDArray[np.float64]


def develop(pixels: npt.NDArray[Any], settings: dict[str, Any], blend: float = 100) -> Pixels:
    image = pyvips.Image.new_from_array(np.ascontiguousarray(pixels))
    image = image.copy(interpretation="rgb16" if pixels.dtype == np.uint16 else "srgb")
    out: Pixels = apply_preset(image, Preset("test", settings=settings), blend).numpy()
    return out.astype(np.float64)


def grey(value: float, shape: tuple[int, int] = (240, 360)) -> npt.NDArray[np.float64]:
    return np.full((*shape, 3), value, np.float64)


def noisy(base: npt.NDArray[np.float64], sigma: float, seed: int = 0) -> npt.NDArray[np.uint8]:
    """`base` plus grey noise of `sigma` levels (the same in R, G and B)."""
    rng = np.random.default_rng(seed)
    noise = rng.normal(0.0, sigma, base.shape[:2])[..., None]
    return np.clip(np.rint(base + noise), 0, 255).astype(np.uint8)


def step_edge(low: float = 70, high: float = 180, shape: tuple[int, int] = (120, 240)) -> Pixels:
    """A vertical edge in the middle, softened over a few pixels as a lens would."""
    x = np.arange(shape[1]) - shape[1] / 2
    ramp = low + (high - low) / (1 + np.exp(-x / 0.8))
    return np.repeat(np.repeat(ramp[None, :, None], shape[0], 0), 3, 2)


def acutance(pixels: Pixels) -> float:
    """Mean squared difference of neighbouring pixels across the edge (the middle rows)."""
    middle = pixels[20:-20, :, 1]
    return float(np.mean(np.diff(middle, axis=1) ** 2))


def edge_contrast(pixels: Pixels) -> float:
    """The step's height, from plateaus 20 pixels either side of the edge."""
    centre = pixels.shape[1] // 2
    right = pixels[:, centre + 20 : centre + 40]
    left = pixels[:, centre - 40 : centre - 20]
    return float(np.mean(right) - np.mean(left))


@pytest.mark.parametrize(
    "settings",
    [
        {"Sharpness": 0, "SharpenRadius": 2.5, "SharpenDetail": 80, "SharpenEdgeMasking": 40},
        {"LuminanceSmoothing": 0, "LuminanceNoiseReductionDetail": 10},
        {"ColorNoiseReduction": 0, "ColorNoiseReductionSmoothness": 90},
        {"Texture": 0, "Dehaze": 0, "Clarity2012": 0},
        {"GrainAmount": 0, "GrainSize": 80, "GrainFrequency": 90},
        {"PostCropVignetteAmount": 0, "PostCropVignetteStyle": 2},
    ],
    ids=["sharpening", "luminance-nr", "colour-nr", "local-contrast", "grain", "vignette"],
)
def test_amount_zero_is_the_identity_bit_for_bit(settings: dict[str, Any]) -> None:
    pixels = noisy(step_edge(), 6)
    assert np.array_equal(develop(pixels, settings), pixels)
    # …and next to a step that does work, it changes nothing either.
    with_clarity = develop(pixels, {"Clarity2012": 40})
    assert np.array_equal(develop(pixels, {**settings, "Clarity2012": 40}), with_clarity)


def test_sharpening_raises_the_acutance_of_a_step_edge() -> None:
    pixels = np.rint(step_edge()).astype(np.uint8)
    before = acutance(pixels.astype(np.float64))
    gentle = acutance(develop(pixels, {"Sharpness": 40}))
    strong = acutance(develop(pixels, {"Sharpness": 150, "SharpenDetail": 80}))
    assert before < gentle < strong
    assert strong > 1.3 * before


def test_edge_masking_leaves_a_flat_noisy_patch_alone_and_still_sharpens_the_edge() -> None:
    base = step_edge(shape=(160, 320))
    base[:, :100] = 128.0  # a flat, noisy patch on the left
    pixels = noisy(base, 5)
    patch = (slice(10, 150), slice(10, 90))
    plain = develop(pixels, {"Sharpness": 120})
    masked = develop(pixels, {"Sharpness": 120, "SharpenEdgeMasking": 100})
    noise_before = float(np.std(pixels[patch].astype(np.float64)))
    assert float(np.std(plain[patch])) > noise_before + 1  # unmasked: the noise is sharpened
    assert abs(float(np.std(masked[patch])) - noise_before) < 0.3  # masked: left alone
    edge = (slice(10, 150), slice(140, 180))
    assert acutance(masked[:, 140:180]) > acutance(pixels[:, 140:180].astype(np.float64))
    assert np.abs(masked[edge] - pixels[edge]).max() > 2


def test_noise_reduction_halves_flat_noise_and_keeps_edges() -> None:
    flat = noisy(grey(128), 5)
    smoothed = develop(flat, {"LuminanceSmoothing": 70})
    inner = (slice(8, -8), slice(8, -8))
    assert np.std(smoothed[inner]) <= 0.5 * np.std(flat[inner].astype(np.float64))
    edge = noisy(step_edge(), 5, seed=1)
    kept = develop(edge, {"LuminanceSmoothing": 70})
    assert edge_contrast(kept) >= 0.9 * edge_contrast(edge.astype(np.float64))


def test_colour_noise_reduction_removes_colour_blotches_and_keeps_a_colour_edge() -> None:
    rng = np.random.default_rng(2)
    base = grey(128, (240, 360))
    base[:, 180:] = (200, 60, 50)  # a red half: a real colour edge
    blotches = rng.normal(0, 10, (30, 45, 2))
    blotches = np.kron(blotches, np.ones((8, 8, 1)))  # colour noise in 8-pixel blotches
    pixels = base.copy()
    pixels[..., 0] += blotches[..., 0]
    pixels[..., 2] += blotches[..., 1]
    pixels = np.clip(np.rint(pixels), 0, 255).astype(np.uint8)
    out = develop(pixels, {"ColorNoiseReduction": 60})
    flat = (slice(10, -10), slice(10, 150))
    chroma = lambda p: np.std(p[flat][..., 0] - p[flat][..., 2])  # noqa: E731
    assert chroma(out) < 0.6 * chroma(pixels.astype(np.float64))
    red_side = np.mean(out[10:-10, 200:340], axis=(0, 1))
    assert red_side[0] - red_side[2] > 0.9 * (200 - 50 - 5)


def textured(shape: tuple[int, int], seed: int = 3) -> npt.NDArray[np.uint8]:
    """Medium-sized detail (blobs of a few pixels) on a midtone."""
    rng = np.random.default_rng(seed)
    detail = pyvips.Image.new_from_array(rng.normal(0, 1, shape)).gaussblur(2.5).numpy()
    values = 128 + 30 * detail / np.std(detail)
    return np.clip(np.rint(np.repeat(values[..., None], 3, 2)), 0, 255).astype(np.uint8)


def band(pixels: Pixels, fine: float, coarse: float) -> float:
    """The strength of detail between two scales: the difference of two blurs of green."""
    light = pyvips.Image.new_from_array(np.ascontiguousarray(pixels[..., 1]))
    difference = light.gaussblur(fine).numpy() - light.gaussblur(coarse).numpy()
    return float(np.std(difference[20:-20, 20:-20]))


def test_texture_raises_and_lowers_medium_sized_detail() -> None:
    # Texture acts between 0.04 % and 0.16 % of the long edge: 1.2 and 4.8 pixels here.
    pixels = textured((1000, 3000))
    before = band(pixels.astype(np.float64), 1.2, 4.8)
    more = develop(pixels, {"Texture": 100})
    less = develop(pixels, {"Texture": -100})
    assert band(more, 1.2, 4.8) > 1.15 * before
    assert band(less, 1.2, 4.8) < 0.85 * before


def hazy_scene() -> npt.NDArray[np.uint8]:
    """Coloured, textured ground under a uniform grey haze (t = 0.45, A = 0.85)."""
    rng = np.random.default_rng(4)
    height, width = 240, 360
    colours = rng.uniform(0.1, 0.7, (6, 9, 3))
    scene = np.kron(colours, np.ones((40, 40, 1)))[:height, :width]
    scene += rng.normal(0, 0.04, (height, width, 1))
    hazy = scene * 0.45 + 0.85 * (1 - 0.45)
    return np.clip(np.rint(hazy * 255), 0, 255).astype(np.uint8)


def local_contrast(pixels: Pixels) -> float:
    light = pixels @ np.array([0.2126, 0.7152, 0.0722])
    image = pyvips.Image.new_from_array(np.ascontiguousarray(light))
    return float(np.std(light - image.gaussblur(8.0).numpy()))


def saturation(pixels: Pixels) -> float:
    _, a, b = split(pixels.reshape(-1, 3) / 255.0)
    return float(np.mean(np.hypot(a, b)))


def test_dehaze_raises_contrast_and_saturation_of_a_hazy_photo_and_negative_lowers_them() -> None:
    pixels = hazy_scene()
    original = pixels.astype(np.float64)
    clearer = develop(pixels, {"Dehaze": 60})
    hazier = develop(pixels, {"Dehaze": -60})
    assert local_contrast(clearer) > 1.3 * local_contrast(original)
    assert saturation(clearer) > 1.3 * saturation(original)
    assert local_contrast(hazier) < 0.8 * local_contrast(original)
    assert saturation(hazier) < 0.8 * saturation(original)


def test_clarity_and_dehaze_work_on_16_bit_photos_like_on_8_bit_ones() -> None:
    pixels = hazy_scene()
    settings = {"Dehaze": 40, "Clarity2012": 30, "Texture": 20, "Sharpness": 60}
    out8 = develop(pixels, settings)
    out16 = develop(pixels.astype(np.uint16) * 257, settings) / 257.0
    assert np.abs(out8 - out16).mean() < 0.6
    assert np.abs(out8 - out16).max() <= 3


@pytest.mark.parametrize("shape", [(1, 1), (1, 300), (3, 2000), (2000, 3), (7, 5)])
def test_every_step_copes_with_tiny_and_thin_images(shape: tuple[int, int]) -> None:
    settings = {
        "Dehaze": 50, "Clarity2012": 40, "Texture": 40, "Sharpness": 100,
        "LuminanceSmoothing": 50, "ColorNoiseReduction": 50, "SharpenEdgeMasking": 30,
        "GrainAmount": 50, "PostCropVignetteAmount": -40,
    }  # fmt: skip
    rng = np.random.default_rng(6)
    pixels = rng.integers(0, 256, (*shape, 3)).astype(np.uint8)
    out = develop(pixels, settings)
    assert out.shape == pixels.shape
    assert np.all((out >= 0) & (out <= 255))
