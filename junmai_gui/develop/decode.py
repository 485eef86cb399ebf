"""Turning a photo file into upright sRGB pixels, with its metadata kept aside.

Decoders: libvips for JPEG, PNG, TIFF, WebP and AVIF; pi-heif for HEIC/HEIF (the libvips
wheel reads HEIC headers but cannot decode HEVC); rawpy (LibRaw) for camera RAW. The choice
comes from `formats.sniff_kind` (extension and magic bytes). A RAW never reaches libvips:
libvips would open many of them as TIFF and return the small embedded preview as if it were
the photo, so a RAW that LibRaw cannot decode fails instead of falling back.

Every decode gives a `DecodedPhoto`: 3 bands, `uchar` or `ushort` (16-bit sources stay
16-bit), sRGB (greyscale, CMYK and other ICC profiles are converted through the embedded
profile, unless `keep_profile` keeps an RGB source's own profile), orientation applied exactly
once, alpha split off, pixels decoded into memory so damage shows here as a `PhotoError`.
An upright raster without alpha is decoded sequentially straight into one writable buffer
(`DecodedPhoto.pixels`) that the pipeline develops in place, so a full-size photo is held
once; a photo to turn or with alpha is read into memory first and then turned. A RAW is
developed in place in LibRaw's own array. When the process runs out of open files or memory
while opening a photo, the error is a `ResourceError`, not a `PhotoError`: the photo is fine.

RAW: LibRaw's demosaic to 16-bit sRGB with the camera's as-shot white balance and LibRaw's
usual auto-brightness; `is_raw` tells the pipeline to apply a preset's absolute
Temperature/Tint relative to that as-shot balance. HEIC: pi-heif decodes at the file's own
depth; a 10- or 12-bit HEIC becomes 16-bit pixels (its values spread over 0..65535 by bit
replication, so white stays white), an 8-bit one stays 8-bit.

`DecodedPhoto.full_long_edge` is the photo's long edge at full size, which a reduced preview
tells the pipeline so that detail-sized steps (sharpening, noise reduction) scale with it.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import pi_heif
import pyvips
import rawpy

from junmai_gui.develop.errors import PhotoError, out_of_open_files, resource_error
from junmai_gui.develop.exif_tiff import build_exif_blob, read_tiff_exif
from junmai_gui.develop.formats import PhotoKind, read_head, sniff_kind

MAX_PIXELS = 200_000_000
# A RAW file smaller than one byte per this many pixels cannot hold its picture, even with
# the best lossless compression (about 1 bit per pixel): the pixel data was cut away.
_RAW_PIXELS_PER_BYTE_LIMIT = 64
_VIPS_LOADERS = ("jpegload", "pngload", "tiffload", "webpload", "heifload")
_RAW_EXIF_HEAD = 1 << 20
_DPI_72 = 72 / 25.4  # libvips keeps resolution in pixels per millimetre


@dataclass
class DecodedPhoto:
    """Upright pixels ready for the pipeline, and what the output should carry along."""

    image: pyvips.Image  # 3 bands, uchar ("srgb") or ushort ("rgb16"), no alpha
    alpha: pyvips.Image | None  # 1 band, same format as `image`
    exif: bytes | None  # "Exif\0\0"-prefixed blob; its orientation is reset on output
    xmp: bytes | None
    icc: bytes | None  # the profile the pixels are in; None means untagged sRGB
    is_raw: bool
    kind: PhotoKind
    # The memory `image` wraps, when the pipeline may develop into it in place (writable,
    # owned by nobody else); None when `image` is computed from other pixels.
    pixels: memoryview | None = field(default=None, repr=False)
    full_long_edge: int = 0  # the photo's long edge at full size; 0: that of `image`


def damaged(path: Path) -> PhotoError:
    return PhotoError(f"{path.name} is damaged or incomplete and could not be decoded")


def _too_large(path: Path, width: int, height: int, max_pixels: int) -> PhotoError:
    return PhotoError(
        f"{path.name} is too large to develop safely: {width}×{height} pixels is "
        f"{width * height / 1e6:.0f} megapixels, the limit is {max_pixels / 1e6:.0f}"
    )


def _check_pixels(path: Path, width: int, height: int, max_pixels: int) -> None:
    if width <= 0 or height <= 0:
        raise damaged(path)
    if width * height > max_pixels:
        raise _too_large(path, width, height, max_pixels)


def _blob(image: pyvips.Image, name: str) -> bytes | None:
    if image.get_typeof(name) == 0:
        return None
    value = image.get(name)
    return bytes(value) if value else None


def _is_srgb_profile(icc: bytes) -> bool:
    return b"sRGB" in icc or "sRGB".encode("utf-16-be") in icc


def normalize(
    image: pyvips.Image, *, keep_profile: bool
) -> tuple[pyvips.Image, pyvips.Image | None]:
    """3-band sRGB (or the kept RGB profile) uchar/ushort pixels and the split-off alpha."""
    alpha = None
    if image.hasalpha():
        alpha = image[image.bands - 1]
        image = image.extract_band(0, n=image.bands - 1)
    if image.format not in ("uchar", "ushort"):  # float, signed or 32-bit samples
        image = image.colourspace("rgb16")
        if image.format != "ushort":
            image = image.cast("ushort")  # clipped to 0..65535
    sixteen = image.format == "ushort"
    icc = _blob(image, "icc-profile-data")
    cmyk = image.interpretation == "cmyk" or image.bands == 4
    if cmyk or (icc and not _is_srgb_profile(icc) and not (keep_profile and image.bands == 3)):
        try:
            image = image.icc_transform(
                "srgb", embedded=True, input_profile="cmyk" if cmyk else "srgb",
                depth=16 if sixteen else 8,
            )  # fmt: skip
        except pyvips.Error:
            image = image.copy()  # an unreadable profile: read the pixels as sRGB
            image.remove("icc-profile-data")
    if image.bands < 3:
        image = image.extract_band(0).colourspace("rgb16" if sixteen else "srgb")
    elif image.bands > 3:
        image = image.extract_band(0, n=3)
    if alpha is not None and alpha.format != image.format:
        scale = 257 if alpha.format == "uchar" and image.format == "ushort" else 1
        alpha = (alpha * scale).cast(image.format)
    image = image.copy(interpretation="rgb16" if image.format == "ushort" else "srgb")
    return image, alpha


def _decoded(
    path: Path, image: pyvips.Image, kind: PhotoKind, *, keep_profile: bool, is_raw: bool = False
) -> DecodedPhoto:
    exif, xmp = _blob(image, "exif-data"), _blob(image, "xmp-data")
    try:
        rgb, alpha = normalize(image, keep_profile=keep_profile)
    except pyvips.Error as exc:
        raise damaged(path) from exc
    return DecodedPhoto(rgb, alpha, exif, xmp, _blob(rgb, "icc-profile-data"), is_raw, kind)


def _open_vips(path: Path, max_pixels: int) -> pyvips.Image:
    """The header of a raster file, checked against the pixel cap; pixels are not read yet.

    Sequential access streams the decode straight into our one in-memory copy (random
    access would keep a second full-size copy in libvips' cache). `revalidate`: the cache
    would otherwise return the old pixels of a file replaced since (a photo fixed and
    retried, a re-export under the same name).
    """
    try:
        image = pyvips.Image.new_from_file(
            str(path), fail_on="error", revalidate=True, access="sequential"
        )
    except pyvips.Error as exc:
        raise damaged(path) from exc
    if image.get("vips-loader") not in _VIPS_LOADERS:
        raise PhotoError(f"{path.name} is not a photo Junmai can read")
    _check_pixels(path, image.width, image.height, max_pixels)
    return image


def _is_upright(image: pyvips.Image) -> bool:
    if image.get_typeof("orientation") == 0:
        return True
    return int(image.get("orientation")) in (0, 1)


def _decode_vips_once(path: Path, image: pyvips.Image, *, keep_profile: bool) -> DecodedPhoto:
    """An upright photo without alpha: decoded straight into the one buffer the pipeline then
    develops in place (the peak is one full-size copy of the pixels, not two)."""
    exif, xmp = _blob(image, "exif-data"), _blob(image, "xmp-data")
    try:
        rgb, _ = normalize(image, keep_profile=keep_profile)
        pixels = memoryview(rgb.write_to_memory())
    except pyvips.Error as exc:
        raise damaged(path) from exc
    wrapped = pyvips.Image.new_from_memory(pixels, rgb.width, rgb.height, 3, rgb.format)
    wrapped = wrapped.copy(interpretation=rgb.interpretation, xres=rgb.xres, yres=rgb.yres)
    icc = _blob(rgb, "icc-profile-data")
    photo = DecodedPhoto(wrapped, None, exif, xmp, icc, False, PhotoKind.RASTER)
    photo.pixels = pixels
    return photo


def _decode_vips(path: Path, *, keep_profile: bool, max_pixels: int) -> DecodedPhoto:
    image = _open_vips(path, max_pixels)
    if _is_upright(image) and not image.hasalpha():
        return _decode_vips_once(path, image, keep_profile=keep_profile)
    # Rotating needs the whole picture at hand (sequential decoding cannot turn it), and the
    # alpha band is split off: decode into memory first.
    try:
        image = image.copy_memory().autorot()  # autorot resets the orientation tag
    except pyvips.Error as exc:
        raise damaged(path) from exc
    return _decoded(path, image, PhotoKind.RASTER, keep_profile=keep_profile)


def _preview_vips(path: Path, max_edge: int, max_pixels: int) -> DecodedPhoto:
    header = _open_vips(path, max_pixels)
    try:
        image = pyvips.Image.thumbnail(str(path), max_edge, height=max_edge, size="down",
                                       fail_on="error").copy_memory()  # fmt: skip
    except pyvips.Error as exc:
        raise damaged(path) from exc
    photo = _decoded(path, image, PhotoKind.RASTER, keep_profile=False)
    photo.full_long_edge = max(header.width, header.height)
    return photo


def _from_array(array: npt.NDArray[Any]) -> pyvips.Image:
    """Pixels from a decoder that gives no resolution: say 72 dpi, as cameras do."""
    image = pyvips.Image.new_from_array(np.ascontiguousarray(array))
    return image.copy(xres=_DPI_72, yres=_DPI_72).copy_memory()


def _decode_heif(
    path: Path, *, keep_profile: bool, max_pixels: int, max_edge: int | None
) -> DecodedPhoto:
    """Decode the primary image with pi-heif (libheif applies its rotation and mirroring).

    Every top-level image is loaded, so a file cut short anywhere fails as damaged.
    """
    try:
        heif = pi_heif.open_heif(str(path), convert_hdr_to_8bit=False)
        width, height = heif.size
        _check_pixels(path, width, height, max_pixels)
        for item in heif:
            item.load()
        array = _full_range(np.asarray(heif), int(heif.info.get("bit_depth") or 8))
    except PhotoError:
        raise
    except MemoryError as exc:
        raise PhotoError(f"{path.name} is too large to develop with the memory available") from exc
    except Exception as exc:  # libheif reports damage as ValueError/RuntimeError/OSError
        raise damaged(path) from exc
    image = _from_array(array)
    sixteen = array.dtype == np.uint16
    grey = "grey16" if sixteen else "b-w"
    image = image.copy(interpretation=grey if image.bands < 3 else "rgb16" if sixteen else "srgb")
    for name, key in (
        ("exif-data", "exif"),
        ("xmp-data", "xmp"),
        ("icc-profile-data", "icc_profile"),
    ):
        value = heif.info.get(key)
        if value:
            image.set_type(pyvips.GValue.blob_type, name, bytes(value))
    if max_edge is not None:
        image = image.thumbnail_image(max_edge, height=max_edge, size="down")
    photo = _decoded(path, image, PhotoKind.HEIF, keep_profile=keep_profile)
    photo.full_long_edge = max(width, height)
    return photo


def _full_range(array: npt.NDArray[Any], bit_depth: int) -> npt.NDArray[Any]:
    """pi-heif's 16-bit samples of a 10/12-bit image (v << (16 − depth)) spread to 0..65535."""
    if array.dtype != np.uint16 or not 8 < bit_depth < 16:
        return array
    spread: npt.NDArray[Any] = array | (array >> bit_depth)
    return spread


def _decode_raw(path: Path, *, max_pixels: int, half_size: bool) -> DecodedPhoto:
    """Demosaic with LibRaw; a RAW LibRaw cannot decode fails, it never falls back to libvips."""
    try:
        with rawpy.imread(str(path)) as raw:
            width, height = raw.sizes.width, raw.sizes.height
            _check_pixels(path, width, height, max_pixels)
            if os.path.getsize(path) * _RAW_PIXELS_PER_BYTE_LIMIT < width * height:
                raise damaged(path)
            if raw.raw_type == rawpy.RawType.Flat and not raw.raw_image_visible.any():
                raise damaged(path)  # no sensor data at all: the file was cut short
            rgb = raw.postprocess(
                output_bps=16, use_camera_wb=True, output_color=rawpy.ColorSpace.sRGB,
                gamma=(2.4, 12.92), half_size=half_size,
            )  # fmt: skip
    except PhotoError:
        raise
    except rawpy.LibRawFileUnsupportedError as exc:
        raise PhotoError(
            f"{path.name} could not be decoded: it is damaged, or a camera RAW kind "
            "that is not supported"
        ) from exc
    except (
        MemoryError,
        rawpy.LibRawTooBigError,
        rawpy.LibRawUnsufficientMemoryError,
        rawpy.LibRawMemPoolOverflowError,
    ) as exc:
        raise PhotoError(f"{path.name} is too large to develop with the memory available") from exc
    except (rawpy.LibRawError, OSError, ValueError) as exc:
        raise damaged(path) from exc
    # LibRaw's array is ours alone: the pipeline develops it in place (no second 16-bit copy).
    rgb = np.ascontiguousarray(rgb, dtype=np.uint16)
    pixels = rgb.data.cast("B")
    image = pyvips.Image.new_from_memory(pixels, rgb.shape[1], rgb.shape[0], 3, "ushort")
    image = image.copy(interpretation="rgb16", xres=_DPI_72, yres=_DPI_72)
    dirs = read_tiff_exif(read_head(path, _RAW_EXIF_HEAD))
    exif = build_exif_blob(dirs) if dirs else None
    return DecodedPhoto(image, None, exif, None, None, True, PhotoKind.RAW, pixels)


def _kind(path: Path) -> PhotoKind:
    try:
        head = read_head(path)
    except FileNotFoundError as exc:
        raise PhotoError(f"{path.name} could not be found; was it moved or deleted?") from exc
    except IsADirectoryError as exc:
        raise PhotoError(f"{path.name} is a folder, not a photo") from exc
    except OSError as exc:
        short = resource_error(exc.errno, f"opening {path.name}")
        if short is not None:
            raise short from exc
        raise PhotoError(f"{path.name} could not be read ({exc.strerror or exc})") from exc
    kind = sniff_kind(path, head)
    if kind is PhotoKind.EMPTY:
        raise PhotoError(f"{path.name} is empty (0 bytes) and could not be decoded")
    if kind is PhotoKind.UNKNOWN:
        raise PhotoError(
            f"{path.name} is not a photo Junmai can read (JPEG, PNG, TIFF, WebP, AVIF, HEIC "
            "or camera RAW)"
        )
    return kind


def decode_photo(
    path: Path, *, keep_profile: bool = False, max_pixels: int = MAX_PIXELS
) -> DecodedPhoto:
    """Decode `path` at full size for developing; PhotoError (naming the file) when it cannot be."""
    path = Path(path)
    kind = _kind(path)
    try:
        if kind is PhotoKind.RAW:
            return _decode_raw(path, max_pixels=max_pixels, half_size=False)
        if kind is PhotoKind.HEIF:
            return _decode_heif(
                path, keep_profile=keep_profile, max_pixels=max_pixels, max_edge=None
            )
        return _decode_vips(path, keep_profile=keep_profile, max_pixels=max_pixels)
    except MemoryError as exc:
        raise PhotoError(f"{path.name} is too large to develop with the memory available") from exc
    except PhotoError as exc:
        # the decoders say "cannot read" for a full file table as for a damaged file
        short = resource_error(out_of_open_files(), f"opening {path.name}")
        if short is not None:
            raise short from exc
        raise


def decode_preview(path: Path, max_edge: int, *, max_pixels: int = MAX_PIXELS) -> DecodedPhoto:
    """Decode `path` reduced to fit `max_edge`, for previews only.

    Shortcuts that are wrong for final output are fine here: libvips shrink-on-load and
    LibRaw's half-size demosaic.
    """
    path = Path(path)
    kind = _kind(path)
    if kind is PhotoKind.RAW:
        photo = _decode_raw(path, max_pixels=max_pixels, half_size=True)
        photo.full_long_edge = 2 * max(photo.image.width, photo.image.height)
        photo.image = photo.image.thumbnail_image(max_edge, height=max_edge, size="down")
        photo.pixels = None  # the image no longer shows that buffer as it is
        return photo
    if kind is PhotoKind.HEIF:
        return _decode_heif(path, keep_profile=False, max_pixels=max_pixels, max_edge=max_edge)
    return _preview_vips(path, max_edge, max_pixels)
