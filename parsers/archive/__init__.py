"""Open exports (zip, zip parts, folder, zip in zip, chat .txt) as uniform, read-only, streaming views.

Nothing is extracted and no member is read to list or size it: sizes come from the zip directory or
the file system. One `Source` per export; an input can hold several exports and several inputs can be
the parts of one export.

How inputs become Sources
-------------------------
1. Each input is a *container*: a zip (zipdir.py; recovered.py when its directory is missing), a
   folder (folder.py), or a single file (a chat .txt). A zip found inside a container, outside any
   export root, is its own container (a WhatsApp iOS chat zip, or exports the user zipped together);
   a zip inside an export, or sent in a chat, is an ordinary member (pieces.py). Inner zips are read in
   place when stored and through one temporary file at a time when compressed (nested.py).
2. Each container is split at its export roots (roots.py): the shallowest folders whose children
   include a marker (Meta section folders, WhatsApp account-report files) and, outside those, folders
   holding a .txt (WhatsApp chats). Files under no root form one more piece, so nothing is dropped. The
   root is stripped, so an export wrapped in one or two folders reads like a direct one.
3. Pieces from different containers are merged when they are parts of one export (parts.py), and an
   export given twice is read once (copies.py).

Safety
------
Every reading path passes the same guards (guards.py, limits in parsers/limits.py): names (empty, NUL,
`..`, too deep, too long), declared sizes (compression ratio, larger than the archive), member count
and total size while listing; per-member and per-export byte limits, checksums and cut-off streams
while reading. What cannot be trusted, and harmless OS junk, stays listed in `Source.skipped` with a
status and reason, plus a `Problem` naming the file. `Source.damage` says whether the download is cut
off, damaged or missing a part.

This package does not import parsers.detect: `open_sources(..., detector=detect)` takes it.
"""
from __future__ import annotations

from ..limits import DEFAULT_LIMITS, Limits
from .guards import READ_BUFFER
from .model import (ArchiveError, Damage, DamagedMember, EncryptedMember, Member, MemberTooLarge, Skipped,
                    Source, display)
from .nested import SPILL
from .parts import Detector, missing_parts, open_source, open_sources, part_stem
from .roots import (JUNK_REASONS, MEDIA_EXTENSIONS, META_ROOT_MARKERS, ROOT_MARKERS, WHATSAPP_ACCOUNT_MARKERS,
                    find_roots, is_media, junk_reason, normalise, strip_root)

__all__ = [
    "ArchiveError", "DEFAULT_LIMITS", "Damage", "DamagedMember", "Detector", "EncryptedMember", "JUNK_REASONS",
    "Limits", "MEDIA_EXTENSIONS", "META_ROOT_MARKERS", "Member", "MemberTooLarge", "READ_BUFFER", "ROOT_MARKERS",
    "SPILL", "Skipped", "Source", "WHATSAPP_ACCOUNT_MARKERS", "display", "find_roots", "is_media", "junk_reason",
    "missing_parts", "normalise", "open_source", "open_sources", "part_stem", "strip_root",
]
