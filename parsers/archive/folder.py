"""An extracted export: a folder walked on disk, and single files (a chat .txt, a zip) given directly.

Only regular files inside the folder are offered to the handlers. A link that points outside the folder
is not followed, a named pipe or device is never opened (both get a files row saying why), and names
that are not UTF-8 are shown with U+FFFD while the real OS path is kept for opening. Problems name paths
inside the export (`fb/posts/x.json`), never the machine's absolute paths.
"""
from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import IO

from ..limits import Limits
from .guards import Gate
from .model import Entry, Listing, display
from .zipdir import ZIP_MAGIC, list_zip_container

_NOT_REGULAR = ((stat.S_ISFIFO, "a named pipe (FIFO)"), (stat.S_ISCHR, "a character device"),
                (stat.S_ISBLK, "a block device"), (stat.S_ISSOCK, "a socket"))
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0)


def _open_file(path: str) -> IO[bytes]:
    """Open a regular file read-only without following a link swapped in since it was listed."""
    return os.fdopen(os.open(path, os.O_RDONLY | _NOFOLLOW), "rb")


class _Opener:
    """Opens one file of the folder (a small object, not a closure, per member)."""

    __slots__ = ("path",)

    def __init__(self, path: str) -> None:
        self.path = path

    def __call__(self) -> IO[bytes]:
        return _open_file(self.path)


def list_folder(folder: Path, limits: Limits) -> Listing:
    name = display(folder.name or Path(os.path.abspath(folder)).name or "folder")
    listing = Listing(name, kind="folder")
    gate = Gate(listing, limits)
    top = os.path.realpath(folder)

    def inside(full: str) -> str:
        return f"{name}/{display(os.path.relpath(full, folder).replace(os.sep, '/'))}"

    def unreadable(error: OSError) -> None:
        where = inside(str(error.filename)) if error.filename else name
        listing.log.add(where, "unreadable_folder", f"{where} could not be listed ({error.strerror}).")

    for dirpath, dirnames, filenames in os.walk(folder, onerror=unreadable):
        dirnames.sort()
        for filename in sorted(filenames + [d for d in dirnames if os.path.islink(os.path.join(dirpath, d))]):
            full = os.path.join(dirpath, filename)
            rel = os.path.relpath(full, folder).replace(os.sep, "/")
            try:
                info = os.lstat(full)
                real = full
                if stat.S_ISLNK(info.st_mode):
                    real = os.path.realpath(full)
                    if os.path.commonpath([top, real]) != top:
                        _skip_link(listing, gate, rel, "points outside the export; it was not followed")
                        continue
                    info = os.stat(real)
                    if stat.S_ISDIR(info.st_mode):
                        _skip_link(listing, gate, rel, "is a link to a folder; it was not followed")
                        continue
            except OSError as error:
                where = inside(full)
                listing.log.add(where, "unreadable", f"{where} could not be read ({error.strerror}).")
                continue
            if not stat.S_ISREG(info.st_mode):
                what = next((words for test, words in _NOT_REGULAR if test(info.st_mode)), "not a regular file")
                path = gate.name(rel, 0, 0)
                if path is not None:
                    listing.log.add(f"{name}: {path}", "not_regular_file",
                                    f"{path} in {name} is {what}, not a regular file; it was not read.")
                    listing.skip(path, 0, 0, "ignored", f"not a regular file ({what}); not read")
                continue
            path = gate.admit(rel, info.st_size, info.st_size, skip_over_total=False)
            if gate.full:
                return listing
            if path is None:
                continue
            opener = _Opener(real)
            as_zip = opener if path.lower().endswith(".zip") else None
            listing.entries.append(Entry(path, info.st_size, info.st_size, opener, as_zip))
    if not listing.entries and not listing.skipped and not listing.log.problems:
        listing.log.add(listing.name, "empty_folder", f"{listing.name} holds no files.")
    if gate.declared > limits.max_total_size:
        listing.log.add(listing.name, "too_large",
                        f"{listing.name} holds {gate.declared:,} bytes, more than the safety limit of "
                        f"{limits.max_total_size:,}; reading stops at that total.")
    return listing


def _skip_link(listing: Listing, gate: Gate, rel: str, why: str) -> None:
    path = gate.name(rel, 0, 0)
    if path is not None:
        listing.log.add(f"{listing.name}: {path}", "link_not_followed",
                        f"{path} in {listing.name} is a symbolic link that {why}.")
        listing.skip(path, 0, 0, "ignored", f"symbolic link that {why}")


def list_path(path: Path, limits: Limits) -> Listing:
    """List one input: a folder, a zip (named .zip or starting like one), or a single file."""
    name = display(path.name or str(path))
    if path.is_dir():
        return list_folder(path, limits)
    if not path.is_file():
        listing = Listing(name, kind="file")
        listing.log.add(name, "missing", f"{name} does not exist or is not a file or folder.")
        return listing
    size = path.stat().st_size
    opener = _Opener(str(path))
    with opener() as handle:
        head = handle.read(4)
    named_zip = path.suffix.lower() == ".zip"
    if named_zip or head in ZIP_MAGIC:
        return list_zip_container(name, opener, size, limits, named_zip)
    listing = Listing(name, kind="file")
    path = Gate(listing, limits).admit(name, size, size, skip_over_total=False)
    if path is not None:
        listing.entries.append(Entry(path, size, size, opener))
    return listing
