"""Encoding: formats and bit depths, resizing, metadata (TIFF EXIF too), determinism, cancel."""

from __future__ import annotations

import io
import json
import struct
from pathlib import Path

import numpy as np
import pytest
import pyvips
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image as PILImage

from junmai_gui.develop.errors import DevelopCancelled
from junmai_gui.develop.exif_tiff import (
    MAX_EXIF_BYTES,
    Entry,
    ExifDirs,
    bounded_exif,
    build_exif_blob,
    copied_size,
    read_tiff_exif,
)
from junmai_gui.develop.output import Metadata, OutputOptions, encode, prepare
from junmai_gui.domain.config import BatchConfig
from tests.unit.develop.helpers import shared_block_exif

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


def test_output_options_are_the_output_part_of_a_batch_config() -> None:
    """The config validates (domain.config); the options only carry its values, also
    through JSON to a develop process."""
    config = BatchConfig(preset="p", format="tiff", bit_depth=16, long_edge=2048, quality=80)
    options = OutputOptions.from_config(config)
    assert (options.format, options.bit_depth, options.long_edge, options.quality) == (
        "tiff", 16, 2048, 80,
    )  # fmt: skip
    assert options.extension == ".tif"
    assert OutputOptions.from_dict(json.loads(json.dumps(options.to_dict()))) == options


def test_avif_is_refused_where_this_computer_cannot_encode_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from junmai_gui.develop import output

    config = BatchConfig(preset="p", format="avif")
    monkeypatch.setattr(output, "avif_available", lambda: False)
    problem = output.unsupported_here(config)
    assert problem is not None and "AVIF output is not available on this computer" in problem
    monkeypatch.setattr(output, "avif_available", lambda: True)
    assert output.unsupported_here(config) is None
    assert output.unsupported_here(BatchConfig(preset="p")) is None


def _big_endian_exif() -> bytes:
    """A Motorola-order EXIF block, as Kodak, Nikon RAWs and some cameras write."""

    def ifd(entries: list[tuple[int, int, int, bytes]], at: int) -> tuple[bytes, bytes]:
        table, data = struct.pack(">H", len(entries)), b""
        data_at = at + 2 + 12 * len(entries) + 4
        for tag, type_, count, value in entries:
            if len(value) <= 4:
                table += struct.pack(">HHI", tag, type_, count) + value.ljust(4, b"\x00")
            else:
                table += struct.pack(">HHII", tag, type_, count, data_at + len(data))
                data += value
        return table + bytes(4), data

    exif_at, gps_at = 200, 300
    ifd0, ifd0_data = ifd(
        [
            (271, 2, 6, b"Kodak\x00"),
            (272, 2, 10, b"DC50 Zoom\x00"),
            (34665, 4, 1, struct.pack(">I", exif_at)),
            (34853, 4, 1, struct.pack(">I", gps_at)),
        ],
        8,
    )
    exif, exif_data = ifd(
        [(33434, 5, 1, struct.pack(">II", 1, 160)), (34855, 3, 1, struct.pack(">H", 400))],
        exif_at,
    )
    gps, gps_data = ifd([(2, 5, 3, struct.pack(">6I", 43, 1, 28, 1, 2814, 1000))], gps_at)
    blob = bytearray(b"MM\x00*" + struct.pack(">I", 8) + ifd0 + ifd0_data)
    blob += bytes(exif_at - len(blob)) + exif + exif_data
    blob += bytes(gps_at - len(blob)) + gps + gps_data
    return bytes(blob)


def test_big_endian_exif_is_converted_to_the_output_byte_order() -> None:
    dirs = read_tiff_exif(_big_endian_exif())
    blob = build_exif_blob(dirs)
    assert blob.startswith(b"Exif\x00\x00II*\x00")
    exif = PILImage.Exif()
    exif.load(blob)
    assert exif[271] == "Kodak" and exif[272] == "DC50 Zoom"
    sub = exif.get_ifd(0x8769)
    assert float(sub[33434]) == pytest.approx(1 / 160) and sub[34855] == 400
    assert [float(v) for v in exif.get_ifd(0x8825)[2]] == pytest.approx([43, 28, 2.814])


@settings(max_examples=30, deadline=None)
@given(
    order=st.sampled_from(["<", ">"]),
    shorts=st.lists(st.integers(0, 65535), min_size=1, max_size=5),
    longs=st.lists(st.integers(0, 2**32 - 1), min_size=1, max_size=3),
    rationals=st.lists(st.tuples(st.integers(0, 2**32 - 1), st.integers(1, 2**32 - 1)),
                       min_size=1, max_size=3),
)  # fmt: skip
def test_exif_values_survive_a_round_trip_in_either_byte_order(
    order: str, shorts: list[int], longs: list[int], rationals: list[tuple[int, int]]
) -> None:
    mark = b"II*\x00" if order == "<" else b"MM\x00*"
    values = [
        (37379, 3, len(shorts), struct.pack(f"{order}{len(shorts)}H", *shorts)),
        (37380, 4, len(longs), struct.pack(f"{order}{len(longs)}I", *longs)),
        (37381, 5, len(rationals), b"".join(struct.pack(f"{order}II", *r) for r in rationals)),
    ]
    exif_at = 8 + 2 + 12 + 4
    table = struct.pack(f"{order}H", 1) + struct.pack(f"{order}HHII", 34665, 4, 1, exif_at)
    table += bytes(4)
    sub = struct.pack(f"{order}H", len(values))
    data_at = exif_at + 2 + 12 * len(values) + 4
    data = b""
    for tag, type_, count, raw in values:
        if len(raw) <= 4:
            sub += struct.pack(f"{order}HHI", tag, type_, count) + raw.ljust(4, b"\x00")
        else:
            sub += struct.pack(f"{order}HHII", tag, type_, count, data_at + len(data))
            data += raw
    blob = mark + struct.pack(f"{order}I", 8) + table + sub + bytes(4) + data
    again = read_tiff_exif(build_exif_blob(read_tiff_exif(blob)))
    by_tag = {entry.tag: entry for entry in again.exif}
    assert struct.unpack(f"<{len(shorts)}H", by_tag[37379].value) == tuple(shorts)
    assert struct.unpack(f"<{len(longs)}I", by_tag[37380].value) == tuple(longs)
    flat = struct.unpack(f"<{2 * len(rationals)}I", by_tag[37381].value)
    assert list(zip(flat[::2], flat[1::2], strict=True)) == rationals


def test_xmp_orientation_is_reset_so_no_viewer_rotates_twice() -> None:
    xmp = (
        b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF><rdf:Description tiff:Orientation="6" '
        b'tiff:Make="Canon"/><rdf:Description><tiff:Orientation> 8 </tiff:Orientation>'
        b"</rdf:Description></rdf:RDF></x:xmpmeta>"
    )
    data = _encode(gradient(), OutputOptions(), Metadata(xmp=xmp))
    written = bytes(pyvips.Image.new_from_buffer(data, "").get("xmp-data"))
    assert b'tiff:Orientation="1"' in written
    assert b"<tiff:Orientation>1</tiff:Orientation>" in written
    assert b'tiff:Make="Canon"' in written
    assert b"6" not in written.split(b"Orientation")[1][:4]


@pytest.mark.parametrize("fmt", ["tiff", "jpeg", "png", "webp"])
def test_exif_whose_entries_share_one_block_stays_bounded(fmt: str) -> None:
    """The red-team case: such a JPEG became a 59.8 MB TIFF."""
    exif = shared_block_exif()
    assert len(exif) < 65_000
    image = prepare(gradient(), None, OutputOptions(format=fmt), Metadata(exif=exif))
    data = encode(image, OutputOptions(format=fmt), Metadata(exif=exif), source_name="x.jpg")
    assert len(data) < 2 * MAX_EXIF_BYTES
    if fmt == "tiff":
        kept = PILImage.open(io.BytesIO(data)).getexif()
        assert kept[271] == "Canon" and kept[272] == "Canon EOS 40D"


def test_a_value_shared_by_entries_is_written_once() -> None:
    shared = bytes(range(200)) * 50
    dirs = ExifDirs(
        exif=[Entry(0xA100, 7, len(shared), shared), Entry(0xA101, 7, len(shared), shared)]
    )
    blob = build_exif_blob(dirs)
    assert len(shared) < len(blob) < 2 * len(shared)
    assert [e.value for e in read_tiff_exif(blob).exif] == [shared, shared]


def test_a_camera_s_exif_within_the_bound_is_passed_on_unchanged(testdata: Path) -> None:
    for name in ("exifsamples-Canon_40D.jpg", "exifsamples-DSCN0010-gps.jpg", "piexif-r_sony.jpg"):
        exif = bytes(pyvips.Image.new_from_file(str(testdata / "photos" / name)).get("exif-data"))
        assert bounded_exif(exif) is exif
    over = shared_block_exif()
    bounded = bounded_exif(over)
    assert bounded is not None and copied_size(bounded) <= MAX_EXIF_BYTES < copied_size(over)
