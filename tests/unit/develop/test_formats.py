"""Which files are photos, which decoder each needs, and gathering them from folders."""

from __future__ import annotations

import struct
from pathlib import Path

import pytest

from junmai_gui.develop.files import TEMP_PREFIX
from junmai_gui.develop.formats import (
    PhotoKind,
    collect_photos,
    is_supported,
    sniff_kind,
)

JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(100)
PNG = b"\x89PNG\r\n\x1a\n" + bytes(100)
TIFF = b"II*\x00\x08\x00\x00\x00" + struct.pack("<H", 1) + struct.pack("<HHII", 256, 3, 1, 8)


def _ftyp(major: bytes, *compatible: bytes) -> bytes:
    body = major + b"\x00\x00\x00\x00" + b"".join(compatible)
    return struct.pack(">I", 8 + len(body)) + b"ftyp" + body + bytes(32)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("IMG_0001.jpg", True),
        ("IMG_0001.JPEG", True),
        ("scan.tiff", True),
        ("phone.HEIC", True),
        ("DSC_0001.NEF", True),
        ("a.cr3", True),
        ("a.dng", True),
        ("a.webp", True),
        ("a.avif", True),
        ("notes.txt", False),
        ("anim.gif", False),
        ("IMG_0001.xmp", False),
        ("noextension", False),
    ],
)
def test_is_supported_goes_by_extension_case_insensitively(name: str, expected: bool) -> None:
    assert is_supported(name) is expected


@pytest.mark.parametrize(
    ("name", "head", "kind"),
    [
        ("a.jpg", JPEG, PhotoKind.RASTER),
        ("a.jpg", PNG, PhotoKind.RASTER),  # a PNG named .jpg still decodes
        ("a.png", JPEG, PhotoKind.RASTER),
        ("a.tif", TIFF, PhotoKind.RASTER),
        ("a.webp", b"RIFF\x00\x00\x00\x00WEBPVP8 " + bytes(20), PhotoKind.RASTER),
        ("a.avif", _ftyp(b"avif", b"mif1", b"miaf"), PhotoKind.RASTER),
        ("a.heic", _ftyp(b"heic", b"mif1", b"heic"), PhotoKind.HEIF),
        ("a.heif", _ftyp(b"mif1", b"mif1", b"miaf"), PhotoKind.HEIF),
        ("a.jpg", _ftyp(b"heic", b"mif1"), PhotoKind.HEIF),  # an iPhone photo renamed .jpg
        # A RAW extension always means rawpy, whatever the bytes say.
        ("DSC_0001.NEF", JPEG, PhotoKind.RAW),
        ("DSC_0001.nef", TIFF, PhotoKind.RAW),
        # RAW magic wins over a raster extension.
        ("IMG.tif", b"II*\x00\x10\x00\x00\x00CR\x02\x00" + bytes(40), PhotoKind.RAW),
        ("IMG.jpg", b"FUJIFILMCCD-RAW 0201" + bytes(40), PhotoKind.RAW),
        ("IMG.jpg", b"IIU\x00\x18\x00\x00\x00" + bytes(40), PhotoKind.RAW),
        ("IMG.jpg", _ftyp(b"crx ", b"crx ", b"isom"), PhotoKind.RAW),
        ("a.jpg", b"", PhotoKind.EMPTY),
        ("a.jpg", b"404: Not Found", PhotoKind.UNKNOWN),
        ("a.jpg", b"GIF89a" + bytes(20), PhotoKind.UNKNOWN),
    ],
)
def test_sniff_kind_uses_extension_and_magic_bytes(name: str, head: bytes, kind: PhotoKind) -> None:
    assert sniff_kind(Path(name), head) is kind


def test_a_dng_renamed_to_tif_is_still_a_raw() -> None:
    entries = [(256, 4, 1, 100), (50706, 1, 4, 0x00000401)]  # ImageWidth, DNGVersion 1.4
    ifd = struct.pack("<H", len(entries))
    ifd += b"".join(struct.pack("<HHII", *entry) for entry in entries) + bytes(4)
    head = b"II*\x00\x08\x00\x00\x00" + ifd
    assert sniff_kind(Path("photo.tif"), head) is PhotoKind.RAW


def _touch(path: Path, data: bytes = JPEG) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def test_collect_photos_walks_folders_recursively_sorted_and_skips_non_photos(
    tmp_path: Path,
) -> None:
    root = tmp_path / "shoot"
    b = _touch(root / "b.jpg")
    a = _touch(root / "a.JPG")
    nested = _touch(root / "day2" / "c.nef")
    sidecar = _touch(root / "a.xmp", b"<x/>")  # not a photo: skipped, and listed
    _touch(root / ".hidden.jpg")  # hidden files and our temporary files: not even listed
    _touch(root / ".cache" / "thumb.jpg")
    _touch(root / f"{TEMP_PREFIX}abc-out.jpg")
    result = collect_photos([root])
    assert result.files == [a, b, nested]
    assert result.rejected == []
    assert result.skipped == [str(sidecar)]


def test_collect_photos_rejects_missing_and_unsupported_files_with_reasons(tmp_path: Path) -> None:
    photo = _touch(tmp_path / "ok.jpg")
    text = _touch(tmp_path / "notes.txt", b"hello")
    missing = tmp_path / "gone.jpg"
    result = collect_photos([str(missing), text, photo])
    assert result.files == [photo]
    reasons = dict(result.rejected)
    assert reasons[str(missing)] == "gone.jpg does not exist"
    assert "notes.txt is not a supported photo" in reasons[str(text)]


def test_collect_photos_keeps_argument_order_and_drops_duplicates(tmp_path: Path) -> None:
    z = _touch(tmp_path / "z.jpg")
    folder = tmp_path / "f"
    y = _touch(folder / "y.png", PNG)
    result = collect_photos([z, folder, y, str(z)])
    assert result.files == [z, y]


def test_collect_photos_returns_absolute_paths(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _touch(tmp_path / "rel.jpg")
    monkeypatch.chdir(tmp_path)
    result = collect_photos(["rel.jpg"])
    assert result.files == [tmp_path / "rel.jpg"]
    assert result.files[0].is_absolute()
