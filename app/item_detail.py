"""One item in full (double-click in the Items tab): every field, the whole text, what it means."""
from __future__ import annotations

import pandas as pd
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLabel, QPlainTextEdit, QVBoxLayout, QWidget

from parsers.contract import CATEGORY_LABELS, EXPOSURE_LABELS

from .charts import PLATFORM_LABELS
from .models import format_time
from .views import human_bytes
from .words import actor_words, kind_words, plural


class ItemDetail(QDialog):
    def __init__(self, row: pd.Series, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Item")
        form = QFormLayout()
        fields = [
            ("When (UTC)", format_time(row["timestamp"]) or "no date in the export"),
            ("Platform", PLATFORM_LABELS.get(str(row["platform"]), str(row["platform"]))),
            ("Category", CATEGORY_LABELS.get(str(row["category"]), str(row["category"]))),
            ("Kind", kind_words(str(row["kind"]))),
            ("By", actor_words(str(row["actor"]))),
            ("Author", "" if pd.isna(row.get("author")) else str(row.get("author"))),
            ("With / where", "" if pd.isna(row["counterpart"]) else str(row["counterpart"])),
            ("Media", f"{plural(int(row['media_count']), 'file')}, {human_bytes(int(row['media_bytes']))}"),
            ("AI training", EXPOSURE_LABELS.get(str(row["exposure"]), str(row["exposure"]))),
            ("File in the export", str(row["source_file"])),
        ]
        self.values: dict[str, str] = {}
        for name, value in fields:
            label = QLabel(value)
            label.setWordWrap(True)
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            form.addRow(name + ":", label)
            self.values[name] = value
        self.text = QPlainTextEdit("" if pd.isna(row["text"]) else str(row["text"]))
        self.text.setReadOnly(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(QLabel("Text:"))
        layout.addWidget(self.text, 1)
        layout.addWidget(buttons)
        self.resize(560, 460)
