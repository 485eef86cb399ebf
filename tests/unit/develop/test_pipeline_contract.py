"""What `apply_preset` promises its caller: same size, bands and format, metadata kept,
clear refusal of pixels it does not take, and pixels that outlive the input."""

from __future__ import annotations

import gc

import numpy as np
import pytest
import pyvips

from junmai_gui.develop.pipeline import apply_preset, apply_preset_in_place
from junmai_gui.develop.preset import Preset

LOOK = Preset("look", settings={"Exposure2012": 0.5, "Saturation": 20, "Clarity2012": 10})


def image(dtype: type = np.uint8, bands: int = 3) -> pyvips.Image:
    rng = np.random.default_rng(0)
    top = 255 if dtype == np.uint8 else 65535
    pixels = rng.integers(0, top + 1, size=(20, 30, bands)).astype(dtype)
    return pyvips.Image.new_from_array(pixels).copy(
        interpretation="srgb" if dtype == np.uint8 else "rgb16"
    )


@pytest.mark.parametrize(("dtype", "fmt"), [(np.uint8, "uchar"), (np.uint16, "ushort")])
def test_output_keeps_size_bands_and_format(dtype: type, fmt: str) -> None:
    source = image(dtype)
    out = apply_preset(source, LOOK, 80)
    assert (out.width, out.height, out.bands, out.format) == (30, 20, 3, fmt)
    assert out.interpretation == source.interpretation
    assert not np.array_equal(out.numpy(), source.numpy())


def test_metadata_is_carried_over() -> None:
    source = image().copy()
    source.set_type(pyvips.GValue.gstr_type, "exif-ifd0-Make", "Canon (Canon, Ascii, 6 components)")
    source.set_type(pyvips.GValue.gint_type, "orientation", 1)
    source.set_type(pyvips.GValue.blob_type, "icc-profile-data", b"not really a profile")
    out = apply_preset(source, LOOK, 100)
    assert out.get("exif-ifd0-Make").startswith("Canon")
    assert out.get("icc-profile-data") == b"not really a profile"
    assert out.get("orientation") == 1


def test_developed_pixels_outlive_the_input() -> None:
    source = image()
    expected = apply_preset(source, LOOK, 100).numpy()
    out = apply_preset(image(), LOOK, 100)
    del source
    gc.collect()
    assert np.array_equal(out.numpy(), expected)


@pytest.mark.parametrize("bad", ["alpha", "float"])
def test_refuses_pixels_it_does_not_take(bad: str) -> None:
    source = image(bands=4) if bad == "alpha" else image().cast("float")
    with pytest.raises(ValueError, match="3-band uchar or ushort"):
        apply_preset(source, LOOK, 100)


def test_blend_outside_0_100_is_clamped() -> None:
    source = image()
    assert np.array_equal(apply_preset(source, LOOK, -5).numpy(), source.numpy())
    assert np.array_equal(
        apply_preset(source, LOOK, 250).numpy(), apply_preset(source, LOOK, 100).numpy()
    )


def test_in_place_develops_the_callers_buffer_like_apply_preset() -> None:
    preset = Preset("warm", {"Exposure2012": 0.5, "IncrementalTemperature": 20})
    source = image()
    expected = apply_preset(source, preset, 60).numpy()
    pixels = memoryview(bytearray(source.write_to_memory()))
    wrapped = pyvips.Image.new_from_memory(pixels, source.width, source.height, 3, "uchar")
    developed = apply_preset_in_place(wrapped.copy(interpretation="srgb"), pixels, preset, 60)
    assert np.array_equal(developed.numpy(), expected)
    assert np.array_equal(np.frombuffer(pixels, np.uint8), expected.reshape(-1))


def test_in_place_refuses_a_buffer_of_another_size() -> None:
    with pytest.raises(ValueError, match="own pixel buffer"):
        apply_preset_in_place(image(), memoryview(bytearray(10)), Preset("p", {}), 60)
