"""A real `junmai-gui --headless` in a child process, on a free loopback port, for API tests."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import requests

from junmai_gui.store.api_token import read_token
from junmai_gui.store.settings import AppSettings, save_settings


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class HeadlessApp:
    process: subprocess.Popen[bytes]
    data_dir: Path
    output_dir: Path
    port: int
    token: str
    log: Path

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=30)


def start_headless_app(
    folder: Path, timeout: float = 60.0, prepare: Callable[[Path], None] | None = None
) -> HeadlessApp:
    """Start the app with its own data and output folders; return once /health answers.

    `prepare(data_dir)` runs before the launch (after the settings are saved), to put files
    in the data folder.
    """
    data_dir = folder / "data"
    output_dir = folder / "out"
    data_dir.mkdir(parents=True, exist_ok=True)  # exists when the app is launched again
    port = free_port()
    save_settings(
        data_dir, AppSettings(default_output_dir=str(output_dir), api_port=port, workers=2)
    )
    if prepare is not None:
        prepare(data_dir)
    log = folder / "app.log"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "JUNMAI_DATA_DIR": str(data_dir)}
    with open(log, "wb") as sink:
        process = subprocess.Popen(
            [sys.executable, "-m", "junmai_gui", "--headless", "--api-port", str(port),
             "--data-dir", str(data_dir)],
            stdout=sink,
            stderr=subprocess.STDOUT,
            env=env,
        )  # fmt: skip
    deadline = time.monotonic() + timeout
    while True:
        token = read_token(data_dir)
        if token is not None:
            try:
                answer = requests.get(
                    f"http://127.0.0.1:{port}/health",
                    headers={"Authorization": f"Bearer {token}"},
                    timeout=2,
                )
                if answer.status_code == 200:
                    return HeadlessApp(process, data_dir, output_dir, port, token, log)
            except requests.ConnectionError:
                pass
        if time.monotonic() > deadline:
            process.kill()
            raise AssertionError(f"the headless app did not answer: {log.read_text()[-2000:]}")
        try:  # the poll interval doubles as a check that the app is still alive
            process.wait(timeout=0.05)
        except subprocess.TimeoutExpired:
            continue
        raise AssertionError(f"the headless app exited: {log.read_text()[-2000:]}")
