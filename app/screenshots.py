"""Render the start screen and each tab to PNG (for the README, and the not-blank test)."""
from __future__ import annotations

from pathlib import Path

import numpy as np
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication

from .window import MainWindow

SIZE = (1280, 800)
TAB_FILES = ("overview", "timeline", "items", "files")


def _settle() -> None:
    for _ in range(3):
        QApplication.processEvents()


def render_start(window: MainWindow, folder: Path) -> Path:
    window.resize(*SIZE)
    window.stack.setCurrentWidget(window.start)
    _settle()
    path = folder / "start.png"
    window.grab().save(str(path))
    return path


def _grab(window: MainWindow, path: Path) -> Path:
    _settle()
    for chart in (window.overview.category_chart, window.overview.exposure_chart, window.timeline.chart):
        chart.canvas.draw()  # draw_idle is pending; grab what the person will see
    _settle()
    window.grab().save(str(path))
    return path


def render_tabs(window: MainWindow, folder: Path, *, suffix: str = "",
                tabs: tuple[str, ...] = TAB_FILES) -> list[Path]:
    """One PNG per tab of a window that shows an audit, at 1280x800 (`name{suffix}.png`)."""
    folder.mkdir(parents=True, exist_ok=True)
    window.resize(*SIZE)
    window.stack.setCurrentWidget(window.tabs)
    paths = []
    for name in tabs:
        window.tabs.setCurrentIndex(TAB_FILES.index(name))
        paths.append(_grab(window, folder / f"{name}{suffix}.png"))
    return paths


def render_overview(window: MainWindow, path: Path) -> Path:
    """The Overview of the audit shown, at 1280x800."""
    window.resize(*SIZE)
    window.stack.setCurrentWidget(window.tabs)
    window.tabs.setCurrentWidget(window.overview)
    return _grab(window, path)


def pixel_spread(path: Path) -> float:
    """Standard deviation of the grey levels: near 0 for a blank (one-colour) image."""
    image = QImage(str(path)).convertToFormat(QImage.Format.Format_Grayscale8)
    width, height, stride = image.width(), image.height(), image.bytesPerLine()
    data = np.frombuffer(image.constBits(), dtype=np.uint8, count=stride * height).reshape(height, stride)
    return float(data[:, :width].std())
