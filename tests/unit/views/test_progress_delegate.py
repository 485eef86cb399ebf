"""The progress bar's text reads over the fill and over the empty track alike: painted for
real into an image, the text's pixels contrast with what is under them wherever the fill
ends, also when it ends inside the first digit."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from PySide6.QtCore import QRect
from PySide6.QtGui import QImage, QPainter, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QApplication, QStyleOptionViewItem

from junmai_gui.controller.progress import BatchProgress
from junmai_gui.views import progress_delegate
from junmai_gui.views.batch_table_model import PROGRESS_ROLE
from junmai_gui.views.progress_delegate import MARGIN, ProgressDelegate, filled_rect

WIDTH, HEIGHT = 220, 26


def _paint(progress: BatchProgress) -> np.ndarray:
    model = QStandardItemModel(1, 1)
    item = QStandardItem()
    item.setData(progress, PROGRESS_ROLE)
    model.setItem(0, 0, item)
    option = QStyleOptionViewItem()
    option.rect = QRect(0, 0, WIDTH, HEIGHT)
    option.palette = QApplication.palette()
    image = QImage(WIDTH, HEIGHT, QImage.Format.Format_RGB888)
    image.fill(QApplication.palette().base().color())
    painter = QPainter(image)
    ProgressDelegate().paint(painter, option, model.index(0, 0))
    painter.end()
    data = np.frombuffer(image.constBits(), dtype=np.uint8, count=image.sizeInBytes())
    rows = data.reshape(HEIGHT, image.bytesPerLine())[:, : WIDTH * 3]
    return rows.reshape(HEIGHT, WIDTH, 3).copy()  # the image is freed on return


def _luminance(rgb: np.ndarray) -> np.ndarray:
    c = rgb.astype(float) / 255.0
    c = np.where(c <= 0.03928, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)
    return 0.2126 * c[..., 0] + 0.7152 * c[..., 1] + 0.0722 * c[..., 2]


def _contrast(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    la, lb = _luminance(a), _luminance(b)
    return (np.maximum(la, lb) + 0.05) / (np.minimum(la, lb) + 0.05)


@pytest.mark.parametrize("done", [0, 20, 38, 45, 52, 60, 76, 90, 150, 230, 300])
def test_the_text_contrasts_with_the_bar_under_every_part_of_it(
    qapp: Any, monkeypatch: pytest.MonkeyPatch, done: int
) -> None:
    progress = BatchProgress(done, 0, 300)
    with_text = _paint(progress)
    monkeypatch.setattr(progress_delegate, "progress_text", lambda _p: "")
    bare = _paint(progress)
    text = np.any(with_text != bare, axis=2)
    assert text.any(), "no text was drawn"
    contrast = _contrast(with_text, bare)
    bar = QRect(0, 0, WIDTH, HEIGHT).adjusted(MARGIN, MARGIN, -MARGIN, -MARGIN)
    edge = filled_rect(bar, progress.percent).right()
    columns = np.flatnonzero(text.any(axis=0))
    first_glyph = columns[columns < columns[0] + 5]  # the first digit's strokes
    for part in (columns[columns <= edge], columns[columns > edge], first_glyph):
        if part.size >= 3:  # a sliver of a glyph cut by the fill's edge is only its antialiasing
            strongest = contrast[:, part][text[:, part]].max()
            assert strongest >= 4.5, (done, part.min(), part.max(), strongest)


def test_the_fill_ends_where_the_percentage_says(qapp: Any) -> None:
    image = _paint(BatchProgress(150, 0, 300))
    filled, track = image[MARGIN + 1, MARGIN + 4], image[MARGIN + 1, WIDTH - MARGIN - 4]
    assert filled.tolist() != track.tolist()
    middle = MARGIN + (WIDTH - 2 * MARGIN) // 2
    assert image[MARGIN + 1, middle - 3].tolist() == filled.tolist()
    assert image[MARGIN + 1, middle + 3].tolist() == track.tolist()
