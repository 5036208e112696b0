"""Links out of the app (objection forms, policy sources): the address shows on hover, a click opens
the browser, and when no browser starts the address is shown in a dialog with a Copy button.

The app itself never goes on the network; these open only on the person's click.
"""
from __future__ import annotations

from typing import Callable

from PySide6.QtCore import QEvent, Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QGuiApplication
from PySide6.QtWidgets import (QDialog, QDialogButtonBox, QHBoxLayout, QLabel, QLineEdit, QPushButton, QScrollArea,
                               QToolTip, QVBoxLayout, QWidget)

#: Internal links (handled in the app, never opened in a browser) start with this scheme.
APP_SCHEME = "app:"


class LinkFallback(QDialog):
    """"Your browser did not open": the address, selectable, with Copy."""

    def __init__(self, url: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Open this address in your browser")
        self.url = url
        text = QLabel("The app could not start your web browser. Copy this address and open it there:")
        text.setWordWrap(True)
        self.address = QLineEdit(url)
        self.address.setReadOnly(True)
        self.address.setCursorPosition(0)
        self.address.setMinimumWidth(420)
        self.copy = QPushButton("Copy")
        self.copy.clicked.connect(self._copy)
        row = QHBoxLayout()
        row.addWidget(self.address, 1)
        row.addWidget(self.copy)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(text)
        layout.addLayout(row)
        layout.addWidget(buttons)

    def _copy(self) -> None:
        QGuiApplication.clipboard().setText(self.url)
        self.copy.setText("Copied")


_open_dialogs: list[LinkFallback] = []


def open_link(url: str, parent: QWidget | None = None) -> bool:
    """Open `url` in the browser; if that fails, show the fallback dialog. True when the browser opened."""
    if QDesktopServices.openUrl(QUrl(url)):
        return True
    dialog = LinkFallback(url, parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    _open_dialogs.append(dialog)
    dialog.finished.connect(lambda _=0, d=dialog: _open_dialogs.remove(d) if d in _open_dialogs else None)
    dialog.open()
    return False


def last_fallback() -> LinkFallback | None:
    """The fallback dialog on screen, if any (for tests and the screenshots tool)."""
    return _open_dialogs[-1] if _open_dialogs else None


class LinkLabel(QLabel):
    """Rich text whose links show their address on hover (tooltip and `hovered`) and open with
    `open_link`. Links starting with `app:` are handed to `internal` instead (e.g. a rules dialog)."""

    hovered = Signal(str)  # the address under the pointer, "" when it leaves a link

    def __init__(self, text: str = "", parent: QWidget | None = None,
                 internal: Callable[[str], None] | None = None) -> None:
        super().__init__(text, parent)
        self.setTextFormat(Qt.TextFormat.RichText)
        self.setWordWrap(True)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextBrowserInteraction)
        self.setOpenExternalLinks(False)
        self.internal = internal
        self.linkActivated.connect(self._activated)
        self.linkHovered.connect(self._hovered)

    def changeEvent(self, event: QEvent) -> None:
        """A new palette (the theme): lay the text out again, so links take the new link colour."""
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange and self.text():
            text = self.text()
            self.clear()
            self.setText(text)

    def _activated(self, url: str) -> None:
        if url.startswith(APP_SCHEME):
            if self.internal is not None:
                self.internal(url[len(APP_SCHEME):])
            return
        open_link(url, self.window())

    def _hovered(self, url: str) -> None:
        shown = "" if url.startswith(APP_SCHEME) else url
        self.setToolTip(shown)
        if shown:
            QToolTip.showText(self.cursor().pos(), shown, self)
        self.hovered.emit(shown)


def text_dialog_layout(dialog: QDialog, text: LinkLabel, *extra: QWidget) -> None:
    """The layout of a dialog that shows a long text: `text` in a scroll area, then `extra`
    widgets, then a Close button."""
    text.setAlignment(Qt.AlignmentFlag.AlignTop)
    scroll = QScrollArea()
    scroll.setWidget(text)
    scroll.setWidgetResizable(True)
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
    buttons.rejected.connect(dialog.reject)
    layout = QVBoxLayout(dialog)
    layout.addWidget(scroll, 1)
    for widget in extra:
        layout.addWidget(widget)
    layout.addWidget(buttons)
