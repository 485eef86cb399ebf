"""XMP sidecars: real XML with the crs: settings, read back by our own Lightroom preset loader."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from junmai_gui.develop.library import PresetLibrary
from junmai_gui.develop.loaders.xmp import load_xmp_preset, parse_xmp_preset
from junmai_gui.develop.sidecar import CRS, RDF, build_sidecar, sidecar_path, write_sidecar

SETTINGS = {
    "Exposure2012": 0.35,
    "Contrast2012": -20.0,
    "Vibrance": 12.0,
    "HueAdjustmentOrange": -7.5,
    "SplitToningShadowHue": 210.0,
    "PostCropVignetteAmount": -15.0,
    "ConvertToGrayscale": False,
    "ToneCurvePV2012": ((0.0, 12.0), (64.0, 70.0), (192.0, 200.0), (255.0, 250.0)),
    "ToneCurvePV2012Red": ((0.0, 0.0), (128.0, 140.0), (255.0, 255.0)),
}


def test_the_sidecar_is_xmp_with_crs_attributes_and_curves_as_sequences() -> None:
    root = ET.fromstring(build_sidecar(SETTINGS))
    assert root.tag == "{adobe:ns:meta/}xmpmeta"
    desc = root.find(f"{{{RDF}}}RDF/{{{RDF}}}Description")
    assert desc is not None
    assert desc.get(f"{{{CRS}}}Exposure2012") == "0.35"
    assert desc.get(f"{{{CRS}}}Contrast2012") == "-20"
    assert desc.get(f"{{{CRS}}}ConvertToGrayscale") == "False"
    assert desc.get(f"{{{CRS}}}HasSettings") == "True"
    points = [li.text for li in desc.iterfind(f"{{{CRS}}}ToneCurvePV2012/{{{RDF}}}Seq/{{{RDF}}}li")]
    assert points == ["0, 12", "64, 70", "192, 200", "255, 250"]


def test_the_sidecar_round_trips_through_the_lightroom_preset_loader() -> None:
    preset = parse_xmp_preset(build_sidecar(SETTINGS), label="IMG_0001.xmp", stem="IMG_0001",
                              source="IMG_0001.xmp")  # fmt: skip
    assert dict(preset.settings) == SETTINGS
    assert preset.unsupported_keys == ()
    assert preset.name == "IMG_0001"


@pytest.mark.parametrize("name", ["WhiteLayer_v4", "Warm Film", "Teal and Orange"])
def test_built_in_presets_round_trip(name: str, tmp_path: Path) -> None:
    preset = PresetLibrary(None).get(name)
    out = tmp_path / "out"
    out.mkdir()
    written = write_sidecar(tmp_path / "raws" / "IMG_0001.CR2", out / "IMG_0001_x.jpg",
                            preset.settings)  # fmt: skip
    assert written == out / "IMG_0001.xmp"
    assert dict(load_xmp_preset(written).settings) == dict(preset.settings)


def test_the_sidecar_is_named_after_the_raw_beside_the_output(tmp_path: Path) -> None:
    assert sidecar_path(Path("/in/IMG_0001.CR2"), tmp_path / "IMG_0001_Warm.jpg") == (
        tmp_path / "IMG_0001.xmp"
    )


def test_no_sidecar_is_written_into_the_raw_s_own_folder(tmp_path: Path) -> None:
    raw = tmp_path / "IMG_0001.CR2"
    raw.write_bytes(b"raw")
    own = tmp_path / "IMG_0001.xmp"
    own.write_text("the photographer's own Lightroom edits")
    assert write_sidecar(raw, tmp_path / "IMG_0001_Warm.jpg", SETTINGS) is None
    assert own.read_text() == "the photographer's own Lightroom edits"
