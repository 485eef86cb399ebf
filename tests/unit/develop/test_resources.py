"""Running out of open files while developing: a `ResourceError` (pause the batch), never a
failed photo. The red-team case: 1,100 idle connections to the API used up the process's
file table, and 827 photos failed "Too many open files".

Each case runs in a child process whose file table is really full: its limit is lowered and
every free descriptor taken, after one photo was developed to load every module first.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import pyvips

CHILD = r"""
import json, os, resource, sys
from pathlib import Path
from junmai_gui.develop.engine import OutputOptions, develop_photo
from junmai_gui.develop.files import write_bytes_atomically
from junmai_gui.develop.library import PresetLibrary

source, out = Path(sys.argv[1]), Path(sys.argv[2])
preset = PresetLibrary(None).get("WhiteLayer_v4")
develop_photo(source, out / "warm.jpg", preset, 60, OutputOptions())  # loads every module
decoded_first = __import__("junmai_gui.develop.decode", fromlist=["decode_photo"])
resource.setrlimit(resource.RLIMIT_NOFILE, (64, resource.getrlimit(resource.RLIMIT_NOFILE)[1]))
held = []
while True:
    try:
        held.append(os.open(os.devnull, os.O_RDONLY))
    except OSError:
        break
results = {}
for name, call in (
    ("develop", lambda: develop_photo(source, out / "IMG.jpg", preset, 60, OutputOptions())),
    ("decode", lambda: decoded_first.decode_photo(source)),
    ("write", lambda: write_bytes_atomically(out / "bytes.jpg", b"x")),
):
    try:
        call()
        results[name] = ["ok", ""]
    except Exception as exc:
        results[name] = [type(exc).__name__, getattr(exc, "message", str(exc))]
for fd in held:
    os.close(fd)
results["left"] = sorted(p.name for p in out.iterdir())
print(json.dumps(results))
"""


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX file-descriptor limits")
def test_a_full_file_table_is_a_resource_error_not_a_failed_photo(tmp_path: Path) -> None:
    source = tmp_path / "IMG_0001.jpg"
    (pyvips.Image.black(96, 64, bands=3) + 90).cast("uchar").jpegsave(str(source))
    out = tmp_path / "out"
    out.mkdir()
    done = subprocess.run(
        [sys.executable, "-c", CHILD, str(source), str(out)],
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    results = json.loads(done.stdout)
    for name in ("develop", "decode", "write"):
        kind, message = results[name]
        assert kind == "ResourceError", (name, kind, message)
        assert "ran out of open files" in message
    assert "opening IMG_0001.jpg" in results["develop"][1]
    assert "writing bytes.jpg" in results["write"][1]
    assert results["left"] == ["warm.jpg"]  # nothing half-written
