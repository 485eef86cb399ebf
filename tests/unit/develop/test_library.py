"""PresetLibrary: built-ins plus a scanned user folder, unique names, safe imports."""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from junmai_gui.develop.errors import PresetError
from junmai_gui.develop.library import PresetLibrary
from junmai_gui.develop.loaders import cube as cube_module

XMP = (
    '<x:xmpmeta xmlns:x="adobe:ns:meta/">'
    '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
    '<rdf:Description xmlns:crs="http://ns.adobe.com/camera-raw-settings/1.0/" '
    'crs:Name="{name}" crs:Exposure2012="{exposure}"/></rdf:RDF></x:xmpmeta>'
)
IDENTITY_2 = "LUT_3D_SIZE 2\n" + "\n".join(
    f"{r} {g} {b}" for b in (0, 1) for g in (0, 1) for r in (0, 1)
)


def write_xmp(folder: Path, file_name: str, name: str, exposure: float = 0.5) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / file_name
    path.write_text(XMP.format(name=name, exposure=exposure), encoding="utf-8")
    return path


@pytest.fixture
def user_dir(data_dir: Path) -> Path:
    return data_dir / "presets"


def test_builtins_only_without_a_user_folder() -> None:
    library = PresetLibrary(None)
    assert "WhiteLayer_v4" in library.names()
    assert all(p.source == "builtin" for p in library.presets())
    assert library.problems() == []
    with pytest.raises(PresetError, match="no presets folder"):
        library.import_file(Path("x.xmp"))


def test_a_missing_user_folder_is_not_created_by_scanning(user_dir: Path) -> None:
    library = PresetLibrary(user_dir)
    assert library.names() == PresetLibrary(None).names()
    assert not user_dir.exists()


def test_builtins_do_not_depend_on_the_working_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    assert "Identity" in PresetLibrary(None).names()


def test_user_presets_are_scanned_and_broken_ones_listed(
    user_dir: Path, caplog: pytest.LogCaptureFixture
) -> None:
    write_xmp(user_dir, "bright.xmp", "Bright", 0.7)
    (user_dir / "grade.cube").write_text(IDENTITY_2, encoding="utf-8")
    (user_dir / "broken.xmp").write_text("404: Not Found", encoding="utf-8")
    (user_dir / "empty.cube").touch()
    (user_dir / "README.txt").write_text("not a preset", encoding="utf-8")
    (user_dir / ".hidden.xmp").write_text("junk", encoding="utf-8")
    (user_dir / "sub").mkdir()
    write_xmp(user_dir / "sub", "deep.xmp", "Deep")
    with caplog.at_level(logging.WARNING, logger="junmai_gui.develop.library"):
        library = PresetLibrary(user_dir)
    bright = library.get("Bright")
    assert bright.source == "user"
    assert bright.settings == {"Exposure2012": 0.7}
    assert library.file_of("Bright") == user_dir / "bright.xmp"
    assert library.get("grade").lut is not None
    assert "Deep" not in library.names()
    problems = dict(library.problems())
    assert set(problems) == {str(user_dir / "broken.xmp"), str(user_dir / "empty.cube")}
    assert "does not contain XML" in problems[str(user_dir / "broken.xmp")]
    assert "is empty" in problems[str(user_dir / "empty.cube")]
    assert len([r for r in caplog.records if "broken.xmp" in r.getMessage()]) == 1
    # built-ins first, then user presets
    names = library.names()
    assert names.index("WhiteLayer_v4") < names.index("Bright")


def test_name_clashes_get_user_suffixes(user_dir: Path) -> None:
    write_xmp(user_dir, "a.xmp", "WhiteLayer_v4", 1.0)
    write_xmp(user_dir, "b.xmp", "WhiteLayer_v4", 2.0)
    write_xmp(user_dir, "c.xmp", "Mine", 3.0)
    write_xmp(user_dir, "d.xmp", "Mine", 4.0)
    library = PresetLibrary(user_dir)
    assert library.get("WhiteLayer_v4").source == "builtin"
    assert library.get("WhiteLayer_v4 (user)").settings["Exposure2012"] == 1.0
    assert library.get("WhiteLayer_v4 (user 2)").settings["Exposure2012"] == 2.0
    assert library.get("Mine").settings["Exposure2012"] == 3.0
    renamed = library.get("Mine (user)")
    assert renamed.settings["Exposure2012"] == 4.0
    assert any("Renamed" in w for w in renamed.warnings)
    assert len(library.names()) == len(set(library.names()))


def test_get_unknown_name_and_case_insensitive_match(user_dir: Path) -> None:
    library = PresetLibrary(user_dir)
    with pytest.raises(PresetError) as caught:
        library.get("Nope")
    assert caught.value.message == 'No preset named "Nope".'
    assert library.get("whitelayer_v4").name == "WhiteLayer_v4"


def test_import_copies_then_returns_the_preset(tmp_path: Path, user_dir: Path) -> None:
    source = write_xmp(tmp_path / "downloads", "soft.xmp", "Soft", 0.3)
    library = PresetLibrary(user_dir)
    preset = library.import_file(source)
    assert preset.name == "Soft"
    assert preset.source == "user"
    assert (user_dir / "soft.xmp").read_bytes() == source.read_bytes()
    assert "Soft" in library.names()
    assert sorted(p.name for p in user_dir.iterdir()) == ["soft.xmp"]  # no temporary file left


def test_importing_the_same_file_twice_does_not_copy_it_again(
    tmp_path: Path, user_dir: Path
) -> None:
    source = write_xmp(tmp_path, "soft.xmp", "Soft")
    library = PresetLibrary(user_dir)
    library.import_file(source)
    again = library.import_file(source)
    assert again.name == "Soft"
    assert sorted(p.name for p in user_dir.iterdir()) == ["soft.xmp"]


def test_import_never_overwrites_a_different_file(tmp_path: Path, user_dir: Path) -> None:
    first = write_xmp(tmp_path / "a", "look.xmp", "Look A", 0.1)
    second = write_xmp(tmp_path / "b", "look.xmp", "Look B", 0.2)
    library = PresetLibrary(user_dir)
    library.import_file(first)
    imported = library.import_file(second)
    assert imported.name == "Look B"
    assert (user_dir / "look.xmp").read_bytes() == first.read_bytes()
    assert (user_dir / "look (2).xmp").read_bytes() == second.read_bytes()
    assert {"Look A", "Look B"} <= set(library.names())


def test_a_broken_file_is_refused_before_anything_is_copied(tmp_path: Path, user_dir: Path) -> None:
    source = tmp_path / "bad.cube"
    source.write_text("LUT_3D_SIZE 2\n0 0 0\n", encoding="utf-8")
    library = PresetLibrary(user_dir)
    with pytest.raises(PresetError) as caught:
        library.import_file(source)
    assert '"bad.cube"' in caught.value.message
    assert not user_dir.exists() or list(user_dir.iterdir()) == []


def test_importing_a_json_preset_brings_its_lut(tmp_path: Path, user_dir: Path) -> None:
    folder = tmp_path / "kit"
    folder.mkdir()
    (folder / "grade.cube").write_text(IDENTITY_2, encoding="utf-8")
    document = {"format": "junmai-preset", "version": 1, "name": "Kit", "lut": "grade.cube"}
    (folder / "kit.json").write_text(json.dumps(document), encoding="utf-8")
    user_dir.mkdir()
    (user_dir / "grade.cube").write_text("LUT_3D_SIZE 2\n" + "1 1 1\n" * 8, encoding="utf-8")
    library = PresetLibrary(user_dir)
    preset = library.import_file(folder / "kit.json")
    assert preset.name == "Kit"
    assert preset.lut is not None
    assert preset.lut.table[0, 0, 0].tolist() == [0, 0, 0]  # its own LUT, not the other one
    copied = json.loads((user_dir / "kit.json").read_text(encoding="utf-8"))
    assert copied["lut"] == "grade (2).cube"
    # the LUT that belongs to the JSON preset is not offered as a preset of its own
    assert "grade (2)" not in library.names()
    assert "grade" in library.names()


def test_reload_sees_new_and_removed_files(user_dir: Path) -> None:
    library = PresetLibrary(user_dir)
    path = write_xmp(user_dir, "later.xmp", "Later")
    assert "Later" not in library.names()
    library.reload()
    assert "Later" in library.names()
    path.unlink()
    library.reload()
    assert "Later" not in library.names()


def test_an_unexpected_loader_failure_is_a_problem_not_a_crash(
    user_dir: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    write_xmp(user_dir, "fine.xmp", "Fine")
    write_xmp(user_dir, "boom.xmp", "Boom")
    import junmai_gui.develop.library as library_module

    real = library_module.load_preset_file

    def flaky(path: str | Path, luts: Any) -> object:
        if Path(path).name == "boom.xmp":
            raise ValueError("a bug")
        return real(path, luts)

    monkeypatch.setattr(library_module, "load_preset_file", flaky)
    with caplog.at_level(logging.ERROR, logger="junmai_gui.develop.library"):
        library = PresetLibrary(user_dir)
    assert "Fine" in library.names()
    assert dict(library.problems()) == {str(user_dir / "boom.xmp"): '"boom.xmp" could not be read.'}


def test_a_copy_that_fails_is_a_preset_error(tmp_path: Path, user_dir: Path) -> None:
    source = write_xmp(tmp_path, "soft.xmp", "Soft")
    user_dir.parent.mkdir(parents=True, exist_ok=True)
    user_dir.write_text("a file where the folder should be", encoding="utf-8")
    library = PresetLibrary(user_dir)
    with pytest.raises(PresetError) as caught:
        library.import_file(source)
    assert '"soft.xmp" could not be copied' in caught.value.message


HOSTILE_FILES = {
    "deep.json": b"[" * 200_000 + b"]" * 200_000,
    "nan.cube": b"LUT_3D_SIZE 2\n" + b"0 0 0\n" * 7 + b"nan 0 0\n",
    "narrow.cube": b"LUT_3D_SIZE 2\nDOMAIN_MAX 1e-300 1 1\n" + b"0 0 0\n" * 8,
    "huge.json": b'{"format": "junmai-preset", "version": 1, "lut": "x.cube", "default_blend": '
    + b"9" * 4000
    + b"}",
}


def test_hostile_files_are_listed_with_their_reasons_and_the_rest_loads(user_dir: Path) -> None:
    user_dir.mkdir(parents=True)
    for name, content in HOSTILE_FILES.items():
        (user_dir / name).write_bytes(content)
    write_xmp(user_dir, "fine.xmp", "Fine")
    library = PresetLibrary(user_dir)
    assert "Fine" in library.names() and "WhiteLayer_v4" in library.names()
    problems = dict(library.problems())
    assert set(problems) == {str(user_dir / name) for name in HOSTILE_FILES}
    assert "nested too deeply" in problems[str(user_dir / "deep.json")]
    assert "nan" in problems[str(user_dir / "nan.cube")]
    assert "DOMAIN_MIN/DOMAIN_MAX" in problems[str(user_dir / "narrow.cube")]
    assert "default_blend" in problems[str(user_dir / "huge.json")]


def cube_of(value: float) -> str:
    return "LUT_3D_SIZE 2\n" + "\n".join(
        f"{r * value} {g} {b}" for b in (0, 1) for g in (0, 1) for r in (0, 1)
    )


def test_a_lut_is_parsed_once_then_read_from_the_cache(
    user_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = tmp_path / "cache"
    user_dir.mkdir(parents=True)
    (user_dir / "look.cube").write_text(cube_of(0.5), encoding="utf-8")
    first = PresetLibrary(user_dir, cache).get("look").lut
    assert first is not None
    entries = sorted(p.suffix for p in cache.iterdir())
    assert entries == [".json", ".npy"]

    def no_parsing(text: str, label: str) -> object:
        raise AssertionError("a LUT in the cache was parsed again")

    monkeypatch.setattr(cube_module, "parse_cube", no_parsing)
    again = PresetLibrary(user_dir, cache).get("look").lut  # the next launch
    assert again is not None and not again.table.flags.writeable
    np.testing.assert_array_equal(again.table, first.table)
    monkeypatch.undo()
    assert again.table[1, 0, 0, 0] == 0.5

    (user_dir / "look.cube").write_text(cube_of(0.25), encoding="utf-8")  # new content
    changed = PresetLibrary(user_dir, cache).get("look").lut
    assert changed is not None and changed.table[1, 0, 0, 0] == 0.25
    assert len(list(cache.iterdir())) == 2  # the old entry is gone

    (user_dir / "look.cube").unlink()
    PresetLibrary(user_dir, cache)
    assert list(cache.iterdir()) == []


def test_a_damaged_cache_entry_is_parsed_again(user_dir: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    user_dir.mkdir(parents=True)
    (user_dir / "look.cube").write_text(cube_of(0.5), encoding="utf-8")
    PresetLibrary(user_dir, cache)
    for entry in cache.glob("*.npy"):
        entry.write_bytes(entry.read_bytes()[:40])
    lut = PresetLibrary(user_dir, cache).get("look").lut
    assert lut is not None and lut.table[1, 0, 0, 0] == 0.5


def test_a_refused_lut_is_remembered_with_its_reason(user_dir: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    user_dir.mkdir(parents=True)
    (user_dir / "bad.cube").write_bytes(HOSTILE_FILES["nan.cube"])
    first = PresetLibrary(user_dir, cache).problems()
    (entry,) = cache.glob("*.json")
    assert "nan" in json.loads(entry.read_text())["error"]
    assert PresetLibrary(user_dir, cache).problems() == first


def test_an_unwritable_cache_folder_only_costs_speed(user_dir: Path, tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x", encoding="utf-8")
    user_dir.mkdir(parents=True)
    (user_dir / "look.cube").write_text(cube_of(0.5), encoding="utf-8")
    lut = PresetLibrary(user_dir, blocker / "cache").get("look").lut
    assert lut is not None and lut.table[1, 0, 0, 0] == 0.5
