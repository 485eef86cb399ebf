"""The presets shipped with the app: distinct looks, all in keys the pipeline renders."""

from __future__ import annotations

from importlib import resources

import pytest

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
    assert all(y >= x for x, y in curve)  # never darker anywhere


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
