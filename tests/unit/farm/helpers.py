"""What the farm tests start: a hub, `junmai-farm worker`s, and a develop function the
workers load (`--develop tests.unit.farm.helpers:farm_develop`).

`farm_develop` is the real engine, after a short pause (so a batch of tiny photos takes long
enough to be paused in the middle); a photo whose name starts with `hold` writes its process
id beside itself and waits until a `<stem>.release` file appears, so a test can kill the
process developing it.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import redis

from junmai_gui.develop.engine import develop_photo
from junmai_gui.farm import protocol

REPO = Path(__file__).resolve().parents[3]
FARM_DEVELOP = "tests.unit.farm.helpers:farm_develop"
DELAY_S = 0.05
START_TIMEOUT_S = 120.0


def farm_develop(
    source: Path, output: Path, preset: Any, blend: float, options: Any, *, cancel: Any = None,
    extra_outputs: Any = (),
) -> Path:  # fmt: skip
    source = Path(source)
    held = threading.Event()
    held.wait(DELAY_S)  # a pause, as a larger photo would take
    if source.stem.startswith("hold"):
        source.with_suffix(".pid").write_text(str(os.getpid()))
        release = source.with_suffix(".release")
        deadline = time.monotonic() + 60
        while not release.exists() and time.monotonic() < deadline:
            held.wait(0.02)
    return develop_photo(
        source, output, preset, blend, options, cancel=cancel, extra_outputs=extra_outputs
    )


def farm_command() -> list[str]:
    return [str(Path(sys.executable).with_name("junmai-farm"))]


class Hub:
    """`junmai-farm hub` on a loopback port; stopped and started again on the same port and
    folder, it keeps its password (so its URL) and its data."""

    def __init__(self, folder: Path, port: int) -> None:
        self.folder = folder
        self.port = port
        self.url = ""
        self.process: subprocess.Popen[str] | None = None
        self.start()

    def start(self) -> None:
        self.process = subprocess.Popen(
            [*farm_command(), "hub", "--port", str(self.port), "--data-dir", str(self.folder)],
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        assert self.process.stdout is not None
        first = self.process.stdout.readline().strip()
        assert first.startswith("farm url: redis://:"), first
        self.url = first.removeprefix("farm url: ")

    def stop(self) -> None:
        assert self.process is not None
        self.process.terminate()
        self.process.wait(timeout=30)

    def client(self) -> redis.Redis:
        return protocol.connect(self.url)


class Worker:
    """One `junmai-farm worker` (prefork) with its log in a file."""

    def __init__(self, hub: Hub, name: str, folder: Path, output_root: Path, **options: Any):
        folder.mkdir(parents=True, exist_ok=True)
        self.name = name
        self.log = folder / f"{name}.log"
        command = [
            *farm_command(), "worker", "--broker", hub.url, "--name", name,
            "--concurrency", str(options.get("concurrency", 1)),
            "--allow-output-root", str(output_root),
            "--cache", str(folder / "cache"), "--develop", FARM_DEVELOP,
        ]  # fmt: skip
        if "visibility_timeout" in options:
            command += ["--visibility-timeout", str(options["visibility_timeout"])]
        env = {**os.environ, "PYTHONPATH": str(REPO)}  # it imports this module's farm_develop
        with open(self.log, "w", encoding="utf-8") as log:
            self.process = subprocess.Popen(
                command, stdout=log, stderr=subprocess.STDOUT, start_new_session=True, env=env
            )

    def text(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")

    def kill(self) -> None:
        """SIGKILL to the worker and its pool processes, as a power cut would."""
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=30)

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.kill()


def wait_until(condition: Any, timeout_s: float = 60.0, what: str = "the condition") -> None:
    """Poll `condition()` until it is true (tests wait for conditions, never a fixed time)."""
    deadline = time.monotonic() + timeout_s
    pause = threading.Event()
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        pause.wait(0.02)


def live_workers(hub: Hub) -> set[str]:
    client = hub.client()
    try:
        return {w.name for w in protocol.read_snapshot(client).workers}
    except redis.RedisError:
        return set()
    finally:
        client.close()
