"""Reading a zip member from its local header, without zipfile: for zips with no directory and inner zips.

A member is a window of its base file (`Slice`), inflated when compressed (`Inflater`), and checked
(`Checked`): it yields at most its declared size, and a stream that ends early or whose CRC differs
raises `DamagedMember`. The declared size passed the listing's guards, so nothing inflates past them.
"""
from __future__ import annotations

import bz2
import struct
import zipfile
import zlib
from typing import IO, Callable

from ..limits import KiB
from ..rawio import InnerStream
from .guards import refuse
from .model import ArchiveError, DamagedMember

LOCAL_HEADER = struct.Struct("<4sHHHHHIIIHH")
READABLE_METHODS = (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED, zipfile.ZIP_BZIP2)


class Slice(InnerStream):
    """A seekable window [offset, offset+length) of a base file: an inner zip read in place."""

    def __init__(self, base: Callable[[], IO[bytes]], offset: int, length: int) -> None:
        super().__init__(base())
        self._offset, self._length, self._pos = offset, length, 0

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self._pos

    def seek(self, offset: int, whence: int = 0) -> int:
        base = {0: 0, 1: self._pos, 2: self._length}[whence]
        self._pos = max(0, base + offset)
        return self._pos

    def readinto(self, buffer) -> int:  # type: ignore[override]
        n = max(0, min(len(buffer), self._length - self._pos))
        if n == 0:
            return 0
        self._inner.seek(self._offset + self._pos)
        got = self.read_inner(memoryview(buffer)[:n])
        self._pos += got
        return got


class Inflater(InnerStream):
    """Streams a raw-deflate (or bzip2) member from a slice, never past its declared size."""

    def __init__(self, raw: IO[bytes], method: int, size: int) -> None:
        super().__init__(raw)
        self._left = size
        self._engine = zlib.decompressobj(-15) if method == zipfile.ZIP_DEFLATED else bz2.BZ2Decompressor()

    def readinto(self, buffer) -> int:  # type: ignore[override]
        want = min(len(buffer), self._left)
        out = b""
        while want and not out:
            if isinstance(self._engine, bz2.BZ2Decompressor):
                if self._engine.eof:
                    break
                chunk = self._inner.read(64 * KiB)
                if not chunk:
                    break
                out = self._engine.decompress(chunk, max_length=want)
                continue
            chunk = self._engine.unconsumed_tail or self._inner.read(64 * KiB)
            if not chunk:
                out = self._engine.flush()[:want]
                break
            out = self._engine.decompress(chunk, want)
            if self._engine.eof:
                break
        n = len(out)
        buffer[:n] = out
        self._left -= n
        return n


class Checked(InnerStream):
    """A member's bytes, checked at the end against its declared size and CRC-32 (None: not known)."""

    def __init__(self, raw: IO[bytes], size: int, crc: int | None, where: str) -> None:
        super().__init__(raw)
        self._size, self._crc, self._where = size, crc, where
        self._count, self._running = 0, 0

    def readinto(self, buffer) -> int:  # type: ignore[override]
        n = self.read_inner(buffer) if self._count < self._size else 0
        if n == 0 and len(buffer):
            if self._count < self._size:
                raise DamagedMember(f"{self._where} is cut off: it ends after {self._count:,} of its "
                                    f"{self._size:,} bytes")
            if self._crc is not None and self._running != self._crc:
                raise DamagedMember(f"{self._where} is damaged: its bytes do not match its checksum (CRC)")
            return 0
        self._count += n
        self._running = zlib.crc32(memoryview(buffer)[:n], self._running)
        return n


def data_opener(base: Callable[[], IO[bytes]], start: int, method: int, csize: int, size: int,
                crc: int | None, where: str) -> Callable[[], IO[bytes]]:
    """An opener for a member whose compressed bytes start at `start` of the base file."""
    if method not in READABLE_METHODS:
        return refuse(ArchiveError(f"{where} uses compression method {method}, which this app cannot read "
                                   f"outside a zip's own directory"))

    def opener() -> IO[bytes]:
        raw: IO[bytes] = Slice(base, start, csize)
        if method != zipfile.ZIP_STORED:
            raw = Inflater(raw, method, size)
        return Checked(raw, size, crc, where)
    return opener


def header_opener(base: Callable[[], IO[bytes]], info: zipfile.ZipInfo, where: str) -> Callable[[], IO[bytes]]:
    """An opener for a member listed in a directory: its data start is read from the local header on open."""
    offset, method, csize, size, crc = info.header_offset, info.compress_type, info.compress_size, info.file_size, \
        info.CRC

    def opener() -> IO[bytes]:
        return data_opener(base, data_start(base, offset, where), method, csize, size, crc, where)()
    return opener


def data_start(base: Callable[[], IO[bytes]], offset: int, where: str) -> int:
    """Where the data of the member whose local header is at `offset` starts (after its name and extra)."""
    with base() as handle:
        handle.seek(offset)
        head = handle.read(30)
    if len(head) < 30 or head[:4] != b"PK\x03\x04":
        raise DamagedMember(f"{where}: its local header is missing or damaged")
    name_len, extra_len = struct.unpack("<HH", head[26:30])
    return offset + 30 + name_len + extra_len
