"""What a chat message body says it is (media left out, attached file, deleted, system line ...),
in every phone language of parsers/whatsapp_strings.json, decided for a whole block of bodies at once.

The strings are data (tools/whatsapp_strings.py writes them from the format reference). Here they
become exact-match sets (one hash lookup per body) and a few regexes that start with a literal
character ("(", "<", "http", "•"), so a regex scan over the joined bodies of a block jumps from one
candidate to the next in C and Python only looks at the few rows that match.
"""
from __future__ import annotations

import json
import re
from functools import cached_property, lru_cache
from importlib import resources
from itertools import repeat
from operator import itemgetter
from typing import Iterable

import numpy as np

KINDS = ("text", "media", "deleted", "edited", "location", "poll", "system")
TEXT, MEDIA, DELETED, EDITED, LOCATION, POLL, SYSTEM = range(len(KINDS))

#: Direction marks, isolates and BOMs: noise in headers and at the start of bodies.
MARKS = "\u200e\u200f\u061c\ufeff\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
_QUOTES = "\"'“”„«»「」‘’"
_SEP = "\x00"  # joins the bodies of a block for the scans (a NUL in a chat is replaced before)


@lru_cache(maxsize=1)
def strings() -> dict[str, dict[str, list[str]]]:
    """Per language: field -> strings (see the file's _about)."""
    text = resources.files(__package__).joinpath("whatsapp_strings.json").read_text(encoding="utf-8")
    return json.loads(text)["languages"]


def field(name: str, languages: Iterable[str] | None = None) -> list[str]:
    """Every string of one field, over all languages (or the given ones), without duplicates."""
    table = strings()
    seen: dict[str, None] = {}
    for lang in (languages or table):
        for value in table.get(lang, {}).get(name, []):
            seen.setdefault(value, None)
    return list(seen)


def _variants(text: str) -> set[str]:
    """The forms one exact body can take: as written, lower-cased, with or without one final
    full stop, with one leading direction mark (iOS writes one before placeholders)."""
    base = {text, text.lower(), text.casefold(), text[:1].upper() + text[1:]}
    base |= {t[:-1] for t in base if t.endswith((".", "。", "।", "۔"))} | {t + "." for t in base}
    return base | {m + t for t in base for m in ("\u200e", "\u200f")}


def _words(values: Iterable[str], template: str) -> list[str]:
    """The text a placeholder template wraps: "{F} (file attached)" -> "file attached"."""
    out = []
    for value in values:
        found = re.fullmatch(template, value)
        if found:
            out.append(found.group(1).strip())
    return sorted(set(out), key=len, reverse=True)


def _alternation(words: Iterable[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))


class Wording:
    """The compiled tables (built once: `wording()`)."""

    def __init__(self) -> None:
        exact: dict[str, int] = {}
        media = field("media_omitted") + field("ios_omitted")
        media += [f"<{m}>" for m in field("ios_omitted")]  # "<\u200eimage omitted>" (some iOS chats)
        for value in media:
            for form in _variants(value) | _variants(value.replace("< ", "<").replace(" >", ">")):
                exact.setdefault(form, MEDIA)
        for value in field("deleted"):
            for form in _variants(value):
                exact.setdefault(form, DELETED)
        for value in field("location"):
            if "{URL}" not in value:  # "live location shared"
                for form in _variants(value):
                    exact.setdefault(form, LOCATION)
        self.exact = exact
        self.exact_longest = max(map(len, exact))
        self.ios_omitted_lower = tuple(sorted({v.casefold() for v in field("ios_omitted")}, key=len, reverse=True))
        attached = _words(field("file_attached"), r"\{F\} \((.+)\)")
        self.android_attached = re.compile(rf"\((?:{_alternation(attached)})\)(?=[\x00\n])", re.IGNORECASE)
        prefixed = _words(field("file_attached"), r"(.+) \{F\}")  # fa: the words before the name
        self.prefixed_attached = re.compile(rf"\x00[{MARKS}]*(?:{_alternation(prefixed)}) (?P<name>[^\x00\n]+)")
        ios = _words(field("ios_attached"), r"<\s*(.+?)\s*[:：]\s*\{F\}\s*>")
        self.ios_attached = re.compile(
            rf"<[{MARKS}\s]*(?:{_alternation(ios)})\s*[:：]\s*(?P<name>[^>\x00\n]+?)\s*>"
            rf"|<[{MARKS}]*attached>|<(?P<tr>[^<>\x00\n]+?) eklendi>", re.IGNORECASE)
        edited = [e.strip("<>") for e in field("edited")]
        self.edited = re.compile(rf"<[{MARKS}]*(?:{_alternation(edited)})>(?=\x00)", re.IGNORECASE)
        self.location_words = {w.casefold() for w in _words(field("location"), r"(.+?)\s*[:：]\s*\{URL\}")}
        self.url = re.compile(r"https?://[^\s\x00]+")
        self.document_omitted = re.compile(r"•[^\x00\n]*(?=\x00)")  # "Resume.pdf • 2 pages document omitted"
        polls = field("poll")
        notices = sorted({_opener(v) for v in field("e2e")}, key=len, reverse=True)
        firsts = "".join(sorted({w[:1] for w in polls + notices}))  # notices start with a capital
        self.anchored = re.compile(
            rf"\x00[{MARKS}]*(?=(?-i:[{re.escape(firsts)}]))(?:(?P<poll>{_alternation(polls)})|(?P<notice>{_alternation(notices)}))",
            re.IGNORECASE)

    @cached_property
    def _templates(self) -> list[tuple[str, str]]:
        """(longest fixed words, template) of every group-event template of every language."""
        return [(_key(t), t) for t in sorted(set(field("system")), key=len, reverse=True)]

    def system_match(self, text: str, after_name: bool = False) -> bool:
        """Does `text` fullmatch a group-event template? With `after_name`, `text` is what follows
        the actor's name (" created this group"). Templates are tried only when their fixed words
        occur in the text, each compiled on first use."""
        folded = text.casefold()
        for key, template in self._templates:
            if key in folded and (not after_name or template.startswith("{X}")):
                if _compiled(template[3:] if after_name else template).fullmatch(text):
                    return True
        return False


    @cached_property
    def colon_heads(self) -> frozenset[str]:
        """Fixed text before ": " in templates that hold one ("Eltávolítottad őt: {Y}"): an Android
        line starting so reads at first as that 'author' and a message."""
        heads = set()
        for template in field("system"):
            head, sep, _rest = template.partition(": ")
            if sep and "{" not in head:
                heads.add(head.strip(MARKS).casefold())
        return frozenset(heads)

    @cached_property
    def colon_tails(self) -> tuple[str, ...]:
        """The same for templates that start with the actor: "{X} létrehozta a következő csoportot: …"."""
        tails = set()
        for template in field("system"):
            head, sep, _rest = template.partition(": ")
            if sep and head.startswith("{X}") and "{" not in head[3:]:
                tails.add(head[3:].casefold())
        return tuple(sorted(tails))


def _key(template: str) -> str:
    parts = [p for p in re.split(r"\{[XYZA]\}|[" + re.escape(_QUOTES) + "]", template) if p.strip()]
    return max(parts, key=len).strip().casefold() if parts else ""


@lru_cache(maxsize=None)
def _compiled(template: str) -> re.Pattern[str]:
    return re.compile(_template(template), re.IGNORECASE)


def _opener(text: str) -> str:
    """The first words of a notice (the rest changes between app versions): up to its first stop."""
    head = re.split(r"(?<=[^\s])[.。۔।](?:\s|$)", text, maxsplit=1)[0].rstrip(".。۔।")
    return head[:32]  # enough to tell a notice from a message, and a small regex to compile


def _template(text: str) -> str:
    """A system-line template as a regex: names and group titles are any text, any quote pair."""
    pattern = ""
    for part in re.split(r"(\{[XYZA]\})", text.strip()):
        if re.fullmatch(r"\{[XYZA]\}", part):
            pattern += ".+?"
        else:
            for char in part:
                pattern += f"[{re.escape(_QUOTES)}]" if char in _QUOTES else (r"\s+" if char.isspace() else re.escape(char))
    return pattern + r"[.。۔।]?"


@lru_cache(maxsize=1)
def wording() -> Wording:
    return Wording()


def classify_block(bodies: list[str], authors: np.ndarray, names: list[str], chat_code: int,
                   ios: bool, lengths: np.ndarray | None = None,
                   joined: str | None = None) -> tuple[np.ndarray, dict[int, str], dict[int, str]]:
    """Kinds of a block's bodies: (kind codes, row -> attachment name, row -> text when it differs
    from the body: placeholders lose their leading mark, edited text its marker).

    `joined`, when given, is the bodies joined by NUL with one NUL before the first and after the last.
    `authors` holds codes into `names` (-1: no author, a system line); `chat_code` is the code of
    the chat's own name in the author slot (-1 when it never writes), `ios` tells whether the
    format puts the acting person in the author slot of system lines.
    """
    w = wording()
    n = len(bodies)
    if lengths is None:
        lengths = np.fromiter(map(len, bodies), dtype=np.int64, count=n)
    kinds = np.full(n, TEXT, dtype=np.int8)
    short = np.flatnonzero(lengths <= w.exact_longest)  # only these can be an exact placeholder
    if len(short):
        picked = itemgetter(*short.tolist())(bodies) if len(short) > 1 else (bodies[int(short[0])],)
        kinds[short] = np.fromiter(map(w.exact.get, picked, repeat(TEXT)), dtype=np.int8, count=len(short))
    kinds[authors < 0] = SYSTEM
    attachments: dict[int, str] = dict.fromkeys(np.flatnonzero(kinds == MEDIA).tolist(), "")
    texts: dict[int, str] = {}
    joined = _SEP + _SEP.join(bodies) + _SEP if joined is None else joined
    starts = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(lengths + 1, dtype=np.int64, out=starts[1:])
    starts += 1  # joined[starts[i]] is the first character of body i

    def located(pattern: re.Pattern[str], shift: int = 0) -> Iterable[tuple[re.Match[str], int]]:
        """The pattern's matches in `joined`, each with the row it falls in (one searchsorted for all)."""
        found = list(pattern.finditer(joined))
        if not found:
            return ()
        rows = np.searchsorted(starts, [m.start() + shift for m in found], side="right") - 1
        return zip(found, rows.tolist())

    def first_line(row: int, position: int) -> bool:
        return "\n" not in joined[starts[row]:position]

    def open_(row: int) -> bool:
        return kinds[row] == TEXT

    for match, row in located(w.android_attached):
        if open_(row) and first_line(row, match.start()):
            name = joined[starts[row]:match.start()].strip(MARKS + " ")
            kinds[row], attachments[row] = MEDIA, name
    for match, row in located(w.prefixed_attached, 1):
        if open_(row):
            kinds[row], attachments[row] = MEDIA, match["name"].strip(MARKS + " ")
    for match, row in located(w.ios_attached):
        if open_(row) and first_line(row, match.start()):
            name = match["name"] or match["tr"]
            if name is None:  # pre-2017 "IMG.jpg <attached>": the name before the token
                name = joined[starts[row]:match.start()]
            kinds[row], attachments[row] = MEDIA, name.strip(MARKS + " ")
    for match, row in located(w.document_omitted):
        if open_(row) and match.group(0).strip(MARKS + " ").casefold().endswith(w.ios_omitted_lower):
            kinds[row], attachments[row] = MEDIA, ""
    for match, row in located(w.url):
        if open_(row):
            label = joined[starts[row]:match.start()].strip(MARKS + " ").rstrip(":：").strip().casefold()
            if label in w.location_words:
                kinds[row] = LOCATION
    for match, row in located(w.anchored, 1):
        if open_(row):
            kinds[row] = POLL if match.lastgroup == "poll" else SYSTEM
    for match, row in located(w.edited):
        if open_(row):
            kinds[row] = EDITED
            texts[row] = joined[starts[row]:match.start()].rstrip(MARKS + " ")
    if ios:  # the actor in the author slot, the name repeated in the text: "~ AK: ~ AK created this group"
        for row in np.flatnonzero((kinds == TEXT) & (authors >= 0)).tolist():
            name, body = names[authors[row]], bodies[row].lstrip(MARKS)
            if body.startswith(name) and w.system_match(body[len(name):].lstrip(), after_name=True):
                kinds[row] = SYSTEM
    marked = [i for i, body in enumerate(bodies) if body[:1] in MARKS and body] if _has_marks(joined) else []
    for row in marked:
        body = bodies[row]
        head = body.lstrip(MARKS)
        if kinds[row] == TEXT and authors[row] >= 0 and (authors[row] == chat_code or
                                                         (ios and w.system_match(head))):
            kinds[row] = SYSTEM  # iOS: the group's own name in the author slot, LRM-marked text
        if row in texts:
            texts[row] = texts[row].lstrip(MARKS)
        elif kinds[row] != TEXT or authors[row] < 0:
            texts[row] = head
    return kinds, attachments, texts


_ANY_MARK = re.compile(f"\x00[{MARKS}]")


def _has_marks(joined: str) -> bool:
    return _ANY_MARK.search(joined) is not None


def is_system_line(text: str) -> bool:
    """A whole line that is a group event in some language ('You changed the subject from "Plans: 2024"
    to ...' first reads as author 'You changed the subject from "Plans', which this corrects)."""
    return wording().system_match(text.strip(MARKS))


def may_be_system_author(author: str) -> bool:
    """An 'author' that may be the start of a system line holding ": " (see `is_system_line`)."""
    folded = author.strip(MARKS).casefold()
    w = wording()
    return any(q in author for q in QUOTES) or folded in w.colon_heads or folded.endswith(w.colon_tails)


#: Quote marks around group titles (not the apostrophe, which names hold: "Chloé O'Brien").
QUOTES = "\"“”„«»「」"
