"""Output names from the template, with the conflict policy, never onto an input."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from junmai_gui.develop.naming import (
    TEMPLATE_PATTERN,
    check_template,
    plan_output_paths,
    sanitize_file_name,
)

DAY = dt.date(2025, 11, 9)


def _plan(sources: list[Path], out: Path, **kwargs: object) -> list[Path | None]:
    options: dict[str, object] = {
        "output_dir": out,
        "naming": "{stem}_{preset}",
        "format": "jpeg",
        "preset_name": "WhiteLayer_v4",
        "batch_id": "batch_abc123",
        "on_conflict": "unique",
        "date": DAY,
    }
    options.update(kwargs)
    return plan_output_paths(sources, **options)  # type: ignore[arg-type]


def test_template_fields_and_extension(tmp_path: Path) -> None:
    sources = [tmp_path / "in" / f"IMG_{i:04d}.CR2" for i in range(1, 13)]
    planned = _plan(sources, tmp_path / "out", naming="{date}_{batch}_{seq}_{stem}_{preset}")
    assert planned[0] == tmp_path / "out" / "2025-11-09_batch_abc123_01_IMG_0001_WhiteLayer_v4.jpg"
    assert planned[11] == tmp_path / "out" / "2025-11-09_batch_abc123_12_IMG_0012_WhiteLayer_v4.jpg"


@pytest.mark.parametrize(
    ("fmt", "ext"), [("jpeg", ".jpg"), ("tiff", ".tif"), ("png", ".png"), ("webp", ".webp")]
)
def test_extension_follows_the_format(tmp_path: Path, fmt: str, ext: str) -> None:
    assert _plan([tmp_path / "a.jpg"], tmp_path / "o", format=fmt)[0] == (
        tmp_path / "o" / f"a_WhiteLayer_v4{ext}"
    )


def test_illegal_characters_are_replaced_and_no_folder_can_be_reached(tmp_path: Path) -> None:
    planned = _plan([tmp_path / "a.jpg"], tmp_path / "o", preset_name='../x:y*?"<>|\\z')
    assert planned[0] is not None
    assert planned[0].parent == tmp_path / "o"
    assert planned[0].name == "a_.._x_y_______z.jpg"
    assert sanitize_file_name("..") == "photo"
    assert sanitize_file_name("con") == "_con"
    assert sanitize_file_name("name. ") == "name"


def test_unique_avoids_existing_files_and_the_batch_s_own_names(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "IMG_1_WhiteLayer_v4.jpg").write_bytes(b"x")
    sources = [tmp_path / "day1" / "IMG_1.jpg", tmp_path / "day2" / "IMG_1.jpg"]
    planned = _plan(sources, out)
    assert planned == [out / "IMG_1_WhiteLayer_v4 (2).jpg", out / "IMG_1_WhiteLayer_v4 (3).jpg"]


def test_overwrite_reuses_existing_names_but_keeps_the_batch_distinct(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "IMG_1_WhiteLayer_v4.jpg").write_bytes(b"x")
    sources = [tmp_path / "a" / "IMG_1.jpg", tmp_path / "b" / "IMG_1.jpg"]
    planned = _plan(sources, out, on_conflict="overwrite")
    assert planned == [out / "IMG_1_WhiteLayer_v4.jpg", out / "IMG_1_WhiteLayer_v4 (2).jpg"]


def test_skip_gives_none_when_the_output_exists(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "IMG_1_WhiteLayer_v4.jpg").write_bytes(b"x")
    planned = _plan([tmp_path / "IMG_1.jpg", tmp_path / "IMG_2.jpg"], out, on_conflict="skip")
    assert planned == [None, out / "IMG_2_WhiteLayer_v4.jpg"]


@pytest.mark.parametrize("policy", ["unique", "overwrite", "skip"])
def test_an_input_is_never_overwritten_by_any_policy(tmp_path: Path, policy: str) -> None:
    source = tmp_path / "IMG_1.jpg"
    source.write_bytes(b"the original")
    planned = _plan([source], tmp_path, naming="{stem}", on_conflict=policy)
    assert planned == [tmp_path / "IMG_1 (2).jpg"]


def test_bad_templates_and_policies_are_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="stem"):
        _plan([tmp_path / "a.jpg"], tmp_path, naming="{preset}")
    with pytest.raises(ValueError, match="unknown fields"):
        _plan([tmp_path / "a.jpg"], tmp_path, naming="{stem}_{shutter}")
    with pytest.raises(ValueError, match="malformed"):
        _plan([tmp_path / "a.jpg"], tmp_path, naming="{stem")
    with pytest.raises(ValueError, match="policy"):
        _plan([tmp_path / "a.jpg"], tmp_path, on_conflict="replace")


@settings(max_examples=40, deadline=None)
@given(
    stems=st.lists(
        st.text(alphabet="aAbB1 ._-:/\\*?", min_size=1, max_size=6), min_size=1, max_size=8
    ),
    policy=st.sampled_from(["unique", "overwrite"]),
)
def test_planned_outputs_are_distinct_in_the_folder_and_never_inputs(
    tmp_path_factory: pytest.TempPathFactory, stems: list[str], policy: str
) -> None:
    folder = tmp_path_factory.mktemp("photos")
    sources = [folder / f"{sanitize_file_name(stem)}.jpg" for stem in stems]
    for source in sources:
        source.write_bytes(b"x")
    planned = _plan(sources, folder, naming="{stem}", on_conflict=policy)
    names = [p.name.casefold() for p in planned if p is not None]
    assert len(names) == len(set(names)) == len(sources)
    assert all(p is not None and p.parent == folder for p in planned)
    assert not {p for p in planned if p is not None} & set(sources)


@pytest.mark.parametrize(
    ("naming", "reason"),
    [
        ("{stem}{seq:>300000000}", "a width of 300000000; at most 200"),
        ("{seq:>99999999999999999999}", "a width of 99999999999999999999"),
        ("{stem:.999}", "a precision of 999"),
        ("{stem}{date:%c}", "{date:%c} has a format Junmai does not understand"),
        ("{stem}{date:%Y/%m}", "{date:%Y/%m} has a format Junmai does not understand"),
        ("{stem}{camera:%Y}", "{camera:%Y} has a format Junmai does not understand"),
        ("{stem!r}", "{stem!r} has a format"),
        ("{stem:{seq}}", "has a format"),
        ("{seq:0}", "has a format"),
        ("{stem:,}", "has a format"),
        ("{stem.__class__}", "unknown fields {stem.__class__}"),
        ("{stem[0]}", "unknown fields {stem[0]}"),
        ("{stem}" + "x" * 600, "at most 500 are accepted"),
        ("{stem", "malformed"),
        ("{seq:.3}_{preset}", "must contain {stem} or {seq}"),
        ("{{stem}}_{preset}", "must contain {stem} or {seq}"),
        ("{stem}/{date}", "must contain {stem} or {seq}"),
        ("../{stem}", "cannot be '..'"),
        ("{date}/./{stem}", "cannot be '.'"),
    ],
)
def test_a_template_with_an_unknown_or_unbounded_format_is_refused(
    tmp_path: Path, naming: str, reason: str
) -> None:
    """`{stem}{seq:>300000000}` froze the app for 25 s building 300 MB names."""
    with pytest.raises(ValueError, match=re.escape(reason)):
        check_template(naming)
    with pytest.raises(ValueError, match=re.escape(reason)):
        _plan([tmp_path / "a.jpg"] * 3, tmp_path / "o", naming=naming)


def test_widths_alignments_and_precisions_within_bounds_are_applied(tmp_path: Path) -> None:
    naming = "{seq:0>4}_{stem}_{preset:.5}_{batch:_<14}"
    check_template(naming)
    planned = _plan([tmp_path / "IMG_7.jpg"], tmp_path / "o", naming=naming)
    assert planned[0] == tmp_path / "o" / "0001_IMG_7_White_batch_abc123__.jpg"


TEMPLATE_PIECES = [*"{}:<>^._0129 a/", "stem", "seq", "date", "preset", "camera", "!r"]
TEMPLATE_PIECES += ["%Y", "%c", "300", "..", "\n"]


@settings(max_examples=500, derandomize=True, database=None)
@given(
    st.lists(
        st.sampled_from(TEMPLATE_PIECES),
        max_size=12,
    ).map("".join)
)
def test_the_api_document_s_patterns_accept_exactly_the_templates_naming_accepts(
    naming: str,
) -> None:
    """/openapi.json states the template rules as a regular expression: they must agree."""
    try:
        check_template(naming)
        accepted = True
    except ValueError:
        accepted = False
    assert accepted == bool(re.search(TEMPLATE_PATTERN, naming))
