"""The app's settings, kept as `settings.json` in the data dir.

Written atomically (temporary file, fsync, rename), so a crash leaves the old or the new
file. A damaged file is set aside as `settings.json.corrupt` with a logged message and the
defaults are used; a single value of the wrong type falls back to its default.
"""

from __future__ import annotations

import json
import logging
import os
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any

from junmai_gui.domain.config import OUTPUT_FORMATS
from junmai_gui.store.autodev_json import set_aside, write_json_atomically

log = logging.getLogger(__name__)

SETTINGS_FILE = "settings.json"
DEFAULT_API_PORT = 5100


def default_workers() -> int:
    """One worker per core (two photos at libvips concurrency 1 beat one at 2 on two cores)."""
    return max(1, os.cpu_count() or 1)


@dataclass
class AppSettings:
    """What the user can change in the settings dialog."""

    workers: int = 0  # 0: one per core (see `effective_workers`)
    default_output_dir: str | None = None  # None: the controller's default folder
    default_format: str = "jpeg"
    default_quality: int = 92
    close_to_tray: bool = False
    api_enabled: bool = True
    api_port: int = DEFAULT_API_PORT
    recovery_prompt: bool = True
    # Batch templates written by hand, by name (a config each, checked at launch); the way
    # to give a headless app after-batch commands, which the HTTP API never accepts.
    templates: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.workers <= 0:
            self.workers = default_workers()

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _valid(name: str, value: object, default: object) -> bool:
    if name == "default_output_dir":
        return value is None or isinstance(value, str)
    if name == "default_format":
        return value in OUTPUT_FORMATS
    if name == "templates":
        return isinstance(value, dict) and all(isinstance(v, dict) for v in value.values())
    if isinstance(default, bool):
        return isinstance(value, bool)
    if isinstance(default, int):
        if isinstance(value, bool) or not isinstance(value, int):
            return False
        if name == "api_port":
            return 1 <= value <= 65535
        if name == "default_quality":
            return 1 <= value <= 100
        return value >= 1
    return isinstance(value, type(default))


def settings_path(data_dir: Path) -> Path:
    return Path(data_dir) / SETTINGS_FILE


def load_settings(data_dir: Path) -> AppSettings:
    """The saved settings, or the defaults when there are none or the file is damaged."""
    path = settings_path(data_dir)
    defaults = AppSettings()
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return defaults
    except OSError as exc:
        log.warning("Could not read the settings file %s (%s); using the defaults", path, exc)
        return defaults
    try:
        data = json.loads(text)
        if not isinstance(data, dict):
            raise ValueError("it does not hold a JSON object")
    except ValueError as exc:
        set_aside(path, f"the settings could not be read ({exc}); using the defaults")
        return defaults
    values: dict[str, Any] = {}
    for spec in fields(AppSettings):
        if spec.name not in data:
            continue
        value, default = data[spec.name], getattr(defaults, spec.name)
        if _valid(spec.name, value, default):
            values[spec.name] = value
        else:
            log.warning(
                "Ignored setting %s=%r in %s: not a valid value; using %r",
                spec.name,
                value,
                path,
                default,
            )
    return AppSettings(**values)


def save_settings(data_dir: Path, settings: AppSettings) -> None:
    """Write the settings atomically."""
    write_json_atomically(settings_path(data_dir), settings.to_dict())
