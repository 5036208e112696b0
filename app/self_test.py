"""`export-auditor --self-test`: open the window, scan the bundled demo, close, exit 0.

Why: a frozen build can import fine and still fail at the first window (a Qt plugin or a data
file left out of the bundle). CI runs the built binary with this flag offscreen; under a real X
server it also shows that the window opens. It prints when the window was first painted, counted
from the start of the process (the bootloader of a frozen build included, on Linux).
"""
from __future__ import annotations

import os
import sys
import time

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication

#: A self-test that has not finished after this long has failed.
TIMEOUT_S = 180.0


def process_age() -> float:
    """Seconds since this process started (Linux: from /proc; elsewhere: since this module was imported)."""
    try:
        with open("/proc/self/stat", "rb") as stat:
            fields = stat.read().rsplit(b")", 1)[1].split()
        started = int(fields[19]) / os.sysconf("SC_CLK_TCK")  # field 22: start time after boot
        with open("/proc/uptime", "rb") as uptime:
            return float(uptime.read().split()[0]) - started
    except (OSError, ValueError, IndexError):
        return time.perf_counter() - _IMPORTED


_IMPORTED = time.perf_counter()


class SelfTest(QObject):
    """Watches the main window: first paint, then the demo's audit, then quit with the result."""

    def __init__(self, window, app: QApplication) -> None:
        super().__init__(window)
        self.window = window
        self.app = app
        self.first_paint: float | None = None
        self.code = 1
        window.installEventFilter(self)
        window.audit_shown.connect(self._shown)
        window.scan_failed.connect(self._failed)
        QTimer.singleShot(int(TIMEOUT_S * 1000), self._timeout)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        if self.first_paint is None and event.type() in (QEvent.Type.Paint, QEvent.Type.Expose):
            self.first_paint = process_age()
            print(f"self-test: window painted {self.first_paint:.2f} s after the process started "
                  f"(platform {self.app.platformName()})", flush=True)
        return False

    def start(self) -> None:
        self.scan_started = time.perf_counter()
        self.window.open_demo()
        if self.window.worker is None:  # no demo in this installation
            self._failed("the demo exports are not part of this installation")

    def _shown(self, audit) -> None:
        items = len(audit.items)
        sources = len(audit.sources)
        took = time.perf_counter() - self.scan_started
        if self.first_paint is None:
            self._failed("the window was never painted")
            return
        if items == 0 or sources == 0:
            self._failed(f"the demo gave {sources} exports and {items} items")
            return
        print(f"self-test: demo scanned in the window: {sources} exports, {items:,} items, {took:.2f} s; "
              f"closing", flush=True)
        self.code = 0
        QTimer.singleShot(200, self._quit)

    def _failed(self, reason: str) -> None:
        print(f"self-test FAILED: {reason}", file=sys.stderr, flush=True)
        self.code = 1
        QTimer.singleShot(0, self._quit)

    def _timeout(self) -> None:
        if self.code != 0:
            self._failed(f"not done after {TIMEOUT_S:.0f} s")

    def _quit(self) -> None:
        self.window.close()
        self.app.exit(self.code)


def attach(window, app: QApplication) -> SelfTest:
    """Start the self-test on `window` once the event loop runs."""
    test = SelfTest(window, app)
    QTimer.singleShot(0, test.start)
    return test
