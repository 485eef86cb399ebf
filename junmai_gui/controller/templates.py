"""Batch templates: New Batch's settings (preset, blend, outputs, naming, after-batch
actions) saved under a name, to start batches and watches from.

A template is a config (`BatchConfig`'s dict, checked when saved, its preset included); a
batch started from it takes that config with the request's own config over it. The window
saves templates (commands included: they come from the person at the computer); the HTTP
API only names them.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from PySide6.QtCore import QObject, Signal

from junmai_gui.controller.planning import BatchPlanner
from junmai_gui.domain.errors import InvalidBatchError, TemplateNotFoundError
from junmai_gui.domain.workflows import TemplateRecord
from junmai_gui.store.database import Store

MAX_TEMPLATE_NAME = 100


def template_dict(record: TemplateRecord) -> dict[str, Any]:
    """A template as the API shows it: every field of the record."""
    return asdict(record)


class BatchTemplates(QObject):
    """Save, list, read and delete templates (main thread; the store does the rest)."""

    templates_changed = Signal()

    def __init__(self, store: Store, planner: BatchPlanner, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._store = store
        self._planner = planner

    def save(self, name: str, config: dict[str, Any]) -> TemplateRecord:
        """Save `config` as the template `name` (replacing one of that name). The config is
        checked as a batch's would be; `output_dir` may be left out (each batch then gets
        its own folder)."""
        clean = name.strip() if isinstance(name, str) else ""
        if not clean or len(clean) > MAX_TEMPLATE_NAME:
            raise InvalidBatchError(
                f"A template needs a name of 1 to {MAX_TEMPLATE_NAME} characters"
            )
        stored = self._planner.check_config(config).to_dict()
        if "output_dir" not in config:
            stored.pop("output_dir", None)
        record = self._store.save_template(clean, stored)
        self.templates_changed.emit()
        return record

    def get(self, name: str) -> TemplateRecord:
        record = self._store.template(name)
        if record is None:
            raise TemplateNotFoundError(name)
        return record

    def all(self) -> list[TemplateRecord]:
        """Every template, by name."""
        return self._store.templates()

    def names(self) -> list[str]:
        return [record.name for record in self._store.templates()]

    def delete(self, name: str) -> None:
        if not self._store.delete_template(name):
            raise TemplateNotFoundError(name)
        self.templates_changed.emit()
