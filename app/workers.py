"""Scanning off the GUI thread: a QRunnable with a signals QObject (the superqt pattern).

The worker never touches widgets or models: it emits plain data (a progress tuple, then the
Audit with what the tabs show of it already computed) and Qt queues the signals onto the GUI thread. Progress is throttled so a fast scan of
thousands of small members cannot flood the event loop. A class-level set keeps each running
worker alive until it has finished, so Python cannot collect it under the thread pool's feet.
"""
from __future__ import annotations

import threading
import time
import traceback
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, ClassVar

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from parsers.scan import Audit, scan

#: At most this many progress signals per second (~20/s keeps the bar smooth and the GUI idle).
PROGRESS_INTERVAL = 0.05


@dataclass(frozen=True)
class ScanProgress:
    files_done: int
    files_total: int
    bytes_done: int
    bytes_total: int
    current: str


@dataclass(frozen=True)
class ScanResult:
    audit: Audit
    paths: tuple[str, ...]
    cancelled: bool
    seconds: float
    prepared: Any = None  # what `prepare(audit)` returned in the worker (backend.Prepared), or None


class ScanSignals(QObject):
    started = Signal()
    progress = Signal(object)   # ScanProgress
    finished = Signal(object)   # ScanResult
    errored = Signal(str)       # a plain-words message with the traceback's last line


class ScanWorker(QRunnable):
    """Scan `paths` in the global thread pool, then run `prepare(audit)` there too (the pandas work
    of showing it). `cancel()` is cooperative: checked between members and every MiB inside one."""

    _running: ClassVar[set["ScanWorker"]] = set()
    _lock: ClassVar[threading.Lock] = threading.Lock()

    def __init__(self, paths: list[str | Path], *, jurisdiction: str | None = None,
                 scan_function: Callable[..., Audit] = scan,
                 prepare: Callable[[Audit], Any] | None = None) -> None:
        super().__init__()
        self.setAutoDelete(False)  # Python owns the object; the set below keeps it alive
        self.paths = tuple(str(p) for p in paths)
        self.jurisdiction = jurisdiction
        self.signals = ScanSignals()
        self._scan = scan_function
        self._prepare = prepare
        self._cancel = threading.Event()
        self._last_emit = 0.0

    def start(self) -> None:
        with ScanWorker._lock:
            ScanWorker._running.add(self)
        QThreadPool.globalInstance().start(self)

    def cancel(self) -> None:
        self._cancel.set()

    @property
    def cancel_requested(self) -> bool:
        return self._cancel.is_set()

    def _progress(self, files_done: int, files_total: int, bytes_done: int, bytes_total: int,
                  current: str) -> None:
        now = time.monotonic()
        final = files_done >= files_total and not current
        if final or now - self._last_emit >= PROGRESS_INTERVAL:
            self._last_emit = now
            self.signals.progress.emit(ScanProgress(files_done, files_total, bytes_done, bytes_total, current))

    def run(self) -> None:  # runs in a pool thread
        self.signals.started.emit()
        began = time.monotonic()
        try:
            audit = self._scan(list(self.paths), jurisdiction=self.jurisdiction, progress=self._progress,
                               cancelled=self._cancel.is_set)
            cancelled = self._cancel.is_set() or bool(audit.partial)
            if cancelled:
                audit.partial = True
            prepared = self._prepare(audit) if self._prepare is not None else None
            self.signals.finished.emit(ScanResult(audit, self.paths, cancelled, time.monotonic() - began, prepared))
        except Exception as error:  # noqa: BLE001 - reported to the GUI, never lost in the thread
            last = traceback.format_exception_only(type(error), error)[-1].strip()
            self.signals.errored.emit(f"The scan stopped with an error: {last}")
        finally:
            with ScanWorker._lock:
                ScanWorker._running.discard(self)


def running_workers() -> int:
    with ScanWorker._lock:
        return len(ScanWorker._running)
