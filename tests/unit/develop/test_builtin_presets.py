"""The presets shipped with the app: distinct looks, all in keys the pipeline renders."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pytest
import pyvips

from junmai_gui.develop.engine import render_preview
from junmai_gui.develop.library import load_builtin_presets
from junmai_gui.develop.preset import Preset
from junmai_gui.develop.settings_keys import RENDERED_KEYS


@pytest.fixture(scope="module")
def builtins() -> dict[str, Preset]:
    return {p.name: p for p in load_builtin_presets()}


def test_at_least_six_uniquely_named_looks(builtins: dict[str, Preset]) -> None:
    presets = load_builtin_presets()
    assert len(presets) >= 6
    assert len({p.name for p in presets}) == len(presets)
    assert {"WhiteLayer_v4", "Identity"} <= set(builtins)


def test_every_json_file_in_the_package_is_a_builtin(builtins: dict[str, Preset]) -> None:
    folder = resources.files("junmai_gui.resources").joinpath("presets")
    files = [e.name for e in folder.iterdir() if e.name.endswith(".json")]
    assert len(files) == len(builtins)


def test_identity_changes_nothing(builtins: dict[str, Preset]) -> None:
    identity = builtins["Identity"]
    assert identity.settings == {}
    assert identity.lut is None


def test_whitelayer_is_brighter_softer_and_warmer(builtins: dict[str, Preset]) -> None:
    preset = builtins["WhiteLayer_v4"]
    s = preset.settings
    assert preset.default_blend == 60
    assert s["Exposure2012"] > 0
    assert s["Shadows2012"] > 0
    assert s["Blacks2012"] > 0
    assert s["Contrast2012"] < 0
    assert s["Highlights2012"] < 0
    assert s["IncrementalTemperature"] > 0
    curve = s["ToneCurvePV2012"]
    assert curve[0][1] > 0  # blacks lifted
    assert all(y > x for x, y in curve if x <= 128)  # shadows and midtones lifted


@pytest.mark.parametrize("name", [p.name for p in load_builtin_presets()])
def test_each_builtin_is_clean_and_described(builtins: dict[str, Preset], name: str) -> None:
    preset = builtins[name]
    assert preset.source == "builtin"
    assert preset.description
    assert set(preset.settings) <= set(RENDERED_KEYS)
    assert preset.unsupported_keys == ()
    assert preset.warnings == ()
    assert 0 < preset.default_blend <= 100


def test_the_looks_are_distinct(builtins: dict[str, Preset]) -> None:
    recipes = [tuple(sorted(p.settings.items())) for p in builtins.values()]
    assert len(set(recipes)) == len(recipes)
    assert any(p.settings.get("ConvertToGrayscale") is True for p in builtins.values())


@pytest.fixture(scope="module")
def photo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small photo-like image: colour gradients with noise above a full grey ramp."""
    rng = np.random.default_rng(1)
    y, x = np.mgrid[0:64, 0:96]
    colour = np.stack([x / 95 * 200 + 20, y / 63 * 180 + 30, (x + y) / 158 * 160 + 40], -1)
    colour = colour + rng.normal(0, 10, colour.shape)
    ramp = np.repeat(np.linspace(0, 255, 96)[None, :, None], 16, 0).repeat(3, 2)
    pixels = np.clip(np.concatenate([colour, ramp]), 0, 255).astype(np.uint8)
    path = tmp_path_factory.mktemp("photo") / "photo.png"
    pyvips.Image.new_from_array(pixels).copy(interpretation="srgb").write_to_file(str(path))
    return path


def look(rgb: npt.NDArray[np.uint8]) -> dict[str, float]:
    """Brightness (median luma), contrast (5–95 % luma spread), warmth (mean R − B), chroma."""
    a = rgb.astype(np.float64)
    luma = a @ np.array([0.2126, 0.7152, 0.0722])
    p5, p50, p95 = np.percentile(luma, [5, 50, 95])
    return {
        "brightness": float(p50),
        "contrast": float(p95 - p5),
        "warmth": float((a[..., 0] - a[..., 2]).mean()),
        "chroma": float((a.max(-1) - a.min(-1)).max()),
    }


def test_whitelayer_renders_bright_airy_soft_and_warm(
    builtins: dict[str, Preset], photo: Path
) -> None:
    preset = builtins["WhiteLayer_v4"]
    before, after = (look(a) for a in render_preview(photo, preset, preset.default_blend))
    assert after["brightness"] > before["brightness"] + 10
    assert after["contrast"] < before["contrast"] - 3
    assert after["warmth"] > before["warmth"] + 3


def test_each_look_is_visibly_what_its_name_says(builtins: dict[str, Preset], photo: Path) -> None:
    rendered = {}
    for name, preset in builtins.items():
        before, after = render_preview(photo, preset, preset.default_blend)
        rendered[name] = look(after)
        changed = np.abs(after.astype(int) - before.astype(int)).mean()
        assert (changed == 0) if name == "Identity" else (changed > 2), name
    source = look(render_preview(photo, builtins["Identity"], 100)[0])
    assert rendered["Monochrome Classic"]["chroma"] <= 1
    assert rendered["Cool Matte"]["warmth"] < source["warmth"] - 3
    assert rendered["Cool Matte"]["contrast"] < source["contrast"] - 20
    assert rendered["Warm Film"]["warmth"] > source["warmth"] + 5
    assert rendered["High Contrast Punch"]["contrast"] > source["contrast"] + 20
