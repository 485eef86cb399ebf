"""Small helpers shared by the develop tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from junmai_gui.develop.errors import PresetError
from junmai_gui.develop.loaders import load_preset_file


def error_of(path: Path) -> str:
    """The message `load_preset_file` refuses `path` with (the test fails if it loads)."""
    with pytest.raises(PresetError) as caught:
        load_preset_file(path)
    return caught.value.message
