"""PhotoWorker run on the test's thread against a real store: what it records and reports."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path
from typing import Any

from junmai_gui.controller.worker import Outcome, PhotoResult, PhotoWorker
from junmai_gui.develop.engine import CancelToken, OutputOptions
from junmai_gui.develop.library import PresetLibrary
from junmai_gui.domain.status import BatchStatus, PhotoState
from junmai_gui.store import NewBatch, NewBatchPhoto, Store
from junmai_gui.store.records import PhotoTask
from tests.photos import make_photos
from tests.unit.controller.helpers import Instrumented


def _running_task(store: Store, source: Path, output: str) -> PhotoTask:
    [photo_id] = store.add_photos([str(source)])
    store.create_batch(
        NewBatch(
            batch_id="batch_000000000001",
            name="",
            session_id=None,
            priority=0,
            config={"preset": "Identity"},
            status=BatchStatus.RUNNING,
            photos=[NewBatchPhoto(photo_id, output)],
            created_at="2025-11-09T10:00:00Z",
        )
    )
    attempts = store.mark_photo_running("batch_000000000001", photo_id)
    return PhotoTask("batch_000000000001", photo_id, str(source), output, attempts)


def _run(store: Store, task: PhotoTask, develop: Any) -> PhotoResult:
    worker = PhotoWorker(
        task,
        store,
        develop,
        PresetLibrary(None).get("Identity"),
        100.0,
        OutputOptions(),
        CancelToken(),
        threading.Lock(),
    )
    results: list[PhotoResult] = []
    worker.signals.finished.connect(results.append)
    worker.run()  # on this thread: the signal is delivered directly
    [result] = results
    return result


def test_a_photo_without_a_planned_output_fails_and_is_never_developed(
    data_dir: Path, tmp_path: Path
) -> None:
    store = Store.open(data_dir)
    [source] = make_photos(tmp_path / "in", 1)
    develop = Instrumented()
    result = _run(store, _running_task(store, source, ""), develop)
    assert result.outcome is Outcome.FAILED and result.store_error is None
    assert result.message == f"{source.name} has no output file planned, so it was not developed"
    assert develop.started == []
    [record] = store.batch_photos("batch_000000000001")
    assert (record.state, record.error) == (PhotoState.FAILED, result.message)
    store.close()


class _Refusing(Store):
    def record_photo_result(
        self, batch_id: str, photo_id: int, *, ok: bool, error: str | None = None
    ) -> None:
        raise sqlite3.OperationalError("database is locked")


def test_a_result_the_store_refuses_is_reported_with_the_outcome_it_should_have_had(
    data_dir: Path, tmp_path: Path
) -> None:
    store = _Refusing(data_dir / "refusing.sqlite3")
    [source] = make_photos(tmp_path / "in", 1)
    output = tmp_path / "out" / "a.jpg"
    output.parent.mkdir()
    result = _run(store, _running_task(store, source, str(output)), Instrumented())
    assert (result.outcome, result.store_error) == (Outcome.DONE, "database is locked")
    assert result.source_path == str(source) and output.is_file()
    [record] = store.batch_photos("batch_000000000001")
    assert record.state is PhotoState.RUNNING  # the controller records it again
    store.close()
