"""An XMP sidecar with a preset's Camera Raw settings, for a RAW developed in a batch.

Lightroom, Camera Raw and darktable read `IMG_0001.xmp` beside `IMG_0001.CR2`. We never
write into the photographer's input folder unasked, so the sidecar goes into the *output*
folder, named after the RAW (`<output folder>/IMG_0001.xmp`): copy it next to the RAW to
open the photo there with the same settings. A sidecar that would land beside the RAW itself
(output folder = input folder) is not written, as it could replace the photographer's own
edits. Only the `crs:` settings travel; a LUT has no Camera Raw form and stays out.

The document is built with `xml.etree.ElementTree`: scalar settings as `crs:` attributes of
the `rdf:Description`, tone curves as `rdf:Seq` lists of `"x, y"` points.
"""

from __future__ import annotations

import math
import xml.etree.ElementTree as ET
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from junmai_gui.develop.files import write_bytes_atomically

X = "adobe:ns:meta/"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
CRS = "http://ns.adobe.com/camera-raw-settings/1.0/"
PROCESS_VERSION = "11.0"

for _prefix, _uri in (("x", X), ("rdf", RDF), ("crs", CRS)):
    ET.register_namespace(_prefix, _uri)


def sidecar_path(source: Path, output: Path) -> Path:
    """Where the sidecar for `source` developed to `output` goes: `<output folder>/<stem>.xmp`."""
    return output.parent / f"{Path(source).stem}.xmp"


def _number(value: float) -> str:
    if math.isfinite(value) and value == int(value):
        return str(int(value))
    return f"{value:.4f}".rstrip("0").rstrip(".")


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "True" if value else "False"
    if isinstance(value, int | float):
        return _number(float(value))
    return str(value)


def _is_curve(value: Any) -> bool:
    return isinstance(value, list | tuple) and all(
        isinstance(p, list | tuple) and len(p) == 2 for p in value
    )


def build_sidecar(settings: Mapping[str, Any]) -> bytes:
    """The XMP document (UTF-8 bytes) for `settings` keyed by Camera Raw names."""
    meta = ET.Element(f"{{{X}}}xmpmeta")
    rdf = ET.SubElement(meta, f"{{{RDF}}}RDF")
    desc = ET.SubElement(rdf, f"{{{RDF}}}Description", {f"{{{RDF}}}about": ""})
    desc.set(f"{{{CRS}}}Version", "15.0")
    desc.set(f"{{{CRS}}}ProcessVersion", PROCESS_VERSION)
    desc.set(f"{{{CRS}}}HasSettings", "True")
    curves: list[tuple[str, Any]] = []
    for key in sorted(settings):
        value = settings[key]
        if _is_curve(value):
            curves.append((key, value))
        elif value is not None:
            desc.set(f"{{{CRS}}}{key}", _text(value))
    for key, points in curves:
        seq = ET.SubElement(ET.SubElement(desc, f"{{{CRS}}}{key}"), f"{{{RDF}}}Seq")
        for x, y in points:
            ET.SubElement(seq, f"{{{RDF}}}li").text = f"{_number(float(x))}, {_number(float(y))}"
    ET.indent(meta, space=" ")
    text: bytes = ET.tostring(meta, encoding="utf-8", xml_declaration=False)
    return text + b"\n"


def write_sidecar(source: Path, output: Path, settings: Mapping[str, Any]) -> Path | None:
    """Write the sidecar atomically; None when it would sit beside the RAW itself."""
    target = sidecar_path(source, output)
    if target.parent.resolve() == Path(source).parent.resolve():
        return None
    write_bytes_atomically(target, build_sidecar(settings))
    return target
