"""The app's settings, kept as `settings.json` in the data dir.

`AppSettings` and its rules live in `domain.app_settings`; this module reads and writes the
file. Written atomically (temporary file, fsync, rename), so a crash leaves the old or the
new file. A damaged file is set aside as `settings.json.corrupt` with a logged message and
the defaults are used; a single value of the wrong type falls back to its default.
"""

from __future__ import annotations

import json
import logging
from dataclasses import fields
from pathlib import Path
from typing import Any

from junmai_gui.domain.app_settings import (
    CLOSE_TO_TRAY,
    DEFAULT_API_PORT,
    AppSettings,
    default_workers,
    valid_setting,
)
from junmai_gui.store.autodev_json import set_aside, write_json_atomically

__all__ = [
    "DEFAULT_API_PORT",
    "SETTINGS_FILE",
    "AppSettings",
    "default_workers",
    "load_settings",
    "save_settings",
    "settings_path",
]

log = logging.getLogger(__name__)

SETTINGS_FILE = "settings.json"


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
    if "close_action" not in data and data.get("close_to_tray") is True:
        data["close_action"] = CLOSE_TO_TRAY  # written before closing offered a choice
    data.pop("close_to_tray", None)
    values: dict[str, Any] = {}
    for spec in fields(AppSettings):
        if spec.name not in data:
            continue
        value, default = data[spec.name], getattr(defaults, spec.name)
        if valid_setting(spec.name, value):
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
