"""Presets by content hash: what the app hands to develop processes and render-farm workers.

A photo's job names its preset by `Preset.content_hash`, not by name or file, so a process
on this computer or a worker on another one develops exactly what the app planned, even if
the preset file was edited meanwhile. The app publishes each preset once as a small JSON
document (`preset_payload`: settings, and the LUT as base64 float32); whoever develops
fetches it once and keeps it.
"""

from __future__ import annotations

import base64
import json
import logging
import os
import threading
from pathlib import Path
from typing import Any

import numpy as np

from junmai_gui.develop.errors import PresetError
from junmai_gui.develop.preset import Lut3D, Preset
from junmai_gui.develop.settings_keys import sort_settings

log = logging.getLogger(__name__)

PAYLOAD_FORMAT = "junmai-preset-payload/1"


def _array(data: Any) -> dict[str, Any]:
    array = np.ascontiguousarray(data, dtype="<f4")
    return {"shape": list(array.shape), "data": base64.b64encode(array.tobytes()).decode()}


def _from_array(encoded: dict[str, Any]) -> np.ndarray[Any, np.dtype[np.float32]]:
    raw = base64.b64decode(encoded["data"], validate=True)
    shape = tuple(int(n) for n in encoded["shape"])
    return np.frombuffer(raw, dtype="<f4").reshape(shape).astype(np.float32)


def _triple(value: Any) -> tuple[float, float, float]:
    a, b, c = (float(v) for v in value)
    return a, b, c


def preset_payload(preset: Preset) -> dict[str, Any]:
    """Everything a develop process needs of `preset`, as JSON-ready values."""
    lut = preset.lut
    return {
        "format": PAYLOAD_FORMAT,
        "hash": preset.content_hash,
        "name": preset.name,
        "default_blend": preset.default_blend,
        "settings": dict(preset.settings),
        "lut": None
        if lut is None
        else {
            "table": _array(lut.table),
            "domain_min": list(lut.domain_min),
            "domain_max": list(lut.domain_max),
            "shaper": None if lut.shaper is None else _array(lut.shaper),
            "shaper_domain_min": list(lut.shaper_domain_min),
            "shaper_domain_max": list(lut.shaper_domain_max),
            "title": lut.title,
        },
    }


def preset_from_payload(payload: dict[str, Any]) -> Preset:
    """The preset a payload describes; PresetError when it is damaged or its hash is wrong."""
    try:
        if payload.get("format") != PAYLOAD_FORMAT:
            raise ValueError(f"unknown format {payload.get('format')!r}")
        name = str(payload["name"])
        sorted_settings = sort_settings(payload["settings"], f"The preset {name}")
        lut = None
        if payload["lut"] is not None:
            data = payload["lut"]
            lut = Lut3D(
                table=_from_array(data["table"]),
                domain_min=_triple(data["domain_min"]),
                domain_max=_triple(data["domain_max"]),
                shaper=None if data["shaper"] is None else _from_array(data["shaper"]),
                shaper_domain_min=_triple(data["shaper_domain_min"]),
                shaper_domain_max=_triple(data["shaper_domain_max"]),
                title=str(data["title"]),
            )
        preset = Preset(
            name=name,
            settings=sorted_settings.settings,
            lut=lut,
            default_blend=float(payload["default_blend"]),
            source="published",
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise PresetError(f"A published preset could not be read ({exc})") from exc
    if preset.content_hash != payload.get("hash"):
        raise PresetError(f"The published preset {name} is damaged (its content hash differs)")
    return preset


class PresetCache:
    """Published presets as `<hash>.json` files in one folder, and in memory once loaded.

    The app `publish`es into the folder its develop processes `load` from; a farm worker
    `store`s what it fetched from the broker. Files are written to a temporary name and
    renamed, so a reader never sees half a preset."""

    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)
        self._loaded: dict[str, Preset] = {}
        self._lock = threading.Lock()

    def path_of(self, content_hash: str) -> Path:
        if not content_hash.isalnum():
            raise PresetError(f"{content_hash!r} is not a preset content hash")
        return self.folder / f"{content_hash}.json"

    def publish(self, preset: Preset) -> str:
        """Make `preset` loadable by its hash (written once); returns the hash."""
        content_hash = preset.content_hash
        with self._lock:
            self._loaded.setdefault(content_hash, preset)
        if not self.path_of(content_hash).exists():
            self.store(content_hash, json.dumps(preset_payload(preset)).encode())
        return content_hash

    def store(self, content_hash: str, document: bytes) -> None:
        """Keep a payload document under its hash (atomically; an existing one is kept)."""
        path = self.path_of(content_hash)
        self.folder.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
        tmp.write_bytes(document)
        os.replace(tmp, path)

    def has(self, content_hash: str) -> bool:
        return content_hash in self._loaded or self.path_of(content_hash).exists()

    def load(self, content_hash: str) -> Preset:
        """The preset of that hash; PresetError when it was never published or is damaged."""
        with self._lock:
            found = self._loaded.get(content_hash)
        if found is not None:
            return found
        path = self.path_of(content_hash)
        try:
            payload = json.loads(path.read_bytes())
        except FileNotFoundError:
            raise PresetError(f"The preset {content_hash} was not published") from None
        except (OSError, ValueError) as exc:
            raise PresetError(
                f"The published preset {content_hash} cannot be read ({exc})"
            ) from exc
        if not isinstance(payload, dict):
            raise PresetError(f"The published preset {content_hash} is damaged")
        preset = preset_from_payload(payload)
        with self._lock:
            return self._loaded.setdefault(content_hash, preset)
