"""The pipeline's measured accuracy: identity, exposure, LUTs against colour-science, blend,
16-bit precision. Real pyvips images, small and generated."""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np
import numpy.typing as npt
import pytest
import pyvips

from junmai_gui.develop import pipeline
from junmai_gui.develop.pipeline import apply_preset, table
from junmai_gui.develop.pipeline.tone import linear_to_srgb, srgb_to_linear
from junmai_gui.develop.preset import Lut3D, Preset

WHITE_LAYER_LIKE: dict[str, Any] = {
    "Exposure2012": 0.45,
    "Contrast2012": -25,
    "Highlights2012": -30,
    "Shadows2012": 35,
    "Whites2012": 20,
    "Blacks2012": 15,
    "IncrementalTemperature": 8,
    "Vibrance": 10,
    "Saturation": -5,
    "HueAdjustmentBlue": -20,
    "ColorGradeShadowHue": 220,
    "ColorGradeShadowSat": 20,
    "ToneCurvePV2012": ((0, 10), (64, 74), (128, 138), (192, 200), (255, 255)),
}


@pytest.fixture(params=["interpolated", "table"])
def pixel_path(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Run a test through both 8-bit paths: per-pixel interpolation, and the 256³ table."""
    if request.param == "table":
        monkeypatch.setattr(pipeline, "TABLE_MIN_PIXELS", 0)
    return str(request.param)


def to_vips(pixels: npt.NDArray[Any]) -> pyvips.Image:
    image = pyvips.Image.new_from_array(np.ascontiguousarray(pixels))
    return image.copy(interpretation="rgb16" if pixels.dtype == np.uint16 else "srgb")


def develop(pixels: npt.NDArray[Any], preset: Preset, blend: float = 100) -> npt.NDArray[Any]:
    out = apply_preset(to_vips(pixels), preset, blend)
    result: npt.NDArray[Any] = out.numpy()
    return result


def photo_like(seed: int = 1, shape: tuple[int, int] = (48, 64)) -> npt.NDArray[np.uint8]:
    """Gradients, a few flat shapes and mild noise: a small stand-in for a photograph."""
    rng = np.random.default_rng(seed)
    h, w = shape
    y, x = np.mgrid[0:h, 0:w]
    img = np.stack([x / w * 255, y / h * 255, (x + y) / (w + h) * 255], axis=-1)
    img[h // 4 : h // 2, w // 4 : w // 2] = (200, 40, 30)
    img[h // 2 :, 3 * w // 4 :] = (30, 60, 190)
    img += rng.normal(0, 4, img.shape)
    return np.clip(np.rint(img), 0, 255).astype(np.uint8)


def random_colours(count: int, seed: int, dtype: type = np.uint8) -> npt.NDArray[Any]:
    top = 255 if dtype == np.uint8 else 65535
    rng = np.random.default_rng(seed)
    return rng.integers(0, top + 1, size=(1, count, 3)).astype(dtype)


def psnr(a: npt.NDArray[Any], b: npt.NDArray[Any]) -> float:
    mse = float(np.mean((a.astype(np.float64) - b.astype(np.float64)) ** 2))
    return float("inf") if mse == 0 else 10 * np.log10(255.0**2 / mse)


def identity_lut(size: int) -> Lut3D:
    axis = np.linspace(0.0, 1.0, size, dtype=np.float32)
    table = np.stack(np.meshgrid(axis, axis, axis, indexing="ij"), axis=-1)
    return Lut3D(np.ascontiguousarray(table))


def test_identity_preset_reproduces_the_input() -> None:
    pixels = photo_like()
    assert psnr(develop(pixels, Preset("Identity")), pixels) >= 50


def test_blend_zero_reproduces_the_input() -> None:
    pixels = photo_like()
    out = develop(pixels, Preset("look", settings=WHITE_LAYER_LIKE), blend=0)
    assert psnr(out, pixels) >= 50
    assert psnr(develop(pixels, Preset("look", settings=WHITE_LAYER_LIKE)), pixels) < 40


def test_exposure_plus_one_doubles_linear_light_16bit() -> None:
    # Encoded 0.25..0.65 keeps 2× linear light below white.
    values = np.linspace(0.25 * 65535, 0.65 * 65535, 600).astype(np.uint16)
    pixels = np.stack([values, values[::-1], values], axis=-1)[None]
    out = develop(pixels, Preset("ev", settings={"Exposure2012": 1.0}))
    ratio = srgb_to_linear(out / 65535.0) / srgb_to_linear(pixels / 65535.0)
    assert np.max(np.abs(ratio - 2.0)) < 0.02  # within 1 %


def test_exposure_plus_one_doubles_linear_light_8bit_on_average() -> None:
    pixels = random_colours(4000, seed=3)
    pixels = (60 + pixels.astype(np.uint16) * 100 // 255).astype(np.uint8)  # 60..160
    out = develop(pixels, Preset("ev", settings={"Exposure2012": 1.0}))
    linear_in = srgb_to_linear(pixels / 255.0)
    linear_out = srgb_to_linear(out / 255.0)
    assert abs(np.mean(linear_out) / np.mean(linear_in) - 2.0) < 0.02
    assert np.max(np.abs(linear_out / linear_in - 2.0)) < 0.04  # 8-bit rounding


@pytest.mark.parametrize("dtype", [np.uint8, np.uint16])
def test_identity_cube_is_the_identity(dtype: type) -> None:
    pixels = random_colours(5000, seed=5, dtype=dtype)
    out = develop(pixels, Preset("cube", lut=identity_lut(33)))
    top = 255.0 if dtype == np.uint8 else 65535.0
    assert np.max(np.abs(out.astype(np.float64) - pixels)) / top <= 0.5 / 255


def colour_science_trilinear(lut: Lut3D, rgb: npt.NDArray[np.float64]) -> npt.NDArray[Any]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import colour
    domain = np.array([lut.domain_min, lut.domain_max])
    reference = colour.LUT3D(np.asarray(lut.table, dtype=np.float64), domain=domain)
    result: npt.NDArray[Any] = reference.apply(
        rgb, interpolator=colour.algebra.table_interpolation_trilinear
    )
    return result


@pytest.mark.parametrize(
    ("size", "domain_min", "domain_max"),
    [(33, (0.0, 0.0, 0.0), (1.0, 1.0, 1.0)), (17, (-0.1, 0.0, 0.05), (1.2, 1.0, 0.9))],
)
def test_lut_agrees_with_colour_science_trilinear(
    size: int, domain_min: tuple[float, ...], domain_max: tuple[float, ...], pixel_path: str
) -> None:
    rng = np.random.default_rng(size)
    lut = Lut3D(rng.random((size, size, size, 3), dtype=np.float32), domain_min, domain_max)
    pixels = random_colours(6000, seed=7)
    out = develop(pixels, Preset("random", lut=lut))
    expected = colour_science_trilinear(lut, pixels[0] / 255.0) * 255.0
    assert np.max(np.abs(out[0] - np.clip(expected, 0, 255))) <= 1.0


def test_lut_agrees_with_colour_science_on_16bit() -> None:
    rng = np.random.default_rng(11)
    lut = Lut3D(rng.random((17, 17, 17, 3), dtype=np.float32))
    pixels = random_colours(3000, seed=13, dtype=np.uint16)
    out = develop(pixels, Preset("random", lut=lut))
    expected = colour_science_trilinear(lut, pixels[0] / 65535.0) * 65535.0
    assert np.max(np.abs(out[0] - expected)) <= 65535.0 / 255 / 16


def test_shaper_is_applied_before_the_table() -> None:
    # A shaper that squares each channel, then an identity table: the output is x².
    shaper = np.repeat((np.linspace(0, 1, 1024) ** 2)[:, None], 3, axis=1).astype(np.float32)
    lut = Lut3D(identity_lut(33).table, shaper=shaper)
    pixels = random_colours(2000, seed=17)
    out = develop(pixels, Preset("shaped", lut=lut))
    assert np.max(np.abs(out - (pixels / 255.0) ** 2 * 255.0)) <= 1.0


@pytest.mark.parametrize(
    "settings",
    [WHITE_LAYER_LIKE, {**WHITE_LAYER_LIKE, "PostCropVignetteAmount": -50, "Clarity2012": 40}],
    ids=["pointwise", "with-spatial-steps"],
)
def test_blend_sixty_lies_sixty_percent_of_the_way(
    settings: dict[str, Any], pixel_path: str
) -> None:
    pixels = photo_like(seed=2)
    preset = Preset("look", settings=settings)
    full = develop(pixels, preset, 100).astype(np.float64)
    blended = develop(pixels, preset, 60).astype(np.float64)
    expected = pixels + 0.6 * (full - pixels)
    assert np.max(np.abs(blended - expected)) <= 1.0
    assert np.max(np.abs(full - pixels)) > 20  # the look really moves the photo


def test_table_and_interpolation_give_the_same_pixels(monkeypatch: pytest.MonkeyPatch) -> None:
    rng = np.random.default_rng(19)
    lut = Lut3D(rng.random((9, 9, 9, 3), dtype=np.float32))
    preset = Preset("look", settings=WHITE_LAYER_LIKE, lut=lut)
    pixels = random_colours(3000, seed=23)
    interpolated = develop(pixels, preset, 70)
    monkeypatch.setattr(pipeline, "TABLE_MIN_PIXELS", 0)
    assert np.array_equal(develop(pixels, preset, 70), interpolated)


@pytest.mark.parametrize("dtype", [np.uint8, np.uint16])
def test_compiled_loop_and_numpy_interpolation_give_the_same_pixels(dtype: type) -> None:
    from junmai_gui.develop.pipeline import kernels
    from junmai_gui.develop.pipeline.spatial import empty_plan

    rng = np.random.default_rng(29)
    preset = Preset("look", settings=WHITE_LAYER_LIKE, lut=Lut3D(rng.random((5, 5, 5, 3), "f")))
    lattice = table.lattice_for(preset, is_raw=False)
    pixels = random_colours(4000, seed=31, dtype=dtype)
    top = 255 if dtype == np.uint8 else 65535
    by_numpy = pixels.copy()
    table.interpolate_pixels(by_numpy.reshape(-1, 3), lattice, 0.7)
    compiled = pixels.copy()
    plan = empty_plan()
    kernels.develop_rows(
        compiled.reshape(1, -1), float(top), lattice.values, *lattice.cells(top + 1),
        np.zeros(0, np.uint32), 0.7, plan.planes, plan.slots, plan.factor, plan.numbers,
        plan.filters, plan.radii, plan.tables, plan.column_term, plan.row_term, plan.seed,
    )  # fmt: skip
    assert np.array_equal(compiled, by_numpy)
    assert not np.array_equal(compiled, pixels)


@pytest.mark.parametrize("chunk", [1, 7, 1 << 18])
def test_table_gather_is_exact_across_chunk_boundaries(
    chunk: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(table, "_GATHER_CHUNK", chunk)
    rng = np.random.default_rng(chunk)
    entries = np.zeros((256**3, 4), np.uint8)
    entries[:, :3] = rng.integers(0, 256, size=(256**3, 3), dtype=np.uint8)
    pixels = rng.integers(0, 256, size=(333, 3), dtype=np.uint8)
    wide = pixels.astype(np.int64)
    index = wide[:, 0] | wide[:, 1] << 8 | wide[:, 2] << 16
    buffer = bytearray(pixels.tobytes())
    table.apply_table8(buffer, entries)
    assert np.array_equal(np.frombuffer(buffer, np.uint8).reshape(-1, 3), entries[index, :3])


def test_16bit_keeps_16bit_precision() -> None:
    ramp = np.linspace(0, 65535, 4096).astype(np.uint16)
    pixels = np.stack([ramp, ramp, ramp], axis=-1)[None]
    through_table = develop(pixels, Preset("cube", lut=identity_lut(33)))
    assert np.max(np.abs(through_table.astype(np.int64) - pixels)) <= 4
    assert len(np.unique(through_table[..., 1])) > 4000
    looked = develop(pixels, Preset("look", settings=WHITE_LAYER_LIKE))
    assert looked.dtype == np.uint16
    assert len(np.unique(looked[..., 1])) > 2000  # far more than 8-bit's 256 levels
    assert np.all(np.diff(looked[0, :, 1].astype(np.int64)) >= 0)  # a ramp stays a ramp


def test_8bit_and_16bit_agree() -> None:
    pixels = photo_like(seed=4)
    preset = Preset("look", settings=WHITE_LAYER_LIKE)
    out8 = develop(pixels, preset).astype(np.float64)
    out16 = develop(pixels.astype(np.uint16) * 257, preset) / 257.0
    assert np.max(np.abs(out8 - out16)) <= 1.0


def test_srgb_transfer_round_trips() -> None:
    v = np.linspace(0, 1, 1001)
    assert np.max(np.abs(linear_to_srgb(srgb_to_linear(v)) - v)) < 1e-9


def test_spatial_steps_agree_between_the_8_bit_table_loop_and_the_lattice_loop(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The 8-bit loop with the table (fastmath) against the exact lattice loop: within 1/255."""
    settings = {**WHITE_LAYER_LIKE, "Clarity2012": 40, "PostCropVignetteAmount": -30}
    preset = Preset("spatial", settings=settings)
    pixels = photo_like(seed=3, shape=(96, 128))
    by_lattice = develop(pixels, preset, 70).astype(int)
    monkeypatch.setattr(pipeline, "TABLE_MIN_PIXELS", 0)  # the table path for this small photo
    by_table = develop(pixels, preset, 70).astype(int)
    assert np.abs(by_table - by_lattice).max() <= 1
    assert np.abs(by_table - pixels.astype(int)).mean() > 2  # it did develop
