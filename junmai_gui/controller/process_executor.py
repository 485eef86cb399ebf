"""The default executor: develop processes on this computer, one photo at a time each.

`workers` child processes (fresh interpreters, spawned, never forked: the app runs Qt) are
started in the background at launch and warm themselves (see develop.develop_process).
Each pool thread of the executor drives one process: it sends a job and waits for the
result. What a process does to itself stays there:

- It dies while developing (segfault, abort, out of memory): the photo is tried once more
  in a fresh process; if that one dies too, the photo fails with a sentence. The app and
  the other photos carry on.
- Cancel: the process is asked to stop between stages; if the photo has not stopped after
  `HARD_CANCEL_S` (a read that never returns, on a hung network share) the process is
  ended, its temporary output removed, and a fresh one takes its place.
- Stop (quit): whatever still runs after the timeout is ended; those photos come back as
  cancelled, so they return to pending and are developed at the next launch.
"""

from __future__ import annotations

import contextlib
import logging
import os
import queue
import subprocess
import sys
import threading
from pathlib import Path

from junmai_gui.controller.executors import Deliver, PooledExecutor
from junmai_gui.develop.develop_process import DEFAULT_DEVELOP, FrameError, read_frame, write_frame
from junmai_gui.develop.engine import CancelToken
from junmai_gui.develop.files import remove_temp_files_for
from junmai_gui.develop.jobs import Outcome, PhotoJob, PhotoResult
from junmai_gui.develop.preset import Preset
from junmai_gui.develop.preset_cache import PresetCache

log = logging.getLogger(__name__)

HARD_CANCEL_S = 2.0
READY_TIMEOUT_S = 300.0  # a cold start compiles numba's loops: seconds, or more on a busy machine


class ProcessEnded(Exception):
    """The develop process ended (or could not start) before it answered."""

    def __init__(self, why: str, *, started: bool = True) -> None:
        super().__init__(why)
        self.why = why
        self.started = started


def _death(returncode: int | None) -> str:
    """How a process ended, in words."""
    if returncode is None:
        return "it stopped answering"
    if returncode < 0:
        try:
            import signal

            name = signal.Signals(-returncode).name
        except ValueError:
            name = f"signal {-returncode}"
        return f"it was ended by {name}"
    return f"it exited with code {returncode}"


class DevelopProcess:
    """One develop child process; driven by one pool thread at a time."""

    def __init__(self, cache_dir: Path, threads: int, develop: str) -> None:
        command = [
            sys.executable, "-m", "junmai_gui.develop.develop_process",
            "--cache", str(cache_dir), "--threads", str(threads), "--develop", develop,
        ]  # fmt: skip
        self._process = subprocess.Popen(
            command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, close_fds=True
        )
        self._write_lock = threading.Lock()
        self._state_lock = threading.Lock()
        self._ready_lock = threading.Lock()
        self._current: tuple[str, int] | None = None
        self.ready = False
        self.retired = False  # no longer counted by its executor
        self.killed_for: tuple[str, int] | None = None

    @property
    def pid(self) -> int:
        return self._process.pid

    @property
    def alive(self) -> bool:
        return self._process.poll() is None

    def _send(self, message: dict[str, object]) -> None:
        assert self._process.stdin is not None
        with self._write_lock:
            write_frame(self._process.stdin, message)

    def _receive(self, waiting_for: str) -> dict[str, object]:
        """Frames until one of kind `waiting_for`; log frames go to the app's log."""
        assert self._process.stdout is not None
        while True:
            try:
                message = read_frame(self._process.stdout)
            except (FrameError, OSError) as exc:
                self.kill()
                raise ProcessEnded(f"it sent something unreadable ({exc})") from exc
            if message is None:
                self._process.wait()
                raise ProcessEnded(_death(self._process.returncode), started=self.ready)
            if "log" in message:
                level, text = message["log"]
                log.log(int(level), "Develop process %d: %s", self.pid, text)
            elif waiting_for in message:
                return message

    def wait_ready(self) -> None:
        """Block until the process has warmed up (ProcessEnded if it died doing so)."""
        with self._ready_lock:
            if self.ready:
                return
            timer = threading.Timer(READY_TIMEOUT_S, self.kill)
            timer.daemon = True
            timer.start()
            try:
                self._receive("ready")
            finally:
                timer.cancel()
            self.ready = True

    @property
    def developing(self) -> bool:
        with self._state_lock:
            return self._current is not None

    def run(self, job: PhotoJob, cancel: CancelToken) -> PhotoResult:
        """Develop `job` in this process; ProcessEnded when it dies first."""
        self.wait_ready()
        with self._state_lock:
            if cancel.cancelled:  # while the process was still warming up
                return PhotoResult.of(job, Outcome.CANCELLED)
            self._current = job.key
        try:
            try:
                self._send({"job": job.to_dict()})
            except OSError as exc:  # the pipe broke: it died before it could read the job
                self._process.wait()
                raise ProcessEnded(_death(self._process.returncode)) from exc
            answer = self._receive("result")
        finally:
            with self._state_lock:
                self._current = None
        return PhotoResult.from_dict(answer["result"])  # type: ignore[arg-type]

    def cancel(self, key: tuple[str, int]) -> None:
        """Ask the process to stop `key` between stages (if that is what it develops)."""
        with self._state_lock:
            if self._current != key:
                return
        with contextlib.suppress(OSError):  # it is gone already
            self._send({"cancel": list(key)})

    def kill_if_developing(self, key: tuple[str, int]) -> None:
        with self._state_lock:
            if self._current != key:
                return
            self.killed_for = key
        log.warning("Ending develop process %d: it did not stop when cancelled", self.pid)
        self.kill()

    def kill(self) -> None:
        with contextlib.suppress(OSError):
            self._process.kill()

    def close(self) -> None:
        """End the process: closing its input makes it exit at once."""
        with contextlib.suppress(OSError):
            if self._process.stdin is not None:
                self._process.stdin.close()
        try:
            self._process.wait(timeout=2)
        except subprocess.TimeoutExpired:
            self.kill()
            self._process.wait()
        if self._process.stdout is not None:
            self._process.stdout.close()


class LocalProcessExecutor(PooledExecutor):
    """`workers` develop processes behind the pool threads (see the module docstring)."""

    def __init__(self, workers: int, cache_dir: Path, *, develop: str = DEFAULT_DEVELOP) -> None:
        super().__init__(workers, queued_per_worker=1)
        self._cache_dir = Path(cache_dir)
        self._presets = PresetCache(self._cache_dir / "presets")
        self._develop_reference = develop
        self._idle: queue.LifoQueue[DevelopProcess] = queue.LifoQueue()
        self._count = 0  # processes alive or being started, idle or busy
        self._busy: dict[tuple[str, int], DevelopProcess] = {}
        self._stopped = False

    # -- lifecycle -------------------------------------------------------------------------

    def start(self, deliver: Deliver) -> None:
        super().start(deliver)
        self._resize()

    def _workers_changed(self) -> None:
        self._resize()

    def _resize(self) -> None:
        """Start processes up to `workers`; stop idle ones beyond it."""
        with self._lock:
            missing = self._workers - self._count if not self._stopped else 0
        for _ in range(max(0, missing)):
            try:
                process = self._spawn_counted()
            except OSError as exc:  # tried again when a photo needs a process
                log.error("A develop process could not be started: %s", exc)
                break
            self._idle.put(process)
        while True:
            with self._lock:
                if self._count <= self._workers:
                    return
                try:
                    extra = self._idle.get_nowait()
                except queue.Empty:
                    return  # busy ones beyond the count stop when they come back
                self._count -= 1
            extra.close()

    def _spawn_counted(self) -> DevelopProcess:
        """A new process, counted towards `workers` (OSError when none can be started)."""
        with self._lock:
            self._count += 1
        try:
            return self._spawn()
        except OSError:
            with self._lock:
                self._count -= 1
            raise

    def _spawn(self) -> DevelopProcess:
        # Each photo in flight gets its share of the cores as libvips threads: measured on two
        # cores, two photos at one thread each beat one photo at two threads.
        threads = max(1, (os.cpu_count() or 1) // max(1, self._workers))
        return DevelopProcess(self._cache_dir, threads, self._develop_reference)

    def publish(self, preset: Preset) -> None:
        self._presets.publish(preset)

    def wait_warm(self) -> None:
        """Block until every idle process has warmed up (they do so on their own from the
        moment they start; this only waits for them, e.g. to time photos fairly)."""
        processes: list[DevelopProcess] = []
        while True:
            try:
                processes.append(self._idle.get_nowait())
            except queue.Empty:
                break
        for process in processes:
            with contextlib.suppress(ProcessEnded):
                process.wait_ready()
            self._idle.put(process)

    def developing(self) -> int:
        """Processes developing a photo right now (not warming up, not idle)."""
        with self._lock:
            busy = list(self._busy.values())
        return sum(process.developing for process in busy)

    def stop(self, timeout_s: float) -> None:
        """Cancel what runs, end every process, and wait (bounded) for the pool threads."""
        with self._lock:
            self._stopped = True
        self.cancel()  # cooperative first; processes that do not stop are ended
        deadline = max(0.1, timeout_s)
        if not self._pool.waitForDone(int(min(deadline, HARD_CANCEL_S + 1.0) * 1000)):
            with self._lock:
                stuck = list(self._busy.values())
            for process in stuck:
                process.kill()
            self._pool.waitForDone(int(max(1.0, deadline - HARD_CANCEL_S - 1.0) * 1000))
        while True:
            try:
                process = self._idle.get_nowait()
            except queue.Empty:
                break
            process.close()

    # -- one job -----------------------------------------------------------------------------

    def _cancelled(self, key: tuple[str, int]) -> None:
        with self._lock:
            process = self._busy.get(key)
        if process is None:
            return
        process.cancel(key)
        timer = threading.Timer(HARD_CANCEL_S, process.kill_if_developing, args=(key,))
        timer.daemon = True
        timer.start()

    def _develop(self, job: PhotoJob, cancel: CancelToken) -> PhotoResult:
        process = self._take_idle(cancel)
        if process is None:
            return PhotoResult.of(job, Outcome.CANCELLED)
        try:
            for attempt in (1, 2):
                if cancel.cancelled:
                    return PhotoResult.of(job, Outcome.CANCELLED)
                if not process.alive:  # ended while idle: not this photo's doing
                    process = self._replace(process)
                with self._lock:
                    self._busy[job.key] = process
                try:
                    return process.run(job, cancel)
                except ProcessEnded as ended:
                    if not ended.started:
                        return self._cannot_start(job, ended)
                    outcome = self._after_death(job, process, ended, cancel, attempt)
                    if outcome is not None:
                        return outcome
                finally:
                    with self._lock:
                        self._busy.pop(job.key, None)
                process = self._replace(process)
            raise AssertionError("unreachable")
        finally:
            self._give_back(process)

    def _after_death(
        self,
        job: PhotoJob,
        process: DevelopProcess,
        ended: ProcessEnded,
        cancel: CancelToken,
        attempt: int,
    ) -> PhotoResult | None:
        """What a process that died on `job` means: a result, or None to try again."""
        for path in job.output_paths:
            remove_temp_files_for(Path(path))
        if cancel.cancelled or process.killed_for == job.key:
            return PhotoResult.of(job, Outcome.CANCELLED)
        log.warning(
            "Develop process %d ended while developing %s: %s", process.pid, job.name, ended.why
        )
        if attempt == 1:
            return None
        return PhotoResult.of(
            job,
            Outcome.FAILED,
            f"The decoder crashed on this photo ({job.name}): the develop process "
            f"{ended.why}, twice",
        )

    def _cannot_start(self, job: PhotoJob, ended: ProcessEnded) -> PhotoResult:
        log.error("A develop process could not start: %s", ended.why)
        return PhotoResult.of(
            job,
            Outcome.UNAVAILABLE,
            f"Junmai Batch could not start its develop processes ({ended.why}); "
            "see the log for details",
        )

    def _take_idle(self, cancel: CancelToken) -> DevelopProcess | None:
        """An idle process (each pool thread finds one, or starts one the launch could not);
        None once stopped or cancelled. OSError when no process can be started."""
        while True:
            try:
                return self._idle.get(timeout=0.5)
            except queue.Empty:
                with self._lock:
                    stopped = self._stopped
                    short = self._count < self._workers
                if stopped or cancel.cancelled:
                    return None
                if short:
                    return self._spawn_counted()

    def _replace(self, dead: DevelopProcess) -> DevelopProcess:
        self._retire(dead)
        return self._spawn_counted()

    def _retire(self, process: DevelopProcess) -> None:
        """End a process and stop counting it (once, however often it is asked)."""
        with self._lock:
            if process.retired:
                return
            process.retired = True
            self._count -= 1
        process.close()

    def _give_back(self, process: DevelopProcess) -> None:
        """Back to the idle ones; a dead or surplus process is ended instead (a dead one's
        place is filled at once, or when a photo next needs a process)."""
        with self._lock:
            surplus = self._stopped or self._count > self._workers
        if not surplus and process.alive:
            self._idle.put(process)
            return
        self._retire(process)
        if not surplus:
            try:
                self._idle.put(self._spawn_counted())
            except OSError as exc:
                log.error("A develop process could not be started: %s", exc)
