"""Encoding a developed image with the photo's metadata, into bytes ready for an atomic write.

Formats: JPEG (default, quality 92), TIFF 8/16-bit (deflate), PNG 8/16-bit, WebP, AVIF (AV1
through libvips' heifsave). Optional resize to a long edge (never upscaled). Metadata: EXIF
(camera, dates, GPS), XMP and ICC are kept, the orientation tag says 1 (the pixels are
upright); libvips writes no EXIF into TIFF, so `exif_tiff` adds it afterwards. Copied EXIF
is bounded to 64 KB however the photo's entries share their data (`exif_tiff.bounded_exif`).
Encoding runs in memory and carries no timestamps, so the same input and recipe give
byte-identical files — crash recovery relies on that. A cancel callback is wired to libvips'
progress signal: a long encode is killed and `DevelopCancelled` raised.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from dataclasses import asdict, dataclass, fields
from typing import Any

import pyvips

from junmai_gui.develop.errors import DevelopCancelled, PhotoError
from junmai_gui.develop.exif_tiff import add_exif_to_tiff, bounded_exif, read_tiff_exif
from junmai_gui.domain.config import FORMAT_EXTENSIONS, BatchConfig, OutputSpec

ALPHA_FORMATS = frozenset({"tiff", "png", "webp", "avif"})
_KEEP = pyvips.enums.ForeignKeep.EXIF | pyvips.enums.ForeignKeep.XMP | pyvips.enums.ForeignKeep.ICC
_METADATA_PREFIXES = ("exif-", "xmp-", "icc-", "iptc-", "orientation", "png-", "heif-", "jpeg-")

IsCancelled = Callable[[], bool]


@functools.cache
def avif_available() -> bool:
    """Whether this libvips can encode AVIF (AV1); probed once with a tiny image."""
    try:
        tiny = (pyvips.Image.black(16, 16, bands=3) + 128).cast("uchar")
        tiny.heifsave_buffer(compression="av1", Q=50)
    except pyvips.Error:
        return False
    return True


@dataclass(frozen=True)
class OutputOptions:
    """How to write one output of developed photos: an output of a `BatchConfig`, which is
    where these values are validated (`for_config`); here they are only used."""

    format: str = "jpeg"
    quality: int = 92
    bit_depth: int = 8
    long_edge: int | None = None
    keep_profile: bool = False
    xmp_sidecar: bool = False

    @classmethod
    def from_spec(cls, spec: OutputSpec, *, keep_profile: bool = False) -> OutputOptions:
        return cls(
            format=spec.format,
            quality=spec.quality,
            bit_depth=spec.bit_depth,
            long_edge=spec.long_edge,
            keep_profile=keep_profile,
            xmp_sidecar=spec.xmp_sidecar,
        )

    @classmethod
    def for_config(cls, config: BatchConfig) -> tuple[OutputOptions, ...]:
        """Every output of a batch's photos, in order."""
        keep = config.keep_profile
        return tuple(cls.from_spec(spec, keep_profile=keep) for spec in config.output_specs)

    @classmethod
    def from_config(cls, config: BatchConfig) -> OutputOptions:
        """The first (for the AutoDev contract's single keys, the only) output."""
        return cls.for_config(config)[0]

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> OutputOptions:
        return cls(**{f.name: data[f.name] for f in fields(cls) if f.name in data})

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @property
    def extension(self) -> str:
        return FORMAT_EXTENSIONS[self.format]


def unsupported_here(config: BatchConfig) -> str | None:
    """Why this computer cannot write what `config` asks for (None: it can)."""
    wanted = {spec.format for spec in config.output_specs}
    if "avif" in wanted and not avif_available():
        return (
            "AVIF output is not available on this computer: its image library cannot encode "
            "AV1. Choose JPEG, TIFF, PNG or WebP."
        )
    return None


@dataclass(frozen=True)
class Metadata:
    """What the output carries over from the source photo."""

    exif: bytes | None = None
    xmp: bytes | None = None
    icc: bytes | None = None


_XMP_ORIENTATION = re.compile(
    rb"(tiff:Orientation\s*=\s*[\"'])\d+([\"'])|(<tiff:Orientation>)\s*\d+\s*(</tiff:Orientation>)"
)


def upright_xmp(xmp: bytes) -> bytes:
    """`xmp` with tiff:Orientation set to 1: the pixels are upright, and a viewer that trusts
    XMP over EXIF must not turn them a second time. The rest of the packet is kept as is."""

    def one(match: re.Match[bytes]) -> bytes:
        if match.group(1) is not None:
            return match.group(1) + b"1" + match.group(2)
        return match.group(3) + b"1" + match.group(4)

    return _XMP_ORIENTATION.sub(one, xmp)


def prepare(
    image: pyvips.Image, alpha: pyvips.Image | None, options: OutputOptions, metadata: Metadata
) -> pyvips.Image:
    """The image as it will be written: alpha joined, resized, at the bit depth, with metadata."""
    if alpha is not None and options.format in ALPHA_FORMATS:
        image = image.bandjoin(alpha)
    if options.long_edge is not None:
        scale = options.long_edge / max(image.width, image.height)
        if scale < 1:
            image = image.resize(scale, kernel="lanczos3")
    sixteen = options.bit_depth == 16
    if sixteen and image.format != "ushort":
        image = (image.cast("ushort") * 257).cast("ushort")
    elif not sixteen and image.format != "uchar":
        image = (image / 257 + 0.5).cast("uchar")  # round 16 → 8 bits
    else:
        image = image.copy()
    image = image.copy(interpretation="rgb16" if sixteen else "srgb")
    for name in image.get_fields():
        if name.startswith(_METADATA_PREFIXES):
            image.remove(name)
    for name, value in (
        ("exif-data", bounded_exif(metadata.exif)),
        ("xmp-data", upright_xmp(metadata.xmp) if metadata.xmp else None),
        ("icc-profile-data", metadata.icc),
    ):
        if value:
            image.set_type(pyvips.GValue.blob_type, name, value)
    if metadata.exif:
        image.set_type(pyvips.GValue.gint_type, "orientation", 1)
    return image


def _save(image: pyvips.Image, options: OutputOptions) -> bytes:
    common: dict[str, Any] = {"keep": _KEEP}
    if options.format == "jpeg":
        data = image.jpegsave_buffer(Q=options.quality, **common)
    elif options.format == "tiff":
        data = image.tiffsave_buffer(compression="deflate", predictor="horizontal", **common)
    elif options.format == "png":
        data = image.pngsave_buffer(compression=6, bitdepth=options.bit_depth, **common)
    elif options.format == "webp":
        data = image.webpsave_buffer(Q=options.quality, **common)
    else:
        data = image.heifsave_buffer(compression="av1", Q=options.quality, bitdepth=8, **common)
    return bytes(data)


def encode(
    image: pyvips.Image,
    options: OutputOptions,
    metadata: Metadata,
    *,
    source_name: str,
    is_cancelled: IsCancelled | None = None,
) -> bytes:
    """The encoded file's bytes. PhotoError when libvips fails, DevelopCancelled when asked."""
    if is_cancelled is not None:
        image.set_progress(True)

        def on_eval(img: pyvips.Image, _progress: object) -> None:
            if is_cancelled():
                img.set_kill(True)

        image.signal_connect("eval", on_eval)
    try:
        data = _save(image, options)
    except pyvips.Error as exc:
        if is_cancelled is not None and is_cancelled():
            raise DevelopCancelled(f"Developing {source_name} was cancelled") from exc
        detail = str(exc).strip().splitlines()[-1].strip()
        raise PhotoError(
            f"{source_name} could not be written as {options.format.upper()} ({detail})"
        ) from exc
    except MemoryError as exc:
        raise PhotoError(
            f"{source_name} is too large to develop with the memory available"
        ) from exc
    if options.format == "tiff" and metadata.exif:
        data = add_exif_to_tiff(data, read_tiff_exif(metadata.exif))
    return data
