"""Regenerate assets/screenshots/*.png from the demo exports (offscreen, 1280x800).

    QT_QPA_PLATFORM=offscreen python tools/screenshots.py [--out assets/screenshots]
"""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(PROJECT))


def dark_palette():
    from PySide6.QtGui import QColor, QPalette

    palette = QPalette()
    roles = QPalette.ColorRole
    for role, colour in ((roles.Window, "#2b2b2b"), (roles.WindowText, "#e6e6e6"), (roles.Base, "#1e1e1e"),
                         (roles.AlternateBase, "#262626"), (roles.Text, "#e6e6e6"), (roles.Button, "#353535"),
                         (roles.ButtonText, "#e6e6e6"), (roles.Mid, "#5a5a5a"), (roles.Highlight, "#2f65ca"),
                         (roles.HighlightedText, "#ffffff"), (roles.Link, "#8ab4f8")):
        palette.setColor(role, QColor(colour))
    return palette


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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=PROJECT / "assets" / "screenshots")
    parser.add_argument("--dark", action="store_true", help="a dark Fusion palette (to check chart legibility)")
    args = parser.parse_args(argv)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from app.screenshots import pixel_spread, render_start, render_tabs
    from app.window import MainWindow, demo_paths
    from parsers.scan import scan

    import tempfile

    app = QApplication.instance() or QApplication([])
    if args.dark:
        app.setStyle("Fusion")
        app.setPalette(dark_palette())
    with tempfile.TemporaryDirectory() as settings_dir:  # a fresh window: no recent exports, default size
        QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, settings_dir)
        window = MainWindow()
        window.show()
        args.out.mkdir(parents=True, exist_ok=True)
        if not args.dark:
            print(render_icon())
        paths = [render_start(window, args.out)]
        window.show_audit(scan(demo_paths()))
        paths += render_tabs(window, args.out)
        for path in paths:
            print(f"{path}  spread {pixel_spread(path):.1f}")
        window.close()
    del app
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
