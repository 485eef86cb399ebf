"""The settings as they run: launch options over the saved file; Save applies what the
dialog shows, saving only what was changed."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from junmai_gui.controller.settings_service import (
    LaunchOverrides,
    SettingsError,
    SettingsService,
)
from junmai_gui.domain.app_settings import AppSettings
from junmai_gui.store.settings import load_settings, save_settings


def test_launch_options_run_without_being_saved(data_dir: Path, qapp: Any) -> None:
    save_settings(data_dir, AppSettings(workers=2, api_port=5100, api_enabled=False))
    service = SettingsService(data_dir, overrides=LaunchOverrides(workers=4, api_port=5191))
    assert (service.current.workers, service.current.api_port) == (4, 5191)
    assert service.current.api_enabled  # --api-port means the API runs
    assert (service.saved.workers, service.saved.api_port) == (2, 5100)
    quiet = SettingsService(data_dir, overrides=LaunchOverrides(api_off=True))
    assert not quiet.current.api_enabled


def test_save_keeps_what_was_left_as_shown_and_saves_what_changed(
    data_dir: Path, qtbot: Any
) -> None:
    save_settings(data_dir, AppSettings(workers=2, api_port=5100))
    service = SettingsService(data_dir, overrides=LaunchOverrides(workers=4, api_port=5191))
    shown = service.current
    shown.default_quality = 70
    with qtbot.wait_signal(service.changed) as told:
        running = service.save(shown)
    assert told.args == [running]
    assert (running.workers, running.api_port, running.default_quality) == (4, 5191, 70)
    stored = load_settings(data_dir)
    assert (stored.workers, stored.api_port, stored.default_quality) == (2, 5100, 70)

    shown = service.current
    shown.api_port = 5200
    running = service.save(shown)
    assert running.api_port == 5200 == load_settings(data_dir).api_port
    assert running.workers == 4  # still the launch option: untouched


def test_remember_saves_quietly_and_a_failed_save_changes_nothing(
    data_dir: Path, qtbot: Any
) -> None:
    service = SettingsService(data_dir, AppSettings(workers=2))
    with qtbot.assert_not_emitted(service.changed):
        service.remember(last_preset="Warm", last_blend=40.0)
    assert (load_settings(data_dir).last_preset, service.current.last_blend) == ("Warm", 40.0)
    (data_dir / "settings.json").unlink()
    (data_dir / "settings.json").mkdir()  # nothing can be written in its place, even by root
    wanted = service.current
    wanted.workers = 7
    with pytest.raises(SettingsError, match="could not be saved"):
        service.save(wanted)
    assert service.current.workers == 2


def test_a_new_token_is_announced(data_dir: Path, qtbot: Any) -> None:
    service = SettingsService(data_dir, AppSettings())
    first = service.token()
    with qtbot.wait_signal(service.token_changed) as changed:
        fresh = service.regenerate_token()
    assert fresh != first and changed.args == [fresh] and service.token() == fresh
