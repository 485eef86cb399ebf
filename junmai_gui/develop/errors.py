"""What can go wrong while developing, sorted by what the batch should do about it.

- `PhotoError`: this one photo cannot be developed; it fails, the batch goes on.
- `DiskFullError`, `OutputUnavailableError`: a resource problem; the batch pauses with a
  reason instead of failing photo after photo.
- `PresetError`: the recipe itself is unusable; at start it refuses the batch, at run time
  it fails the batch.
- `DevelopCancelled`: the caller asked to stop; nothing was written.
Every message is a sentence a photographer understands, naming the file.
"""

from __future__ import annotations


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


class PresetError(DevelopError):
    """A preset or LUT file cannot be read, or no preset has that name."""


class DevelopCancelled(DevelopError):
    """Developing stopped because the caller cancelled it."""
