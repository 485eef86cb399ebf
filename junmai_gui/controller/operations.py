"""Work that runs off the GUI thread and reports back on it: the one way the controller
and the views run background work (scans, previews, preset imports, batch creation).

`OperationRunner.run(work)` starts `work(operation)` on a thread of its own and returns the
`Operation` at once (main thread). The work may `report(done, total)` and should ask
`cancelled()` between steps. Its return value, or the `BatchError` it raised, reaches the
main thread, optionally through a `then` step run there (the controller takes a created
batch in before its creation counts as finished); then `finished` is emitted and
`result()` gives the value or raises the error. The runner tracks what runs, so shutdown
and tests can see that nothing is left behind.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QObject, Signal

from junmai_gui.domain.errors import BatchError, InvalidBatchError

log = logging.getLogger(__name__)

T = TypeVar("T")


class OperationCancelled(BatchError):
    """The caller cancelled an operation before it finished."""

    def __init__(self, message: str = "Cancelled") -> None:
        super().__init__(message)


class Operation(QObject, Generic[T]):
    """Progress, cancel and result of one piece of background work (main thread)."""

    progressed = Signal(int, int)  # done, total (what they count is the operation's own)
    finished = Signal()
    # From the working thread to the main thread: (value, BatchError or None).
    _settled = Signal(object, object)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._cancel = threading.Event()
        self._result: T | None = None
        self._error: BatchError | None = None
        self._done = False
        self._then: Callable[[Any], T] | None = None
        self._settled.connect(self._on_settled)

    # -- the working thread's side --------------------------------------------------------

    def report(self, done: int, total: int) -> None:
        self.progressed.emit(done, total)

    def cancelled(self) -> bool:
        return self._cancel.is_set()

    # -- callers (main thread) ---------------------------------------------------------------

    def cancel(self) -> None:
        """Ask the work to stop; an operation too far along still finishes with its result."""
        self._cancel.set()

    @property
    def done(self) -> bool:
        return self._done

    @property
    def error(self) -> BatchError | None:
        return self._error

    def result(self) -> T:
        """The value; raises the error that stopped the work, or RuntimeError if unfinished."""
        if self._error is not None:
            raise self._error
        if not self._done:
            raise RuntimeError("The operation has not finished")
        return self._result  # type: ignore[return-value]

    def succeed(self, value: T) -> None:
        self._result, self._done = value, True
        self.finished.emit()

    def fail(self, error: BatchError) -> None:
        self._error, self._done = error, True
        self.finished.emit()

    def _on_settled(self, value: Any, error: BatchError | None) -> None:
        if error is None and self._then is not None:
            try:
                value = self._then(value)
            except BatchError as exc:
                error = exc
        if error is not None:
            self.fail(error)
        else:
            self.succeed(value)


class OperationRunner(QObject):
    """Runs operations on threads of their own and keeps track of those still running."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._threads: dict[Operation[Any], threading.Thread] = {}
        self._lock = threading.Lock()

    def run(
        self,
        work: Callable[[Operation[Any]], Any],
        *,
        name: str,
        operation: Operation[T] | None = None,
        then: Callable[[Any], T] | None = None,
    ) -> Operation[T]:
        """Start `work(operation)` now; `then(value)` runs on the main thread before the
        operation finishes (its BatchError fails the operation)."""
        op: Operation[T] = operation if operation is not None else Operation(self)
        op._then = then
        thread = threading.Thread(target=self._work, args=(op, work, name), name=name, daemon=True)
        with self._lock:
            self._purge()
            self._threads[op] = thread
        thread.start()
        return op

    def running(self) -> list[Operation[Any]]:
        """Operations whose thread has not finished yet."""
        with self._lock:
            return [op for op, thread in self._threads.items() if thread.is_alive()]

    def cancel_all(self) -> None:
        for op in self.running():
            op.cancel()

    def wait_idle(self, timeout_s: float) -> bool:
        """Block until every operation's thread has finished (True) or the time is up."""
        with self._lock:
            threads = list(self._threads.values())
        for thread in threads:
            thread.join(timeout=timeout_s)
        return not any(thread.is_alive() for thread in threads)

    def _purge(self) -> None:
        """Forget operations whose thread has ended (under the lock)."""
        for op in [op for op, thread in self._threads.items() if not thread.is_alive()]:
            del self._threads[op]

    @staticmethod
    def _work(op: Operation[Any], work: Callable[[Operation[Any]], Any], name: str) -> None:
        value: Any = None
        error: BatchError | None = None
        try:
            value = work(op)
        except BatchError as exc:
            error = exc
        except Exception as exc:  # a bug, or a disk error the work did not foresee
            log.exception("Background work %s failed", name)
            error = InvalidBatchError(f"Something went wrong: {exc}")
        op._settled.emit(value, error)
