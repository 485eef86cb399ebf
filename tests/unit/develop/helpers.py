"""Small helpers shared by the develop tests."""

from __future__ import annotations

import struct
from pathlib import Path

import pytest

from junmai_gui.develop.errors import PresetError
from junmai_gui.develop.loaders import load_preset_file


def error_of(path: Path) -> str:
    """The message `load_preset_file` refuses `path` with (the test fails if it loads)."""
    with pytest.raises(PresetError) as caught:
        load_preset_file(path)
    return caught.value.message


def shared_block_exif(entries: int = 1000, block: int = 52_000) -> bytes:
    """EXIF whose EXIF directory has `entries` tags all pointing at one `block`-byte value,
    after a camera's make and model: 64 KB in a JPEG, `entries` × `block` once written out."""
    make, model = b"Canon\x00", b"Canon EOS 40D\x00"
    ifd0_at = 8
    exif_at = ifd0_at + 2 + 12 * 3 + 4
    block_at = exif_at + 2 + 12 * entries + 4
    make_at = block_at + block
    model_at = make_at + len(make)
    out = bytearray(b"II*\x00" + struct.pack("<I", ifd0_at) + struct.pack("<H", 3))
    out += struct.pack("<HHII", 271, 2, len(make), make_at)
    out += struct.pack("<HHII", 272, 2, len(model), model_at)
    out += struct.pack("<HHII", 34665, 4, 1, exif_at) + struct.pack("<I", 0)
    out += struct.pack("<H", entries)
    for i in range(entries):
        out += struct.pack("<HHII", 0xA100 + i, 7, block, block_at)
    out += struct.pack("<I", 0) + bytes(range(256)) * (block // 256) + bytes(block % 256)
    return b"Exif\x00\x00" + bytes(out + make + model)
