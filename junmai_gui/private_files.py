"""Files and folders only their owner may open: the data folder's contents.

The data folder holds the batches (every photo's path), the settings, the logs and the API
token; other local users must not read them. Folders are 0700 and files 0600 on POSIX
systems (elsewhere the user's profile folder already keeps them private). Permissions are
changed through a descriptor opened without following symbolic links, so a link planted in
the data folder cannot make us change the mode of the file it points to.
"""

from __future__ import annotations

import contextlib
import os
import stat
from pathlib import Path

PRIVATE_DIR_MODE = 0o700
PRIVATE_FILE_MODE = 0o600


def make_private_dirs(folder: Path) -> None:
    """Create `folder`, and each of its missing parents, as 0700; tighten it if it exists."""
    missing = [p for p in (folder, *folder.parents) if not p.exists()]
    for part in reversed(missing):
        with contextlib.suppress(FileExistsError):  # another process was quicker
            part.mkdir(mode=PRIVATE_DIR_MODE)
    tighten(folder)


def create_private_file(path: Path) -> None:
    """Create `path` empty as 0600 unless it exists (SQLite gives its -wal and -shm files the
    mode of the database file, so they are private too)."""
    with contextlib.suppress(FileExistsError):
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE_MODE))
    tighten(path)


def tighten(path: Path) -> None:
    """Take every permission of group and others away from a file (0600) or folder (0700).

    A symbolic link, a file of another user or a missing file is left alone.
    """
    if os.name != "posix":
        return
    flags = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK  # NONBLOCK: a FIFO would hang open()
    try:
        fd = os.open(path, flags)
    except OSError:
        return
    try:
        mode = os.fstat(fd).st_mode
        if mode & 0o077 and (stat.S_ISREG(mode) or stat.S_ISDIR(mode)):
            wanted = PRIVATE_DIR_MODE if stat.S_ISDIR(mode) else PRIVATE_FILE_MODE
            with contextlib.suppress(OSError):  # another user's file: not ours to change
                os.fchmod(fd, wanted)
    finally:
        os.close(fd)


def tighten_folder(folder: Path) -> None:
    """`folder` and the files and folders directly in it, tightened (not recursively)."""
    tighten(folder)
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return
    for entry in entries:
        tighten(Path(entry.path))
