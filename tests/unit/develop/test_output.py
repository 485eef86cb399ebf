"""Encoding: formats and bit depths, resizing, metadata (TIFF EXIF too), determinism, cancel."""

from __future__ import annotations

import io
import struct

import numpy as np
import pytest
import pyvips
from PIL import Image as PILImage

from junmai_gui.develop.errors import DevelopCancelled
from junmai_gui.develop.exif_tiff import Entry, ExifDirs, build_exif_blob, read_tiff_exif
from junmai_gui.develop.output import Metadata, OutputOptions, encode, prepare

FORMATS = ["jpeg", "tiff", "png", "webp", "avif"]


def gradient(width: int = 64, height: int = 48) -> pyvips.Image:
    xy = pyvips.Image.xyz(width, height)
    r, g = xy[0] * (255 / width), xy[1] * (255 / height)
    return r.bandjoin([g, (r + g) / 2]).cast("uchar").copy(interpretation="srgb")


def _ascii(tag: int, text: str) -> Entry:
    data = text.encode() + b"\x00"
    return Entry(tag, 2, len(data), data)


def _rationals(tag: int, *values: tuple[int, int]) -> Entry:
    return Entry(tag, 5, len(values), b"".join(struct.pack("<II", *v) for v in values))


def camera_exif(orientation: int = 1) -> bytes:
    """EXIF as a camera writes it: make, model, date, orientation, exposure date, GPS."""
    dirs = ExifDirs(
        ifd0=[
            _ascii(271, "Canon"),
            _ascii(272, "Canon EOS 40D"),
            _ascii(306, "2008:05:30 15:56:01"),
        ],
        exif=[_ascii(36867, "2008:05:30 15:56:01"), _rationals(33434, (1, 160))],
        gps=[
            Entry(1, 2, 2, b"N\x00"),
            _rationals(2, (43, 1), (28, 1), (2814, 1000)),
            Entry(3, 2, 2, b"E\x00"),
            _rationals(4, (11, 1), (53, 1), (645, 100)),
        ],
    )
    blob = build_exif_blob(dirs)
    # Add the orientation tag the way cameras do, through libvips' own EXIF writer.
    image = pyvips.Image.black(2, 2).copy()
    image.set_type(pyvips.GValue.blob_type, "exif-data", blob)
    image.set_type(pyvips.GValue.gint_type, "orientation", orientation)
    return bytes(pyvips.Image.new_from_buffer(image.jpegsave_buffer(), "").get("exif-data"))


def _encode(image: pyvips.Image, options: OutputOptions, metadata: Metadata | None = None) -> bytes:
    metadata = metadata or Metadata()
    return encode(prepare(image, None, options, metadata), options, metadata, source_name="a.jpg")


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_format_encodes_and_reloads(fmt: str) -> None:
    data = _encode(gradient(), OutputOptions(format=fmt))
    loaded = pyvips.Image.new_from_buffer(data, "")
    expected = {"jpeg": "jpegload", "tiff": "tiffload", "png": "pngload", "webp": "webpload"}
    assert loaded.get("vips-loader").startswith(expected.get(fmt, "heifload"))
    assert (loaded.width, loaded.height, loaded.bands, loaded.format) == (64, 48, 3, "uchar")


def test_jpeg_defaults_to_quality_92() -> None:
    options = OutputOptions()
    assert (options.format, options.quality, options.bit_depth) == ("jpeg", 92, 8)
    direct = gradient().jpegsave_buffer(Q=92, keep=pyvips.enums.ForeignKeep.ALL)
    assert _encode(gradient(), options) == bytes(direct)


@pytest.mark.parametrize("fmt", ["tiff", "png"])
def test_sixteen_bit_outputs_keep_sixteen_bits(fmt: str) -> None:
    deep = (gradient().cast("ushort") * 257 + 1).cast("ushort").copy(interpretation="rgb16")
    loaded = pyvips.Image.new_from_buffer(
        _encode(deep, OutputOptions(format=fmt, bit_depth=16)), ""
    )
    assert loaded.format == "ushort"
    assert np.array_equal(loaded.numpy(), deep.numpy())


def test_sixteen_bit_input_rounds_to_eight_bit_output() -> None:
    deep = (gradient().cast("ushort") * 257).cast("ushort").copy(interpretation="rgb16")
    loaded = pyvips.Image.new_from_buffer(_encode(deep, OutputOptions(format="png")), "")
    assert loaded.format == "uchar"
    assert np.array_equal(loaded.numpy(), gradient().numpy())


@pytest.mark.parametrize(("size", "long_edge", "expected"), [
    ((400, 200), 100, (100, 50)),
    ((200, 400), 100, (50, 100)),
    ((64, 48), 1000, (64, 48)),  # never upscaled
])  # fmt: skip
def test_long_edge_resizes_down_only(
    size: tuple[int, int], long_edge: int, expected: tuple[int, int]
) -> None:
    data = _encode(gradient(*size), OutputOptions(format="png", long_edge=long_edge))
    loaded = pyvips.Image.new_from_buffer(data, "")
    assert (loaded.width, loaded.height) == expected


@pytest.mark.parametrize("fmt", ["jpeg", "png", "webp", "avif"])
def test_exif_gps_xmp_and_icc_survive_and_orientation_says_upright(fmt: str) -> None:
    icc = bytes(gradient().icc_transform("p3", input_profile="srgb").get("icc-profile-data"))
    xmp = b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF/></x:xmpmeta>'
    metadata = Metadata(exif=camera_exif(orientation=6), xmp=xmp, icc=icc)
    loaded = pyvips.Image.new_from_buffer(
        _encode(gradient(), OutputOptions(format=fmt), metadata), ""
    )
    assert loaded.get("exif-ifd0-Make").startswith("Canon")
    assert loaded.get("exif-ifd0-Model").startswith("Canon EOS 40D")
    assert loaded.get("exif-ifd3-GPSLatitude").startswith("43/1 28/1")
    # Upright: the tag says 1, or (AVIF, where libvips leaves rotation to the container) is gone.
    orientation = "exif-ifd0-Orientation"
    assert loaded.get_typeof(orientation) == 0 or loaded.get(orientation).startswith("1 ")
    assert loaded.get_typeof("orientation") == 0 or loaded.get("orientation") == 1
    assert bytes(loaded.get("icc-profile-data")) == icc
    assert b"xmpmeta" in bytes(loaded.get("xmp-data"))


@pytest.mark.parametrize("bits", [8, 16])
def test_tiff_gets_its_exif_restored(bits: int) -> None:
    image = gradient() if bits == 8 else gradient().colourspace("rgb16")
    options = OutputOptions(format="tiff", bit_depth=bits)
    data = _encode(image, options, Metadata(exif=camera_exif(orientation=8)))
    # Read back by an independent reader (Pillow) and by ours.
    pil = PILImage.open(io.BytesIO(data))
    exif = pil.getexif()
    assert exif[271] == "Canon" and exif[272] == "Canon EOS 40D"
    assert exif[306] == "2008:05:30 15:56:01"
    assert exif.get_ifd(0x8769)[36867] == "2008:05:30 15:56:01"
    gps = exif.get_ifd(0x8825)
    assert gps[1] == "N" and tuple(float(v) for v in gps[2]) == (43.0, 28.0, 2.814)
    assert exif.get(274, 1) == 1
    dirs = read_tiff_exif(data)
    assert {e.tag for e in dirs.gps} == {1, 2, 3, 4}
    # The pixels are untouched by the EXIF edit.
    loaded = pyvips.Image.new_from_buffer(data, "")
    assert np.array_equal(loaded.numpy(), image.numpy())


@pytest.mark.parametrize("fmt", FORMATS)
def test_the_same_input_gives_the_same_bytes(fmt: str) -> None:
    metadata = Metadata(exif=camera_exif())
    first = _encode(gradient(), OutputOptions(format=fmt), metadata)
    second = _encode(gradient(), OutputOptions(format=fmt), metadata)
    assert first == second


def test_alpha_is_kept_where_the_format_has_it() -> None:
    alpha = (pyvips.Image.xyz(64, 48)[0] * 4).cast("uchar")
    options = OutputOptions(format="png")
    prepared = prepare(gradient(), alpha, options, Metadata())
    loaded = pyvips.Image.new_from_buffer(
        encode(prepared, options, Metadata(), source_name="a"), ""
    )
    assert loaded.bands == 4
    assert np.array_equal(loaded.numpy()[:, :, 3], alpha.numpy())


def test_a_running_encode_is_killed_when_cancelled() -> None:
    big = pyvips.Image.gaussnoise(1500, 1000).cast("uchar")
    image = big.bandjoin([big, big]).copy(interpretation="srgb")
    checks: list[bool] = []

    def cancelled() -> bool:
        checks.append(True)
        return True

    with pytest.raises(DevelopCancelled, match=r"a\.jpg was cancelled"):
        encode(image, OutputOptions(format="avif"), Metadata(), source_name="a.jpg",
               is_cancelled=cancelled)  # fmt: skip
    assert checks  # the kill came from libvips' progress signal


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"format": "gif"}, "Unknown output format"),
        ({"quality": 0}, "Quality"),
        ({"bit_depth": 12}, "Bit depth"),
        ({"format": "jpeg", "bit_depth": 16}, "16-bit output needs TIFF or PNG"),
        ({"long_edge": 4}, "Long edge"),
    ],
)
def test_invalid_options_are_refused_with_a_sentence(
    kwargs: dict[str, object], message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        OutputOptions(**kwargs)  # type: ignore[arg-type]
