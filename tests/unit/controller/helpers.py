"""Tiny photos and develop functions for the controller tests (importable by child processes).

`invert_develop` stands in for develop.engine.develop_photo where a test needs to control
timing or inject a failure: it decodes with pyvips, inverts, and writes through the real
`atomic_output`, so outputs are real, deterministic JPEGs written crash-safely.
"""

from __future__ import annotations

import errno
import threading
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pyvips

from junmai_gui.develop.errors import DevelopCancelled, PhotoError
from junmai_gui.develop.files import atomic_output


def write_inverted(source: Path, output: Path, *, fail_write: bool = False) -> Path:
    image = pyvips.Image.new_from_file(str(source), access="sequential")
    data = image.invert().jpegsave_buffer(Q=85, strip=True)
    with atomic_output(Path(output)) as tmp, open(tmp, "wb") as f:
        f.write(data[: len(data) // 2])
        if fail_write:
            raise OSError(errno.ENOSPC, "No space left on device")
        f.write(data[len(data) // 2 :])
    return Path(output)


def invert_develop(
    source: Path, output: Path, preset: Any, blend: float, options: Any, *, cancel: Any = None
) -> Path:
    if cancel is not None and cancel.cancelled:
        raise DevelopCancelled(f"Developing {Path(source).name} was cancelled")
    try:
        return write_inverted(Path(source), Path(output))
    except pyvips.Error as exc:
        raise PhotoError(f"{Path(source).name} could not be read") from exc


class Instrumented:
    """A develop function that counts calls and concurrency, and can hold or fail photos.

    - `gate`: while cleared, every call waits (photos stay in flight) — set it to release.
    - `fail_names`: stems that raise PhotoError (once each when `fail_once`).
    - `disk_full_names`: stems whose write runs out of space (ENOSPC) while set.
    - `wait_for_cancel`: calls wait for their cancel token (or for the flag to be cleared).
    """

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.gate = threading.Event()
        self.gate.set()
        self.in_flight = 0
        self.max_in_flight = 0
        self.started: list[str] = []  # output paths, in start order
        self.successes: Counter[str] = Counter()
        self.fail_names: set[str] = set()
        self.fail_once = False
        self.disk_full_names: set[str] = set()
        self.wait_for_cancel = False
        self.hook: Callable[[Path], None] | None = None
        self._never = threading.Event()

    def __call__(
        self,
        source: Path,
        output: Path,
        preset: Any,
        blend: float,
        options: Any,
        *,
        cancel: Any = None,
    ) -> Path:
        with self.lock:
            self.in_flight += 1
            self.max_in_flight = max(self.max_in_flight, self.in_flight)
            self.started.append(str(output))
        try:
            if self.hook is not None:
                self.hook(Path(source))
            if self.wait_for_cancel:
                # a long develop step that polls its cancel token, as the engine does
                while self.wait_for_cancel and not cancel.cancelled:
                    self._never.wait(0.005)
                if cancel.cancelled:
                    raise DevelopCancelled(f"Developing {Path(source).name} was cancelled")
            else:
                self.gate.wait(30)
            stem = Path(source).stem
            if stem in self.fail_names:
                if self.fail_once:
                    self.fail_names.discard(stem)
                raise PhotoError(f"{Path(source).name} is damaged and cannot be read")
            result = write_inverted(
                Path(source), Path(output), fail_write=stem in self.disk_full_names
            )
            with self.lock:
                self.successes[str(output)] += 1
            return result
        finally:
            with self.lock:
                self.in_flight -= 1


CRASH_ON_ENV = "JUNMAI_TEST_CRASH_ON"  # the stem of the photo to crash on
CRASH_HOW_ENV = "JUNMAI_TEST_CRASH_HOW"  # "exit" (os._exit(1)) or "segv" (SIGSEGV)
ATTEMPTS_ENV = "JUNMAI_TEST_ATTEMPTS"  # a file each attempt appends the photo's stem to


def crashing_develop(
    source: Path,
    output: Path,
    preset: Any,
    blend: float,
    options: Any,
    *,
    cancel: Any = None,
    extra_outputs: Any = (),
) -> Path:
    """For develop processes: the real engine, except that the photo named in the
    environment takes the whole process down, as a decoder crash would."""
    import os
    import signal

    from junmai_gui.develop.engine import develop_photo

    stem = Path(source).stem
    _log_attempt(stem)
    if stem == os.environ.get(CRASH_ON_ENV):
        if os.environ.get(CRASH_HOW_ENV) == "segv":
            os.kill(os.getpid(), signal.SIGSEGV)
        os._exit(1)
    return develop_photo(
        source, output, preset, blend, options, cancel=cancel, extra_outputs=extra_outputs
    )


GATE_ON_ENV = "JUNMAI_TEST_GATE_ON"  # the stem of the photo that waits for the gate file
GATE_FILE_ENV = "JUNMAI_TEST_GATE_FILE"  # the file whose existence lets it go on


def gated_develop(
    source: Path,
    output: Path,
    preset: Any,
    blend: float,
    options: Any,
    *,
    cancel: Any = None,
    extra_outputs: Any = (),
) -> Path:
    """For develop processes: `crashing_develop`, except that the photo named in the
    environment, its attempt logged, is held until the gate file exists: a test knows which
    photo is being developed while it acts."""
    import os

    from junmai_gui.develop.engine import develop_photo

    gate = os.environ.get(GATE_FILE_ENV)
    if not gate or Path(source).stem != os.environ.get(GATE_ON_ENV):
        return crashing_develop(
            source, output, preset, blend, options, cancel=cancel, extra_outputs=extra_outputs
        )
    _log_attempt(Path(source).stem)
    held = threading.Event()
    while not Path(gate).exists():
        held.wait(0.01)  # a condition polled in the develop process
    return develop_photo(
        source, output, preset, blend, options, cancel=cancel, extra_outputs=extra_outputs
    )


def _log_attempt(stem: str) -> None:
    import os

    attempts = os.environ.get(ATTEMPTS_ENV)
    if attempts:
        with open(attempts, "a", encoding="utf-8") as log:
            log.write(stem + "\n")


STALL_ON_ENV = "JUNMAI_TEST_STALL_ON"  # the stem of the photo to stall on
STALL_MARKER_ENV = "JUNMAI_TEST_STALL_MARKER"  # created once its first output is written


def stalling_develop(
    source: Path,
    output: Path,
    preset: Any,
    blend: float,
    options: Any,
    *,
    cancel: Any = None,
    extra_outputs: Any = (),
) -> Path:
    """For develop processes: the real engine, except that the photo named in the environment
    writes its first output, says so (the marker file) and never goes on, as a photo caught
    mid-way by a power cut would."""
    import os

    from junmai_gui.develop.engine import develop_photo

    marker = os.environ.get(STALL_MARKER_ENV)
    if Path(source).stem == os.environ.get(STALL_ON_ENV) and marker:
        develop_photo(source, output, preset, blend, options)
        Path(marker).write_text(str(os.getpid()))
        threading.Event().wait()
    return develop_photo(
        source, output, preset, blend, options, cancel=cancel, extra_outputs=extra_outputs
    )
