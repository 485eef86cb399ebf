"""Junmai's own JSON preset format, with and without a LUT beside it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from junmai_gui.develop.loaders import load_preset_file
from junmai_gui.develop.loaders.json_preset import preset_to_json
from junmai_gui.develop.preset import Preset
from tests.unit.develop.helpers import error_of

IDENTITY_2 = "LUT_3D_SIZE 2\n" + "\n".join(
    f"{r} {g} {b}" for b in (0, 1) for g in (0, 1) for r in (0, 1)
)


def write_preset(folder: Path, document: dict[str, Any], name: str = "look.json") -> Path:
    path = folder / name
    path.write_text(json.dumps(document), encoding="utf-8")
    return path


def doc(**fields: Any) -> dict[str, Any]:
    return {"format": "junmai-preset", "version": 1, "name": "Look", **fields}


def test_settings_blend_and_description_are_read(tmp_path: Path) -> None:
    path = write_preset(
        tmp_path,
        doc(
            description=" Soft ",
            default_blend=70,
            settings={"Exposure2012": 0.5, "ToneCurvePV2012": [[0, 5], [255, 250]]},
        ),
    )
    preset = load_preset_file(path)
    assert preset.name == "Look"
    assert preset.description == "Soft"
    assert preset.default_blend == 70.0
    assert preset.settings == {"Exposure2012": 0.5, "ToneCurvePV2012": ((0, 5), (255, 250))}
    assert preset.source == str(path)
    assert preset.lut is None


def test_round_trip_through_preset_to_json(tmp_path: Path) -> None:
    original = Preset(
        name="Round",
        settings={
            "Contrast2012": -20.0,
            "ConvertToGrayscale": True,
            "ToneCurvePV2012Red": ((0.0, 0.0), (255.0, 240.0)),
        },
        default_blend=55.0,
        description="trip",
    )
    path = tmp_path / "round.json"
    path.write_text(preset_to_json(original), encoding="utf-8")
    again = load_preset_file(path)
    assert (again.name, again.description, again.default_blend) == ("Round", "trip", 55.0)
    assert again.settings == original.settings


def test_unknown_keys_are_unsupported_and_ranges_clamped(tmp_path: Path) -> None:
    path = write_preset(
        tmp_path,
        doc(default_blend=150, settings={"Defringe": 10, "Grain": 5, "Saturation": 140}),
    )
    preset = load_preset_file(path)
    assert preset.unsupported_keys == ("Defringe", "Grain")
    assert preset.settings == {"Saturation": 100.0}
    assert preset.default_blend == 100.0
    assert len(preset.warnings) == 2


def test_a_missing_name_falls_back_to_the_file_name(tmp_path: Path) -> None:
    document = doc()
    del document["name"]
    assert load_preset_file(write_preset(tmp_path, document, "Quiet.json")).name == "Quiet"


def test_a_lut_beside_the_preset_is_loaded(tmp_path: Path) -> None:
    (tmp_path / "look.cube").write_text(IDENTITY_2, encoding="utf-8")
    preset = load_preset_file(write_preset(tmp_path, doc(lut="look.cube")))
    assert preset.lut is not None
    assert preset.lut.size == 2


@pytest.mark.parametrize(
    ("reference", "expected"),
    [
        ("../elsewhere.cube", "own folder"),
        ("/etc/look.cube", "own folder"),
        ("C:\\\\looks\\\\a.cube", "own folder"),
        ("look.png", "must name a .cube"),
        (5, "file name of a .cube"),
    ],
)
def test_a_lut_reference_must_stay_beside_the_preset(
    tmp_path: Path, reference: object, expected: str
) -> None:
    message = error_of(write_preset(tmp_path, doc(lut=reference)))
    assert '"look.json"' in message
    assert expected in message


def test_a_missing_lut_names_the_lut_file(tmp_path: Path) -> None:
    message = error_of(write_preset(tmp_path, doc(lut="gone.cube")))
    assert '"gone.cube" does not exist' in message


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('{"format": "other", "version": 1}', "not a Junmai preset"),
        ("[1, 2]", "not a Junmai preset"),
        ('{"format": "junmai-preset", "version": 2}', "newer version of Junmai"),
        ('{"format": "junmai-preset"}', "format version is missing"),
        ('{"format": "junmai-preset", "version": 1,\n "name": }', "damaged at line 2"),
        ('{"format": "junmai-preset", "version": 1, "settings": [1]}', '"settings"'),
        ('{"format": "junmai-preset", "version": 1, "name": 3}', '"name" should be text'),
        ('{"format": "junmai-preset", "version": 1, "default_blend": "x"}', "default_blend"),
        (
            '{"format": "junmai-preset", "version": 1, "settings": {"Vibrance": "lots"}}',
            "Vibrance should be a number",
        ),
    ],
)
def test_bad_documents(tmp_path: Path, text: str, expected: str) -> None:
    path = tmp_path / "bad.json"
    path.write_text(text, encoding="utf-8")
    message = error_of(path)
    assert '"bad.json"' in message
    assert expected in message
