"""The recovery dialog: offered only when something was interrupted; each button does what it
says, in the store."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtWidgets import QApplication, QDialog

from junmai_gui.controller.batch_controller import BatchController
from junmai_gui.domain.status import BatchStatus, PauseReason
from junmai_gui.store.database import Store
from junmai_gui.views.launch import open_desktop
from junmai_gui.views.recovery_dialog import RecoveryDialog
from tests.creating import create

CONFIG = {"preset": "WhiteLayer_v4", "blend": 60}


def _interrupted(
    make_controller: Callable[..., BatchController],
    store: Store,
    photos: Callable[..., list[Path]],
    names: list[str],
) -> tuple[BatchController, list[str]]:
    """Batches the last run left running (it crashed), recovered by a new controller."""
    files = photos(2)
    first = make_controller()
    ids = [
        create(first, photo_paths=files, config=dict(CONFIG), name=n, start=False).batch_id
        for n in names
    ]
    for batch_id in ids:
        store.set_status(batch_id, BatchStatus.RUNNING)  # as the crashed run left them
    controller = make_controller()
    controller.recover_interrupted_batches()
    return controller, ids


def _select_row(dialog: RecoveryDialog, row: int) -> None:
    dialog.table.selectionModel().select(
        dialog.table.model().index(row, 0),
        QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows,
    )


def test_nothing_to_recover_shows_nothing(
    qtbot: Any,
    controller: BatchController,
    photos: Callable[..., list[Path]],
    settings: Any,
    data_dir: Path,
) -> None:
    create(controller, photo_paths=photos(1), config=dict(CONFIG), start=False)
    assert RecoveryDialog.batches_to_offer(controller) == []
    window = open_desktop(QApplication.instance(), controller, settings, recovery_prompt=True)
    qtbot.addWidget(window, before_close_func=type(window).allow_close)
    assert window.isVisible() and window.recovery_dialog is None
    assert not [w for w in QApplication.topLevelWidgets() if isinstance(w, QDialog)]


def test_resume_all(
    qtbot: Any,
    make_controller: Callable[..., BatchController],
    store: Store,
    photos: Callable[..., list[Path]],
) -> None:
    controller, ids = _interrupted(make_controller, store, photos, ["Mon", "Tue"])
    offered = RecoveryDialog.batches_to_offer(controller)
    assert [b.batch_id for b in offered] == ids
    assert {b.pause_reason for b in offered} == {PauseReason.INTERRUPTED}
    dialog = RecoveryDialog(controller)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.table.rowCount() == 2
    assert dialog.table.item(0, 0).text() == "Mon"
    assert dialog.table.item(0, 3).text() == "2"
    assert "Interrupted" in dialog.table.item(0, 4).text()

    with qtbot.wait_signal(dialog.accepted):
        qtbot.mouseClick(dialog.resume_all_button, Qt.MouseButton.LeftButton)
    for batch_id in ids:
        stored = store.get_batch(batch_id)
        assert stored is not None
        assert stored.status in (BatchStatus.RUNNING, BatchStatus.COMPLETED)
    for batch_id in ids:
        qtbot.wait_until(
            lambda b=batch_id: controller.batch(b).status is BatchStatus.COMPLETED, timeout=30_000
        )


def test_resume_selected_cancel_selected_keep_paused(
    qtbot: Any,
    make_controller: Callable[..., BatchController],
    store: Store,
    photos: Callable[..., list[Path]],
    monkeypatch: pytest.MonkeyPatch,
    request: Any,
) -> None:
    controller, ids = _interrupted(make_controller, store, photos, ["A", "B", "C"])
    dialog = RecoveryDialog(controller)
    qtbot.addWidget(dialog)
    dialog.show()
    assert not dialog.resume_selected_button.isEnabled()

    # Cancelling is for good: asked first, as everywhere else.
    _select_row(dialog, 1)
    asked = request.getfixturevalue("answer_no")
    qtbot.mouseClick(dialog.cancel_selected_button, Qt.MouseButton.LeftButton)
    assert len(asked) == 1 and "Cancel B?" in asked[0]
    assert store.get_batch(ids[1]).status is BatchStatus.PAUSED  # type: ignore[union-attr]
    monkeypatch.undo()
    request.getfixturevalue("answer_yes")
    qtbot.mouseClick(dialog.cancel_selected_button, Qt.MouseButton.LeftButton)
    assert store.get_batch(ids[1]).status is BatchStatus.CANCELLED  # type: ignore[union-attr]
    assert dialog.offered_ids() == [ids[0], ids[2]]
    assert dialog.isVisible()

    _select_row(dialog, 0)
    qtbot.mouseClick(dialog.resume_selected_button, Qt.MouseButton.LeftButton)
    assert store.get_batch(ids[0]).status in (BatchStatus.RUNNING, BatchStatus.COMPLETED)  # type: ignore[union-attr]
    assert dialog.offered_ids() == [ids[2]]

    with qtbot.wait_signal(dialog.rejected):
        qtbot.mouseClick(dialog.keep_paused_button, Qt.MouseButton.LeftButton)
    kept = store.get_batch(ids[2])
    assert kept is not None
    assert (kept.status, kept.pause_reason) == (BatchStatus.PAUSED, PauseReason.INTERRUPTED)
    qtbot.wait_until(
        lambda: controller.batch(ids[0]).status is BatchStatus.COMPLETED, timeout=30_000
    )


def test_batches_paused_at_quit_are_offered(
    qtbot: Any,
    make_controller: Callable[..., BatchController],
    photos: Callable[..., list[Path]],
) -> None:
    controller = make_controller()
    batch_id = create(controller, photo_paths=photos(1), config=dict(CONFIG), start=False).batch_id
    controller.resume_batch(batch_id)
    controller.pause_batch(batch_id, PauseReason.APP_QUIT)
    assert [b.batch_id for b in RecoveryDialog.batches_to_offer(controller)] == [batch_id]
    controller.resume_batch(batch_id)
    controller.pause_batch(batch_id)  # paused by the user: not a recovery matter
    assert RecoveryDialog.batches_to_offer(controller) == []


def test_launch_asks_first_unless_told_not_to(
    qtbot: Any,
    make_controller: Callable[..., BatchController],
    store: Store,
    photos: Callable[..., list[Path]],
    settings: Any,
    data_dir: Path,
) -> None:
    controller, ids = _interrupted(make_controller, store, photos, ["Night"])
    app = QApplication.instance()

    # --no-recovery-prompt (or the setting): the window opens, the batch stays paused.
    window = open_desktop(app, controller, settings, recovery_prompt=False)
    qtbot.addWidget(window, before_close_func=type(window).allow_close)
    assert controller.batch(ids[0]).pause_reason is PauseReason.INTERRUPTED
    window.allow_close()
    window.close()

    # Otherwise the dialog comes first, application-modal; the window shows once answered.
    window = open_desktop(app, controller, settings, recovery_prompt=True)
    qtbot.addWidget(window, before_close_func=type(window).allow_close)
    dialog = window.recovery_dialog
    assert isinstance(dialog, RecoveryDialog)
    assert dialog.isVisible() and dialog.isModal() and not window.isVisible()
    qtbot.mouseClick(dialog.resume_all_button, Qt.MouseButton.LeftButton)
    assert window.isVisible() and window.recovery_dialog is None
    assert controller.batch(ids[0]).status in (BatchStatus.RUNNING, BatchStatus.COMPLETED)
    qtbot.wait_until(
        lambda: controller.batch(ids[0]).status is BatchStatus.COMPLETED, timeout=30_000
    )
