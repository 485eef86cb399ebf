"""A batch's develop configuration: what to apply, and where and how to write the results.

`BatchConfig` is the one vocabulary of a batch's settings and their only validator: the
output options the develop engine uses, each photo's recipe, the New Batch form and the
API's JSON schema are all derived from it. It is parsed once, when a batch is created, and
its canonical dict (`to_dict`) is stored with the batch.

A batch writes one output per photo, described by the AutoDev contract's single keys
(`format`, `quality`, `bit_depth`, `long_edge`, `naming`, `xmp_sidecar`), or several:
`outputs` lists them (`OutputSpec`: those keys plus `subfolder`, each with its own default),
and then the single keys are not used. Each output stands on its own, so the API's schema
can state its rules exactly. Two outputs may share a folder and a name: planning keeps
every output path distinct. `after` lists what to do when the batch ends
(`domain.after_batch`).
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field, fields
from pathlib import PurePath
from typing import Any

from junmai_gui.domain.after_batch import MAX_AFTER_ACTIONS, AfterAction, parse_after
from junmai_gui.domain.errors import InvalidBatchError
from junmai_gui.domain.naming import (
    DEFAULT_NAMING,
    MAX_FIELD_WIDTH,
    MAX_TEMPLATE_LENGTH,
    TEMPLATE_PATTERN,
    template_problem,
)
from junmai_gui.domain.wording import QT_TRANSLATE_NOOP, Sentence

__all__ = [
    "BIT_DEPTHS",
    "CONFLICT_POLICIES",
    "DEFAULT_NAMING",
    "DEFAULT_PRESET",
    "FORMAT_EXTENSIONS",
    "MAX_OUTPUTS",
    "MIN_LONG_EDGE",
    "OUTPUT_FORMATS",
    "SIXTEEN_BIT_FORMATS",
    "BatchConfig",
    "OutputSpec",
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
MAX_OUTPUTS = 8
MAX_SUBFOLDER_LENGTH = MAX_FIELD_WIDTH
# The keys of one output (`OutputSpec`): the single-output keys and a subfolder.
OUTPUT_KEYS = ("format", "quality", "bit_depth", "long_edge", "naming", "subfolder", "xmp_sidecar")


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_number(value: object) -> bool:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return False
    return math.isfinite(value)


def _output_problems(
    format: object,
    quality: object,
    bit_depth: object,
    long_edge: object,
    naming: object,
    xmp_sidecar: object,
) -> list[str]:
    """The problems of one output's settings (the single keys, or one of `outputs`)."""
    out: list[str] = []
    if format not in OUTPUT_FORMATS:
        out.append(f"Unknown output format {format!r}; use one of {', '.join(OUTPUT_FORMATS)}")
    if not _is_int(quality) or not 1 <= quality <= 100:  # type: ignore[operator]
        out.append("Quality must be a whole number from 1 to 100")
    if not _is_int(bit_depth) or bit_depth not in BIT_DEPTHS:
        out.append("Bit depth must be 8 or 16")
    elif bit_depth == 16 and format not in SIXTEEN_BIT_FORMATS:
        out.append("16-bit output needs TIFF or PNG")
    naming_problem = template_problem(naming)
    if naming_problem:
        out.append(naming_problem)
    if long_edge is not None and (
        not _is_int(long_edge) or not MIN_LONG_EDGE <= long_edge <= MAX_LONG_EDGE  # type: ignore[operator]
    ):
        out.append(
            f"Long edge must be a whole number of pixels from {MIN_LONG_EDGE} to {MAX_LONG_EDGE:,}"
        )
    if not isinstance(xmp_sidecar, bool):
        out.append("xmp_sidecar must be true or false")
    return out


def _subfolder_problem(subfolder: object) -> str | None:
    if (
        not isinstance(subfolder, str)
        or len(subfolder) > MAX_SUBFOLDER_LENGTH
        or any(ord(c) < 32 for c in subfolder)
        or PurePath(subfolder).is_absolute()
        or subfolder.startswith(("/", "\\"))
        or any(part in (".", "..") for part in subfolder.replace("\\", "/").split("/"))
    ):
        return Sentence(
            QT_TRANSLATE_NOOP(
                "Problem",
                "An output's subfolder must be a folder name inside the output folder (text of "
                "at most {limit} characters, no '..'), for example \"web\"",
            ),
            limit=MAX_SUBFOLDER_LENGTH,
        )
    return None


@dataclass(frozen=True)
class OutputSpec:
    """One output of every photo of a batch: a format and how to name it, in `subfolder` of
    the batch's output folder ("" for the folder itself). Checked by `BatchConfig`."""

    format: str = "jpeg"
    quality: int = 92
    bit_depth: int = 8
    long_edge: int | None = None
    naming: str = DEFAULT_NAMING
    subfolder: str = ""
    xmp_sidecar: bool = False

    def problems(self) -> list[str]:
        out = _output_problems(
            self.format, self.quality, self.bit_depth, self.long_edge, self.naming,
            self.xmp_sidecar,
        )  # fmt: skip
        subfolder = _subfolder_problem(self.subfolder)
        return [*out, subfolder] if subfolder else out

    @property
    def extension(self) -> str:
        return FORMAT_EXTENSIONS[self.format]

    @property
    def naming_path(self) -> str:
        """Where its files go inside the output folder, as one template (subfolder/naming)."""
        folder = self.subfolder.replace("\\", "/").strip("/")
        folder = folder.replace("{", "{{").replace("}", "}}")  # the folder's name is text
        return f"{folder}/{self.naming}" if folder else self.naming

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class BatchConfig:
    """The AutoDev contract's `config` object, typed. Only `preset` has no default.

    `output_dir` None means "the default output folder, one subfolder per batch"; the
    controller fills it in at creation, so a stored config always names a folder. Types are
    strict: `bit_depth` 16.0 or `xmp_sidecar` "yes" are refused, not guessed at. `outputs`
    empty means one output, from the single keys (`output_specs` gives them either way).
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
    outputs: tuple[OutputSpec, ...] = ()
    after: tuple[AfterAction, ...] = ()
    extra: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        problems = self.problems()
        if problems:
            raise InvalidBatchError("; ".join(problems), problems=problems)

    def problems(self) -> list[str]:
        """Every reason this config is unusable, as sentences (empty when valid)."""
        out: list[str] = []
        if not isinstance(self.preset, str) or not self.preset.strip():
            out.append(Sentence(QT_TRANSLATE_NOOP("Problem", "Choose a preset")))
        if not _is_number(self.blend):
            out.append("Blend must be a number from 0 to 100")
        elif not 0 <= self.blend <= 100:
            out.append(f"Blend must be from 0 to 100, not {self.blend:g}")
        if self.output_dir is not None and (
            not isinstance(self.output_dir, str)
            or "\x00" in self.output_dir
            or not PurePath(self.output_dir).is_absolute()
        ):
            out.append(
                Sentence(
                    QT_TRANSLATE_NOOP(
                        "Problem", "The output folder must be an absolute folder path"
                    )
                )
            )
        out += _output_problems(
            self.format, self.quality, self.bit_depth, self.long_edge, self.naming,
            self.xmp_sidecar,
        )  # fmt: skip
        if self.on_conflict not in CONFLICT_POLICIES:
            out.append(
                f"Unknown conflict policy {self.on_conflict!r}; "
                f"use one of {', '.join(CONFLICT_POLICIES)}"
            )
        if not isinstance(self.keep_profile, bool):
            out.append("keep_profile must be true or false")
        if len(self.outputs) > MAX_OUTPUTS:
            out.append(_too_many_outputs())
        for number, spec in enumerate(self.outputs, start=1):
            out += [_of_output(number, problem) for problem in spec.problems()]
        return out

    @property
    def extension(self) -> str:
        """The (first) output files' extension, with its dot."""
        return self.output_specs[0].extension

    @property
    def output_specs(self) -> tuple[OutputSpec, ...]:
        """Every output of a photo, in order: `outputs`, or the one of the single keys."""
        if self.outputs:
            return self.outputs
        return (
            OutputSpec(**{key: getattr(self, key) for key in OUTPUT_KEYS if key != "subfolder"}),
        )

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> BatchConfig:
        """Build from the AutoDev contract's config dict; unknown keys are kept in `extra`."""
        if not isinstance(data, dict):
            raise InvalidBatchError("config must be a JSON object")
        if "preset" not in data:
            raise InvalidBatchError(
                'config needs a preset, for example {"preset": "WhiteLayer_v4"}'
            )
        known = {f.name for f in fields(cls)} - {"extra", "outputs", "after"}
        kwargs = {k: v for k, v in data.items() if k in known}
        extra = {k: v for k, v in data.items() if k not in known | {"outputs", "after"}}
        after, problems = parse_after(data.get("after"))
        outputs, output_problems = _parse_outputs(data.get("outputs"))
        problems += output_problems
        if problems:
            try:  # every problem in one sentence: the single keys' own too
                cls(**kwargs)
            except InvalidBatchError as exc:
                problems[:0] = exc.problems
            raise InvalidBatchError("; ".join(problems), problems=problems)
        return cls(**kwargs, outputs=outputs, after=after, extra=extra)

    def to_dict(self) -> dict[str, Any]:
        data = {
            f.name: getattr(self, f.name)
            for f in fields(self)
            if f.name not in ("outputs", "after", "extra")
        }
        if self.outputs:
            data["outputs"] = [spec.to_dict() for spec in self.outputs]
        if self.after:
            data["after"] = [action.to_dict() for action in self.after]
        data.update(self.extra)
        return data

    @staticmethod
    def json_schema() -> dict[str, Any]:
        """The config object as a JSON schema (OpenAPI 3.0 flavour), from these rules.

        Commands after a batch are left out: they are never accepted from a client."""
        output = _output_schema()
        output["properties"]["subfolder"] = {
            "type": "string",
            "maxLength": MAX_SUBFOLDER_LENGTH,
            "pattern": r"^(?![\s\S]*[\x00-\x1f])(?![\\/])(?!(?:.*[\\/])?\.{1,2}(?:[\\/]|$)).*$",
            "example": "web",
        }
        output["additionalProperties"] = False
        schema = _output_schema()
        schema["properties"] = {
            "preset": {"type": "string", "minLength": 1, "example": DEFAULT_PRESET},
            "blend": {"type": "number", "minimum": 0, "maximum": 100, "example": 60},
            "output_dir": {
                "type": "string",
                "nullable": True,
                "description": "An absolute path",
            },
            **schema["properties"],
            "on_conflict": {"type": "string", "enum": list(CONFLICT_POLICIES)},
            "keep_profile": {"type": "boolean"},
            "outputs": {
                "type": "array",
                "nullable": True,
                "maxItems": MAX_OUTPUTS,
                "items": output,
                "description": "Several outputs per photo, each with its own settings; "
                "when given, the single-output keys of this config are not used",
            },
            "after": {
                "type": "array",
                "nullable": True,
                "maxItems": MAX_AFTER_ACTIONS,
                "items": {
                    "oneOf": [
                        {
                            "type": "object",
                            "required": ["action"],
                            "additionalProperties": False,
                            "properties": {"action": {"type": "string", "enum": ["open_folder"]}},
                        },
                        {
                            "type": "object",
                            "required": ["action", "folder"],
                            "additionalProperties": False,
                            "properties": {
                                "action": {"type": "string", "enum": ["copy"]},
                                "folder": {"type": "string", "description": "An absolute path"},
                            },
                        },
                    ]
                },
                "description": "What to do when the batch ends; commands are only accepted "
                "from the window or the settings file",
            },
        }
        schema["description"] = (
            "The batch's develop settings; preset is required when config is given. Other "
            "keys are kept with the batch as they are."
        )
        schema["required"] = ["preset"]
        return schema


def _output_schema() -> dict[str, Any]:
    """The keys of one output as a JSON schema: 16 bits only in TIFF or PNG."""
    return {
        "type": "object",
        "anyOf": [
            {"properties": {"bit_depth": {"enum": [8]}}},
            {"required": ["format"], "properties": {"format": {"enum": list(SIXTEEN_BIT_FORMATS)}}},
        ],
        "properties": {
            "format": {"type": "string", "enum": list(OUTPUT_FORMATS)},
            "quality": {"type": "integer", "minimum": 1, "maximum": 100},
            "bit_depth": {"type": "integer", "enum": list(BIT_DEPTHS)},
            "long_edge": {
                "type": "integer",
                "nullable": True,
                "minimum": MIN_LONG_EDGE,
                "maximum": MAX_LONG_EDGE,
            },
            "naming": {
                "type": "string",
                "maxLength": MAX_TEMPLATE_LENGTH,
                "pattern": TEMPLATE_PATTERN,
                "example": DEFAULT_NAMING,
            },
            "xmp_sidecar": {"type": "boolean"},
        },
    }


def _parse_outputs(value: object) -> tuple[tuple[OutputSpec, ...], list[str]]:
    """The outputs of a config dict, and the problems of their shape (their values are
    checked by `BatchConfig`)."""
    if value is None or value == []:
        return (), []
    if not isinstance(value, list):
        return (), ['outputs must be a list of outputs, for example [{"format": "jpeg"}]']
    if len(value) > MAX_OUTPUTS:
        return (), [_too_many_outputs()]
    outputs: list[OutputSpec] = []
    problems: list[str] = []
    for number, item in enumerate(value, start=1):
        if not isinstance(item, dict):
            problems.append(f'Output {number} must be an object such as {{"format": "tiff"}}')
            continue
        unknown = sorted(str(k)[:40] for k in set(item) - set(OUTPUT_KEYS))
        if unknown:
            problems.append(f"Output {number} has unknown settings: {', '.join(unknown)}")
            continue
        spec = OutputSpec(**item)
        problems += [_of_output(number, problem) for problem in spec.problems()]
        outputs.append(spec)
    return tuple(outputs), problems


def _too_many_outputs() -> str:
    return Sentence(
        QT_TRANSLATE_NOOP("Problem", "A batch writes at most {limit} outputs per photo"),
        limit=MAX_OUTPUTS,
    )


def _of_output(number: int, problem: str) -> str:
    return Sentence(
        QT_TRANSLATE_NOOP("Problem", "Output {number}: {problem}"), number=number, problem=problem
    )
