"""AutoDev's Python client, and `junmai-batch`, against a real headless app (a subprocess)."""

from __future__ import annotations

import json
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import pyvips
import requests

from junmai_gui.api import cli
from tests.photos import make_photos
from tests.unit.api.headless_app import HeadlessApp, free_port, start_headless_app


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[HeadlessApp]:
    running = start_headless_app(tmp_path_factory.mktemp("headless"))
    yield running
    running.kill()


def _poll_status(app: HeadlessApp, batch_id: str, wanted: str, timeout: float = 60) -> Any:
    deadline = time.monotonic() + timeout
    while True:
        status = requests.get(
            f"{app.url}/batch/{batch_id}/status", headers=app.headers, timeout=10
        ).json()
        if status["status"] == wanted:
            return status
        assert time.monotonic() < deadline, f"{batch_id} stayed {status['status']}"
        try:  # a short interval in a bounded loop; ends early only if the app died
            app.process.wait(timeout=0.02)
        except subprocess.TimeoutExpired:
            continue
        raise AssertionError(f"the app died: {app.log.read_text()[-2000:]}")


def test_the_autodev_python_client(app: HeadlessApp, tmp_path: Path) -> None:
    """The AutoDev contract's example verbatim, plus the Authorization header (and our port)."""
    first = requests.post(
        f"{app.url}/photos/import",
        json={"paths": [str(p) for p in make_photos(tmp_path / "five", 5)]},
        headers=app.headers,
        timeout=30,
    ).json()
    assert first["photo_ids"] == [1, 2, 3, 4, 5]
    # Two large photos keep both workers busy, so the example's batch is still running
    # when it pauses it.
    big = tmp_path / "big"
    big.mkdir()
    for n in range(2):
        image = pyvips.Image.black(3000, 2000).new_from_image([40 * n, 90, 160])
        image.cast("uchar").jpegsave(str(big / f"big_{n}.jpg"))
    blocker = requests.post(
        f"{app.url}/batch/start",
        json={"photo_paths": [str(big)], "config": {"preset": "Identity"}},
        headers=app.headers,
        timeout=30,
    ).json()["batch_id"]

    # --- the AutoDev contract's example ---------------------------------------------------------
    BASE_URL = f"http://localhost:{app.port}"  # as in the AutoDev contract
    HEADERS = {"Authorization": f"Bearer {app.token}"}

    # Start a batch
    response = requests.post(
        f"{BASE_URL}/batch/start",
        json={"photo_ids": [1, 2, 3, 4, 5], "session_id": 123},
        headers=HEADERS,
    )
    batch_id = response.json()["batch_id"]

    # Monitor progress
    status = requests.get(f"{BASE_URL}/batch/{batch_id}/status", headers=HEADERS).json()
    print(f"Progress: {status['progress_percent']}%")

    # Pause if needed
    paused = requests.post(f"{BASE_URL}/batch/{batch_id}/pause", headers=HEADERS)

    # Resume later
    resumed = requests.post(f"{BASE_URL}/batch/{batch_id}/resume", headers=HEADERS)
    # --------------------------------------------------------------------------------------

    assert response.status_code == 200
    assert response.json() == {
        "message": "Batch processing started",
        "batch_id": batch_id,
        "photo_count": 5,
    }
    assert status["status"] == "running" and status["session_id"] == 123
    assert status["progress_percent"] == 0.0
    assert paused.status_code == 200, paused.text
    assert paused.json() == {"message": "Batch paused successfully", "batch_id": batch_id}
    assert resumed.status_code == 200, resumed.text
    assert resumed.json() == {"message": "Batch resumed successfully", "batch_id": batch_id}
    cancelled = requests.post(f"{BASE_URL}/batch/{blocker}/cancel", headers=HEADERS)
    assert cancelled.json() == {"message": "Batch cancelled successfully", "batch_id": blocker}
    done = _poll_status(app, batch_id, "completed")
    assert done["processed_count"] == 5 and done["progress_percent"] == 100.0
    assert len(list(app.output_dir.rglob("*.jpg"))) >= 5


def _cli(capsys: pytest.CaptureFixture[str], app: HeadlessApp, *args: str) -> tuple[int, str, str]:
    code = cli.main(["--data-dir", str(app.data_dir), *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_junmai_batch_start_watch_status_list(
    app: HeadlessApp, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    make_photos(tmp_path / "cli", 3)
    out_dir = tmp_path / "cli-out"
    code, out, err = _cli(
        capsys, app, "start", str(tmp_path / "cli"), "--preset", "Identity", "--blend", "50",
        "--out", str(out_dir), "--json",
    )  # fmt: skip
    assert code == 0, err
    started = json.loads(out)
    assert started["message"] == "Batch processing started" and started["photo_count"] == 3
    batch_id = started["batch_id"]

    code, out, err = _cli(capsys, app, "watch", batch_id)  # the port comes from settings
    assert code == 0, err
    assert out.strip().endswith(f"Batch {batch_id} completed")
    assert "100.0%" in out
    assert len(list(out_dir.glob("*.jpg"))) == 3

    code, out, _ = _cli(capsys, app, "watch", batch_id, "--json")  # already finished
    assert code == 0
    assert [json.loads(line)["batch"]["status"] for line in out.splitlines()] == ["completed"]
    code, out, _ = _cli(capsys, app, "status", batch_id, "--json")
    assert code == 0 and json.loads(out)["status"] == "completed"
    code, out, _ = _cli(capsys, app, "status", batch_id)
    assert code == 0 and "3 of 3 photos done" in out
    code, out, _ = _cli(capsys, app, "list")
    assert code == 0 and batch_id in out and "completed" in out
    code, out, _ = _cli(capsys, app, "list", "--json")
    assert code == 0 and batch_id in [b["batch_id"] for b in json.loads(out)["batches"]]

    code, out, err = _cli(capsys, app, "pause", batch_id)
    assert code == 1
    assert "Failed to pause batch" in err and "completed" in err
    code, out, err = _cli(capsys, app, "retry-failed", batch_id, "--json")
    assert code == 1 and json.loads(out)["error"] == "Failed to retry failed photos"
    code, out, _ = _cli(capsys, app, "status", "batch_000000000000")
    assert code == 1
    code, out, err = _cli(capsys, app, "recover")
    assert code == 0 and "Batch recovery completed" in out
    code, out, err = _cli(capsys, app, "cleanup", "--days", "30", "--json")
    assert code == 0 and json.loads(out) == {
        "message": "Batch cleanup completed",
        "cleaned_count": 0,
        "days_old": 30,
    }


def test_junmai_batch_pause_resume_cancel(
    app: HeadlessApp, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    big = tmp_path / "held"
    big.mkdir()
    for n in range(3):
        image = pyvips.Image.black(2500, 2000).new_from_image([n, 2, 3])
        image.cast("uchar").jpegsave(str(big / f"{n}.jpg"))
    code, out, err = _cli(capsys, app, "start", str(big), "--preset", "Identity", "--json")
    assert code == 0, err
    batch_id = json.loads(out)["batch_id"]
    code, out, err = _cli(capsys, app, "pause", batch_id)
    assert (code, out.strip()) == (0, "Batch paused successfully"), err
    code, out, err = _cli(capsys, app, "resume", batch_id)
    assert (code, out.strip()) == (0, "Batch resumed successfully"), err
    code, out, err = _cli(capsys, app, "cancel", batch_id)
    assert (code, out.strip()) == (0, "Batch cancelled successfully"), err
    code, out, err = _cli(capsys, app, "watch", batch_id)
    assert code == 1 and "cancelled" in out


def test_junmai_batch_says_when_the_app_is_not_running(
    app: HeadlessApp, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = _cli(capsys, app, "--port", str(free_port()), "list")
    assert code == cli.EXIT_NOT_RUNNING
    assert "not running" in err
    empty = tmp_path / "never-ran"
    empty.mkdir()
    code = cli.main(["--data-dir", str(empty), "list"])
    _, err = capsys.readouterr()
    assert code == cli.EXIT_NOT_RUNNING and "No API token" in err
    assert app.token not in err


def test_junmai_batch_start_with_several_outputs_and_a_naming_template(
    app: HeadlessApp, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    make_photos(tmp_path / "multi", 2)
    out_dir = tmp_path / "multi-out"
    code, _, err = _cli(
        capsys, app, "start", str(tmp_path / "multi"), "--preset", "Identity",
        "--out", str(out_dir), "--naming", "{seq:03}_{stem}", "--watch",
        "--output", "jpeg,quality=90",
        "--output", "jpeg,long_edge=16,subfolder=web,naming=small/{stem}",
        "--output", "png,bit_depth=16",
    )  # fmt: skip
    assert code == 0, err
    written = sorted(str(p.relative_to(out_dir)) for p in out_dir.rglob("*") if p.is_file())
    assert written == [
        "001_photo_000.jpg", "001_photo_000.png", "002_photo_001.jpg", "002_photo_001.png",
        "web/small/photo_000.jpg", "web/small/photo_001.jpg",
    ]  # fmt: skip
    assert pyvips.Image.new_from_file(str(out_dir / "001_photo_000.png")).format == "ushort"
    for wrong, words in (
        (["--output", "jpeg"], "--preset or --template"),
        (["--preset", "Identity", "--output", "tiff,quality=x"], "quality must be a whole number"),
    ):
        with pytest.raises(SystemExit) as usage:
            _cli(capsys, app, "start", str(tmp_path / "multi"), *wrong)
        assert usage.value.code == 2 and words in capsys.readouterr().err
