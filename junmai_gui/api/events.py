"""The live event stream, `GET /batch/events`: the controller's signals as JSON over a WebSocket.

Each message is one JSON object with a `type`:
`batch_changed` (with the batch's status body), `photo_finished` (batch_id, photo_id, state),
`batch_finished` (batch_id, status, and the final status body), plus `batch_added` and
`batch_removed`. The controller already coalesces `batch_changed` to about ten a second per
batch; a client that still falls more than `MAX_QUEUED` messages behind is disconnected with
code 1013 so that it cannot grow the app's memory, and should reconnect and poll the status.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import threading
from typing import TYPE_CHECKING, Any

from aiohttp import WSCloseCode, WSMsgType, web

from junmai_gui.domain.errors import BatchError

if TYPE_CHECKING:
    from junmai_gui.controller.batch_controller import BatchController

log = logging.getLogger("junmai_gui.api")

MAX_QUEUED = 10_000
HEARTBEAT_S = 30.0
CLOSE_TIMEOUT_S = 2.0  # how long quitting waits for a listener to answer the close
MAX_INCOMING_BYTES = 64 * 1024  # listeners have nothing to say


class _Client:
    """One connected listener: its socket and the messages not yet sent to it."""

    def __init__(self, ws: web.WebSocketResponse) -> None:
        self.ws = ws
        self.queue: asyncio.Queue[str] = asyncio.Queue(maxsize=MAX_QUEUED)


class EventHub:
    """Listens to the controller's signals and fans each event out to every WebSocket client."""

    def __init__(self, controller: BatchController) -> None:
        self._controller = controller
        self._clients: set[_Client] = set()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread_id = threading.get_ident()
        self._connected = False
        self._tasks: set[asyncio.Task[Any]] = set()

    @property
    def client_count(self) -> int:
        return len(self._clients)

    def open(self) -> None:
        """Start listening; called on the loop's thread when the server starts."""
        self._loop = asyncio.get_running_loop()
        self._thread_id = threading.get_ident()
        if self._connected:
            return
        self._controller.batch_changed.connect(self._on_batch_changed)
        self._controller.photo_finished.connect(self._on_photo_finished)
        self._controller.batch_finished.connect(self._on_batch_finished)
        self._controller.batch_added.connect(self._on_batch_added)
        self._controller.batch_removed.connect(self._on_batch_removed)
        self._connected = True

    async def close(self) -> None:
        """Stop listening and close every client (code 1001, going away)."""
        if self._connected:
            for signal, slot in (
                (self._controller.batch_changed, self._on_batch_changed),
                (self._controller.photo_finished, self._on_photo_finished),
                (self._controller.batch_finished, self._on_batch_finished),
                (self._controller.batch_added, self._on_batch_added),
                (self._controller.batch_removed, self._on_batch_removed),
            ):
                with contextlib.suppress(RuntimeError, TypeError):
                    signal.disconnect(slot)
            self._connected = False
        clients, self._clients = list(self._clients), set()
        await asyncio.gather(
            *(
                client.ws.close(code=WSCloseCode.GOING_AWAY, message=b"Junmai Batch is quitting")
                for client in clients
            ),
            return_exceptions=True,
        )

    async def handle(self, request: web.Request) -> web.WebSocketResponse:
        """`GET /batch/events`: upgrade, then stream events until either side closes."""
        ws = web.WebSocketResponse(
            heartbeat=HEARTBEAT_S, timeout=CLOSE_TIMEOUT_S, max_msg_size=MAX_INCOMING_BYTES
        )
        await ws.prepare(request)
        client = _Client(ws)
        self._clients.add(client)
        sender = asyncio.create_task(self._send_loop(client))
        try:
            async for message in ws:
                if message.type == WSMsgType.ERROR:
                    break
        finally:
            self._clients.discard(client)
            sender.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await sender
        return ws

    async def _send_loop(self, client: _Client) -> None:
        while True:
            text = await client.queue.get()
            try:
                await client.ws.send_str(text)
            except (ConnectionError, RuntimeError):
                return

    # --- controller signals (main thread) ------------------------------------------------

    def _on_batch_changed(self, batch_id: str) -> None:
        if self._clients:
            self._publish(
                {"type": "batch_changed", "batch_id": batch_id, "batch": self._status(batch_id)}
            )

    def _on_photo_finished(self, batch_id: str, photo_id: int, state: str) -> None:
        if self._clients:
            self._publish(
                {
                    "type": "photo_finished",
                    "batch_id": batch_id,
                    "photo_id": photo_id,
                    "state": state,
                }
            )

    def _on_batch_finished(self, batch_id: str, status: str) -> None:
        if self._clients:
            self._publish(
                {
                    "type": "batch_finished",
                    "batch_id": batch_id,
                    "status": status,
                    "batch": self._status(batch_id),
                }
            )

    def _on_batch_added(self, batch_id: str) -> None:
        if self._clients:
            self._publish(
                {"type": "batch_added", "batch_id": batch_id, "batch": self._status(batch_id)}
            )

    def _on_batch_removed(self, batch_id: str) -> None:
        if self._clients:
            self._publish({"type": "batch_removed", "batch_id": batch_id})

    def _status(self, batch_id: str) -> dict[str, Any] | None:
        """The batch's status body; None when it is gone. Never raises into the emitter."""
        try:
            return dict(self._controller.get_batch_status(batch_id))
        except BatchError:
            return None
        except Exception:
            log.exception("Could not read batch %s for the event stream", batch_id)
            return None

    def _publish(self, event: dict[str, Any]) -> None:
        if threading.get_ident() != self._thread_id and self._loop is not None:
            self._loop.call_soon_threadsafe(self._publish, event)
            return
        text = json.dumps(event)
        for client in list(self._clients):
            try:
                client.queue.put_nowait(text)
            except asyncio.QueueFull:
                self._drop(client)

    def _drop(self, client: _Client) -> None:
        log.warning("Disconnected an event listener that fell %d messages behind", MAX_QUEUED)
        self._clients.discard(client)
        task = asyncio.ensure_future(
            client.ws.close(code=WSCloseCode.TRY_AGAIN_LATER, message=b"too slow; reconnect"),
            loop=self._loop,
        )
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
