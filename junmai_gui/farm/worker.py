"""`junmai-farm worker`: a Celery worker that develops the app's photos on a render computer.

Prefork: one photo per pool process at a time, `--concurrency` processes. It imports only
`develop/` and the farm's own modules (no Qt, no batch database). Each pool process warms
up (libvips, numba's loops) before its first photo and shares the baked 256³ tables with
its siblings through memory-mapped files in the cache folder. The main process sends a
heartbeat every few seconds (name, host, concurrency, photos in progress), which the app
and `junmai-farm status` read.
"""

from __future__ import annotations

import logging
import socket
import threading
from pathlib import Path
from typing import Any

from celery import Celery, signals

from junmai_gui.domain.clock import utc_now_iso
from junmai_gui.farm import protocol, tasks
from junmai_gui.farm.celery_app import make_celery

log = logging.getLogger(__name__)


def register(app: Celery) -> None:
    """The `junmai.develop` task on `app` (a plain call: Celery's decorator is untyped)."""

    def develop(self: Any, job: dict[str, Any], run: str, reply_to: str) -> None:
        tasks.develop_task(job, run, reply_to, attempt=str(self.request.id))

    app.task(name=protocol.TASK_NAME, bind=True, ignore_result=True)(develop)


class Heartbeat:
    """Tells the broker every few seconds that this worker lives, and how busy it is."""

    def __init__(self, setup: tasks.WorkerSetup, concurrency: int) -> None:
        self._setup = setup
        self._concurrency = concurrency
        self._host = socket.gethostname()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="farm-heartbeat", daemon=True)

    def start(self, **_: Any) -> None:
        self._thread.start()

    def stop(self, **_: Any) -> None:
        self._stop.set()
        try:
            self._setup.client().delete(protocol.worker_key(self._setup.name))
        except Exception as exc:  # the broker is away: the heartbeat expires by itself
            log.info("Could not remove the heartbeat: %s", exc)

    def _run(self) -> None:
        from celery.worker import state

        while True:
            info = protocol.WorkerInfo(
                name=self._setup.name,
                host=self._host,
                concurrency=self._concurrency,
                busy=len(state.active_requests),
                last_seen=utc_now_iso(),
            )
            try:
                protocol.beat(self._setup.client(), info)
            except Exception as exc:
                log.warning("Heartbeat not sent: %s", exc)
            if self._stop.wait(protocol.HEARTBEAT_S):
                return


def forget_acks_lost_with_the_broker() -> None:
    """kombu's Redis QoS forgets an acknowledged task only once the broker confirmed the ack.
    When the connection is lost at that moment it keeps it for good: the prefetch window (one
    task per process) stays full and the worker never asks for another task, even after the
    broker is back. Here the task is forgotten locally whatever the broker says (the error is
    still raised and logged); the broker gives the unacknowledged task to a worker again after
    the visibility timeout, and its claim check then finds nothing left to do."""
    from kombu.transport import redis as kombu_redis
    from kombu.transport import virtual

    qos: Any = kombu_redis.QoS
    original = qos.ack
    if getattr(original, "forgets_lost_acks", False):
        return

    def ack(self: Any, delivery_tag: Any) -> None:
        try:
            original(self, delivery_tag)
        except Exception:
            base: Any = virtual.QoS
            base.ack(self, delivery_tag)
            raise

    ack.forgets_lost_acks = True  # type: ignore[attr-defined]
    qos.ack = ack


def _warm_pool_process(setup: tasks.WorkerSetup, concurrency: int) -> None:
    """In each pool process, before its first photo."""
    from junmai_gui.develop.develop_process import warm_up
    from junmai_gui.develop.engine import share_cores_between_photos
    from junmai_gui.develop.pipeline.table import share_tables_in

    logging.getLogger("pyvips").setLevel(logging.WARNING)
    share_cores_between_photos(concurrency)
    share_tables_in(setup.cache_dir / "tables")
    warm_up()


def run_worker(
    setup: tasks.WorkerSetup,
    *,
    concurrency: int,
    visibility_timeout_s: float,
    loglevel: str = "INFO",
) -> None:
    """Run the worker until it is stopped (SIGTERM: warm shutdown, photos finish)."""
    tasks.configure(setup)
    setup.cache_dir.mkdir(parents=True, exist_ok=True)
    app = make_celery(setup.url, visibility_timeout_s=visibility_timeout_s)
    # a pool process warms up (compiling numba's loops on a cold cache) before it answers
    app.conf.worker_proc_alive_timeout = 600.0
    register(app)
    forget_acks_lost_with_the_broker()
    heartbeat = Heartbeat(setup, concurrency)
    signals.worker_ready.connect(heartbeat.start, weak=False)
    signals.worker_shutdown.connect(heartbeat.stop, weak=False)

    def warm(**_: Any) -> None:
        _warm_pool_process(setup, concurrency)

    signals.worker_process_init.connect(warm, weak=False)
    app.worker_main(
        [
            "worker",
            "--pool=prefork",
            f"--concurrency={concurrency}",
            f"--hostname={setup.name}@%h",
            f"--queues={protocol.QUEUE}",
            "--prefetch-multiplier=1",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            f"--loglevel={loglevel}",
        ]
    )


def default_name() -> str:
    return socket.gethostname().split(".")[0] or "worker"


def default_cache() -> Path:
    import platformdirs

    return Path(platformdirs.user_cache_dir("junmai-farm", appauthor=False))
