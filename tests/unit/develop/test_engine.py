"""Developing one photo end to end: output, metadata, determinism, failures, cancel, preview."""

from __future__ import annotations

import errno
import io
import os
from pathlib import Path

import numpy as np
import pytest
import pyvips
from PIL import Image as PILImage

from junmai_gui.develop.engine import (
    CancelToken,
    OutputOptions,
    develop_photo,
    render_preview,
    share_cores_between_photos,
)
from junmai_gui.develop.errors import (
    DevelopCancelled,
    DiskFullError,
    OutputUnavailableError,
    PhotoError,
)
from junmai_gui.develop.files import TEMP_PREFIX
from junmai_gui.develop.preset import Preset
from tests.unit.develop.helpers import shared_block_exif


@pytest.fixture
def folders(tmp_path: Path) -> tuple[Path, Path]:
    src, out = tmp_path / "in", tmp_path / "out"
    src.mkdir()
    out.mkdir()
    return src, out


def photo_like(width: int = 96, height: int = 64) -> pyvips.Image:
    """Smooth colour gradients with mid-tones, like a small photo."""
    xy = pyvips.Image.xyz(width, height)
    r = xy[0] * (200 / width) + 30
    g = xy[1] * (180 / height) + 40
    b = (xy[0] + xy[1]) * (120 / (width + height)) + 60
    return r.bandjoin([g, b]).cast("uchar").copy(interpretation="srgb")


def with_camera_exif(image: pyvips.Image, orientation: int = 1) -> pyvips.Image:
    image = image.copy()
    image.set_type(pyvips.GValue.gstr_type, "exif-ifd0-Make", "Canon")
    image.set_type(pyvips.GValue.gstr_type, "exif-ifd0-Model", "Canon EOS 40D")
    image.set_type(pyvips.GValue.gstr_type, "exif-ifd3-GPSLatitudeRef", "N")
    image.set_type(pyvips.GValue.gint_type, "orientation", orientation)
    # libvips builds the EXIF block from these fields when it saves.
    return pyvips.Image.new_from_buffer(image.jpegsave_buffer(Q=95), "")


def psnr(a: np.ndarray, b: np.ndarray) -> float:  # type: ignore[type-arg]
    mse = float(np.mean((a.astype(np.float64) - b.astype(np.float64)) ** 2))
    return float("inf") if mse == 0 else 10 * np.log10(255**2 / mse)


def pixels(path: Path) -> np.ndarray:  # type: ignore[type-arg]
    return np.asarray(pyvips.Image.new_from_file(str(path)).numpy())


def names(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def test_identity_reproduces_the_input_and_keeps_camera_exif(
    folders: tuple[Path, Path], identity: Preset
) -> None:
    src, out = folders
    source = src / "IMG_0001.png"
    with_camera_exif(photo_like()).pngsave(str(source))
    result = develop_photo(source, out / "IMG_0001.png", identity, 100, OutputOptions(format="png"))
    assert result == out / "IMG_0001.png"
    assert names(out) == ["IMG_0001.png"]
    assert psnr(pixels(result), pixels(source)) >= 50
    loaded = pyvips.Image.new_from_file(str(result))
    assert loaded.get("exif-ifd0-Make").startswith("Canon")


def test_blend_zero_reproduces_the_input(folders: tuple[Path, Path], white_layer: Preset) -> None:
    src, out = folders
    source = src / "a.png"
    photo_like().pngsave(str(source))
    developed = develop_photo(source, out / "b0.png", white_layer, 0, OutputOptions(format="png"))
    full = develop_photo(source, out / "b100.png", white_layer, 100, OutputOptions(format="png"))
    assert psnr(pixels(developed), pixels(source)) >= 50
    assert psnr(pixels(full), pixels(source)) < 40  # the preset really changes the photo


def test_the_same_photo_and_recipe_give_byte_identical_files(
    folders: tuple[Path, Path], white_layer: Preset
) -> None:
    src, out = folders
    source = src / "IMG_0002.jpg"
    with_camera_exif(photo_like()).jpegsave(str(source), Q=95)
    for fmt in ("jpeg", "tiff"):
        options = OutputOptions(format=fmt)
        first = develop_photo(source, out / f"first{options.extension}", white_layer, 60, options)
        second = develop_photo(source, out / f"second{options.extension}", white_layer, 60, options)
        assert first.read_bytes() == second.read_bytes()


def test_a_rotated_photo_comes_out_upright_with_orientation_1(
    folders: tuple[Path, Path], identity: Preset
) -> None:
    src, out = folders
    stored = photo_like(96, 64).rot270()  # what a camera held upright-right stores
    source = src / "portrait.jpg"
    with_camera_exif(stored, orientation=6).jpegsave(str(source), Q=98)
    result = develop_photo(source, out / "p.jpg", identity, 100, OutputOptions())
    loaded = pyvips.Image.new_from_file(str(result))
    assert (loaded.width, loaded.height) == (96, 64)
    assert loaded.get("orientation") == 1
    assert np.abs(pixels(result).astype(int) - photo_like().numpy().astype(int)).mean() < 3


def test_tiff_output_keeps_sixteen_bits_and_camera_exif(
    folders: tuple[Path, Path], identity: Preset
) -> None:
    src, out = folders
    source = src / "scan.jpg"
    with_camera_exif(photo_like()).jpegsave(str(source), Q=95)
    result = develop_photo(
        source, out / "scan.tif", identity, 100, OutputOptions(format="tiff", bit_depth=16)
    )
    assert pyvips.Image.new_from_file(str(result)).format == "ushort"
    exif = PILImage.open(io.BytesIO(result.read_bytes())).getexif()
    assert exif[271] == "Canon" and exif[272] == "Canon EOS 40D"
    assert exif.get_ifd(0x8825)[1] == "N"


def test_alpha_is_kept_in_png_and_flattened_on_white_in_jpeg(
    folders: tuple[Path, Path], identity: Preset
) -> None:
    src, out = folders
    alpha = pyvips.Image.black(96, 64).cast("uchar")  # fully transparent
    source = src / "logo.png"
    photo_like().bandjoin(alpha).pngsave(str(source))
    png = develop_photo(source, out / "logo.png", identity, 100, OutputOptions(format="png"))
    jpg = develop_photo(source, out / "logo.jpg", identity, 100, OutputOptions())
    assert pyvips.Image.new_from_file(str(png)).bands == 4
    assert pixels(jpg).min() >= 250  # transparent → white


def test_a_damaged_photo_fails_and_leaves_no_output(
    folders: tuple[Path, Path], identity: Preset
) -> None:
    src, out = folders
    source = src / "IMG_0003.jpg"
    whole = photo_like(256, 256).jpegsave_buffer(Q=95)
    source.write_bytes(whole[: len(whole) // 3])
    with pytest.raises(PhotoError, match=r"IMG_0003\.jpg is damaged or incomplete"):
        develop_photo(source, out / "IMG_0003.jpg", identity, 100, OutputOptions())
    assert names(out) == []


def test_an_input_is_never_overwritten(folders: tuple[Path, Path], identity: Preset) -> None:
    src, _ = folders
    source = src / "IMG_0004.jpg"
    photo_like().jpegsave(str(source))
    before = source.read_bytes()
    with pytest.raises(PhotoError, match="overwritten"):
        develop_photo(source, source, identity, 100, OutputOptions())
    link = src / "link.jpg"
    os.link(source, link)
    with pytest.raises(PhotoError, match="overwritten"):
        develop_photo(source, link, identity, 100, OutputOptions())
    assert source.read_bytes() == before


def test_an_existing_output_is_replaced(folders: tuple[Path, Path], identity: Preset) -> None:
    src, out = folders
    source = src / "a.jpg"
    photo_like().jpegsave(str(source))
    (out / "a.jpg").write_bytes(b"a half-written file from a crash")
    develop_photo(source, out / "a.jpg", identity, 100, OutputOptions())
    assert pyvips.Image.new_from_file(str(out / "a.jpg")).width == 96


def test_a_missing_output_folder_is_output_unavailable(
    folders: tuple[Path, Path], identity: Preset
) -> None:
    src, out = folders
    source = src / "a.jpg"
    photo_like().jpegsave(str(source))
    with pytest.raises(OutputUnavailableError):
        develop_photo(source, out / "gone" / "a.jpg", identity, 100, OutputOptions())
    assert not (out / "gone").exists()


def test_disk_full_is_reported_and_leaves_no_temporary_file(
    folders: tuple[Path, Path], identity: Preset, monkeypatch: pytest.MonkeyPatch
) -> None:
    src, out = folders
    source = src / "a.jpg"
    photo_like().jpegsave(str(source))

    def full(fd: int) -> None:  # a full disk shows up when the data is flushed
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    with pytest.raises(DiskFullError):
        develop_photo(source, out / "a.jpg", identity, 100, OutputOptions())
    assert names(out) == []


class _CancelAfter(CancelToken):
    """Cancels itself after `checks` looks: a stand-in for a user pressing Cancel mid-photo."""

    def __init__(self, checks: int) -> None:
        super().__init__()
        self._left = checks

    @property
    def cancelled(self) -> bool:
        self._left -= 1
        if self._left < 0:
            self.cancel()
        return super().cancelled


@pytest.mark.parametrize("checks", [0, 1, 2, 3])
def test_cancel_at_any_stage_leaves_no_file(
    folders: tuple[Path, Path], white_layer: Preset, checks: int
) -> None:
    src, out = folders
    source = src / "a.png"
    photo_like(400, 300).pngsave(str(source))
    with pytest.raises(DevelopCancelled, match=r"a\.png was cancelled"):
        develop_photo(source, out / "a.avif", white_layer, 60, OutputOptions(format="avif"),
                      cancel=_CancelAfter(checks))  # fmt: skip
    assert names(out) == []
    assert not any(n.startswith(TEMP_PREFIX) for n in names(out))


def test_cancel_token_is_a_flag() -> None:
    token = CancelToken()
    assert not token.cancelled
    token.cancel()
    assert token.cancelled


def test_blend_outside_0_to_100_is_refused(folders: tuple[Path, Path], identity: Preset) -> None:
    src, out = folders
    with pytest.raises(ValueError, match="Blend"):
        develop_photo(src / "a.jpg", out / "a.jpg", identity, 101, OutputOptions())


def test_render_preview_gives_small_uint8_before_and_after(
    folders: tuple[Path, Path], white_layer: Preset, identity: Preset
) -> None:
    src, _ = folders
    source = src / "big.jpg"
    photo_like(1200, 800).jpegsave(str(source))
    before, after = render_preview(source, white_layer, 100, max_edge=300)
    assert before.shape == after.shape == (200, 300, 3)
    assert before.dtype == after.dtype == np.uint8
    assert after.mean() > before.mean()  # WhiteLayer_v4 is bright and airy
    same_before, same_after = render_preview(source, identity, 100, max_edge=300)
    assert psnr(same_before, same_after) >= 50


def test_render_preview_of_a_damaged_photo_is_a_photo_error(
    folders: tuple[Path, Path], identity: Preset
) -> None:
    src, _ = folders
    source = src / "bad.jpg"
    source.write_bytes(b"\xff\xd8\xff\xe0" + bytes(200))
    with pytest.raises(PhotoError, match=r"bad\.jpg"):
        render_preview(source, identity, 100)


def test_photos_in_flight_share_the_cores_as_libvips_threads() -> None:
    cores = os.cpu_count() or 1
    before = pyvips.concurrency_get()
    try:
        assert share_cores_between_photos(cores) == 1
        assert pyvips.concurrency_get() == 1
        assert share_cores_between_photos(1) == cores
        assert pyvips.concurrency_get() == cores
    finally:
        pyvips.concurrency_set(before)


def test_a_jpeg_with_1000_exif_entries_sharing_one_block_gives_a_small_tiff(
    folders: tuple[Path, Path], identity: Preset
) -> None:
    """The red-team file: 64 KB of EXIF that became a 59.8 MB TIFF once copied entry by entry."""
    src, out = folders
    exif = shared_block_exif()
    plain = photo_like().jpegsave_buffer(keep=0)
    segment = b"\xff\xe1" + (len(exif) + 2).to_bytes(2, "big") + exif
    source = src / "hostile.jpg"
    source.write_bytes(plain[:2] + segment + plain[2:])
    assert len(pyvips.Image.new_from_file(str(source)).get("exif-data")) == len(exif)
    output = develop_photo(source, out / "hostile.tif", identity, 100, OutputOptions("tiff"))
    assert output.stat().st_size < 200_000
    assert PILImage.open(output).getexif()[272] == "Canon EOS 40D"
