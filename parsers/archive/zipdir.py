"""A zip listed from its directory (the usual case), falling back to its local headers when that is broken.

Sizes come from the directory; no member is read to list it. Each file passes the gate (guards.py).
A top-level zip keeps one `zipfile.ZipFile` open for its members; an inner zip is listed and closed,
and its members are read from their local headers (so no file handle or spill stays held per inner zip).
"""
from __future__ import annotations

import zipfile
from functools import partial
from typing import IO, Callable

from ..limits import Limits
from .guards import Gate
from .model import Entry, Listing
from .nested import inner_zip_view
from .recovered import recover
from .streams import header_opener

ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")


def list_zip_container(name: str, base: Callable[[], IO[bytes]], total: int, limits: Limits,
                       named_zip: bool, *, nested: bool = False, kind: str = "zip") -> Listing:
    """List a zip from a base opener (a file on disk, a window of an outer zip, or a spilled inner zip)."""
    listing = Listing(name, kind=kind)
    if total == 0:
        listing.log.add(name, "empty_file", f"{name} is empty (0 bytes): the download did not complete.")
        listing.damage.notes.append(f"{name} is empty (0 bytes)")
        return listing
    with base() as handle:
        head = handle.read(4)
    gate = Gate(listing, limits, total)
    handle = base()
    try:
        archive = zipfile.ZipFile(handle)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError) as error:
        handle.close()
        if head == b"PK\x03\x04":
            recover(base, total, listing, gate)
            listed = len(listing.entries)
            listing.log.add(name, "truncated_zip",
                            f"{name} is incomplete or damaged: its table of contents is missing (the download "
                            f"was probably cut off). {listed:,} files could still be listed by reading it from "
                            f"the start; files after the damage are missing. ({error})")
            listing.damage.notes.append(f"{name} ends early or is damaged (its table of contents is missing), so "
                                        f"the files after the damage are missing")
        elif named_zip:
            listing.log.add(name, "not_a_zip",
                            f"{name} is named .zip but is not a zip file (it starts with {head!r}); it was not read.")
        else:
            listing.log.add(name, "bad_zip", f"{name} is not a readable zip file ({error}).")
        return listing
    _list_directory(archive, listing, gate, limits, base, nested)
    if nested:
        archive.close()
        handle.close()
    return listing


def _list_directory(archive: zipfile.ZipFile, listing: Listing, gate: Gate, limits: Limits,
                    base: Callable[[], IO[bytes]], nested: bool) -> None:
    """List a readable zip directory into `listing` through the gate."""
    infos = [info for info in archive.infolist() if not info.filename.endswith("/") or not info.filename.strip("/")]
    if not infos:
        listing.log.add(listing.name, "empty_zip", f"{listing.name} is a zip file with no files in it.")
        return
    infos = infos[: gate.too_many(len(infos))]
    overlapping = _overlapping(infos, getattr(archive, "start_dir", None), gate.container_size)
    for info in infos:
        size, csize = info.file_size, info.compress_size
        path = gate.admit(info.orig_filename, size, csize, stored=info.compress_type == zipfile.ZIP_STORED,
                          overlapping=id(info) in overlapping)
        if path is None:
            continue
        encrypted = bool(info.flag_bits & 0x1)
        if encrypted:
            opener = gate.encrypted(path)
        elif nested:
            opener = header_opener(base, info, f"{listing.name}: {path}")
        else:
            opener = partial(archive.open, info)
        as_zip = None
        if path.lower().endswith(".zip") and not encrypted:
            as_zip = inner_zip_view(opener, info, base, limits, f"{listing.name}/{path}")
        listing.entries.append(Entry(path, size, csize, opener, as_zip))


def _overlapping(infos: list[zipfile.ZipInfo], start_dir: int | None, total: int | None) -> set[int]:
    """ids of entries whose data starts inside the previous entry's (cheap: directory only).

    The lower bound of an entry's extent is its 30-byte local header, its name and its
    compressed data; the local extra field can only make it longer, so no false alarms. An entry
    claiming more bytes than the whole archive is a size lie (the gate refuses it): it is left out
    here, so the honest entries after it are not taken for overlaps.
    """
    ordered = sorted((i for i in infos if total is None or i.compress_size <= total), key=lambda i: i.header_offset)
    found: set[int] = set()
    end = -1
    for info in ordered:
        if info.header_offset < end:
            found.add(id(info))
            continue
        end = info.header_offset + 30 + _raw_name_length(info) + info.compress_size
    if start_dir is not None and ordered and end > start_dir and id(ordered[-1]) not in found:
        found.add(id(ordered[-1]))
    return found


def _raw_name_length(info: zipfile.ZipInfo) -> int:
    name = info.orig_filename
    return len(name) if name.isascii() else len(_raw_name(info))


def _raw_name(info: zipfile.ZipInfo) -> bytes:
    encoding = "utf-8" if info.flag_bits & 0x800 else "cp437"
    try:
        return info.orig_filename.encode(encoding)
    except UnicodeEncodeError:
        return info.orig_filename.encode("utf-8")
