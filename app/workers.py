"""Scanning off the GUI thread: a QRunnable with a signals QObject (the superqt pattern).

The worker never touches widgets or models: it emits plain data (a progress tuple, then the
Audit with what the tabs show of it already computed) and Qt queues the signals onto the GUI thread. Progress is throttled so a fast scan of
thousands of small members cannot flood the event loop.

Lifetime, so no Qt object is ever destroyed on the pool thread (a crash under load otherwise): the
signals object is owned by the application object (C++ parent, GUI thread), and a class-level set
keeps each worker alive until its last signal, `ended`, has been delivered on the GUI thread; only
then is the worker released and its signals object deleted there (deleteLater).
"""
from __future__ import annotations

import threading
import time
import traceback
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, ClassVar

from PySide6.QtCore import QCoreApplication, QObject, QRunnable, QThreadPool, Signal, Slot

if TYPE_CHECKING:
    from parsers.scan import Audit

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


def scan_jurisdiction(chosen: str | None) -> str:
    """The jurisdiction to scan with: the person's choice, else "other" (the export's own wins in the scan),
    so that `backend.prepare` finds the exposure already right and does not classify every item again."""
    return chosen or "other"


def prepare_in_worker(audit: "Audit", chosen: str | None) -> Any:
    """`backend.prepare` in the worker thread; `app.backend` (pandas) is imported there, not on the GUI thread."""
    from . import backend

    return backend.prepare(audit, chosen)


class ScanSignals(QObject):
    started = Signal()
    progress = Signal(object)   # ScanProgress
    finished = Signal(object)   # ScanResult
    errored = Signal(str)       # a plain-words message with the traceback's last line
    ended = Signal()            # the worker's last signal (after finished or errored)

    def __init__(self, worker: "ScanWorker") -> None:
        super().__init__(QCoreApplication.instance())  # owned on the GUI thread, not by the Python wrapper
        self._worker: ScanWorker | None = worker
        self.ended.connect(self._release)  # queued: emitted on the pool thread, run on the GUI thread

    @Slot()
    def _release(self) -> None:
        worker, self._worker = self._worker, None
        if worker is not None:
            with ScanWorker._lock:
                ScanWorker._running.discard(worker)
        self.deleteLater()


class ScanWorker(QRunnable):
    """Scan `paths` in the global thread pool, then run `prepare(audit)` there too (the pandas work
    of showing it). `cancel()` is cooperative: checked between members and every MiB inside one."""

    _running: ClassVar[set["ScanWorker"]] = set()
    _lock: ClassVar[threading.Lock] = threading.Lock()

    def __init__(self, paths: list[str | Path], *, jurisdiction: str | None = None,
                 scan_function: "Callable[..., Audit] | None" = None,
                 prepare: "Callable[[Audit], Any] | None" = None) -> None:
        super().__init__()
        self.setAutoDelete(False)  # Python owns the object; the set below keeps it alive
        self.paths = tuple(str(p) for p in paths)
        self.jurisdiction = jurisdiction
        self.signals = ScanSignals(self)
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
        signals = self.signals
        signals.started.emit()
        began = time.monotonic()
        try:
            scan = self._scan
            if scan is None:
                from parsers.scan import scan
            audit = scan(list(self.paths), jurisdiction=self.jurisdiction, progress=self._progress,
                         cancelled=self._cancel.is_set)
            # a cancel that came after the last file was read is not honoured: everything was read (the
            # panel disables Cancel while finishing), so the audit is whole
            cancelled = bool(audit.partial)
            prepared = self._prepare(audit) if self._prepare is not None else None
            signals.finished.emit(ScanResult(audit, self.paths, cancelled, time.monotonic() - began, prepared))
        except Exception as error:  # noqa: BLE001 - reported to the GUI, never lost in the thread
            last = traceback.format_exception_only(type(error), error)[-1].strip()
            signals.errored.emit(f"The scan stopped with an error: {last}")
        finally:
            signals.ended.emit()


def running_workers() -> int:
    with ScanWorker._lock:
        return len(ScanWorker._running)
