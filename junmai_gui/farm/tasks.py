"""The farm's one task: develop one photo exactly as the app would, and send back the result.

    junmai.develop(job, run, reply_to)

runs in a pool process of `junmai-farm worker`:

1. claim the photo with one atomic check on the broker (`protocol.CLAIM_SCRIPT`): its batch
   still runs with the run token `run` the task was sent with, and no other live attempt
   holds it. A task that loses the check develops nothing and answers "skipped" (the app
   keeps the photo pending and sends it again when the batch runs); a photo held by another
   live attempt (an app that was restarted sent it again) is waited for;
2. translate the paths (`placement`), refuse an output outside the allowed roots;
3. fetch the preset by content hash once (`preset_cache`), develop with `run_job` — the code
   the app's own develop processes run, so the bytes are the same — with a cancel token
   that reads the batch's state on the broker between stages;
4. add the result to the app's stream `reply_to` and release the claim, in one round trip.

The claim is a lease renewed while the photo develops (`Leases`), so a claim left by a
process that died expires within `CLAIM_LEASE_MS`; a redelivered task (same task id) takes
its own claim over at once.
"""

from __future__ import annotations

import json
import logging
import os
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import redis

from junmai_gui.develop.develop_process import DEFAULT_DEVELOP, develop_function
from junmai_gui.develop.engine import CancelToken
from junmai_gui.develop.errors import PresetError
from junmai_gui.develop.jobs import Outcome, PhotoJob, PhotoResult, run_job
from junmai_gui.develop.preset import Preset
from junmai_gui.develop.preset_cache import PresetCache, preset_from_payload
from junmai_gui.farm import protocol
from junmai_gui.farm.placement import Placement

log = logging.getLogger(__name__)

CANCEL_CHECK_S = 0.25  # the broker is asked about a cancel at most this often
HELD_POLL_S = 0.1


@dataclass
class WorkerSetup:
    """What a worker's pool processes need; set in the main process before they fork."""

    url: str
    name: str
    cache_dir: Path
    placement: Placement
    develop: str = DEFAULT_DEVELOP
    _client: redis.Redis | None = field(default=None, repr=False)
    _client_pid: int = 0
    _presets: PresetCache | None = field(default=None, repr=False)

    def client(self) -> redis.Redis:
        """This process's own connection (never one inherited across a fork)."""
        if self._client is None or self._client_pid != os.getpid():
            self._client = protocol.connect(self.url)
            self._client_pid = os.getpid()
        return self._client

    def presets(self) -> PresetCache:
        if self._presets is None:
            self._presets = PresetCache(self.cache_dir / "presets")
        return self._presets


_setup: WorkerSetup | None = None


def configure(setup: WorkerSetup) -> None:
    global _setup
    _setup = setup


def setup() -> WorkerSetup:
    assert _setup is not None, "the worker was not configured"
    return _setup


class BrokerCancelToken(CancelToken):
    """Cancelled when the batch is cancelled on the broker (read at most every 250 ms)."""

    def __init__(self, client: redis.Redis, batch_id: str) -> None:
        super().__init__()
        self._client = client
        self._batch_id = batch_id
        self._checked = 0.0

    @property
    def cancelled(self) -> bool:
        if super().cancelled:
            return True
        now = time.monotonic()
        if now - self._checked >= CANCEL_CHECK_S:
            self._checked = now
            try:
                state = self._client.hget(protocol.BATCHES_KEY, self._batch_id)
            except redis.RedisError:
                return False  # the broker is away: keep developing; the result waits for it
            if state == protocol.CANCELLED.encode():
                self.cancel()
        return super().cancelled


class Leases:
    """Renews the claims this process holds, on one thread of its own (a thread per photo
    costs milliseconds to start on a busy computer)."""

    def __init__(self, client: redis.Redis) -> None:
        self._renew = client.register_script(protocol.RENEW_SCRIPT)
        self._lock = threading.Lock()
        self._held: dict[str, str] = {}
        threading.Thread(target=self._run, name="claim-leases", daemon=True).start()

    def hold(self, key: str, attempt: str) -> None:
        with self._lock:
            self._held[key] = attempt

    def drop(self, key: str) -> None:
        with self._lock:
            self._held.pop(key, None)

    def _run(self) -> None:
        pause = threading.Event()
        while not pause.wait(protocol.CLAIM_LEASE_MS / 3000):
            with self._lock:
                held = list(self._held.items())
            for key, attempt in held:
                try:
                    self._renew(keys=[key], args=[attempt, protocol.CLAIM_LEASE_MS])
                except redis.RedisError as exc:
                    log.warning("Could not renew the claim %s: %s", key, exc)


_leases: tuple[int, Leases] | None = None


def leases(client: redis.Redis) -> Leases:
    """This process's lease keeper (a forked pool process starts its own)."""
    global _leases
    if _leases is None or _leases[0] != os.getpid():
        _leases = (os.getpid(), Leases(client))
    return _leases[1]


# Claims this process could not release (the broker was away). Released before its next
# photo, so another attempt waiting for one does not wait for the lease to run out.
_unreleased: list[tuple[str, str]] = []


def release_leftovers(client: redis.Redis) -> None:
    release = client.register_script(protocol.RENEW_SCRIPT)
    while _unreleased:
        key, attempt = _unreleased[0]
        release(keys=[key], args=[attempt, 0])
        _unreleased.pop(0)


def claim(client: redis.Redis, job: PhotoJob, run: str, attempt: str, worker: str) -> str:
    """ok | stopped | cancelled, waiting while another live attempt holds the photo."""
    script = client.register_script(protocol.CLAIM_SCRIPT)
    keys = [protocol.BATCHES_KEY, protocol.claim_key(*job.key), protocol.STARTS_KEY]
    args: list[str | int] = [job.batch_id, run, attempt, protocol.CLAIM_LEASE_MS]
    args += [job.photo_id, worker, protocol.STARTS_KEPT]
    while True:
        answer = script(keys=keys, args=args)
        verdict = answer.decode() if isinstance(answer, bytes) else str(answer)
        if verdict != "held":
            return verdict
        time.sleep(HELD_POLL_S)


def load_preset(client: redis.Redis, cache: PresetCache, content_hash: str) -> Preset:
    """The preset of that hash, fetched from the broker once; PresetError when absent."""
    if not cache.has(content_hash):
        document = client.get(protocol.preset_key(content_hash))
        if document is None:
            raise PresetError(
                f"The render farm's broker does not hold the preset {content_hash} "
                "(it was restarted without its data?); resume the batch to publish it again"
            )
        raw = document if isinstance(document, bytes) else str(document).encode()
        preset_from_payload(json.loads(raw))  # checks the hash before it is kept
        cache.store(content_hash, raw)
    return cache.load(content_hash)


def develop_task(job: dict[str, Any], run: str, reply_to: str, *, attempt: str) -> None:
    """The body of `junmai.develop` (see the module docstring)."""
    config = setup()
    client = config.client()
    photo = PhotoJob.from_dict(job)
    release_leftovers(client)
    verdict = claim(client, photo, run, attempt, config.name)
    if verdict != "ok":
        outcome = Outcome.CANCELLED if verdict == "cancelled" else Outcome.SKIPPED
        reply(client, reply_to, attempt, PhotoResult.of(photo, outcome), config.name)
        return
    key = protocol.claim_key(*photo.key)
    keeper = leases(client)
    keeper.hold(key, attempt)
    try:
        result = develop_here(config, client, photo)
    except Exception as exc:  # a bug or a broken worker: fail this photo, say why
        log.exception("Developing %s failed on this worker", photo.source_path)
        message = f"{photo.name} could not be developed on {config.name}: {exc}"
        result = PhotoResult.of(photo, Outcome.FAILED, message)
    finally:
        keeper.drop(key)
    reply(client, reply_to, attempt, result, config.name, release=key)


def develop_here(config: WorkerSetup, client: redis.Redis, photo: PhotoJob) -> PhotoResult:
    placement = config.placement
    local = PhotoJob(
        photo.batch_id,
        photo.photo_id,
        placement.local(photo.source_path),
        placement.local(photo.output_path),
        photo.recipe,
        tuple(placement.local(path) for path in photo.extra_output_paths),
    )
    outside = [path for path in local.output_paths if not placement.output_allowed(path)]
    if outside:
        return PhotoResult.of(
            photo,
            Outcome.FAILED,
            f"{photo.name} was not developed on {config.name}: its output folder "
            f"{Path(outside[0]).parent} is outside the folders this worker may write "
            f"to ({placement.roots_text()}). Start the worker with --allow-output-root for "
            "that folder, or map it with --path-map.",
        )
    try:
        preset = load_preset(client, config.presets(), photo.recipe.preset_hash)
    except PresetError as exc:
        return PhotoResult.of(photo, Outcome.UNAVAILABLE, exc.message)
    except redis.RedisError as exc:
        return PhotoResult.of(photo, Outcome.UNAVAILABLE, protocol.explain(exc, config.url))
    token = BrokerCancelToken(client, photo.batch_id)
    return run_job(local, preset, develop=develop_function(config.develop), cancel=token)


def reply(
    client: redis.Redis,
    stream: str,
    attempt: str,
    result: PhotoResult,
    worker: str,
    *,
    release: str | None = None,
) -> None:
    """Add the result to the app's stream (the app acknowledges it after its commit) and
    release the claim `release`, in one round trip."""
    answer = PhotoResult(
        result.batch_id,
        result.photo_id,
        result.outcome,
        result.message,
        result.seconds,
        developed_by=worker,
    )
    pipe = client.pipeline(transaction=False)
    pipe.xadd(stream, {"attempt": attempt, "result": json.dumps(answer.to_dict())})
    if release is not None:
        pipe.eval(protocol.RENEW_SCRIPT, 1, release, attempt, 0)
    try:
        pipe.execute()
    except redis.RedisError:
        if release is not None:  # the broker is away: released before the next photo
            _unreleased.append((release, attempt))
        raise
