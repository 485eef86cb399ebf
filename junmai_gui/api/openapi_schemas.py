"""The JSON schemas of the API's bodies, for `/openapi.json` (see `junmai_gui.api.openapi`).

They follow what the handlers and the controller accept and return, field for field; the
test suite checks the server against them with schemathesis. `config_schema` is built for
each request of the document from the domain's `BatchConfig.json_schema()`, with the
presets and output formats there are at that time.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from junmai_gui.api.body import (
    ABSOLUTE_PATH_PATTERN,
    BATCH_ID_PATTERN,
    MAX_DAYS,
    MAX_INT,
    MAX_NAME,
    MAX_PRIORITY,
)
from junmai_gui.domain.config import BatchConfig
from junmai_gui.domain.status import BatchStatus, PauseReason, PhotoState

JSON = "application/json"


def ref(name: str) -> dict[str, Any]:
    return {"$ref": f"#/components/schemas/{name}"}


def _obj(required: list[str], **props: Any) -> dict[str, Any]:
    return {"type": "object", "required": required, "properties": props}


def _nullable(schema: dict[str, Any]) -> dict[str, Any]:
    return {**schema, "nullable": True}


STR = {"type": "string"}
ABSOLUTE_PATH = {
    "type": "string",
    "pattern": ABSOLUTE_PATH_PATTERN,
    "description": "An absolute path of a file or folder (not a whole disk)",
}
BATCH_ID = {"type": "string", "pattern": BATCH_ID_PATTERN, "example": "batch_abc123def456"}
INT = {"type": "integer"}
NUM = {"type": "number"}
TIME = _nullable({"type": "string"})
STATUS = {"type": "string", "enum": [s.value for s in BatchStatus]}
PAUSE = _nullable({"type": "string", "enum": [r.value for r in PauseReason]})
PHOTO_STATE = {"type": "string", "enum": [s.value for s in PhotoState]}
PRIORITY = {"type": "integer", "minimum": -MAX_PRIORITY, "maximum": MAX_PRIORITY}


def config_schema(preset_names: Sequence[str], formats: Sequence[str]) -> dict[str, Any]:
    """The `config` object as the server checks it now (`BatchConfig.json_schema()`):
    `preset` one of the presets there are, `format` one this machine can write, paths
    absolute."""
    schema = BatchConfig.json_schema()
    properties = schema["properties"]
    outputs = properties["outputs"]["items"]["properties"]
    properties["preset"] = {**properties["preset"], "enum": list(preset_names)}
    for keys in (properties, outputs):
        keys["format"] = {**keys["format"], "enum": list(formats)}
    properties["output_dir"] = _nullable(ABSOLUTE_PATH)
    for action in properties["after"]["items"]["oneOf"]:
        if "folder" in action["properties"]:
            action["properties"]["folder"] = ABSOLUTE_PATH
    return schema


WATCH = {
    "type": "object",
    "required": [
        "watch_id", "name", "folder", "config", "template", "paused", "batch_id", "day",
        "error", "created_at",
    ],
    "properties": {
        "watch_id": {"type": "integer"},
        "name": STR,
        "folder": STR,
        "config": _nullable({"type": "object"}),
        "template": _nullable(STR),
        "paused": {"type": "boolean"},
        "batch_id": _nullable(STR),
        "day": _nullable(STR),
        "error": _nullable(STR),
        "created_at": STR,
    },
}  # fmt: skip


SCHEMAS: dict[str, Any] = {
    "Error": _obj(
        ["error"],
        error={**STR, "description": "What failed, in the AutoDev contract's words"},
        batch_id={**STR, "description": "The batch concerned, where one applies"},
        detail={**STR, "description": "Why, as a sentence"},
    ),
    "StartRequest": {
        "type": "object",
        "description": "photo_ids and/or photo_paths (files or folders, absolute): at least "
        "one photo.",
        "anyOf": [
            {"required": ["photo_ids"], "properties": {"photo_ids": {"minItems": 1}}},
            {"required": ["photo_paths"], "properties": {"photo_paths": {"minItems": 1}}},
        ],
        "properties": {
            "photo_ids": {"type": "array", "items": {**INT, "minimum": 1, "maximum": MAX_INT}},
            "photo_paths": {"type": "array", "items": ABSOLUTE_PATH},
            "session_id": _nullable({**INT, "minimum": -MAX_INT, "maximum": MAX_INT}),
            "config": _nullable(ref("Config")),
            "name": {**STR, "maxLength": MAX_NAME},
            "priority": PRIORITY,
            "start": {"type": "boolean", "default": True},
            "template": {
                **STR,
                "maxLength": MAX_NAME,
                "description": "A saved template's name: its settings, with config over them",
            },
        },
        "example": {
            "photo_ids": [1, 2, 3, 4, 5],
            "session_id": 123,
            "config": {"preset": "WhiteLayer_v4", "blend": 60},
        },
    },
    "Rejected": _obj(["path", "reason"], path=STR, reason=STR),
    "StartResponse": _obj(
        ["message", "batch_id", "photo_count"],
        message=STR,
        batch_id=STR,
        photo_count=INT,
        rejected={"type": "array", "items": ref("Rejected")},
    ),
    "BatchMessage": _obj(["message", "batch_id"], message=STR, batch_id=STR),
    "BatchStatus": _obj(
        [
            "batch_id",
            "session_id",
            "status",
            "total_photos",
            "processed_count",
            "failed_count",
            "progress_percent",
            "created_at",
            "started_at",
            "paused_at",
            "completed_at",
        ],
        batch_id=STR,
        session_id=_nullable(INT),
        status=STATUS,
        total_photos=INT,
        processed_count=INT,
        failed_count=INT,
        progress_percent=NUM,
        created_at=STR,
        started_at=TIME,
        paused_at=TIME,
        completed_at=TIME,
        name=STR,
        priority=INT,
        pause_reason=PAUSE,
        error=_nullable(STR),
        config=_nullable({"type": "object"}),
        photos_per_minute=_nullable(NUM),
        eta_seconds=_nullable(NUM),
        after_batch={"type": "array", "items": ref("AfterBatchResult")},
    ),
    "AfterBatchResult": _obj(
        ["action", "ok", "message", "at"],
        action={"type": "string", "enum": ["open_folder", "copy", "command"]},
        ok={"type": "boolean"},
        message=STR,
        at=STR,
    ),
    "BatchListEntry": _obj(
        ["batch_id", "status", "total_photos", "processed_count", "progress_percent"],
        batch_id=STR,
        status=STATUS,
        total_photos=INT,
        processed_count=INT,
        progress_percent=NUM,
        name=STR,
        failed_count=INT,
        priority=INT,
        pause_reason=PAUSE,
        created_at=STR,
    ),
    "BatchList": _obj(
        ["batches", "count"], batches={"type": "array", "items": ref("BatchListEntry")}, count=INT
    ),
    "RecoverResponse": _obj(
        ["message", "recovered_count", "failed_count", "timestamp"],
        message=STR,
        recovered_count=INT,
        failed_count=INT,
        timestamp=STR,
    ),
    "CleanupRequest": {
        "type": "object",
        "additionalProperties": False,
        "properties": {
            "days_old": {"type": "integer", "minimum": 0, "maximum": MAX_DAYS, "default": 7}
        },
    },
    "CleanupResponse": _obj(
        ["message", "cleaned_count", "days_old"], message=STR, cleaned_count=INT, days_old=INT
    ),
    "RetryResponse": _obj(
        ["message", "batch_id", "retried_count"], message=STR, batch_id=STR, retried_count=INT
    ),
    "PriorityRequest": _obj(["priority"], priority=PRIORITY),
    "PriorityResponse": _obj(
        ["message", "batch_id", "priority"], message=STR, batch_id=STR, priority=INT
    ),
    "MergeRequest": _obj(
        ["batch_ids"],
        batch_ids={"type": "array", "minItems": 2, "uniqueItems": True, "items": BATCH_ID},
    ),
    "MergeResponse": _obj(
        ["message", "batch_id", "merged_batch_ids"],
        message=STR,
        batch_id=STR,
        merged_batch_ids={"type": "array", "items": STR},
    ),
    "Photo": _obj(
        [
            "photo_id",
            "position",
            "source_path",
            "state",
            "attempts",
            "error",
            "output_path",
            "output_paths",
            "finished_at",
            "developed_by",
        ],
        photo_id=INT,
        position=INT,
        source_path=STR,
        state=PHOTO_STATE,
        attempts=INT,
        error=_nullable(STR),
        output_path=STR,
        output_paths={"type": "array", "items": STR},
        finished_at=TIME,
        developed_by=_nullable(STR),
    ),
    "PhotoPage": _obj(
        ["batch_id", "state", "offset", "limit", "total", "photos"],
        batch_id=STR,
        state=_nullable(PHOTO_STATE),
        offset=INT,
        limit=INT,
        total=INT,
        photos={"type": "array", "items": ref("Photo")},
    ),
    "ImportRequest": _obj(
        ["paths"], paths={"type": "array", "minItems": 1, "items": ABSOLUTE_PATH}
    ),
    "ImportResponse": _obj(
        ["photo_ids", "rejected"],
        photo_ids={"type": "array", "items": INT},
        rejected={"type": "array", "items": ref("Rejected")},
    ),
    "Preset": _obj(
        [
            "name",
            "description",
            "default_blend",
            "source",
            "has_lut",
            "unsupported_keys",
            "warnings",
        ],
        name=STR,
        description=STR,
        default_blend=NUM,
        source=STR,
        has_lut={"type": "boolean"},
        unsupported_keys={"type": "array", "items": STR},
        warnings={"type": "array", "items": STR},
    ),
    "PresetList": _obj(
        ["presets", "count"], presets={"type": "array", "items": ref("Preset")}, count=INT
    ),
    "Metrics": _obj(
        [
            "batches_started",
            "batches_completed",
            "average_completion_seconds",
            "success_rate",
            "pause_count",
            "resume_count",
            "pause_resume_frequency",
            "recovery_count",
            "recovery_success_rate",
            "photos_done",
            "photos_failed",
        ],
        batches_started=INT,
        batches_completed=INT,
        average_completion_seconds=_nullable(NUM),
        success_rate=_nullable(NUM),
        pause_count=INT,
        resume_count=INT,
        pause_resume_frequency=_nullable(NUM),
        recovery_count=INT,
        recovery_success_rate=_nullable(NUM),
        photos_done=INT,
        photos_failed=INT,
        workers=INT,
        workers_busy=INT,
        photos_per_minute=_nullable(NUM),
    ),
    "FarmWorker": _obj(
        ["name", "host", "concurrency", "busy", "last_seen"],
        name=STR,
        host=STR,
        concurrency=INT,
        busy=INT,
        last_seen=STR,
    ),
    "Farm": _obj(
        ["connected", "workers", "queued"],
        connected={"type": "boolean"},
        workers={"type": "array", "items": ref("FarmWorker")},
        queued=INT,
    ),
    "WatchRequest": {
        "type": "object",
        "required": ["folder"],
        "additionalProperties": False,
        "properties": {
            "folder": {**ABSOLUTE_PATH, "maxLength": 4096},
            "config": _nullable(ref("Config")),
            "name": {**STR, "maxLength": MAX_NAME},
            "template": {**STR, "maxLength": MAX_NAME},
        },
        "example": {"folder": "/Users/me/Tethered", "config": {"preset": "WhiteLayer_v4"}},
    },
    "Watch": WATCH,
    "WatchResponse": _obj(["message", "watch"], message=STR, watch=ref("Watch")),
    "WatchList": _obj(
        ["watches", "count"], watches={"type": "array", "items": ref("Watch")}, count=INT
    ),
    "WatchRemoved": _obj(["message", "watch_id"], message=STR, watch_id=INT),
    "Template": _obj(
        ["name", "config", "created_at", "updated_at"],
        name=STR,
        config={"type": "object"},
        created_at=STR,
        updated_at=STR,
    ),
    "TemplateList": _obj(
        ["templates", "count"], templates={"type": "array", "items": ref("Template")}, count=INT
    ),
    "Health": _obj(
        ["status", "version"],
        status={"type": "string", "enum": ["ok"]},
        version=STR,
        workers=INT,
        workers_busy=INT,
    ),
}
