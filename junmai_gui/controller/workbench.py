"""What New Batch asks before a batch exists: which files are photos, which presets there
are, importing a preset file, and a before/after preview. Each slow one runs as an
operation off the GUI thread; the views never touch `develop` themselves."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import numpy.typing as npt

from junmai_gui.controller.operations import Operation, OperationCancelled, OperationRunner
from junmai_gui.develop.engine import render_preview
from junmai_gui.develop.errors import DevelopError, PresetError
from junmai_gui.develop.formats import SUPPORTED_EXTENSIONS, ScanCancelled, find_photos
from junmai_gui.develop.library import PresetLibrary
from junmai_gui.develop.preset import Preset
from junmai_gui.domain.errors import InvalidBatchError
from junmai_gui.pacing import Pacer

PREVIEW_EDGE = 480


@dataclass(frozen=True)
class PresetChoice:
    """A preset as New Batch offers it."""

    name: str
    yours: bool  # imported by the photographer (not shipped with the app)
    default_blend: float
    description: str = ""
    unsupported_keys: tuple[str, ...] = ()  # in the file, not rendered: shown, never hidden
    warnings: tuple[str, ...] = ()

    @classmethod
    def of(cls, preset: Preset) -> PresetChoice:
        return cls(
            preset.name,
            preset.source != "builtin",
            preset.default_blend,
            preset.description,
            tuple(preset.unsupported_keys),
            tuple(preset.warnings),
        )


@dataclass(frozen=True)
class PhotoScan:
    """What dropped files and folders hold: photos, refused paths (with the reason), and
    files inside folders that are not photos."""

    files: list[Path] = field(default_factory=list)
    rejected: list[tuple[str, str]] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class PreviewImages:
    before: npt.NDArray[np.uint8]  # H×W×3 RGB
    after: npt.NDArray[np.uint8]
    blend: float
    thread_id: int  # the thread that rendered it: never the GUI thread


class Workbench:
    """Owned by `BatchController` (`controller.workbench`)."""

    def __init__(self, presets: PresetLibrary, operations: OperationRunner) -> None:
        self._presets = presets
        self._operations = operations

    @property
    def photo_extensions(self) -> tuple[str, ...]:
        """The file extensions of the photos Junmai Batch develops (".jpg", ".nef", …)."""
        return tuple(sorted(SUPPORTED_EXTENSIONS))

    def scan(self, paths: Sequence[str | Path]) -> Operation[PhotoScan]:
        """Search files and folders (recursively) for photos."""
        wanted = [str(p) for p in paths]
        return self._operations.run(lambda op: _scan(op, wanted), name="photo-scan")

    def presets(self) -> list[PresetChoice]:
        return [PresetChoice.of(preset) for preset in self._presets.presets()]

    def preset(self, name: str) -> PresetChoice | None:
        try:
            return PresetChoice.of(self._presets.get(name))
        except PresetError:
            return None

    def import_preset(self, path: str | Path) -> Operation[PresetChoice]:
        """Copy a .xmp, .cube, Hald or JSON preset into the photographer's presets."""
        return self._operations.run(lambda _op: self._import(Path(path)), name="preset-import")

    def preview(
        self, source: str | Path, preset: str, blend: float, max_edge: int = PREVIEW_EDGE
    ) -> Operation[PreviewImages]:
        """The photo before and after the preset at `blend`, no larger than `max_edge`."""
        photo = Path(source)
        return self._operations.run(
            lambda _op: self._render(photo, preset, float(blend), max_edge), name="preview"
        )

    def _import(self, path: Path) -> PresetChoice:
        try:
            return PresetChoice.of(self._presets.import_file(path))
        except PresetError as exc:
            raise InvalidBatchError(exc.message) from exc

    def _render(self, source: Path, name: str, blend: float, max_edge: int) -> PreviewImages:
        try:
            preset = self._presets.get(name)
            before, after = render_preview(source, preset, blend, max_edge)
        except DevelopError as exc:
            raise InvalidBatchError(exc.message) from exc
        except Exception as exc:  # a decoder bug must not take the dialog down
            raise InvalidBatchError(
                f"The preview of {source.name} could not be drawn: {exc}"
            ) from exc
        return PreviewImages(before, after, blend, threading.get_ident())


def _scan(op: Operation[PhotoScan], paths: list[str]) -> PhotoScan:
    try:
        found = find_photos(
            paths,
            progress=lambda count: op.report(0, count),
            cancelled=op.cancelled,
            pace=Pacer(),  # the dialog's window keeps drawing while a large card is read
        )
    except ScanCancelled as exc:
        raise OperationCancelled("The search for photos was cancelled") from exc
    except OSError as exc:
        where = exc.filename or "the dropped files"
        return PhotoScan([], [(str(where), f"Could not be read: {exc.strerror}")])
    return PhotoScan([Path(f) for f in found.files], list(found.rejected), list(found.skipped))
