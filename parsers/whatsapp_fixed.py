"""Chat blocks whose headers all have one fixed shape, cut in numpy over the bytes.

Most chats write every header the same width: "13/01/2015, 00:00 - " (Android, padded 24-hour),
"[13/01/2015, 00:00:00] " (iOS). For those, the reader needs no regex per message: the header
lines are found by comparing a window of bytes after every newline with the header's shape (digits
where the sample has digits, the same bytes elsewhere), the date-time numbers are read from the same
window, the author is the text up to the line's first ':' (as the header regex's author group reads
it), and one `re.split` with that shape as a regex (no date-time group) gives authors and bodies. No str
object is made for a date-time per message.

It gives exactly what `LineFormat.split` gives, or nothing: a block where some other line could be a
header (the plain or tolerant regex matches it) is left to the regex reader (`cut` returns None), as
is a format whose sample headers differ in shape (12-hour clocks, unpadded days, localised marks).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property
from typing import Callable

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from .whatsapp_lines import AUTHOR, LineFormat
from .whatsapp_time import Fields

#: First bytes of a line that some header regex could start at: ASCII digits, '[', era letters, and
#: any non-ASCII byte (marks, other scripts' digits, era kanji); `_LINE_START` then decides in C.
_MAY_START = np.zeros(256, dtype=bool)
_MAY_START[[*b"0123456789[MTSHR", *range(0x80, 0x100)]] = True
_ZERO = np.arange(256, dtype=np.uint8)
_ZERO[48:58] = 48
_LINE_START = re.compile(r"\n(?=[\d\[\u200e\u200f\u061c\ufeff\u202a-\u202e\u2066-\u2069明大昭平令MTSHR])")


@dataclass(frozen=True, eq=False)
class Layout:
    """The fixed header shape of a chat: `width` bytes, digits where `digit` is set, else `literal`."""

    literal: np.ndarray  # uint8 (width,)
    digit: np.ndarray  # bool (width,)
    runs: tuple[tuple[int, int], ...]  # (start, end) columns of the date-time's numbers, in order

    @property
    def width(self) -> int:
        return len(self.literal)

    @cached_property
    def split(self) -> Callable[[str], list]:
        """`re.split` with the shape as a regex and the header regex's author group: no date-time group."""
        shape = "".join("[0-9]" if d else re.escape(chr(c)) for c, d in zip(self.literal.tolist(), self.digit.tolist()))
        return re.compile(rf"\n{shape}{AUTHOR}").split


def layout_of(fmt: LineFormat, sample: list[str]) -> Layout | None:
    """The fixed shape of the sample's headers, or None when they differ or the format needs more
    than the plain ASCII regex (localised words, marks, 12-hour clocks)."""
    if fmt.tolerant or fmt.meridiem != "no":
        return None
    plain = fmt.plain
    shapes = set()
    for line in sample:
        found = plain.match("\n" + line.rstrip("\n"))
        if found is None:
            continue
        end = found.start(2) if found.group(2) is not None else found.end()
        head = found.string[1:end]
        if not head.isascii():
            return None
        shapes.add(re.sub("[0-9]", "0", head))
    if len(shapes) != 1:
        return None
    shape = shapes.pop().encode("ascii")
    literal = np.frombuffer(shape, dtype=np.uint8).copy()
    digit = literal == ord("0")
    runs, start = [], None
    for column, is_digit in enumerate(digit.tolist() + [False]):
        if is_digit and start is None:
            start = column
        elif not is_digit and start is not None:
            runs.append((start, column))
            start = None
    if not 5 <= len(runs) <= 6:
        return None
    return Layout(literal, digit, tuple(runs))


@dataclass
class Cut:
    """A block cut into messages: the text before the first, then per message its date-time
    numbers, author as written (None: no author), body and the line number of its header."""

    pre: str
    fields: Fields
    authors: list[str | None]
    bodies: list[str]
    lines: np.ndarray


def cut(layout: Layout, fmt: LineFormat, data: bytes, text: str, first_line: int) -> Cut | None:
    """A block (`data` its bytes, `text` the same decoded: starts with a newline, whole lines) cut at
    its headers, or None when a line that is not of the fixed shape could be a header: the regex
    reader then cuts the block."""
    arr = np.frombuffer(data, dtype=np.uint8)
    size = len(arr)
    newlines = np.flatnonzero(arr == 10)
    starts = newlines + 1  # line j begins at starts[j]; line numbers are first_line + j
    width = layout.width
    fits = np.flatnonzero(starts + width <= size)
    window = sliding_window_view(arr, width)[starts[fits]]  # (lines, width) bytes after each newline
    shape = _ZERO[window]  # digits made '0': the shape, compared as one value per line
    same = shape.view(f"V{width}").ravel() == layout.literal.view(f"V{width}")[0]
    header = np.zeros(len(starts), dtype=bool)
    header[fits[same]] = True
    others = ~header
    if _other_headers(fmt, data, arr, starts[others], np.append(newlines[1:], size)[others]):
        return None
    parts = layout.split(text)  # [before the first, then author, body per message]
    rows = np.flatnonzero(header)
    if len(parts) != 1 + 2 * len(rows):  # cannot happen (one shape for both); the regex reader decides
        return None
    return Cut(parts[0], _fields(layout, window[same]), parts[1::2], parts[2::2], first_line + rows)


def _other_headers(fmt: LineFormat, data: bytes, arr: np.ndarray, starts: np.ndarray, ends: np.ndarray) -> bool:
    """Could any of these lines (not of the fixed shape) be a header for the plain or the tolerant
    regex? Then the block is not cut here."""
    inside = starts < len(arr)
    starts, ends = starts[inside], ends[inside]
    may = _MAY_START[arr[starts]]
    if not may.any():
        return False
    lines = b"\n".join([data[a:b] for a, b in zip(starts[may].tolist(), ends[may].tolist())])
    text = "\n" + lines.decode("utf-8", "replace")
    plain, tolerant = fmt.plain.match, fmt.tolerant_split.match
    return any(plain(text, m.start()) or tolerant(text, m.start()) for m in _LINE_START.finditer(text))


def _fields(layout: Layout, window: np.ndarray) -> Fields:
    n = len(window)
    num = np.full((6, n), np.nan, dtype=np.float32)
    for row, (start, end) in enumerate(layout.runs):
        value = np.zeros(n, dtype=np.int64)
        for column in range(start, end):
            value = value * 10 + (window[:, column].astype(np.int64) - 48)
        num[row] = value
    no = np.zeros(n, dtype=bool)
    return Fields(num, no, no.copy())
