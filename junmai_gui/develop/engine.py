"""Developing one photo: decode → preset at a blend → encode → atomic write. The controller's
one call per photo, and the preview's.

`develop_photo` raises `PhotoError` (this photo cannot be developed), `DiskFullError` /
`OutputUnavailableError` (the output side failed: pause the batch), `ResourceError` (the
machine ran out of open files or memory opening the photo or writing its output: pause the
batch), or `DevelopCancelled`.
Whatever it raises, no output file (complete or partial) is left behind; on success the
output is complete and durable. The same source and recipe always give the same bytes.
Cancellation is checked between the stages and kills a running libvips encode.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pyvips

from junmai_gui.develop.decode import decode_photo, decode_preview
from junmai_gui.develop.errors import DevelopCancelled, PhotoError
from junmai_gui.develop.files import write_bytes_atomically
from junmai_gui.develop.output import ALPHA_FORMATS, Metadata, OutputOptions, encode, prepare
from junmai_gui.develop.preset import Preset
from junmai_gui.develop.sidecar import write_sidecar

__all__ = [
    "CancelToken",
    "OutputOptions",
    "develop_photo",
    "render_preview",
    "share_cores_between_photos",
]


def share_cores_between_photos(photos_at_once: int) -> int:
    """Give each photo in flight its share of the cores as libvips threads; returns the share.

    Measured on two cores: two photos at libvips concurrency 1 decode and encode faster than
    one photo at concurrency 2, so parallel photos beat parallel tiles.
    """
    share = max(1, (os.cpu_count() or 1) // max(1, photos_at_once))
    pyvips.concurrency_set(share)
    return share


class CancelToken:
    """A flag another thread sets to stop a photo being developed."""

    def __init__(self) -> None:
        self._event = threading.Event()

    def cancel(self) -> None:
        self._event.set()

    @property
    def cancelled(self) -> bool:
        return self._event.is_set()


def _check(cancel: CancelToken | None, source: Path) -> None:
    if cancel is not None and cancel.cancelled:
        raise DevelopCancelled(f"Developing {source.name} was cancelled")


def _same_file(a: Path, b: Path) -> bool:
    if os.path.normcase(os.path.abspath(a)) == os.path.normcase(os.path.abspath(b)):
        return True
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


def _flatten(image: pyvips.Image, alpha: pyvips.Image) -> pyvips.Image:
    """Composite onto white, for formats without transparency."""
    white = 65535 if image.format == "ushort" else 255
    flat = image.bandjoin(alpha).flatten(background=[white] * 3)
    return flat.cast(image.format).copy(interpretation=image.interpretation)


def _apply(
    image: pyvips.Image,
    preset: Preset,
    blend: float,
    *,
    is_raw: bool,
    source: Path,
    pixels: memoryview | None = None,
) -> pyvips.Image:
    """The pipeline, in place in `pixels` (the memory `image` wraps) when given."""
    from junmai_gui.develop.pipeline import apply_preset, apply_preset_in_place

    try:
        if pixels is not None:
            return apply_preset_in_place(image, pixels, preset, blend, is_raw=is_raw)
        return apply_preset(image, preset, blend, is_raw=is_raw)
    except MemoryError as exc:
        raise PhotoError(
            f"{source.name} is too large to develop with the memory available"
        ) from exc
    except (pyvips.Error, ValueError, ArithmeticError) as exc:
        detail = str(exc).strip().splitlines()[-1] if str(exc).strip() else type(exc).__name__
        raise PhotoError(f"{source.name} could not be developed ({detail})") from exc


def _check_blend(blend: float) -> None:
    if not 0 <= blend <= 100:
        raise ValueError(f"Blend must be from 0 to 100, not {blend:g}")


def develop_photo(
    source: Path,
    output: Path,
    preset: Preset,
    blend: float,
    options: OutputOptions,
    *,
    cancel: CancelToken | None = None,
) -> Path:
    """Develop `source` with `preset` at `blend` (0..100) into `output`, replacing it.

    Metadata (EXIF, XMP, ICC) is kept and the orientation applied once. With
    `options.xmp_sidecar` a RAW also gets `<output folder>/<RAW stem>.xmp`.
    Returns `output`.
    """
    source, output = Path(source), Path(output)
    _check_blend(blend)
    if _same_file(source, output):
        raise PhotoError(
            f"{source.name} would be overwritten by its own developed copy; "
            "choose another output folder or name"
        )
    _check(cancel, source)
    photo = decode_photo(source, keep_profile=options.keep_profile)
    _check(cancel, source)
    image, alpha, pixels = photo.image, photo.alpha, photo.pixels
    if alpha is not None and options.format not in ALPHA_FORMATS:
        image, alpha, pixels = _flatten(image, alpha), None, None
    developed = _apply(image, preset, blend, is_raw=photo.is_raw, source=source, pixels=pixels)
    _check(cancel, source)
    metadata = Metadata(exif=photo.exif, xmp=photo.xmp, icc=photo.icc)
    try:
        prepared = prepare(developed, alpha, options, metadata)
    except pyvips.Error as exc:
        raise PhotoError(f"{source.name} could not be prepared for writing ({exc})") from exc
    is_cancelled = (lambda: cancel.cancelled) if cancel is not None else None
    data = encode(prepared, options, metadata, source_name=source.name, is_cancelled=is_cancelled)
    _check(cancel, source)
    write_bytes_atomically(output, data)
    if options.xmp_sidecar and photo.is_raw:
        write_sidecar(source, output, preset.settings)
    return output


def _to_rgb8(image: pyvips.Image) -> npt.NDArray[np.uint8]:
    if image.format != "uchar":
        image = (image / 257 + 0.5).cast("uchar")
    array = np.asarray(image.numpy(), dtype=np.uint8)
    if array.ndim == 2:
        array = np.repeat(array[:, :, None], 3, axis=2)
    return np.ascontiguousarray(array[:, :, :3])


def render_preview(
    source: Path, preset: Preset, blend: float, max_edge: int = 640
) -> tuple[npt.NDArray[np.uint8], npt.NDArray[np.uint8]]:
    """Before and after, as uint8 RGB arrays (H×W×3) no larger than `max_edge`.

    Decoded at reduced size (shrink-on-load, LibRaw half size): fine for a preview, never
    used for output files. PhotoError when the photo cannot be decoded or developed.
    """
    source = Path(source)
    _check_blend(blend)
    photo = decode_preview(source, max_edge)
    image = photo.image
    if photo.alpha is not None:
        image = _flatten(image, photo.alpha)
    image = image.copy_memory()
    developed = _apply(image, preset, blend, is_raw=photo.is_raw, source=source)
    try:
        return _to_rgb8(image), _to_rgb8(developed)
    except pyvips.Error as exc:
        raise PhotoError(f"{source.name} could not be developed ({exc})") from exc
