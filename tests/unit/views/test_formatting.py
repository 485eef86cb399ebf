"""How paths read in the window: the home folder is written `~`, other paths stay whole."""

from __future__ import annotations

from pathlib import Path

import pytest

from junmai_gui.views.formatting import path_text


def test_paths_under_home_start_with_a_tilde(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOME", "/home/anna")
    assert Path.home() == Path("/home/anna")
    assert path_text("/home/anna/Pictures/Junmai Batch/a.jpg") == "~/Pictures/Junmai Batch/a.jpg"
    assert path_text("/home/anna") == "~"
    assert path_text("/home/annabel/a.jpg") == "/home/annabel/a.jpg"
    assert path_text("/srv/photos/a.jpg") == "/srv/photos/a.jpg"
    assert path_text(None) == ""
