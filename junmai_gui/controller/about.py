"""The versions of the parts a bug report needs (Help → About)."""

from __future__ import annotations

import platform
import sys
from importlib import metadata

import pyvips
from PySide6 import __version__ as pyside_version
from PySide6.QtCore import qVersion

from junmai_gui import __version__


def versions() -> list[tuple[str, str]]:
    """(part, version) pairs, this app first."""
    out = [
        ("Junmai Batch", __version__),
        ("Python", sys.version.split()[0]),
        ("Qt", qVersion()),
        ("PySide6", pyside_version),
        ("libvips", ".".join(str(pyvips.version(i)) for i in range(3))),
    ]
    for package in ("numpy", "numba", "rawpy", "pi-heif", "aiohttp"):
        try:
            out.append((package, metadata.version(package)))
        except metadata.PackageNotFoundError:
            out.append((package, "not installed"))
    out.append(("System", f"{platform.system()} {platform.release()}"))
    return out
