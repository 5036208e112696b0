"""The same export given twice is read once (a zip and the folder extracted from it, a zip selected
twice, a Drive-wrapped copy next to the direct one).

When every file of one export (after its parts are merged) is in another of the same platform with the
same size, it is not read. Of identical copies the zip is read (what Meta sent), else the first given;
of a complete and an incomplete copy, the complete one. The copy not read gets a `duplicate_export`
problem and its files are listed as ignored. Only the listing is compared: paths and sizes, no member
is read. Chats count as copies only when identical.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from ..contract import Problem
from .model import Skipped, Source


@dataclass(eq=False)
class Copy:
    """An export (after its parts are merged) as compared with the others: sizes from the listing only."""

    source: Source
    platform: str
    zipped: bool  # every part is a zip: what Meta sent, preferred over an extracted folder
    sizes: dict[str, int] = field(init=False)

    def __post_init__(self) -> None:
        self.sizes = {m.path: m.size for m in self.source.members}


def _contains(big: Copy, small: Copy) -> bool:
    """Every file of `small` is in `big` with the same size (same platform; chats only when identical)."""
    if not small.sizes or big.platform != small.platform or len(small.sizes) > len(big.sizes):
        return False
    if len(small.sizes) < len(big.sizes) and (big.platform in ("unknown", "whatsapp_chat")):
        return False  # a chat exported again later holds different content; unknown files prove nothing
    sizes = big.sizes
    return all(sizes.get(path) == size for path, size in small.sizes.items())


def _keeps(kept: Copy, other: Copy) -> bool:
    """`kept` (given earlier) makes `other` redundant: it holds all of it, and a zip beats its extraction."""
    if not _contains(kept, other):
        return False
    return len(kept.sizes) > len(other.sizes) or kept.zipped or not other.zipped


def drop_copies(copies: list[Copy]) -> list[Source]:
    """One Source per export however often it is given (zip and extracted folder, a zip twice, a
    Drive-wrapped copy): a copy whose files are all in another (same paths, same sizes) is not
    read; its files are listed as ignored with the source that was read, and a problem says why.

    Of identical copies the zip is read (what Meta sent; a folder may have been touched since),
    else the first given; of a complete and an incomplete copy (an extraction cut short, a
    truncated download) the complete one. Exports that each hold files the other lacks are
    different exports and both are read. Order is the input order of the copies read.
    """
    kept: list[Copy] = []
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


def _fold(copy: Copy, into: Copy) -> None:
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
