"""BatchConfig accepts the AutoDev contract's config and names every problem of a bad one."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from junmai_gui.domain.after_batch import carries_command
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


def test_several_outputs_each_with_its_own_settings_round_trip() -> None:
    data = {
        "preset": "WhiteLayer_v4",
        "format": "png",  # not used once outputs are given
        "outputs": [
            {"quality": 92},
            {"long_edge": 2048, "quality": 80, "subfolder": "web"},
            {"format": "tiff", "bit_depth": 16, "naming": "{date:%Y}/{camera}/{stem}"},
        ],
    }
    config = BatchConfig.from_dict(data)
    specs = config.output_specs
    assert [(s.format, s.quality, s.long_edge, s.bit_depth) for s in specs] == [
        ("jpeg", 92, None, 8),
        ("jpeg", 80, 2048, 8),
        ("tiff", 92, None, 16),
    ]
    assert specs[1].naming_path == "web/{stem}_{preset}"
    assert BatchConfig.from_dict(config.to_dict()) == config
    single = BatchConfig.from_dict({"preset": "p", "format": "webp", "long_edge": 900})
    assert [(s.format, s.long_edge, s.subfolder) for s in single.output_specs] == [
        ("webp", 900, "")
    ]
    assert "outputs" not in single.to_dict() and "after" not in single.to_dict()


@pytest.mark.parametrize(
    ("outputs", "words"),
    [
        ("jpeg", "outputs must be a list"),
        (["jpeg"], "Output 1 must be an object"),
        ([{"fromat": "tiff"}], "Output 1 has unknown settings: fromat"),
        ([{}, {"format": "jpeg", "bit_depth": 16}], "Output 2: 16-bit output needs TIFF or PNG"),
        ([{"subfolder": "../up"}], "subfolder must be a folder name inside the output folder"),
        ([{"subfolder": "/abs"}], "subfolder must be a folder name inside the output folder"),
        ([{"naming": "{stem}/{date}"}], "must contain {stem} or {seq}"),
        ([{}] * 9, "at most 8 outputs"),
    ],
)
def test_each_problem_of_an_output_is_named(outputs: object, words: str) -> None:
    with pytest.raises(InvalidBatchError, match=re.escape(words)):
        BatchConfig.from_dict({"preset": "p", "outputs": outputs})


def test_after_batch_actions_are_parsed_and_commands_recognised() -> None:
    data = {
        "preset": "p",
        "after": [
            {"action": "open_folder"},
            {"action": "copy", "folder": "/backup/photos"},
            {"action": "command", "command": "upload --to 'my site'"},
        ],
    }
    config = BatchConfig.from_dict(data)
    assert [a.action for a in config.after] == ["open_folder", "copy", "command"]
    assert config.after[2].command == ("upload", "--to", "my site")
    assert BatchConfig.from_dict(config.to_dict()) == config
    assert carries_command(data)
    assert carries_command({"after": [{"command": ["x"]}]})  # however malformed
    assert not carries_command({"after": [{"action": "copy", "folder": "/x"}]})
    for bad, words in (
        ([{"action": "email"}], "unknown action 'email'"),
        ([{"action": "copy", "folder": "relative"}], "copy needs the absolute path"),
        ([{"action": "command", "command": []}], "command needs the program to run"),
        ([{"action": "open_folder", "folder": "/x"}], "open_folder does not take folder"),
    ):
        with pytest.raises(InvalidBatchError, match=re.escape(words)):
            BatchConfig.from_dict({"preset": "p", "after": bad})


def test_the_schema_leaves_commands_out_and_bounds_the_outputs() -> None:
    schema = BatchConfig.json_schema()
    actions = schema["properties"]["after"]["items"]["oneOf"]
    assert sorted(a["properties"]["action"]["enum"][0] for a in actions) == ["copy", "open_folder"]
    outputs = schema["properties"]["outputs"]
    assert outputs["maxItems"] == 8 and outputs["items"]["additionalProperties"] is False
    assert set(outputs["items"]["properties"]) == {
        "format", "quality", "bit_depth", "long_edge", "naming", "subfolder", "xmp_sidecar"
    }  # fmt: skip


@settings(max_examples=300, derandomize=True, database=None)
@given(st.lists(st.sampled_from(["a", "/", "\\", ".", "..", " ", "\n", "web"]), max_size=8))
def test_the_schema_s_subfolder_pattern_accepts_exactly_the_subfolders_the_config_does(
    parts: list[str],
) -> None:
    subfolder = "".join(parts)
    schema = BatchConfig.json_schema()["properties"]["outputs"]["items"]["properties"]
    try:
        BatchConfig.from_dict({"preset": "p", "outputs": [{"subfolder": subfolder}]})
        accepted = True
    except InvalidBatchError:
        accepted = False
    assert accepted == bool(re.search(schema["subfolder"]["pattern"], subfolder))
