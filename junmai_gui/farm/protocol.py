"""What the app and the farm workers agree on: broker keys, the claim, the message, the URL.

Everything lives in one Redis-protocol database (Redis or Valkey) under `junmai:`:

- the Celery queue `junmai` holds one task per photo: `junmai.develop(job, run, reply_to)`
  with the `PhotoJob` as JSON, the batch's run token and the app's results stream;
- `junmai:batches` (hash) maps a batch id to its state on the farm: a run token
  (`run:<hex>`, new at every start or resume), `paused` or `cancelled`;
- `junmai:claim:<batch>:<photo>` holds the attempt (task id) developing a photo, with a
  lease the attempt renews; `CLAIM_SCRIPT` checks and takes it in one atomic step;
- `junmai:starts` (list, capped) logs every claim with the broker's clock, so "no photo
  started after the pause" can be checked on the broker's side;
- `junmai:preset:<hash>` holds a published preset (`develop.preset_cache.preset_payload`);
- `junmai:worker:<name>` is a worker's heartbeat (JSON, expires when it stops beating);
- `junmai:results:<app id>` is the stream an app reads its results from (consumer group
  `app`), acknowledging each only after it committed it.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

if TYPE_CHECKING:
    import redis


QUEUE = "junmai"
TASK_NAME = "junmai.develop"
BATCHES_KEY = "junmai:batches"
STARTS_KEY = "junmai:starts"
STARTS_KEPT = 10_000
RESULTS_GROUP = "app"
RESULTS_CONSUMER = "app"
PAUSED = "paused"
CANCELLED = "cancelled"
CLAIM_LEASE_MS = 10_000  # an attempt renews its claim every third of this
HEARTBEAT_S = 5.0
HEARTBEAT_TTL_S = 15
CONNECT_TIMEOUT_S = 3.0


def claim_key(batch_id: str, photo_id: int) -> str:
    return f"junmai:claim:{batch_id}:{photo_id}"


def preset_key(content_hash: str) -> str:
    return f"junmai:preset:{content_hash}"


def worker_key(name: str) -> str:
    return f"junmai:worker:{name}"


def results_key(app_id: str) -> str:
    return f"junmai:results:{app_id}"


# The one atomic check a task makes before it develops (see the module docstring): the
# batch still runs with the run token the task was sent with, and no other live attempt
# holds the photo. Returns ok | stopped | cancelled | held; "ok" also logs the start.
CLAIM_SCRIPT = """
local state = redis.call('HGET', KEYS[1], ARGV[1])
if state == 'cancelled' then return 'cancelled' end
if state ~= ARGV[2] then return 'stopped' end
local holder = redis.call('GET', KEYS[2])
if holder and holder ~= ARGV[3] then return 'held' end
redis.call('SET', KEYS[2], ARGV[3], 'PX', ARGV[4])
local now = redis.call('TIME')
redis.call('RPUSH', KEYS[3],
  ARGV[1] .. ' ' .. ARGV[5] .. ' ' .. ARGV[6] .. ' ' .. now[1] .. string.format('%06d', now[2]))
redis.call('LTRIM', KEYS[3], -tonumber(ARGV[7]), -1)
return 'ok'
"""

# Renew (ARGV[2] = lease ms) or, with ARGV[2] = 0, release a claim, if it is still ours.
RENEW_SCRIPT = """
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
if tonumber(ARGV[2]) > 0 then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return redis.call('DEL', KEYS[1])
"""


def new_run_token() -> str:
    import secrets

    return f"run:{secrets.token_hex(6)}"


@dataclass(frozen=True)
class Start:
    """One claim logged on the broker: which photo started where, by the broker's clock."""

    batch_id: str
    photo_id: int
    worker: str
    at_us: int


def read_starts(client: redis.Redis, batch_id: str | None = None) -> list[Start]:
    starts = []
    for raw in client.lrange(STARTS_KEY, 0, -1):
        text = raw.decode() if isinstance(raw, bytes) else str(raw)
        batch, photo, worker, at = text.split(" ")
        if batch_id is None or batch == batch_id:
            starts.append(Start(batch, int(photo), worker, int(at)))
    return starts


def broker_time_us(client: redis.Redis) -> int:
    seconds, micros = client.time()
    return int(seconds) * 1_000_000 + int(micros)


# -- the URL and talking about it ---------------------------------------------------------


def url_problem(url: str) -> str | None:
    """Why `url` is not a farm URL, in a sentence; None when it is one."""
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number
    except ValueError as exc:
        return f"The farm URL {redacted(url)} is not valid ({exc})."
    if parts.scheme not in ("redis", "rediss") or not parts.hostname:
        return (
            f"The farm URL {redacted(url)} is not valid: it looks like "
            "redis://:PASSWORD@HOST:PORT/0 (the first line `junmai-farm hub` prints)."
        )
    return None


def redacted(url: str) -> str:
    """The URL without its password, for messages and logs."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return "(unreadable URL)"
    if parts.password is None:
        return url
    host = parts.hostname or ""
    port = f":{parts.port}" if parts.port else ""
    user = parts.username or ""
    return parts._replace(netloc=f"{user}:***@{host}{port}").geturl()


def where(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.hostname}:{parts.port or 6379}"


def connect(url: str, *, timeout_s: float = CONNECT_TIMEOUT_S) -> redis.Redis:
    """A client for the farm's broker (no command sent yet)."""
    import redis  # only where a farm is used: the app starts without it

    return redis.Redis.from_url(
        url,
        protocol=2,  # the reply shapes this code reads (redis-py 8 speaks RESP3 by default)
        socket_connect_timeout=timeout_s,
        socket_timeout=timeout_s + 5.0,
        health_check_interval=30,
    )


def explain(exc: BaseException, url: str) -> str:
    """A sentence a photographer understands for a broker error."""
    import redis

    if (
        isinstance(exc, redis.AuthenticationError)
        or "WRONGPASS" in str(exc)
        or ("NOAUTH" in str(exc))
    ):
        return (
            f"The render farm's broker at {where(url)} refused the password in the farm URL. "
            "Copy the URL again from the first line `junmai-farm hub` printed."
        )
    if isinstance(exc, redis.ConnectionError | redis.TimeoutError | OSError):
        return (
            f"The render farm's broker at {where(url)} cannot be reached ({exc}). Check that "
            "it runs and that the firewall lets this computer in."
        )
    return f"The render farm's broker at {where(url)} answered with an error ({exc})."


def check_connection(url: str, *, timeout_s: float = CONNECT_TIMEOUT_S) -> str | None:
    """None when the broker answers with this URL's password; else why not, in a sentence."""
    import redis

    problem = url_problem(url)
    if problem:
        return problem
    client = connect(url, timeout_s=timeout_s)
    try:
        client.ping()
    except redis.RedisError as exc:
        return explain(exc, url)
    finally:
        client.close()
    return None


# -- workers -------------------------------------------------------------------------------


@dataclass(frozen=True)
class WorkerInfo:
    """A farm worker as its heartbeat describes it."""

    name: str
    host: str
    concurrency: int
    busy: int
    last_seen: str  # ISO 8601 UTC

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> WorkerInfo:
        return cls(
            name=str(data["name"]),
            host=str(data["host"]),
            concurrency=int(data["concurrency"]),
            busy=int(data["busy"]),
            last_seen=str(data["last_seen"]),
        )


@dataclass(frozen=True)
class FarmSnapshot:
    """The farm as seen from the broker: live workers and the photos waiting in the queue."""

    workers: tuple[WorkerInfo, ...] = ()
    queued: int = 0

    @property
    def concurrency(self) -> int:
        return sum(worker.concurrency for worker in self.workers)

    @property
    def computers(self) -> int:
        return len({worker.host for worker in self.workers})


def beat(client: redis.Redis, info: WorkerInfo) -> None:
    client.set(worker_key(info.name), json.dumps(info.to_dict()), ex=HEARTBEAT_TTL_S)


def read_snapshot(client: redis.Redis) -> FarmSnapshot:
    """Live workers (by name) and the queue's length; raises redis errors."""
    keys = sorted(client.scan_iter(match=worker_key("*"), count=200))
    workers = []
    for raw in client.mget(keys) if keys else []:
        if raw is None:
            continue  # expired between the scan and the read
        try:
            workers.append(WorkerInfo.from_dict(json.loads(raw)))
        except (KeyError, TypeError, ValueError):
            continue
    return FarmSnapshot(tuple(sorted(workers, key=lambda w: w.name)), int(client.llen(QUEUE)))
