"""One app instance per data dir: a lock file, and a local socket to the first instance.

A second launch on the same data dir cannot take the lock; it hands its arguments (paths
to develop) to the running instance over a QLocalSocket and exits. A lock left behind by a
crashed instance is stale (its process is gone) and is taken over.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QByteArray, QLockFile, QObject, Signal
from PySide6.QtNetwork import QLocalServer, QLocalSocket

log = logging.getLogger(__name__)

LOCK_FILE = "instance.lock"
CONNECT_TIMEOUT_MS = 2000
STALE_LOCK_MS = 0  # never guess from age: a lock is stale only when its process is gone


def server_name(data_dir: Path) -> str:
    """A short socket name, the same for every launch on this data dir."""
    digest = hashlib.sha256(str(Path(data_dir).resolve()).encode("utf-8")).hexdigest()[:16]
    return f"junmai-gui-{digest}"


class SingleInstance(QObject):
    """`acquire()` takes the lock and starts listening; `send_to_primary(args)` is for the
    second launch. `arguments_received(list)` fires in the primary for each message."""

    arguments_received = Signal(list)

    def __init__(self, data_dir: Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._data_dir = Path(data_dir)
        self._name = server_name(self._data_dir)
        self._lock = QLockFile(str(self._data_dir / LOCK_FILE))
        self._lock.setStaleLockTime(STALE_LOCK_MS)
        self._server: QLocalServer | None = None
        self._connections: list[_Connection] = []

    @property
    def name(self) -> str:
        return self._name

    def acquire(self) -> bool:
        """True when this process is the primary instance (it now holds the lock)."""
        self._data_dir.mkdir(parents=True, exist_ok=True)
        if self._lock.tryLock(0):
            return self._listen()
        # tryLock already takes over a lock whose process is gone; try once more in case
        # that process exited between its check and now
        if (
            self._lock.error() == QLockFile.LockError.LockFailedError
            and self._lock.removeStaleLockFile()
            and self._lock.tryLock(0)
        ):
            return self._listen()
        return False

    def _listen(self) -> bool:
        QLocalServer.removeServer(self._name)  # a socket file left by a crashed primary
        server = QLocalServer(self)
        server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        if not server.listen(self._name):
            log.warning("Could not listen for other launches: %s", server.errorString())
        else:
            server.newConnection.connect(self._on_new_connection)
        self._server = server
        return True

    def release(self) -> None:
        """Stop listening and free the lock (at quit)."""
        for connection in self._connections:
            connection.close()
        self._connections = []
        if self._server is not None:
            self._server.close()
            self._server = None
        if self._lock.isLocked():
            self._lock.unlock()

    def send_to_primary(self, args: list[str]) -> bool:
        """Hand `args` to the primary instance; False when none answers."""
        socket = QLocalSocket()
        socket.connectToServer(self._name)
        if not socket.waitForConnected(CONNECT_TIMEOUT_MS):
            return False
        payload = json.dumps([str(a) for a in args]).encode("utf-8") + b"\n"
        socket.write(QByteArray(payload))
        ok = socket.waitForBytesWritten(CONNECT_TIMEOUT_MS)
        socket.disconnectFromServer()
        if socket.state() != QLocalSocket.LocalSocketState.UnconnectedState:
            socket.waitForDisconnected(CONNECT_TIMEOUT_MS)
        return ok

    def _on_new_connection(self) -> None:
        assert self._server is not None
        # finished connections are dropped here, never inside their own signal handlers
        self._connections = [c for c in self._connections if not c.finished]
        while self._server.hasPendingConnections():
            socket = self._server.nextPendingConnection()
            if socket is not None:
                self._connections.append(_Connection(socket, self._deliver))

    def _deliver(self, line: bytes) -> None:
        try:
            args = json.loads(line.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError):
            log.warning("Ignored a malformed message from another launch")
            return
        if isinstance(args, list) and all(isinstance(a, str) for a in args):
            self.arguments_received.emit(args)


class _Connection(QObject):
    """One second launch talking to us: reads its JSON line(s) until it disconnects."""

    def __init__(self, socket: QLocalSocket, deliver: Callable[[bytes], None]) -> None:
        super().__init__()
        self.finished = False
        self._socket: QLocalSocket | None = socket
        self._deliver = deliver
        self._buffer = bytearray()
        socket.readyRead.connect(self._on_ready_read)
        socket.disconnected.connect(self._on_disconnected)
        self._on_ready_read()

    def _on_ready_read(self) -> None:
        if self._socket is None:
            return
        self._buffer.extend(bytes(self._socket.readAll().data()))
        while b"\n" in self._buffer:
            line, _, rest = bytes(self._buffer).partition(b"\n")
            self._buffer[:] = rest
            self._deliver(line)

    def _on_disconnected(self) -> None:
        self._on_ready_read()
        self.finished = True
        socket, self._socket = self._socket, None
        if socket is not None:
            socket.deleteLater()  # the server owns it: without this, every launch leaks one

    def close(self) -> None:
        """Stop listening to the socket and let it go (not from inside its own signals)."""
        socket, self._socket = self._socket, None
        if socket is None:
            return
        socket.readyRead.disconnect(self._on_ready_read)
        socket.disconnected.disconnect(self._on_disconnected)
        socket.abort()
        socket.setParent(None)
        self.finished = True
