"""The Celery application both sides use: the app to send tasks, workers to run them.

JSON only: a message in any other format (pickle executes whatever it is given) is
refused before anything reads it. Exactness on a worker's death: a task is acknowledged
only when it returned (`acks_late`), a task whose pool process died goes back to the queue
(`task_reject_on_worker_lost`), a worker reserves one task per process (prefetch 1), and
an unacknowledged task is given to another worker only after `visibility_timeout`, far
above the slowest photo (a whole worker that vanished, power and all).
"""

from __future__ import annotations

from celery import Celery

from junmai_gui.farm.protocol import QUEUE, TASK_NAME

VISIBILITY_TIMEOUT_S = 3 * 3600  # a 200-MP RAW at 16 bits takes minutes, never hours


def make_celery(url: str, *, visibility_timeout_s: float = VISIBILITY_TIMEOUT_S) -> Celery:
    app = Celery("junmai-farm", broker=url, set_as_current=False)
    restore_every = max(1, min(10, int(visibility_timeout_s // 4)))
    app.conf.update(
        task_serializer="json",
        accept_content=["json"],
        result_accept_content=["json"],
        event_serializer="json",
        task_ignore_result=True,
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        worker_prefetch_multiplier=1,
        task_default_queue=QUEUE,
        task_routes={TASK_NAME: {"queue": QUEUE}},
        broker_connection_retry_on_startup=True,
        broker_transport_options={
            "visibility_timeout": visibility_timeout_s,
            # how often a worker looks for tasks a vanished worker left unacknowledged
            "unacked_restore_interval": restore_every,
            "unacked_restore_throttle": 1,
            "socket_timeout": 15.0,
            "socket_connect_timeout": 5.0,
        },
        worker_hijack_root_logger=False,
        worker_send_task_events=False,
        task_send_sent_event=False,
        worker_enable_remote_control=False,
        broker_pool_limit=4,
    )
    return app
