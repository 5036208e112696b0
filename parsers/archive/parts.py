"""From inputs to Sources: list each input, split it into pieces, merge the parts of one export.

Pieces from different containers are one export (`_same_export`) when they share a name stem apart from
a part suffix (`-part2`, `-002`, `_2`, ` (2)`, the Drive `-<timestamp>Z-001` suffix), or have the same
detected Meta platform and format with complementary content (at most 5% of paths in common). WhatsApp
chats never merge. A numbered part missing between the ones given (`-part1` and `-part3`, Drive `-001`
and `-003`) is noted in the Source's damage.

Which platform a piece is, is the detector's call: it is passed in (`detector=`), so this package does
not import `parsers.detect` (which imports it). Without a detector, parts merge by name only.
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import Callable, Iterable, Protocol

from ..contract import Problem
from ..limits import DEFAULT_LIMITS, Limits
from .copies import Copy, drop_copies
from .folder import list_path
from .guards import Guard
from .model import Damage, Member, Skipped, Source
from .pieces import Piece, split


class Kind(Protocol):
    """What a detector says about a piece (parsers.detect.Detection has these fields)."""

    platform: str
    format: str
    layout: str
    variant: str


Detector = Callable[[Source], Kind]


class _ByName:
    """The kind of a piece when no detector is given: unknown, so parts merge by name only."""

    platform, format, layout, variant = "unknown", "unknown", "", ""


_PART_SUFFIX = re.compile(
    r"(?:-\d{8}T\d{6}Z-\d{1,3}"  # Google-Drive delivery: -20250214T091036Z-001
    r"|[\s._-]*(?:part|teil|parte|partie|del)?[\s._-]*\d{1,3}"  # -part2, _2, .002, " 2"
    r"|\s*\(\d{1,3}\))$",  # " (2)" from a browser's duplicate-download naming
    re.IGNORECASE,
)

#: Explicitly numbered parts, whose gaps are known to be missing parts: `-part2`, Drive `...Z-002`.
_PART_NUMBER = re.compile(r"(?:[\s._-]part[\s._-]?(\d{1,2})|-\d{8}T\d{6}Z-(\d{3}))(?:\.zip)?$", re.IGNORECASE)


def part_stem(name: str) -> str:
    """The name an export's parts share: the file or folder name minus `.zip` and a part suffix."""
    stem = name[:-4] if name.lower().endswith(".zip") else name
    previous = None
    while previous != stem:  # "x-20250214T091036Z-001 (1)" strips twice
        previous = stem
        stem = _PART_SUFFIX.sub("", stem)
    return stem.lower() or name.lower()


def missing_parts(containers: Iterable[str]) -> list[str]:
    """Names of the numbered parts missing below the highest one given (`x-part2.zip` for part1 + part3)."""
    numbered: dict[int, tuple[str, re.Match[str]]] = {}
    for container in containers:
        name = container.rsplit("/", 1)[-1]
        found = _PART_NUMBER.search(name)
        if found is not None and "whatsapp" not in name.lower():
            group = 1 if found.group(1) else 2
            numbered[int(found.group(group))] = (name, found)
    if not numbered:
        return []
    name, found = numbered[max(numbered)]
    group = 1 if found.group(1) else 2
    digits = found.group(group)
    start, end = found.span(group)
    return [f"{name[:start]}{str(n).zfill(len(digits))}{name[end:]}"
            for n in range(1, max(numbered)) if n not in numbered]


_MERGEABLE = ("facebook", "instagram", "whatsapp_account")


def _same_export(a: tuple[Piece, set[str], Kind], b: tuple[Piece, set[str], Kind]) -> bool:
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


def _source(pieces: list[Piece], limits: Limits, *, consume: bool = False) -> Source:
    """One Source from the pieces of one export; later duplicate paths are kept as skipped rows.

    `consume` drops each piece's entries once its members exist, so the two never peak together.
    """
    pieces = sorted(pieces, key=lambda p: _natural(p.container))
    members: list[Member] = []
    seen: dict[str, str] = {}
    skipped: list[Skipped] = []
    problems: list[Problem] = []
    damage = Damage()
    for piece in pieces:
        damage.merge(piece.damage)
    for piece in pieces:
        problems.extend(piece.problems)
        skipped.extend(piece.skipped)
        cut = len(piece.root) + 1 if piece.root else 0
        guard = Guard(limits, piece.budget, damage)
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
    return Source(label, parts, members, problems, first.root, skipped, damage)


def _natural(text: str) -> tuple:
    return tuple(int(t) if t.isdigit() else t.lower() for t in re.split(r"(\d+)", text))


def _with_missing_parts(source: Source, platform: str) -> Source:
    """Note numbered parts missing between the ones given (one problem row, and the Source's damage)."""
    if platform == "whatsapp_chat":
        return source
    missing = missing_parts(source.parts)
    if missing:
        source.damage.missing_parts.extend(missing)
        names = ", ".join(missing)
        source.problems.append(Problem(source.label, "missing_part",
                                       f"{source.label} is a numbered part of a larger export, but {names} "
                                       f"{'is' if len(missing) == 1 else 'are'} missing: add "
                                       f"{'it' if len(missing) == 1 else 'them'} to see everything."))
    return source


def _group(pieces: list[Piece], limits: Limits, detector: Detector | None) -> list[Source]:
    """Merge pieces that are parts of one export (see the module docstring); keep input order."""
    if len(pieces) < 2:
        return [_with_missing_parts(_source([p], limits, consume=True), "") for p in pieces]
    described = []
    for piece in pieces:
        single = _source([piece], limits)
        kind = detector(single) if detector is not None else _ByName()
        described.append((piece, {m.path for m in single.members}, kind))
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
        platform = platforms.pop() if len(platforms) == 1 else "unknown"
        source = _with_missing_parts(_source([described[i][0] for i in group], limits, consume=True), platform)
        copies.append(Copy(source, platform, all(described[i][0].kind == "zip" for i in group)))
    return drop_copies(copies)


def open_sources(paths: Iterable[Path | str], *, limits: Limits = DEFAULT_LIMITS,
                 detector: Detector | None = None) -> list[Source]:
    """Every export found in `paths`, parts of one export merged into one Source.

    `detector` (parsers.detect.detect) tells the platform of each piece, for merging parts that are
    named differently and for dropping copies; scan passes it.
    """
    pieces: list[Piece] = []
    for path in paths:
        pieces.extend(split(list_path(Path(path), limits), limits))
    return _group(pieces, limits, detector)


def open_source(paths: list[Path], *, limits: Limits = DEFAULT_LIMITS) -> Source:
    """Open inputs known to be the parts of one export as a single Source (no splitting)."""
    pieces: list[Piece] = []
    for path in paths:
        pieces.extend(split(list_path(Path(path), limits), limits))
    if not pieces:
        return Source(Path(paths[0]).name if paths else "", [Path(p).name for p in paths])
    return _source(pieces, limits)
