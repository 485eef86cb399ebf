"""settings.json: round trip, atomic write, damaged file set aside, defaults used."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest

from junmai_gui.store import AppSettings, load_settings, save_settings


def test_missing_settings_give_the_defaults(data_dir: Path) -> None:
    settings = load_settings(data_dir)
    assert settings == AppSettings()
    assert settings.api_port == 5100 and settings.recovery_prompt and settings.workers >= 1


def test_settings_round_trip(data_dir: Path) -> None:
    chosen = AppSettings(
        workers=3,
        default_output_dir="/photos/out",
        default_format="tiff",
        default_quality=80,
        close_action="tray",
        last_preset="Warm Film",
        last_blend=60.0,
        api_enabled=False,
        api_port=5200,
        recovery_prompt=False,
        farm_url="redis://:secret@render.local:6380/0",
        farm_develops_here=False,
        language="ja",
    )
    save_settings(data_dir, chosen)
    assert load_settings(data_dir) == chosen
    assert [p.name for p in data_dir.iterdir() if p.name.startswith(".settings")] == []


@pytest.mark.parametrize("text", ["", "{", "[1]", '"text"', "\x00\x01"])
def test_damaged_settings_are_set_aside(
    data_dir: Path, caplog: pytest.LogCaptureFixture, text: str
) -> None:
    path = data_dir / "settings.json"
    path.write_text(text, encoding="utf-8")
    with caplog.at_level(logging.WARNING):
        settings = load_settings(data_dir)
    assert settings == AppSettings()
    assert not path.exists()
    assert (data_dir / "settings.json.corrupt").read_text(encoding="utf-8") == text
    assert "settings.json" in caplog.text


def test_a_wrong_value_falls_back_to_its_default(
    data_dir: Path, caplog: pytest.LogCaptureFixture
) -> None:
    (data_dir / "settings.json").write_text(
        json.dumps(
            {
                "api_port": "5100x",
                "default_quality": 75,
                "close_action": "yes",
                "default_format": "gif",
                "language": "klingon",
            }
        ),
        encoding="utf-8",
    )
    with caplog.at_level(logging.WARNING):
        settings = load_settings(data_dir)
    assert settings.api_port == 5100 and settings.default_quality == 75
    assert settings.close_action == "ask" and settings.default_format == "jpeg"
    assert settings.language == "system"
    assert "api_port" in caplog.text and "close_action" in caplog.text
    assert "language='klingon'" in caplog.text


def test_the_old_close_to_tray_setting_becomes_the_close_action(data_dir: Path) -> None:
    (data_dir / "settings.json").write_text(json.dumps({"close_to_tray": True}), "utf-8")
    assert load_settings(data_dir).close_action == "tray"
    (data_dir / "settings.json").write_text(json.dumps({"close_to_tray": False}), "utf-8")
    assert load_settings(data_dir).close_action == "ask"
