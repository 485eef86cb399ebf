"""Where a worker finds the app's photos, and where it may write: path maps and output roots.

The app names files as its own computer sees them (`/Volumes/Studio/2025/…`, `S:\\2025\\…`);
the render computer mounts the same share elsewhere (`/mnt/studio/2025/…`). A path map
`APP_PREFIX=WORKER_PREFIX` translates the beginning of a path (the longest matching prefix
wins). Outputs are confined: a job whose output would land outside every allowed root is
refused, so a broker message can never make a worker write wherever it likes.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path, PurePosixPath, PureWindowsPath


def _windows_like(path: str) -> bool:
    return "\\" in path or (len(path) >= 2 and path[1] == ":")


def _parts(path: str) -> tuple[str, ...]:
    pure = PureWindowsPath(path) if _windows_like(path) else PurePosixPath(path)
    return tuple(part.lower() if isinstance(pure, PureWindowsPath) else part for part in pure.parts)


@dataclass(frozen=True)
class PathMap:
    """One `APP_PREFIX=WORKER_PREFIX`."""

    app_prefix: str
    worker_prefix: str

    @classmethod
    def parse(cls, text: str) -> PathMap:
        """ValueError with a sentence when `text` is not `APP_PREFIX=WORKER_PREFIX`."""
        app_prefix, sep, worker_prefix = text.partition("=")
        if not sep or not app_prefix.strip() or not worker_prefix.strip():
            raise ValueError(
                f"--path-map {text!r} is not APP_PREFIX=WORKER_PREFIX, "
                "for example /Volumes/Studio=/mnt/studio"
            )
        return cls(app_prefix.strip(), worker_prefix.strip())

    def translate(self, path: str) -> str | None:
        """`path` on this worker, or None when it does not start with the app prefix."""
        prefix = _parts(self.app_prefix)
        whole = PureWindowsPath(path) if _windows_like(path) else PurePosixPath(path)
        original = whole.parts
        if _parts(path)[: len(prefix)] != prefix:
            return None
        return str(Path(self.worker_prefix).joinpath(*original[len(prefix) :]))


class Placement:
    """Path maps and allowed output roots of one worker."""

    def __init__(self, maps: list[PathMap], output_roots: list[Path]) -> None:
        # the longest prefix first, so /Volumes/Studio/RAW wins over /Volumes/Studio
        self.maps = sorted(maps, key=lambda m: len(_parts(m.app_prefix)), reverse=True)
        self.output_roots = [Path(os.path.realpath(root)) for root in output_roots]

    def local(self, path: str) -> str:
        """The app's `path` as this worker sees it (unchanged when no map matches)."""
        for path_map in self.maps:
            translated = path_map.translate(path)
            if translated is not None:
                return translated
        return path

    def output_allowed(self, output: str) -> bool:
        """True when `output` (already translated) lies inside an allowed root."""
        folder = Path(os.path.realpath(Path(output).parent))
        return any(folder == root or root in folder.parents for root in self.output_roots)

    def roots_text(self) -> str:
        return ", ".join(str(root) for root in self.output_roots) or "none"
