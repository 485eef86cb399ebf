"""Developing one photo: decode → preset at a blend → encode → atomic write. The controller's
one call per photo, and the preview's.

`develop_outputs` decodes and develops a photo once and encodes it once per output (a
full-size JPEG, a 2048-px web JPEG and a 16-bit TIFF from one development); `develop_photo`
is the same for one output (and takes more as `extra_outputs`). They raise `PhotoError`
(this photo cannot be developed), `DiskFullError` / `OutputUnavailableError` (the output
side failed: pause the batch), `ResourceError` (the machine ran out of open files or memory
opening the photo or writing its output: pause the batch), or `DevelopCancelled`.
Whatever they raise, no output file of this call (complete or partial) is left behind; on
success every output is complete and durable. The same source and recipe always give the
same bytes, whether an output is written alone or with others. Cancellation is checked
between the stages and kills a running libvips encode.
"""

from __future__ import annotations

import contextlib
import os
import threading
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pyvips

from junmai_gui.develop.decode import DecodedPhoto, decode_photo, decode_preview
from junmai_gui.develop.errors import DevelopCancelled, PhotoError
from junmai_gui.develop.files import write_bytes_atomically
from junmai_gui.develop.output import ALPHA_FORMATS, Metadata, OutputOptions, encode, prepare
from junmai_gui.develop.preset import Preset
from junmai_gui.develop.sidecar import write_sidecar

__all__ = [
    "CancelToken",
    "OutputOptions",
    "develop_outputs",
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
    extra_outputs: Sequence[tuple[Path, OutputOptions]] = (),
) -> Path:
    """Develop `source` with `preset` at `blend` (0..100) into `output`, replacing it (and
    into each of `extra_outputs`, from the same development: see `develop_outputs`).

    Metadata (EXIF, XMP, ICC) is kept and the orientation applied once. With
    `options.xmp_sidecar` a RAW also gets `<output folder>/<RAW stem>.xmp`.
    Returns `output`.
    """
    outputs = [(Path(output), options), *((Path(p), o) for p, o in extra_outputs)]
    return develop_outputs(source, outputs, preset, blend, cancel=cancel)[0]


def develop_outputs(
    source: Path,
    outputs: Sequence[tuple[Path, OutputOptions]],
    preset: Preset,
    blend: float,
    *,
    cancel: CancelToken | None = None,
) -> list[Path]:
    """Develop `source` once and write it to every `(path, options)` of `outputs`, in order,
    each atomically; returns the paths. The decode follows the first output's
    `keep_profile` (a batch's setting, the same for all). A photo with transparency
    developed for formats with and without alpha is developed twice (flattened onto white
    before developing, as a single output would be), so each file has the bytes it would
    have alone. On any error the outputs already written by this call are removed."""
    source = Path(source)
    _check_blend(blend)
    if not outputs:
        raise ValueError("develop_outputs needs at least one output")
    for output, _ in outputs:
        if _same_file(source, Path(output)):
            raise PhotoError(
                f"{source.name} would be overwritten by its own developed copy; "
                "choose another output folder or name"
            )
    _check(cancel, source)
    photo = decode_photo(source, keep_profile=outputs[0][1].keep_profile)
    _check(cancel, source)
    metadata = Metadata(exif=photo.exif, xmp=photo.xmp, icc=photo.icc)
    developed = _develop_for(photo, [o for _, o in outputs], preset, blend, source, cancel)
    is_cancelled = (lambda: cancel.cancelled) if cancel is not None else None
    written: list[Path] = []
    try:
        for output, options in outputs:
            image, alpha = developed[options.format not in ALPHA_FORMATS]
            try:
                prepared = prepare(image, alpha, options, metadata)
            except pyvips.Error as exc:
                raise PhotoError(
                    f"{source.name} could not be prepared for writing ({exc})"
                ) from exc
            data = encode(
                prepared, options, metadata, source_name=source.name, is_cancelled=is_cancelled
            )
            _check(cancel, source)
            write_bytes_atomically(Path(output), data)
            written.append(Path(output))
            if options.xmp_sidecar and photo.is_raw:
                sidecar = write_sidecar(source, Path(output), preset.settings)
                if sidecar is not None:
                    written.append(sidecar)
    except BaseException:
        for path in written:
            with contextlib.suppress(OSError):
                path.unlink()
        raise
    return [Path(output) for output, _ in outputs]


Developed = dict[bool, tuple[pyvips.Image, pyvips.Image | None]]


def _develop_for(
    photo: DecodedPhoto,
    options: list[OutputOptions],
    preset: Preset,
    blend: float,
    source: Path,
    cancel: CancelToken | None,
) -> Developed:
    """The developed image (and alpha) for outputs without transparency (key True) and with
    it (key False): one development, or two for a photo with alpha and both kinds."""
    flat = {o.format not in ALPHA_FORMATS for o in options}
    if photo.alpha is None:
        image = _apply(
            photo.image, preset, blend, is_raw=photo.is_raw, source=source, pixels=photo.pixels
        )
        _check(cancel, source)
        return dict.fromkeys(flat, (image, None))
    developed: Developed = {}
    if True in flat:
        flattened = _flatten(photo.image, photo.alpha)
        developed[True] = (
            _apply(flattened, preset, blend, is_raw=photo.is_raw, source=source),
            None,
        )
        _check(cancel, source)
    if False in flat:
        image = _apply(photo.image, preset, blend, is_raw=photo.is_raw, source=source)
        developed[False] = (image, photo.alpha)
        _check(cancel, source)
    return developed


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
