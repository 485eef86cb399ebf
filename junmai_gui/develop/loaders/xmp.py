"""Lightroom / Camera Raw `.xmp` presets, read with defusedxml under a size cap.

A preset's settings are the `crs:` fields of the top-level `rdf:Description` elements, written
either as attributes (`crs:Exposure2012="+0.35"`) or as child elements (plain text, an
`rdf:Alt` of language variants, or an `rdf:Seq` such as a tone curve's `"x, y"` points).
The name is `crs:Name` (the element's `x-default` entry first, then the attribute, then the
file's stem). A nested `crs:Look` is a Lightroom profile with its own settings that are not
the preset's: it is ignored with a warning. The keys are then sorted by `settings_keys`:
rendered keys are coerced and clamped (with a warning), metadata is ignored, and every other
field is listed in `unsupported_keys` unless its value is neutral; a list of local corrections
(masks) whose every adjustment is neutral changes nothing and is not listed either. Fields in
other namespaces (xmp:, dc:, tiff:, …) describe the file or the photo, not the develop, and
are not read. A file whose
`crs:PresetType` is "Look" is a Lightroom profile: it loads, with a warning saying so.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import defusedxml
import defusedxml.ElementTree as SafeET

from junmai_gui.develop.errors import PresetError
from junmai_gui.develop.loaders._files import decode_text, file_label, read_capped
from junmai_gui.develop.neutral_keys import local_adjustment_is_neutral
from junmai_gui.develop.preset import Preset
from junmai_gui.develop.settings_keys import is_rendered, sort_settings

XMP_SIZE_CAP = 2 * 2**20  # real presets are a few kB; a large landscape preset is 11 kB

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
CRS = "http://ns.adobe.com/camera-raw-settings/1.0/"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
WHAT = "Lightroom preset"

# A value that is not a plain string or a list of strings (masks, local corrections):
# its key can only be reported as unsupported.
_STRUCTURED = object()


def load_xmp_preset(path: Path) -> Preset:
    data = read_capped(path, XMP_SIZE_CAP, WHAT)
    return parse_xmp_preset(data, label=file_label(path), stem=path.stem, source=str(path))


def parse_xmp_preset(data: bytes, *, label: str, stem: str, source: str) -> Preset:
    """A `Preset` from the bytes of an .xmp file; `label` names the file in messages."""
    root = _parse_xml(data, label)
    descriptions = [
        desc for rdf in root.iter(f"{{{RDF}}}RDF") for desc in rdf.findall(f"{{{RDF}}}Description")
    ]
    if root.tag == f"{{{RDF}}}Description":
        descriptions.append(root)
    raw: dict[str, Any] = {}
    names: dict[str, str] = {}
    warnings: list[str] = []
    found_crs = False
    for desc in descriptions:
        for attr, value in desc.attrib.items():
            key = _crs_key(attr)
            if key is None:
                continue
            found_crs = True
            if key == "Name":
                names.setdefault("attribute", value.strip())
            raw[key] = value
        for child in desc:
            key = _crs_key(child.tag)
            if key is None:
                continue
            found_crs = True
            if key == "Look":
                warnings.append(_look_warning(child))
                continue
            value = _element_value(child)
            if value is _STRUCTURED and _corrections_change_nothing(child):
                continue
            if key == "Name" and isinstance(value, str):
                names.setdefault("element", value.strip())
            raw[key] = value
    if not found_crs:
        raise PresetError(
            f"{label} is an XML file but not a Lightroom or Camera Raw preset: "
            "it holds no develop settings."
        )
    for key, value in raw.items():
        if value is _STRUCTURED and is_rendered(key):
            raise PresetError(f"{label}: the setting {key} has a form that cannot be read.")
    if str(raw.get("PresetType", "")).strip() == "Look":
        warnings.append(
            "This file is a Lightroom profile (a Look), not a develop preset; "
            "only the develop settings it lists are applied."
        )
    sorted_settings = sort_settings(raw, label)
    name = names.get("element") or names.get("attribute") or stem
    description = raw.get("Description")
    return Preset(
        name=name,
        settings=sorted_settings.settings,
        lut=None,
        default_blend=100.0,
        source=source,
        unsupported_keys=sorted_settings.unsupported_keys,
        warnings=tuple(warnings) + sorted_settings.warnings,
        description=description.strip() if isinstance(description, str) else "",
    )


def _parse_xml(data: bytes, label: str) -> ET.Element:
    try:
        root: ET.Element = SafeET.fromstring(data)
    except defusedxml.DefusedXmlException:
        raise PresetError(
            f"{label} is not a usable Lightroom preset: it contains XML constructs "
            "(entities or external references) that are refused for safety."
        ) from None
    except ET.ParseError as exc:
        text = decode_text(data, label, WHAT) if _looks_textual(data) else ""
        start = text.lstrip("\ufeff \t\r\n")
        if not start.startswith("<"):
            first_line = start.splitlines()[0][:60] if start else ""
            hint = f' It begins with "{first_line}"' if first_line else ""
            raise PresetError(
                f"{label} is not a Lightroom preset: it does not contain XML.{hint}"
                + (" — perhaps a download that failed." if hint else "")
            ) from None
        line = exc.position[0] if exc.position else 0
        raise PresetError(
            f"{label} is not a readable Lightroom preset: its XML is damaged near line {line}."
        ) from None
    return root


def _looks_textual(data: bytes) -> bool:
    try:
        data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return False
    return True


def _crs_key(tag: str) -> str | None:
    prefix = f"{{{CRS}}}"
    return tag[len(prefix) :] if tag.startswith(prefix) else None


def _element_value(element: ET.Element) -> Any:
    """A child element's value: its text, an rdf:Alt's default entry, or an rdf:Seq/Bag list."""
    children = list(element)
    if not children:
        return (element.text or "").strip()
    container = children[0]
    items = container.findall(f"{{{RDF}}}li")
    if container.tag == f"{{{RDF}}}Alt":
        for item in items:
            if item.get(XML_LANG) == "x-default":
                return (item.text or "").strip()
        return (items[0].text or "").strip() if items else ""
    if container.tag in (f"{{{RDF}}}Seq", f"{{{RDF}}}Bag"):
        if any(len(item) or item.attrib for item in items):
            return _STRUCTURED
        return [(item.text or "").strip() for item in items]
    return _STRUCTURED


def _corrections_change_nothing(element: ET.Element) -> bool:
    """True for local corrections (masks) that are all inactive or neutral: every `Local…`
    attribute at its neutral value, and no `Local…` element (a local curve or colour list)."""
    corrections = [
        desc
        for desc in element.iter(f"{{{RDF}}}Description")
        if desc.get(f"{{{CRS}}}What") == "Correction"
    ]
    if not corrections:
        return False
    for correction in corrections:
        if correction.get(f"{{{CRS}}}CorrectionActive", "true").strip().lower() == "false":
            continue
        for attr, value in correction.attrib.items():
            key = _crs_key(attr)
            if key and key.startswith("Local") and not local_adjustment_is_neutral(key, value):
                return False
        if any((_crs_key(child.tag) or "").startswith("Local") for child in correction):
            return False
    return True


def _look_warning(look: ET.Element) -> str:
    name = ""
    for desc in look.iter(f"{{{RDF}}}Description"):
        name = desc.get(f"{{{CRS}}}Name", "")
        if not name:
            inner = desc.find(f"{{{CRS}}}Name")
            name = _element_value(inner) if inner is not None else ""
        break
    which = f' "{name}"' if isinstance(name, str) and name else ""
    return (
        f"The preset refers to the Lightroom profile{which} (a Look); its settings are not "
        "part of the preset and are not applied."
    )
