"""What can go wrong while developing, sorted by what the batch should do about it.

- `PhotoError`: this one photo cannot be developed; it fails, the batch goes on.
- `DiskFullError`, `OutputUnavailableError`, `ResourceError`: a resource problem (the disk,
  the output folder, the machine's open files or memory); the batch pauses with a reason
  instead of failing photo after photo.
- `PresetError`: the recipe itself is unusable; at start it refuses the batch, at run time
  it fails the batch.
- `DevelopCancelled`: the caller asked to stop; nothing was written.
Every message is a sentence a photographer understands, naming the file.
"""

from __future__ import annotations

import errno
import os


class DevelopError(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class PhotoError(DevelopError):
    """The photo is corrupt, truncated, empty, too large or of an unsupported kind."""


class DiskFullError(DevelopError):
    """The output disk is full (ENOSPC/EDQUOT)."""


class OutputUnavailableError(DevelopError):
    """The output folder is gone or not writable (an unplugged drive, a lost share)."""


class ResourceError(DevelopError):
    """The machine ran out of open files (EMFILE, ENFILE) or memory (ENOMEM) while a photo was
    opened or written: not the photo's fault, so it must not fail; the batch should pause
    until the resource is free again, like a full disk."""


RESOURCE_ERRNOS = frozenset({errno.EMFILE, errno.ENFILE, errno.ENOMEM})


def resource_error(code: int | None, doing: str) -> ResourceError | None:
    """The `ResourceError` for an errno from `doing` ("opening IMG_1.jpg"), or None."""
    if code not in RESOURCE_ERRNOS:
        return None
    if code == errno.ENOMEM:
        what, close = "memory", "some programs"
    else:
        what, close = "open files", "some programs, or scripts connected to Junmai Batch"
    return ResourceError(
        f"The computer ran out of {what} while {doing}. Close {close}, then resume the batch."
    )


def out_of_open_files() -> int | None:
    """EMFILE or ENFILE when this process cannot open one more file right now, else None.

    Asked after a decoder failed on a file, to tell a damaged photo from a full file table:
    libvips and LibRaw report both as "cannot read".
    """
    try:
        os.close(os.open(os.devnull, os.O_RDONLY))
    except OSError as exc:
        return exc.errno if exc.errno in (errno.EMFILE, errno.ENFILE) else None
    return None


class PresetError(DevelopError):
    """A preset or LUT file cannot be read, or no preset has that name."""


class DevelopCancelled(DevelopError):
    """Developing stopped because the caller cancelled it."""
