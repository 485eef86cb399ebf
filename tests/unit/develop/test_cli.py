"""`junmai-develop`: exit codes, per-photo lines, JSON rows, preset listing."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import pyvips

from junmai_gui.develop.cli import main


def photo(path: Path, width: int = 48, height: int = 32) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    xy = pyvips.Image.xyz(width, height)
    image = (xy[0] * 5).bandjoin([xy[1] * 7, xy[0] + xy[1]]).cast("uchar")
    image.copy(interpretation="srgb").write_to_file(str(path))
    return path


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    try:
        code = main(list(args))
    except SystemExit as exc:  # argparse usage errors
        code = int(exc.code or 0)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_a_folder_develops_recursively_and_exits_0(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    photo(tmp_path / "in" / "a.jpg")
    photo(tmp_path / "in" / "sub" / "b.png")
    out = tmp_path / "out"
    code, stdout, _ = run(capsys, str(tmp_path / "in"), "--preset", "Identity", "--out", str(out))
    assert code == 0
    assert sorted(p.name for p in out.iterdir()) == ["a_Identity.jpg", "b_Identity.jpg"]
    lines = stdout.splitlines()
    assert lines[0] == f"{tmp_path / 'in' / 'a.jpg'} -> {out / 'a_Identity.jpg'}"
    assert len(lines) == 2


def test_json_rows_and_exit_1_when_a_photo_fails(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    good = photo(tmp_path / "in" / "good.jpg")
    bad = tmp_path / "in" / "bad.jpg"
    bad.write_bytes(b"")
    out = tmp_path / "out"
    code, stdout, _ = run(
        capsys, str(good), str(bad), str(tmp_path / "in" / "missing.jpg"),
        "--preset", "WhiteLayer_v4", "--blend", "60", "--out", str(out),
        "--format", "png", "--long-edge", "24", "--json",
    )  # fmt: skip
    assert code == 1
    rows = [json.loads(line) for line in stdout.splitlines()]
    by_input = {Path(row["input"]).name: row for row in rows}
    assert set(by_input) == {"good.jpg", "bad.jpg", "missing.jpg"}
    assert by_input["good.jpg"]["error"] is None
    output = Path(by_input["good.jpg"]["output"])
    assert output == out / "good_WhiteLayer_v4.png"
    developed = pyvips.Image.new_from_file(str(output))
    assert (developed.width, developed.height) == (24, 16)
    assert by_input["bad.jpg"] == {
        "input": str(bad),
        "output": None,
        "error": "bad.jpg is empty (0 bytes) and could not be decoded",
    }
    assert by_input["missing.jpg"]["error"] == "missing.jpg does not exist"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--preset", "No Such Look"], "No Such Look"),
        (["--preset", "looks/missing.xmp"], "The preset file looks/missing.xmp does not exist"),
        (["--preset", "Identity", "--blend", "150"], "Blend must be from 0 to 100, not 150"),
        (["--preset", "Identity", "--quality", "0"], "Quality"),
        (["--preset", "Identity", "--format", "gif"], "invalid choice"),
        (["--preset", "Identity", "--format", "jpeg", "--bit-depth", "16"], "16-bit"),
        (["--preset", "Identity", "--naming", "{preset}"], "naming template"),
        ([], "--preset is required"),
    ],
)
def test_bad_arguments_exit_2_before_developing_anything(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    source = photo(tmp_path / "a.jpg")
    out = tmp_path / "out"
    code, stdout, stderr = run(capsys, str(source), "--out", str(out), *args)
    assert code == 2
    assert message in stderr
    assert stdout == ""
    assert not out.exists() or not any(out.iterdir())


def test_no_inputs_is_a_usage_error(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, _, stderr = run(capsys, "--preset", "Identity", "--out", str(tmp_path))
    assert code == 2 and "at least one photo" in stderr


def test_a_preset_file_can_be_given_instead_of_a_name(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    xmp = tmp_path / "Bright.xmp"
    xmp.write_text(
        '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF '
        'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description '
        'xmlns:crs="http://ns.adobe.com/camera-raw-settings/1.0/" crs:Name="Bright" '
        'crs:Exposure2012="+0.50"/></rdf:RDF></x:xmpmeta>'
    )
    source = photo(tmp_path / "a.jpg")
    code, stdout, _ = run(capsys, str(source), "--preset", str(xmp), "--out", str(tmp_path / "o"))
    assert code == 0
    assert stdout.strip().endswith("a_Bright.jpg")


def test_list_presets_as_json_includes_built_ins_and_user_presets(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    user = data_dir / "presets"
    user.mkdir(exist_ok=True)
    (user / "Mine.json").write_text(
        json.dumps(
            {
                "format": "junmai-preset",
                "version": 1,
                "name": "Mine",
                "settings": {"Exposure2012": 0.3, "PerspectiveVertical": 10},
            }
        )
    )
    code, stdout, _ = run(capsys, "--list-presets", "--json")
    assert code == 0
    rows = json.loads(stdout)
    assert all(set(row) == {"name", "source", "unsupported_keys"} for row in rows)
    by_name = {row["name"]: row for row in rows}
    assert {"Identity", "WhiteLayer_v4", "Mine"} <= set(by_name)
    assert by_name["Identity"]["source"] == "builtin"
    assert "PerspectiveVertical" in by_name["Mine"]["unsupported_keys"]


def test_list_presets_as_text(capsys: pytest.CaptureFixture[str]) -> None:
    code, stdout, _ = run(capsys, "--list-presets")
    assert code == 0
    assert any(line.startswith("WhiteLayer_v4\t") for line in stdout.splitlines())


def test_the_console_script_writes_the_same_bytes_as_another_process(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Crash recovery re-develops a photo in a new process and expects the same file."""
    source = photo(tmp_path / "IMG_0001.jpg", 300, 200)
    args = [str(source), "--preset", "WhiteLayer_v4", "--blend", "60", "--json"]
    code, stdout, _ = run(capsys, *args, "--out", str(tmp_path / "here"))
    assert code == 0
    here = Path(json.loads(stdout)["output"])
    script = Path(sys.executable).parent / "junmai-develop"
    done = subprocess.run(
        [str(script), *args, "--out", str(tmp_path / "there")],
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    there = Path(json.loads(done.stdout)["output"])
    assert here.name == there.name == "IMG_0001_WhiteLayer_v4.jpg"
    assert here.read_bytes() == there.read_bytes()


def test_what_a_preset_file_carries_but_is_not_applied_is_said_on_stderr(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = photo(tmp_path / "a.jpg")
    preset = tmp_path / "lens.xmp"
    preset.write_text(
        '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF'
        ' xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
        '<rdf:Description xmlns:crs="http://ns.adobe.com/camera-raw-settings/1.0/"'
        ' crs:Exposure2012="+0.50" crs:LensProfileEnable="1" crs:Contrast2012="+250"/>'
        "</rdf:RDF></x:xmpmeta>"
    )
    code, stdout, stderr = run(
        capsys, str(source), "--preset", str(preset), "--out", str(tmp_path / "out"), "--json"
    )
    assert code == 0 and json.loads(stdout)["error"] is None
    lines = stderr.splitlines()
    assert any("not rendered: LensProfileEnable" in line for line in lines)
    assert any("Contrast2012" in line for line in lines)


def test_a_broken_preset_file_exits_2_with_its_reason_and_no_usage_text(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = photo(tmp_path / "a.jpg")
    broken = tmp_path / "broken.xmp"
    broken.write_text("404: Not Found")
    code, stdout, stderr = run(
        capsys, str(source), "--preset", str(broken), "--out", str(tmp_path / "out")
    )
    assert (code, stdout) == (2, "")
    assert stderr.startswith("junmai-develop: ") and "broken.xmp" in stderr
    assert "usage:" not in stderr


def test_list_presets_exits_0_and_names_a_preset_file_it_cannot_read(data_dir: Path) -> None:
    """The red-team case: a JSON preset nested 200,000 levels deep made the command exit 1."""
    user = data_dir / "presets"
    user.mkdir(exist_ok=True)
    (user / "deep.json").write_bytes(b"[" * 200_000 + b"]" * 200_000)
    script = Path(sys.executable).parent / "junmai-develop"
    done = subprocess.run(
        [str(script), "--list-presets"], capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr
    assert any(line.startswith("WhiteLayer_v4\t") for line in done.stdout.splitlines())
    assert 'warning: "deep.json" is not a readable Junmai preset' in done.stderr
    assert "nested too deeply" in done.stderr
    assert "Traceback" not in done.stderr


def test_a_naming_template_with_folders_sorts_the_outputs(
    testdata: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = testdata / "photos" / "exifsamples-Canon_40D.jpg"
    out = tmp_path / "sorted"
    code = main([str(source), "--preset", "Identity", "--out", str(out),
                 "--naming", "{date:%Y}/{camera}/{stem}"])  # fmt: skip
    assert code == 0, capsys.readouterr()
    assert (out / "2008" / "Canon EOS 40D" / "exifsamples-Canon_40D.jpg").is_file()
