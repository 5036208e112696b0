"""Files tab: every member of the export with its status, and the problems in plain words."""
from __future__ import annotations

import pandas as pd
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QSplitter, QVBoxLayout, QWidget

from parsers.contract import CATEGORY_LABELS, FILE_STATUSES
from parsers.scan import Audit

from ..backend import PLATFORM_NAMES, file_counts
from ..models import Column, FrameTableModel, format_bytes, format_count, format_label
from ..words import NOT_UNDERSTOOD, STATUS, plural, problem_words, reason_words
from .common import make_table

FILE_COLUMNS = [
    Column("path", "File", tooltip=True),
    Column("status", "Status", format_label(STATUS)),
    Column("reason", "Why", format_label(reason_words), tooltip=True),
    Column("category", "Category", format_label(CATEGORY_LABELS)),
    Column("items", "Items", format_count, align_right=True),
    Column("size", "Size", format_bytes, align_right=True),
    Column("platform", "Platform", format_label(PLATFORM_NAMES)),
    Column("part", "Part", tooltip=True),
]
PROBLEM_COLUMNS = [
    Column("file", "File", tooltip=True),
    Column("kind", "Problem", format_label(problem_words)),
    Column("message", "In plain words", tooltip=True),
]


class FilesTab(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.files = pd.DataFrame()
        self.model = FrameTableModel(FILE_COLUMNS, self)
        self.problems_model = FrameTableModel(PROBLEM_COLUMNS, self)
        self.status = QComboBox()
        self.status.addItem("Every status", None)
        for s in FILE_STATUSES:
            self.status.addItem(STATUS[s], s)
        self.status.addItem("Not understood (either of the last two)", NOT_UNDERSTOOD)
        self.status.currentIndexChanged.connect(self._filter)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.view = make_table(self.model, [420, 110, 300, 140, 60, 80, 80], Qt.TextElideMode.ElideMiddle)
        self.problems_label = QLabel()
        self.problems_label.setWordWrap(True)
        self.problems_view = make_table(self.problems_model, [320, 120])

        top = QWidget()
        top_layout = QVBoxLayout(top)
        top_layout.setContentsMargins(0, 0, 0, 0)
        row = QHBoxLayout()
        row.addWidget(QLabel("Show:"))
        row.addWidget(self.status)
        row.addWidget(self.summary, 1)
        top_layout.addLayout(row)
        top_layout.addWidget(self.view, 1)
        bottom = QWidget()
        bottom_layout = QVBoxLayout(bottom)
        bottom_layout.setContentsMargins(0, 0, 0, 0)
        bottom_layout.addWidget(self.problems_label)
        bottom_layout.addWidget(self.problems_view, 1)
        split = self.split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(top)
        split.addWidget(bottom)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(split)

    def set_audit(self, audit: Audit, counts: tuple[dict[str, int], int] | None = None) -> None:
        """`counts`: (members per status, members not read), when already computed (backend.file_counts)."""
        self.files = audit.files
        self.model.set_frame(audit.files)
        self.problems_model.set_frame(audit.problems)
        by_status, unread = counts if counts is not None else file_counts(audit.files)
        not_understood = sum(by_status.get(s, 0) for s in NOT_UNDERSTOOD)
        self.summary.setText(
            f"{plural(len(audit.files), 'file')} in the export: {by_status.get('parsed', 0):,} read, "
            f"{by_status.get('ignored', 0):,} known and skipped, {not_understood:,} not understood "
            f"({by_status.get('unknown', 0):,} not a file this app knows, {by_status.get('failed', 0):,} "
            "could not be read)."
            + (f" {plural(unread, 'file')} of the skipped {'was' if unread == 1 else 'were'} not read because "
               "the scan was cancelled." if unread else ""))
        n = len(audit.problems)
        if n:
            self.problems_label.setText(f"<b>Problems</b>: {n:,}. The scan went on past each of them; "
                                        "what could be read is counted.")
        elif not_understood:
            listed = "is listed above with its reason" if not_understood == 1 else "are listed above, each with the reason"
            self.problems_label.setText(f"<b>Problems</b>: no problem rows; the {plural(not_understood, 'file')} "
                                        f"not understood {listed}.")
        else:
            self.problems_label.setText("<b>Problems</b>: none. Every file was read or knowingly skipped.")
        self.problems_view.setVisible(n > 0)
        self.split.setSizes([1000, 250 if n else self.problems_label.sizeHint().height()])
        if self.status.currentIndex() != 0:
            self.status.setCurrentIndex(0)  # a new audit starts unfiltered (this filters once)
        else:
            self._filter()

    def set_status_filter(self, status: str | None) -> None:
        self.status.setCurrentIndex(max(self.status.findData(status), 0))

    def _filter(self) -> None:
        status = self.status.currentData()
        if len(self.files):
            wanted = list(status) if isinstance(status, (tuple, list)) else [status]
            self.model.set_mask(None if status is None else self.files["status"].isin(wanted).to_numpy(dtype=bool))
