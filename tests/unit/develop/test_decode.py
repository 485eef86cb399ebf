"""Decoding generated photos: formats, bit depth, colour, alpha, orientation, bad files."""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

import numpy as np
import pytest
import pyvips

from junmai_gui.develop import decode as decode_module
from junmai_gui.develop.decode import decode_photo, decode_preview
from junmai_gui.develop.errors import PhotoError
from junmai_gui.develop.formats import PhotoKind


def gradient(width: int = 64, height: int = 48) -> pyvips.Image:
    """An asymmetric 8-bit sRGB test picture (so rotations and mirrors are visible)."""
    xy = pyvips.Image.xyz(width, height)
    r = xy[0] * (255 / width)
    g = xy[1] * (255 / height)
    b = (xy[0] + 2 * xy[1]) * (255 / (width + 2 * height))
    return r.bandjoin([g, b]).cast("uchar").copy(interpretation="srgb")


def as_array(image: pyvips.Image) -> np.ndarray:  # type: ignore[type-arg]
    return np.asarray(image.numpy(), dtype=np.float64)


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    path = tmp_path / "in"
    path.mkdir()
    return path


def test_jpeg_decodes_to_three_band_srgb_uchar_in_memory(folder: Path) -> None:
    path = folder / "IMG_0001.jpg"
    gradient().jpegsave(str(path), Q=95)
    photo = decode_photo(path)
    assert (photo.image.width, photo.image.height, photo.image.bands) == (64, 48, 3)
    assert photo.image.format == "uchar" and photo.image.interpretation == "srgb"
    assert photo.alpha is None and not photo.is_raw and photo.kind is PhotoKind.RASTER
    assert np.abs(as_array(photo.image) - as_array(gradient())).mean() < 2


@pytest.mark.parametrize("suffix", [".png", ".tif"])
def test_sixteen_bit_stays_sixteen_bit(folder: Path, suffix: str) -> None:
    deep = (gradient().cast("ushort") * 257 + 3).cast("ushort").copy(interpretation="rgb16")
    path = folder / f"scan{suffix}"
    deep.write_to_file(str(path))
    photo = decode_photo(path)
    assert photo.image.format == "ushort" and photo.image.interpretation == "rgb16"
    assert np.array_equal(as_array(photo.image), as_array(deep))


@pytest.mark.parametrize(("suffix", "saver"), [(".webp", "webpsave"), (".avif", "heifsave")])
def test_webp_and_avif_decode(folder: Path, suffix: str, saver: str) -> None:
    path = folder / f"a{suffix}"
    options = {"compression": "av1"} if saver == "heifsave" else {}
    getattr(gradient(), saver)(str(path), Q=90, **options)
    photo = decode_photo(path)
    assert (photo.image.width, photo.image.height, photo.image.bands) == (64, 48, 3)
    assert np.abs(as_array(photo.image) - as_array(gradient())).mean() < 6


def test_a_png_named_jpg_decodes(folder: Path) -> None:
    path = folder / "really-a-png.jpg"
    gradient().pngsave(str(path))
    assert np.array_equal(as_array(decode_photo(path).image), as_array(gradient()))


def test_greyscale_becomes_three_bands(folder: Path) -> None:
    path = folder / "bw.png"
    gradient()[0].copy(interpretation="b-w").pngsave(str(path))
    photo = decode_photo(path)
    assert photo.image.bands == 3
    pixels = as_array(photo.image)
    assert np.array_equal(pixels[:, :, 0], pixels[:, :, 2])


def test_cmyk_jpeg_is_converted_to_srgb(folder: Path) -> None:
    path = folder / "print.jpg"
    gradient().icc_export(output_profile="cmyk").jpegsave(str(path), Q=98)
    photo = decode_photo(path)
    assert photo.image.bands == 3 and photo.image.interpretation == "srgb"
    assert np.abs(as_array(photo.image) - as_array(gradient())).mean() < 12


def test_a_wide_gamut_profile_is_converted_to_srgb_unless_kept(folder: Path) -> None:
    path = folder / "p3.png"
    p3 = gradient().icc_transform("p3", input_profile="srgb")
    p3.pngsave(str(path))
    converted = decode_photo(path)
    kept = decode_photo(path, keep_profile=True)
    error = np.abs(as_array(converted.image) - as_array(gradient()))
    assert error.mean() < 1 and error.max() <= 8  # 8-bit round trip through P3
    assert np.array_equal(as_array(kept.image), as_array(p3))
    assert kept.icc == bytes(p3.get("icc-profile-data"))
    assert converted.icc is not None and converted.icc != kept.icc


def test_alpha_is_split_off(folder: Path) -> None:
    path = folder / "logo.png"
    alpha = (pyvips.Image.xyz(64, 48)[0] * 4).cast("uchar")
    gradient().bandjoin(alpha).pngsave(str(path))
    photo = decode_photo(path)
    assert photo.image.bands == 3
    assert photo.alpha is not None
    assert np.array_equal(as_array(photo.alpha), as_array(alpha))


@pytest.mark.parametrize("orientation", range(1, 9))
def test_orientation_is_applied_exactly_once(folder: Path, orientation: int) -> None:
    upright = gradient()
    # The stored pixels are the upright picture turned the way the tag says to undo.
    undo = {
        1: lambda i: i,
        2: lambda i: i.fliphor(),
        3: lambda i: i.rot180(),
        4: lambda i: i.flipver(),
        5: lambda i: i.rot90().fliphor(),
        6: lambda i: i.rot270(),
        7: lambda i: i.rot270().fliphor(),
        8: lambda i: i.rot90(),
    }[orientation]
    stored = undo(upright).copy()
    stored.set_type(pyvips.GValue.gint_type, "orientation", orientation)
    path = folder / f"o{orientation}.png"
    stored.pngsave(str(path))
    assert pyvips.Image.new_from_file(str(path)).get("orientation") == orientation
    photo = decode_photo(path)
    assert np.array_equal(as_array(photo.image), as_array(upright))
    assert photo.image.get_typeof("orientation") == 0  # the tag is gone: no second rotation


def _png_claiming(width: int, height: int) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    idat = zlib.compress(b"\x00" * 64)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


def test_a_decompression_bomb_is_refused_from_its_header(folder: Path) -> None:
    path = folder / "bomb.png"
    path.write_bytes(_png_claiming(30000, 30000))  # 900 megapixels in 100 bytes
    with pytest.raises(PhotoError, match=r"bomb\.png is too large.*900 megapixels"):
        decode_photo(path)
    with pytest.raises(PhotoError, match="too large"):
        decode_preview(path, 256)


def test_the_pixel_cap_is_a_parameter(folder: Path) -> None:
    path = folder / "big.jpg"
    gradient(200, 100).jpegsave(str(path))
    with pytest.raises(PhotoError, match="too large"):
        decode_photo(path, max_pixels=10_000)


def test_truncated_jpeg_is_damaged(folder: Path) -> None:
    whole = gradient(256, 256).jpegsave_buffer(Q=95)
    path = folder / "IMG_0002.jpg"
    path.write_bytes(whole[: len(whole) // 2])
    with pytest.raises(PhotoError) as info:
        decode_photo(path)
    assert info.value.message == "IMG_0002.jpg is damaged or incomplete and could not be decoded"


def test_garbage_after_jpeg_magic_is_damaged(folder: Path) -> None:
    path = folder / "noise.jpg"
    path.write_bytes(b"\xff\xd8\xff\xe0" + bytes((i * 37) & 0xFF for i in range(5000)))
    with pytest.raises(PhotoError, match=r"noise\.jpg is damaged"):
        decode_photo(path)


def test_empty_unknown_and_missing_files_fail_with_sentences(folder: Path) -> None:
    empty = folder / "empty.jpg"
    empty.write_bytes(b"")
    text = folder / "notes.jpg"
    text.write_text("404: Not Found")
    with pytest.raises(PhotoError, match=r"empty\.jpg is empty \(0 bytes\)"):
        decode_photo(empty)
    with pytest.raises(PhotoError, match=r"notes\.jpg is not a photo Junmai can read"):
        decode_photo(text)
    with pytest.raises(PhotoError, match=r"gone\.jpg could not be found"):
        decode_photo(folder / "gone.jpg")


def test_a_raw_never_reaches_libvips_even_when_libraw_fails(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A TIFF with a RAW name: libvips would happily decode it; LibRaw refuses it.
    path = folder / "DSC_0001.NEF"
    gradient(160, 106).tiffsave(str(path))
    opened: list[str] = []
    real_new_from_file = pyvips.Image.new_from_file
    real_thumbnail = pyvips.Image.thumbnail

    def spy_new_from_file(name: str, **kwargs: object) -> pyvips.Image:
        opened.append(name)
        return real_new_from_file(name, **kwargs)

    def spy_thumbnail(name: str, *args: object, **kwargs: object) -> pyvips.Image:
        opened.append(name)
        return real_thumbnail(name, *args, **kwargs)

    monkeypatch.setattr(pyvips.Image, "new_from_file", staticmethod(spy_new_from_file))
    monkeypatch.setattr(pyvips.Image, "thumbnail", staticmethod(spy_thumbnail))
    with pytest.raises(PhotoError, match=r"DSC_0001\.NEF could not be decoded"):
        decode_photo(path)
    with pytest.raises(PhotoError, match=r"DSC_0001\.NEF could not be decoded"):
        decode_preview(path, 64)
    assert opened == []


def test_preview_decodes_at_reduced_size(folder: Path) -> None:
    path = folder / "big.jpg"
    gradient(800, 400).jpegsave(str(path))
    photo = decode_preview(path, 100)
    assert (photo.image.width, photo.image.height, photo.image.bands) == (100, 50, 3)


def test_a_decoder_running_out_of_memory_fails_the_photo(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = folder / "a.jpg"
    gradient().jpegsave(str(path))

    def no_memory(*args: object, **kwargs: object) -> None:
        raise MemoryError

    monkeypatch.setattr(decode_module, "_decode_vips", no_memory)
    with pytest.raises(PhotoError, match=r"a\.jpg is too large to develop with the memory"):
        decode_photo(path)


def test_a_file_replaced_on_disk_is_decoded_afresh(folder: Path) -> None:
    path = folder / "IMG_0005.jpg"
    gradient().jpegsave(str(path))
    first = decode_photo(path)
    replacement = folder / "new.jpg"
    gradient().fliphor().jpegsave(str(replacement))
    replacement.replace(path)
    second = decode_photo(path)
    assert np.abs(as_array(second.image) - as_array(gradient().fliphor())).mean() < 2
    assert np.abs(as_array(second.image) - as_array(first.image)).mean() > 20


def test_float_and_signed_tiffs_become_sixteen_bit(folder: Path) -> None:
    for name, image in (
        ("lab.tif", gradient().colourspace("lab")),
        ("labs.tif", gradient().colourspace("labs")),
        ("scrgb.tif", gradient().colourspace("scrgb")),
    ):
        path = folder / name
        image.tiffsave(str(path))
        photo = decode_photo(path)
        assert photo.image.format == "ushort", name
        assert np.abs(as_array(photo.image) / 257 - as_array(gradient())).mean() < 1, name


def test_a_damaged_embedded_profile_does_not_fail_the_photo(folder: Path) -> None:
    profile = bytearray(
        gradient().icc_transform("p3", input_profile="srgb").get("icc-profile-data")
    )
    profile[132:] = b"A" * (len(profile) - 132)  # a valid header over a garbage tag table
    image = gradient().copy()
    image.set_type(pyvips.GValue.blob_type, "icc-profile-data", bytes(profile))
    path = folder / "odd-profile.tif"
    image.tiffsave(str(path))
    assert pyvips.Image.new_from_file(str(path)).get_typeof("icc-profile-data") != 0
    photo = decode_photo(path)  # read as sRGB
    assert np.abs(as_array(photo.image) - as_array(gradient())).max() <= 1


def test_an_upright_photo_is_decoded_into_one_buffer_the_pipeline_may_develop(
    folder: Path,
) -> None:
    path = folder / "upright.jpg"
    gradient().jpegsave(str(path), Q=95)
    photo = decode_photo(path)
    assert photo.pixels is not None
    wrapped = np.frombuffer(photo.pixels, np.uint8).reshape(48, 64, 3)
    assert np.array_equal(as_array(photo.image), wrapped)
    wrapped[0, 0] = (1, 2, 3)  # the image is a view of that very memory
    assert tuple(photo.image.crop(0, 0, 1, 1).numpy().reshape(3)) == (1, 2, 3)


def test_a_photo_to_turn_or_with_alpha_has_no_buffer_to_develop_in_place(folder: Path) -> None:
    turned = folder / "turned.jpg"
    image = gradient().copy()
    image.set_type(pyvips.GValue.gint_type, "orientation", 6)
    image.jpegsave(str(turned), Q=95)
    transparent = folder / "alpha.png"
    gradient().bandjoin(255).copy(interpretation="srgb").pngsave(str(transparent))
    photo = decode_photo(turned)
    assert (photo.image.width, photo.image.height, photo.pixels) == (48, 64, None)
    assert decode_photo(transparent).pixels is None


def test_a_10_bit_heic_is_developed_at_its_full_depth(tmp_path: Path) -> None:
    """pi-heif cannot encode, so pillow-heif (a test-only dependency: its wheels bundle the
    x265 encoder) writes a real 10-bit HEIC; Junmai reads it with pi-heif as always."""
    import pillow_heif

    from junmai_gui.develop.engine import OutputOptions, develop_photo
    from junmai_gui.develop.preset import Preset

    ramp = np.linspace(0, 65535, 64 * 1024).reshape(64, 1024).astype(np.uint16)
    rgb = np.ascontiguousarray(np.stack([ramp, ramp[:, ::-1], ramp], axis=-1))
    source = tmp_path / "ten-bit.heic"
    heif = pillow_heif.from_bytes(mode="RGB;16", size=(1024, 64), data=rgb.tobytes())
    heif.save(str(source), quality=-1, bit_depth=10)
    photo = decode_photo(source)
    pixels = photo.image.numpy()
    assert photo.image.format == "ushort" and photo.image.interpretation == "rgb16"
    assert len(np.unique(pixels[..., 0])) > 256  # 10 bits kept, not reduced to 8
    assert pixels.max() == 65535  # white is still white
    out = develop_photo(
        source, tmp_path / "out.tif", Preset("lift", {"Exposure2012": 0.3}), 100,
        OutputOptions(format="tiff", bit_depth=16),
    )  # fmt: skip
    developed = pyvips.Image.new_from_file(str(out)).numpy()
    assert developed.dtype == np.uint16 and len(np.unique(developed[..., 0])) > 256
