"""BatchConfig accepts the AutoDev contract's config and names every problem of a bad one."""

from __future__ import annotations

import pytest

from junmai_gui.domain.config import BatchConfig
from junmai_gui.domain.errors import InvalidBatchError


def test_autodev_config_with_defaults_and_extras() -> None:
    config = BatchConfig.from_dict({"preset": "WhiteLayer_v4", "blend": 60, "note": "x"})
    assert config.blend == 60 and config.format == "jpeg" and config.quality == 92
    assert config.extra == {"note": "x"}
    assert config.to_dict()["note"] == "x"
    assert BatchConfig.from_dict(config.to_dict()) == config


@pytest.mark.parametrize(
    ("data", "words"),
    [
        ({"blend": 60}, "needs a preset"),
        ({"preset": " "}, "Choose a preset"),
        ({"preset": "p", "blend": 101}, "Blend must be from 0 to 100"),
        ({"preset": "p", "blend": "60"}, "Blend must be a number"),
        ({"preset": "p", "blend": True}, "Blend must be a number"),
        ({"preset": "p", "format": "gif"}, "Unknown output format"),
        ({"preset": "p", "quality": 0}, "Quality"),
        ({"preset": "p", "quality": 9.5}, "Quality"),
        ({"preset": "p", "bit_depth": 12}, "Bit depth"),
        ({"preset": "p", "bit_depth": 16}, "16-bit output needs TIFF or PNG"),
        ({"preset": "p", "on_conflict": "merge"}, "Unknown conflict policy"),
        ({"preset": "p", "naming": "out"}, "naming template"),
        ({"preset": "p", "long_edge": 8}, "Long edge"),
        # types are strict: nothing is guessed from a look-alike
        ({"preset": "p", "format": "tiff", "bit_depth": 16.0}, "Bit depth"),
        ({"preset": "p", "quality": 92.0}, "Quality"),
        ({"preset": "p", "long_edge": 2048.0}, "Long edge"),
        ({"preset": "p", "xmp_sidecar": "yes"}, "xmp_sidecar must be true or false"),
        ({"preset": "p", "keep_profile": 1}, "keep_profile must be true or false"),
        ({"preset": "p", "blend": float("nan")}, "Blend must be a number"),
        ({"preset": "p", "output_dir": "relative/out"}, "absolute folder path"),
        ({"preset": "p", "output_dir": "/out\x00"}, "absolute folder path"),
        ({"preset": "p", "naming": "{stem}{seq:>300000000}"}, "at most 200"),
        ({"preset": "p", "naming": ["{stem}"]}, "must be text"),
    ],
)
def test_each_problem_is_named(data: dict[str, object], words: str) -> None:
    with pytest.raises(InvalidBatchError, match=words):
        BatchConfig.from_dict(data)


def test_all_problems_are_reported_together() -> None:
    with pytest.raises(InvalidBatchError) as caught:
        BatchConfig.from_dict({"preset": "p", "quality": 0, "format": "gif"})
    assert "Quality" in str(caught.value) and "output format" in str(caught.value)


def test_not_an_object_is_refused() -> None:
    with pytest.raises(InvalidBatchError, match="JSON object"):
        BatchConfig.from_dict(["preset"])  # type: ignore[arg-type]


def test_sixteen_bit_tiff_is_fine() -> None:
    assert BatchConfig(preset="p", format="tiff", bit_depth=16).bit_depth == 16
