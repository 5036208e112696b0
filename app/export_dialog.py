"""The Export CSV dialog: inventory or items (pseudonymise names, include text), or the action plan page;
where to write."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtWidgets import (QButtonGroup, QCheckBox, QDialog, QDialogButtonBox, QFileDialog, QHBoxLayout,
                               QLabel, QLineEdit, QPushButton, QRadioButton, QVBoxLayout, QWidget)


@dataclass(frozen=True)
class ExportOptions:
    what: str  # "inventory" | "items" | "report" (the action plan, HTML)
    path: Path
    pseudonymize: bool
    include_text: bool
    only_visible: bool  # items: only the rows the Items tab shows


class ExportDialog(QDialog):
    def __init__(self, folder: str, *, pseudonymize: bool = True, include_text: bool = False,
                 filtered: bool = False, keyring_notice: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Export CSV")
        self.folder = folder
        self.inventory = QRadioButton("Inventory: one row per platform and category (counts, dates, sizes)")
        self.items = QRadioButton("Items: one row per item")
        self.report = QRadioButton("Action plan: one printable page (HTML) of what you can do, with your counts")
        self.inventory.setChecked(True)
        group = QButtonGroup(self)
        group.addButton(self.inventory)
        group.addButton(self.items)
        group.addButton(self.report)
        self.report.toggled.connect(self._suggest_name)
        self.only_visible = QCheckBox("Only the items the Items tab shows now (its filters)")
        self.only_visible.setEnabled(False)
        self.only_visible.setVisible(filtered)
        self.pseudonymize = QCheckBox("Replace names with pseudonyms (the inventory holds no names)")
        self.pseudonymize.setChecked(pseudonymize)
        self.pseudonymize.setEnabled(False)
        self.include_text = QCheckBox("Include the text of posts, comments and messages")
        self.include_text.setChecked(include_text)
        self.include_text.setEnabled(False)
        self.items.toggled.connect(self.include_text.setEnabled)
        self.items.toggled.connect(self.pseudonymize.setEnabled)
        self.items.toggled.connect(self._show_keyring_notice)
        self.items.toggled.connect(self.only_visible.setEnabled)
        self.items.toggled.connect(self._suggest_name)
        self.keyring_notice = QLabel(keyring_notice)
        self.keyring_notice.setWordWrap(True)
        self._keyring_text = keyring_notice
        self.keyring_notice.setVisible(False)
        self.pseudonymize.toggled.connect(self._show_keyring_notice)
        self.note = QLabel("The file opens in Excel, LibreOffice and Numbers (UTF-8 with a byte order mark). "
                           "It is written only where you choose.")
        self.note.setWordWrap(True)
        self.path = QLineEdit()
        browse = QPushButton("Choose…")
        browse.clicked.connect(self._browse)
        row = QHBoxLayout()
        row.addWidget(self.path, 1)
        row.addWidget(browse)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        for w in (self.inventory, self.items, self.report, self.only_visible, self.pseudonymize, self.keyring_notice,
                  self.include_text, self.note):
            layout.addWidget(w)
        layout.addWidget(QLabel("Save as:"))
        layout.addLayout(row)
        layout.addWidget(self.buttons)
        self._suggest_name()
        self.resize(560, self.sizeHint().height())

    def _show_keyring_notice(self) -> None:
        """Only where it matters: items with pseudonyms, and no keyring to keep the key."""
        on = bool(self._keyring_text) and self.items.isChecked() and self.pseudonymize.isChecked()
        self.keyring_notice.setVisible(on)

    def _suggest_name(self) -> None:
        name = ("export-auditor-items.csv" if self.items.isChecked() else "export-auditor-action-plan.html"
                if self.report.isChecked() else "export-auditor-inventory.csv")
        current = Path(self.path.text()) if self.path.text() else Path(self.folder) / name
        self.path.setText(str(current.with_name(name)) if current.name.startswith("export-auditor-") else str(current))

    def _browse(self) -> None:
        ext = ".html" if self.report.isChecked() else ".csv"
        kind = "Web pages (*.html)" if ext == ".html" else "CSV files (*.csv)"
        chosen, _ = QFileDialog.getSaveFileName(self, "Export", self.path.text(), kind)
        if chosen:
            self._browsed = chosen  # the save dialog already asked about replacing it
            self.path.setText(chosen if chosen.lower().endswith(ext) else chosen + ext)

    def accept(self) -> None:
        """Ask before replacing a file the person typed rather than chose in the save dialog."""
        target = Path(self.path.text())
        if target.exists() and str(target) != getattr(self, "_browsed", None) and not self._confirmed(target):
            return
        super().accept()

    def _confirmed(self, target: Path) -> bool:
        from PySide6.QtWidgets import QMessageBox

        answer = QMessageBox.question(self, "Replace file?", f"{target} already exists. Replace it?")
        return answer == QMessageBox.StandardButton.Yes

    def options(self) -> ExportOptions:
        is_items = self.items.isChecked()
        what = "items" if is_items else "report" if self.report.isChecked() else "inventory"
        return ExportOptions(what, Path(self.path.text()),
                             is_items and self.pseudonymize.isChecked(), is_items and self.include_text.isChecked(),
                             is_items and self.only_visible.isChecked())
