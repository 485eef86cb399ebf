"""How a view waits for background work: the newest operation of one kind, and only it.

Every slow thing a view asks for (a folder scan, a preview, a preset import, a batch being
created) is an `Operation` the controller runs off the GUI thread. A view keeps one
`OperationSlot` per kind: starting a new operation cancels the older one and its result is
ignored; the newest one's result or error arrives through the callbacks, on the GUI thread.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject

from junmai_gui.controller.operations import Operation
from junmai_gui.domain.errors import BatchError


class OperationSlot(QObject):
    def __init__(
        self,
        on_result: Callable[[Any], None],
        on_error: Callable[[BatchError], None],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._on_result = on_result
        self._on_error = on_error
        self._operation: Operation[Any] | None = None

    @property
    def busy(self) -> bool:
        return self._operation is not None

    @property
    def operation(self) -> Operation[Any] | None:
        return self._operation

    def start(self, operation: Operation[Any]) -> Operation[Any]:
        """Wait for `operation` from now on (an older one is cancelled and forgotten)."""
        self.forget()
        self._operation = operation
        operation.finished.connect(self._on_finished)
        if operation.done:  # finished before we listened
            self._on_finished()
        return operation

    def forget(self) -> None:
        """Cancel the operation waited for; its result will be ignored."""
        old, self._operation = self._operation, None
        if old is not None:
            old.finished.disconnect(self._on_finished)
            old.cancel()

    def cancel(self) -> None:
        """Ask the operation to stop, and keep waiting for how it ends."""
        if self._operation is not None:
            self._operation.cancel()

    def _on_finished(self) -> None:
        operation, self._operation = self._operation, None
        if operation is None:
            return
        operation.finished.disconnect(self._on_finished)
        try:
            value = operation.result()
        except BatchError as exc:
            self._on_error(exc)
            return
        self._on_result(value)
