"""The composition root as a user meets it: the real `junmai-gui --headless` process."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pyvips
import requests

from junmai_gui.domain.status import BatchStatus, PauseReason
from junmai_gui.store import AppSettings, Store, load_settings, read_token, save_settings
from tests.unit.api.headless_app import HeadlessApp, free_port, start_headless_app


def _tiny_photos(folder: Path, count: int) -> list[str]:
    folder.mkdir(parents=True)
    paths = []
    for index in range(count):
        path = folder / f"IMG_{index:04d}.jpg"
        (pyvips.Image.black(24, 16, bands=3) + index % 255).cast("uchar").jpegsave(str(path))
        paths.append(str(path))
    return paths


def _wait_for_exit(process: subprocess.Popen[bytes], timeout: float = 60.0) -> int:
    return process.wait(timeout=timeout)


def _wait_for_log(log: Path, text: str, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60
    while text not in log.read_text(errors="replace"):
        assert process.poll() is None, f"the app exited: {log.read_text()[-2000:]}"
        assert time.monotonic() < deadline, f"no {text!r} in the log: {log.read_text()[-2000:]}"
        with contextlib.suppress(subprocess.TimeoutExpired):  # bounded poll, liveness check
            process.wait(timeout=0.05)


def test_sigterm_pauses_the_running_batch_for_the_next_launch(tmp_path: Path) -> None:
    app = start_headless_app(tmp_path / "app")
    try:
        photos = _tiny_photos(tmp_path / "photos", 600)
        answer = requests.post(
            f"{app.url}/batch/start",
            headers=app.headers,
            json={"photo_paths": photos, "config": {"preset": "WhiteLayer_v4", "blend": 60}},
            timeout=60,
        )
        assert answer.status_code == 200, answer.text
        batch_id = answer.json()["batch_id"]
        app.process.send_signal(signal.SIGTERM)
        assert _wait_for_exit(app.process) == 0
    finally:
        app.kill()
    store = Store.open(app.data_dir)
    try:
        batch = store.get_batch(batch_id)
        assert batch is not None
        assert batch.status is BatchStatus.PAUSED
        assert batch.pause_reason is PauseReason.APP_QUIT
        assert batch.running_count == 0
        assert batch.processed_count < 600
    finally:
        store.close()


def test_a_second_launch_hands_over_and_exits(tmp_path: Path) -> None:
    app = start_headless_app(tmp_path / "app")
    try:
        second = subprocess.run(
            [sys.executable, "-m", "junmai_gui", "--headless", "--data-dir", str(app.data_dir),
             str(tmp_path)],
            capture_output=True,
            timeout=60,
            env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
        )  # fmt: skip
        assert second.returncode == 0, second.stderr.decode()
        _wait_for_log(app.log, "handed over in headless mode", app.process)
        assert app.process.poll() is None
    finally:
        app.kill()


def test_a_taken_port_leaves_the_app_running_without_the_api(tmp_path: Path) -> None:
    with socket.socket() as squatter:
        squatter.bind(("127.0.0.1", free_port()))
        squatter.listen()
        port = squatter.getsockname()[1]
        data_dir = tmp_path / "app-data"
        data_dir.mkdir()
        save_settings(data_dir, AppSettings(api_port=port, workers=1))
        log = tmp_path / "app.log"
        with open(log, "wb") as sink:
            process = subprocess.Popen(
                [sys.executable, "-m", "junmai_gui", "--headless", "--data-dir", str(data_dir)],
                stdout=sink,
                stderr=subprocess.STDOUT,
                env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
            )
        app = HeadlessApp(process, data_dir, tmp_path, port, "", log)
        try:
            _wait_for_log(log, "could not listen", process)
            _wait_for_log(log, "Running headless", process)
            process.send_signal(signal.SIGTERM)
            assert _wait_for_exit(process) == 0
        finally:
            app.kill()


def _run_headless_until_ready(data_dir: Path, log: Path) -> subprocess.Popen[bytes]:
    save_settings(data_dir, AppSettings(api_port=free_port(), workers=1))
    with open(log, "wb") as sink:
        process = subprocess.Popen(
            [sys.executable, "-m", "junmai_gui", "--headless", "--data-dir", str(data_dir)],
            stdout=sink,
            stderr=subprocess.STDOUT,
            env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
        )
    return process


def test_a_damaged_database_is_set_aside_and_the_app_starts(tmp_path: Path) -> None:
    data_dir = tmp_path / "app-data"
    data_dir.mkdir()
    garbage = b"this is not a database\n" * 100
    (data_dir / "batches.sqlite3").write_bytes(garbage)
    log = tmp_path / "app.log"
    process = _run_headless_until_ready(data_dir, log)
    try:
        _wait_for_log(log, "Running headless", process)
        assert "is damaged and could not be read" in log.read_text()
        kept = list(data_dir.glob("batches.sqlite3.corrupt*"))
        assert len(kept) == 1
        assert kept[0].read_bytes() == garbage
        process.send_signal(signal.SIGTERM)
        assert _wait_for_exit(process) == 0
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


def test_a_foreign_database_is_refused_and_left_untouched(tmp_path: Path) -> None:
    data_dir = tmp_path / "app-data"
    data_dir.mkdir()
    foreign = data_dir / "batches.sqlite3"
    with sqlite3.connect(foreign) as conn:
        conn.execute("CREATE TABLE invoices (id INTEGER PRIMARY KEY)")
    conn.close()
    before = foreign.read_bytes()
    log = tmp_path / "app.log"
    process = _run_headless_until_ready(data_dir, log)
    assert _wait_for_exit(process) == 1
    assert "belongs to another program" in log.read_text()
    assert foreign.read_bytes() == before


def test_the_app_starts_with_unreadable_preset_files_and_skips_them(tmp_path: Path) -> None:
    """The red-team case: a JSON preset nested 200,000 levels deep stopped the app at launch."""

    def hostile_presets(data_dir: Path) -> None:
        presets = data_dir / "presets"
        presets.mkdir()
        (presets / "deep.json").write_bytes(b"[" * 200_000 + b"]" * 200_000)
        (presets / "black.cube").write_bytes(b"LUT_3D_SIZE 2\n" + b"1e308 0 0\n" * 8)
        (presets / "Fine.cube").write_text("LUT_3D_SIZE 2\n" + "0 0 0\n" * 8, encoding="utf-8")

    app = start_headless_app(tmp_path / "app", prepare=hostile_presets)
    try:
        answer = requests.get(f"{app.url}/presets", headers=app.headers, timeout=10)
        names = {preset["name"] for preset in answer.json()["presets"]}
        assert {"Fine", "WhiteLayer_v4"} <= names
        assert not names & {"deep", "black"}
        log = (app.data_dir / "logs" / "junmai-gui.log").read_text()
        assert "Skipped the preset file" in log and "nested too deeply" in log
        assert "1e+308, which a LUT cannot use" in log
    finally:
        app.kill()


def test_the_app_makes_its_data_folder_private_at_launch(tmp_path: Path) -> None:
    """A data folder left readable by other users (0755, files 0644) is tightened."""
    loose: list[Path] = []

    def readable_by_all(data_dir: Path) -> None:
        (data_dir / "logs").mkdir()
        loose.extend([data_dir / "settings.json", data_dir / "logs" / "junmai-gui.log"])
        loose[1].write_text("an old line\n", encoding="utf-8")
        for path in (data_dir, data_dir / "logs", *loose):
            path.chmod(0o755 if path.is_dir() else 0o644)

    app = start_headless_app(tmp_path / "app", prepare=readable_by_all)
    try:
        data_dir = app.data_dir
        for folder in (data_dir, data_dir / "logs", data_dir / "presets"):
            assert folder.stat().st_mode & 0o777 == 0o700, folder
        private = [*loose, *data_dir.glob("batches.sqlite3*"), data_dir / "api-token"]
        assert len(private) >= 5
        for file in private:
            assert file.stat().st_mode & 0o777 == 0o600, file
    finally:
        app.kill()


def test_farm_arguments_are_checked_before_anything_starts(tmp_path: Path) -> None:
    """`--workers 0` means the farm develops everything, so it needs a farm; a farm URL that
    is not one is refused with what it should look like."""
    script = Path(sys.executable).with_name("junmai-gui")
    base = [str(script), "--headless", "--no-api", "--data-dir", str(tmp_path / "data")]
    farm_only = subprocess.run(
        [*base, "--workers", "0"], capture_output=True, text=True, timeout=60
    )
    assert farm_only.returncode == 1
    assert "--workers 0 develops on a render farm only: give --farm URL." in farm_only.stderr
    bad_url = subprocess.run(
        [*base, "--farm", "http://:secret@render.local/"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert bad_url.returncode == 2
    assert "redis://:PASSWORD@HOST:PORT/0" in bad_url.stderr and "secret" not in bad_url.stderr


class _DrivenApp:
    """The real desktop app under `tests.unit.gui_app_driver`, its output read line by line."""

    def __init__(self, data_dir: Path, *args: str) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "tests.unit.gui_app_driver", "--data-dir", str(data_dir),
             "--no-recovery-prompt", *args],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            encoding="utf-8",
            env={**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONIOENCODING": "utf-8"},
        )  # fmt: skip
        self.lines: list[str] = []

    def wait_for(self, wanted: str) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:  # ends when the app exits
            self.lines.append(line.rstrip())
            if line.rstrip() == wanted:
                return
        raise AssertionError(f"{wanted!r} never came: {self.lines[-30:]}")

    def send(self, line: str) -> None:
        assert self.process.stdin is not None
        self.process.stdin.write(line + "\n")
        self.process.stdin.flush()

    def quit(self) -> int:
        """Ask the app to quit as the window would; its exit status."""
        self.send("quit")
        return self.process.wait(timeout=60)

    def __enter__(self) -> _DrivenApp:
        return self

    def __exit__(self, *exc: object) -> None:
        if self.process.poll() is None:  # a failed test leaves no app running
            self.process.kill()
            self.process.wait()


def _answers(port: int, token: str) -> bool:
    try:
        reply = requests.get(
            f"http://127.0.0.1:{port}/health",
            headers={"Authorization": f"Bearer {token}"},
            timeout=5,
        )
    except requests.ConnectionError:
        return False
    return reply.status_code == 200


def test_save_in_settings_applies_the_api_port_and_switch_at_once(tmp_path: Path) -> None:
    """Started with --api-port: Settings shows that port; Save with another port moves the
    API there at once, and Save with the API unticked stops it."""
    data_dir = tmp_path / "app-data"
    data_dir.mkdir()
    save_settings(data_dir, AppSettings(api_port=free_port(), workers=1))
    launched, moved = free_port(), free_port()
    with _DrivenApp(data_dir, "--api-port", str(launched)) as app:
        app.wait_for("ready")
        app.wait_for(f"api: API: http://127.0.0.1:{launched}")
        token = read_token(data_dir)
        assert token and _answers(launched, token)

        app.send(f"port {moved}")
        app.wait_for(f"api: API: http://127.0.0.1:{moved}")
        assert _answers(moved, token) and not _answers(launched, token)
        assert load_settings(data_dir).api_port == moved

        app.send("api off")
        app.wait_for("api: API off")
        assert not _answers(moved, token)
        assert load_settings(data_dir).api_enabled is False
        assert app.quit() == 0


def test_the_language_setting_chooses_the_language_of_the_real_app(tmp_path: Path) -> None:
    """Language "ja" in settings.json: the window starts in Japanese (the suite's LANGUAGE=en
    says the system speaks English)."""
    data_dir = tmp_path / "app-data"
    data_dir.mkdir()
    save_settings(data_dir, AppSettings(workers=1, language="ja"))
    with _DrivenApp(data_dir, "--no-api") as app:
        app.wait_for("ready")
        app.wait_for("api: API オフ")
        assert app.quit() == 0
