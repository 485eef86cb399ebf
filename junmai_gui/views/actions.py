"""The batch actions shared by the toolbar, the menus and the context menu.

An action is enabled only when it is legal for every selected batch, by the domain's
transition rules, so a click never asks the controller for something it must refuse.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication, QObject, Qt
from PySide6.QtGui import QAction, QKeySequence

from junmai_gui.domain.batch import BatchSummary
from junmai_gui.domain.merge import merge_problem
from junmai_gui.domain.status import BatchStatus, can_transition
from junmai_gui.i18n import QT_TRANSLATE_NOOP
from junmai_gui.views import icons
from junmai_gui.views.formatting import sentence_text

MNEMONIC = re.compile(r"\(&\w\)")  # a mnemonic written after the text: "一時停止(&P)"


@dataclass(frozen=True)
class ActionSpec:
    """An action's name, and its text and tip in English (translated where shown)."""

    name: str
    text: str
    shortcut: str
    tip: str

    @property
    def shown_text(self) -> str:
        return QCoreApplication.translate("BatchActions", self.text)

    @property
    def shown_button_text(self) -> str:
        """The text on a toolbar button: without the mnemonic, whether written "&Pause" or,
        as Japanese does, "一時停止(&P)"."""
        return MNEMONIC.sub("", self.shown_text).replace("&", "")

    @property
    def shown_tip(self) -> str:
        return QCoreApplication.translate("BatchActions", self.tip)


SPECS: tuple[ActionSpec, ...] = (
    ActionSpec(
        "new_batch",
        QT_TRANSLATE_NOOP("BatchActions", "&New batch…"),
        "Ctrl+N",
        QT_TRANSLATE_NOOP("BatchActions", "Develop a new set of photos with a preset"),
    ),
    ActionSpec(
        "pause",
        QT_TRANSLATE_NOOP("BatchActions", "&Pause"),
        "Ctrl+P",
        QT_TRANSLATE_NOOP("BatchActions", "Pause the selected batches"),
    ),
    ActionSpec(
        "resume",
        QT_TRANSLATE_NOOP("BatchActions", "&Resume"),
        "Ctrl+R",
        QT_TRANSLATE_NOOP("BatchActions", "Resume (or start) the selected batches"),
    ),
    ActionSpec(
        "cancel",
        QT_TRANSLATE_NOOP("BatchActions", "&Cancel…"),
        "Ctrl+Shift+X",
        QT_TRANSLATE_NOOP("BatchActions", "Cancel the selected batches"),
    ),
    ActionSpec(
        "retry_failed",
        QT_TRANSLATE_NOOP("BatchActions", "Retry &failed"),
        "Ctrl+Shift+R",
        QT_TRANSLATE_NOOP("BatchActions", "Develop the failed photos again"),
    ),
    ActionSpec(
        "priority_up",
        QT_TRANSLATE_NOOP("BatchActions", "Priority &up"),
        "Ctrl+Up",
        QT_TRANSLATE_NOOP("BatchActions", "Develop the selected batches sooner"),
    ),
    ActionSpec(
        "priority_down",
        QT_TRANSLATE_NOOP("BatchActions", "Priority &down"),
        "Ctrl+Down",
        QT_TRANSLATE_NOOP("BatchActions", "Develop the selected batches later"),
    ),
    ActionSpec(
        "merge",
        QT_TRANSLATE_NOOP("BatchActions", "&Merge"),
        "Ctrl+M",
        QT_TRANSLATE_NOOP("BatchActions", "Merge the selected batches into one"),
    ),
    ActionSpec(
        "remove_finished",
        QT_TRANSLATE_NOOP("BatchActions", "Remove &finished"),
        "Delete",
        QT_TRANSLATE_NOOP("BatchActions", "Remove finished batches from the list"),
    ),
    ActionSpec(
        "open_output",
        QT_TRANSLATE_NOOP("BatchActions", "&Open output folder"),
        "Ctrl+O",
        QT_TRANSLATE_NOOP("BatchActions", "Show the developed photos"),
    ),
)

MERGE_SPEC = next(spec for spec in SPECS if spec.name == "merge")
BATCH_ACTIONS = tuple(spec.name for spec in SPECS if spec.name != "new_batch")

_MERGEABLE = frozenset({BatchStatus.PENDING, BatchStatus.PAUSED})


def mergeable(batches: Sequence[BatchSummary]) -> bool:
    """Two or more batches, none of which has started developing for good."""
    return len(batches) >= 2 and all(b.status in _MERGEABLE for b in batches)


def is_legal(name: str, batches: Sequence[BatchSummary]) -> bool:
    """Whether action `name` may be applied to every batch in `batches`."""
    if name == "new_batch":
        return True
    if not batches:
        return False
    if name == "pause":
        return all(can_transition(b.status, BatchStatus.PAUSED) for b in batches)
    if name == "resume":
        return all(
            b.status in (BatchStatus.PAUSED, BatchStatus.PENDING)
            and can_transition(b.status, BatchStatus.RUNNING)
            for b in batches
        )
    if name == "cancel":
        return all(can_transition(b.status, BatchStatus.CANCELLED) for b in batches)
    if name == "retry_failed":
        return all(
            b.status in (BatchStatus.COMPLETED, BatchStatus.FAILED) and b.failed_count > 0
            for b in batches
        )
    if name in ("priority_up", "priority_down"):
        return all(not b.status.is_finished for b in batches)
    if name == "merge":
        return mergeable(batches) and merge_problem(batches) is None
    if name == "remove_finished":
        return all(b.status.is_finished for b in batches)
    if name == "open_output":
        return all(b.config.get("output_dir") for b in batches)
    raise KeyError(name)


class BatchActions(QObject):
    """Owns one QAction per batch action; `update_for(selection)` enables the legal ones."""

    def __init__(self, parent: QObject) -> None:
        super().__init__(parent)
        self.by_name: dict[str, QAction] = {}
        self._tips: dict[str, str] = {}
        for spec in SPECS:
            action = QAction(icons.action_icon(spec.name), spec.shown_text, parent)
            action.setObjectName(f"action_{spec.name}")
            action.setIconText(spec.shown_button_text)
            action.setShortcut(QKeySequence(spec.shortcut))
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
            self._tips[spec.name] = f"{spec.shown_tip} ({spec.shortcut})"
            action.setToolTip(self._tips[spec.name])
            action.setStatusTip(spec.shown_tip)
            self.by_name[spec.name] = action
        self.update_for([])

    def __getitem__(self, name: str) -> QAction:
        return self.by_name[name]

    def batch_actions(self) -> list[QAction]:
        return [self.by_name[name] for name in BATCH_ACTIONS]

    def update_for(self, batches: Sequence[BatchSummary]) -> None:
        for name, action in self.by_name.items():
            action.setEnabled(is_legal(name, batches))
        merge = self.by_name["merge"]
        problem = merge_problem(batches) if mergeable(batches) else None
        why_not = sentence_text(problem) if problem else None
        merge.setToolTip(why_not or self._tips["merge"])
        merge.setStatusTip(why_not or MERGE_SPEC.shown_tip)
