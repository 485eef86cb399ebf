"""Typed command lines: split as the system's shell would, and joined back the same."""

from __future__ import annotations

import pytest

from junmai_gui.domain.after_batch import join_command_line, split_command_line


@pytest.mark.parametrize("windows", [True, False])
def test_a_command_line_round_trips(windows: bool) -> None:
    argv = ["upload photos", 'say "done"', "", "it's", "plain", "tab\there"]
    line = join_command_line(argv, windows=windows)
    assert split_command_line(line, windows=windows) == argv


def test_backslashes_are_windows_paths_and_posix_escapes() -> None:
    line = r'C:\Tools\upload.exe --album "My Wedding"'
    assert split_command_line(line, windows=True) == [
        r"C:\Tools\upload.exe",
        "--album",
        "My Wedding",
    ]
    assert split_command_line(r"upload --album My\ Wedding", windows=False) == [
        "upload",
        "--album",
        "My Wedding",
    ]


def test_an_open_quote_cannot_be_read() -> None:
    with pytest.raises(ValueError):
        split_command_line('upload "unclosed', windows=True)
