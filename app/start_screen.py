"""The start screen: what the app does, how to open an export, recent exports, the demo."""
from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import (QFrame, QHBoxLayout, QLabel, QListWidget, QListWidgetItem, QProgressBar,
                               QPushButton, QScrollArea, QVBoxLayout, QWidget)

from .settings import RecentEntry

INTRO = ("Export Auditor reads the data exports you downloaded from Facebook, Instagram and WhatsApp and shows "
         "what they hold: posts, photos, messages, AI chats, searches and more, year by year. It also shows which "
         "parts Meta says it uses, or may use, to train its AI, and it does all this on this computer without "
         "sending anything anywhere.")


class ScanPanel(QFrame):
    """Progress of a running scan: files and bytes, the current file, and Cancel."""

    cancel_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.title = QLabel("Reading…")
        self.files_bar = QProgressBar()
        self.files_bar.setFormat("%v of %m files")
        self.bytes_bar = QProgressBar()
        self.bytes_bar.setFormat("%p% of the bytes")
        self.current = QLabel()
        self.current.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.current.setMinimumWidth(200)
        self.cancel = QPushButton("Cancel")
        self.cancel.clicked.connect(self.cancel_requested)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.files_bar)
        layout.addWidget(self.bytes_bar)
        row = QHBoxLayout()
        row.addWidget(self.current, 1)
        row.addWidget(self.cancel)
        layout.addLayout(row)

    def reset(self, title: str) -> None:
        self.title.setText(title)
        self.files_bar.setRange(0, 0)  # busy until the first progress report
        self.files_bar.setValue(0)
        self.bytes_bar.setRange(0, 1000)
        self.bytes_bar.setValue(0)
        self.current.setText("Opening…")
        self.cancel.setEnabled(True)
        self.cancel.setToolTip("Stop reading; what was read so far stays viewable, marked partial")

    def update_progress(self, files_done: int, files_total: int, bytes_done: int, bytes_total: int,
                        current: str) -> None:
        # never backwards: after a cancel the last report leaves out the file it stopped inside
        self.files_bar.setRange(0, max(files_total, 1))
        self.files_bar.setValue(max(self.files_bar.value(), min(files_done, max(files_total, 1))))
        self.bytes_bar.setValue(max(self.bytes_bar.value(), int(1000 * bytes_done / bytes_total) if bytes_total else 0))
        finishing = not current and files_done >= files_total
        metrics = self.current.fontMetrics()
        self.current.setText(metrics.elidedText(current or "Finishing…", Qt.TextElideMode.ElideMiddle,
                                                max(self.current.width(), 200)))
        self.current.setToolTip(current)
        if finishing:  # every file is read: Cancel would have nothing left to stop, so it is not offered
            self.cancel.setEnabled(False)
            self.cancel.setToolTip("Every file is read; the results are being put together.")


class StartScreen(QScrollArea):
    """Scrolls when the window is short, so nothing is cut off at 1024x700."""

    open_export = Signal()
    open_folder = Signal()
    open_demo = Signal()
    open_recent = Signal(list)
    clear_recent = Signal()
    show_help = Signal()

    def __init__(self, icon: QIcon | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        title = QLabel("Export Auditor")
        font = title.font()
        font.setPointSizeF(font.pointSizeF() * 2.0)
        font.setBold(True)
        title.setFont(font)
        intro = QLabel(INTRO)
        intro.setWordWrap(True)
        intro.setMaximumWidth(720)

        self.open_button = QPushButton("Open export…")
        self.open_button.setToolTip("A .zip (several at once for a multi-part export) or a WhatsApp chat .txt")
        self.folder_button = QPushButton("Open folder…")
        self.folder_button.setToolTip("An export you already unzipped")
        self.demo_button = QPushButton("Try the demo")
        self.demo_button.setToolTip("Synthetic Facebook, Instagram and WhatsApp exports shipped with the app")
        for button in (self.open_button, self.folder_button, self.demo_button):
            button.setMinimumHeight(36)
            button.setMinimumWidth(150)
        self.open_button.setDefault(True)
        self.open_button.clicked.connect(self.open_export)
        self.folder_button.clicked.connect(self.open_folder)
        self.demo_button.clicked.connect(self.open_demo)
        buttons = QHBoxLayout()
        for button in (self.open_button, self.folder_button, self.demo_button):
            buttons.addWidget(button)
        buttons.addStretch(1)

        drop = QLabel("…or drop export files and folders anywhere on this window.")
        drop.setEnabled(False)
        self.help_button = QPushButton("How do I get my data?")
        self.help_button.setFlat(True)
        self.help_button.setStyleSheet("QPushButton { text-decoration: underline; text-align: left; }")
        self.help_button.setCursor(Qt.CursorShape.PointingHandCursor)
        self.help_button.clicked.connect(self.show_help)

        self.recent_label = QLabel("<b>Recent audits</b> (click to open again)")
        self.clear_button = QPushButton("Clear list")
        self.clear_button.clicked.connect(self.clear_recent)
        self.recent = QListWidget()
        self.recent.setMaximumWidth(720)
        self.recent.setMaximumHeight(170)
        # one click opens (it is a list of things to open, not to select); Enter too
        self.recent.itemClicked.connect(self._open_item)
        self.recent.itemActivated.connect(self._open_item)

        header = QHBoxLayout()
        if icon is not None:
            logo = QLabel()
            logo.setPixmap(icon.pixmap(56, 56))
            header.addWidget(logo)
        header.addWidget(title)
        header.addStretch(1)

        page = QWidget()
        self.setWidget(page)
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        column = QWidget()
        column.setMaximumWidth(760)
        outer = QHBoxLayout(page)
        outer.addStretch(1)
        outer.addWidget(column, 3)
        outer.addStretch(1)
        layout = QVBoxLayout(column)
        layout.setContentsMargins(24, 48, 24, 32)
        layout.addLayout(header)
        layout.addWidget(intro)
        layout.addSpacing(16)
        layout.addLayout(buttons)
        layout.addWidget(drop)
        layout.addWidget(self.help_button, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addSpacing(12)
        recent_header = QHBoxLayout()
        recent_header.addWidget(self.recent_label, 1)
        recent_header.addWidget(self.clear_button)
        layout.addLayout(recent_header)
        layout.addWidget(self.recent)
        layout.addStretch(1)

    def _open_item(self, item: QListWidgetItem) -> None:
        if self.recent.isEnabled():
            self.open_recent.emit(list(item.data(Qt.ItemDataRole.UserRole)))

    def set_recent(self, entries: list[RecentEntry]) -> None:
        self.recent.clear()
        for entry in entries:
            item = QListWidgetItem(entry.title)
            item.setToolTip("\n".join(entry.paths))
            item.setData(Qt.ItemDataRole.UserRole, list(entry.paths))
            self.recent.addItem(item)
        for widget in (self.recent_label, self.recent, self.clear_button):
            widget.setVisible(bool(entries))

    def set_busy(self, busy: bool) -> None:
        for button in (self.open_button, self.folder_button, self.demo_button, self.clear_button):
            button.setEnabled(not busy)
        self.recent.setEnabled(not busy)
