"""A batch's develop configuration: what to apply and where and how to write the results."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields
from typing import Any

from junmai_gui.domain.errors import InvalidBatchError

OUTPUT_FORMATS = ("jpeg", "tiff", "png", "webp", "avif")
CONFLICT_POLICIES = ("unique", "overwrite", "skip")
DEFAULT_NAMING = "{stem}_{preset}"


@dataclass(frozen=True)
class BatchConfig:
    """The reference's `config` dict, typed. Only `preset` has no default.

    `output_dir` None means "the default output folder, one subfolder per batch"; the
    controller fills it in at creation so the stored config always names a folder.
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
        if isinstance(self.blend, bool) or not isinstance(self.blend, int | float):
            out.append("Blend must be a number from 0 to 100")
        elif not 0 <= self.blend <= 100:
            out.append(f"Blend must be from 0 to 100, not {self.blend:g}")
        if self.format not in OUTPUT_FORMATS:
            out.append(
                f"Unknown output format {self.format!r}; use one of {', '.join(OUTPUT_FORMATS)}"
            )
        if (
            isinstance(self.quality, bool)
            or not isinstance(self.quality, int)
            or not 1 <= self.quality <= 100
        ):
            out.append("Quality must be a whole number from 1 to 100")
        if self.bit_depth not in (8, 16):
            out.append("Bit depth must be 8 or 16")
        elif self.bit_depth == 16 and self.format not in ("tiff", "png"):
            out.append("16-bit output needs TIFF or PNG")
        if self.on_conflict not in CONFLICT_POLICIES:
            out.append(
                f"Unknown conflict policy {self.on_conflict!r}; "
                f"use one of {', '.join(CONFLICT_POLICIES)}"
            )
        if not isinstance(self.naming, str) or (
            "{stem}" not in self.naming and "{seq}" not in self.naming
        ):
            out.append(
                "The naming template must contain {stem} or {seq}, "
                "or every photo gets the same name"
            )
        if self.long_edge is not None and (
            isinstance(self.long_edge, bool)
            or not isinstance(self.long_edge, int)
            or self.long_edge < 16
        ):
            out.append("Long edge must be a whole number of pixels, at least 16")
        return out

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> BatchConfig:
        """Build from the reference's config dict; unknown keys are kept in `extra`."""
        if not isinstance(data, dict):
            raise InvalidBatchError("config must be a JSON object")
        if "preset" not in data:
            raise InvalidBatchError(
                'config needs a preset, for example {"preset": "WhiteLayer_v4"}'
            )
        known = {f.name for f in fields(cls)} - {"extra"}
        kwargs = {k: v for k, v in data.items() if k in known}
        extra = {k: v for k, v in data.items() if k not in known}
        try:
            return cls(**kwargs, extra=extra)
        except TypeError as exc:  # a wrong type that __post_init__ could not word
            raise InvalidBatchError(f"Invalid config: {exc}") from exc

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        extra = data.pop("extra")
        data.update(extra)
        return data
