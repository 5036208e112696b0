"""The Export CSV dialog: the three CSVs the CLI writes (inventory, items, files), pseudonyms, text, where.

"Replace names with pseudonyms" is on by default for every kind. The inventory holds counts, no
names, so there it is shown ticked and fixed; for the items and the files the person's choice is
remembered per kind (the caller saves it), and choosing the inventory never changes it.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtWidgets import (QButtonGroup, QCheckBox, QDialog, QDialogButtonBox, QFileDialog, QHBoxLayout,
                               QLabel, QLayout, QLineEdit, QPushButton, QRadioButton, QVBoxLayout, QWidget)

KINDS = ("inventory", "items", "files", "report")
NO_NAMES = ("inventory", "report")  # counts only: pseudonyms shown ticked and fixed
FILE_NAMES = {"inventory": "export-auditor-inventory.csv", "items": "export-auditor-items.csv",
              "files": "export-auditor-files.csv", "report": "export-auditor-action-plan.html"}
DESCRIPTIONS = {
    "inventory": "Inventory: one row per platform × category × exposure level, with counts, dates and sizes, "
                 "and the rule's rationale, source and policy date",
    "items": "Items: one row per item",
    "files": "Files: every file of the export and what the app did with it (read, skipped and why, not understood)",
    "report": "Action plan: one printable page (HTML) of what you can do, with your counts",
}
WRAP_WIDTH = 520  # labels wrap at this width; the dialog grows in height, never clips


@dataclass(frozen=True)
class ExportOptions:
    what: str  # "inventory" | "items" | "files" | "report" (the action plan, HTML)
    path: Path
    pseudonymize: bool
    include_text: bool
    only_visible: bool  # items: only the rows the Items tab shows


def _wrapped(text: str) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setMinimumWidth(WRAP_WIDTH)
    return label


class ExportDialog(QDialog):
    def __init__(self, folder: str, *, pseudonymize: dict[str, bool] | None = None, include_text: bool = False,
                 filtered: bool = False, keyring_notice: str = "", kind: str = "inventory",
                 parent: QWidget | None = None) -> None:
        """`kind`: what is selected first (the window passes the kind exported last)."""
        super().__init__(parent)
        first = kind
        self.setWindowTitle("Export CSV")
        self.folder = folder
        self._pseudonymize = {"items": True, "files": True, **(pseudonymize or {})}
        self.kind_buttons: dict[str, QRadioButton] = {}
        group = QButtonGroup(self)
        for kind in KINDS:
            button = self.kind_buttons[kind] = QRadioButton()
            group.addButton(button)
        self.inventory, self.items, self.files, self.report = (self.kind_buttons[k] for k in KINDS)
        self.only_visible = QCheckBox("Only the items the Items tab shows now (its filters)")
        self.only_visible.setVisible(filtered)
        self.pseudonymize = QCheckBox("Replace names with pseudonyms")
        self.pseudonymize.setChecked(True)
        self.pseudonymize.toggled.connect(self._pseudonymize_toggled)
        self.no_names = QLabel("The inventory holds counts, no names.")
        self.no_names.setIndent(24)
        self.include_text = QCheckBox("Include the text of posts, comments and messages")
        self.include_text.setChecked(include_text)
        self._keyring_text = keyring_notice
        self.keyring_notice = _wrapped(keyring_notice)
        self.keyring_notice.setIndent(24)
        self.note = _wrapped("The file opens in Excel, LibreOffice and Numbers (UTF-8 with a byte order mark). "
                             "It is written only where you choose.")
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
        layout.setSizeConstraint(QLayout.SizeConstraint.SetMinimumSize)  # grows with what is shown
        layout.addWidget(QLabel("<b>What to export</b>"))
        for kind in KINDS:
            # a radio button does not wrap its text: a wrapped label beside it does, and clicking it selects
            line = QHBoxLayout()
            line.addWidget(self.kind_buttons[kind])
            label = _wrapped(DESCRIPTIONS[kind])
            label.setBuddy(self.kind_buttons[kind])
            label.mousePressEvent = lambda _event, b=self.kind_buttons[kind]: b.setChecked(True)
            line.addWidget(label, 1)
            layout.addLayout(line)
        for w in (self.only_visible, self.pseudonymize, self.no_names, self.keyring_notice, self.include_text,
                  self.note):
            layout.addWidget(w)
        layout.addWidget(QLabel("Save as:"))
        layout.addLayout(row)
        layout.addWidget(self.buttons)
        for button in self.kind_buttons.values():
            button.toggled.connect(self._kind_changed)
        self.kind_buttons.get(first, self.inventory).setChecked(True)
        self._kind_changed()

    @property
    def kind(self) -> str:
        return next(k for k, b in self.kind_buttons.items() if b.isChecked())

    def _kind_changed(self, *_args) -> None:
        kind = self.kind
        self.pseudonymize.blockSignals(True)
        self.pseudonymize.setChecked(True if kind in NO_NAMES else self._pseudonymize[kind])
        self.pseudonymize.blockSignals(False)
        self.pseudonymize.setEnabled(kind not in NO_NAMES)
        self.no_names.setText(f"The {'inventory' if kind == 'inventory' else 'action plan'} holds counts, no names.")
        self.no_names.setVisible(kind in NO_NAMES)
        self.include_text.setEnabled(kind == "items")
        self.only_visible.setEnabled(kind == "items")
        self._show_keyring_notice()
        self._suggest_name()
        self.adjustSize()

    def _pseudonymize_toggled(self, on: bool) -> None:
        if self.kind not in NO_NAMES:
            self._pseudonymize[self.kind] = on
        self._show_keyring_notice()
        self.adjustSize()

    def _show_keyring_notice(self) -> None:
        """Only where it matters: names replaced, and no keyring to keep the key."""
        self.keyring_notice.setVisible(bool(self._keyring_text) and self.kind not in NO_NAMES
                                       and self.pseudonymize.isChecked())

    def _suggest_name(self) -> None:
        name = FILE_NAMES[self.kind]
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
        kind = self.kind
        return ExportOptions(kind, Path(self.path.text()), kind not in NO_NAMES and self.pseudonymize.isChecked(),
                             kind == "items" and self.include_text.isChecked(),
                             kind == "items" and self.only_visible.isChecked())
