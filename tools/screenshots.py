"""Regenerate assets/screenshots/*.png from the demo exports (offscreen, 1280x800).

    QT_QPA_PLATFORM=offscreen python tools/screenshots.py [--out assets/screenshots]

Writes the start screen and each tab (light), the Overview of a cut-off download (its banner), and
the Overview and Timeline in the dark theme.
"""
from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(PROJECT))


def render_icon(size: int = 256) -> Path:
    """assets/icon.png from assets/icon.svg (for platforms and packagers that want a bitmap)."""
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    QSvgRenderer(str(PROJECT / "assets" / "icon.svg")).render(painter)
    painter.end()
    target = PROJECT / "assets" / "icon.png"
    image.save(str(target))
    return target


def cut_off_copy(path: Path, folder: Path, keep: float = 0.6) -> Path:
    """A copy of `path` that stops at `keep` of its bytes, as an interrupted download does."""
    data = path.read_bytes()
    target = folder / path.name
    target.write_bytes(data[: int(len(data) * keep)])
    return target


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=PROJECT / "assets" / "screenshots")
    args = parser.parse_args(argv)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from app.screenshots import pixel_spread, render_overview, render_start, render_tabs
    from app.window import MainWindow, demo_paths
    from parsers.scan import scan

    app = QApplication.instance() or QApplication([])
    with tempfile.TemporaryDirectory() as settings_dir:  # a fresh window: no recent exports, default size
        QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, settings_dir)
        window = MainWindow()
        window.set_theme("light")
        window.show()
        args.out.mkdir(parents=True, exist_ok=True)
        paths = [render_icon(), render_start(window, args.out)]
        window.show_audit(scan(demo_paths()))
        paths += render_tabs(window, args.out)
        window.set_theme("dark")
        paths += render_tabs(window, args.out, suffix="-dark", tabs=("overview", "timeline"))
        window.set_theme("light")
        cut = cut_off_copy(demo_paths()[0], Path(settings_dir))
        window.show_audit(scan([cut]))
        paths.append(render_overview(window, args.out / "damaged.png"))
        for path in paths[1:]:
            print(f"{path}  spread {pixel_spread(path):.1f}")
        window.set_theme("system")
        window.close()
    del app
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
