"""Every safety limit of the readers, in one place (documented in the README's safety section).

An export is a file from the internet. These bounds keep a crafted or damaged one from crashing
the scan, hanging it or eating the machine's memory; each is generous for real exports. A member
that crosses one fails (or is truncated, for one chat message) with a plain reason; the rest of the
export is still read.
"""
from __future__ import annotations

from dataclasses import dataclass

KiB, MiB, GiB = 1 << 10, 1 << 20, 1 << 30


@dataclass(frozen=True)
class Limits:
    """Archive limits for one input. Defaults are generous for real exports (a 5.5 GB Facebook
    export has ~100k files and JSON compresses ~10-30x), yet stop zip bombs early."""

    max_members: int = 1_000_000  # files listed per container; the rest are reported, not listed
    max_total_size: int = 256 * GiB  # declared uncompressed bytes per container
    max_ratio: float = 200.0  # uncompressed/compressed, per member ...
    ratio_min_size: int = 1 * MiB  # ... checked only for members at least this large
    max_member_size: int = 4 * GiB  # bytes one Member.open() stream may yield
    max_nested_zip_size: int = 8 * GiB  # a compressed inner zip is inflated to one temporary file up to this


DEFAULT_LIMITS = Limits()

#: Longest JSON string one member may hold (a real message or post is a few KB).
MAX_JSON_STRING = 16 * MiB
#: Deepest nesting of JSON arrays/objects (real exports nest fewer than 12 levels).
MAX_JSON_DEPTH = 256
#: Longest member path, in characters, and most path components (real exports: < 300 and < 12).
MAX_PATH_LENGTH = 4096
MAX_PATH_DEPTH = 64
#: Zips inside zips are opened this deep (zip in zip in zip); deeper zips stay plain members.
MAX_ZIP_NESTING = 2
#: One chat message longer than this is kept truncated, with a problem row.
MAX_MESSAGE_CHARS = 1 * MiB
