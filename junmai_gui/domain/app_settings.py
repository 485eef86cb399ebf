"""The app's settings and their rules: one vocabulary for the settings dialog, the command
line, the settings file and the composition root (no file I/O here: see `store.settings`)."""

from __future__ import annotations

import os
from dataclasses import asdict, dataclass, field
from typing import Any

from junmai_gui.domain.config import OUTPUT_FORMATS

DEFAULT_API_PORT = 5100
API_PORTS = (1, 65535)  # the range a port setting or --api-port may take
MAX_WORKERS = 256
QUALITIES = (1, 100)
# What closing the main window does while batches develop.
CLOSE_ASK, CLOSE_TO_TRAY, CLOSE_QUITS = "ask", "tray", "quit"
CLOSE_ACTIONS = (CLOSE_ASK, CLOSE_TO_TRAY, CLOSE_QUITS)
# The interface's language: the system's (its locale), or one the app has a catalogue for.
LANGUAGE_SYSTEM = "system"
LANGUAGES = (LANGUAGE_SYSTEM, "en", "ja")
LANGUAGE_NAMES = {"en": "English", "ja": "日本語"}  # each in its own words, never translated
# Settings that a launch option can set for one run (--workers, --api-port, --no-api).
OVERRIDABLE = ("workers", "api_enabled", "api_port")


def default_workers() -> int:
    """One worker per core (two photos at libvips concurrency 1 beat one at 2 on two cores)."""
    return max(1, os.cpu_count() or 1)


@dataclass
class AppSettings:
    """What the user can change in the settings dialog, plus what New Batch remembers."""

    workers: int = 0  # 0: one per core
    default_output_dir: str | None = None  # None: the controller's default folder
    default_format: str = "jpeg"
    default_quality: int = 92
    close_action: str = CLOSE_ASK
    api_enabled: bool = True
    api_port: int = DEFAULT_API_PORT
    recovery_prompt: bool = True
    language: str = LANGUAGE_SYSTEM  # applies at the next launch
    last_preset: str | None = None  # the preset and blend of the last batch made in New Batch
    last_blend: float | None = None
    farm_url: str = ""  # "": no render farm; else redis://:PASSWORD@HOST:PORT/0
    farm_develops_here: bool = True  # with a farm, this computer develops photos too
    # Batch templates written by hand, by name (a config each, checked at launch); the way
    # to give a headless app after-batch commands, which the HTTP API never accepts.
    templates: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.workers <= 0:
            self.workers = default_workers()

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def valid_setting(name: str, value: object) -> bool:
    """Whether `value` may be stored as setting `name` (the file may hold anything)."""
    if name in ("default_output_dir", "last_preset"):
        return value is None or isinstance(value, str)
    if name == "default_format":
        return value in OUTPUT_FORMATS
    if name == "close_action":
        return value in CLOSE_ACTIONS
    if name == "language":
        return value in LANGUAGES
    if name == "last_blend":
        return value is None or (
            isinstance(value, int | float) and not isinstance(value, bool) and 0 <= value <= 100
        )
    if name in ("api_enabled", "recovery_prompt", "farm_develops_here"):
        return isinstance(value, bool)
    if name == "templates":
        return isinstance(value, dict) and all(
            isinstance(k, str) and isinstance(v, dict) for k, v in value.items()
        )
    if name == "farm_url":
        return isinstance(value, str) and len(value) <= 2000
    if isinstance(value, bool) or not isinstance(value, int):
        return False
    if name == "api_port":
        return API_PORTS[0] <= value <= API_PORTS[1]
    if name == "default_quality":
        return QUALITIES[0] <= value <= QUALITIES[1]
    if name == "workers":
        return 1 <= value <= MAX_WORKERS
    return False
