"""Fuzzing every preset parser with damaged real files: a `PresetError` naming the file, or a
usable preset — never another exception, and never a LUT that would turn photos black.

The seeds are real files from ../shared/testdata: Lightroom presets, .cube LUTs, Junmai JSON
presets made from those presets, and Hald CLUTs rendered from a real .cube. Hypothesis
mutates their bytes (flips, cuts, repeats) and plants hostile values where numbers stood or
anywhere: NaN, 1e308, a 1e-300 domain, integers of thousands of digits, JSON and XML nested
hundreds of thousands of levels deep.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
import pyvips
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from junmai_gui.develop.errors import PresetError
from junmai_gui.develop.loaders import load_preset_file
from junmai_gui.develop.loaders.cube import parse_cube, read_cube_bytes
from junmai_gui.develop.loaders.hald import parse_hald
from junmai_gui.develop.loaders.json_preset import parse_json_preset, preset_to_json
from junmai_gui.develop.loaders.lut_checks import LUT_VALUE_LIMIT, MIN_DOMAIN_WIDTH
from junmai_gui.develop.loaders.xmp import parse_xmp_preset
from junmai_gui.develop.pipeline.lut import apply_lut
from junmai_gui.develop.preset import Lut3D, Preset

LABEL = '"fuzzed.file"'
EXAMPLES = 200

HOSTILE_NUMBERS = [
    b"nan", b"NaN", b"inf", b"-Infinity", b"1e308", b"-1e308", b"1e-300", b"1e999",
    b"9" * 5000, b"-" + b"9" * 400, b"0", b"-0", b"1e-320",
]  # fmt: skip
HOSTILE_BYTES = [
    *HOSTILE_NUMBERS,
    b"[" * 200_000,
    b'{"a":' * 50_000,
    b"<a>" * 40_000,
    b"\x00", b"\xff\xfe\xfd", b"\r", b"\n\n", b"#", b'"', b"\xef\xbb\xbf",
    b"LUT_3D_SIZE 144\n", b"LUT_1D_SIZE 65536\n", b"LUT_3D_SIZE 99999999999999999999\n",
    b"DOMAIN_MIN 0 0 0\nDOMAIN_MAX 1e-300 1e-300 1e-300\n", b"LUT_3D_INPUT_RANGE 0 1e-300\n",
    b"DOMAIN_MIN -1e308 0 0\n", b'<!DOCTYPE x [<!ENTITY a "b">]>', b"]]>", b"&a;",
]  # fmt: skip
_NUMBER = re.compile(rb"-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?")

Mutation = tuple[str, int, int, bytes]
mutations = st.lists(
    st.tuples(
        st.sampled_from(["flip", "delete", "insert", "number", "replace", "truncate", "repeat"]),
        st.integers(0, 2**31),
        st.integers(1, 255),
        st.sampled_from(HOSTILE_BYTES),
    ),
    min_size=1,
    max_size=4,
)


def mutate(data: bytes, steps: list[Mutation]) -> bytes:
    for kind, where, amount, hostile in steps:
        at = where % (len(data) + 1)
        if kind == "flip" and data:
            at %= len(data)
            data = data[:at] + bytes([data[at] ^ amount]) + data[at + 1 :]
        elif kind == "delete":
            data = data[:at] + data[at + amount :]
        elif kind == "insert":
            data = data[:at] + hostile + data[at:]
        elif kind in ("number", "replace"):  # a number where one stood, or anything there
            numbers = list(_NUMBER.finditer(data))
            value = HOSTILE_NUMBERS[amount % len(HOSTILE_NUMBERS)] if kind == "number" else hostile
            if numbers:
                found = numbers[where % len(numbers)]
                data = data[: found.start()] + value + data[found.end() :]
        elif kind == "truncate":
            data = data[:at]
        elif kind == "repeat":
            data = data[:at] + data[at : at + amount] * 50 + data[at:]
    return data


def assert_usable(lut: Lut3D | None) -> None:
    """What a loader returns is safe to develop with: finite, bounded, domains wide enough."""
    if lut is None:
        return
    arrays = [lut.table] + ([lut.shaper] if lut.shaper is not None else [])
    for array in arrays:
        assert np.all(np.abs(array) <= LUT_VALUE_LIMIT)
    domains = [(lut.domain_min, lut.domain_max), (lut.shaper_domain_min, lut.shaper_domain_max)]
    for low, high in domains:
        assert all(h - lo >= MIN_DOMAIN_WIDTH for lo, h in zip(low, high, strict=True))
    probe = np.linspace(0.0, 1.0, 9).repeat(3).reshape(-1, 3)
    assert np.all(np.isfinite(apply_lut(probe, lut)))


def only_preset_errors(parse: Callable[[bytes], Lut3D | None], data: bytes) -> None:
    try:
        lut = parse(data)
    except PresetError as exc:
        assert LABEL in exc.message, exc.message
        assert len(exc.message) < 1000
    else:
        assert_usable(lut)


def fuzz(seeds: list[bytes], parse: Callable[[bytes], Lut3D | None]) -> None:
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
    )
    @given(seed=st.sampled_from(seeds), steps=mutations)
    def run(seed: bytes, steps: list[Mutation]) -> None:
        only_preset_errors(parse, mutate(seed, steps))

    for seed in seeds:  # the real files themselves read cleanly
        only_preset_errors(parse, seed)
    run()


# --- seeds -------------------------------------------------------------------------------


def xmp_seeds(testdata: Path) -> list[bytes]:
    files = sorted((testdata / "presets").rglob("*.xmp"))
    return [f.read_bytes() for f in files if f.stat().st_size]


def cube_seeds(testdata: Path) -> list[bytes]:
    return [f.read_bytes() for f in sorted((testdata / "luts").glob("*.cube"))]


def real_lut(testdata: Path) -> Lut3D:
    lut = load_preset_file(testdata / "luts" / "colour-Colour_Correct-3d.cube").lut
    assert lut is not None
    return lut


def hald_seeds(testdata: Path) -> list[bytes]:
    """Level 2 and 3 Halds (8-bit PNG, 16-bit PNG, float TIFF) holding a real .cube's colours."""
    lut = real_lut(testdata)
    seeds = []
    for level, fmt, suffix in ((2, "uchar", ".png"), (3, "ushort", ".png"), (2, "float", ".tif")):
        n = level * level
        index = np.arange(n**3)
        points = np.stack([index % n, (index // n) % n, index // (n * n)], axis=-1) / (n - 1)
        colours = np.clip(apply_lut(points, lut), 0, 1)
        scale = {"uchar": 255, "ushort": 65535, "float": 1}[fmt]
        pixels = np.ascontiguousarray((colours * scale).reshape(level**3, level**3, 3))
        image = pyvips.Image.new_from_array(pixels).cast(fmt)
        image = image.copy(interpretation="rgb16" if fmt == "ushort" else "srgb")
        seeds.append(bytes(image.write_to_buffer(suffix)))
    return seeds


def json_seeds(testdata: Path) -> list[bytes]:
    files = sorted((testdata / "presets" / "lightroom").glob("*.xmp"))
    presets = [load_preset_file(f) for f in files]
    seeds = [preset_to_json(p).encode() for p in presets[:4]]
    seeds.append(preset_to_json(Preset("With LUT", {}), lut_file="look.cube").encode())
    return seeds


# --- the fuzz tests ----------------------------------------------------------------------


def test_xmp_parser_raises_only_preset_errors(testdata: Path) -> None:
    def parse(data: bytes) -> None:
        parse_xmp_preset(data, label=LABEL, stem="fuzzed", source="fuzz")

    fuzz(xmp_seeds(testdata), parse)


def test_cube_parser_raises_only_preset_errors(testdata: Path) -> None:
    def parse(data: bytes) -> Lut3D:
        return read_cube_bytes(data, LABEL)[0]

    fuzz(cube_seeds(testdata), parse)


def test_hald_parser_raises_only_preset_errors(testdata: Path) -> None:
    fuzz(hald_seeds(testdata), lambda data: parse_hald(data, LABEL))


def test_json_parser_raises_only_preset_errors(testdata: Path) -> None:
    cube_text = (testdata / "luts" / "colour-Colour_Correct-3d.cube").read_text()

    def parse(data: bytes) -> Lut3D | None:
        preset = parse_json_preset(
            data,
            label=LABEL,
            stem="fuzzed",
            source="fuzz",
            read_lut=lambda reference: parse_cube(cube_text, LABEL),
        )
        return preset.lut

    fuzz(json_seeds(testdata), parse)


# --- the hostile inputs of the red-team report, one by one ----------------------------------


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("deep.json", b"[" * 200_000 + b"]" * 200_000, "nested too deeply"),
        (
            "huge.json",
            b'{"format": "junmai-preset", "version": 1, "default_blend": 1' + b"0" * 4000 + b"}",
            "default_blend",
        ),
        ("nan.cube", b"LUT_3D_SIZE 2\n" + b"0 0 0\n" * 7 + b"nan 0 0\n", "nan"),
        ("big.cube", b"LUT_3D_SIZE 2\n" + b"0 0 0\n" * 7 + b"1e308 0 0\n", "1e+308"),
        (
            "narrow.cube",
            b"LUT_3D_SIZE 2\nDOMAIN_MIN 0 0 0\nDOMAIN_MAX 1e-300 1 1\n" + b"0 0 0\n" * 8,
            "DOMAIN_MIN/DOMAIN_MAX",
        ),
        ("flat.cube", b"LUT_1D_SIZE 2\nLUT_1D_INPUT_RANGE 0 1e-300\n0 0 0\n1 1 1\n", "input range"),
        ("deep.xmp", b"<a>" * 200_000 + b"</a>" * 200_000, "not a Lightroom or Camera Raw preset"),
    ],
)
def test_each_hostile_file_is_refused_with_a_sentence(
    tmp_path: Path, name: str, content: bytes, reason: str
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(PresetError) as caught:
        load_preset_file(path)
    assert f'"{name}"' in caught.value.message
    assert reason in caught.value.message
