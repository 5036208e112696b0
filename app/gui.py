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
    parser.add_argument("--check", action="store_true",
                        help="check that a window can be opened here (system libraries, display), then exit")
    parser.add_argument("--self-test", action="store_true",
                        help="open the window, scan the demo exports, close; exit 0 when all went well")
    return parser


def run_gui(args: list[str]) -> int:
    try:
        options, qt_args = build_parser().parse_known_args(args)
    except SystemExit as stop:
        return int(stop.code or 0) and 2
    from . import startup

    problem = startup.window_problem()  # before Qt: its own failure here is an abort (exit 134)
    if problem is not None:
        return startup.report(problem)
    try:
        from PySide6.QtCore import QTimer
        from PySide6.QtWidgets import QApplication
    except ImportError as error:  # a Qt library's own system dependency is missing
        return startup.report(startup.import_problem(error))

    with startup.guard_qt_fatal():
        app = QApplication.instance() or QApplication([sys.argv[0], *qt_args])
    if options.check:
        print(f"Export Auditor can open its window here (Qt platform {app.platformName()}).")
        return 0

    from .settings import APPLICATION, ORGANISATION
    from .window import MainWindow, app_icon

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
    if options.self_test:
        from .self_test import attach

        test = attach(window, app)  # noqa: F841 (kept alive until the loop ends)
    elif options.demo:
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
