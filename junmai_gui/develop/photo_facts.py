"""What naming templates know about a photo: when it was taken, the camera, lens, ISO, rating.

Read cheaply, from the file's header only, never its pixels: planning a batch of 100,000
photos must not decode them. A JPEG's segments are walked with seeks (the EXIF block is read
up to `_EXIF_BYTES`, the XMP block only when a rating is wanted); a TIFF or a TIFF-based RAW
gives its first `_TIFF_HEAD` bytes; any other kind (PNG, WebP, HEIC, AVIF) is opened by
libvips for its header. Of the EXIF directories only the few tags naming uses are looked up
(`_read_tags`), which keeps a photo's facts to a few tens of microseconds. A RAW's rating
comes from its XMP sidecar (`IMG_0001.xmp` beside it), as Lightroom and darktable write it.
Whatever cannot be read is simply unknown: reading facts never raises.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import struct
from dataclasses import dataclass
from typing import BinaryIO

_EXIF_BYTES = 16 * 1024  # the camera's IFD0 and EXIF directory sit at the start of the block
_TIFF_HEAD = 64 * 1024
_MAX_SEGMENTS = 32
_MAX_ENTRIES = 1000
_MAX_TEXT = 256
_XMP_HEADER = b"http://ns.adobe.com/xap/1.0/\x00"
_MAX_XMP = 256 * 1024
_RATING = re.compile(rb"xmp:Rating\s*(?:=\s*[\"']|>)\s*(-?\d+)")
# EXIF tags: Make, Model, Rating (Windows) in IFD0; the EXIF directory's pointer; ISO,
# ISOSpeed, DateTimeOriginal and LensModel in the EXIF directory
_MAKE, _MODEL, _RATING_TAG, _EXIF_IFD = 271, 272, 18246, 34665
_ISO, _ISO_SPEED, _TAKEN, _LENS = 34855, 34867, 36867, 42036
_IFD0_TAGS = frozenset({_MAKE, _MODEL, _RATING_TAG})
_EXIF_TAGS = frozenset({_ISO, _ISO_SPEED, _TAKEN, _LENS})
_TYPE_SIZES = {1: 1, 2: 1, 3: 2, 4: 4, 7: 1}  # the types of the tags above
_TIFF_MAGIC = {b"II*\x00", b"MM\x00*", b"IIRO", b"IIRS", b"IIU\x00"}  # TIFF, ORF, RW2

Tags = dict[int, tuple[int, bytes, str]]  # tag -> (type, value bytes, byte order)


@dataclass(frozen=True)
class PhotoFacts:
    """A photo's facts as naming uses them; None where the file does not say."""

    taken: dt.datetime | None = None  # EXIF DateTimeOriginal, else the file's time
    camera: str | None = None
    lens: str | None = None
    iso: int | None = None
    rating: int | None = None


def read_photo_facts(path: str, *, rating: bool = False) -> PhotoFacts:
    """The facts of the photo at `path` (`rating` also reads XMP, which costs more)."""
    try:
        with open(path, "rb") as f:
            head = f.read(4)
            if head[:2] == b"\xff\xd8":
                tags, xmp = _jpeg(f, rating)
            elif head in _TIFF_MAGIC:
                f.seek(0)
                tags, xmp = _read_tags(f.read(_TIFF_HEAD)), None
            else:
                tags, xmp = _vips_header(path)
    except OSError:
        tags, xmp = {}, None
    if rating and xmp is None:
        xmp = _sidecar_xmp(path)
    return PhotoFacts(
        taken=_taken(tags, path),
        camera=camera_name(_text(tags.get(_MAKE)), _text(tags.get(_MODEL))),
        lens=_text(tags.get(_LENS)),
        iso=_number(tags.get(_ISO)) or _number(tags.get(_ISO_SPEED)),
        rating=_rating(tags, xmp) if rating else None,
    )


def camera_name(make: str | None, model: str | None) -> str | None:
    """ "Canon EOS 40D", "NIKON COOLPIX P6000", "CASIO EX-100": the model, after the maker's
    first word unless the model starts with it already."""
    if not model:
        return make
    brand = (make or "").split(" ")[0].rstrip(",.")
    if not brand or model.casefold().startswith(brand.casefold()):
        return model
    return f"{brand} {model}"


def _jpeg(f: BinaryIO, want_xmp: bool) -> tuple[Tags, bytes | None]:
    """EXIF tags (and XMP) from a JPEG's APP1 segments, reading their headers with seeks."""
    tags: Tags = {}
    xmp = None
    position = 2
    for _ in range(_MAX_SEGMENTS):
        f.seek(position)
        header = f.read(4)
        if len(header) < 4 or header[0] != 0xFF:
            break
        marker, length = header[1], struct.unpack(">H", header[2:])[0]
        if marker in (0xDA, 0xD9) or length < 2:  # the pixels start: no metadata after
            break
        if marker == 0xE1:
            start = f.read(min(len(_XMP_HEADER), length - 2))
            if start.startswith(b"Exif\x00\x00") and not tags:
                f.seek(position + 10)
                tags = _read_tags(f.read(min(length - 8, _EXIF_BYTES)))
            elif start == _XMP_HEADER and want_xmp:
                xmp = f.read(min(length - 2 - len(_XMP_HEADER), _MAX_XMP))
        if tags and (xmp is not None or not want_xmp):
            break
        position += 2 + length
    return tags, xmp


def _read_tags(data: bytes) -> Tags:
    """The tags naming uses, from a TIFF structure (a TIFF/RAW's start, or an EXIF block
    after its `Exif\\0\\0`); what is missing or out of bounds is left out."""
    order = {b"II": "<", b"MM": ">"}.get(data[:2])
    if order is None or len(data) < 8:
        return {}
    tags: Tags = {}
    try:
        exif = _read_ifd(data, order, struct.unpack_from(order + "I", data, 4)[0], _IFD0_TAGS, tags)
        if exif:
            _read_ifd(data, order, exif, _EXIF_TAGS, tags)
    except struct.error:
        pass  # a directory cut short: keep what was read
    return tags


def _read_ifd(data: bytes, order: str, offset: int, wanted: frozenset[int], tags: Tags) -> int:
    """The `wanted` tags of one directory into `tags`; returns its EXIF pointer (0: none)."""
    if not 0 < offset < len(data) - 2:
        return 0
    pointer = 0
    (count,) = struct.unpack_from(order + "H", data, offset)
    entry = struct.Struct(order + "HHII")
    for index in range(min(count, _MAX_ENTRIES)):
        tag, kind, number, value = entry.unpack_from(data, offset + 2 + 12 * index)
        if tag == _EXIF_IFD:
            pointer = value
        elif tag in wanted and kind in _TYPE_SIZES:
            size = min(_TYPE_SIZES[kind] * number, _MAX_TEXT)
            where = offset + 2 + 12 * index + 8 if size <= 4 else value
            tags[tag] = (kind, data[where : where + size], order)
    return pointer


def _vips_header(path: str) -> tuple[Tags, bytes | None]:
    """EXIF and XMP through libvips' header reading (no pixels are decoded)."""
    import pyvips

    try:
        image = pyvips.Image.new_from_file(path)
        exif = image.get("exif-data") if image.get_typeof("exif-data") else None
        xmp = image.get("xmp-data") if image.get_typeof("xmp-data") else None
    except pyvips.Error:
        return {}, None
    raw = bytes(exif) if exif else b""
    return _read_tags(raw[6:] if raw.startswith(b"Exif\x00\x00") else raw), (
        bytes(xmp) if xmp else None
    )


def _sidecar_xmp(path: str) -> bytes | None:
    try:
        with open(os.path.splitext(path)[0] + ".xmp", "rb") as f:
            return f.read(_MAX_XMP)
    except OSError:
        return None


def _text(found: tuple[int, bytes, str] | None) -> str | None:
    if found is None or found[0] not in (1, 2, 7):
        return None
    raw = found[1].split(b"\x00", 1)[0]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        text = raw.decode("latin-1")
    return " ".join(text.split()) or None


def _number(found: tuple[int, bytes, str] | None) -> int | None:
    """The first SHORT or LONG of a tag."""
    if found is None:
        return None
    kind, value, order = found
    if kind == 3 and len(value) >= 2:
        return int(struct.unpack_from(order + "H", value)[0])
    if kind == 4 and len(value) >= 4:
        return int(struct.unpack_from(order + "I", value)[0])
    return None


def _taken(tags: Tags, path: str) -> dt.datetime | None:
    """DateTimeOriginal ("2008:05:30 15:56:01"), else the file's modification time."""
    text = _text(tags.get(_TAKEN)) or ""
    try:
        return dt.datetime(
            int(text[0:4]), int(text[5:7]), int(text[8:10]),
            int(text[11:13]), int(text[14:16]), int(text[17:19]),
        )  # fmt: skip
    except ValueError:
        pass  # none, or "0000:00:00 00:00:00" and other placeholders
    try:
        return dt.datetime.fromtimestamp(os.stat(path).st_mtime)
    except (OSError, OverflowError, ValueError):
        return None


def _rating(tags: Tags, xmp: bytes | None) -> int | None:
    if xmp:
        match = _RATING.search(xmp)
        if match:
            return max(-1, min(5, int(match.group(1))))
    value = _number(tags.get(_RATING_TAG))
    return min(5, value) if value is not None else None
