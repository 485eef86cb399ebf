"""Baked 256³ tables as memory-mapped files, built once and shared by every develop process.

A table is 64 MB and takes about a second to build; the develop processes of one app (and
the pool processes of a render-farm worker) would each build the same one. Here the first
process that needs a table builds it under a file lock and writes it to a temporary name
that it then renames; every other process waits for the lock and maps the finished file.
The page cache holds one copy however many processes read it.

Files are named by the preset's content hash, the blend, RAW or not, and a revision of the
code that computes the pointwise develop, so a table never outlives the maths it was built
with. Only the most recently used `KEEP` tables stay on disk.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import os
from collections.abc import Callable
from pathlib import Path

import numpy as np
import numpy.typing as npt

from junmai_gui.durable import exclusive_lock

KEEP = 8
SUFFIX = ".table8"
ENTRIES = 256**3
_SHAPE = (ENTRIES, 4)
_SIZE = ENTRIES * 4

Table8 = npt.NDArray[np.uint8]


@functools.cache
def code_revision() -> str:
    """A short hash of the modules that define the pointwise develop D."""
    from junmai_gui.develop.pipeline import calibration, color, lut, table, tone

    digest = hashlib.sha256()
    for module in (table, tone, color, calibration, lut):
        try:
            digest.update(Path(str(module.__file__)).read_bytes())
        except OSError:  # no source on disk (a frozen build): the version must do
            from junmai_gui import __version__

            digest.update(__version__.encode())
    return digest.hexdigest()[:12]


def table_name(content_hash: str, blend: float, is_raw: bool) -> str:
    kind = "raw" if is_raw else "rgb"
    return f"{content_hash}-{blend:.6f}-{kind}-{code_revision()}{SUFFIX}"


def _map(path: Path) -> Table8 | None:
    """The finished table file mapped read-only, or None when it is missing or damaged."""
    try:
        if path.stat().st_size != _SIZE:
            return None
        # copy-on-write: typed like a table built here (writable), yet never written
        table = np.asarray(np.memmap(path, dtype=np.uint8, mode="c", shape=_SHAPE))
    except (OSError, ValueError):
        return None
    with contextlib.suppress(OSError):
        os.utime(path)  # most recently used
    return table


def load_or_build(folder: Path, name: str, build: Callable[[], Table8]) -> Table8:
    """The table `name` in `folder`: mapped when some process built it, else built here."""
    path = folder / name
    found = _map(path)
    if found is not None:
        return found
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with exclusive_lock(folder / ".lock"):
            found = _map(path)
            if found is not None:
                return found
            table = build()
            tmp = path.with_name(f".{name}.{os.getpid()}.tmp")
            table.tofile(tmp)
            os.replace(tmp, path)
            _forget_old(folder, keep=path)
    except OSError:  # a read-only or full disk: build in memory, as a single process would
        return build()
    mapped = _map(path)  # an array: `_map(path) or table` would ask for its truth value
    return table if mapped is None else mapped


def _forget_old(folder: Path, keep: Path) -> None:
    tables: list[tuple[float, Path]] = []
    for entry in os.scandir(folder):
        if entry.name.endswith(SUFFIX) and entry.path != str(keep):
            with contextlib.suppress(OSError):
                tables.append((entry.stat().st_mtime, Path(entry.path)))
    tables.sort(reverse=True)
    for _mtime, old in tables[KEEP - 1 :]:
        with contextlib.suppress(OSError):  # Windows refuses while another process maps it
            old.unlink()


def shared_files(folder: Path) -> list[str]:
    """The table files in `folder` (for tests and the benchmarks)."""
    return sorted(p.name for p in Path(folder).glob(f"*{SUFFIX}"))
