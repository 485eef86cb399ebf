"""What an empty batch table shows: how to begin."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import QAbstractItemView, QLabel, QPushButton, QVBoxLayout, QWidget


class EmptyState(QWidget):
    """A hint over the table's viewport while it has no rows: "Drop photos or folders here,
    or click New batch", with the New batch button itself."""

    def __init__(self, table: QAbstractItemView) -> None:
        super().__init__(table.viewport())
        self._table = table
        self.hint = QLabel(self.tr("Drop photos or folders here, or click New batch."))
        self.hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.hint.setWordWrap(True)
        self.hint.setStyleSheet("color: palette(mid); font-size: 15px;")
        self.new_batch_button = QPushButton(self.tr("New batch…"))
        self.new_batch_button.setObjectName("empty_new_batch")
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        layout.addWidget(self.hint)
        layout.addWidget(self.new_batch_button, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addStretch(1)
        table.viewport().installEventFilter(self)
        model = table.model()
        model.rowsInserted.connect(self.update_visibility)
        model.rowsRemoved.connect(self.update_visibility)
        model.modelReset.connect(self.update_visibility)
        self.update_visibility()

    def update_visibility(self) -> None:
        self.setVisible(self._table.model().rowCount() == 0)
        self.setGeometry(self._table.viewport().rect())

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize:
            self.setGeometry(self._table.viewport().rect())
        return False
