"""Parsed LUTs by content, so that a large LUT file is parsed once, not at every launch.

A LUT's key is the SHA-256 of its file's bytes, its file name (which its messages quote) and
the cache format. What parsing gave — the table, the shaper, the domains, title and warnings,
or the sentence that refused the file — is kept in memory and, when the cache has a folder,
on disk: `<key>.json` beside `<key>.npy` (and `<key>.shaper.npy`), which later launches read
back as they are instead of parsing the text again. So a launch costs a hash and a binary
read of each LUT file, not a parse of it. (The arrays are read, not memory-mapped: a mapping
holds a file descriptor for as long as the preset lives, and a folder of LUTs would then
hold hundreds of the app's descriptors.) An entry that cannot be read back (damaged,
foreign, of another format) is a miss, never an error, and a folder that cannot be written
only costs speed. After each scan of the presets folder, `scan()` removes the entries no
preset file uses any more.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import re
import secrets
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, BinaryIO

import numpy as np
import numpy.typing as npt

from junmai_gui.develop.errors import PresetError
from junmai_gui.develop.loaders._files import LutParser, ParsedLut
from junmai_gui.develop.loaders.lut_checks import MAX_LUT_POINTS
from junmai_gui.develop.preset import Lut3D
from junmai_gui.private_files import make_private_dirs

log = logging.getLogger(__name__)

CACHE_FORMAT = 1
_ENTRY_NAME = re.compile(r"^\.?([0-9a-f]{64})\.")

Outcome = ParsedLut | str  # the parsed LUT, or the message that refused the file


def lut_key(data: bytes, label: str) -> str:
    digest = hashlib.sha256(f"junmai-lut-{CACHE_FORMAT}\0{label}\0".encode())
    digest.update(data)
    return digest.hexdigest()


class LutCache:
    """A `LutReader` that parses each LUT content once; `folder` None keeps it in memory only."""

    def __init__(self, folder: Path | None) -> None:
        self._folder = folder
        self._memory: dict[str, Outcome] = {}
        self._lock = threading.Lock()
        self._used: set[str] | None = None
        self._folder_ok = True

    def __call__(self, data: bytes, label: str, parse: LutParser) -> ParsedLut:
        key = lut_key(data, label)
        with self._lock:
            if self._used is not None:
                self._used.add(key)
            outcome = self._memory.get(key)
        if outcome is None:
            outcome = self._read(key)
        if outcome is None:
            try:
                outcome = parse(data)
            except PresetError as exc:
                outcome = exc.message
            self._write(key, outcome)
        with self._lock:
            self._memory[key] = outcome
        if isinstance(outcome, str):
            raise PresetError(outcome)
        lut, warnings = outcome
        return lut, list(warnings)

    @contextlib.contextmanager
    def scan(self) -> Iterator[None]:
        """Around a scan of every preset file: afterwards, forget what the scan did not use."""
        with self._lock:
            self._used = set()
        try:
            yield
        finally:
            with self._lock:
                used, self._used = self._used or set(), None
                self._memory = {k: v for k, v in self._memory.items() if k in used}
            self._prune(used)

    # -- the folder -------------------------------------------------------------------------

    def _read(self, key: str) -> Outcome | None:
        if self._folder is None:
            return None
        try:
            meta = json.loads((self._folder / f"{key}.json").read_text(encoding="utf-8"))
            if meta.get("format") != CACHE_FORMAT:
                return None
            if "error" in meta:
                return str(meta["error"])
            table = _array(self._folder / f"{key}.npy")
            size = int(meta["size"])
            if not 2 <= size <= MAX_LUT_POINTS or table.shape != (size, size, size, 3):
                return None
            shaper = None
            if meta["shaper"]:
                shaper = _array(self._folder / f"{key}.shaper.npy")
                if shaper.ndim != 2 or shaper.shape[1] != 3 or shaper.shape[0] < 2:
                    return None
            lut = Lut3D(
                table=table,
                domain_min=_triple(meta["domain_min"]),
                domain_max=_triple(meta["domain_max"]),
                shaper=shaper,
                shaper_domain_min=_triple(meta["shaper_domain_min"]),
                shaper_domain_max=_triple(meta["shaper_domain_max"]),
                title=str(meta["title"]),
            )
            return lut, [str(w) for w in meta["warnings"]]
        except FileNotFoundError:
            return None
        except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
            log.debug("Ignored the damaged LUT cache entry %s: %s", key, exc)
            return None

    def _write(self, key: str, outcome: Outcome) -> None:
        if self._folder is None or not self._folder_ok:
            return
        try:
            make_private_dirs(self._folder)
            if isinstance(outcome, str):
                meta: dict[str, Any] = {"format": CACHE_FORMAT, "error": outcome}
            else:
                lut, warnings = outcome
                _save_array(self._folder / f"{key}.npy", lut.table)
                if lut.shaper is not None:
                    _save_array(self._folder / f"{key}.shaper.npy", lut.shaper)
                meta = {
                    "format": CACHE_FORMAT,
                    "size": lut.size,
                    "shaper": lut.shaper is not None,
                    "domain_min": list(lut.domain_min),
                    "domain_max": list(lut.domain_max),
                    "shaper_domain_min": list(lut.shaper_domain_min),
                    "shaper_domain_max": list(lut.shaper_domain_max),
                    "title": lut.title,
                    "warnings": list(warnings),
                }
            _save_bytes(self._folder / f"{key}.json", json.dumps(meta).encode())
        except OSError as exc:
            self._folder_ok = False  # say it once; the LUTs still work, only slower
            log.warning("Cannot keep parsed LUTs in %s (%s); they are parsed at every launch",
                        self._folder, exc.strerror or exc)  # fmt: skip

    def _prune(self, used: set[str]) -> None:
        if self._folder is None:
            return
        try:
            entries = list(os.scandir(self._folder))
        except OSError:
            return
        for entry in entries:
            match = _ENTRY_NAME.match(entry.name)
            if match and match.group(1) not in used:
                with contextlib.suppress(OSError):  # a file another process just replaced
                    os.unlink(entry.path)


def _array(path: Path) -> npt.NDArray[np.float32]:
    """A float32 array saved by `_save_array`, read-only like every preset's arrays."""
    array = np.load(path, allow_pickle=False)
    if array.dtype != np.float32 or not array.flags.c_contiguous:
        raise ValueError(f"{path.name} holds {array.dtype}, not float32")
    array.flags.writeable = False
    return array  # type: ignore[no-any-return]


def _triple(values: Any) -> tuple[float, float, float]:
    first, second, third = (float(v) for v in values)
    return first, second, third


def _save_bytes(path: Path, data: bytes) -> None:
    _save(path, lambda handle: handle.write(data))


def _save_array(path: Path, array: npt.NDArray[np.float32]) -> None:
    _save(path, lambda handle: np.save(handle, np.ascontiguousarray(array), allow_pickle=False))


def _save(path: Path, write: Callable[[BinaryIO], object]) -> None:
    """Write beside `path`, then rename onto it: a reader never sees half an entry."""
    temp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    try:
        with open(temp, "wb") as handle:
            write(handle)
        os.replace(temp, path)
    finally:
        with contextlib.suppress(OSError):
            temp.unlink()
