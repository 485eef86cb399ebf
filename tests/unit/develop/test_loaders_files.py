"""Choosing a loader by extension, and the errors every kind of file shares."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from junmai_gui.develop.errors import PresetError
from junmai_gui.develop.loaders import PRESET_EXTENSIONS, is_preset_file, load_preset_file
from tests.unit.develop.helpers import error_of


def test_extensions() -> None:
    assert {".xmp", ".cube", ".png", ".tif", ".tiff", ".json"} == PRESET_EXTENSIONS
    assert is_preset_file("A/B/Look.XMP")
    assert not is_preset_file("notes.txt")


def test_an_unknown_extension_says_which_files_are_accepted(tmp_path: Path) -> None:
    path = tmp_path / "look.lrtemplate"
    path.write_text("s = {}", encoding="utf-8")
    message = error_of(path)
    assert '"look.lrtemplate"' in message
    assert "not a preset file" in message
    assert ".xmp" in message and ".cube" in message and ".json" in message


def test_upper_case_extensions_are_read(tmp_path: Path) -> None:
    path = tmp_path / "LOOK.CUBE"
    path.write_text("LUT_3D_SIZE 2\n" + "0 0 0\n" * 8, encoding="utf-8")
    assert load_preset_file(path).name == "LOOK"


def test_a_missing_file(tmp_path: Path) -> None:
    assert error_of(tmp_path / "gone.xmp") == 'The Lightroom preset "gone.xmp" does not exist.'


def test_a_folder_with_a_preset_name(tmp_path: Path) -> None:
    (tmp_path / "folder.xmp").mkdir()
    assert "is a folder" in error_of(tmp_path / "folder.xmp")


@pytest.mark.parametrize("suffix", [".xmp", ".cube", ".png", ".json"])
def test_every_kind_of_empty_file_is_refused(tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"empty{suffix}"
    path.touch()
    message = error_of(path)
    assert f'"empty{suffix}" is empty' in message


def test_a_text_file_that_is_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "latin.cube"
    path.write_bytes('TITLE "Caf\xe9"\n'.encode("latin-1"))
    assert "not a text file" in error_of(path)


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    data=st.one_of(
        st.binary(min_size=1, max_size=300),
        st.text(min_size=1, max_size=300).map(str.encode),
        st.sampled_from([b"<x/>", b"<?xml version='1.0'?>", b"LUT_3D_SIZE 2\n", b"{}", b"\x89PNG"]),
    ),
    suffix=st.sampled_from(sorted(PRESET_EXTENSIONS)),
)
def test_any_bytes_give_a_preset_or_a_preset_error(
    tmp_path: Path, data: bytes, suffix: str
) -> None:
    path = tmp_path / f"fuzz{suffix}"
    path.write_bytes(data)
    try:
        load_preset_file(path)
    except PresetError as exc:
        assert '"fuzz' in exc.message
