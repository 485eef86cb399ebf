"""The develop process: a child of the app that develops one photo at a time, in isolation.

    python -m junmai_gui.develop.develop_process --cache DIR [--threads N] [--develop MOD:FN]

A photo that crashes a decoder (a segfault, an abort, running out of memory) takes down this
process, never the app. It never opens the batch database: it reads jobs and answers
results, and the app records them.

The conversation runs over the process's standard input and output as frames: a 4-byte
big-endian length, then a JSON object. Before anything else, the output is moved to a
private descriptor and standard output is pointed at standard error, so a library that
prints cannot garble a frame.

- app -> process: `{"job": PhotoJob}`; `{"cancel": [batch_id, photo_id]}` (stop that job
  between stages); end of input: exit at once (the app closed the pipe or died).
- process -> app: `{"ready": {"pid", "warm_seconds"}}` once warmed; `{"log": [level, text]}`
  for warnings and errors, which the app writes to its own log; `{"result": PhotoResult}`
  for every job.

Warming (imports, libvips, numba's compilation of the per-pixel loops) happens before
`ready`, so the first photo of a session costs what the others cost. Presets are loaded by
content hash from the cache folder (`preset_cache`), and the baked 256³ tables are shared
with the other develop processes through memory-mapped files there (`shared_tables`).
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import json
import logging
import os
import queue
import signal
import sys
import threading
import time
from collections.abc import Sequence
from pathlib import Path
from typing import IO, Any

from junmai_gui.develop.engine import CancelToken
from junmai_gui.develop.errors import PresetError
from junmai_gui.develop.jobs import DevelopFunction, Outcome, PhotoJob, PhotoResult, run_job
from junmai_gui.develop.preset_cache import PresetCache

DEFAULT_DEVELOP = "junmai_gui.develop.engine:develop_photo"
_HEADER = 4
MAX_FRAME = 64 * 2**20


class FrameError(Exception):
    """A frame that is not a JSON object of a sane size: the other side is broken."""


def write_frame(stream: IO[bytes], message: dict[str, Any]) -> None:
    data = json.dumps(message, ensure_ascii=False).encode()
    stream.write(len(data).to_bytes(_HEADER, "big") + data)
    stream.flush()


def _read_exactly(stream: IO[bytes], size: int) -> bytes | None:
    chunks: list[bytes] = []
    remaining = size
    while remaining:
        chunk = stream.read(remaining)
        if not chunk:
            return None
        chunks.append(chunk)
        remaining -= len(chunk)
    return b"".join(chunks)


def read_frame(stream: IO[bytes]) -> dict[str, Any] | None:
    """The next frame, or None at the end of the stream (also in the middle of a frame)."""
    header = _read_exactly(stream, _HEADER)
    if header is None:
        return None
    size = int.from_bytes(header, "big")
    if size > MAX_FRAME:
        raise FrameError(f"a frame of {size} bytes")
    data = _read_exactly(stream, size)
    if data is None:
        return None
    try:
        message = json.loads(data)
    except ValueError as exc:
        raise FrameError(f"a frame that is not JSON ({exc})") from exc
    if not isinstance(message, dict):
        raise FrameError("a frame that is not a JSON object")
    return message


def develop_function(reference: str) -> DevelopFunction:
    """`module:function` imported (tests hand in their own develop functions this way)."""
    module_name, _, attribute = reference.partition(":")
    function: DevelopFunction = getattr(importlib.import_module(module_name), attribute)
    return function


def warm_up() -> None:
    """Import and compile everything a photo needs, on tiny images in memory."""
    import numpy as np
    import pyvips

    from junmai_gui.develop.output import Metadata, OutputOptions, encode, prepare
    from junmai_gui.develop.pipeline import apply_preset
    from junmai_gui.develop.preset import Preset

    spatial = Preset(  # every spatial step, so each compiled loop is compiled now
        "warm-up",
        settings={
            "Exposure2012": 0.3,
            "Clarity2012": 20.0,
            "Texture": 10.0,
            "Dehaze": 10.0,
            "Sharpness": 40.0,
            "SharpenEdgeMasking": 20.0,
            "LuminanceSmoothing": 20.0,
            "ColorNoiseReduction": 25.0,
            "GrainAmount": 25.0,
            "PostCropVignetteAmount": -20.0,
        },
    )
    for dtype, fmt in ((np.uint8, "uchar"), (np.uint16, "ushort")):
        ramp = np.linspace(0, np.iinfo(dtype).max, 64 * 48 * 3).astype(dtype).reshape(48, 64, 3)
        image = pyvips.Image.new_from_array(ramp, interpretation="srgb").cast(fmt)
        developed = apply_preset(image, spatial, 60.0)
        options = OutputOptions("jpeg") if fmt == "uchar" else OutputOptions("tiff", bit_depth=16)
        ready = prepare(developed, None, options, Metadata())
        encode(ready, options, Metadata(), source_name="warm-up")


class _FrameLog(logging.Handler):
    """Warnings and errors of this process, sent to the app to write in its log."""

    def __init__(self, send: Any) -> None:
        super().__init__(logging.WARNING)
        self._send = send

    def emit(self, record: logging.LogRecord) -> None:
        with contextlib.suppress(Exception):  # the app is gone; nothing to tell
            self._send({"log": [record.levelno, self.format(record)]})


class DevelopServer:
    """The loop of one develop process: a reader thread takes frames, the main thread
    develops. Only the reader touches the input; writes to the output take a lock."""

    def __init__(
        self, inbox: IO[bytes], outbox: IO[bytes], cache: PresetCache, develop: DevelopFunction
    ) -> None:
        self._inbox = inbox
        self._outbox = outbox
        self._cache = cache
        self._develop = develop
        self._jobs: queue.Queue[tuple[PhotoJob, CancelToken]] = queue.Queue()
        self._current: tuple[tuple[str, int], CancelToken] | None = None
        self._lock = threading.Lock()

    def send(self, message: dict[str, Any]) -> None:
        with self._lock:
            write_frame(self._outbox, message)

    def serve(self) -> None:
        threading.Thread(target=self._read, name="develop-inbox", daemon=True).start()
        while True:
            job, token = self._jobs.get()
            try:
                preset = self._cache.load(job.recipe.preset_hash)
            except PresetError as exc:
                result = PhotoResult.of(job, Outcome.PRESET_ERROR, exc.message)
            else:
                result = run_job(job, preset, develop=self._develop, cancel=token)
            with self._lock:
                self._current = None
            self.send({"result": result.to_dict()})

    def _read(self) -> None:
        try:
            while True:
                message = read_frame(self._inbox)
                if message is None:
                    break
                if "job" in message:
                    job = PhotoJob.from_dict(message["job"])
                    token = CancelToken()
                    with self._lock:
                        self._current = (job.key, token)
                    self._jobs.put((job, token))
                elif "cancel" in message:
                    key = tuple(message["cancel"])
                    with self._lock:
                        current = self._current
                    if current is not None and current[0] == key:
                        current[1].cancel()
        except (FrameError, OSError, KeyError, TypeError, ValueError) as exc:
            logging.getLogger(__name__).error("The develop process stops: %s", exc)
        # The app closed the pipe (quit) or died: stop now, whatever is being developed.
        # A half-written output is only ever a temporary file, removed at the next launch.
        os._exit(0)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="junmai-develop-process")
    parser.add_argument("--cache", required=True, type=Path, help="the app's cache folder")
    parser.add_argument("--threads", type=int, default=1, help="libvips threads for a photo")
    parser.add_argument("--develop", default=DEFAULT_DEVELOP, help="module:function")
    args = parser.parse_args(argv)

    inbox = os.fdopen(os.dup(0), "rb", buffering=0)
    outbox = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)  # whatever a library prints goes to standard error, never into a frame
    if hasattr(signal, "SIGINT"):
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the app's to handle

    started = time.perf_counter()
    import pyvips

    from junmai_gui.develop.pipeline.table import share_tables_in

    pyvips.concurrency_set(max(1, args.threads))
    logging.getLogger("pyvips").setLevel(logging.WARNING)
    share_tables_in(args.cache / "tables")
    server = DevelopServer(
        inbox, outbox, PresetCache(args.cache / "presets"), develop_function(args.develop)
    )
    handler = _FrameLog(server.send)
    handler.setFormatter(logging.Formatter("%(name)s: %(message)s"))
    logging.getLogger().addHandler(handler)
    warm_up()
    server.send({"ready": {"pid": os.getpid(), "warm_seconds": time.perf_counter() - started}})
    server.serve()
    return 0


if __name__ == "__main__":
    sys.exit(main())
