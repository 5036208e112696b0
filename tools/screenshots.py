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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=PROJECT / "assets" / "screenshots")
    args = parser.parse_args(argv)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from app.screenshots import pixel_spread, render_start, render_tabs
    from app.window import MainWindow, demo_paths
    from parsers.scan import scan

    import tempfile

    app = QApplication.instance() or QApplication([])
    with tempfile.TemporaryDirectory() as settings_dir:  # a fresh window: no recent exports, default size
        QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, settings_dir)
        window = MainWindow()
        window.show()
        args.out.mkdir(parents=True, exist_ok=True)
        paths = [render_start(window, args.out)]
        window.show_audit(scan(demo_paths()))
        paths += render_tabs(window, args.out)
        for path in paths:
            print(f"{path.relative_to(PROJECT)}  spread {pixel_spread(path):.1f}")
        window.close()
    del app
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
