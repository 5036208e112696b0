"""Open exports (zip, zip parts, folder, zip in zip, chat .txt) as uniform, read-only, streaming views.

Nothing is extracted to disk and no member is read to list or size it: sizes come from the zip
directory or the file system. One `Source` per export; an input can hold several exports and
several inputs can be the parts of one export.

How inputs become Sources
-------------------------
1. Each input is a *container*: a zip, a folder, or a single file (a chat .txt). A zip found
   inside a container, outside any export root, is its own container (a WhatsApp iOS chat zip,
   or exports the user zipped together); a zip inside an export is an ordinary member (an
   attachment). Nested zips are streamed: a stored inner zip is read in place, a compressed one
   is read into memory up to `Limits.max_nested_zip_in_memory`, else reported.
2. Each container is split at its export roots: the shallowest folders whose children include a
   marker (`ROOT_MARKERS`: Meta section folders, WhatsApp account-report files) and, outside
   those, folders holding a .txt (WhatsApp chats: one Source per such folder, however many chats
   it holds, since Android media sit next to their chats). Every file goes to the deepest root above
   it; files under no root form one more piece, so nothing is dropped. The root is stripped, so
   an export wrapped in one or two folders (Google-Drive download) reads like a direct one.
3. Pieces from different containers are merged into one Source when they are parts of one
   export (`_same_export`): same name stem apart from a part suffix (`-part2`, `-002`, `_2`,
   ` (2)`, the Drive `-<timestamp>Z-001` suffix), or the same detected Meta platform and format
   with complementary content (at most 5% of paths in common). WhatsApp chats never merge.
4. An export given twice (the zip and the folder extracted from it, one zip selected twice, a
   Drive-wrapped copy next to the direct one) is read once (`_drop_copies`): when every file of
   one (after merging parts) is in another of the same platform with the same size, it is not
   read. Of identical copies the zip is read (what Meta sent), else the first given; of a
   complete and an incomplete copy, the complete one. The copy not read gets a
   `duplicate_export` problem and its files are listed as ignored. Only the listing is compared:
   paths and sizes, no member is read. Chats count as copies only when identical.

Safety (`Limits`, enforced while listing and while streaming)
-------------------------------------------------------------
Member count, declared total size and per-member compression ratio are checked against the zip
directory; `Member.open()` returns a stream that counts bytes and raises `MemberTooLarge` past
`max_member_size` (or the source's total budget). Encrypted members stay listed (their sizes
are real) but refuse to open. Members that cannot be trusted (`..` in the name, overlapping
entries, a suspicious ratio, past the count/size limits) and harmless junk (`__MACOSX/`,
`.DS_Store`, `Thumbs.db`) are not offered to the handlers: they are kept in `Source.skipped`
with a status and reason, and the scan lists them in the files table. Every such case that is
a real problem also gets a `Problem` naming the file.
"""
from __future__ import annotations

import bz2
import io
import os
import re
import stat
import struct
import zipfile
import zlib
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import IO, TYPE_CHECKING, Callable, Iterable

from .contract import Problem
from .limits import DEFAULT_LIMITS, GiB, KiB, Limits, MiB

if TYPE_CHECKING:
    from .detect import Detection

#: Top-level folders and files that mark the root of an export (meta-export-formats.md 1.3, 4.1, 6.1;
#: whatsapp-formats.md 2). A folder with one of these among its children is an export root.
META_ROOT_MARKERS = frozenset(
    {
        # Facebook and Instagram sections, 2022 onwards
        "personal_information", "your_facebook_activity", "your_instagram_activity",
        "your_activity_across_facebook", "connections", "logged_information", "ads_information",
        "apps_and_websites_off_of_facebook", "apps_and_websites_off_of_instagram", "preferences",
        "security_and_login_information", "media",
        # Facebook 2018-2021 flat folders
        "profile_information", "posts", "messages", "comments_and_reactions", "comments",
        "likes_and_reactions", "photos_and_videos", "friends", "friends_and_followers", "about_you",
        "search_history", "search", "your_topics", "location", "your_places", "other_activity",
        "facebook_gaming", "your_interactions_on_facebook",
        # Instagram 2021-22 per-category folders and 2018-20 flat files
        "account_information", "content", "followers_and_following", "likes",
        "login_and_account_creation", "recent_searches", "story_sticker_interactions",
        "information_about_you", "device_information", "ads_and_topics", "ads_and_businesses",
        "media.json", "profile.json", "connections.json", "searches.json",
        # HTML exports and the end-to-end-encrypted Messenger download
        "start_here.html", "index.html", "index.htm",
    }
)
WHATSAPP_ACCOUNT_MARKERS = frozenset({"whatsapp_connections", "portability.json", "access.html"})
ROOT_MARKERS = META_ROOT_MARKERS | WHATSAPP_ACCOUNT_MARKERS

#: Files that operating systems add when a folder is zipped or browsed: never export content.
JUNK_REASONS = {
    "__MACOSX": "macOS resource-fork copy (__MACOSX/), added when the archive was re-zipped on a Mac; "
                "not export content",
    ".DS_Store": "macOS folder-view settings (.DS_Store); not export content",
    "._": "macOS resource-fork file (._name); not export content",
    "Thumbs.db": "Windows thumbnail cache (Thumbs.db); not export content",
    "desktop.ini": "Windows folder settings (desktop.ini); not export content",
}

_ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")
_LOCAL_HEADER = struct.Struct("<4sHHHHHIIIHH")
_MAX_NESTING = 2  # zip in zip in zip: deeper zips stay plain members
_PROBLEMS_PER_KIND = 20  # more than this per container and kind are summarised in one row


# ---- public types ------------------------------------------------------------------------------



class ArchiveError(Exception):
    """A member could not be opened or read safely; the message is meant for the user."""


class MemberTooLarge(ArchiveError):
    """A member inflated past its safety limit while being read."""


class EncryptedMember(ArchiveError):
    """A password-protected member: zipfile cannot read it without the password."""


@dataclass(frozen=True, slots=True)
class Member:
    """One file of an export. `path` is normalised: `/` separators, export root stripped.

    Slots and a shared `guard` keep a 100k-member listing small (no closure per member).
    """

    path: str
    size: int
    compressed_size: int
    part: str
    opener: Callable[[], IO[bytes]] = field(repr=False, compare=False)
    guard: _Guard | None = field(default=None, repr=False, compare=False)

    def open(self) -> IO[bytes]:
        """A streaming binary reader (byte-counting, limited by the guard); the caller closes it."""
        stream = self.opener()
        return stream if self.guard is None else self.guard.wrap(stream, self.path)

    @property
    def name(self) -> str:
        return self.path.rsplit("/", 1)[-1]


@dataclass(frozen=True)
class Skipped:
    """A file of the input that is not offered to handlers; it still gets a files-frame row."""

    path: str
    size: int
    compressed_size: int
    part: str
    status: str  # "ignored" (junk, duplicate copy) or "failed" (unsafe, over a limit)
    reason: str


@dataclass
class Source:
    """One export: its members from every part, and the problems met while listing it."""

    label: str
    parts: list[str]
    members: list[Member] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    root: str = ""
    skipped: list[Skipped] = field(default_factory=list)
    _index: dict[str, Member] | None = field(default=None, repr=False)

    def get(self, path: str) -> Member | None:
        if self._index is None:
            self._index = {m.path: m for m in self.members}
        return self._index.get(path)

    @property
    def total_size(self) -> int:
        return sum(m.size for m in self.members)


# ---- paths -------------------------------------------------------------------------------------

def normalise(name: str) -> str:
    """`/` separators, no leading slash, no `.` or empty components."""
    if "\\" not in name and "//" not in name and "./" not in name and not name.startswith("/") \
            and not name.endswith(("/", "/.")) and name != ".":
        return name  # already normal: keep the same string object (no copy per member)
    parts = [p for p in name.replace("\\", "/").split("/") if p not in ("", ".")]
    return "/".join(parts)


def junk_reason(path: str) -> str | None:
    """Why a path is operating-system junk, or None for export content."""
    parts = path.split("/")
    if "__MACOSX" in parts[:-1]:
        return JUNK_REASONS["__MACOSX"]
    name = parts[-1]
    if name in JUNK_REASONS:
        return JUNK_REASONS[name]
    if name.startswith("._"):
        return JUNK_REASONS["._"]
    return None


def _parent(path: str) -> str:
    return path.rsplit("/", 1)[0] if "/" in path else ""


def _ancestors(path: str) -> Iterable[str]:
    """Folders above a file path, deepest first, ending with "" (the container itself)."""
    parent = _parent(path)
    while parent:
        yield parent
        parent = _parent(parent)
    yield ""


def find_roots(paths: Iterable[str]) -> list[str]:
    """Export roots among file paths: marker roots (shallowest), then chat-.txt folders outside them."""
    marker_roots, txt_roots = _find_roots(paths)
    return sorted(marker_roots | txt_roots, key=lambda r: (r.count("/") if r else -1, r))


def _find_roots(paths: Iterable[str]) -> tuple[frozenset[str], frozenset[str]]:
    paths = list(paths)
    candidates: set[str] = set()
    for path in paths:
        parts = path.split("/")
        for depth, part in enumerate(parts):
            if part in ROOT_MARKERS:
                candidates.add("/".join(parts[:depth]))
    roots: set[str] = set()
    for candidate in sorted(candidates, key=lambda c: (c.count("/") if c else -1, c)):
        if not any(_within(candidate, root) for root in roots):
            roots.add(candidate)
    # a .txt outside every marker root (a WhatsApp chat, perhaps): its folder is a root of its own
    txt_roots = {_parent(p) for p in paths
                 if p.lower().endswith(".txt") and not any(_within(p, root) for root in roots)}
    return frozenset(roots), frozenset(txt_roots - roots)


def _within(path: str, root: str) -> bool:
    return root == "" or path == root or path.startswith(root + "/")


def strip_root(paths: Iterable[str]) -> str:
    """The export root of a single-export listing: the shallowest marker root, else chat folder ("" when none)."""
    marker_roots, txt_roots = _find_roots(paths)
    roots = sorted(marker_roots or txt_roots, key=lambda r: (r.count("/") if r else -1, r))
    return roots[0] if roots else ""


# ---- streams -----------------------------------------------------------------------------------

#: Bytes read from the file or zip per refill. Large on purpose: every read releases and retakes the
#: GIL, and a worker that does so every millisecond starves the GUI thread (CPython's convoy effect,
#: bpo-7946). With 64 KiB refills a WhatsApp chat scan froze a heartbeat thread for up to 0.55 s;
#: with 1 MiB refills the worker parses ~20 ms between reads and the GUI thread gets its turn.
READ_BUFFER = 1024 * KiB


class _Budget:
    """Bytes a whole source may still yield from its streams (the hard total cap)."""

    __slots__ = ("remaining",)

    def __init__(self, total: int) -> None:
        self.remaining = total


class _LimitedReader(io.RawIOBase):
    """Counts the bytes a member yields and stops with `MemberTooLarge` past its limit."""

    def __init__(self, raw: IO[bytes], path: str, limit: int, budget: _Budget) -> None:
        self._raw, self._path, self._limit, self._budget = raw, path, limit, budget
        self.count = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:  # type: ignore[override]
        data = self._raw.read(len(buffer))
        n = len(data)
        self.count += n
        self._budget.remaining -= n
        if self.count > self._limit:
            raise MemberTooLarge(f"{self._path} inflated past {self._limit:,} bytes, the safety limit for one "
                                 f"file; reading stopped (a damaged or malicious archive?)")
        if self._budget.remaining < 0:
            raise MemberTooLarge(f"reading {self._path} went past the total number of bytes this export may "
                                 f"yield; reading stopped (a damaged or malicious archive?)")
        buffer[:n] = data
        return n

    def close(self) -> None:
        if not self.closed:
            self._raw.close()
        super().close()


class _Guard:
    """The limits of one container's members, shared by all of them (one object, not one per member)."""

    __slots__ = ("limit", "budget")

    def __init__(self, limits: Limits, budget: _Budget) -> None:
        self.limit, self.budget = limits.max_member_size, budget

    def wrap(self, stream: IO[bytes], path: str) -> IO[bytes]:
        return io.BufferedReader(_LimitedReader(stream, path, self.limit, self.budget), READ_BUFFER)


class _Slice(io.RawIOBase):
    """A seekable window [offset, offset+length) of a base file: an inner zip read in place."""

    def __init__(self, base: Callable[[], IO[bytes]], offset: int, length: int) -> None:
        self._file = base()
        self._offset, self._length, self._pos = offset, length, 0

    def readable(self) -> bool:
        return True

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
        self._file.seek(self._offset + self._pos)
        data = self._file.read(n)
        buffer[: len(data)] = data
        self._pos += len(data)
        return len(data)

    def close(self) -> None:
        if not self.closed:
            self._file.close()
        super().close()


class _Inflater(io.RawIOBase):
    """Streams a raw-deflate (or bzip2) member from a slice: reading a zip with no directory."""

    def __init__(self, raw: IO[bytes], method: int, size: int) -> None:
        self._raw, self._left = raw, size
        self._engine = zlib.decompressobj(-15) if method == zipfile.ZIP_DEFLATED else bz2.BZ2Decompressor()
        self._pending = b""

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:  # type: ignore[override]
        want = min(len(buffer), self._left)
        out = b""
        while want and not out:
            if isinstance(self._engine, bz2.BZ2Decompressor):
                if self._engine.eof:
                    break
                chunk = self._raw.read(64 * KiB)
                if not chunk:
                    break
                out = self._engine.decompress(chunk, max_length=want)
                continue
            chunk = self._engine.unconsumed_tail or self._raw.read(64 * KiB)
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

    def close(self) -> None:
        if not self.closed:
            self._raw.close()
        super().close()


# ---- listing containers ------------------------------------------------------------------------

@dataclass(slots=True)
class _Entry:
    """One file of a container before it is split into exports."""

    path: str
    size: int
    compressed_size: int
    opener: Callable[[], IO[bytes]]
    as_zip: Callable[[], IO[bytes]] | None = None  # a seekable view, for a nested zip


class _Log:
    """Problems of one container; repeats of a kind past a few are summarised in one row."""

    def __init__(self, container: str) -> None:
        self.container = container
        self.problems: list[Problem] = []
        self._counts: dict[str, int] = {}

    def add(self, file: str, kind: str, message: str) -> None:
        count = self._counts.get(kind, 0) + 1
        self._counts[kind] = count
        if count <= _PROBLEMS_PER_KIND:
            self.problems.append(Problem(file, kind, message))

    def finish(self) -> list[Problem]:
        for kind, count in self._counts.items():
            if count > _PROBLEMS_PER_KIND:
                self.problems.append(Problem(self.container, kind, f"... and {count - _PROBLEMS_PER_KIND:,} more "
                                             f"files of {self.container} with the same problem ({kind}); "
                                             f"see the files table."))
        return self.problems


@dataclass
class _Listing:
    """What listing one container produced."""

    name: str  # container name as shown to the user (file or folder name, outer/inner for nested)
    entries: list[_Entry] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    log: _Log = field(init=False)
    kind: str = "zip"  # zip | folder | file

    def __post_init__(self) -> None:
        self.log = _Log(self.name)


def _check_name(raw: str, listing: _Listing, size: int, csize: int) -> str | None:
    """The normalised path of a member name, or None (recorded as skipped) when it is unsafe."""
    path = normalise(raw)
    if ".." in path.split("/"):
        listing.log.add(f"{listing.name}: {raw}", "unsafe_path",
                        f"{raw!r} in {listing.name} has '..' in its name, which points outside the export; "
                        f"it was not read (nothing is ever extracted, so it did no harm).")
        listing.skipped.append(Skipped(path, size, csize, listing.name, "failed", "unsafe name with '..'"))
        return None
    if "\\" in raw:
        listing.log.add(f"{listing.name}: {path}", "backslash_path",
                        f"{raw!r} in {listing.name} uses backslashes as folder separators (a non-standard zip "
                        f"tool, often on Windows); it was read as {path}.")
    return path


def _list_zip(archive: zipfile.ZipFile, listing: _Listing, limits: Limits,
              base: Callable[[], IO[bytes]] | None, start_dir: int | None) -> None:
    """List a readable zip directory into `listing`, applying the safety limits."""
    infos = [info for info in archive.infolist() if not info.is_dir()]
    if not infos:
        listing.log.add(listing.name, "empty_zip", f"{listing.name} is a zip file with no files in it.")
        return
    if len(infos) > limits.max_members:
        listing.log.add(listing.name, "too_many_members",
                        f"{listing.name} holds {len(infos):,} files, more than the safety limit of "
                        f"{limits.max_members:,}; only the first {limits.max_members:,} were listed.")
        infos = infos[: limits.max_members]
    overlapping = _overlapping(infos, start_dir)
    declared = 0
    for info in infos:
        size, csize = info.file_size, info.compress_size
        path = _check_name(info.filename, listing, size, csize)
        if path is None:
            continue
        where = f"{listing.name}: {path}"
        if id(info) in overlapping:
            listing.log.add(where, "overlapping_entries",
                            f"{path} in {listing.name} shares its bytes with another entry (overlapping entries, "
                            f"a zip-bomb technique or a damaged zip); it was not read.")
            listing.skipped.append(Skipped(path, size, csize, listing.name, "failed", "overlapping zip entry"))
            continue
        if size >= limits.ratio_min_size and size > limits.max_ratio * max(csize, 1):
            ratio = size / max(csize, 1)
            listing.log.add(where, "compression_ratio",
                            f"{path} in {listing.name} would inflate {ratio:,.0f} times ({csize:,} bytes to "
                            f"{size:,}), past the safety limit of {limits.max_ratio:,.0f}; it was not read.")
            listing.skipped.append(Skipped(path, size, csize, listing.name, "failed",
                                           f"compression ratio {ratio:,.0f}:1 over the safety limit"))
            continue
        declared += size
        if declared > limits.max_total_size:
            if declared - size <= limits.max_total_size:  # said once, at the first file over the limit
                listing.log.add(where, "too_large",
                                f"{listing.name} declares more than {limits.max_total_size:,} bytes of content, "
                                f"the safety limit; {path} and the files after it were not read.")
            listing.skipped.append(Skipped(path, size, csize, listing.name, "failed",
                                           "over the total size limit of the export"))
            continue
        if info.flag_bits & 0x1:
            listing.log.add(where, "encrypted",
                            f"{path} in {listing.name} is password-protected (encrypted) and cannot be read. "
                            f"Meta and WhatsApp do not encrypt their downloads: open the original file, not a "
                            f"copy re-zipped with a password.")
            opener = _refuse(EncryptedMember(f"{path} is password-protected (encrypted) inside {listing.name}"))
        else:
            opener = partial(archive.open, info)
        as_zip = None
        if path.lower().endswith(".zip") and not info.flag_bits & 0x1:
            as_zip = _inner_zip_view(archive, info, base, limits, f"{listing.name}/{path}")
        listing.entries.append(_Entry(path, size, csize, opener, as_zip))


def _refuse(error: ArchiveError) -> Callable[[], IO[bytes]]:
    def opener() -> IO[bytes]:
        raise error
    return opener


def _overlapping(infos: list[zipfile.ZipInfo], start_dir: int | None) -> set[int]:
    """ids of entries whose data starts inside the previous entry's (cheap: directory only).

    The lower bound of an entry's extent is its 30-byte local header, its name and its
    compressed data; the local extra field can only make it longer, so no false alarms.
    """
    ordered = sorted(infos, key=lambda i: i.header_offset)
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


def _inner_zip_view(archive: zipfile.ZipFile, info: zipfile.ZipInfo, base: Callable[[], IO[bytes]] | None,
                    limits: Limits, name: str) -> Callable[[], IO[bytes]]:
    """A seekable view of an inner zip: in place when stored, else in memory up to the cap."""
    def view() -> IO[bytes]:
        if info.compress_type == zipfile.ZIP_STORED and base is not None:
            with base() as handle:
                handle.seek(info.header_offset)
                head = handle.read(30)
            if len(head) < 30 or head[:4] != b"PK\x03\x04":
                raise ArchiveError(f"{name}: the inner zip's local header is damaged")
            name_len, extra_len = struct.unpack("<HH", head[26:30])
            return _Slice(base, info.header_offset + 30 + name_len + extra_len, info.compress_size)
        if info.file_size > limits.max_nested_zip_in_memory:
            raise ArchiveError(f"{name} is a compressed zip inside a zip, {info.file_size:,} bytes, more than the "
                               f"{limits.max_nested_zip_in_memory:,} bytes it may take in memory; it was not "
                               f"opened. Extract the outer zip and open the inner one directly.")
        if not cache:
            with archive.open(info) as stream:
                cache.append(stream.read(limits.max_nested_zip_in_memory + 1))
        return io.BytesIO(cache[0])
    cache: list[bytes] = []
    return view


def _recover(handle_opener: Callable[[], IO[bytes]], total: int, listing: _Listing) -> None:
    """Best-effort listing of a zip whose directory is missing: walk the local headers from the start."""
    with handle_opener() as handle:
        pos = 0
        while pos + 30 <= total:
            handle.seek(pos)
            head = handle.read(30)
            if len(head) < 30 or head[:4] != b"PK\x03\x04":
                break
            _sig, _ver, flags, method, _t, _d, _crc, csize, size, name_len, extra_len = _LOCAL_HEADER.unpack(head)
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
                    csize, size, descriptor = found
            raw = raw_name.decode("utf-8" if flags & 0x800 else "cp437", errors="replace")
            if csize < 0 or start + csize > total:
                path = normalise(raw)
                listing.log.add(f"{listing.name}: {path}", "truncated_member",
                                f"{path} in {listing.name} is cut off where the download ended; it was not read.")
                listing.skipped.append(Skipped(path, size, max(csize, 0), listing.name, "failed",
                                               "cut off: the zip ends inside this file"))
                break
            if not raw.endswith("/"):
                path = _check_name(raw, listing, size, csize)
                if path is not None:
                    listing.entries.append(_Entry(path, size, csize, _recovered_opener(
                        handle_opener, start, csize, size, method, flags, f"{listing.name}: {path}")))
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


def _find_descriptor(handle: IO[bytes], start: int, total: int) -> tuple[int, int, int] | None:
    """(compressed size, size, descriptor length) of a streamed entry, by finding its signed descriptor."""
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
                _crc, csize, size = struct.unpack("<III", data[at + 4:at + 16])
                if base + at - start == csize:
                    return csize, size, 16
            at = data.find(b"PK\x07\x08", at + 1)
        carry = data[-15:]
        pos += len(chunk)
    return None


def _recovered_opener(handle_opener: Callable[[], IO[bytes]], start: int, csize: int, size: int,
                      method: int, flags: int, where: str) -> Callable[[], IO[bytes]]:
    if flags & 0x1:
        return _refuse(EncryptedMember(f"{where} is password-protected (encrypted)"))
    if method not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED, zipfile.ZIP_BZIP2):
        return _refuse(ArchiveError(f"{where} uses compression method {method}, which cannot be read "
                                    f"without the zip's directory"))

    def opener() -> IO[bytes]:
        raw = _Slice(handle_opener, start, csize)
        return raw if method == zipfile.ZIP_STORED else _Inflater(raw, method, size)
    return opener


def _list_zip_container(name: str, base: Callable[[], IO[bytes]], total: int, limits: Limits,
                        named_zip: bool, kind: str = "zip") -> _Listing:
    """List a zip from a base opener (a file on disk, a slice of an outer zip, or bytes in memory)."""
    listing = _Listing(name, kind=kind)
    if total == 0:
        listing.log.add(name, "empty_file", f"{name} is empty (0 bytes): the download did not complete.")
        return listing
    with base() as handle:
        head = handle.read(4)
    try:
        archive = zipfile.ZipFile(base())
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError) as error:
        if head == b"PK\x03\x04":
            _recover(base, total, listing)
            listed = len(listing.entries)
            listing.log.add(name, "truncated_zip",
                            f"{name} is incomplete or damaged: its table of contents is missing (the download "
                            f"was probably cut off). {listed:,} files could still be listed by reading it from "
                            f"the start; files after the damage are missing. ({error})")
        elif named_zip:
            listing.log.add(name, "not_a_zip",
                            f"{name} is named .zip but is not a zip file (it starts with {head!r}); it was not read.")
        else:
            listing.log.add(name, "bad_zip", f"{name} is not a readable zip file ({error}).")
        return listing
    _list_zip(archive, listing, limits, base, getattr(archive, "start_dir", None))
    return listing


def _list_folder(folder: Path, limits: Limits) -> _Listing:
    listing = _Listing(folder.name or str(folder), kind="folder")
    count = 0
    declared = 0
    for dirpath, dirnames, filenames in os.walk(folder, onerror=lambda e: listing.log.add(
            str(e.filename), "unreadable_folder", f"{e.filename} could not be listed ({e.strerror}).")):
        dirnames.sort()
        for filename in sorted(filenames):
            full = os.path.join(dirpath, filename)
            try:
                info = os.stat(full)
            except OSError as error:
                listing.log.add(full, "unreadable", f"{full} could not be read ({error.strerror}).")
                continue
            if not stat.S_ISREG(info.st_mode):
                continue
            count += 1
            if count > limits.max_members:
                listing.log.add(listing.name, "too_many_members",
                                f"{listing.name} holds more than {limits.max_members:,} files, the safety limit; "
                                f"only the first {limits.max_members:,} were listed.")
                return listing
            rel = os.path.relpath(full, folder).replace(os.sep, "/")
            path = _check_name(rel, listing, info.st_size, info.st_size)
            if path is None:
                continue
            declared += info.st_size
            opener = partial(open, full, "rb")
            as_zip = opener if path.lower().endswith(".zip") else None
            listing.entries.append(_Entry(path, info.st_size, info.st_size, opener, as_zip))
    if not listing.entries and not listing.skipped and not listing.log.problems:
        listing.log.add(listing.name, "empty_folder", f"{listing.name} holds no files.")
    if declared > limits.max_total_size:
        listing.log.add(listing.name, "too_large",
                        f"{listing.name} holds {declared:,} bytes, more than the safety limit of "
                        f"{limits.max_total_size:,}; reading stops at that total.")
    return listing


def _list_path(path: Path, limits: Limits) -> _Listing:
    if path.is_dir():
        return _list_folder(path, limits)
    if not path.is_file():
        listing = _Listing(path.name or str(path), kind="file")
        listing.log.add(str(path), "missing", f"{path} does not exist or is not a file or folder.")
        return listing
    size = path.stat().st_size
    with open(path, "rb") as handle:
        head = handle.read(4)
    named_zip = path.suffix.lower() == ".zip"
    if named_zip or head in _ZIP_MAGIC:
        return _list_zip_container(path.name, lambda: open(path, "rb"), size, limits, named_zip)
    listing = _Listing(path.name, kind="file")
    listing.entries.append(_Entry(path.name, size, size, lambda: open(path, "rb")))
    return listing


# ---- splitting containers into exports ---------------------------------------------------------

@dataclass
class _Piece:
    """The part of one container that belongs to one export root."""

    container: str
    kind: str
    root: str
    entries: list[_Entry]
    skipped: list[Skipped]
    problems: list[Problem]
    budget: _Budget
    label: str = ""  # set when a container holds several exports: which one this is
    sole: bool = True  # the only export of its container (its name then names the export)


def _split(listing: _Listing, limits: Limits, depth: int) -> list[_Piece]:
    """Split a container at its export roots; open zips lying outside every export as containers.

    A zip inside a Meta or WhatsApp-account export is an attachment and stays a member; a zip
    in a chat folder is opened only when it holds an export itself; a zip outside every root is
    always opened (a WhatsApp iOS chat zip, or exports zipped together).
    """
    junk = [e for e in listing.entries if junk_reason(e.path)]
    content = [e for e in listing.entries if not junk_reason(e.path)]
    marker_roots, txt_roots = _find_roots(e.path for e in content if not e.path.lower().endswith(".zip"))
    groups: dict[str, list[_Entry]] = {root: [] for root in sorted(
        marker_roots | txt_roots, key=lambda r: (r.count("/") if r else -1, r))}
    nested: list[_Piece] = []
    leftover: list[_Entry] = []
    only = next(iter(groups)) if len(groups) == 1 else None
    for entry in content:
        if only is not None:  # the common case, one export: no walk up the folders
            root = only if _within(entry.path, only) else None
        else:
            root = next((r for r in _ancestors(entry.path) if r in groups), None)
        if entry.as_zip is not None and root not in marker_roots and depth < _MAX_NESTING:
            inner = _open_nested(entry, listing, limits, depth, need_export=root is not None)
            if inner is not None:
                nested.extend(inner)
                continue
        (groups[root] if root is not None else leftover).append(entry)
    budget = _Budget(limits.max_total_size)
    pieces = [_Piece(listing.name, listing.kind, root, entries, [], [], budget, label=root)
              for root, entries in groups.items() if entries]
    if leftover:
        pieces.append(_Piece(listing.name, listing.kind, "", leftover, [], [], budget, label="other files"))
    if not pieces and not nested:
        pieces.append(_Piece(listing.name, listing.kind, "", [], [], [], budget))
    holder = pieces[0] if pieces else nested[0]
    holder.skipped.extend(listing.skipped)
    holder.skipped.extend(Skipped(e.path, e.size, e.compressed_size, listing.name, "ignored",
                                  junk_reason(e.path) or "") for e in junk)
    holder.problems.extend(listing.log.finish())
    several = len(pieces) + len(nested) > 1
    for piece in pieces:
        piece.sole = not several
        if not several:
            piece.label = ""
        elif not piece.label:
            piece.label = "(top folder)"
    return pieces + nested


def _open_nested(entry: _Entry, outer: _Listing, limits: Limits, depth: int,
                 need_export: bool) -> list[_Piece] | None:
    """Open a zip member as its own container; None keeps it a plain member of the outer one."""
    name = f"{outer.name}/{entry.path}"
    try:
        entry.as_zip().close()  # type: ignore[misc]
    except ArchiveError as error:
        outer.log.add(name, "nested_zip", str(error))
        return None
    except (OSError, zipfile.BadZipFile, RuntimeError, EOFError) as error:
        outer.log.add(name, "nested_zip", f"{name} could not be opened ({error}).")
        return None
    listing = _list_zip_container(name, entry.as_zip, entry.size, limits, True)  # type: ignore[arg-type]
    if need_export and not find_roots(e.path for e in listing.entries if not junk_reason(e.path)):
        return None
    return _split(listing, limits, depth + 1)


# ---- grouping parts ----------------------------------------------------------------------------

_PART_SUFFIX = re.compile(
    r"(?:-\d{8}T\d{6}Z-\d{1,3}"  # Google-Drive delivery: -20250214T091036Z-001
    r"|[\s._-]*(?:part|teil|parte|partie|del)?[\s._-]*\d{1,3}"  # -part2, _2, .002, " 2"
    r"|\s*\(\d{1,3}\))$",  # " (2)" from a browser's duplicate-download naming
    re.IGNORECASE,
)


def part_stem(name: str) -> str:
    """The name an export's parts share: the file or folder name minus `.zip` and a part suffix."""
    stem = name[:-4] if name.lower().endswith(".zip") else name
    previous = None
    while previous != stem:  # "x-20250214T091036Z-001 (1)" strips twice
        previous = stem
        stem = _PART_SUFFIX.sub("", stem)
    return stem.lower() or name.lower()


_MERGEABLE = ("facebook", "instagram", "whatsapp_account")


def _same_export(a: tuple[_Piece, set[str], Detection], b: tuple[_Piece, set[str], Detection]) -> bool:
    """Pieces of two containers are one export: complementary content and a shared name or kind."""
    (pa, paths_a, da), (pb, paths_b, db) = a, b
    if pa.container == pb.container or "whatsapp_chat" in (da.platform, db.platform):
        return False
    if len(paths_a & paths_b) > 0.05 * max(1, min(len(paths_a), len(paths_b))):
        return False
    if pa.sole and pb.sole and part_stem(pa.container) == part_stem(pb.container):
        return da.platform == db.platform or "unknown" in (da.platform, db.platform)
    def agree(x: str, y: str, wildcard: str) -> bool:  # a media-only part has no format or layout
        return x == y or wildcard in (x, y)

    variants = {da.variant, db.variant}  # a part holding only message folders reads as "messenger"
    return (da.platform == db.platform and da.platform in _MERGEABLE and variants <= {"", "messenger"}
            and agree(da.format, db.format, "unknown") and agree(da.layout, db.layout, ""))


def _source(pieces: list[_Piece], limits: Limits, *, consume: bool = False) -> Source:
    """One Source from the pieces of one export; later duplicate paths are kept as skipped rows.

    `consume` drops each piece's entries once its members exist, so the two never peak together.
    """
    pieces = sorted(pieces, key=lambda p: _natural(p.container))
    members: list[Member] = []
    seen: dict[str, str] = {}
    skipped: list[Skipped] = []
    problems: list[Problem] = []
    for piece in pieces:
        problems.extend(piece.problems)
        skipped.extend(piece.skipped)
        cut = len(piece.root) + 1 if piece.root else 0
        guard = _Guard(limits, piece.budget)
        for entry in piece.entries:
            path = entry.path[cut:] if cut and entry.path.startswith(piece.root + "/") else entry.path
            if path in seen:
                where = seen[path]
                same = where == piece.container
                problems.append(Problem(f"{piece.container}: {path}", "duplicate_name",
                                        f"{path} appears twice in {where}; the first copy is read." if same else
                                        f"{path} appears in both {where} and {piece.container}; the copy in "
                                        f"{where} is read."))
                skipped.append(Skipped(path, entry.size, entry.compressed_size, piece.container, "ignored",
                                       f"duplicate of {path} in {where}"))
                continue
            seen[path] = piece.container
            members.append(Member(path, entry.size, entry.compressed_size, piece.container, entry.opener, guard))
        if consume:
            piece.entries = []
    first = pieces[0]
    parts = list(dict.fromkeys(p.container for p in pieces))
    label = f"{first.container} » {first.label}" if first.label else first.container
    if len(parts) > 1:
        label = f"{parts[0]} (+{len(parts) - 1} parts)"
    return Source(label, parts, members, problems, first.root, skipped)


def _natural(text: str) -> tuple:
    return tuple(int(t) if t.isdigit() else t.lower() for t in re.split(r"(\d+)", text))


def _group(pieces: list[_Piece], limits: Limits) -> list[Source]:
    """Merge pieces that are parts of one export (see the module docstring); keep input order."""
    if len(pieces) < 2:
        return [_source([p], limits, consume=True) for p in pieces]
    from .detect import detect  # detection decides "same platform"; imported late (detect imports us)

    described = []
    for piece in pieces:
        single = _source([piece], limits)
        described.append((piece, {m.path for m in single.members}, detect(single)))
    groups: list[list[int]] = []
    for i, item in enumerate(described):
        for group in groups:
            if all(_same_export(described[j], item) for j in group):
                group.append(i)
                break
        else:
            groups.append([i])
    copies = []
    for group in groups:
        platforms = {described[i][2].platform for i in group} - {"unknown"}
        source = _source([described[i][0] for i in group], limits, consume=True)
        copies.append(_Copy(source, platforms.pop() if len(platforms) == 1 else "unknown",
                            all(described[i][0].kind == "zip" for i in group)))
    return _drop_copies(copies)


# ---- the same export given twice ----------------------------------------------------------------

@dataclass(eq=False)
class _Copy:
    """An export (after its parts are merged) as compared with the others: sizes from the listing only."""

    source: Source
    platform: str
    zipped: bool  # every part is a zip: what Meta sent, preferred over an extracted folder
    sizes: dict[str, int] = field(init=False)

    def __post_init__(self) -> None:
        self.sizes = {m.path: m.size for m in self.source.members}


def _contains(big: _Copy, small: _Copy) -> bool:
    """Every file of `small` is in `big` with the same size (same platform; chats only when identical)."""
    if not small.sizes or big.platform != small.platform or len(small.sizes) > len(big.sizes):
        return False
    if len(small.sizes) < len(big.sizes) and (big.platform in ("unknown", "whatsapp_chat")):
        return False  # a chat exported again later holds different content; unknown files prove nothing
    sizes = big.sizes
    return all(sizes.get(path) == size for path, size in small.sizes.items())


def _keeps(kept: _Copy, other: _Copy) -> bool:
    """`kept` (given earlier) makes `other` redundant: it holds all of it, and a zip beats its extraction."""
    if not _contains(kept, other):
        return False
    return len(kept.sizes) > len(other.sizes) or kept.zipped or not other.zipped


def _drop_copies(copies: list[_Copy]) -> list[Source]:
    """One Source per export however often it is given (zip and extracted folder, a zip twice, a
    Drive-wrapped copy): a copy whose files are all in another (same paths, same sizes) is not
    read; its files are listed as ignored with the source that was read, and a problem says why.

    Of identical copies the zip is read (what Meta sent; a folder may have been touched since),
    else the first given; of a complete and an incomplete copy (an extraction cut short, a
    truncated download) the complete one. Exports that each hold files the other lacks are
    different exports and both are read. Order is the input order of the copies read.
    """
    kept: list[_Copy] = []
    for copy in copies:
        home = next((k for k in kept if _keeps(k, copy)), None)
        if home is not None:
            _fold(copy, home)
            continue
        absorbed = [k for k in kept if _contains(copy, k)]
        if not absorbed:
            kept.append(copy)
            continue
        for old in absorbed:
            _fold(old, copy)
        at = next(i for i, k in enumerate(kept) if k is absorbed[0])  # where the first copy was given
        kept = [k for k in kept if not any(k is a for a in absorbed)]
        kept.insert(at, copy)
    return [k.source for k in kept]


def _fold(copy: _Copy, into: _Copy) -> None:
    """Record `copy` as not read: its problems and its files (as ignored rows) move to `into`."""
    read, dropped = into.source, copy.source
    if dropped.parts == read.parts:
        reason = f"{read.label} was given twice; it was read once"
        message = f"{read.label} was given twice; it was read once."
    elif len(copy.sizes) == len(into.sizes):
        reason = f"the same file is in {read.label}, which was read"
        message = (f"{dropped.label} holds the same files as {read.label} (the same export); it was read "
                   f"once, from {read.label}.")
    else:
        reason = f"incomplete copy: the same file is in {read.label}, which was read"
        message = (f"{dropped.label} holds only {len(copy.sizes):,} of the {len(into.sizes):,} files of "
                   f"{read.label} (an incomplete copy, e.g. an extraction that stopped early); the export was "
                   f"read once, from the complete {read.label}.")
    read.problems.extend(dropped.problems)
    read.problems.append(Problem(dropped.label, "duplicate_export", message))
    read.skipped.extend(dropped.skipped)
    again = set(read.parts)  # the same file given twice: its rows name the second copy, (part, path) stay unique
    read.skipped.extend(Skipped(m.path, m.size, m.compressed_size,
                                f"{m.part} (given again)" if m.part in again else m.part, "ignored", reason)
                        for m in dropped.members)


def open_sources(paths: Iterable[Path | str], *, limits: Limits = DEFAULT_LIMITS) -> list[Source]:
    """Every export found in `paths`, parts of one export merged into one Source."""
    pieces: list[_Piece] = []
    for path in paths:
        pieces.extend(_split(_list_path(Path(path), limits), limits, 0))
    return _group(pieces, limits)


def open_source(paths: list[Path], *, limits: Limits = DEFAULT_LIMITS) -> Source:
    """Open inputs known to be the parts of one export as a single Source (no splitting)."""
    pieces: list[_Piece] = []
    for path in paths:
        pieces.extend(_split(_list_path(Path(path), limits), limits, 0))
    if not pieces:
        return Source(Path(paths[0]).name if paths else "", [Path(p).name for p in paths])
    return _source(pieces, limits)
