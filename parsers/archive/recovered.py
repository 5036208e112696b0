"""A zip whose table of contents (central directory) is missing: list it by walking its local headers.

This is what a download cut off before its end looks like. Every file found passes the same gate as a
directory listing (names, ratio, sizes, count); the file the download ends inside is listed as cut off.
"""
from __future__ import annotations

import struct
from typing import IO, Callable

from ..limits import MiB
from .guards import Gate
from .model import Entry, Listing
from .roots import normalise
from .streams import LOCAL_HEADER, data_opener


def recover(base: Callable[[], IO[bytes]], total: int, listing: Listing, gate: Gate) -> None:
    """Best-effort listing of a zip with no directory: walk the local headers from the start."""
    with base() as handle:
        pos = 0
        while pos + 30 <= total and not gate.full:
            handle.seek(pos)
            head = handle.read(30)
            if len(head) < 30 or head[:4] != b"PK\x03\x04":
                break
            _sig, _ver, flags, method, _t, _d, crc, csize, size, name_len, extra_len = LOCAL_HEADER.unpack(head)
            raw_name = handle.read(name_len)
            extra = handle.read(extra_len)
            if csize == 0xFFFFFFFF or size == 0xFFFFFFFF:
                size, csize = _zip64_sizes(extra, size, csize)
            start = pos + 30 + name_len + extra_len
            descriptor = 0
            if flags & 0x08 and csize == 0:
                found = _find_descriptor(handle, start, total)
                if found is None:
                    csize = -1
                else:
                    crc, csize, size, descriptor = found
            raw = raw_name.decode("utf-8" if flags & 0x800 else "cp437", errors="replace")
            if csize < 0 or start + csize > total:
                gate.cut(normalise(raw) or "(no name)", size, csize)
                break
            if not raw.endswith("/"):
                path = gate.admit(raw, size, csize, stored=method == 0)
                if path is not None:
                    where = f"{listing.name}: {path}"
                    opener = gate.encrypted(path) if flags & 0x1 else \
                        data_opener(base, start, method, csize, size, crc, where)
                    listing.entries.append(Entry(path, size, csize, opener))
            pos = start + csize + descriptor
            if flags & 0x08 and not descriptor:  # sizes were in the header, the descriptor follows anyway
                handle.seek(pos)
                following = handle.read(4)
                pos += 16 if following == b"PK\x07\x08" else 0 if following[:2] == b"PK" else 12


def _zip64_sizes(extra: bytes, size: int, csize: int) -> tuple[int, int]:
    i = 0
    while i + 4 <= len(extra):
        tag, length = struct.unpack("<HH", extra[i:i + 4])
        if tag == 1 and length >= 16:
            return struct.unpack("<QQ", extra[i + 4:i + 20])
        i += 4 + length
    return size, csize


def _find_descriptor(handle: IO[bytes], start: int, total: int) -> tuple[int, int, int, int] | None:
    """(crc, compressed size, size, descriptor length) of a streamed entry, by finding its signed descriptor."""
    pos = start
    handle.seek(pos)
    carry = b""
    while pos < total:
        chunk = handle.read(1 * MiB)
        if not chunk:
            return None
        data = carry + chunk
        base = pos - len(carry)
        at = data.find(b"PK\x07\x08")
        while at >= 0:
            if at + 16 <= len(data):
                crc, csize, size = struct.unpack("<III", data[at + 4:at + 16])
                if base + at - start == csize:
                    return crc, csize, size, 16
            at = data.find(b"PK\x07\x08", at + 1)
        carry = data[-15:]
        pos += len(chunk)
    return None
