"""Crash-safe output files: write a temporary file beside the target, then rename it over.

Durability order: temporary file `.junmai-tmp-<random>-<name>` in the target folder → write →
flush + fsync → `os.replace` onto the final name → fsync the folder. A crash at any point
leaves either the old file, the new complete file, or an orphaned temporary file that
`remove_orphaned_temp_files` deletes at the next launch; never a half-written photo.
"""

from __future__ import annotations

import contextlib
import errno
import glob
import os
import secrets
from collections.abc import Iterator
from pathlib import Path

from junmai_gui.develop.errors import (
    DevelopError,
    DiskFullError,
    OutputUnavailableError,
    resource_error,
)
from junmai_gui.durable import fsync_folder

TEMP_PREFIX = ".junmai-tmp-"

_DISK_FULL = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EFBIG})
_UNAVAILABLE = frozenset(
    {
        errno.ENOENT, errno.EROFS, errno.EACCES, errno.EPERM, errno.ENODEV, errno.EIO,
        errno.ENXIO, errno.ESTALE, errno.ENOTCONN, errno.ENOTDIR, errno.EHOSTDOWN,
        errno.ETIMEDOUT,
    }
)  # fmt: skip
_NOT_WRITABLE = frozenset({errno.ENOENT, errno.EROFS, errno.EACCES, errno.EPERM, errno.ENOTDIR})


def output_error(exc: OSError, final_path: Path) -> DevelopError | OSError:
    """The develop error an OSError while writing `final_path` stands for (or `exc` itself)."""
    folder = final_path.parent
    short = resource_error(exc.errno, f"writing {final_path.name}")
    if short is not None:
        return short
    if exc.errno in _DISK_FULL:
        return DiskFullError(
            f"The disk holding {folder} is full; {final_path.name} could not be written"
        )
    if exc.errno in _UNAVAILABLE:
        if not folder.is_dir():
            why = "does not exist (was a drive unplugged?)"
        elif exc.errno in _NOT_WRITABLE:  # it is there: /proc, a read-only or foreign folder
            why = "is not a folder we can write to"
        else:
            why = "is not reachable"
        return OutputUnavailableError(
            f"The output folder {folder} {why}; {final_path.name} could not be written"
        )
    return exc


def check_can_write(folder: Path) -> None:
    """Create and remove a file in `folder`; the OSError if that fails.

    Permission bits are not proof: as root every folder passes `os.access`, and `/proc`
    refuses new files whatever its bits say.
    """
    probe = temp_path_for(folder / "probe")
    os.close(os.open(probe, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    os.unlink(probe)


def temp_path_for(final_path: Path) -> Path:
    return final_path.with_name(f"{TEMP_PREFIX}{secrets.token_hex(6)}-{final_path.name}")


@contextlib.contextmanager
def atomic_output(final_path: Path) -> Iterator[Path]:
    """Yield a temporary path in `final_path`'s folder; on success it replaces `final_path`.

    The caller writes the temporary file completely (and closes it). Afterwards it is
    fsynced, renamed onto `final_path` and the folder is fsynced. On any failure the
    temporary file is removed; OSErrors become `DiskFullError`/`OutputUnavailableError`/
    `ResourceError`.
    The folder is never created here: a missing folder usually means an unplugged drive.
    """
    final_path = Path(final_path)
    tmp = temp_path_for(final_path)
    try:
        try:
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
            os.close(fd)
            yield tmp
            with open(tmp, "rb+") as f:
                f.flush()
                os.fsync(f.fileno())
            os.replace(tmp, final_path)
            fsync_folder(final_path.parent)
        except OSError as exc:
            mapped = output_error(exc, final_path)
            if mapped is exc:
                raise
            raise mapped from exc
    finally:
        with contextlib.suppress(OSError):
            tmp.unlink()


def write_bytes_atomically(final_path: Path, data: bytes) -> None:
    """Write `data` to `final_path` through `atomic_output`."""
    with atomic_output(final_path) as tmp, open(tmp, "wb") as f:
        f.write(data)


def remove_temp_files_for(final_path: Path) -> int:
    """Delete the temporary files of one output (`.junmai-tmp-<random>-<name>` beside it),
    left by a develop process that was ended while writing it. Returns how many."""
    final_path = Path(final_path)
    removed = 0
    for tmp in final_path.parent.glob(f"{TEMP_PREFIX}*-{glob.escape(final_path.name)}"):
        with contextlib.suppress(OSError):
            tmp.unlink()
            removed += 1
    return removed


def remove_orphaned_temp_files(folder: Path) -> int:
    """Delete our leftover temporary files (only names with `TEMP_PREFIX`) from `folder`.

    Returns how many were removed; a missing folder removes nothing.
    """
    removed = 0
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return 0
    for entry in entries:
        if entry.name.startswith(TEMP_PREFIX) and entry.is_file(follow_symlinks=False):
            with contextlib.suppress(FileNotFoundError):
                os.unlink(entry.path)
                removed += 1
    return removed
