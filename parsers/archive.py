"""Open an export (zip, zip parts, folder, chat .txt) as one uniform, read-only, streaming view.

Nothing is extracted to disk and no member is read to list or size it: sizes come from the zip
directory or the file system.
"""
from __future__ import annotations

import os
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Callable, Iterable

from .contract import Problem

#: Top-level folders and files that mark the root of an export (see meta-export-formats.md 1.3).
ROOT_MARKERS = frozenset(
    {
        # Facebook and Instagram (all generations)
        "personal_information", "your_facebook_activity", "your_instagram_activity",
        "your_activity_across_facebook", "profile_information", "posts", "messages", "media",
        "comments_and_reactions", "comments", "likes", "photos_and_videos", "friends",
        "connections", "ads_information", "security_and_login_information", "logged_information",
        "account_information", "preferences", "apps_and_websites_off_of_facebook",
        "friends_and_followers", "location", "search", "your_topics",
        "media.json", "profile.json", "connections.json", "start_here.html", "index.html",
        # WhatsApp account report
        "whatsapp_connections", "portability.json", "access.html",
    }
)


@dataclass(frozen=True)
class Member:
    """One file of an export. `path` is normalised: `/` separators, export root stripped."""

    path: str
    size: int
    compressed_size: int
    part: str
    opener: Callable[[], IO[bytes]] = field(repr=False, compare=False)

    def open(self) -> IO[bytes]:
        """A streaming binary reader; the caller closes it."""
        return self.opener()

    @property
    def name(self) -> str:
        return self.path.rsplit("/", 1)[-1]


@dataclass
class Source:
    """One export: its members from every part, and the problems met while listing it."""

    label: str
    parts: list[str]
    members: list[Member] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    root: str = ""
    _index: dict[str, Member] | None = field(default=None, repr=False)

    def get(self, path: str) -> Member | None:
        if self._index is None:
            self._index = {m.path: m for m in self.members}
        return self._index.get(path)

    @property
    def total_size(self) -> int:
        return sum(m.size for m in self.members)


def normalise(name: str) -> str:
    return name.replace("\\", "/").strip("/")


def strip_root(paths: Iterable[str]) -> str:
    """Find the export root: the shallowest folder whose children include a marker."""
    best: str | None = None
    for path in paths:
        parts = path.split("/")
        for depth, part in enumerate(parts):
            if part in ROOT_MARKERS:
                prefix = "/".join(parts[:depth])
                if best is None or len(prefix) < len(best):
                    best = prefix
                break
    return best or ""


def _zip_members(path: Path, problems: list[Problem]) -> list[tuple[str, int, int, Callable[[], IO[bytes]]]]:
    try:
        archive = zipfile.ZipFile(path)
    except zipfile.BadZipFile as error:
        problems.append(Problem(str(path), "bad_zip", f"{path.name} is not a readable zip file ({error})."))
        return []
    rows = []
    for info in archive.infolist():
        if info.is_dir():
            continue
        rows.append((normalise(info.filename), info.file_size, info.compress_size,
                     lambda info=info: archive.open(info)))
    return rows


def _folder_members(path: Path) -> list[tuple[str, int, int, Callable[[], IO[bytes]]]]:
    rows = []
    for dirpath, _dirnames, filenames in os.walk(path):
        for filename in filenames:
            full = Path(dirpath, filename)
            size = full.stat().st_size
            rows.append((full.relative_to(path).as_posix(), size, size, lambda full=full: open(full, "rb")))
    return rows


def open_source(paths: list[Path]) -> Source:
    """Open the parts of one export as a Source."""
    problems: list[Problem] = []
    raw: list[tuple[str, int, int, Callable[[], IO[bytes]], str]] = []
    for path in paths:
        if path.is_dir():
            rows = _folder_members(path)
        elif zipfile.is_zipfile(path):
            rows = _zip_members(path, problems)
        elif path.is_file():
            size = path.stat().st_size
            rows = [(path.name, size, size, lambda path=path: open(path, "rb"))]
        else:
            problems.append(Problem(str(path), "missing", f"{path} does not exist."))
            rows = []
        raw.extend((*row, path.name) for row in rows)
    root = strip_root(r[0] for r in raw)
    cut = len(root) + 1 if root else 0
    members = [Member(p[cut:] if root and p.startswith(root + "/") else p, s, c, part, o)
               for p, s, c, o, part in raw]
    label = paths[0].name if len(paths) == 1 else f"{paths[0].name} (+{len(paths) - 1} parts)"
    return Source(label, [p.name for p in paths], members, problems, root)


def open_sources(paths: Iterable[Path | str]) -> list[Source]:
    """Each path is its own export for now; grouping of parts is refined by the archive module."""
    return [open_source([Path(p)]) for p in paths]
