"""`junmai-farm worker`, `hub` and `status` as a studio runs them: JSON only, a clear
sentence for a wrong password, path maps and output roots, a password off loopback."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from junmai_gui.develop.jobs import PhotoJob, Recipe
from junmai_gui.develop.library import PresetLibrary
from junmai_gui.develop.output import OutputOptions
from junmai_gui.develop.preset_cache import preset_payload
from junmai_gui.farm import hub, protocol
from junmai_gui.farm.celery_app import make_celery
from junmai_gui.farm.placement import PathMap, Placement
from tests.photos import make_photos
from tests.unit.farm.conftest import Farm
from tests.unit.farm.helpers import farm_command, wait_until

pytestmark = pytest.mark.skipif(os.name == "nt", reason="the bundled broker is Linux/macOS")


def _job(photo: Path, output: Path) -> tuple[PhotoJob, bytes]:
    preset = PresetLibrary(None).get("Identity")
    recipe = Recipe(preset.name, preset.content_hash, 100.0, OutputOptions())
    job = PhotoJob(f"batch_{uuid.uuid4().hex[:12]}", 1, str(photo), str(output), recipe)
    return job, json.dumps(preset_payload(preset)).encode()


@pytest.mark.slow
def test_a_pickled_message_on_the_queue_is_refused_and_never_executed(
    live_farm: Farm, out_dir: Path, tmp_path: Path
) -> None:
    (photo,) = make_photos(tmp_path / "in", 1)
    pickled_job, payload = _job(photo, out_dir / "pickled.jpg")
    json_job, _ = _job(photo, out_dir / "json.jpg")
    client = live_farm.hub.client()
    client.set(protocol.preset_key(pickled_job.recipe.preset_hash), payload)
    stream = f"junmai:results:test-{uuid.uuid4().hex[:8]}"
    celery = make_celery(live_farm.hub.url)
    for job, serializer in ((pickled_job, "pickle"), (json_job, "json")):
        run = protocol.new_run_token()
        client.hset(protocol.BATCHES_KEY, job.batch_id, run)
        celery.send_task(
            protocol.TASK_NAME,
            kwargs={"job": job.to_dict(), "run": run, "reply_to": stream},
            serializer=serializer,
        )
    wait_until(lambda: client.xlen(stream) >= 1, 60, "the JSON task's result")
    logs = lambda: "".join(w.text() for w in live_farm.workers.values())  # noqa: E731
    wait_until(lambda: "pickle" in logs(), 60, "the refusal in a worker's log")
    assert "ContentDisallowed" in logs() or "untrusted content" in logs()
    entries = client.xrange(stream)
    assert len(entries) == 1
    assert json.loads(entries[0][1][b"result"])["batch_id"] == json_job.batch_id
    assert (out_dir / "json.jpg").exists() and not (out_dir / "pickled.jpg").exists()
    assert not protocol.read_starts(client, pickled_job.batch_id)
    client.close()


def test_a_wrong_password_stops_the_worker_with_a_sentence(farm: Farm, tmp_path: Path) -> None:
    wrong = farm.hub.url.replace("redis://:", "redis://:wrong", 1)
    done = subprocess.run(
        [*farm_command(), "worker", "--broker", wrong, "--allow-output-root", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 1
    assert "refused the password in the farm URL" in done.stderr
    assert "wrong" not in done.stderr  # the password is never printed


def test_status_lists_the_workers_and_the_queue(live_farm: Farm) -> None:
    done = subprocess.run(
        [*farm_command(), "status", "--broker", live_farm.hub.url, "--json"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    body = json.loads(done.stdout)
    names = {w["name"] for w in body["workers"]}
    assert {"w1", "w2"} <= names
    assert body["computers"] == 1 and body["queued"] >= 0
    assert all(w["concurrency"] == 1 for w in body["workers"])


def test_the_hub_refuses_a_network_address_without_a_password(tmp_path: Path) -> None:
    done = subprocess.run(
        [*farm_command(), "hub", "--bind", "0.0.0.0", "--no-password", "--data-dir", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2
    assert "Refusing to listen on 0.0.0.0 without a password" in done.stderr
    assert hub.is_loopback("127.0.0.1") and hub.is_loopback("::1")
    assert not hub.is_loopback("192.168.1.20")


def test_the_hub_keeps_its_password_so_its_url_survives_a_restart(farm: Farm) -> None:
    password = (farm.hub.folder / hub.PASSWORD_FILE).read_text().strip()
    assert farm.hub.url == f"redis://:{password}@127.0.0.1:{farm.hub.port}/0"
    assert (farm.hub.folder / hub.PASSWORD_FILE).stat().st_mode & 0o077 == 0
    assert protocol.check_connection(farm.hub.url) is None


def test_path_maps_translate_the_longest_prefix_and_outputs_stay_in_their_roots(
    tmp_path: Path,
) -> None:
    root = tmp_path / "studio"
    (root / "out").mkdir(parents=True)
    placement = Placement(
        [PathMap.parse("/Volumes/Studio=" + str(root)), PathMap.parse(r"S:\Raw=/mnt/raw")],
        [root / "out"],
    )
    assert placement.local("/Volumes/Studio/2025/a.jpg") == str(root / "2025" / "a.jpg")
    assert placement.local(r"S:\Raw\day 1\b.cr3") == "/mnt/raw/day 1/b.cr3"
    assert placement.local("/Volumes/Studio2/c.jpg") == "/Volumes/Studio2/c.jpg"
    assert placement.output_allowed(str(root / "out" / "x.jpg"))
    assert not placement.output_allowed(str(root / "out" / ".." / "x.jpg"))
    assert not placement.output_allowed("/etc/x.jpg")
    with pytest.raises(ValueError, match="is not APP_PREFIX=WORKER_PREFIX"):
        PathMap.parse("/Volumes/Studio")


def test_farm_urls_are_checked_and_their_passwords_never_shown() -> None:
    assert protocol.url_problem("redis://:secret@render.local:6380/0") is None
    problem = protocol.url_problem("http://:secret@render.local/")
    assert problem is not None and "secret" not in problem
    assert protocol.redacted("redis://:secret@h:6380/0") == "redis://:***@h:6380/0"


def test_the_worker_loads_no_qt_no_store_and_no_controller() -> None:
    """What a render computer imports (the import-linter contract says so statically)."""
    code = (
        "import sys, junmai_gui.farm.cli, junmai_gui.farm.worker, junmai_gui.farm.tasks\n"
        "bad = [m for m in sys.modules if m.split('.')[0] in ('PySide6', 'shiboken6', 'qasync',"
        " 'aiohttp') or m.startswith(('junmai_gui.store', 'junmai_gui.controller',"
        " 'junmai_gui.views', 'junmai_gui.api'))]\n"
        "print(bad)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"
