"""WhatsApp "Export chat" text files -> one column-wise batch of items per chat.

A chat export is a plain-text log whose header format follows the phone's platform, locale and
clock settings (shared/reference/whatsapp-formats.md §1). The reader works on blocks of about 1 MB:

1. Detect the header format from the first lines (parsers/whatsapp_lines.py); nothing is guessed
   per line.
2. Cut each block into messages with one `re.split` (date-time, author, body per message, in C).
   A line inside a body that looks like a header in another shape is not glued to the message
   before it: it is an unreadable message, counted in a problem row with its line number.
3. Read every header's numbers with numpy (parsers/whatsapp_time.py) and decide the day/month
   order from the whole file; classify the bodies with set lookups and regex scans over the
   joined bodies (parsers/whatsapp_wording.py).
4. Yield one ColumnBatch: columns, not an object per message.

Timestamps: WhatsApp prints local wall-clock time without a zone ("times as shown on the phone").
They are stored as if that wall-clock time were UTC, so the hour the user saw is the hour shown.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import IO, Callable, Iterator

import numpy as np

from .contract import ACTORS, AccountContext, ColumnBatch, Problem
from .handlers import UntilCancelled
from .limits import MAX_MESSAGE_CHARS
from .whatsapp_fixed import Layout, cut, layout_of
from .whatsapp_lines import HEADER_LIKE, LineFormat, detect_line_format, read_blocks
from .whatsapp_time import ORDERS, SPECIAL, Fields, convert, convert_stamps, normalise
from .whatsapp_wording import KINDS, MARKS, MEDIA, SYSTEM, TEXT, classify_block, is_system_line, may_be_system_author

__all__ = ["KINDS", "SYSTEM", "MEDIA", "TEXT", "chat_name", "classify", "clean_name", "convert_stamps",
           "detect_line_format", "parse_chat"]

INVISIBLE = MARKS
_INVISIBLE_RE = re.compile(f"[{MARKS}]")
SAMPLE_LINES = 2000


def clean_name(name: str) -> str:
    """An author as shown in the header: invisible marks removed, no-break spaces made plain."""
    if name.isascii():
        return name.strip()
    name = _INVISIBLE_RE.sub("", name).replace("\u202f", " ").replace("\u00a0", " ")
    return unicodedata.normalize("NFC", name).strip()




# ---- chat names --------------------------------------------------------------------------------------

_CHAT_NAME = re.compile(
    r"(?:WhatsApp[ _]Chat[ _](?:with|mit|-)|Chat[ _]de[ _]WhatsApp[ _]con|Chat[ _]WhatsApp[ _]con"
    r"|Conversa[ _]do[ _]WhatsApp[ _]com|Conversa[ _]no[ _]WhatsApp[ _]com|Discussion[ _]WhatsApp[ _]avec"
    r"|WhatsApp[ _]Chat[ _]met|Czat[ _]WhatsApp[ _]z|WhatsApp[ _]sohbeti:?|Чат[ _]WhatsApp[ _]с)[ _]+(?P<name>.+)"
    r"|与(?P<zh>.+)的 ?WhatsApp ?聊天|與(?P<zht>.+)的 ?WhatsApp ?對話", re.IGNORECASE)
_GENERIC_NAMES = frozenset({"_chat", "chat", "whatsapp chat", "whatsapp"})


def chat_name(path: str, label: str = "") -> str:
    """The chat's name from the file name, else from its folder or zip, else the file stem."""
    parts = [p for p in path.split("/") if p]
    outer = [p for p in label.replace("\\", "/").split("/") if p]  # a nested zip: "outer.zip/inner.zip"
    candidates = [parts[-1]] + parts[-2::-1] + outer[::-1]
    for candidate in candidates:
        stem = re.sub(r"\.(txt|zip)$", "", candidate, flags=re.IGNORECASE)
        found = _CHAT_NAME.fullmatch(stem)
        if found:
            return (found["name"] or found["zh"] or found["zht"]).strip()
    for candidate in candidates:
        stem = re.sub(r"\.(txt|zip)$", "", candidate, flags=re.IGNORECASE).strip()
        if stem.casefold() not in _GENERIC_NAMES and stem:
            return stem
    return parts[-1] if parts else label


# ---- reading -----------------------------------------------------------------------------------------

#: attachment name -> its size in bytes when the export holds it, else None
MediaResolver = Callable[[str], "int | None"]


@dataclass
class _Chat:
    """What the blocks of one chat add up to (arrays per block, joined at the end)."""

    fmt: LineFormat
    chat: str
    media: MediaResolver | None
    layout: Layout | None = None  # the headers' one fixed shape, when they have one
    index: dict = field(default_factory=lambda: {None: -1})  # author as written -> code (None: no author)
    raw: list[str] = field(default_factory=list)  # authors as written, by code
    names: list[str] = field(default_factory=list)  # authors cleaned, by code
    chat_code: int = -1
    fields: list[Fields] = field(default_factory=list)
    codes: list[np.ndarray] = field(default_factory=list)
    kinds: list[np.ndarray] = field(default_factory=list)
    counts: list[np.ndarray] = field(default_factory=list)
    sizes: list[np.ndarray] = field(default_factory=list)
    lengths: list[np.ndarray] = field(default_factory=list)
    bodies: list[str] = field(default_factory=list)
    unreadable: list[int] = field(default_factory=list)  # line numbers
    unreadable_count: int = 0
    truncated: list[int] = field(default_factory=list)
    truncated_count: int = 0
    carry: tuple[Fields, int, str, int] | None = None  # the last message of a block: it may go on

    def note(self, where: list[int], line: int) -> None:
        if len(where) < 5:
            where.append(line)


def parse_chat(stream: IO[bytes], path: str, chat: str, account: AccountContext,
               media: MediaResolver | None = None) -> Iterator[ColumnBatch | Problem]:
    """The items of one chat text as one batch; problems for lines and dates it could not read."""
    # A cancel inside the file ends the blocks quietly: the messages read so far are still yielded,
    # then the cancel goes on (the member is marked partly read).
    blocks = UntilCancelled(read_blocks(stream))
    first = next(blocks, None)
    sample = first.text[1:].split("\n", SAMPLE_LINES)[:SAMPLE_LINES] if first is not None else []
    fmt = detect_line_format(sample)
    if fmt is None:
        yield Problem(path, "not_a_chat", f"{path} has no WhatsApp message lines in its first "
                                          f"{len(sample)} lines; it was not read as a chat.")
        blocks.reraise()
        return
    state = _Chat(fmt, chat, media, layout_of(fmt, sample))
    if first is not None:
        _read_block(state, first)
    for block in blocks:
        _read_block(state, block)
    _flush(state)
    yield from _problems(state, path)
    fields = Fields.concat(state.fields)
    state.fields = []
    times = convert(fields)
    del fields  # the batch holds only the seconds
    if times.ambiguous:
        yield Problem(path, "ambiguous_date_order", f"{path}: the date order is uncertain: {times.evidence}.")
    if times.invalid:
        yield Problem(path, "bad_dates", f"{times.invalid} messages of {path} have impossible dates "
                                         f"as {ORDERS[times.order]}; their time is left empty.")
    yield _batch(state, times.seconds, account, path)
    blocks.reraise()


def _read_block(state: _Chat, block) -> None:
    """Cut one block into messages and classify them; the block's last message waits for the next."""
    found = _cut(state, block)
    pre, fields, codes, bodies, lines = found
    carried = None
    if state.carry is not None:
        stamp, code, body, line = state.carry
        carried = line
        state.carry = None
        bodies.insert(0, _append(body, pre))
        fields = Fields.concat([stamp, fields])
        codes = np.concatenate([np.array([code], dtype=np.int32), codes])
        lines = _Shifted(lines, line)
    elif pre.strip(MARKS + " \t\n"):  # text before the first message
        for offset, piece in enumerate(pre.split("\n")[1:], 1):
            if piece.strip(MARKS + " \t"):
                state.unreadable_count += 1
                state.note(state.unreadable, block.first_line + offset - 1)
    if not bodies:
        return
    last = len(bodies) - 1
    last_line = carried if carried is not None and last == 0 else lines.of(last)
    state.carry = (fields.take(slice(last, None)), int(codes[last]), bodies.pop(), last_line)
    _add(state, fields.take(slice(0, last)), codes[:last], bodies, lines)


def _cut(state: _Chat, block) -> tuple:
    """(text before the first message, date-time fields, author codes, bodies, line numbers) of a
    block: in numpy when the chat's headers have one fixed shape, else by the header regex."""
    if state.layout is not None:
        found = cut(state.layout, state.fmt, block.data, block.text, block.first_line)
        if found is not None:
            return found.pre, found.fields, _codes(state, found.authors), found.bodies, _Lines(found.lines)
    parts = state.fmt.split(block.text)
    stamps = parts[1::3]
    plain = normalise(stamps) if (state.fmt.tolerant or SPECIAL.search("\n".join(stamps))) else stamps
    return parts[0], Fields.of(plain), _codes(state, parts[2::3]), parts[3::3], _LineNumbers(parts, block.first_line)


def _codes(state: _Chat, authors: list) -> np.ndarray:
    index = state.index
    try:
        return np.fromiter(map(index.__getitem__, authors), dtype=np.int32, count=len(authors))
    except KeyError:  # new authors in this block
        _author_codes(state, list(dict.fromkeys(authors)))
        return np.fromiter(map(index.__getitem__, authors), dtype=np.int32, count=len(authors))


def _author_codes(state: _Chat, authors: list) -> np.ndarray:
    """The codes of these authors as written (None: no author, -1), new ones given the next codes."""
    index, raw, names = state.index, state.raw, state.names
    for a in authors:
        if a not in index:
            index[a] = len(raw)
            raw.append(a)
            names.append(clean_name(a))
            if state.chat_code < 0 and names[-1] == state.chat:
                state.chat_code = len(names) - 1
    return np.array([index[a] for a in authors] or [0], dtype=np.int32)


def _append(body: str, more: str) -> str:
    """A message continued in the next block, within the message cap (linear, however long)."""
    if not more or len(body) > MAX_MESSAGE_CHARS:  # past the cap already: _add cuts it and says so
        return body
    return body + more[:MAX_MESSAGE_CHARS + 1 - len(body)]


class _LineNumbers:
    """Line numbers of a block's messages (regex cut), counted only when a problem needs one."""

    def __init__(self, parts: list, first_line: int) -> None:
        self.parts, self.first_line, self._starts = parts, first_line, None

    def of(self, row: int) -> int:
        if self._starts is None:
            starts, line = [], self.first_line + self.parts[0].count("\n") - 1
            for k in range(1, len(self.parts), 3):
                line += 1
                starts.append(line)
                line += self.parts[k + 2].count("\n")
            self._starts = starts
        return self._starts[row]


class _Lines:
    """Line numbers known already (numpy cut)."""

    def __init__(self, lines: np.ndarray) -> None:
        self.lines = lines

    def of(self, row: int) -> int:
        return int(self.lines[row])


class _Shifted:
    """Row 0 is the message carried from the block before."""

    def __init__(self, lines, carried: int) -> None:
        self.lines, self.carried = lines, carried

    def of(self, row: int) -> int:
        return self.carried if row == 0 else self.lines.of(row - 1)


def _flush(state: _Chat) -> None:
    if state.carry is not None:
        stamp, code, body, line = state.carry
        state.carry = None
        _add(state, stamp, np.array([code], dtype=np.int32), [body], _Fixed(line))


class _Fixed:
    def __init__(self, line: int) -> None:
        self.line = line

    def of(self, row: int) -> int:
        return self.line


def _add(state: _Chat, fields: Fields, codes: np.ndarray, bodies: list[str], lines) -> None:
    """Classify and keep one run of messages (a block's, or the last carried one)."""
    if not bodies:
        return
    n = len(bodies)
    codes = np.array(codes, dtype=np.int32)
    lengths = np.fromiter(map(len, bodies), dtype=np.int32, count=n)  # within MAX_MESSAGE_CHARS once cut
    joined = "\x00".join(["", *bodies, ""])  # a NUL before and after each body, as the kind scans want
    changed: set[int] = set()
    if "\n" in joined:
        starts = np.ones(n + 1, dtype=np.int64)  # joined[starts[i]] is the first character of body i
        np.cumsum(lengths + 1, dtype=np.int64, out=starts[1:])
        starts[1:] += 1
        changed = _fix_multiline(state, bodies, joined, starts, lines)
    raw = state.raw
    quoted = _quoted_codes(state)
    suspects = np.flatnonzero(np.isin(codes, list(quoted))).tolist() if quoted else []
    for i in suspects:  # 'You changed the subject from "Plans: 2024" to ...': a system line, no author
        line = f"{raw[codes[i]]}: {bodies[i]}"
        if is_system_line(line):
            codes[i], bodies[i] = -1, line
            changed.add(i)
    for i in np.flatnonzero(lengths > MAX_MESSAGE_CHARS).tolist():
        bodies[i] = bodies[i][:MAX_MESSAGE_CHARS]
        changed.add(i)
        state.truncated_count += 1
        state.note(state.truncated, lines.of(i))
    if changed:
        for i in changed:
            lengths[i] = len(bodies[i])
        joined = "\x00".join(["", *bodies, ""])
    kinds, attachments, texts = classify_block(bodies, codes, raw, state.chat_code, state.fmt.bracket, lengths, joined)
    for row, text in texts.items():
        bodies[row] = text
        lengths[row] = len(text)
    counts = np.zeros(len(bodies), dtype=np.int8)  # one attachment at most
    sizes = np.zeros(len(bodies), dtype=np.int64)
    media = state.media
    for row, name in attachments.items():
        counts[row] = 1
        if name and media is not None:
            sizes[row] = media(name) or 0
    state.fields.append(fields)
    state.codes.append(codes)
    state.kinds.append(kinds)
    state.counts.append(counts)
    state.sizes.append(sizes)
    state.lengths.append(lengths)
    state.bodies.extend(bodies)


_BLANK_TAIL = re.compile(r"\n[ \t\r\f\v]*(?=\x00|$)")


def _fix_multiline(state: _Chat, bodies: list[str], joined: str, starts: np.ndarray, lines) -> set[int]:
    """Bodies of several lines: a header-like line in another shape ends the body (it and its
    continuation lines are one unreadable message, counted); blank lines at the end go."""
    cut: dict[int, int] = {}
    for match in HEADER_LIKE.finditer(joined):
        row = int(np.searchsorted(starts, match.start(), side="right")) - 1
        offset = match.start() - int(starts[row])
        if row not in cut:
            cut[row] = offset
        state.unreadable_count += 1
        state.note(state.unreadable, lines.of(row) + joined.count("\n", int(starts[row]), match.start()) + 1)
    for row, offset in cut.items():
        bodies[row] = bodies[row][:offset]
    ends = [m.start() for m in _BLANK_TAIL.finditer(joined)]
    tails = set((np.searchsorted(starts, ends, side="right") - 1).tolist()) if ends else set()
    for row in tails | set(cut):
        bodies[row] = _strip_blank_tail(bodies[row])
    return tails | set(cut)


def _quoted_codes(state: _Chat) -> set[int]:
    """Codes of 'authors' that may be the start of a system line with ': ' in it (a quoted group
    title, or a language whose template holds ": "), checked once per new author."""
    cached = getattr(state, "_quoted", None)
    if cached is None or cached[0] != len(state.raw):
        known = cached[1] if cached else set()
        start = cached[0] if cached else 0
        known |= {c for c in range(start, len(state.raw)) if may_be_system_author(state.raw[c])}
        cached = (len(state.raw), known)
        state._quoted = cached  # type: ignore[attr-defined]
    return cached[1]


def _strip_blank_tail(body: str) -> str:
    """Blank lines at the end of a multi-line body are not content (the old reader's rule)."""
    lines = body.split("\n")
    while len(lines) > 1 and not lines[-1].strip():
        lines.pop()
    return "\n".join(lines)


def _problems(state: _Chat, path: str) -> Iterator[Problem]:
    fmt = state.fmt
    if state.unreadable_count:
        n = state.unreadable_count
        lines, they = ("1 line", "it looks") if n == 1 else (f"{n:,} lines", "they look")
        at = ", ".join(str(x) for x in state.unreadable)
        yield Problem(path, "unreadable_lines",
                      f"{lines} of {path} could not be read: {they} like message headers in another format than "
                      f"the file's ({fmt.describe()}), or stand before the first message (line{'s' if n > 1 else ''} "
                      f"{at}{' ...' if n > len(state.unreadable) else ''}). They are not part of any message.")
    if state.truncated_count:
        n = state.truncated_count
        at = ", ".join(str(x) for x in state.truncated)
        yield Problem(path, "message_truncated",
                      f"{n:,} message{'s' if n > 1 else ''} of {path} {'were' if n > 1 else 'was'} longer than "
                      f"{MAX_MESSAGE_CHARS:,} characters and {'are' if n > 1 else 'is'} kept cut to that length "
                      f"(line{'s' if n > 1 else ''} {at}{' ...' if n > len(state.truncated) else ''}).")


def _batch(state: _Chat, seconds: np.ndarray, account: AccountContext, path: str) -> ColumnBatch:
    """The chat's one batch; the per-block parts are let go as they are joined (the peak holds one copy)."""
    codes, kinds = _joined(state.codes, np.int32), _joined(state.kinds, np.int8)
    names = state.names
    owners = account.owner_names
    person = ACTORS.index("self"), ACTORS.index("other"), ACTORS.index("unknown")
    per_code = np.array([person[0] if n in owners else (person[1] if owners else person[2]) for n in names]
                        + [person[2]], dtype=np.int8)
    system = kinds == SYSTEM
    actor = np.where(system, np.int8(ACTORS.index("system")), per_code[codes])
    author = np.where(system, np.int32(-1), codes)
    chats = account.extra.setdefault("whatsapp_chats", [])
    chats.append({"file": path, "chat": state.chat, "authors": list(names), "codes": codes, "kinds": kinds.copy()})
    text, state.bodies = state.bodies, []
    return ColumnBatch("messages", kinds, list(KINDS), seconds, actor, list(ACTORS), author, list(names), state.chat,
                       text, _joined(state.counts, np.int8), _joined(state.sizes, np.int64),
                       _joined(state.lengths, np.int32))


def _joined(parts: list[np.ndarray], dtype) -> np.ndarray:
    """The parts as one array; the list is emptied."""
    out = np.concatenate(parts) if parts else np.zeros(0, dtype=dtype)
    parts.clear()
    return out


def classify(author: str | None, body: str, chat: str) -> tuple[int, str, str | None]:
    """(kind, text, attachment name) of one body (a wrapper over the block classifier, for tests)."""
    names = [n for n in (author, chat) if n is not None]
    code = -1 if author is None else 0
    chat_code = names.index(chat) if chat in names else -1
    kinds, attachments, texts = classify_block([body], np.array([code]), names or [""], chat_code, True)
    return int(kinds[0]), texts.get(0, body), attachments.get(0)
