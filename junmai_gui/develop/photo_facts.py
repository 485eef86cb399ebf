"""What naming templates know about a photo: when it was taken, the camera, lens, ISO, rating.

Read cheaply, from the file's header only, never its pixels: planning a batch of 100,000
photos must not decode them. A JPEG's segments are walked with seeks (the EXIF block is read
up to `_EXIF_BYTES`, the XMP block only when a rating is wanted); a TIFF or a TIFF-based RAW
gives its first `_TIFF_HEAD` bytes to `exif_tiff`; any other kind (PNG, WebP, HEIC, AVIF)
is opened by libvips for its header. A RAW's rating comes from its XMP sidecar
(`IMG_0001.xmp` beside it), as Lightroom and darktable write it. Whatever cannot be read is
simply unknown: reading facts never raises.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import struct
from dataclasses import dataclass
from typing import BinaryIO

from junmai_gui.develop.exif_tiff import IFD0_TAGS, Entry, ExifDirs, read_tiff_exif

_EXIF_BYTES = 16 * 1024  # the camera's IFD0 and EXIF directory sit at the start of the block
_TIFF_HEAD = 64 * 1024
_MAX_SEGMENTS = 32
_XMP_HEADER = b"http://ns.adobe.com/xap/1.0/\x00"
_MAX_XMP = 256 * 1024
_RATING = re.compile(rb"xmp:Rating\s*(?:=\s*[\"']|>)\s*(-?\d+)")
# EXIF tags: Make, Model (IFD0), Rating (IFD0, Windows), ISO, ISOSpeed, DateTimeOriginal,
# LensModel (EXIF directory)
_MAKE, _MODEL, _RATING_TAG = 271, 272, 18246
_ISO, _ISO_SPEED, _TAKEN, _LENS = 34855, 34867, 36867, 42036
_TIFF_MAGIC = {b"II*\x00", b"MM\x00*", b"IIRO", b"IIRS", b"IIU\x00"}


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
                dirs, xmp = _jpeg(f, rating)
            elif head in _TIFF_MAGIC:
                f.seek(0)
                dirs, xmp = _tiff(f.read(_TIFF_HEAD)), None
            else:
                dirs, xmp = _vips_header(path)
    except OSError:
        dirs, xmp = ExifDirs(), None
    if rating and xmp is None:
        xmp = _sidecar_xmp(path)
    return _facts(path, dirs, xmp if rating else None)


def _jpeg(f: BinaryIO, want_xmp: bool) -> tuple[ExifDirs, bytes | None]:
    """EXIF (and XMP) from a JPEG's APP1 segments, reading their headers with seeks."""
    dirs, xmp = ExifDirs(), None
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
            if start.startswith(b"Exif\x00\x00") and not dirs:
                f.seek(position + 4)
                dirs = read_tiff_exif(f.read(min(length - 2, _EXIF_BYTES)))
            elif start == _XMP_HEADER and want_xmp:
                xmp = f.read(min(length - 2 - len(_XMP_HEADER), _MAX_XMP))
        if dirs and (xmp is not None or not want_xmp):
            break
        position += 2 + length
    return dirs, xmp


def _tiff(head: bytes) -> ExifDirs:
    if head[:4] in (b"IIRO", b"IIRS", b"IIU\x00"):  # Olympus and Panasonic: TIFF by another name
        head = b"II*\x00" + head[4:]
    return read_tiff_exif(head, ifd0_tags=IFD0_TAGS | {_RATING_TAG})


def _vips_header(path: str) -> tuple[ExifDirs, bytes | None]:
    """EXIF and XMP through libvips' header reading (no pixels are decoded)."""
    import pyvips

    try:
        image = pyvips.Image.new_from_file(path)
        exif = image.get("exif-data") if image.get_typeof("exif-data") else None
        xmp = image.get("xmp-data") if image.get_typeof("xmp-data") else None
    except pyvips.Error:
        return ExifDirs(), None
    dirs = read_tiff_exif(bytes(exif)) if exif else ExifDirs()
    return dirs, bytes(xmp) if xmp else None


def _sidecar_xmp(path: str) -> bytes | None:
    sidecar = os.path.splitext(path)[0] + ".xmp"
    try:
        with open(sidecar, "rb") as f:
            return f.read(_MAX_XMP)
    except OSError:
        return None


def _value(entries: list[Entry], tag: int) -> tuple[int, int, bytes] | None:
    for entry in entries:
        if entry.tag == tag:
            return entry.type, entry.count, entry.value
    return None


def _text(found: tuple[int, int, bytes] | None) -> str | None:
    if found is None or found[0] not in (1, 2, 7):
        return None
    raw = found[2].split(b"\x00", 1)[0]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        text = raw.decode("latin-1")
    text = " ".join(text.split())
    return text or None


def _number(found: tuple[int, int, bytes] | None) -> int | None:
    """The first SHORT or LONG of an entry (values are little-endian: see exif_tiff)."""
    if found is None:
        return None
    kind, _, value = found
    if kind == 3 and len(value) >= 2:
        return int(struct.unpack_from("<H", value)[0])
    if kind == 4 and len(value) >= 4:
        return int(struct.unpack_from("<I", value)[0])
    return None


def camera_name(make: str | None, model: str | None) -> str | None:
    """ "Canon EOS 40D", "NIKON COOLPIX P6000", "CASIO EX-100": the model, after the maker's
    first word unless the model starts with it already."""
    if not model:
        return make
    brand = (make or "").split(" ")[0].rstrip(",.")
    if not brand or model.casefold().startswith(brand.casefold()):
        return model
    return f"{brand} {model}"


def _taken(dirs: ExifDirs, path: str) -> dt.datetime | None:
    text = _text(_value(dirs.exif, _TAKEN))
    if text:
        try:
            return dt.datetime.strptime(text[:19], "%Y:%m:%d %H:%M:%S")
        except ValueError:
            pass  # "0000:00:00 00:00:00" and other placeholders: use the file's time
    try:
        return dt.datetime.fromtimestamp(os.stat(path).st_mtime)
    except (OSError, OverflowError, ValueError):
        return None


def _rating(dirs: ExifDirs, xmp: bytes | None) -> int | None:
    if xmp:
        match = _RATING.search(xmp)
        if match:
            return max(-1, min(5, int(match.group(1))))
    value = _number(_value(dirs.ifd0, _RATING_TAG))
    return min(5, value) if value is not None else None


def _facts(path: str, dirs: ExifDirs, xmp: bytes | None) -> PhotoFacts:
    ifd0, exif = dirs.ifd0, dirs.exif
    return PhotoFacts(
        taken=_taken(dirs, path),
        camera=camera_name(_text(_value(ifd0, _MAKE)), _text(_value(ifd0, _MODEL))),
        lens=_text(_value(exif, _LENS)),
        iso=_number(_value(exif, _ISO)) or _number(_value(exif, _ISO_SPEED)),
        rating=_rating(dirs, xmp),
    )
