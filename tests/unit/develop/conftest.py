"""Fixtures shared by the develop tests: the built-in presets."""

from __future__ import annotations

import pytest

from junmai_gui.develop.library import PresetLibrary
from junmai_gui.develop.preset import Preset


@pytest.fixture(scope="module")
def builtin_presets() -> PresetLibrary:
    return PresetLibrary(None)


@pytest.fixture
def identity(builtin_presets: PresetLibrary) -> Preset:
    return builtin_presets.get("Identity")


@pytest.fixture
def white_layer(builtin_presets: PresetLibrary) -> Preset:
    return builtin_presets.get("WhiteLayer_v4")
