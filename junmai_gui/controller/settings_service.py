"""The app's settings as they run: what is saved, what this launch changed, and the API token.

Launch options (`--workers`, `--api-port`, `--no-api`) set a value for one run without
saving it. The settings dialog shows what runs (`current`), and Save applies at once what
it shows: a value the photographer changed is saved and replaces the launch option; a value
left as shown keeps running as it does, and the saved one stays as it was. Listeners
(`changed`) apply the new settings: the window gives the controller its workers and output
folder, the app's API supervisor starts, moves or stops the server.
"""

from __future__ import annotations

import dataclasses
import logging
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Signal

from junmai_gui.domain.app_settings import OVERRIDABLE, AppSettings
from junmai_gui.store.api_token import read_or_create_token, regenerate_token
from junmai_gui.store.settings import load_settings, save_settings

log = logging.getLogger(__name__)


@dataclasses.dataclass(frozen=True)
class LaunchOverrides:
    """Values given on the command line for this run only (None: not given)."""

    workers: int | None = None
    api_port: int | None = None  # --api-port: the API runs, on this port
    api_off: bool = False  # --no-api

    def apply(self, saved: AppSettings) -> dict[str, Any]:
        """The settings this launch changes, by name."""
        out: dict[str, Any] = {}
        if self.workers is not None:
            out["workers"] = self.workers
        if self.api_port is not None:
            out["api_port"] = self.api_port
            out["api_enabled"] = True
        if self.api_off:
            out["api_enabled"] = False
        return {name: value for name, value in out.items() if getattr(saved, name) != value}


class SettingsError(Exception):
    """The settings or the token could not be written; `message` says so in a sentence."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class SettingsService(QObject):
    """Keeps `settings.json`, the launch's overrides and the API token of one data folder."""

    changed = Signal(object)  # AppSettings: what runs now, after a save
    token_changed = Signal(str)  # a new API token was written

    def __init__(
        self,
        data_dir: Path,
        saved: AppSettings | None = None,
        overrides: LaunchOverrides | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.data_dir = Path(data_dir)
        self._saved = saved if saved is not None else load_settings(self.data_dir)
        self._overrides = (overrides or LaunchOverrides()).apply(self._saved)

    @property
    def saved(self) -> AppSettings:
        """As in settings.json."""
        return dataclasses.replace(self._saved)

    @property
    def current(self) -> AppSettings:
        """What runs: the saved settings with this launch's options over them."""
        return dataclasses.replace(self._saved, **self._overrides)

    def save(self, wanted: AppSettings) -> AppSettings:
        """Save and apply the settings the dialog shows; returns what runs now.

        SettingsError (nothing changed) when the file cannot be written."""
        current = self.current
        overrides = dict(self._overrides)
        saved_values = dataclasses.asdict(wanted)
        for name in OVERRIDABLE:
            if name in overrides and getattr(wanted, name) == getattr(current, name):
                saved_values[name] = getattr(self._saved, name)  # left as shown: as it runs
            else:
                overrides.pop(name, None)  # changed: saved, and the launch option is over
        saved = AppSettings(**saved_values)
        self._write(saved)
        self._saved, self._overrides = saved, overrides
        self.changed.emit(self.current)
        return self.current

    def remember(self, **values: Any) -> None:
        """Save a few values New Batch or the close question remember (no one is told)."""
        saved = dataclasses.replace(self._saved, **values)
        try:
            self._write(saved)
        except SettingsError as exc:
            log.warning("%s", exc.message)
            return
        self._saved = saved

    def token(self) -> str:
        """The API token (created on first use)."""
        try:
            return read_or_create_token(self.data_dir)
        except OSError as exc:
            raise SettingsError(f"The API token could not be read: {exc.strerror}") from exc

    def regenerate_token(self) -> str:
        """A new API token; scripts using the old one stop working."""
        try:
            token = regenerate_token(self.data_dir)
        except OSError as exc:
            raise SettingsError(f"A new token could not be written: {exc.strerror}") from exc
        self.token_changed.emit(token)
        return token

    def _write(self, settings: AppSettings) -> None:
        try:
            save_settings(self.data_dir, settings)
        except OSError as exc:
            raise SettingsError(f"The settings could not be saved: {exc.strerror}") from exc
