"""`export-auditor [PATH...] [--demo]`: start the desktop app (everything but `scan`)."""
from __future__ import annotations

import argparse
import os
import sys
import time

from parsers import __version__


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="export-auditor",
                                     description="See what your Meta data exports contain. Runs locally.")
    parser.add_argument("paths", nargs="*", metavar="PATH", help="exports to open and scan (zip, parts, folder, .txt)")
    parser.add_argument("--demo", action="store_true", help="open the bundled synthetic demo exports")
    parser.add_argument("--version", action="version", version=f"export-auditor {__version__}")
    return parser


def run_gui(args: list[str]) -> int:
    try:
        options, qt_args = build_parser().parse_known_args(args)
    except SystemExit as stop:
        return int(stop.code or 0) and 2
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from .settings import APPLICATION, ORGANISATION
    from .window import MainWindow, app_icon

    app = QApplication.instance() or QApplication([sys.argv[0], *qt_args])
    app.setOrganizationName(ORGANISATION)
    app.setApplicationName(APPLICATION)
    app.setApplicationDisplayName("Export Auditor")
    app.setApplicationVersion(__version__)
    app.setWindowIcon(app_icon())
    window = MainWindow()
    window.show()
    probe = os.environ.get("EXPORT_AUDITOR_PAINT_PROBE")
    if probe:
        _probe_first_paint(app, probe)
    # scans named on the command line start once the window has been painted (a black window otherwise:
    # the scan and the first paint would share the interpreter from the start)
    if options.demo:
        QTimer.singleShot(100, window.open_demo)
    elif options.paths:
        QTimer.singleShot(100, lambda: window.scan_paths(options.paths))
    return app.exec()


def _probe_first_paint(app, path: str) -> None:
    """benchmarks/bench_startup.py: write the wall-clock time the window was first painted, then quit."""
    from PySide6.QtCore import QEvent, QObject, QTimer

    class FirstPaint(QObject):
        def eventFilter(self, watched, event) -> bool:  # noqa: N802 - Qt's name
            if event.type() == QEvent.Type.Paint and not getattr(self, "seen", False):
                self.seen = True
                QTimer.singleShot(0, self.done)  # after the paint has finished and been flushed
            return False

        def done(self) -> None:
            with open(path, "w", encoding="utf-8") as out:
                out.write(f"{time.time():.6f} {time.process_time():.6f}\n")
            app.quit()

    app._first_paint = FirstPaint(app)  # kept alive with the app
    app.installEventFilter(app._first_paint)
