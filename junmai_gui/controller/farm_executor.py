"""The render-farm executor: photos developed by `junmai-farm worker`s on other computers.

The app stays the authority and SQLite the record; the broker (Redis or Valkey) only
carries work and answers (see `farm.protocol` for the keys):

- `submit` sends one Celery task per photo (JSON only) carrying its batch's run token. The
  controller keeps at most `capacity` photos in flight — about twice the farm's total
  concurrency — and fills them by priority, so priority is exact without broker priorities.
- `batch_running` gives the batch a new run token on the broker, `batch_stopped` replaces it
  with `paused`, `cancel` with `cancelled` — synchronously, so after `pause_batch` returns
  every claim a worker makes for that batch fails (the task answers "skipped"; the photo
  stays pending and is sent again on resume), and a photo being developed stops between
  stages on cancel.
- Results come back on the app's own stream, read by one thread with a consumer group; each
  is acknowledged only after `deliver` returned, that is after the runner committed it. At
  launch `catch_up` reads what came while the app was away before recovery runs. A result
  of a task this run did not send (from before a restart) is still recorded when it is final.
- The broker unreachable: every photo in flight is answered `UNAVAILABLE` (its batch pauses
  with reason `farm_unavailable`); the thread reconnects, publishes the presets and batch
  states again, and results that come later are recorded.
"""

from __future__ import annotations

import hashlib
import json
import logging
import queue
import socket
import threading
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import redis

from junmai_gui.controller.executors import Deliver, Executor
from junmai_gui.controller.farm_status import FarmStatus
from junmai_gui.develop.jobs import Outcome, PhotoJob, PhotoResult
from junmai_gui.develop.preset import Preset
from junmai_gui.develop.preset_cache import preset_payload
from junmai_gui.domain.status import PauseReason
from junmai_gui.farm import protocol

log = logging.getLogger(__name__)

MIN_WINDOW = 2  # photos in flight while no worker has said how many it takes
STATUS_EVERY_S = 2.0
READ_BLOCK_MS = 500
RECONNECT_EVERY_S = 1.0
READ_COUNT = 200


def farm_app_id(data_dir: Path) -> str:
    """A name for this app's results stream: stable for one data folder on one computer."""
    seed = f"{socket.gethostname()}\0{Path(data_dir).resolve()}"
    return hashlib.sha1(seed.encode()).hexdigest()[:16]


class FarmExecutor(Executor):
    """Sends photos to the farm and records what comes back (see the module docstring)."""

    unavailable_reason = PauseReason.FARM_UNAVAILABLE

    def __init__(self, url: str, app_id: str) -> None:
        from junmai_gui.farm.celery_app import make_celery

        self.url = url
        self._stream = protocol.results_key(app_id)
        self._celery = make_celery(url)
        self._client = protocol.connect(url)
        self._lock = threading.Condition()
        self._state_lock = threading.Lock()
        self._in_flight: dict[str, PhotoJob] = {}  # attempt (task id) -> job
        self._states: dict[str, str] = {}  # batch -> what the broker must say (run token…)
        self._presets: dict[str, bytes] = {}  # hash -> payload document
        self._outbox: queue.SimpleQueue[tuple[str, PhotoJob, str] | None] = queue.SimpleQueue()
        self._deliver: Deliver | None = None
        self._watchers: list[Callable[[], None]] = []
        self._connected = False
        self._problem: str | None = None
        self._snapshot = protocol.FarmSnapshot()
        self._stopping = threading.Event()
        self._caught_up = threading.Event()
        self._tried = threading.Event()  # the first connection was attempted
        self._threads: list[threading.Thread] = []

    # -- the executor seam -------------------------------------------------------------------

    def start(self, deliver: Deliver) -> None:
        self._deliver = deliver
        for target, name in ((self._send_loop, "farm-send"), (self._read_loop, "farm-results")):
            thread = threading.Thread(target=target, name=name, daemon=True)
            thread.start()
            self._threads.append(thread)

    @property
    def capacity(self) -> int:
        return max(MIN_WINDOW, 2 * self._snapshot.concurrency)

    @property
    def workers(self) -> int:
        return 0  # none on this computer

    @workers.setter
    def workers(self, count: int) -> None:
        pass  # the farm's concurrency is each worker's own

    @property
    def connected(self) -> bool:
        return self._connected

    def publish(self, preset: Preset) -> None:
        document = json.dumps(preset_payload(preset)).encode()
        with self._state_lock:
            self._presets[preset.content_hash] = document
        self._broker(
            "publish the preset",
            lambda c: c.set(protocol.preset_key(preset.content_hash), document, nx=True),
        )

    def submit(self, job: PhotoJob) -> None:
        run = self._states.get(job.batch_id, "")
        if not run.startswith("run:"):
            self.batch_running(job.batch_id)
            run = self._states[job.batch_id]
        attempt = str(uuid.uuid4())
        with self._lock:
            self._in_flight[attempt] = job
        self._outbox.put((attempt, job, run))

    def batch_running(self, batch_id: str) -> None:
        self._set_state(batch_id, protocol.new_run_token(), "run the batch")

    def batch_stopped(self, batch_id: str) -> None:
        if self._states.get(batch_id) != protocol.CANCELLED:
            self._set_state(batch_id, protocol.PAUSED, "pause the batch")

    def cancel(self, batch_id: str | None = None) -> None:
        """A batch: its photos stop between stages on the workers. All (quit): nothing on the
        farm — photos being developed there finish and are recorded at the next launch."""
        if batch_id is not None:
            self._set_state(batch_id, protocol.CANCELLED, "cancel the batch")

    def catch_up(self, timeout_s: float) -> bool:
        return self._caught_up.wait(timeout_s)

    def watch(self, changed: Callable[[], None]) -> None:
        self._watchers.append(changed)

    def farm_status(self) -> FarmStatus:
        snapshot = self._snapshot
        return FarmStatus(
            connected=self._connected,
            url=protocol.redacted(self.url),
            workers=snapshot.workers,
            queued=snapshot.queued,
            problem=self._problem,
        )

    def wait_idle(self, timeout_s: float) -> bool:
        deadline = time.monotonic() + max(0.0, timeout_s)
        with self._lock:
            while self._in_flight:
                left = deadline - time.monotonic()
                if left <= 0:
                    return False
                self._lock.wait(left)
        return True

    def stop(self, timeout_s: float) -> None:
        """Photos still in flight are answered CANCELLED (back to pending here), on the
        caller's thread once this executor's threads ended; what the workers finish later is
        recorded at the next launch."""
        self._stopping.set()
        self._outbox.put(None)
        for thread in self._threads:
            thread.join(timeout=max(0.5, timeout_s / 2))
        self._answer_all(Outcome.CANCELLED, None)
        self._client.close()

    # -- talking to the broker ---------------------------------------------------------------

    def _set_state(self, batch_id: str, state: str, what: str) -> None:
        with self._state_lock:
            self._states[batch_id] = state
        self._broker(what, lambda c: self._republish(c, {batch_id: state}))

    def _broker(self, what: str, call: Callable[[redis.Redis], Any]) -> None:
        """One command from the main thread (under the state lock, so a reconnect's
        republishing never overwrites it with an older state). Unconnected, it is sent at the
        next connection; failing, the results thread answers the photos in flight."""
        with self._state_lock:
            if not self._connected:
                return
            try:
                call(self._client)
            except redis.RedisError as exc:
                log.warning("Could not %s on the render farm: %s", what, exc)
                self._disconnected(exc)

    def _republish(self, client: redis.Redis, states: dict[str, str]) -> None:
        """Presets the broker lost (a restart without its data) and the batch states."""
        hashes = list(self._presets)
        if hashes:
            present = client.exists(*[protocol.preset_key(h) for h in hashes])
            if present != len(hashes):
                for content_hash in hashes:
                    key = protocol.preset_key(content_hash)
                    client.set(key, self._presets[content_hash], nx=True)
        if states:
            client.hset(protocol.BATCHES_KEY, mapping=dict(states))  # type: ignore[arg-type]

    def _send_loop(self) -> None:
        while True:
            item = self._outbox.get()
            if item is None:
                return
            attempt, job, run = item
            self._tried.wait(protocol.CONNECT_TIMEOUT_S + 2.0)
            if not self._connected:
                self._answer(attempt, Outcome.UNAVAILABLE, self._problem)
                continue
            try:
                self._celery.send_task(
                    protocol.TASK_NAME,
                    kwargs={"job": job.to_dict(), "run": run, "reply_to": self._stream},
                    task_id=attempt,
                    retry=True,
                    retry_policy={"max_retries": 2, "interval_start": 0, "interval_step": 0.2},
                )
            except Exception as exc:
                log.warning("Could not send %s to the render farm: %s", job.name, exc)
                self._disconnected(exc)
                self._answer(attempt, Outcome.UNAVAILABLE, self._problem)

    def _read_loop(self) -> None:
        last_status = 0.0
        while not self._stopping.is_set():
            if not self._connected:
                self._answer_all(Outcome.UNAVAILABLE, self._problem)
                connected = self._connect()
                self._tried.set()
                if not connected:
                    self._caught_up.set()  # nothing can be read now; recovery goes on
                    self._stopping.wait(RECONNECT_EVERY_S)
                    continue
            try:
                if not self._caught_up.is_set():
                    self._read_backlog()
                    self._caught_up.set()
                entries = self._client.xreadgroup(
                    protocol.RESULTS_GROUP,
                    protocol.RESULTS_CONSUMER,
                    {self._stream: ">"},
                    count=READ_COUNT,
                    block=READ_BLOCK_MS,
                )
                self._handle(entries)
                if time.monotonic() - last_status >= STATUS_EVERY_S:
                    last_status = time.monotonic()
                    self._refresh_status()
            except redis.RedisError as exc:
                if self._stopping.is_set():
                    return
                log.warning("Lost the render farm's broker: %s", exc)
                self._disconnected(exc)

    def _connect(self) -> bool:
        try:
            self._client.ping()
            try:
                self._client.xgroup_create(
                    self._stream, protocol.RESULTS_GROUP, id="0", mkstream=True
                )
            except redis.ResponseError as exc:
                if "BUSYGROUP" not in str(exc):
                    raise
            with self._state_lock:
                self._republish(self._client, dict(self._states))
                self._connected = True
        except redis.RedisError as exc:
            problem = protocol.explain(exc, self.url)
            if problem != self._problem:
                log.warning("%s", problem)
                self._problem = problem
                self._changed()
            return False
        self._problem = None
        log.info("Connected to the render farm at %s", protocol.redacted(self.url))
        self._refresh_status()
        return True

    def _disconnected(self, exc: BaseException) -> None:
        """The results thread answers the photos in flight and reconnects."""
        was = self._connected
        self._connected = False
        self._problem = protocol.explain(exc, self.url)
        if was:
            self._changed()

    def _read_backlog(self) -> None:
        """Everything there is now: first the entries delivered to this app before and never
        acknowledged (it stopped first), then those that came while it was away."""
        for start in ("0", ">"):
            while True:
                entries: Any = self._client.xreadgroup(
                    protocol.RESULTS_GROUP,
                    protocol.RESULTS_CONSUMER,
                    {self._stream: start},
                    count=READ_COUNT,
                )
                if not entries or not entries[0][1]:
                    break
                self._handle(entries)

    def _handle(self, entries: Any) -> None:
        for _stream, messages in entries or []:
            for entry_id, fields in messages:
                self._record(fields)  # committed when this returns: now it may be acknowledged
                pipe = self._client.pipeline(transaction=False)
                pipe.xack(self._stream, protocol.RESULTS_GROUP, entry_id)
                pipe.xdel(self._stream, entry_id)
                pipe.execute()

    def _record(self, fields: dict[bytes, bytes]) -> None:
        try:
            attempt = fields[b"attempt"].decode()
            result = PhotoResult.from_dict(json.loads(fields[b"result"]))
        except (KeyError, ValueError, TypeError) as exc:
            log.error("Dropped an unreadable result from the render farm: %s", exc)
            return
        with self._lock:
            job = self._in_flight.pop(attempt, None)
            self._lock.notify_all()
        if job is None and not result.outcome.is_final:
            return  # a task of an earlier run that developed nothing: nothing to record
        assert self._deliver is not None
        self._deliver(result)

    def _refresh_status(self) -> None:
        snapshot = protocol.read_snapshot(self._client)
        if snapshot != self._snapshot:
            self._snapshot = snapshot
            self._changed()

    def _changed(self) -> None:
        for watcher in self._watchers:
            watcher()

    def _answer(self, attempt: str, outcome: Outcome, message: str | None) -> None:
        with self._lock:
            job = self._in_flight.pop(attempt, None)
            self._lock.notify_all()
        if job is not None and self._deliver is not None:
            self._deliver(PhotoResult.of(job, outcome, message))

    def _answer_all(self, outcome: Outcome, message: str | None) -> None:
        with self._lock:
            attempts = list(self._in_flight)
        for attempt in attempts:
            self._answer(attempt, outcome, message)
