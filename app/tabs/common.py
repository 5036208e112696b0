"""What several tabs use: the table view (one line per row, fixed row height) and labels kept whole."""
from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QLabel, QTableView

from ..models import FrameTableModel


def make_table(model: FrameTableModel, widths: list[int],
               elide: Qt.TextElideMode = Qt.TextElideMode.ElideRight) -> QTableView:
    """Fixed row heights keep a million-row table as fast as a short one (no per-row measuring)."""
    view = QTableView()
    view.setModel(model)
    view.setSortingEnabled(True)
    view.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setAlternatingRowColors(True)
    view.setWordWrap(False)
    view.setTextElideMode(elide)
    vertical = view.verticalHeader()
    vertical.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
    vertical.setDefaultSectionSize(view.fontMetrics().height() + 6)
    vertical.hide()
    header = view.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    header.setStretchLastSection(True)
    for column, width in enumerate(widths):
        view.setColumnWidth(column, width)
    return view


class _WholeHeight(QObject):
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if event.type() in (QEvent.Type.Resize, QEvent.Type.FontChange) and isinstance(watched, QLabel):
            needed = watched.heightForWidth(watched.width())
            if needed > 0 and needed != watched.minimumHeight():
                watched.setMinimumHeight(needed)  # the layout grows the page; the page scrolls
        return False


def keep_whole_height(label: QLabel) -> QLabel:
    """A word-wrapped label beside another in a row is given its full height for the width it got.

    Qt's box layouts estimate a row's height-for-width from the children's preferred widths, so a
    long wrapped text next to another one was cut (530 of 854 px at 1024 wide): set it from the
    width the label really has, whenever that changes.
    """
    label.installEventFilter(_WholeHeight(label))
    return label
