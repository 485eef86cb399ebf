"""Path resolution of the batch planner, on real files, folders and symbolic links."""

from __future__ import annotations

import os
from pathlib import Path

from junmai_gui.controller.planning import resolved_paths


def test_resolved_paths_equal_path_resolve_for_files_folders_and_links(tmp_path: Path) -> None:
    real = tmp_path / "real"
    real.mkdir()
    for name in ("a.jpg", "b.jpg"):
        (real / name).write_bytes(b"x")
    os.symlink(real, tmp_path / "linked_folder")
    os.symlink(real / "a.jpg", tmp_path / "linked_file.jpg")
    files = [
        real / "a.jpg",
        tmp_path / "linked_folder" / "b.jpg",
        tmp_path / "linked_file.jpg",
        tmp_path / "real" / ".." / "real" / "b.jpg",
        tmp_path / "missing.jpg",
    ]
    assert resolved_paths(files) == [str(Path(f).resolve()) for f in files]
    assert resolved_paths(files)[:3] == [
        str(real / "a.jpg"),
        str(real / "b.jpg"),
        str(real / "a.jpg"),
    ]
