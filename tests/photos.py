"""Tiny generated photos for tests: real JPEGs written by libvips, distinct from each other."""

from __future__ import annotations

from pathlib import Path

import pyvips


def make_photos(folder: Path, count: int, *, prefix: str = "photo", size: int = 24) -> list[Path]:
    """`count` small distinct JPEGs in `folder`, named `{prefix}_{index:03d}.jpg`."""
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for i in range(count):
        colour = [(37 * i) % 256, (91 * i + 40) % 256, (13 * i + 120) % 256]
        image = (pyvips.Image.black(size + i % 5, size) + colour).cast("uchar")
        path = folder / f"{prefix}_{i:03d}.jpg"
        image.jpegsave(str(path), Q=90)
        out.append(path)
    return out
