"""Splitting a listed container at its export roots, and opening the zips that lie outside every export.

A zip inside a Meta or WhatsApp-account export is an attachment and stays a member; so is a zip sent in
a WhatsApp chat (`00000004-name.zip`, `DOC-20230101-WA0004.zip`): media of that chat, never another
export. Any other zip in a chat folder is opened only when it holds an export itself; a zip outside
every root is always opened (a WhatsApp iOS chat zip, or exports zipped together).
"""
from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass

from ..contract import Problem
from ..limits import MAX_ZIP_NESTING, Limits
from .guards import Budget
from .model import ArchiveError, Damage, DamagedMember, Entry, Listing, Skipped
from .roots import ancestors, find_roots, junk_reason, split_roots, within
from .zipdir import list_zip_container

#: A file sent in a WhatsApp chat, as the phone names it in the export: iOS `00000004-name.zip`
#: (an 8-digit counter), Android `DOC-20230101-WA0004.zip` / `IMG-...`. Media of the chat, whatever its type.
CHAT_ATTACHMENT = re.compile(r"(?:\d{8}-|(?:IMG|VID|PTT|AUD|DOC|STK|AUDIO|VIDEO)-\d{8}-WA\d+)[^/]*$",
                             re.IGNORECASE)


@dataclass
class Piece:
    """The part of one container that belongs to one export root."""

    container: str
    kind: str
    root: str
    entries: list[Entry]
    skipped: list[Skipped]
    problems: list[Problem]
    budget: Budget
    damage: Damage
    label: str = ""  # set when a container holds several exports: which one this is
    sole: bool = True  # the only export of its container (its name then names the export)


def split(listing: Listing, limits: Limits, depth: int = 0) -> list[Piece]:
    """Split a container at its export roots (see the module docstring); nothing is dropped."""
    junk = [e for e in listing.entries if junk_reason(e.path)]
    content = [e for e in listing.entries if not junk_reason(e.path)]
    marker_roots, txt_roots = split_roots(e.path for e in content if not e.path.lower().endswith(".zip"))
    groups: dict[str, list[Entry]] = {root: [] for root in sorted(
        marker_roots | txt_roots, key=lambda r: (r.count("/") if r else -1, r))}
    nested: list[Piece] = []
    leftover: list[Entry] = []
    only = next(iter(groups)) if len(groups) == 1 else None
    for entry in content:
        if only is not None:  # the common case, one export: no walk up the folders
            root = only if within(entry.path, only) else None
        else:
            root = next((r for r in ancestors(entry.path) if r in groups), None)
        if entry.as_zip is not None and root not in marker_roots and depth < MAX_ZIP_NESTING \
                and not (root is not None and CHAT_ATTACHMENT.match(entry.path.rsplit("/", 1)[-1])):
            inner = _open_nested(entry, listing, limits, depth, need_export=root is not None)
            if inner is not None:
                nested.extend(inner)
                continue
        (groups[root] if root is not None else leftover).append(entry)
    budget = Budget(limits.max_total_size)
    damage = listing.damage

    def piece(root: str, entries: list[Entry], label: str) -> Piece:
        return Piece(listing.name, listing.kind, root, entries, [], [], budget, damage, label=label)

    pieces = [piece(root, entries, root) for root, entries in groups.items() if entries]
    if leftover:
        pieces.append(piece("", leftover, "other files"))
    if not pieces and not nested:
        pieces.append(piece("", [], ""))
    holder = pieces[0] if pieces else nested[0]
    holder.skipped.extend(listing.skipped)
    holder.skipped.extend(Skipped(e.path, e.size, e.compressed_size, listing.name, "ignored",
                                  junk_reason(e.path) or "") for e in junk)
    holder.problems.extend(listing.log.finish())
    if not pieces:
        holder.damage.merge(damage)
    several = len(pieces) + len(nested) > 1
    for one in pieces:
        one.sole = not several
        if not several:
            one.label = ""
        elif not one.label:
            one.label = "(top folder)"
    return pieces + nested


def _open_nested(entry: Entry, outer: Listing, limits: Limits, depth: int,
                 need_export: bool) -> list[Piece] | None:
    """Open a zip member as its own container; None keeps it a plain member of the outer one."""
    name = f"{outer.name}/{entry.path}"
    try:
        entry.as_zip().close()  # type: ignore[misc]
    except ArchiveError as error:
        outer.log.add(name, "nested_zip", str(error))
        if isinstance(error, DamagedMember):
            outer.damage.cut.add(entry.path)
        return None
    except (OSError, zipfile.BadZipFile, RuntimeError, EOFError) as error:
        detail = error.strerror if isinstance(error, OSError) and error.strerror else error  # no local paths
        outer.log.add(name, "nested_zip", f"{name} could not be opened ({detail}).")
        return None
    listing = list_zip_container(name, entry.as_zip, entry.size, limits, True, nested=True)  # type: ignore[arg-type]
    if need_export and not find_roots(e.path for e in listing.entries if not junk_reason(e.path)):
        return None
    return split(listing, limits, depth + 1)
