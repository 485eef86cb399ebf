"""Reading and writing EXIF as TIFF directories, where libvips does not.

libvips writes no EXIF into TIFF files and reads none from TIFF-based camera RAWs. This
module copies the photographer's metadata across: the camera and copyright tags of IFD0,
the EXIF directory (exposure, dates, lens) and the GPS directory. Maker notes and the
interoperability directory are left out: they hold offsets that would point nowhere once
moved, and a wrong maker note is worse than none.

Copied EXIF is bounded by `MAX_EXIF_BYTES` (64 KB, what a JPEG's EXIF segment holds),
counting every entry's value as a writer that shares nothing writes it. A hostile photo can
point 1,000 entries at one 60 KB block: 64 KB in the file, 60 MB once each entry is written
out. So `read_tiff_exif` keeps only the entries that fit, `bounded_exif` passes a blob on
unchanged only when copying it stays within the bound, and the writer writes a value shared
by several entries once.
"""

from __future__ import annotations

import struct
from collections.abc import Callable
from dataclasses import dataclass, field

EXIF_HEADER = b"Exif\x00\x00"
TAG_EXIF_IFD = 34665
TAG_GPS_IFD = 34853
TAG_INTEROP_IFD = 40965
# IFD0 tags worth carrying: description, make, model, date, artist, copyright, software.
IFD0_TAGS = frozenset({270, 271, 272, 305, 306, 315, 33432})
_DROPPED_EXIF_TAGS = frozenset({37500, 40965, 40962, 40963})  # maker note, interop, pixel dims
_TYPE_SIZES = {1: 1, 2: 1, 3: 2, 4: 4, 5: 8, 6: 1, 7: 1, 8: 2, 9: 4, 10: 8, 11: 4, 12: 8, 13: 4}
_UNIT_SIZES = {3: 2, 4: 4, 5: 4, 8: 2, 9: 4, 10: 4, 11: 4, 12: 8, 13: 4}  # for byte swapping
_MAX_ENTRIES = 1000
_ENTRY_SIZE = 12
MAX_EXIF_BYTES = 64 * 1024
_SLACK = 512  # room left in the bound for headers, directory counts and pointers
_MAX_IFDS = 16


@dataclass(frozen=True)
class Entry:
    """One tag: its TIFF type, count and value bytes in little-endian order."""

    tag: int
    type: int
    count: int
    value: bytes


@dataclass
class ExifDirs:
    """The EXIF worth keeping, as three directories of entries."""

    ifd0: list[Entry] = field(default_factory=list)
    exif: list[Entry] = field(default_factory=list)
    gps: list[Entry] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.ifd0 or self.exif or self.gps)


def _to_little(value: bytes, type_: int, order: str) -> bytes:
    unit = _UNIT_SIZES.get(type_)
    if order == "<" or unit is None:
        return value
    return b"".join(value[i : i + unit][::-1] for i in range(0, len(value), unit))


def _byte_order(data: bytes) -> str | None:
    if data[:4] == b"II*\x00":
        return "<"
    if data[:4] == b"MM\x00*":
        return ">"
    return None


def _cost(length: int) -> int:
    """What an entry whose value is `length` bytes takes in a file: out-of-line values count."""
    return _ENTRY_SIZE + (length if length > 4 else 0)


class _Reader:
    """Reads the entries of IFDs while their cost fits in what is left of the bound."""

    def __init__(self, data: bytes, order: str) -> None:
        self.data = data
        self.order = order
        self.budget = MAX_EXIF_BYTES - _SLACK

    def ifd(self, offset: int, wanted: Callable[[int], bool]) -> tuple[list[Entry], dict[int, int]]:
        """The wanted entries of the IFD at `offset` that fit, and its sub-IFD pointers."""
        data, order = self.data, self.order
        entries: list[Entry] = []
        pointers: dict[int, int] = {}
        if offset <= 0 or offset + 2 > len(data):
            return entries, pointers
        (count,) = struct.unpack_from(order + "H", data, offset)
        for i in range(min(count, _MAX_ENTRIES)):
            pos = offset + 2 + 12 * i
            if pos + 12 > len(data):
                break
            tag, type_, n = struct.unpack_from(order + "HHI", data, pos)
            size = _TYPE_SIZES.get(type_)
            if size is None or n > 1 << 20:
                continue
            if tag in (TAG_EXIF_IFD, TAG_GPS_IFD) and n == 1 and type_ in (4, 13):
                (pointers[tag],) = struct.unpack_from(order + "I", data, pos + 8)
                continue
            length = size * n
            if not wanted(tag) or _cost(length) > self.budget:
                continue
            if length <= 4:
                raw = data[pos + 8 : pos + 8 + length]
            else:
                (where,) = struct.unpack_from(order + "I", data, pos + 8)
                if where + length > len(data):
                    continue
                raw = data[where : where + length]
            self.budget -= _cost(length)
            entries.append(Entry(tag, type_, n, _to_little(raw, type_, order)))
        return entries, pointers


def read_tiff_exif(data: bytes) -> ExifDirs:
    """The EXIF of a TIFF structure (a TIFF/RAW file's start, or an EXIF blob with or without
    its `Exif\\0\\0` header): the entries worth keeping that fit in `MAX_EXIF_BYTES`, camera
    tags first, then the EXIF directory, then GPS. Anything unreadable gives empty
    directories, never an error."""
    if data.startswith(EXIF_HEADER):
        data = data[len(EXIF_HEADER) :]
    order = _byte_order(data)
    if order is None:
        return ExifDirs()
    reader = _Reader(data, order)
    try:
        (ifd0_offset,) = struct.unpack_from(order + "I", data, 4)
        ifd0, pointers = reader.ifd(ifd0_offset, lambda tag: tag in IFD0_TAGS)
        exif, _ = reader.ifd(
            pointers.get(TAG_EXIF_IFD, 0), lambda tag: tag not in _DROPPED_EXIF_TAGS
        )
        gps, _ = reader.ifd(pointers.get(TAG_GPS_IFD, 0), lambda tag: True)
    except struct.error:
        return ExifDirs()
    return ExifDirs(ifd0=ifd0, exif=exif, gps=gps)


def copied_size(blob: bytes) -> int:
    """What copying an EXIF blob costs when each entry's value is written out on its own (as
    libexif does when libvips saves it): the entries of IFD0, IFD1 and the EXIF, GPS and
    interoperability directories with their values. Counting stops past `MAX_EXIF_BYTES`."""
    data = blob[len(EXIF_HEADER) :] if blob.startswith(EXIF_HEADER) else blob
    order = _byte_order(data)
    if order is None:
        return 0
    total = 0
    seen: set[int] = set()
    try:
        pending = [struct.unpack_from(order + "I", data, 4)[0]]
        while pending and total <= MAX_EXIF_BYTES and len(seen) < _MAX_IFDS:
            offset = pending.pop()
            if offset in seen or not 0 < offset < len(data):
                continue
            seen.add(offset)
            (count,) = struct.unpack_from(order + "H", data, offset)
            for i in range(min(count, _MAX_ENTRIES)):
                tag, type_, n, value = struct.unpack_from(order + "HHII", data, offset + 2 + 12 * i)
                total += _cost(_TYPE_SIZES.get(type_, 1) * n)
                if tag in (TAG_EXIF_IFD, TAG_GPS_IFD, TAG_INTEROP_IFD):
                    pending.append(value)
            pending.append(struct.unpack_from(order + "I", data, offset + 2 + 12 * count)[0])
    except struct.error:
        pass  # the walk ends where the data does
    return total


def bounded_exif(blob: bytes | None) -> bytes | None:
    """`blob` itself when copying it stays within `MAX_EXIF_BYTES`; otherwise a new blob of the
    entries worth keeping that fit (None when none do)."""
    if not blob:
        return None
    if len(blob) <= MAX_EXIF_BYTES and copied_size(blob) <= MAX_EXIF_BYTES:
        return blob
    dirs = read_tiff_exif(blob)
    return build_exif_blob(dirs) if dirs else None


class _Writer:
    """Appends IFDs to a little-endian TIFF byte buffer; a value shared by entries once."""

    def __init__(self, data: bytes) -> None:
        self.buf = bytearray(data)
        self._written: dict[bytes, int] = {}  # out-of-line value -> its offset

    def _align(self) -> None:
        if len(self.buf) % 2:
            self.buf.append(0)

    def write_ifd(
        self, entries: list[Entry], next_ifd: int = 0, verbatim: frozenset[int] = frozenset()
    ) -> int:
        """Append `entries` (sorted by tag) with their out-of-line values; return the offset.

        Entries whose id() is in `verbatim` keep their 4-byte value field as it is (an inline
        value or an absolute offset into data already in the buffer).
        """
        entries = sorted(entries, key=lambda e: e.tag)
        self._align()
        start = len(self.buf)
        table_size = 2 + 12 * len(entries) + 4
        self.buf += bytes(table_size)
        struct.pack_into("<H", self.buf, start, len(entries))
        for i, entry in enumerate(entries):
            pos = start + 2 + 12 * i
            struct.pack_into("<HHI", self.buf, pos, entry.tag, entry.type, entry.count)
            if id(entry) in verbatim or len(entry.value) <= 4:
                self.buf[pos + 8 : pos + 12] = entry.value.ljust(4, b"\x00")
            else:
                where = self._written.get(entry.value)
                if where is None:
                    self._align()
                    where = self._written[entry.value] = len(self.buf)
                    self.buf += entry.value
                struct.pack_into("<I", self.buf, pos + 8, where)
        struct.pack_into("<I", self.buf, start + table_size - 4, next_ifd)
        return start


def _without(dirs: ExifDirs, present: set[int]) -> ExifDirs:
    """`dirs` minus the sub-directories whose pointer the TIFF already has."""
    return ExifDirs(
        ifd0=dirs.ifd0,
        exif=[] if TAG_EXIF_IFD in present else dirs.exif,
        gps=[] if TAG_GPS_IFD in present else dirs.gps,
    )


def _pointer(tag: int, offset: int) -> Entry:
    return Entry(tag, 4, 1, struct.pack("<I", offset))


def _with_subdirs(writer: _Writer, ifd0: list[Entry], dirs: ExifDirs) -> list[Entry]:
    entries = list(ifd0)
    if dirs.exif:
        entries.append(_pointer(TAG_EXIF_IFD, writer.write_ifd(dirs.exif)))
    if dirs.gps:
        entries.append(_pointer(TAG_GPS_IFD, writer.write_ifd(dirs.gps)))
    return entries


def build_exif_blob(dirs: ExifDirs) -> bytes:
    """An `Exif\\0\\0`-prefixed blob (what libvips keeps as `exif-data`) holding `dirs`."""
    writer = _Writer(b"II*\x00\x08\x00\x00\x00")
    ifd0 = _with_subdirs(writer, dirs.ifd0, dirs)
    offset = writer.write_ifd(ifd0)
    struct.pack_into("<I", writer.buf, 4, offset)
    return EXIF_HEADER + bytes(writer.buf)


def add_exif_to_tiff(tiff: bytes, dirs: ExifDirs) -> bytes:
    """`tiff` (little-endian, as libvips writes) with `dirs` added to its first IFD.

    A new first IFD — the old entries plus the EXIF ones they lack — is appended and the
    header points to it; the image data stays where it is, so its offsets remain valid.
    """
    if not dirs or tiff[:4] != b"II*\x00":
        return tiff
    (old_offset,) = struct.unpack_from("<I", tiff, 4)
    (count,) = struct.unpack_from("<H", tiff, old_offset)
    old_entries: list[Entry] = []
    for i in range(count):
        pos = old_offset + 2 + 12 * i
        tag, type_, n = struct.unpack_from("<HHI", tiff, pos)
        old_entries.append(Entry(tag, type_, n, tiff[pos + 8 : pos + 12]))
    (next_ifd,) = struct.unpack_from("<I", tiff, old_offset + 2 + 12 * count)
    present = {e.tag for e in old_entries}
    writer = _Writer(tiff)
    added = _with_subdirs(
        writer, [e for e in dirs.ifd0 if e.tag not in present], _without(dirs, present)
    )
    # The old entries' value fields are kept verbatim (inline values or absolute offsets).
    verbatim = frozenset(id(e) for e in old_entries)
    start = writer.write_ifd(old_entries + added, next_ifd, verbatim)
    struct.pack_into("<I", writer.buf, 4, start)
    return bytes(writer.buf)
