"""Atomic, durable output files and the clean-up of our orphaned temporary files."""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest

from junmai_gui.develop.errors import DiskFullError, OutputUnavailableError, ResourceError
from junmai_gui.develop.files import (
    TEMP_PREFIX,
    atomic_output,
    check_can_write,
    output_error,
    remove_orphaned_temp_files,
    write_bytes_atomically,
)


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """An empty folder of its own (the test's tmp_path also holds the data dir)."""
    path = tmp_path / "out"
    path.mkdir()
    return path


def test_atomic_output_writes_beside_the_target_then_replaces_it(folder: Path) -> None:
    final = folder / "IMG_0001.jpg"
    final.write_bytes(b"old")
    with atomic_output(final) as tmp:
        assert tmp.parent == folder
        assert tmp.name.startswith(TEMP_PREFIX) and tmp.name.endswith("-IMG_0001.jpg")
        tmp.write_bytes(b"new photo")
        assert final.read_bytes() == b"old"  # nothing visible until the rename
    assert final.read_bytes() == b"new photo"
    assert sorted(p.name for p in folder.iterdir()) == ["IMG_0001.jpg"]


def test_a_failure_while_writing_leaves_the_old_file_and_no_temporary(folder: Path) -> None:
    final = folder / "out.jpg"
    final.write_bytes(b"old")
    with pytest.raises(RuntimeError), atomic_output(final) as tmp:
        tmp.write_bytes(b"half")
        raise RuntimeError("encoder crashed")
    assert final.read_bytes() == b"old"
    assert [p.name for p in folder.iterdir()] == ["out.jpg"]


def test_file_and_folder_are_fsynced_before_and_after_the_rename(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    events: list[str] = []
    real_fsync, real_replace = os.fsync, os.replace

    def spy_fsync(fd: int) -> None:
        events.append("fsync-dir" if os.path.isdir(f"/proc/self/fd/{fd}") else "fsync-file")
        real_fsync(fd)

    def spy_replace(src: str | os.PathLike[str], dst: str | os.PathLike[str]) -> None:
        events.append("replace")
        real_replace(src, dst)

    monkeypatch.setattr(os, "fsync", spy_fsync)
    monkeypatch.setattr(os, "replace", spy_replace)
    write_bytes_atomically(folder / "a.jpg", b"data")
    assert events == ["fsync-file", "replace", "fsync-dir"]


def test_a_missing_output_folder_is_output_unavailable_and_is_not_created(folder: Path) -> None:
    final = folder / "unplugged-drive" / "out.jpg"
    with pytest.raises(OutputUnavailableError, match="does not exist") as info:
        write_bytes_atomically(final, b"x")
    assert "out.jpg" in info.value.message
    assert not final.parent.exists()


def test_disk_full_while_syncing_is_disk_full_and_removes_the_temporary(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A full disk cannot be produced here without mounting one; fsync is where it surfaces.
    def full(fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    with pytest.raises(DiskFullError, match="full"):
        write_bytes_atomically(folder / "out.jpg", b"x" * 1000)
    assert list(folder.iterdir()) == []


@pytest.mark.parametrize(
    ("code", "kind"),
    [
        (errno.ENOSPC, DiskFullError),
        (errno.EDQUOT, DiskFullError),
        (errno.EROFS, OutputUnavailableError),
        (errno.EACCES, OutputUnavailableError),
        (errno.ENODEV, OutputUnavailableError),
        (errno.EIO, OutputUnavailableError),
        (errno.ENOENT, OutputUnavailableError),
        (errno.EMFILE, ResourceError),
        (errno.ENFILE, ResourceError),
        (errno.ENOMEM, ResourceError),
    ],
)
def test_os_errors_map_to_what_the_batch_should_do(
    folder: Path, code: int, kind: type[Exception]
) -> None:
    mapped = output_error(OSError(code, os.strerror(code)), folder / "IMG_1.jpg")
    assert isinstance(mapped, kind)
    assert "IMG_1.jpg" in str(mapped)


def test_other_os_errors_pass_through_unchanged(folder: Path) -> None:
    exc = OSError(errno.ENAMETOOLONG, "File name too long")
    assert output_error(exc, folder / "x.jpg") is exc


def test_read_only_folder_is_output_unavailable(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Tests may run as root, which ignores permission bits; a read-only mount says EROFS.
    real_open = os.open

    def read_only(path: str | os.PathLike[str], flags: int, mode: int = 0o777) -> int:
        if os.fspath(path).startswith(os.fspath(folder)):
            raise OSError(errno.EROFS, "Read-only file system")
        return real_open(path, flags, mode)

    monkeypatch.setattr(os, "open", read_only)
    with pytest.raises(OutputUnavailableError, match="is not a folder we can write to"):
        write_bytes_atomically(folder / "out.jpg", b"x")


def test_remove_orphaned_temp_files_removes_only_ours(folder: Path) -> None:
    ours = [folder / f"{TEMP_PREFIX}a1b2-IMG_1.jpg", folder / f"{TEMP_PREFIX}ffff-IMG_2.tif"]
    theirs = [folder / "IMG_1.jpg", folder / ".DS_Store", folder / ".junmai-other.jpg"]
    for path in ours + theirs:
        path.write_bytes(b"x")
    (folder / f"{TEMP_PREFIX}folder").mkdir()  # a folder is never removed
    assert remove_orphaned_temp_files(folder) == 2
    remaining = sorted(p.name for p in folder.iterdir())
    assert remaining == sorted([p.name for p in theirs] + [f"{TEMP_PREFIX}folder"])


def test_remove_orphaned_temp_files_in_a_missing_folder_removes_nothing(folder: Path) -> None:
    assert remove_orphaned_temp_files(folder / "nope") == 0


@pytest.mark.skipif(not Path("/proc/self").is_dir(), reason="needs Linux's /proc")
def test_a_folder_that_refuses_new_files_is_not_called_unplugged() -> None:
    """/proc exists and passes permission checks (as root), but takes no new file."""
    with pytest.raises(OutputUnavailableError) as caught:
        write_bytes_atomically(Path("/proc/IMG_1.jpg"), b"x")
    assert caught.value.message == (
        "The output folder /proc is not a folder we can write to; IMG_1.jpg could not be written"
    )
    with pytest.raises(OSError):
        check_can_write(Path("/proc"))


def test_check_can_write_leaves_nothing_behind(folder: Path) -> None:
    check_can_write(folder)
    assert list(folder.iterdir()) == []
