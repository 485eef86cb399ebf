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
same bytes, whether an output is written alone or with others, and also when the photo is
copied elsewhere: the grain is seeded from `photo_seed`, the photo's identity (file name,
size and its first 64 KiB), not from its path or a clock. Cancellation is checked between
the stages and kills a running libvips encode.

`render_preview` keeps the last photo it decoded (`PreviewCache`: one entry, keyed by path,
size and modification time), so moving the blend slider does not decode, or demosaic, again.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import threading
from collections.abc import Sequence
from dataclasses import dataclass
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
    "PreviewCache",
    "develop_outputs",
    "develop_photo",
    "photo_seed",
    "render_preview",
    "share_cores_between_photos",
]

_IDENTITY_HEAD = 64 * 1024


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


def photo_seed(source: Path) -> int:
    """The photo's identity as a number: its file name, size and the hash of its first 64 KiB.

    The same on every computer the photo is copied to (not the path, which differs between
    them), and different for two photos even of the same name. PhotoError if unreadable.
    """
    source = Path(source)
    try:
        with open(source, "rb") as file:
            head = file.read(_IDENTITY_HEAD)
            size = os.fstat(file.fileno()).st_size
    except OSError as exc:
        raise PhotoError(f"{source.name} could not be read ({exc.strerror or exc})") from exc
    digest = hashlib.blake2b(digest_size=8)
    digest.update(f"{source.name}\0{size}\0".encode())
    digest.update(head)
    return int.from_bytes(digest.digest(), "little")


def _apply(
    image: pyvips.Image,
    preset: Preset,
    blend: float,
    *,
    is_raw: bool,
    source: Path,
    seed: int,
    pixels: memoryview | None = None,
    full_long_edge: int | None = None,
) -> pyvips.Image:
    """The pipeline, in place in `pixels` (the memory `image` wraps) when given."""
    from junmai_gui.develop.pipeline import apply_preset, apply_preset_in_place

    try:
        if pixels is not None:
            return apply_preset_in_place(
                image, pixels, preset, blend, is_raw=is_raw, photo_seed=seed
            )
        return apply_preset(
            image, preset, blend, is_raw=is_raw, photo_seed=seed, full_long_edge=full_long_edge
        )
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
    from junmai_gui.develop.pipeline.grain import has_grain

    photo = decode_photo(source, keep_profile=outputs[0][1].keep_profile)
    seed = photo_seed(source) if has_grain(preset.settings) else 0  # only grain reads it
    _check(cancel, source)
    metadata = Metadata(exif=photo.exif, xmp=photo.xmp, icc=photo.icc)
    developed = _develop_for(photo, [o for _, o in outputs], preset, blend, source, seed, cancel)
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
    seed: int,
    cancel: CancelToken | None,
) -> Developed:
    """The developed image (and alpha) for outputs without transparency (key True) and with
    it (key False): one development, or two for a photo with alpha and both kinds."""
    flat = {o.format not in ALPHA_FORMATS for o in options}
    raw = photo.is_raw
    if photo.alpha is None:
        image = _apply(
            photo.image, preset, blend, is_raw=raw, source=source, seed=seed, pixels=photo.pixels
        )
        _check(cancel, source)
        return dict.fromkeys(flat, (image, None))
    developed: Developed = {}
    if True in flat:
        flattened = _flatten(photo.image, photo.alpha)
        developed[True] = (
            _apply(flattened, preset, blend, is_raw=raw, source=source, seed=seed),
            None,
        )
        _check(cancel, source)
    if False in flat:
        image = _apply(photo.image, preset, blend, is_raw=raw, source=source, seed=seed)
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


@dataclass(frozen=True)
class _Decoded:
    """One decoded preview, with what identifies the file it came from."""

    key: tuple[str, int, int, int]  # path, size, mtime (ns), max_edge
    photo: DecodedPhoto
    image: pyvips.Image  # flattened, in memory: never developed in place
    seed: int


class PreviewCache:
    """The last photo `render_preview` decoded: one entry, keyed by path, size and mtime.

    Moving the blend slider or trying another preset on the same photo then skips decoding
    (a 24-MP RAW demosaics for seconds); a changed file has another size or mtime and is
    decoded again. Thread-safe; holds one small, preview-sized image.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._entry: _Decoded | None = None
        self.decodes = 0  # how many times a photo was decoded (for tests and diagnostics)

    def get(self, source: Path, max_edge: int) -> _Decoded:
        try:
            status = source.stat()
        except OSError:
            status = None
        key = (
            str(source.resolve()) if status else str(source),
            status.st_size if status else -1,
            status.st_mtime_ns if status else -1,
            max_edge,
        )
        with self._lock:
            if self._entry is not None and self._entry.key == key and status is not None:
                return self._entry
        photo = decode_preview(source, max_edge)
        image = photo.image
        if photo.alpha is not None:
            image = _flatten(image, photo.alpha)
        entry = _Decoded(key, photo, image.copy_memory(), photo_seed(source))
        with self._lock:
            self.decodes += 1
            self._entry = entry
        return entry


_PREVIEWS = PreviewCache()


def render_preview(
    source: Path,
    preset: Preset,
    blend: float,
    max_edge: int = 640,
    *,
    cache: PreviewCache | None = None,
) -> tuple[npt.NDArray[np.uint8], npt.NDArray[np.uint8]]:
    """Before and after, as uint8 RGB arrays (H×W×3) no larger than `max_edge`.

    Decoded at reduced size (shrink-on-load, LibRaw half size): fine for a preview, never
    used for output files; the decoded photo is kept for the next call in `cache` (by
    default the process's own one-entry cache).
    Sharpening, noise reduction and grain are scaled to the photo's full size. PhotoError
    when the photo cannot be decoded or developed.
    """
    source = Path(source)
    _check_blend(blend)
    decoded = (cache or _PREVIEWS).get(source, max_edge)
    photo, image = decoded.photo, decoded.image
    developed = _apply(
        image, preset, blend, is_raw=photo.is_raw, source=source, seed=decoded.seed,
        full_long_edge=photo.full_long_edge or None,
    )  # fmt: skip
    try:
        return _to_rgb8(image), _to_rgb8(developed)
    except pyvips.Error as exc:
        raise PhotoError(f"{source.name} could not be developed ({exc})") from exc
