"""The spatial steps before the pointwise develop, prepared on a low-resolution grid.

Each photo is shrunk once, by box averaging, to the *grid*: `factor` = ⌈long edge / 1600⌉
times smaller (a 24-MP photo gives 1500×1000; a preview is its own grid). Everything smooth
is computed there, with numpy and libvips, and handed to `kernels.develop_rows` as planes
that it enlarges bilinearly row by row; only sharpening and luminance noise reduction need
full-resolution neighbourhoods, which the kernel filters in a ring of rows (`rows`).

Sizes: Clarity, Texture and Dehaze are defined as fractions of the photo's long edge, so a
preview and the full-size output look alike. Sharpening and noise reduction work on
detail the size of the photo's own pixels (Lightroom gives the sharpening radius in pixels):
they are scaled by `scale` = this image's long edge / the photo's full-size long edge, so in
a preview they shrink with the pixels they act on, as when the output is viewed reduced.

With x the input pixel (sRGB-encoded, 0..1) and L its Rec.709 lightness:

1. Luminance noise reduction (LuminanceSmoothing s, Detail d, Contrast c), a local Wiener
   (Lee) filter: with μ, σ² the mean and variance of L in a (2r+1)² box (r = 1 + 2s/100
   full-size pixels) and the noise threshold h = 0.04·s/100·(1.5 − d/100)·scale,
   k = max(σ² − h², 0)/σ², k' = k + c/200·(1 − k); L_nr = μ + k'·(L − μ). Flat noise
   (σ ≤ h) is replaced by its mean, edges (σ ≫ h) are kept. Every channel moves by L_nr − L.
2. Colour noise reduction (ColorNoiseReduction n, Detail d, Smoothness m): the chroma
   (R − L, B − L) is blurred on the grid with σ = (2 + 0.3n)(0.5 + m/100) full-size pixels;
   each pixel moves its chroma towards it by w = min(1, n/40)·τ²/(τ² + Δ²), Δ its distance
   from the blurred chroma, τ = 0.03 + 0.12(1 − d/100): blotches go, real colour edges stay.
3. Dehaze a ∈ [−1, 1], after the haze model I = J·t + A·(1 − t) (He et al.'s dark channel
   prior): A (the airlight) is the mean colour of the 0.1 % of pixels with the brightest
   dark channel; the dark channel D = min over a 1.5 %-wide window of min_c(I_c/A_c), made
   edge-aware by a guided filter on the lightness (computed at about 320 pixels across).
   For a > 0 the haze is removed, J = k·A + (I − A)/t with t = 1 − a·(0.1 + 0.85·D) (the
   0.1 also clears a photo without visible haze a little, as Lightroom's slider does); for
   a < 0 haze is added, J = k·A + (I − A)·(1 + 0.6·a). k keeps the photo's mean lightness
   (limited to 1..1.5). Contrast and saturation rise where the haze was, and fall for a < 0.
4. Clarity (existing): k·(L − B)·4L(1 − L), k = 0.6·Clarity/100, B = L blurred with
   σ = 1 % of the long edge. Texture t: + t/100·(G₁ − G₂)·4L(1 − L), the band between
   Gaussian blurs of σ = 0.04 % and 0.16 % of the long edge — medium-sized detail, not the
   finest. Both share one plane Q = −k·B + t/100·(G₁ − G₂): the kernel adds
   4L(1 − L)·(k·L + Q).
5. Sharpening (Sharpness 0..150, Radius, Detail, EdgeMasking), an unsharp mask on L:
   + Sharpness/100·m·h·ℓ/(|h| + ℓ), h = L − G_r(L) with G_r a Gaussian of σ = Radius·scale
   pixels (skipped below 0.25 px, where there is no such detail left), ℓ = 0.02 +
   0.3(Detail/100)² limiting halos (a low Detail keeps only small overshoots); m = 1, or with
   EdgeMasking e the edge mask smoothstep(t₀, 2t₀ + 0.005, |∇L|) on the grid (L blurred by
   one grid pixel) with t₀ = 0.002 + 0.03(e/100)², so a flat noisy patch is left alone.
   With noise reduction the sharpening is also scaled by k', so noise is not brought back.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from junmai_gui.develop.pipeline.tone import number

F32 = npt.NDArray[np.float32]
GRID_LONG_EDGE = 1600
_LUMA = np.array([0.2126, 0.7152, 0.0722], np.float32)
CLARITY_STRENGTH = 0.6
CLARITY_SIGMA = 0.01
TEXTURE_SIGMAS = (0.0004, 0.0016)
HAZE_LONG_EDGE = 320
MAX_RADIUS = 16


@dataclass(frozen=True)
class Detail:
    """What the kernel needs for steps 1–5: named planes on the grid, and numbers."""

    factor: int
    planes: dict[str, F32]  # "local" (Q), "haze", "edge", "chroma_r", "chroma_b"
    clarity: float = 0.0  # k
    haze_airlight: tuple[float, float, float] = (0.0, 0.0, 0.0)
    haze_gain: float = 1.0
    sharpen_amount: float = 0.0
    sharpen_limit: float = 1.0
    sharpen_weights: F32 | None = None  # Gaussian, 2K + 1 taps
    denoise_weights: F32 | None = None  # box, 2r + 1 taps
    denoise_threshold: float = 0.0  # h²
    denoise_contrast: float = 0.0  # c/200
    chroma_amount: float = 0.0
    chroma_tolerance: float = 1.0  # τ²


def grid_factor(width: int, height: int) -> int:
    return max(1, math.ceil(max(width, height) / GRID_LONG_EDGE))


def plan_detail(
    settings: Mapping[str, Any], pixels: npt.NDArray[Any], max_value: float, *, scale: float
) -> Detail | None:
    """Steps 1–5 prepared for `pixels` ((H, W, 3) sRGB), or None when the preset has none."""
    clarity = CLARITY_STRENGTH * number(settings, "Clarity2012") / 100.0
    texture = number(settings, "Texture") / 100.0
    dehaze = number(settings, "Dehaze") / 100.0
    sharpness = number(settings, "Sharpness") / 100.0
    sharpen_sigma = number(settings, "SharpenRadius", 1.0) * scale
    smoothing = number(settings, "LuminanceSmoothing") / 100.0
    chroma = number(settings, "ColorNoiseReduction") / 100.0
    if sharpen_sigma < 0.25:
        sharpness = 0.0
    if not (clarity or texture or dehaze or sharpness or smoothing or chroma):
        return None
    from junmai_gui.develop.pipeline import grid  # numba: only for presets with these steps

    height, width = pixels.shape[:2]
    factor = grid_factor(width, height)
    interleaved = pixels.reshape(height, width * 3)
    planes: dict[str, F32] = {}
    found: dict[str, Any] = {"factor": factor, "planes": planes}
    grid_edges = (math.ceil(height / factor), math.ceil(width / factor))
    haze_step = max(1, min(math.ceil(max(grid_edges) / HAZE_LONG_EDGE), min(grid_edges)))
    if chroma:  # the colours at the grid's resolution are needed, not only the lightness
        rgb = grid.block_means(interleaved, factor, max_value)
        lightness = np.ascontiguousarray(rgb @ _LUMA)
        found.update(_chroma(settings, rgb, lightness, chroma, factor / scale, planes))
        hazy = grid.shrink_image(rgb, haze_step)
        del rgb  # 18 MB for a 24-MP photo: not kept while the other planes are made
    else:
        sums = np.empty(width * 3, np.uint16 if max_value <= 255 else np.uint32)
        lightness, hazy = grid.block_lightness(interleaved, factor, max_value, haze_step, sums)
    if dehaze:
        found.update(_dehaze(hazy, haze_step, lightness, dehaze, planes))
        lightness = found.pop("dehazed")
    if clarity or texture:
        long_edge = max(width, height) / factor
        planes["local"] = _local_contrast(lightness, clarity, texture, long_edge)
        found["clarity"] = clarity
    if sharpness:
        found.update(_sharpening(settings, sharpness, sharpen_sigma, lightness, planes))
    if smoothing:
        found.update(_denoising(settings, smoothing, scale))
    return Detail(**found)


def gaussian_weights(sigma: float) -> F32:
    """A normalised Gaussian of 2K + 1 taps, K = min(⌈2σ⌉, 16) ≥ 1 (95 % of its weight)."""
    k = min(max(math.ceil(2.0 * sigma), 1), MAX_RADIUS)
    taps = np.exp(-0.5 * (np.arange(-k, k + 1) / max(sigma, 1e-6)) ** 2)
    weights: F32 = (taps / taps.sum()).astype(np.float32)
    return weights


def blur(plane: F32, sigma: float) -> F32:
    """`plane` blurred by a Gaussian of `sigma` pixels (large ones computed at reduced size)."""
    from junmai_gui.develop.pipeline import grid

    step, small = _blurred_small(plane, sigma)
    if step > 1:
        small = grid.enlarge(small, step, *plane.shape)
    return small


def add_blur(plane: F32, sigma: float, weight: float, out: F32) -> None:
    """out += weight × `plane` blurred by a Gaussian of `sigma` pixels (as `blur`)."""
    from junmai_gui.develop.pipeline import grid

    step, small = _blurred_small(plane, sigma)
    grid.add_enlarged(small, step, weight, out)


def _blurred_small(plane: F32, sigma: float) -> tuple[int, F32]:
    """The blur, at 1/step of the size when σ is large (σ/step ≤ 1.5 pixels is kept)."""
    from junmai_gui.develop.pipeline import grid

    if sigma < 0.3:
        return 1, plane
    step = max(1, min(math.ceil(sigma / 1.5), *plane.shape))
    small = grid.shrink(plane, step) if step > 1 else plane
    blurred: F32 = grid.gaussian(np.ascontiguousarray(small), gaussian_weights(sigma / step))
    return step, blurred


def box_mean(plane: npt.NDArray[Any], radius: int) -> F32:
    """The mean over a (2·radius + 1)² box, the box shrinking at the borders."""
    mean = _box_axis(_box_axis(plane.astype(np.float64), radius, 0), radius, 1)
    return mean.astype(np.float32)


def _box_axis(values: npt.NDArray[np.float64], radius: int, axis: int) -> npt.NDArray[np.float64]:
    size = values.shape[axis]
    sums = np.cumsum(values, axis=axis)
    sums = np.concatenate([np.zeros_like(np.take(sums, [0], axis=axis)), sums], axis=axis)
    upper = np.minimum(np.arange(size) + radius + 1, size)
    lower = np.maximum(np.arange(size) - radius, 0)
    shape = [1, 1]
    shape[axis] = size
    count = (upper - lower).reshape(shape)
    total = np.take(sums, upper, axis) - np.take(sums, lower, axis)
    mean: npt.NDArray[np.float64] = total / count
    return mean


def guided_filter(guide: npt.NDArray[Any], source: F32, radius: int, eps: float) -> F32:
    """He et al.'s guided filter: `source` smoothed, following the edges of `guide`."""
    mean_i, mean_p = box_mean(guide, radius), box_mean(source, radius)
    cov = box_mean(guide * source, radius) - mean_i * mean_p
    var = box_mean(guide * guide, radius) - mean_i * mean_i
    a = cov / (var + np.float32(eps))
    b = mean_p - a * mean_i
    smoothed: F32 = (box_mean(a, radius) * guide + box_mean(b, radius)).astype(np.float32)
    return smoothed


def _local_contrast(lightness: F32, clarity: float, texture: float, long_edge: float) -> F32:
    """Q = −k·B + t·(G₁ − G₂), made with as few full-size temporaries as possible."""
    plane = np.zeros_like(lightness)
    if clarity:
        add_blur(lightness, CLARITY_SIGMA * long_edge, -clarity, plane)
    if texture:
        add_blur(lightness, TEXTURE_SIGMAS[0] * long_edge, texture, plane)
        add_blur(lightness, TEXTURE_SIGMAS[1] * long_edge, -texture, plane)
    return plane


def _dehaze(
    small: F32, step: int, lightness: F32, amount: float, planes: dict[str, F32]
) -> dict[str, Any]:
    """Step 3 from `small`, the grid's colours in step × step blocks (about 320 across)."""
    from junmai_gui.develop.pipeline import grid

    height, width = lightness.shape
    dark_pixel = _channel_min(small)
    top = max(1, dark_pixel.size // 1000)
    brightest = np.argpartition(dark_pixel.reshape(-1), -top)[-top:]
    airlight = np.clip(small.reshape(-1, 3)[brightest].mean(axis=0), 0.5, 1.0).astype(np.float32)
    window = max(1, round(0.0075 * max(small.shape[:2])))
    dark = _window_min(_channel_min(small / airlight), window)
    dark = np.clip(guided_filter(small @ _LUMA, dark, 2 * window, 1e-3), 0.0, 1.0)
    if amount > 0:
        factor = 1.0 / np.maximum(1.0 - amount * (0.1 + 0.85 * dark), 0.1)
    else:
        factor = np.full_like(dark, 1.0 + 0.6 * amount)
    factor = np.ascontiguousarray(factor, dtype=np.float32)
    multiplier: F32 = grid.enlarge(factor, step, height, width)
    air = float(airlight @ _LUMA)
    sample = (slice(None, None, 4), slice(None, None, 4))  # enough for a mean
    light = lightness[sample]
    after = np.mean(np.clip(air + multiplier[sample] * (light - np.float32(air)), 0.0, 1.0))
    gain = min(max(1.0 + float(np.mean(light) - after) / air, 1.0), 1.5)
    planes["haze"] = multiplier
    airlight_rgb = (float(airlight[0]), float(airlight[1]), float(airlight[2]))
    dehazed = lightness - np.float32(air)  # the dehazed lightness, computed in place
    dehazed *= multiplier
    dehazed += np.float32(gain * air)
    np.clip(dehazed, 0.0, 1.0, out=dehazed)
    return {"haze_airlight": airlight_rgb, "haze_gain": gain, "dehazed": dehazed}


def _channel_min(rgb: F32) -> F32:
    return np.minimum(np.minimum(rgb[..., 0], rgb[..., 1]), rgb[..., 2])


def _window_min(plane: F32, radius: int) -> F32:
    """The minimum over a (2·radius + 1)² window (a separable erosion, borders repeated)."""
    for axis in (0, 1):
        size = plane.shape[axis]
        padded = np.pad(plane, [(radius, radius) if a == axis else (0, 0) for a in (0, 1)], "edge")
        out = np.take(padded, range(0, size), axis=axis)
        for shift in range(1, 2 * radius + 1):
            out = np.minimum(out, np.take(padded, range(shift, shift + size), axis=axis))
        plane = out
    return plane


def _sharpening(
    settings: Mapping[str, Any],
    amount: float,
    sigma: float,
    lightness: F32,
    planes: dict[str, F32],
) -> dict[str, Any]:
    detail = number(settings, "SharpenDetail", 25.0) / 100.0
    masking = number(settings, "SharpenEdgeMasking") / 100.0
    if masking > 0:
        smooth = np.pad(blur(lightness, 1.0), 1, mode="edge")
        gx = (smooth[1:-1, 2:] - smooth[1:-1, :-2]) / 2.0  # central differences
        gy = (smooth[2:, 1:-1] - smooth[:-2, 1:-1]) / 2.0
        low = 0.002 + 0.03 * masking**2
        high = 2 * low + 0.005
        t = np.clip((np.hypot(gx, gy) - low) / (high - low), 0.0, 1.0)
        planes["edge"] = (t * t * (3.0 - 2.0 * t)).astype(np.float32)
    return {
        "sharpen_amount": amount,
        "sharpen_limit": 0.02 + 0.3 * detail**2,
        "sharpen_weights": gaussian_weights(sigma),
    }


def _denoising(settings: Mapping[str, Any], amount: float, scale: float) -> dict[str, Any]:
    detail = number(settings, "LuminanceNoiseReductionDetail", 50.0) / 100.0
    contrast = number(settings, "LuminanceNoiseReductionContrast") / 100.0
    radius = max(1, min(round((1.0 + 2.0 * amount) * scale), MAX_RADIUS))
    threshold = 0.04 * amount * (1.5 - detail) * min(scale, 1.0)
    return {
        "denoise_weights": np.full(2 * radius + 1, 1.0 / (2 * radius + 1), np.float32),
        "denoise_threshold": threshold**2,
        "denoise_contrast": contrast / 2.0,
    }


def _chroma(
    settings: Mapping[str, Any],
    rgb: F32,
    lightness: F32,
    amount: float,
    full_pixels_per_grid: float,
    planes: dict[str, F32],
) -> dict[str, Any]:
    detail = number(settings, "ColorNoiseReductionDetail", 50.0) / 100.0
    smoothness = number(settings, "ColorNoiseReductionSmoothness", 50.0) / 100.0
    sigma = (2.0 + 30.0 * amount) * (0.5 + smoothness) / full_pixels_per_grid
    planes["chroma_r"] = blur(np.ascontiguousarray(rgb[..., 0] - lightness), sigma)
    planes["chroma_b"] = blur(np.ascontiguousarray(rgb[..., 2] - lightness), sigma)
    tolerance = 0.03 + 0.12 * (1.0 - detail)
    return {"chroma_amount": min(1.0, amount * 2.5), "chroma_tolerance": tolerance**2}
