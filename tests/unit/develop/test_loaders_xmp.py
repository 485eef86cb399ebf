"""Lightroom / Camera Raw .xmp presets: real exports from ../shared/testdata and generated ones."""

from __future__ import annotations

from pathlib import Path

import pytest

from junmai_gui.develop.errors import PresetError
from junmai_gui.develop.loaders import load_preset_file
from junmai_gui.develop.loaders.xmp import XMP_SIZE_CAP
from junmai_gui.develop.settings_keys import METADATA_KEYS, RENDERED_KEYS
from tests.unit.develop.helpers import error_of

LIGHTROOM_FILES = [
    "frw-bw.xmp",
    "frw-color-mixer.xmp",
    "frw-gradiationcurve.xmp",
    "frw-grain_vignette.xmp",
    "frw-landscape.xmp",
    "peva-1980s_VHS_Synthwave.xmp",
    "peva-AgfaChrome_RS_100.xmp",
    "peva-Agfa_APX_100.xmp",
    "peva-Civil_War_Era.xmp",
    "peva-Kodak_Ektar_100.xmp",
    "peva-South_Island_Fjords.xmp",
]

HEAD = (
    '<x:xmpmeta xmlns:x="adobe:ns:meta/">'
    '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
    '<rdf:Description rdf:about="" xmlns:crs="http://ns.adobe.com/camera-raw-settings/1.0/"'
)
TAIL = "</rdf:Description></rdf:RDF></x:xmpmeta>"


def write_xmp(folder: Path, attributes: str = "", children: str = "", name: str = "p") -> Path:
    path = folder / f"{name}.xmp"
    path.write_text(f"{HEAD} {attributes}>{children}{TAIL}", encoding="utf-8")
    return path


def lightroom(testdata: Path, name: str) -> Path:
    return testdata / "presets" / "lightroom" / name


def test_the_shared_folder_holds_exactly_the_presets_listed_here(testdata: Path) -> None:
    found = sorted(p.name for p in (testdata / "presets" / "lightroom").glob("*.xmp"))
    assert found == LIGHTROOM_FILES


@pytest.mark.parametrize("file_name", LIGHTROOM_FILES)
def test_every_lightroom_preset_loads_with_a_name_and_sorted_keys(
    testdata: Path, file_name: str
) -> None:
    path = lightroom(testdata, file_name)
    preset = load_preset_file(path)
    assert preset.name.strip()
    assert preset.source == str(path)
    assert preset.lut is None
    assert preset.default_blend == 100.0
    assert set(preset.settings) <= set(RENDERED_KEYS)
    assert list(preset.unsupported_keys) == sorted(set(preset.unsupported_keys))
    assert not set(preset.unsupported_keys) & set(RENDERED_KEYS)
    assert not set(preset.unsupported_keys) & METADATA_KEYS
    text = path.read_text(encoding="utf-8")
    for key in preset.unsupported_keys:
        assert f"crs:{key}" in text  # never invented, only carried over from the file


def test_kodak_ektar_values_are_read_as_numbers(testdata: Path) -> None:
    preset = load_preset_file(lightroom(testdata, "peva-Kodak_Ektar_100.xmp"))
    assert preset.name == "08 Kodak Ektar 100"
    s = preset.settings
    assert s["Exposure2012"] == pytest.approx(0.15)
    assert s["Contrast2012"] == 32
    assert s["Blacks2012"] == -19
    assert s["HueAdjustmentOrange"] == pytest.approx(-2.5)
    assert s["SaturationAdjustmentBlue"] == pytest.approx(17.5)
    assert s["ColorGradeShadowHue"] == 210
    assert s["ToneCurvePV2012"] == ((0, 0), (255, 255))
    assert (s["GrainAmount"], s["GrainSize"], s["Sharpness"]) == (5, 10, 10)
    assert (s["Dehaze"], s["Texture"], s["LuminanceSmoothing"]) == (0, 0, 0)
    assert preset.unsupported_keys == ()


def test_tone_curves_and_parametric_curve_from_element_sequences(testdata: Path) -> None:
    preset = load_preset_file(lightroom(testdata, "frw-gradiationcurve.xmp"))
    s = preset.settings
    assert preset.name == "gradiationcurve"
    assert s["ToneCurvePV2012"] == ((0, 0), (69, 87), (255, 255))
    assert s["ToneCurvePV2012Red"] == ((0, 0), (172, 138), (255, 255))
    assert s["ToneCurvePV2012Blue"] == ((0, 0), (54, 74), (134, 149), (154, 188), (255, 255))
    assert s["ParametricDarks"] == 16
    assert s["ParametricLights"] == -14
    assert s["ParametricMidtoneSplit"] == 50
    assert preset.unsupported_keys == ()  # CurveRefineSaturation="100" changes nothing


def test_nested_look_is_ignored_with_a_warning(testdata: Path) -> None:
    preset = load_preset_file(lightroom(testdata, "frw-bw.xmp"))
    assert preset.name == "bw"  # from rdf:Alt, not the Look's "Adobe Monochrome"
    assert preset.settings["GrayMixerRed"] == -38  # applied with ConvertToGrayscale only
    assert "ConvertToGrayscale" not in preset.settings
    assert any("Adobe Monochrome" in w and "Look" in w for w in preset.warnings)
    # the Look's own fields are not the preset's
    assert "Amount" not in preset.unsupported_keys
    assert "Stubbed" not in preset.unsupported_keys


def test_fjords_temperature_is_clamped_with_a_warning(testdata: Path) -> None:
    preset = load_preset_file(lightroom(testdata, "peva-South_Island_Fjords.xmp"))
    assert preset.name == "South Island Fjords"
    assert preset.settings["Temperature"] == 2000
    [warning] = [w for w in preset.warnings if "Temperature" in w]
    assert "-500" in warning
    assert "2000..50000" in warning
    assert preset.settings["Exposure2012"] == pytest.approx(-0.30)
    assert preset.settings["ToneCurvePV2012"][0] == (0, 20)


def test_the_element_name_wins_over_the_attribute(testdata: Path) -> None:
    # this file says "19 …" in the attribute and "16 …" in the rdf:Alt Lightroom shows
    preset = load_preset_file(lightroom(testdata, "peva-AgfaChrome_RS_100.xmp"))
    assert preset.name == "16 AgfaChrome RS 100"


def test_monochrome_and_vignette_and_masks(testdata: Path) -> None:
    apx = load_preset_file(lightroom(testdata, "peva-Agfa_APX_100.xmp"))
    assert apx.settings["ConvertToGrayscale"] is True
    assert "Treatment" not in apx.unsupported_keys
    vignette = load_preset_file(lightroom(testdata, "frw-grain_vignette.xmp"))
    assert vignette.settings["PostCropVignetteAmount"] == -24
    assert vignette.settings["PostCropVignetteRoundness"] == -23
    assert vignette.settings["PostCropVignetteStyle"] == 1
    assert vignette.settings["PostCropVignetteHighlightContrast"] == 13
    landscape = load_preset_file(lightroom(testdata, "frw-landscape.xmp"))
    assert landscape.name == "landscape"
    # six masks, every adjustment in them at 0: they change nothing, so nothing is listed
    assert landscape.unsupported_keys == ()
    mixer = load_preset_file(lightroom(testdata, "frw-color-mixer.xmp"))
    assert len(mixer.settings) == 24
    assert mixer.settings["HueAdjustmentRed"] == -66


def test_broken_files_fail_with_a_clear_message(testdata: Path) -> None:
    with pytest.raises(PresetError) as empty:
        load_preset_file(testdata / "presets" / "broken" / "empty.xmp")
    assert '"empty.xmp"' in empty.value.message
    assert "is empty" in empty.value.message
    with pytest.raises(PresetError) as page:
        load_preset_file(testdata / "presets" / "broken" / "not-found-page.xmp")
    assert '"not-found-page.xmp"' in page.value.message
    assert "does not contain XML" in page.value.message
    assert "404: Not Found" in page.value.message


def test_attribute_name_element_settings_and_signed_numbers(tmp_path: Path) -> None:
    path = write_xmp(
        tmp_path,
        'crs:Name="Attr Name" crs:Exposure2012="+0.35" crs:ConvertToGrayscale="False"',
        "<crs:Contrast2012>-12</crs:Contrast2012><crs:Clarity2012>+7.5</crs:Clarity2012>",
    )
    preset = load_preset_file(path)
    assert preset.name == "Attr Name"
    assert preset.settings == {
        "Exposure2012": 0.35,
        "ConvertToGrayscale": False,
        "Contrast2012": -12,
        "Clarity2012": 7.5,
    }
    assert preset.warnings == ()


def test_plain_element_name_and_stem_fallback(tmp_path: Path) -> None:
    named = write_xmp(tmp_path, children="<crs:Name>Plain</crs:Name>", name="a")
    assert load_preset_file(named).name == "Plain"
    nameless = write_xmp(tmp_path, 'crs:Vibrance="10"', name="My Look")
    assert load_preset_file(nameless).name == "My Look"


def test_out_of_range_values_are_clamped_with_warnings(tmp_path: Path) -> None:
    path = write_xmp(tmp_path, 'crs:Exposure2012="+7" crs:Contrast2012="-150"')
    preset = load_preset_file(path)
    assert preset.settings == {"Exposure2012": 5.0, "Contrast2012": -100.0}
    assert any("Exposure2012 is 7" in w and "-5..5" in w for w in preset.warnings)
    assert any("Contrast2012 is -150" in w and "-100..100" in w for w in preset.warnings)


def test_an_unreadable_value_names_the_file_and_the_key(tmp_path: Path) -> None:
    path = write_xmp(tmp_path, 'crs:Exposure2012="bright"', name="odd")
    message = error_of(path)
    assert '"odd.xmp"' in message
    assert "Exposure2012" in message
    assert "bright" in message


def test_xml_that_is_not_a_preset_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "page.xmp"
    path.write_text("<html><body><p>Hello</p></body></html>", encoding="utf-8")
    message = error_of(path)
    assert '"page.xmp"' in message
    assert "not a Lightroom or Camera Raw preset" in message


def test_damaged_xml_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "cut.xmp"
    path.write_text(f"{HEAD}\n crs:Exposure2012='1'>\n<crs:Name>", encoding="utf-8")
    message = error_of(path)
    assert '"cut.xmp"' in message
    assert "damaged near line" in message


def test_entities_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "bomb.xmp"
    path.write_text(
        '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa">'
        '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
        f'{HEAD} crs:Name="&b;">{TAIL}',
        encoding="utf-8",
    )
    message = error_of(path)
    assert "refused for safety" in message


def test_files_over_the_size_cap_are_refused(tmp_path: Path) -> None:
    padding = "<!--" + "x" * XMP_SIZE_CAP + "-->"
    path = write_xmp(tmp_path, 'crs:Vibrance="1"', padding, name="huge")
    message = error_of(path)
    assert '"huge.xmp"' in message
    assert "too large" in message


def test_a_binary_file_named_xmp_is_not_xml(tmp_path: Path) -> None:
    path = tmp_path / "photo.xmp"
    path.write_bytes(b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(range(256)))
    message = error_of(path)
    assert '"photo.xmp"' in message
    assert "does not contain XML" in message


def test_curve_points_are_ordered_and_clamped(tmp_path: Path) -> None:
    curve = (
        "<crs:ToneCurvePV2012><rdf:Seq><rdf:li>255, 300</rdf:li><rdf:li>0, 0</rdf:li>"
        "<rdf:li>128, 140</rdf:li></rdf:Seq></crs:ToneCurvePV2012>"
    )
    preset = load_preset_file(write_xmp(tmp_path, children=curve))
    assert preset.settings["ToneCurvePV2012"] == ((0, 0), (128, 140), (255, 255))
    assert len(preset.warnings) == 2


def test_a_structured_value_for_a_rendered_key_is_an_error(tmp_path: Path) -> None:
    curve = (
        "<crs:ToneCurvePV2012><rdf:Seq><rdf:li><rdf:Description crs:X='1'/></rdf:li>"
        "</rdf:Seq></crs:ToneCurvePV2012>"
    )
    message = error_of(write_xmp(tmp_path, children=curve, name="weird"))
    assert "ToneCurvePV2012" in message
    assert '"weird.xmp"' in message


def test_a_sidecar_written_by_the_app_reads_back_as_the_same_settings(tmp_path: Path) -> None:
    from junmai_gui.develop.sidecar import build_sidecar

    settings = {
        "Exposure2012": 0.45,
        "Contrast2012": -25.0,
        "ConvertToGrayscale": True,
        "ToneCurvePV2012": ((0.0, 10.0), (128.0, 138.0), (255.0, 255.0)),
    }
    path = tmp_path / "IMG_0001.xmp"
    path.write_bytes(build_sidecar(settings))
    preset = load_preset_file(path)
    assert preset.settings == settings
    assert preset.unsupported_keys == ()


def test_a_profile_file_is_flagged(tmp_path: Path) -> None:
    path = write_xmp(tmp_path, 'crs:PresetType="Look" crs:Name="Prof" crs:RGBTable="ABC"')
    preset = load_preset_file(path)
    assert preset.unsupported_keys == ("RGBTable",)
    assert any("profile" in w for w in preset.warnings)


def _masks(*adjustments: str, active: str = "true") -> str:
    corrections = "".join(
        f'<rdf:li><rdf:Description crs:What="Correction" crs:CorrectionActive="{active}"'
        f' crs:LocalCurveRefineSaturation="100" crs:LocalToningHue="40" {adjustment}>'
        '<crs:CorrectionMasks><rdf:Seq><rdf:li crs:What="Mask/Image" crs:MaskValue="1"/>'
        "</rdf:Seq></crs:CorrectionMasks></rdf:Description></rdf:li>"
        for adjustment in adjustments
    )
    group = "crs:MaskGroupBasedCorrections"
    return f"<{group}><rdf:Seq>{corrections}</rdf:Seq></{group}>"


MASKS = ("MaskGroupBasedCorrections",)


@pytest.mark.parametrize(
    ("children", "listed"),
    [
        (_masks('crs:LocalExposure2012="0"', 'crs:LocalDehaze="0.000"'), ()),
        (_masks('crs:LocalExposure2012="+0.50"', active="false"), ()),
        (_masks('crs:LocalExposure2012="0"', 'crs:LocalExposure2012="+0.50"'), MASKS),
        (_masks('crs:LocalSaturation="-20"'), MASKS),
    ],
    ids=["all-neutral", "inactive", "one-adjusts", "saturation"],
)
def test_masks_are_listed_only_when_they_change_the_picture(
    tmp_path: Path, children: str, listed: tuple[str, ...]
) -> None:
    preset = load_preset_file(write_xmp(tmp_path, 'crs:Exposure2012="0.2"', children))
    assert preset.unsupported_keys == listed
