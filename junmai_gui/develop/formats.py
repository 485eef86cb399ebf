"""Which files are photos we can develop, how to tell their kind, and gathering them from folders.

A photo's kind is decided from its extension *and* its first bytes (`sniff_kind`): a `.jpg`
that is really a PNG still decodes, and a camera RAW — whatever it is called — goes to the
RAW decoder, never to libvips (which would return the tiny embedded preview as if it were
the photo).
"""

from __future__ import annotations

import enum
import heapq
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from junmai_gui.develop.files import TEMP_PREFIX
from junmai_gui.pacing import no_pacing

RASTER_EXTENSIONS = frozenset(
    {".jpg", ".jpeg", ".jpe", ".jfif", ".png", ".tif", ".tiff", ".webp", ".avif"}
)
HEIF_EXTENSIONS = frozenset({".heic", ".heif", ".hif"})
RAW_EXTENSIONS = frozenset(
    {
        ".3fr", ".ari", ".arw", ".bay", ".cap", ".cr2", ".cr3", ".crw", ".dcr", ".dcs",
        ".dng", ".drf", ".eip", ".erf", ".fff", ".iiq", ".k25", ".kdc", ".mdc", ".mef",
        ".mos", ".mrw", ".nef", ".nrw", ".orf", ".ori", ".pef", ".ptx", ".pxn", ".r3d",
        ".raf", ".raw", ".rw2", ".rwl", ".rwz", ".sr2", ".srf", ".srw", ".x3f",
    }
)  # fmt: skip
SUPPORTED_EXTENSIONS = RASTER_EXTENSIONS | HEIF_EXTENSIONS | RAW_EXTENSIONS

_HEIF_BRANDS = frozenset({b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"hevm", b"hevs"})
_AVIF_BRANDS = frozenset({b"avif", b"avis"})
_MIF_BRANDS = frozenset({b"mif1", b"msf1", b"mif2", b"miaf"})


class PhotoKind(enum.Enum):
    """Which decoder a file needs."""

    RASTER = "raster"  # JPEG, PNG, TIFF, WebP, AVIF: libvips
    HEIF = "heif"  # HEIC/HEIF (HEVC): pi-heif
    RAW = "raw"  # camera RAW: rawpy (LibRaw)
    EMPTY = "empty"
    UNKNOWN = "unknown"


def is_supported(path: str | os.PathLike[str]) -> bool:
    """True when the file's extension is one we develop (case-insensitive)."""
    return Path(path).suffix.lower() in SUPPORTED_EXTENSIONS


def _ftyp_brands(head: bytes) -> set[bytes]:
    """The major and compatible brands of an ISO-BMFF `ftyp` box at the start of `head`."""
    if len(head) < 12 or head[4:8] != b"ftyp":
        return set()
    size = int.from_bytes(head[0:4], "big")
    end = min(max(size, 16), len(head))
    brands = {head[8:12]}
    brands.update(head[i : i + 4] for i in range(16, end - 3, 4))
    return brands


def _is_tiff_raw(head: bytes) -> bool:
    """A TIFF container that is a camera RAW: CR2's marker, or a DNGVersion tag in IFD0."""
    if head[8:10] == b"CR":  # Canon CR2
        return True
    order: Literal["little", "big"] = "little" if head[:2] == b"II" else "big"
    offset = int.from_bytes(head[4:8], order)
    if offset + 2 > len(head):
        return False
    count = int.from_bytes(head[offset : offset + 2], order)
    for i in range(min(count, 500)):
        entry = offset + 2 + 12 * i
        if entry + 2 > len(head):
            break
        if int.from_bytes(head[entry : entry + 2], order) == 50706:  # DNGVersion
            return True
    return False


def sniff_kind(path: Path, head: bytes) -> PhotoKind:
    """The decoder for a file from its extension and its first bytes (`head`, ≥ 64 KiB ideally).

    RAW wins: a RAW extension, or RAW-only magic bytes, always means rawpy. Otherwise the
    magic bytes decide between libvips and pi-heif, so a misnamed file still decodes.
    """
    if not head:
        return PhotoKind.EMPTY
    suffix = path.suffix.lower()
    if suffix in RAW_EXTENSIONS:
        return PhotoKind.RAW
    brands = _ftyp_brands(head)
    if (
        head.startswith((b"FUJIFILMCCD-RAW", b"FOVb", b"\x00MRM", b"IIU\x00", b"IIRO", b"IIRS"))
        or head.startswith(b"MMOR")
        or head[6:14] == b"HEAPCCDR"
        or b"crx " in brands
    ):
        return PhotoKind.RAW
    if head.startswith((b"II*\x00", b"MM\x00*")):
        return PhotoKind.RAW if _is_tiff_raw(head) else PhotoKind.RASTER
    if head.startswith((b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n")):
        return PhotoKind.RASTER
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return PhotoKind.RASTER
    if brands & _AVIF_BRANDS:
        return PhotoKind.RASTER
    if brands & _HEIF_BRANDS or (brands & _MIF_BRANDS and suffix in HEIF_EXTENSIONS):
        return PhotoKind.HEIF
    return PhotoKind.UNKNOWN


def read_head(path: Path, size: int = 65536) -> bytes:
    with open(path, "rb") as f:
        return f.read(size)


@dataclass
class CollectResult:
    """Photos found (absolute paths, symbolic links resolved, no duplicates) and the paths
    refused, with the reason."""

    files: list[Path] = field(default_factory=list)
    rejected: list[tuple[str, str]] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # files inside folders that are not photos


@dataclass
class FoundPhotos:
    """`CollectResult` with plain strings: a scan of 100,000 photos makes no Path objects."""

    files: list[str] = field(default_factory=list)
    rejected: list[tuple[str, str]] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)


class ScanCancelled(Exception):
    """`collect_photos` stopped because its caller cancelled it."""


def _skipped_in_folder(name: str) -> bool:
    """Hidden files and folders, and our own temporary files, are never photos to develop."""
    return name.startswith(".")  # TEMP_PREFIX starts with a dot too


def _unreadable_name(name: str) -> bool:
    """A file name that is not valid text (bytes undecodable in the file system's encoding)."""
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def _text(path: str) -> str:
    """A path as text someone can read, also when it holds undecodable bytes."""
    return path.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def _unreadable_reason(path: str) -> str:
    return (
        f"{_text(os.path.basename(path))} has a name that is not valid text "
        "(it was written by a system with another encoding); rename it to develop it"
    )


class _Walk:
    """One recursive walk of a folder: each folder resolved once, each file stat'ed once."""

    def __init__(
        self,
        result: FoundPhotos,
        seen: set[str],
        progress: Callable[[int], None] | None,
        cancelled: Callable[[], bool] | None,
        pace: Callable[[], None],
    ) -> None:
        self.result = result
        self.seen = seen
        self.progress = progress
        self.cancelled = cancelled
        self.pace = pace

    def folder(self, top: str) -> None:
        found: list[str] = []
        visited: set[str] = set()
        stack = [os.path.realpath(top)]
        while stack:
            if self.cancelled is not None and self.cancelled():
                raise ScanCancelled
            folder = stack.pop()
            if folder in visited:
                continue  # a link back up the tree
            visited.add(folder)
            try:
                entries = list(os.scandir(folder))
            except OSError:  # vanished, or not ours to read: the rest of the walk goes on
                continue
            for entry in entries:
                self.pace()
                name = entry.name
                if _skipped_in_folder(name):
                    continue
                try:
                    if entry.is_dir():
                        stack.append(
                            os.path.realpath(entry.path) if entry.is_symlink() else entry.path
                        )
                        continue
                    if not entry.is_file():
                        continue
                    if os.path.splitext(name)[1].lower() not in SUPPORTED_EXTENSIONS:
                        self.result.skipped.append(_text(entry.path))
                        continue
                    path = os.path.realpath(entry.path) if entry.is_symlink() else entry.path
                except OSError:  # it vanished while we looked
                    continue
                if _unreadable_name(name):
                    self.result.rejected.append((_text(entry.path), _unreadable_reason(name)))
                    continue
                found.append(path)
                if self.progress is not None and len(found) % 1000 == 0:
                    self.progress(len(self.result.files) + len(found))
        for path in sorted_in_steps(found):
            self.pace()
            self.add(path)

    def add(self, path: str) -> None:
        if path not in self.seen:
            self.seen.add(path)
            self.result.files.append(path)


def sorted_in_steps(items: list[str], step: int = 10_000) -> list[str]:
    """`sorted(items)`, but never one long call: one sort of 100,000 names holds the GIL for
    tens of milliseconds, long enough to stall the GUI thread. Sorted slices are merged by
    heapq, between whose steps other threads run."""
    if len(items) <= step:
        return sorted(items)
    parts = [sorted(items[i : i + step]) for i in range(0, len(items), step)]
    return list(heapq.merge(*parts))


def collect_photos(paths: Iterable[str | os.PathLike[str]]) -> CollectResult:
    """`find_photos`, with the photos as `Path`s."""
    found = find_photos(paths)
    return CollectResult([Path(f) for f in found.files], found.rejected, found.skipped)


def find_photos(
    paths: Iterable[str | os.PathLike[str]],
    *,
    progress: Callable[[int], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
    pace: Callable[[], None] = no_pacing,
) -> FoundPhotos:
    """Expand files and folders (recursively) into the photos to develop.

    Arguments keep their order; a folder's photos are sorted by path. A named file that is
    missing or not a photo is rejected with a reason; inside folders, files that are not
    photos (sidecars, documents) are listed in `skipped`, hidden files and our temporary
    files are passed over, and entries that vanish during the walk are skipped.
    `progress(found)` is called every thousand photos found; `cancelled()` is asked between
    folders (ScanCancelled); `pace()` between files (see `junmai_gui.pacing`).
    """
    result = FoundPhotos()
    walk = _Walk(result, set(), progress, cancelled, pace)
    for raw in paths:
        text = os.fspath(raw)
        path = os.path.abspath(text)
        name = os.path.basename(path)
        if os.path.isdir(path):
            walk.folder(path)
        elif not os.path.exists(path):
            result.rejected.append((_text(text), f"{_text(name)} does not exist"))
        elif not os.path.isfile(path):
            result.rejected.append((_text(text), f"{_text(name)} is not a file"))
        elif name.startswith(TEMP_PREFIX):
            result.rejected.append((_text(text), f"{name} is an unfinished temporary file"))
        elif not is_supported(path):
            kind = os.path.splitext(name)[1] or "without an extension"
            result.rejected.append(
                (_text(text), f"{_text(name)} is not a supported photo ({_text(kind)})")
            )
        elif _unreadable_name(path):
            result.rejected.append((_text(text), _unreadable_reason(path)))
        else:
            walk.add(os.path.realpath(path))
    if progress is not None:
        progress(len(result.files))
    return result
