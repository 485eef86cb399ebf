"""What a watched folder holds, and when a photo in it is ready: the Qt-free core of watching.

`scan_folder` lists the photos under a folder (subfolders included, hidden files and our own
temporary files left out) with each one's size and modification time. `ArrivalTracker`
decides, from scan to scan, which photos have stopped changing for `settle_s` seconds — a
photo still being copied from a card, or written by a tethering tool, keeps changing size.
Time is whatever clock the caller reads, so the rule is tested without waiting.
"""

from __future__ import annotations

import os
from collections.abc import Collection

from junmai_gui.develop.formats import is_supported

SETTLE_S = 2.0
MAX_ENTRIES = 200_000  # a watched folder larger than this is listed only this far

Signature = tuple[int, int]  # size, modification time (ns)


def scan_folder(folder: str, *, skip: Collection[str] = ()) -> dict[str, Signature]:
    """Photos under `folder` (absolute paths) -> (size, mtime_ns). Hidden entries (and so our
    `.junmai-tmp-` files) are left out, and so are the folders of `skip` (resolved paths: a
    batch's output folder inside the watched one) and links to folders. OSError when
    `folder` itself cannot be read."""
    found: dict[str, Signature] = {}
    skipped = {os.path.normcase(os.path.realpath(path)) for path in skip}
    pending = [folder]
    seen = 0
    first = True
    while pending and seen < MAX_ENTRIES:
        current = pending.pop()
        try:
            entries = list(os.scandir(current))
        except OSError:
            if first:
                raise
            continue
        first = False
        for entry in entries:
            seen += 1
            if entry.name.startswith("."):
                continue
            try:
                if entry.is_dir(follow_symlinks=False):
                    if os.path.normcase(os.path.realpath(entry.path)) not in skipped:
                        pending.append(entry.path)
                elif entry.is_file() and is_supported(entry.name):
                    info = entry.stat()
                    found[entry.path] = (info.st_size, info.st_mtime_ns)
            except OSError:
                continue  # vanished while listed
    return found


class ArrivalTracker:
    """Per watched folder: since when each photo has looked the same."""

    def __init__(self, settle_s: float = SETTLE_S) -> None:
        self._settle_s = settle_s
        self._since: dict[str, tuple[Signature, float]] = {}

    @property
    def waiting(self) -> bool:
        """Whether some photo is still being watched settle (scan again soon)."""
        return bool(self._since)

    def settled(self, scan: dict[str, Signature], now: float, taken: set[str]) -> list[str]:
        """The photos of `scan` (but `taken`) unchanged for `settle_s` at `now`, sorted."""
        ready: list[str] = []
        since: dict[str, tuple[Signature, float]] = {}
        for path, signature in scan.items():
            if path in taken:
                continue
            previous = self._since.get(path)
            if previous is None or previous[0] != signature:
                since[path] = (signature, now)
            elif now - previous[1] >= self._settle_s:
                ready.append(path)
            else:
                since[path] = previous
        self._since = since
        return sorted(ready)
