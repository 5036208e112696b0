"""Chat export lines: which header format a file uses, its regexes, and reading it in blocks.

A message starts on a line that begins with a date-time header; following lines without one
continue it (shared/reference/whatsapp-formats.md §1.2). The format (brackets or not, date
separator, header ending) is decided once from the first lines of the file; then each block of
text is cut into messages by one `re.split` with the header regex, in C.

Two regexes per format: a plain one (ASCII digits, no marks) for the common blocks, and a tolerant
one for the rest: direction marks and BOMs anywhere in the header, Arabic commas, Arabic-Indic
digits, AM/PM words of every locale before or after the time, era and Buddhist-year dates. A cheap
search per block picks the tolerant regex only where such characters occur; a file whose first
lines need it is read with it throughout.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property, lru_cache
from typing import IO, Iterable, Iterator

from .limits import MAX_MESSAGE_CHARS
from .whatsapp_time import meridiem_pattern
from .whatsapp_wording import MARKS

_M = f"[{MARKS}]*"
_SP = "[ \u00a0\u202f]"
_ERA = "(?:明治|大正|昭和|平成|令和|[MTSHR])?"
_BE = rf"(?:{_SP}?B\.?{_SP}?E\.?)?"


def _tolerant_datetime(sep: str) -> str:
    """The date-time span of a header, every variant phones write (`sep`: a regex for the separator)."""
    mer = f"(?:{meridiem_pattern()})"
    date = (rf"{_ERA}\d{{1,4}}{_BE}{_M}{sep}{_M}\d{{1,2}}{_M}{sep}{_M}{_ERA}\d{{1,4}}(?:年)?{_BE}")
    joiner = rf"{_M}(?:[,،]?{_SP}+(?:à{_SP}+|klo{_SP}+)?|[,،]){_M}"
    time = (rf"(?:{mer}{_SP}?{_M})?\d{{1,2}}[:.]\d{{2}}(?:[:.]\d{{2}})?"
            rf"(?:{_SP}*{_M}{mer}\.?)?")
    return date + joiner + time


_OPTIONAL = {"yes": "", "no": None, "maybe": "?"}


def _plain_datetime(sep: str, seconds: str = "maybe", meridiem: str = "maybe") -> str:
    """The ASCII date-time; seconds and AM/PM as the sample has them ("yes", "no", "maybe"):
    a regex without optional parts it never needs runs nearly twice as fast."""
    text = rf"[0-9]{{1,4}}{sep}[0-9]{{1,2}}{sep}[0-9]{{1,4}}(?:,? (?:klo )?|,)[0-9]{{1,2}}[:.][0-9]{{2}}"
    for part, how in ((r"[:.][0-9]{2}", seconds), (r" ?[AaPp]\.? ?[Mm]\.?", meridiem)):
        if _OPTIONAL[how] is not None:
            text += f"(?:{part}){_OPTIONAL[how]}"
    return text


#: Header endings: Android " - ", iOS "] ", legacy (2012-14) ": ".
_ENDINGS = {"android": rf"{_SP}*-(?:{_SP}|(?=\n)|$)", "ios": rf"{_M}\]{_SP}?", "legacy": f":{_SP}"}
_PLAIN_ENDINGS = {"android": r" *-(?: |(?=\n)|$)", "ios": r"\] ?", "legacy": ": "}
#: The author and ": " (or ":" / ":." closing an empty body: view-once media, chat-miner's marker).
AUTHOR = _AUTHOR = r"(?:([^:\n]*)(?:: |:\.?(?=\n|$)))?"

_ANY = re.compile(
    rf"{_M}(?P<br>\[{_M})?(?:{_ERA}\d{{1,4}}{_BE}{_M}(?P<sep>[./-]))"
    rf"(?=.*?(?(br)(?P<ios>\])|(?:(?P<android>{_SP}*-(?:{_SP}|$))|(?P<legacy>:{_SP}))))")

#: A line that starts like a header (date, time, an ending) in some other shape: inside a message
#: body it is an unreadable header, never text of the message before it.
HEADER_LIKE = re.compile(
    rf"\n{_M}\[?{_M}\d{{1,4}}{_M}[./-]{_M}\d{{1,2}}{_M}[./-]{_M}\d{{1,4}}[,،]?{_SP}[^\s\x00]*?\d{{1,2}}[:.]\d{{2}}[^\s\x00]*"
    rf"{_SP}*(?:- |\] ?|: )")


#: A continuation line that starts as a header could: a digit, a bracket, a mark, an era.
_LINE_START = re.compile(rf"\n(?=[\d\[{MARKS}明大昭平令MTSHR])")


@dataclass(frozen=True)
class LineFormat:
    """What the sample showed: brackets, date separator, header ending; `tolerant` when its headers
    need the tolerant regex (localised AM/PM words, eras, marks) from the start."""

    bracket: bool
    sep: str
    ending: str  # android | ios | legacy
    tolerant: bool = False
    seconds: str = "maybe"  # in the plain regex: yes | no | maybe
    meridiem: str = "maybe"

    @property
    def plain(self) -> re.Pattern[str]:
        return _split_regex(self.bracket, self.sep, self.ending, True, self.seconds, self.meridiem)

    @property
    def tolerant_split(self) -> re.Pattern[str]:
        return _split_regex(self.bracket, self.sep, self.ending, False)

    def split(self, text: str) -> list[str]:
        """A block cut at its headers: [text before the first, then date-time, author, body per message].

        The plain regex first; a header it cannot read stays inside the body before it, as a line
        the tolerant regex does match, so only bodies of several lines need a look, and a block
        with such a line is cut again with the tolerant regex.
        """
        if self.tolerant:
            return self.tolerant_split.split(text)
        parts = self.plain.split(text)
        tolerant = self.tolerant_split.match
        for piece in (parts[0], "\x00".join(parts[3::3])):
            for candidate in _LINE_START.finditer(piece):  # continuation lines that start like a header
                if tolerant(piece, candidate.start()):
                    return self.tolerant_split.split(text)
        return parts

    def describe(self) -> str:
        shape = "[date, time]" if self.bracket else f"date, time {'-' if self.ending == 'android' else ':'}"
        return f"{shape} with '{self.sep}' between date fields"


@lru_cache(maxsize=None)
def _split_regex(bracket: bool, sep: str, ending: str, plain: bool, seconds: str = "maybe",
                 meridiem: str = "maybe") -> re.Pattern[str]:
    """The header regex of a format, with a group for the date-time and one for the author."""
    sep = re.escape(sep)
    if plain:
        open_ = r"\[" if bracket else ""
        end = _PLAIN_ENDINGS["ios" if bracket else ending]
        return re.compile(rf"\n{open_}({_plain_datetime(sep, seconds, meridiem)}){end}{_AUTHOR}")
    open_ = rf"\[{_M}" if bracket else ""
    end = _ENDINGS["ios" if bracket else ending]
    return re.compile(rf"\n{_M}{open_}({_tolerant_datetime(sep)}){_M}{end}{_AUTHOR}")


def detect_line_format(sample: Iterable[str]) -> LineFormat | None:
    """The most common header shape among the sample's header lines (None when there is none)."""
    votes: dict[tuple[bool, str, str], int] = {}
    lines = [line.rstrip("\n") for line in sample]
    for line in lines:
        if not line[:1].isdigit() and line[:1] not in f"[{MARKS}" and not _ERA_START.match(line):
            continue
        shape = _ANY.match(line)
        if shape is None:
            continue
        ending = "ios" if shape["br"] else ("android" if shape["android"] is not None else "legacy")
        key = (bool(shape["br"]), shape["sep"], ending)
        fmt = LineFormat(*key)
        if fmt.tolerant_split.match("\n" + line) is None:
            continue
        votes[key] = votes.get(key, 0) + 1
    if not votes:
        return None
    key = max(votes.items(), key=lambda kv: kv[1])[0]
    fmt = LineFormat(*key)
    tolerant = any(fmt.tolerant_split.match("\n" + line) and not fmt.plain.match("\n" + line) for line in lines)
    stamps = [m.group(1) for m in map(fmt.plain.match, ("\n" + line for line in lines)) if m]
    shapes, joined = {}, "\n".join(stamps)
    for name, pattern in (("seconds", _SECONDS), ("meridiem", _MER)):
        found = len(pattern.findall(joined))
        shapes[name] = "yes" if stamps and found == len(stamps) else ("no" if not found else "maybe")
    return LineFormat(*key, tolerant=tolerant, **shapes)


_SECONDS = re.compile(r"[0-9]{1,2}[:.][0-9]{2}[:.][0-9]{2}(?![0-9])")
_MER = re.compile(r"[AaPp]\.? ?[Mm]\.?$", re.MULTILINE)


_ERA_START = re.compile(r"(?:明治|大正|昭和|平成|令和|[MTSHR]\d)")


# ---- blocks ------------------------------------------------------------------------------------------

#: Bytes read per block: large enough that per-block work is noise, small enough that one C call
#: (a split, a regex scan) holds the GIL for milliseconds, not a GUI-visible stall.
BLOCK = 1 << 20
#: A line longer than this many bytes is cut here while reading: a 200 MB line costs one pass and
#: this much memory, not a copy per block. Past MAX_MESSAGE_CHARS characters whatever the script
#: (UTF-8 takes at most 4 bytes a character), so the message cap then cuts it and says so.
LINE_BYTES = 4 * MAX_MESSAGE_CHARS + 4


@dataclass
class Block:
    data: bytes  # UTF-8; starts with b"\n"; complete lines, no final newline; no \r, no NUL
    first_line: int  # line number of the block's first line (1-based)
    cut_lines: list[int]  # line numbers of lines cut at LINE_BYTES

    @cached_property
    def text(self) -> str:
        """The block decoded (a bad byte -> U+FFFD)."""
        return self.data.decode("utf-8", "replace")


def read_blocks(stream: IO[bytes], block: int = BLOCK) -> Iterator[Block]:
    """Decoded blocks of whole lines (UTF-8, BOM dropped, a bad byte -> U+FFFD, \\r\\n and \\r -> \\n).

    Linear in the input whatever the line lengths: the incomplete last line of a block waits as a
    list of pieces joined once, and a line past LINE_BYTES keeps its head and skips the rest.
    """
    pending: list[bytes] = []
    pending_size = 0
    dropping = False  # inside a line cut at LINE_BYTES: skip to its end
    line = 1
    cut_lines: list[int] = []
    first = True
    skip_lf = False
    while True:
        data = stream.read(block)
        if first:
            data = data[3:] if data.startswith(b"\xef\xbb\xbf") else data
            first = False
        if not data:
            if any(pending):
                yield _block(pending, line, cut_lines)
            return
        if skip_lf and data.startswith(b"\n"):
            data = data[1:]
        skip_lf = False
        cut = max(data.rfind(b"\n"), data.rfind(b"\r"))
        if cut < 0:
            if not dropping:
                pending.append(data)
                pending_size += len(data)
                if pending_size > LINE_BYTES:
                    pending = [b"".join(pending)[:LINE_BYTES]]
                    pending_size, dropping = LINE_BYTES, True
                    cut_lines.append(line)
            continue
        head, tail = data[:cut - 1 if cut and data[cut] == 10 and data[cut - 1] == 13 else cut], data[cut + 1:]
        skip_lf = data[cut] == 13 and not tail  # a \r\n split between two reads
        end = _first_break(head)  # the end of the line that `pending` began
        if dropping:  # the rest of a cut line: skipped
            head, dropping = head[end:], False
        elif pending_size + end > LINE_BYTES:
            pending, head = [(b"".join(pending) + head[:end])[:LINE_BYTES]], head[end:]
            cut_lines.append(line)
        pending.append(head)
        out = _block(pending, line, cut_lines)
        line += out.data.count(b"\n")
        yield out
        pending, pending_size, cut_lines = [tail], len(tail), []
        if pending_size > LINE_BYTES:
            pending, pending_size, dropping = [tail[:LINE_BYTES]], LINE_BYTES, True
            cut_lines.append(line)


def _first_break(data: bytes) -> int:
    found = [i for i in (data.find(b"\n"), data.find(b"\r")) if i >= 0]
    return min(found) if found else len(data)


def _block(pieces: list[bytes], line: int, cut_lines: list[int]) -> Block:
    data = b"".join([b"\n", *pieces])
    if b"\r" in data:
        data = data.replace(b"\r\n", b"\n").replace(b"\r", b"\n")
    if b"\x00" in data:  # a NUL separates bodies in the kind scans; in a chat it is damage
        data = data.replace(b"\x00", "\ufffd".encode())
    return Block(data, line, list(cut_lines))
