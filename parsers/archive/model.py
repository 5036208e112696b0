"""The archive layer's public types and the bookkeeping one listing needs.

Paths that leave this package are always valid `str` (no lone surrogates): a folder export from
another system can hold names that are not UTF-8; they are shown with U+FFFD (see `display`), while
the real OS path is kept inside the member's opener.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import IO, TYPE_CHECKING, Callable

from ..common import safe_text
from ..json_guard import guarded, is_json_path
from ..contract import Problem

if TYPE_CHECKING:
    from .guards import Guard

PROBLEMS_PER_KIND = 20  # more than this per container and kind are summarised in one row


class ArchiveError(Exception):
    """A member could not be opened or read safely; the message is meant for the user."""


class MemberTooLarge(ArchiveError):
    """A member inflated past its safety limit while being read."""


class EncryptedMember(ArchiveError):
    """A password-protected member: zipfile cannot read it without the password."""


class DamagedMember(ArchiveError):
    """A member whose bytes are damaged or cut off (bad checksum, truncated stream): the download broke."""


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
    guard: Guard | None = field(default=None, repr=False, compare=False)

    def open(self) -> IO[bytes]:
        """A streaming binary reader (byte-counting, limited by the guard; a JSON file behind the JSON
        limits, whoever reads it); the caller closes it."""
        stream = self.open_raw()
        return guarded(stream) if is_json_path(self.path) else stream

    def open_raw(self) -> IO[bytes]:
        """`open` without the JSON limits (for a reader that puts its own JsonScanner in front)."""
        if self.guard is None:
            return self.opener()
        return self.guard.open(self.opener, self.path)

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
    status: str  # "ignored" (junk, duplicate copy, not a regular file) or "failed" (unsafe, over a limit)
    reason: str


@dataclass
class Damage:
    """What shows that a download is incomplete: found while listing, or while reading a member.

    `scan` turns it into `Audit.complete` / `incomplete_reason`. One object per Source, shared by the
    guards of its members, so a checksum error met by any handler is counted here.
    """

    notes: list[str] = field(default_factory=list)  # plain sentences: "fb.zip has no table of contents ..."
    cut: set[str] = field(default_factory=set)  # files cut off or damaged: not (fully) readable
    missing_parts: list[str] = field(default_factory=list)  # "facebook-ana-part2.zip"

    def __bool__(self) -> bool:
        return bool(self.notes or self.cut or self.missing_parts)

    def merge(self, other: Damage) -> None:
        self.notes.extend(n for n in other.notes if n not in self.notes)
        self.cut |= other.cut
        self.missing_parts.extend(p for p in other.missing_parts if p not in self.missing_parts)


@dataclass
class Source:
    """One export: its members from every part, and the problems met while listing it."""

    label: str
    parts: list[str]
    members: list[Member] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    root: str = ""
    skipped: list[Skipped] = field(default_factory=list)
    damage: Damage = field(default_factory=Damage)
    _index: dict[str, Member] | None = field(default=None, repr=False)

    def get(self, path: str) -> Member | None:
        if self._index is None:
            self._index = {m.path: m for m in self.members}
        return self._index.get(path)

    @property
    def total_size(self) -> int:
        return sum(m.size for m in self.members)

    @property
    def complete(self) -> bool:
        """False when the download is cut off, damaged or missing a part (see `damage`)."""
        return not self.damage


# ---- one listing's bookkeeping ------------------------------------------------------------------

@dataclass(slots=True)
class Entry:
    """One file of a container before it is split into exports."""

    path: str
    size: int
    compressed_size: int
    opener: Callable[[], IO[bytes]]
    as_zip: Callable[[], IO[bytes]] | None = None  # a seekable view, for a nested zip


class Log:
    """Problems of one container; repeats of a kind past a few are summarised in one row."""

    def __init__(self, container: str) -> None:
        self.container = container
        self.problems: list[Problem] = []
        self._counts: dict[str, int] = {}

    def add(self, file: str, kind: str, message: str) -> None:
        count = self._counts.get(kind, 0) + 1
        self._counts[kind] = count
        if count <= PROBLEMS_PER_KIND:
            self.problems.append(Problem(file, kind, message))

    def finish(self) -> list[Problem]:
        for kind, count in self._counts.items():
            if count > PROBLEMS_PER_KIND:
                self.problems.append(Problem(self.container, kind, f"... and {count - PROBLEMS_PER_KIND:,} more "
                                             f"files of {self.container} with the same problem ({kind}); "
                                             f"see the files table."))
        self._counts = {}
        return self.problems


@dataclass
class Listing:
    """What listing one container produced."""

    name: str  # container name as shown to the user (file or folder name, outer/inner for nested)
    entries: list[Entry] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    log: Log = field(init=False)
    kind: str = "zip"  # zip | folder | file
    damage: Damage = field(default_factory=Damage)

    def __post_init__(self) -> None:
        self.log = Log(self.name)

    def skip(self, path: str, size: int, csize: int, status: str, reason: str) -> None:
        self.skipped.append(Skipped(path, size, csize, self.name, status, reason))


def display(name: str) -> str:
    """`name` as a valid str: bytes that were not UTF-8 (lone surrogates from os.fsdecode) become U+FFFD."""
    return safe_text(name)
