"""Why a member gave no items, and dates no export can hold: the verdicts `handlers._run_member` applies.

A handler that reads a non-empty JSON member and yields nothing has either met an empty category
(a blank file, `{}`, `[]`, wrappers around empty lists) or a file that is not what the table
expects: cut off inside its first key, a bare number or string, records that are not objects, a
wrapper list that became a string. The first is said in the files row; the others fail the member
with the reason, so no member is "parsed, 0 items" without saying why.
"""
from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any, Iterator

import ijson

from .archive import Member
from .contract import Problem
from .json_guard import IJSON_BUFFER, JsonLimitExceeded

#: Reason on the files row of a JSON member that holds no records at all.
EMPTY_CATEGORY = "empty: the file holds no records"

#: Reason on the files row of a member with records of which the handler counted none (not a failure:
#: e.g. a settings file whose records are all of kinds the table skips).
NOTHING_COUNTED = "no items: none of its records has what this reader counts"

_BLANK = b" \t\r\n"
_BOM = b"\xef\xbb\xbf"


@dataclass(frozen=True)
class Verdict:
    """What the files row says of a member that yielded no items; `failed` adds a problem row."""

    failed: bool
    reason: str


def _kind(event: str) -> str:
    return {"start_map": "object", "start_array": "list", "string": "text", "number": "number",
            "boolean": "true/false", "null": "null"}.get(event, event)


_STARTS = ("start_map", "start_array")
_SCALARS = frozenset({"text", "number", "true/false", "null"})


def _shape(events: Iterator[tuple[str, str, Any]]) -> tuple[str, list[tuple[str, str, set[str]]]]:
    """The top level's kind and its entries (a list's elements, an object's values) as
    (key, kind, kinds of what the entry holds one level further down)."""
    depth = 0
    top, key = "", ""
    entries: list[tuple[str, str, set[str]]] = []
    for _prefix, event, value in events:
        if event in ("end_map", "end_array"):
            depth -= 1
            continue
        if event == "map_key":
            key = value if depth == 1 else key
            continue
        if depth == 0:
            top = _kind(event)
            if event not in _STARTS:
                return top, entries
        elif depth == 1:
            entries.append((key, _kind(event), set()))
        elif depth == 2:
            entries[-1][2].add(_kind(event))
        if event in _STARTS:
            depth += 1
    return top, entries


def _holds_records(kind: str, inner: set[str]) -> bool:
    return kind == "object" and bool(inner) or kind == "list" and "object" in inner


def why_no_items(member: Member) -> Verdict:
    """The verdict on a non-empty JSON member whose handler yielded no items (reads it once more, streamed)."""
    with member.open() as stream:
        head = stream.read(4096)
    stripped = head[len(_BOM):] if head.startswith(_BOM) else head
    if not stripped.strip(_BLANK) and len(head) < 4096:
        return Verdict(False, "empty: the file is blank")
    try:
        with member.open() as stream:
            if head.startswith(_BOM):
                stream.read(len(_BOM))
            top, entries = _shape(ijson.parse(stream, use_float=True, buf_size=IJSON_BUFFER))
    except JsonLimitExceeded as error:
        return Verdict(True, str(error))
    except ijson.JSONError as error:
        text = str(error).strip().splitlines()[0] if str(error).strip() else ""
        return Verdict(True, f"the JSON ends early or is broken ({text})" if text else "the JSON ends early or is broken")
    except UnicodeDecodeError:
        return Verdict(True, "the file is not valid UTF-8 text")
    if top in _SCALARS:
        return Verdict(True, f"the file holds a single {top} value, not records")
    if top == "list":
        kinds = {kind for _key, kind, _inner in entries}
        if not kinds:
            return Verdict(False, EMPTY_CATEGORY)  # []
        if "object" in kinds:
            return Verdict(False, NOTHING_COUNTED)
        return Verdict(True, f"its records are not objects ({', '.join(sorted(kinds))} values)")
    if all(kind in ("list", "object") and not inner for _key, kind, inner in entries):
        return Verdict(False, EMPTY_CATEGORY)  # {} or {"comments_v2": []}
    if any(_holds_records(kind, inner) for _key, kind, inner in entries):
        return Verdict(False, NOTHING_COUNTED)
    key, kind, inner = next(entry for entry in entries if entry[1] in _SCALARS or entry[2])
    if kind in _SCALARS:
        return Verdict(True, f"'{key}' holds a {kind} value where a list of records belongs")
    return Verdict(True, f"its records are not objects ('{key}' holds {', '.join(sorted(inner))} values)")


# ---- dates no export can hold -------------------------------------------------------------------

#: 1 January of the year each platform opened (Facebook 2004, Instagram 2010, WhatsApp 2009), UTC.
PLATFORM_START = {"facebook": (1_072_915_200.0, 2004), "instagram": (1_262_304_000.0, 2010),
                  "whatsapp": (1_230_768_000.0, 2009)}
#: A date this far past the scan's clock is in the future (a day: time zones and clock skew).
FUTURE_MARGIN = 86_400.0


class DateCheck:
    """Counts one member's items dated before its platform existed or in the future (they are kept)."""

    __slots__ = ("earliest", "year", "latest", "early", "late")

    def __init__(self, platform: str, now: float | None = None) -> None:
        self.earliest, self.year = PLATFORM_START.get(platform, (0.0, 0))
        self.latest = (time.time() if now is None else now) + FUTURE_MARGIN
        self.early = self.late = 0

    def see(self, stamp: float) -> None:
        """Called for a dated item outside [earliest, latest] only (the caller compares)."""
        if stamp < self.earliest:
            self.early += 1
        elif stamp > self.latest:
            self.late += 1

    def problem(self, path: str, platform: str) -> Problem | None:
        """One row per file, with both counts, or None when every date is plausible."""
        if not (self.early or self.late):
            return None
        parts = []
        if self.early:
            parts.append(f"{self.early:,} dated before {platform.capitalize()} existed ({self.year})")
        if self.late:
            parts.append(f"{self.late:,} dated in the future")
        return Problem(path, "implausible_dates",
                       f"{path}: {' and '.join(parts)}; these items are kept with the dates the file gives")
