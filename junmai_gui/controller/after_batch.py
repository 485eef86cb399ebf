"""A batch's after-batch actions, run when it ends completed or failed (never cancelled).

- `open_folder`: `open_folder_requested(batch_id, folder)` asks the window to open the
  output folder (headless, nobody listens: nothing happens).
- `copy`: every output of the finished photos is copied into the folder, keeping the
  subfolders it has inside the output folder; a file already there with the same bytes is
  left alone, one with other bytes is never replaced (the copy gets " (2)").
- `command`: the program runs, without a shell, in the output folder, with the batch's result
  as JSON on its standard input (`batch_result`) and `JUNMAI_BATCH_ID` set.

Copies and commands run on a thread of their own, so a slow upload never holds the window.
Each action's outcome is recorded on the batch (an `after_batch` event, listed in its status
as `after_batch`) and announced with `action_finished`; a failing action never changes the
batch's status. Where the actions come from is the config's business (`domain.after_batch`):
the HTTP API refuses commands, the window and the settings file may set them.
"""

from __future__ import annotations

import filecmp
import json
import logging
import os
import shutil
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Signal

from junmai_gui.develop.errors import DevelopError
from junmai_gui.develop.files import atomic_output
from junmai_gui.domain.after_batch import AfterAction
from junmai_gui.domain.batch import BatchSummary
from junmai_gui.domain.config import BatchConfig
from junmai_gui.domain.errors import BatchError
from junmai_gui.domain.status import BatchStatus, PhotoState
from junmai_gui.paths import log_fields
from junmai_gui.store.database import Store
from junmai_gui.store.records import PhotoRecord

log = logging.getLogger(__name__)

EVENT = "after_batch"
COMMAND_TIMEOUT_S = 3600.0
_PAGE = 1000
_STDERR_TAIL = 400
RUNS_AFTER = frozenset({BatchStatus.COMPLETED, BatchStatus.FAILED})


def _label(summary: BatchSummary) -> str:
    return f"“{summary.name}”" if summary.name else summary.batch_id


def finished_photos(store: Store, batch_id: str) -> Iterator[PhotoRecord]:
    """The done and failed photos of a batch, page by page (any thread)."""
    for state in (PhotoState.DONE, PhotoState.FAILED):
        offset = 0
        while True:
            page = store.batch_photos(batch_id, state=state, offset=offset, limit=_PAGE)
            yield from page
            if len(page) < _PAGE:
                break
            offset += _PAGE


def batch_result(store: Store, summary: BatchSummary) -> dict[str, Any]:
    """What a command gets on its standard input: the batch's status body (the AutoDev
    contract's) with its output folder, and each finished photo with its outputs or error."""
    body = summary.status_dict()
    body["output_dir"] = summary.config.get("output_dir")
    body["photos"] = [
        {
            "source_path": record.source_path,
            "state": record.state.value,
            "outputs": list(record.output_paths) if record.state is PhotoState.DONE else [],
            "error": record.error,
        }
        for record in finished_photos(store, summary.batch_id)
    ]
    return body


def copy_outputs(store: Store, summary: BatchSummary, folder: Path) -> str:
    """Copy every output of the done photos into `folder`; a sentence saying what was done.
    OSError or DevelopError (with the reason) when a copy fails."""
    root = Path(str(summary.config.get("output_dir") or ""))
    copied = same = 0
    for record in finished_photos(store, summary.batch_id):
        if record.state is not PhotoState.DONE:
            continue
        for output in map(Path, record.output_paths):
            try:
                relative = output.relative_to(root)
            except ValueError:
                relative = Path(output.name)
            target = folder / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            number = 1
            while target.exists() and not filecmp.cmp(output, target, shallow=False):
                number += 1
                target = target.with_name(f"{(folder / relative).stem} ({number}){output.suffix}")
            if target.exists():
                same += 1
                continue
            with atomic_output(target) as tmp:
                shutil.copyfile(output, tmp)
            copied += 1
    text = f"Copied {copied} output(s) to {folder}"
    return text + (f" ({same} were there already)" if same else "")


def run_command(argv: tuple[str, ...], result: dict[str, Any], cwd: str | None) -> str:
    """Run `argv` with `result` as JSON on its standard input; a sentence when it worked,
    RuntimeError with the reason when it did not."""
    data = json.dumps(result, ensure_ascii=False).encode()
    env = {**os.environ, "JUNMAI_BATCH_ID": str(result.get("batch_id", ""))}
    try:
        process = subprocess.Popen(
            list(argv), stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
            cwd=cwd if cwd and os.path.isdir(cwd) else None, env=env,
        )  # fmt: skip
    except OSError as exc:
        raise RuntimeError(f"{argv[0]} could not be started ({exc.strerror or exc})") from exc
    try:
        _, errors = process.communicate(data, timeout=COMMAND_TIMEOUT_S)
    except subprocess.TimeoutExpired as exc:
        process.kill()
        process.communicate()
        raise RuntimeError(f"{argv[0]} did not finish within {COMMAND_TIMEOUT_S:.0f} s") from exc
    if process.returncode != 0:
        tail = errors.decode(errors="replace").strip()[-_STDERR_TAIL:]
        detail = f": {tail.splitlines()[-1]}" if tail else ""
        raise RuntimeError(f"{argv[0]} ended with exit code {process.returncode}{detail}")
    return f"{argv[0]} ran and ended successfully"


class AfterBatchActions(QObject):
    """Runs the after-batch actions of the batches the controller finishes (main thread)."""

    open_folder_requested = Signal(str, str)  # batch_id, output folder
    action_finished = Signal(str, str, bool, str)  # batch_id, action, ok, message

    def __init__(
        self,
        store: Store,
        config_of: Callable[[str], BatchConfig],
        summary_of: Callable[[str], BatchSummary],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._store = store
        self._config_of = config_of
        self._summary_of = summary_of
        self._threads: set[threading.Thread] = set()
        self._lock = threading.Lock()

    def on_batch_finished(self, batch_id: str, status: str) -> None:
        """The controller's `batch_finished`: run the batch's actions if it ended so."""
        if BatchStatus(status) not in RUNS_AFTER:
            return
        try:
            actions = self._config_of(batch_id).after
            summary = self._summary_of(batch_id)
        except BatchError:
            return  # a batch whose settings cannot be read has no actions to run
        background = []
        for action in actions:
            if action.action == "open_folder":
                folder = str(summary.config.get("output_dir") or "")
                self._report(summary, action.action, True, f"Opening {folder}")
                self.open_folder_requested.emit(batch_id, folder)
            else:
                background.append(action)
        if background:
            thread = threading.Thread(
                target=self._run, args=(summary, background), name="after-batch", daemon=True
            )
            with self._lock:
                self._threads.add(thread)
            thread.start()

    def results(self, batch_id: str) -> list[dict[str, Any]]:
        """What the batch's actions did, oldest first: {"action", "ok", "message", "at"}."""
        return [{**detail, "at": at} for _, _, at, detail in self._store.events(batch_id, EVENT)]

    def wait_idle(self, timeout_s: float) -> bool:
        """Wait for running copies and commands (at quit: a bounded wait, they are daemons)."""
        deadline = time.monotonic() + timeout_s
        with self._lock:
            threads = list(self._threads)
        for thread in threads:
            thread.join(max(0.0, deadline - time.monotonic()))
        return not any(thread.is_alive() for thread in threads)

    def _run(self, summary: BatchSummary, actions: list[AfterAction]) -> None:
        """On the actions' thread: each action in turn; one failing does not stop the next."""
        try:
            for action in actions:
                try:
                    if action.action == "copy":
                        message = copy_outputs(self._store, summary, Path(str(action.folder)))
                    else:
                        cwd = summary.config.get("output_dir")
                        result = batch_result(self._store, summary)
                        message = run_command(action.command, result, cwd)
                    self._report(summary, action.action, True, message)
                except (OSError, DevelopError, RuntimeError) as exc:
                    reason = exc.message if isinstance(exc, DevelopError) else str(exc)
                    self._report(
                        summary, action.action, False, self._failed(summary, action, reason)
                    )
                except Exception as exc:  # a bug: the batch is not affected
                    log.exception("After-batch action %s of %s", action.action, summary.batch_id)
                    self._report(
                        summary, action.action, False, self._failed(summary, action, str(exc))
                    )
        finally:
            self._store.close()  # this thread's connection
            with self._lock:
                self._threads.discard(threading.current_thread())

    @staticmethod
    def _failed(summary: BatchSummary, action: AfterAction, reason: str) -> str:
        what = "Copying the outputs" if action.action == "copy" else "The command"
        return f"{what} after batch {_label(summary)} failed: {reason}"

    def _report(self, summary: BatchSummary, action: str, ok: bool, message: str) -> None:
        detail = {"action": action, "ok": ok, "message": message}
        try:
            self._store.log_event(summary.batch_id, EVENT, detail)
        except Exception:
            log.exception("Could not record the after-batch action of %s", summary.batch_id)
        level = logging.INFO if ok else logging.WARNING
        log.log(
            level,
            log_fields(
                "After-batch action",
                batch_id=summary.batch_id,
                action=action,
                ok=ok,
                result=message,
            ),
        )
        self.action_finished.emit(summary.batch_id, action, ok, message)
