"""A batch's develop configuration: what to apply, and where and how to write the results.

`BatchConfig` is the one vocabulary of a batch's settings and their only validator: the
output options the develop engine uses, each photo's recipe, the New Batch form and the
API's JSON schema are all derived from it. It is parsed once, when a batch is created, and
its canonical dict (`to_dict`) is stored with the batch.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field, fields
from pathlib import PurePath
from typing import Any

from junmai_gui.domain.errors import InvalidBatchError
from junmai_gui.domain.naming import DEFAULT_NAMING, template_problem

__all__ = [
    "BIT_DEPTHS",
    "CONFLICT_POLICIES",
    "DEFAULT_NAMING",
    "DEFAULT_PRESET",
    "FORMAT_EXTENSIONS",
    "MIN_LONG_EDGE",
    "OUTPUT_FORMATS",
    "SIXTEEN_BIT_FORMATS",
    "BatchConfig",
]

# Output format -> file extension, in the order the window offers them.
FORMAT_EXTENSIONS = {
    "jpeg": ".jpg",
    "tiff": ".tif",
    "png": ".png",
    "webp": ".webp",
    "avif": ".avif",
}
OUTPUT_FORMATS = tuple(FORMAT_EXTENSIONS)
SIXTEEN_BIT_FORMATS = ("tiff", "png")
BIT_DEPTHS = (8, 16)
CONFLICT_POLICIES = ("unique", "overwrite", "skip")
DEFAULT_PRESET = "WhiteLayer_v4"  # the AutoDev contract's example, used when a request has none
MIN_LONG_EDGE = 16
MAX_LONG_EDGE = 100_000


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_number(value: object) -> bool:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return False
    return math.isfinite(value)


@dataclass(frozen=True)
class BatchConfig:
    """The AutoDev contract's `config` object, typed. Only `preset` has no default.

    `output_dir` None means "the default output folder, one subfolder per batch"; the
    controller fills it in at creation, so a stored config always names a folder. Types are
    strict: `bit_depth` 16.0 or `xmp_sidecar` "yes" are refused, not guessed at.
    """

    preset: str
    blend: float = 100.0
    output_dir: str | None = None
    format: str = "jpeg"
    quality: int = 92
    bit_depth: int = 8
    naming: str = DEFAULT_NAMING
    on_conflict: str = "unique"
    long_edge: int | None = None
    xmp_sidecar: bool = False
    keep_profile: bool = False
    extra: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        problems = self.problems()
        if problems:
            raise InvalidBatchError("; ".join(problems))

    def problems(self) -> list[str]:
        """Every reason this config is unusable, as sentences (empty when valid)."""
        out: list[str] = []
        if not isinstance(self.preset, str) or not self.preset.strip():
            out.append("Choose a preset")
        if not _is_number(self.blend):
            out.append("Blend must be a number from 0 to 100")
        elif not 0 <= self.blend <= 100:
            out.append(f"Blend must be from 0 to 100, not {self.blend:g}")
        if self.output_dir is not None and (
            not isinstance(self.output_dir, str)
            or "\x00" in self.output_dir
            or not PurePath(self.output_dir).is_absolute()
        ):
            out.append("The output folder must be an absolute folder path")
        if self.format not in OUTPUT_FORMATS:
            out.append(
                f"Unknown output format {self.format!r}; use one of {', '.join(OUTPUT_FORMATS)}"
            )
        if not _is_int(self.quality) or not 1 <= self.quality <= 100:
            out.append("Quality must be a whole number from 1 to 100")
        if not _is_int(self.bit_depth) or self.bit_depth not in BIT_DEPTHS:
            out.append("Bit depth must be 8 or 16")
        elif self.bit_depth == 16 and self.format not in SIXTEEN_BIT_FORMATS:
            out.append("16-bit output needs TIFF or PNG")
        if self.on_conflict not in CONFLICT_POLICIES:
            out.append(
                f"Unknown conflict policy {self.on_conflict!r}; "
                f"use one of {', '.join(CONFLICT_POLICIES)}"
            )
        naming_problem = template_problem(self.naming)
        if naming_problem:
            out.append(naming_problem)
        if self.long_edge is not None and (
            not _is_int(self.long_edge) or not MIN_LONG_EDGE <= self.long_edge <= MAX_LONG_EDGE
        ):
            out.append(
                f"Long edge must be a whole number of pixels from {MIN_LONG_EDGE} "
                f"to {MAX_LONG_EDGE:,}"
            )
        for name in ("xmp_sidecar", "keep_profile"):
            if not isinstance(getattr(self, name), bool):
                out.append(f"{name} must be true or false")
        return out

    @property
    def extension(self) -> str:
        """The output files' extension, with its dot."""
        return FORMAT_EXTENSIONS[self.format]

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> BatchConfig:
        """Build from the AutoDev contract's config dict; unknown keys are kept in `extra`."""
        if not isinstance(data, dict):
            raise InvalidBatchError("config must be a JSON object")
        if "preset" not in data:
            raise InvalidBatchError(
                'config needs a preset, for example {"preset": "WhiteLayer_v4"}'
            )
        known = {f.name for f in fields(cls)} - {"extra"}
        kwargs = {k: v for k, v in data.items() if k in known}
        extra = {k: v for k, v in data.items() if k not in known}
        return cls(**kwargs, extra=extra)

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        extra = data.pop("extra")
        data.update(extra)
        return data

    @staticmethod
    def json_schema() -> dict[str, Any]:
        """The config object as a JSON schema (OpenAPI 3.0 flavour), from these rules."""
        text = {"type": "string"}
        return {
            "type": "object",
            "description": "The batch's develop settings; preset is required when config "
            "is given. Other keys are kept with the batch as they are.",
            "required": ["preset"],
            "properties": {
                "preset": {**text, "minLength": 1, "example": DEFAULT_PRESET},
                "blend": {"type": "number", "minimum": 0, "maximum": 100, "example": 60},
                "output_dir": {**text, "nullable": True, "description": "An absolute path"},
                "format": {"type": "string", "enum": list(OUTPUT_FORMATS)},
                "quality": {"type": "integer", "minimum": 1, "maximum": 100},
                "bit_depth": {"type": "integer", "enum": list(BIT_DEPTHS)},
                "naming": {**text, "example": DEFAULT_NAMING},
                "on_conflict": {"type": "string", "enum": list(CONFLICT_POLICIES)},
                "long_edge": {
                    "type": "integer",
                    "nullable": True,
                    "minimum": MIN_LONG_EDGE,
                    "maximum": MAX_LONG_EDGE,
                },
                "xmp_sidecar": {"type": "boolean"},
                "keep_profile": {"type": "boolean"},
            },
        }
