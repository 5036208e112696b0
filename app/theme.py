"""View > Theme: System (the default: follow the desktop's light or dark setting), Light or Dark.

Light and Dark are the Fusion style with an explicit palette, so they look the same on every
desktop; System keeps the platform's own style and palette and switches to the dark palette when
the desktop says it is dark (and back when it changes). Charts and banners read the palette, so
they follow (ChartWidget redraws on a palette change).
"""
from __future__ import annotations

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication

THEME_TITLES = {"system": "&System", "light": "&Light", "dark": "&Dark"}

_DARK = {
    "Window": "#2b2b2b", "WindowText": "#e6e6e6", "Base": "#1e1e1e", "AlternateBase": "#262626",
    "Text": "#e6e6e6", "Button": "#353535", "ButtonText": "#e6e6e6", "Mid": "#5a5a5a", "Dark": "#202020",
    "Light": "#4a4a4a", "Midlight": "#3c3c3c", "Shadow": "#111111", "Highlight": "#3d6fd1",
    "HighlightedText": "#ffffff", "Link": "#8ab4f8", "LinkVisited": "#c58af9", "ToolTipBase": "#3a3a3a",
    "ToolTipText": "#f0f0f0", "PlaceholderText": "#9a9a9a", "BrightText": "#ffffff",
}
_DISABLED_DARK = {"WindowText": "#7a7a7a", "Text": "#7a7a7a", "ButtonText": "#7a7a7a"}


def dark_palette() -> QPalette:
    palette = QPalette()
    for role, colour in _DARK.items():
        palette.setColor(getattr(QPalette.ColorRole, role), QColor(colour))
    for role, colour in _DISABLED_DARK.items():
        palette.setColor(QPalette.ColorGroup.Disabled, getattr(QPalette.ColorRole, role), QColor(colour))
    return palette


def is_dark(palette: QPalette) -> bool:
    return palette.color(QPalette.ColorRole.Window).lightness() < 128


def system_is_dark() -> bool:
    hints = QGuiApplication.styleHints()
    return hints is not None and hints.colorScheme() == Qt.ColorScheme.Dark


class Theme(QObject):
    """Applies the chosen theme to the application and follows the desktop in System mode."""

    def __init__(self, app: QApplication) -> None:
        super().__init__(app)
        self.app = app
        self.choice = "system"
        self._system_style = app.style().name()
        self._system_palette = QPalette(app.palette())
        hints = QGuiApplication.styleHints()
        if hints is not None:
            hints.colorSchemeChanged.connect(self._system_changed)

    def apply(self, choice: str) -> None:
        self.choice = choice if choice in THEME_TITLES else "system"
        dark = self.choice == "dark" or (self.choice == "system" and system_is_dark())
        if self.choice == "system" and not dark:
            self.app.setStyle(self._system_style)
            self.app.setPalette(self._system_palette)
        else:
            self.app.setStyle("Fusion")
            self.app.setPalette(dark_palette() if dark else self.app.style().standardPalette())

    def _system_changed(self, _scheme: Qt.ColorScheme) -> None:
        if self.choice == "system":
            self.apply("system")


def banner_style(kind: str, palette: QPalette) -> str:
    """A stylesheet for a notice banner ("warning" or "info") that reads in light and dark."""
    if is_dark(palette):
        colours = {"warning": ("#4a3b0b", "#ffe08a", "#8a6d1a"), "info": ("#0f3047", "#b9e1ff", "#2f6b94")}
    else:
        colours = {"warning": ("#fff3cd", "#664d03", "#e0c36b"), "info": ("#e7f1fb", "#0b3d62", "#9cc3e6")}
    background, text, border = colours.get(kind, colours["info"])
    return (f"QLabel {{ background: {background}; color: {text}; border: 1px solid {border}; padding: 8px; "
            f"border-radius: 4px; }}")


_shared: Theme | None = None


def shared_theme(app: QApplication) -> Theme:
    """The application's one Theme (every window uses it)."""
    global _shared
    if _shared is None or _shared.app is not app:
        _shared = Theme(app)
    return _shared
