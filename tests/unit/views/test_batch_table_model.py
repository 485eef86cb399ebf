"""The batch table model: a correct Qt model whose rows follow the controller's events."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt

from junmai_gui.controller.batch_controller import BatchController
from junmai_gui.domain.status import BatchStatus
from junmai_gui.views.batch_table_model import (
    BATCH_ID_ROLE,
    PROGRESS_ROLE,
    BatchTableModel,
    Column,
)
from tests.creating import create

CONFIG = {"preset": "WhiteLayer_v4", "blend": 60}


def _start(controller: BatchController, files: list[Path], **kwargs: Any) -> str:
    return create(controller, photo_paths=files, config=dict(CONFIG), **kwargs).batch_id


def test_modeltester_passes_with_rows_coming_and_going(
    qtmodeltester: Any,
    qtbot: Any,
    controller: BatchController,
    photos: Callable[..., list[Path]],
) -> None:
    files = photos(3)
    model = BatchTableModel(controller)
    first = _start(controller, files, name="Wedding", start=False)
    second = _start(controller, files[:1], name="Portraits", start=False)
    qtmodeltester.check(model, force_py=True)
    controller.cancel_batch(first)
    controller.remove_batches([first])
    qtmodeltester.check(model, force_py=True)
    assert model.rowCount() == 1
    assert model.index(0, Column.NAME).data(BATCH_ID_ROLE) == second


def test_rows_follow_added_changed_removed(
    qtbot: Any, controller: BatchController, photos: Callable[..., list[Path]]
) -> None:
    files = photos(2)
    model = BatchTableModel(controller)
    with qtbot.wait_signal(model.rowsInserted):
        batch_id = _start(controller, files, name="Holiday", start=False)
    assert model.rowCount() == 1
    assert model.index(0, Column.NAME).data() == "Holiday"
    assert model.index(0, Column.STATUS).data() == "Not started"  # created with Add paused
    assert model.index(0, Column.PRESET).data() == "WhiteLayer_v4 (60 %)"

    controller.resume_batch(batch_id)
    qtbot.wait_until(lambda: model.index(0, Column.STATUS).data() == "Completed", timeout=20_000)
    progress = model.index(0, Column.PROGRESS).data(PROGRESS_ROLE)
    assert (progress.finished, progress.total, progress.percent) == (2, 2, 100.0)
    assert model.index(0, Column.PROGRESS).data() == "2 / 2  (100.0 %)"

    with qtbot.wait_signal(model.rowsRemoved):
        controller.remove_batches([batch_id])
    assert model.rowCount() == 0


def test_paused_status_names_the_reason(
    qtbot: Any,
    make_controller: Callable[..., BatchController],
    photos: Callable[..., list[Path]],
    store: Any,
) -> None:
    crashed = make_controller()
    batch_id = _start(crashed, photos(1), start=False)
    # The last run died with the batch running; the next launch recovers it as interrupted.
    store.set_status(batch_id, BatchStatus.RUNNING)
    controller = make_controller()
    model = BatchTableModel(controller)
    controller.recover_interrupted_batches()
    qtbot.wait_until(lambda: model.index(0, Column.STATUS).data() == "Paused — interrupted")
    assert model.index(0, Column.STATUS).data(Qt.ItemDataRole.DecorationRole) is not None


def test_rows_follow_the_controllers_one_coalesced_stream(
    qtbot: Any, controller: BatchController, photos: Callable[..., list[Path]]
) -> None:
    """The model does not debounce again: each change notification repaints its row at once,
    and a real batch is announced at most ~10 times a second."""
    batch_id = _start(controller, photos(1), start=False)
    model = BatchTableModel(controller)
    emitted: list[int] = []
    model.dataChanged.connect(lambda top, _bottom, _roles=(): emitted.append(top.row()))
    controller.batch_changed.emit(batch_id)
    assert emitted == [0]

    changes: list[str] = []
    controller.batch_changed.connect(changes.append)
    files = photos(40, folder="fast")
    began = time.monotonic()
    fast = _start(controller, files)
    qtbot.wait_until(lambda: controller.batch(fast).status is BatchStatus.COMPLETED, timeout=60_000)
    elapsed = time.monotonic() - began
    announced = changes.count(fast)
    assert 1 <= announced <= elapsed * 10 + 4, (announced, elapsed)
    assert announced < len(files)
    assert model.index(model.row_of(fast), Column.STATUS).data() == "Completed"


def test_states_say_what_a_photographer_needs_to_know(
    qtbot: Any,
    make_controller: Callable[..., BatchController],
    photos: Callable[..., list[Path]],
    gated: Any,
    tmp_path: Path,
) -> None:
    """Queued behind a batch with every worker: "Waiting for a free worker — 1st in line",
    no speed; completed with failures: "Completed — 1 failed" with a warning icon."""
    controller = make_controller(workers=1, develop=gated)
    model = BatchTableModel(controller)
    first = _start(controller, photos(2, folder="first"), name="First", priority=1)
    second = _start(controller, photos(2, folder="second"), name="Second")
    second_row = model.row_of(second)
    qtbot.wait_until(
        lambda: (
            model.index(second_row, Column.STATUS).data()
            == "Waiting for a free worker — 1st in line"
        )
    )
    assert model.index(second_row, Column.SPEED).data() == ""
    assert model.index(model.row_of(first), Column.STATUS).data() == "Running"
    gated.open()
    qtbot.wait_until(lambda: controller.batch(second).status is BatchStatus.COMPLETED)

    broken = tmp_path / "in" / "broken.jpg"
    broken.parent.mkdir(exist_ok=True)
    broken.write_bytes(b"\xff\xd8\xff\xe0 not a JPEG")
    mixed = _start(controller, [*photos(1, folder="mixed"), broken], name="Mixed")
    row = model.row_of(mixed)
    qtbot.wait_until(lambda: model.index(row, Column.STATUS).data() == "Completed — 1 failed")
    warning = model.index(row, Column.STATUS).data(Qt.ItemDataRole.DecorationRole)
    clean = model.index(model.row_of(first), Column.STATUS).data(Qt.ItemDataRole.DecorationRole)
    assert warning.cacheKey() != clean.cacheKey()


def test_photo_model_passes_modeltester_and_pages_lazily(
    qtmodeltester: Any,
    qtbot: Any,
    controller: BatchController,
    photos: Callable[..., list[Path]],
) -> None:
    from junmai_gui.views import photo_table_model
    from junmai_gui.views.photo_table_model import PhotoTableModel

    batch_id = _start(controller, photos(5), start=False)
    model = PhotoTableModel(controller)
    model.show_batch(batch_id)
    qtmodeltester.check(model, force_py=True)
    assert model.rowCount() == 5
    assert [model.index(r, 1).data() for r in range(5)] == ["Waiting"] * 5

    # Page by page (a fresh model: the tester itself fetches more whenever it can).
    original = photo_table_model.PAGE_SIZE
    photo_table_model.PAGE_SIZE = 2
    try:
        paged = PhotoTableModel(controller)
        paged.show_batch(batch_id)
        assert paged.rowCount() == 2 and paged.canFetchMore()
        paged.fetchMore()
        paged.fetchMore()
        assert paged.rowCount() == 5 and not paged.canFetchMore()

        # Refreshing what is on screen re-reads those rows only.
        controller.resume_batch(batch_id)
        qtbot.wait_until(lambda: controller.batch(batch_id).status is BatchStatus.COMPLETED)
        paged.refresh(range(3, 5))
        states = [paged.index(r, 1).data() for r in range(5)]
        assert states == ["Waiting"] * 3 + ["Done"] * 2
        paged.refresh()
        assert [paged.index(r, 1).data() for r in range(5)] == ["Done"] * 5
        column = photo_table_model.PhotoColumn.DEVELOPED_BY
        assert [paged.index(r, column).data() for r in range(5)] == ["This computer"] * 5
        assert paged.headerData(4, Qt.Orientation.Horizontal) == "Developed by"
    finally:
        photo_table_model.PAGE_SIZE = original
