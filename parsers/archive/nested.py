"""Zips inside zips: a seekable view of an inner zip without holding it in memory.

A stored inner zip is read in place (a window of the outer file). A compressed one cannot be read at
random offsets, so it is inflated to a temporary file, one inner zip at a time (`SPILL`): the file lives
in the app's own folder under the system temp directory (created with mkdtemp, private to the user),
is replaced when another inner zip is needed, and the folder is removed when a scan ends (and at exit).
Memory stays flat however many inner zips an outer zip holds; disk holds at most one of them (up to
`Limits.max_nested_zip_size`).
"""
from __future__ import annotations

import atexit
import os
import shutil
import tempfile
import threading
import zipfile
from typing import IO, Callable

from ..limits import MiB, Limits
from .model import ArchiveError, MemberTooLarge
from .streams import Slice, data_start

TEMP_PREFIX = "export-auditor-"


class Spill:
    """At most one inflated inner zip on disk; asking for another replaces it."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._folder: str | None = None
        self._key: object | None = None
        self._path: str | None = None
        self.fills = 0  # how many times an inner zip was inflated (for tests and benchmarks)

    def open(self, key: object, fill: Callable[[IO[bytes]], None]) -> IO[bytes]:
        """A reader of the spilled bytes of `key`, filled first when another inner zip is on disk."""
        with self._lock:
            if self._key is not key or self._path is None or not os.path.exists(self._path):
                self._drop()
                if self._folder is None or not os.path.isdir(self._folder):
                    self._folder = tempfile.mkdtemp(prefix=TEMP_PREFIX)
                handle, path = tempfile.mkstemp(dir=self._folder, suffix=".zip")
                try:
                    with os.fdopen(handle, "wb") as out:
                        fill(out)
                except BaseException:
                    _remove(path)
                    raise
                self._key, self._path = key, path
                self.fills += 1
            return open(self._path, "rb")

    @property
    def folder(self) -> str | None:
        return self._folder

    def release(self) -> None:
        """Remove the spilled file and the app's temp folder (a scan is over); later reads fill again."""
        with self._lock:
            self._drop()
            if self._folder is not None:
                shutil.rmtree(self._folder, ignore_errors=True)
                self._folder = None

    def _drop(self) -> None:
        if self._path is not None:
            _remove(self._path)  # an open reader keeps its bytes (POSIX); Windows: removed with the folder
        self._key = self._path = None


def _remove(path: str) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass


SPILL = Spill()
atexit.register(SPILL.release)


def inner_zip_view(source: Callable[[], IO[bytes]], info: zipfile.ZipInfo, base: Callable[[], IO[bytes]] | None,
                   limits: Limits, name: str) -> Callable[[], IO[bytes]]:
    """A seekable base opener of an inner zip: in place when stored, else the one spill file.

    `source` opens the inner zip's (inflated) bytes as a stream; `base` opens the outer file.
    """
    if info.compress_type == zipfile.ZIP_STORED and base is not None:
        offset, length = info.header_offset, info.compress_size

        def in_place() -> IO[bytes]:
            return Slice(base, data_start(base, offset, f"{name} (a zip inside a zip)"), length)
        return in_place
    size, cap = info.file_size, limits.max_nested_zip_size

    def fill(out: IO[bytes]) -> None:
        written = 0
        with source() as stream:
            while chunk := stream.read(1 * MiB):
                written += len(chunk)
                if written > cap:
                    raise MemberTooLarge(f"{name} inflated past {cap:,} bytes, the safety limit for a zip "
                                         f"inside a zip")
                out.write(chunk)

    key = object()

    def spilled() -> IO[bytes]:
        if size > cap:
            raise ArchiveError(f"{name} is a compressed zip inside a zip, {size:,} bytes, more than the "
                               f"{cap:,} bytes the app inflates to its temporary folder; it was not opened. "
                               f"Extract the outer zip and open the inner one directly.")
        return SPILL.open(key, fill)
    return spilled
