"""Every preset the app offers: the built-ins shipped in `junmai_gui.resources`, plus the files
in the user's presets folder.

Built-ins are Junmai JSON presets read through `importlib.resources`, never from the working
directory. The user folder is scanned (not recursively) for preset files; a file that cannot
be read is skipped with a logged warning and listed in `problems()` — one bad file never hides
the others, and no file can stop the app from starting. LUTs are read through a `LutCache`
(kept in `cache_dir` when given), so a launch parses only LUT files it has not seen before.
A user preset whose name is already taken is renamed "Name (user)", then
"Name (user 2)", … in file-name order, so names stay unique and stable. A .cube that a JSON
preset in the same folder refers to is part of that preset, not a preset of its own.

`reload()` builds new lists and swaps them in one assignment, so readers on worker threads
always see a complete library.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import threading
from dataclasses import dataclass, replace
from importlib import resources
from pathlib import Path

from junmai_gui.develop.errors import PresetError
from junmai_gui.develop.loaders import is_preset_file, load_preset_file
from junmai_gui.develop.loaders._files import file_label, read_capped
from junmai_gui.develop.loaders.cube import parse_cube
from junmai_gui.develop.loaders.json_preset import (
    JSON_SIZE_CAP,
    check_lut_reference,
    parse_json_preset,
    read_json_document,
)
from junmai_gui.develop.lut_cache import LutCache
from junmai_gui.develop.preset import Lut3D, Preset

log = logging.getLogger(__name__)

RESOURCE_PACKAGE = "junmai_gui.resources"
BUILTIN_FOLDER = "presets"


@dataclass(frozen=True)
class _Contents:
    presets: dict[str, Preset]  # by name, in display order: built-ins, then user presets
    problems: list[tuple[str, str]]
    files: dict[str, Path]  # user preset name -> the file in the user folder


class PresetLibrary:
    """The built-in presets and those in `user_dir` (None: built-ins only), by unique name.

    `cache_dir` keeps parsed LUTs across launches (None: in memory only).
    """

    def __init__(self, user_dir: Path | None, cache_dir: Path | None = None) -> None:
        self._user_dir = Path(user_dir) if user_dir is not None else None
        self._luts = LutCache(cache_dir)
        self._lock = threading.Lock()
        self._builtins = load_builtin_presets()
        self._contents = _Contents({}, [], {})
        self.reload()

    @property
    def user_dir(self) -> Path | None:
        return self._user_dir

    def presets(self) -> list[Preset]:
        return list(self._contents.presets.values())

    def names(self) -> list[str]:
        return list(self._contents.presets)

    def problems(self) -> list[tuple[str, str]]:
        """The user files that could not be read at the last scan: (file path, message)."""
        return list(self._contents.problems)

    def file_of(self, name: str) -> Path | None:
        """The file in the user folder a user preset was read from (None for a built-in)."""
        return self._contents.files.get(name)

    def get(self, name: str) -> Preset:
        """The preset of that name (exact, else the only case-insensitive match)."""
        presets = self._contents.presets
        preset = presets.get(name)
        if preset is not None:
            return preset
        folded = [p for key, p in presets.items() if key.casefold() == name.casefold()]
        if len(folded) == 1:
            return folded[0]
        raise PresetError(f'No preset named "{name}".')

    def reload(self) -> None:
        """Scan the user folder again (the built-ins never change while the app runs)."""
        with self._lock:
            self._contents = self._scan()

    def import_file(self, path: str | Path) -> Preset:
        """Check that `path` is a usable preset, copy it into the user folder, return it.

        A file of the same name with different content is never overwritten: the copy gets a
        unique name ("look (2).xmp"). Importing the same file twice does not copy it again.
        A JSON preset's .cube comes along with it.
        """
        source = Path(path)
        if self._user_dir is None:
            raise PresetError("There is no presets folder to import into.")
        load_preset_file(source, self._luts)  # refuse a broken file before anything is copied
        with self._lock:
            try:
                self._user_dir.mkdir(parents=True, exist_ok=True)
                data = source.read_bytes()
                if source.suffix.lower() == ".json":
                    data = self._copy_json_lut(source, data)
                target = _copy_unique(data, self._user_dir, source.name)
            except OSError as exc:
                raise PresetError(
                    f"{file_label(source)} could not be copied into the presets folder "
                    f"{self._user_dir}: {exc.strerror or exc}."
                ) from None
            self._contents = self._scan()
            for name, file in self._contents.files.items():
                if file == target:
                    return self._contents.presets[name]
        problem = dict(self._contents.problems).get(str(target), "it could not be read")
        raise PresetError(f"{file_label(source)} was copied but cannot be used: {problem}")

    # -- scanning -----------------------------------------------------------------------------

    def _scan(self) -> _Contents:
        presets = {p.name: p for p in self._builtins}
        problems: list[tuple[str, str]] = []
        files: dict[str, Path] = {}
        with self._luts.scan():
            loaded = [(file, self._load_user_file(file, problems)) for file in self._user_files()]
        for file, preset in loaded:
            if preset is None:
                continue
            name = _unique_name(preset.name, presets)
            warnings = preset.warnings
            if name != preset.name:
                warnings += (f'Renamed from "{preset.name}": that name was already taken.',)
            presets[name] = replace(preset, name=name, source="user", warnings=warnings)
            files[name] = file
        return _Contents(presets, problems, files)

    def _load_user_file(self, file: Path, problems: list[tuple[str, str]]) -> Preset | None:
        """The preset in `file`, or None with the reason added to `problems`."""
        try:
            return load_preset_file(file, self._luts)
        except PresetError as exc:
            log.warning("Skipped the preset file %s: %s", file, exc.message)
            problems.append((str(file), exc.message))
        except Exception:  # a loader bug must not take the whole library down with it
            log.exception("Skipped the preset file %s after an unexpected error", file)
            problems.append((str(file), f"{file_label(file)} could not be read."))
        return None

    def _user_files(self) -> list[Path]:
        folder = self._user_dir
        if folder is None or not folder.is_dir():
            return []
        try:
            files = sorted(
                p
                for p in folder.iterdir()
                if p.is_file() and not p.name.startswith(".") and is_preset_file(p)
            )
        except OSError as exc:
            log.warning("Cannot list the presets folder %s: %s", folder, exc)
            return []
        owned_luts = {folder / ref for ref in _json_lut_references(files)}
        return [p for p in files if p not in owned_luts]

    def _copy_json_lut(self, source: Path, data: bytes) -> bytes:
        """Copy the .cube a JSON preset refers to; return the JSON pointing at the copy."""
        assert self._user_dir is not None
        document = read_json_document(data, file_label(source))
        reference = document.get("lut")
        if reference is None:
            return data
        reference = check_lut_reference(reference, file_label(source))
        lut_target = _copy_unique(
            (source.parent / reference).read_bytes(), self._user_dir, Path(reference).name
        )
        if lut_target.name == Path(reference).name and "/" not in reference:
            return data
        document["lut"] = lut_target.name
        return (json.dumps(document, indent=2, ensure_ascii=False) + "\n").encode()


def _unique_name(name: str, taken: dict[str, Preset]) -> str:
    if name not in taken:
        return name
    candidate = f"{name} (user)"
    number = 2
    while candidate in taken:
        candidate = f"{name} (user {number})"
        number += 1
    return candidate


def _json_lut_references(files: list[Path]) -> set[str]:
    """The .cube files the JSON presets among `files` point at (unreadable ones point at none)."""
    references: set[str] = set()
    for file in files:
        if file.suffix.lower() != ".json":
            continue
        try:
            label = file_label(file)
            document = read_json_document(read_capped(file, JSON_SIZE_CAP, "preset"), label)
            if document.get("lut") is not None:
                references.add(check_lut_reference(document["lut"], label))
        except PresetError:
            continue
    return references


def _copy_unique(data: bytes, folder: Path, file_name: str) -> Path:
    """Write `data` as `folder/file_name`, or "stem (2).ext" … if that name holds other bytes.

    The bytes go to a hidden temporary file first and are then linked under the free name, so
    a crash never leaves a half-written preset and an existing file is never replaced.
    """
    stem, suffix = Path(file_name).stem, Path(file_name).suffix
    digest = hashlib.sha256(data).hexdigest()
    temp = folder / f".importing-{digest[:16]}{suffix}"
    with temp.open("wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    try:
        number = 1
        while True:
            target = folder / (file_name if number == 1 else f"{stem} ({number}){suffix}")
            if target.exists():
                if hashlib.sha256(target.read_bytes()).hexdigest() == digest:
                    return target
            else:
                try:
                    os.link(temp, target)
                    return target
                except FileExistsError:
                    pass
                except OSError:  # a file system without hard links
                    if not target.exists():
                        os.replace(temp, target)
                        return target
            number += 1
    finally:
        temp.unlink(missing_ok=True)


def load_builtin_presets() -> list[Preset]:
    """The presets shipped in `junmai_gui.resources/presets`, sorted by name."""
    folder = resources.files(RESOURCE_PACKAGE).joinpath(BUILTIN_FOLDER)
    presets: list[Preset] = []
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if not entry.name.endswith(".json"):
            continue
        label = f'the built-in preset "{entry.name}"'

        def read_lut(reference: str, label: str = label) -> tuple[Lut3D, list[str]]:
            text = folder.joinpath(reference).read_text(encoding="utf-8")
            return parse_cube(text, label)

        presets.append(
            parse_json_preset(
                entry.read_bytes(),
                label=label,
                stem=entry.name.removesuffix(".json"),
                source="builtin",
                read_lut=read_lut,
            )
        )
    return sorted(presets, key=lambda p: p.name.casefold())
