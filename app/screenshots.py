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


def render_tabs(window: MainWindow, folder: Path) -> list[Path]:
    """One PNG per tab of a window that shows an audit, at 1280x800."""
    folder.mkdir(parents=True, exist_ok=True)
    window.resize(*SIZE)
    window.stack.setCurrentWidget(window.tabs)
    paths = []
    for index, name in enumerate(TAB_FILES):
        window.tabs.setCurrentIndex(index)
        _settle()
        for chart in (window.overview.category_chart, window.overview.exposure_chart, window.timeline.chart):
            chart.canvas.draw()  # draw_idle is pending; grab what the person will see
        _settle()
        path = folder / f"{name}.png"
        window.grab().save(str(path))
        paths.append(path)
    return paths


def pixel_spread(path: Path) -> float:
    """Standard deviation of the grey levels: near 0 for a blank (one-colour) image."""
    image = QImage(str(path)).convertToFormat(QImage.Format.Format_Grayscale8)
    width, height, stride = image.width(), image.height(), image.bytesPerLine()
    data = np.frombuffer(image.constBits(), dtype=np.uint8, count=stride * height).reshape(height, stride)
    return float(data[:, :width].std())
