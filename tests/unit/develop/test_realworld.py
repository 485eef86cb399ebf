"""Real photographers' files (../shared/testdata): every photo develops or fails clearly.

Covers the eight EXIF orientations, camera EXIF and GPS, embedded ICC profiles, an HEIC with
metadata and a truncated one, a small real RAW, and RAW containers whose pixel data was cut
away — which libvips would happily "decode" into their tiny embedded preview.
"""

from __future__ import annotations

import contextlib
import io
from pathlib import Path

import numpy as np
import pytest
import pyvips
from PIL import Image as PILImage

from junmai_gui.develop.engine import OutputOptions, develop_photo
from junmai_gui.develop.errors import PhotoError
from junmai_gui.develop.preset import Preset

# Files that must fail, with the words their message must hold.
EXPECTED_FAILURES = {
    "piexif-notjpeg-empty.jpg": "is empty (0 bytes) and could not be decoded",
    "pillowheif-truncated.heic": "is damaged or incomplete and could not be decoded",
    "exiftool-trimmed-CanonRaw.cr2": "could not be decoded",
    "exiftool-trimmed-CanonRaw.cr3": "is damaged or incomplete and could not be decoded",
    "exiftool-trimmed-DNG.dng": "is damaged or incomplete and could not be decoded",
    "exiftool-trimmed-FujiFilm.raf": "is damaged or incomplete and could not be decoded",
    "exiftool-trimmed-Nikon.nef": "is damaged or incomplete and could not be decoded",
    "exiftool-trimmed-Panasonic.rw2": "is damaged or incomplete and could not be decoded",
}


@pytest.fixture
def out(tmp_path: Path) -> Path:
    folder = tmp_path / "out"
    folder.mkdir()
    return folder


def _photos(testdata: Path) -> list[Path]:
    return sorted(
        p for folder in ("photos", "raw") for p in (testdata / folder).rglob("*") if p.is_file()
    )


def test_every_photo_develops_or_fails_with_a_clear_reason(
    testdata: Path, white_layer: Preset, out: Path
) -> None:
    preset = white_layer
    outcomes: dict[str, str] = {}
    for source in _photos(testdata):
        target = out / f"{source.name}.jpg"
        try:
            develop_photo(source, target, preset, 60, OutputOptions())
        except PhotoError as exc:
            outcomes[source.name] = exc.message
            assert exc.message.startswith(source.name), exc.message
            assert not target.exists()
        else:
            outcomes[source.name] = "ok"
            assert pyvips.Image.new_from_file(str(target)).width > 0
    failed = {name: message for name, message in outcomes.items() if message != "ok"}
    assert set(failed) == set(EXPECTED_FAILURES), failed
    for name, words in EXPECTED_FAILURES.items():
        assert words in failed[name], failed[name]
    assert len(outcomes) - len(failed) >= 19
    assert sorted(p.name for p in out.iterdir()) == sorted(
        f"{name}.jpg" for name, message in outcomes.items() if message == "ok"
    )


def test_the_eight_orientations_come_out_upright(
    testdata: Path, identity: Preset, out: Path
) -> None:
    outputs = {}
    for n in range(1, 9):
        source = testdata / "photos" / "orientation" / f"landscape_{n}.jpg"
        result = develop_photo(source, out / f"{n}.jpg", identity, 100, OutputOptions())
        image = pyvips.Image.new_from_file(str(result))
        assert (image.width, image.height) == (600, 450), n
        assert image.get("orientation") == 1
        outputs[n] = image.numpy().astype(np.float64)
    reference = outputs[1]
    for n, pixels in outputs.items():
        # Same picture up to JPEG noise (about 5 levels); a mirror or rotation differs by 50+.
        assert np.abs(pixels - reference).mean() < 10, n
        assert np.abs(pixels - reference[:, ::-1]).mean() > 30, n
        assert np.abs(pixels - reference[::-1, :]).mean() > 30, n


@pytest.mark.parametrize("fmt", ["jpeg", "tiff", "png", "webp"])
def test_gps_and_camera_exif_survive(testdata: Path, identity: Preset, out: Path, fmt: str) -> None:
    options = OutputOptions(format=fmt)
    gps_photo = testdata / "photos" / "exifsamples-DSCN0010-gps.jpg"
    canon_photo = testdata / "photos" / "exifsamples-Canon_40D.jpg"
    gps_out = develop_photo(gps_photo, out / f"gps{options.extension}", identity, 100, options)
    canon_out = develop_photo(
        canon_photo, out / f"canon{options.extension}", identity, 100, options
    )
    if fmt == "tiff":  # libvips reads no EXIF from TIFF; Pillow does
        gps = PILImage.open(io.BytesIO(gps_out.read_bytes())).getexif()
        assert gps[271] == "NIKON"
        latitude = gps.get_ifd(0x8825)[2]
        assert [float(v) for v in latitude] == pytest.approx([43.0, 28.0, 2.814])
        canon = PILImage.open(io.BytesIO(canon_out.read_bytes())).getexif()
        assert (canon[271], canon[272]) == ("Canon", "Canon EOS 40D")
        assert canon.get_ifd(0x8769)[36867] == "2008:05:30 15:56:01"
        return
    gps_image = pyvips.Image.new_from_file(str(gps_out))
    assert gps_image.get("exif-ifd0-Make").startswith("NIKON")
    assert gps_image.get("exif-ifd3-GPSLatitude").startswith("43/1 28/1")
    assert gps_image.get("exif-ifd3-GPSLatitudeRef").startswith("N")
    canon_image = pyvips.Image.new_from_file(str(canon_out))
    assert canon_image.get("exif-ifd0-Make").startswith("Canon")
    assert canon_image.get("exif-ifd0-Model").startswith("Canon EOS 40D")
    assert canon_image.get("exif-ifd2-DateTimeOriginal").startswith("2008:05:30 15:56:01")


def test_embedded_icc_profiles_are_converted_to_srgb_or_kept(
    testdata: Path, identity: Preset, out: Path
) -> None:
    rocket = testdata / "photos" / "skimage-rocket-icc.jpg"
    source_icc = bytes(pyvips.Image.new_from_file(str(rocket)).get("icc-profile-data"))
    converted = develop_photo(rocket, out / "rocket.jpg", identity, 100, OutputOptions())
    kept = develop_photo(
        rocket, out / "rocket-kept.jpg", identity, 100, OutputOptions(keep_profile=True)
    )
    converted_icc = bytes(pyvips.Image.new_from_file(str(converted)).get("icc-profile-data"))
    assert converted_icc != source_icc  # now tagged as the sRGB it was converted to
    assert bytes(pyvips.Image.new_from_file(str(kept)).get("icc-profile-data")) == source_icc
    # Both look the same once colour-managed to sRGB.
    a = pyvips.Image.new_from_file(str(converted)).icc_transform("srgb").numpy().astype(float)
    b = pyvips.Image.new_from_file(str(kept)).icc_transform("srgb").numpy().astype(float)
    assert np.abs(a - b).mean() < 3

    chelsea = testdata / "photos" / "skimage-chelsea-icc-xmp.png"
    result = develop_photo(chelsea, out / "chelsea.png", identity, 100, OutputOptions(format="png"))
    image = pyvips.Image.new_from_file(str(result))
    source = pyvips.Image.new_from_file(str(chelsea))
    assert bytes(image.get("icc-profile-data")) == bytes(source.get("icc-profile-data"))
    assert bytes(image.get("xmp-data")) == bytes(source.get("xmp-data"))


def test_the_heic_develops_with_its_metadata(testdata: Path, identity: Preset, out: Path) -> None:
    source = testdata / "photos" / "heic" / "pillowheif-L_exif_xmp_iptc.heic"
    result = develop_photo(source, out / "heic.jpg", identity, 100, OutputOptions())
    image = pyvips.Image.new_from_file(str(result))
    assert (image.width, image.height, image.bands) == (64, 64, 3)
    assert image.get("exif-ifd0-Make").startswith("SONY")
    assert image.get("orientation") == 1
    assert image.get_typeof("xmp-data") != 0
    assert image.xres * 25.4 == pytest.approx(350)  # the camera's resolution, from its EXIF


def test_the_truncated_heic_fails_clearly(testdata: Path, identity: Preset, out: Path) -> None:
    source = testdata / "photos" / "heic" / "pillowheif-truncated.heic"
    with pytest.raises(PhotoError) as info:
        develop_photo(source, out / "t.jpg", identity, 100, OutputOptions())
    assert info.value.message == (
        "pillowheif-truncated.heic is damaged or incomplete and could not be decoded"
    )
    assert list(out.iterdir()) == []


def test_the_kdc_raw_develops_at_full_size_with_a_sidecar(
    testdata: Path, white_layer: Preset, out: Path
) -> None:
    source = testdata / "raw" / "rawpy-RAW_KODAK_DC50.KDC"
    preview = pyvips.Image.new_from_file(str(source))
    assert (preview.width, preview.height) == (96, 64)  # what libvips would have delivered
    preset = white_layer
    options = OutputOptions(format="tiff", bit_depth=16, xmp_sidecar=True)
    result = develop_photo(source, out / "kodak.tif", preset, 60, options)
    image = pyvips.Image.new_from_file(str(result))
    assert (image.width, image.height, image.format) == (768, 512, "ushort")
    assert image.xres * 25.4 == pytest.approx(72)  # LibRaw gives none: 72 dpi, not 25.4
    assert float(image.deviate()) > 1000  # a real picture, not a flat or empty frame
    exif = PILImage.open(io.BytesIO(result.read_bytes())).getexif()
    assert exif[271].startswith("Eastman Kodak")
    sidecar = out / "rawpy-RAW_KODAK_DC50.xmp"
    assert b"crs:Exposure2012" in sidecar.read_bytes()


def test_trimmed_raws_fail_and_the_embedded_preview_is_never_delivered(
    testdata: Path, identity: Preset, out: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    trimmed = sorted((testdata / "raw").glob("exiftool-trimmed-*"))
    assert len(trimmed) == 6
    # libvips opens several of them as TIFF and returns the small preview without error…
    previews = {}
    for source in trimmed:
        with contextlib.suppress(pyvips.Error):
            previews[source.suffix] = pyvips.Image.new_from_file(str(source)).width
    assert {".cr2", ".nef", ".dng"} <= set(previews)
    # …so libvips must never be asked to open them, and each fails on its own.
    opened: list[str] = []
    real_new_from_file = pyvips.Image.new_from_file

    def spy(name: str, **kwargs: object) -> pyvips.Image:
        opened.append(name)
        return real_new_from_file(name, **kwargs)

    monkeypatch.setattr(pyvips.Image, "new_from_file", staticmethod(spy))
    for source in trimmed:
        with pytest.raises(PhotoError, match="could not be decoded") as info:
            develop_photo(source, out / f"{source.name}.jpg", identity, 100, OutputOptions())
        assert info.value.message.startswith(source.name)
    assert opened == []
    assert list(out.iterdir()) == []


def test_the_kdc_raw_is_decoded_into_one_buffer_developed_in_place(testdata: Path) -> None:
    from junmai_gui.develop.decode import decode_photo, decode_preview

    source = testdata / "raw" / "rawpy-RAW_KODAK_DC50.KDC"
    photo = decode_photo(source)
    assert photo.pixels is not None and photo.pixels.nbytes == 768 * 512 * 3 * 2
    wrapped = np.frombuffer(photo.pixels, np.uint16).reshape(512, 768, 3)
    assert np.array_equal(photo.image.numpy(), wrapped)
    assert photo.image.xres == pytest.approx(72 / 25.4)
    assert decode_preview(source, 64).pixels is None  # a thumbnail, not that buffer


def _shared_presets(testdata: Path) -> list[Path]:
    """Every preset file in the shared folder that is a preset (not one of the broken ones)."""
    found = sorted((testdata / "presets" / "lightroom").glob("*.xmp"))
    return found + sorted((testdata / "luts").glob("*.cube"))


def test_every_shared_preset_lists_no_neutral_key_and_develops_a_real_photo(
    testdata: Path, out: Path
) -> None:
    import re

    from junmai_gui.develop.loaders import load_preset_file
    from junmai_gui.develop.neutral_keys import is_neutral
    from junmai_gui.develop.pipeline.spatial import has_spatial_steps
    from junmai_gui.develop.pipeline.table import lattice_for

    photo = testdata / "photos" / "exifsamples-DSCN0010-gps.jpg"
    plain = develop_photo(photo, out / "plain.jpg", Preset("Identity"), 100, OutputOptions())
    original = pyvips.Image.new_from_file(str(plain)).numpy().astype(np.float64)
    files = _shared_presets(testdata)
    assert len(files) >= 15
    for path in files:
        preset = load_preset_file(path)
        text = path.read_text(encoding="utf-8", errors="replace")
        for key in preset.unsupported_keys:
            attribute = re.search(rf'crs:{key}="([^"]*)"', text)
            if attribute is not None:  # an element's value (masks) is judged by the loader
                assert not is_neutral(key, attribute.group(1), {}), (path.name, key)
        result = develop_photo(photo, out / f"{path.stem}.jpg", preset, 100, OutputOptions())
        developed = pyvips.Image.new_from_file(str(result)).numpy().astype(np.float64)
        assert developed.shape == original.shape, path.name
        acts = has_spatial_steps(preset.settings) or not lattice_for(preset, is_raw=False).identity
        # frw-bw.xmp holds only a B&W mix, without ConvertToGrayscale: nothing to apply
        assert (np.abs(developed - original).mean() > 0.5) == acts, path.name
