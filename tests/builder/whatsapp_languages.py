"""Chats as phones in every language, calendar and digit system write them.

For one phone language the builder writes every kind of line the export holds in that language
(the encryption notice, group events, media left out, attached files, deleted and edited messages,
locations, plain text) with the strings of parsers/whatsapp_strings.json, and says what each line
must read as. The header is rendered for a platform (Android " - ", iOS brackets), a clock (24 h,
or 12 h with the locale's AM/PM words, before the time where the locale puts them there) and a
`Script`: Arabic-Indic or Eastern Arabic-Indic digits, RTL marks and the Arabic comma, direction
marks inside the brackets and between date and time, Buddhist or Japanese era years.
"""
from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from parsers.whatsapp_wording import strings

#: The languages the app promises: every official EU language plus these (zh = zh-Hans).
EU = ("bg", "hr", "cs", "da", "nl", "en", "et", "fi", "fr", "de", "el", "hu", "ga", "it", "lv", "lt", "mt", "pl",
      "pt-PT", "ro", "sk", "sl", "es", "sv")
MORE = ("pt-BR", "ru", "uk", "tr", "ar", "fa", "hi", "id", "ja", "ko", "zh-Hans")
LANGUAGES = EU + MORE
#: Locales whose AM/PM word stands before the time (CLDR "a h:mm").
MERIDIEM_FIRST = {"ko", "zh-Hans", "zh-Hant", "ja"}
NAMES = {"X": "Ana Andersen", "Y": "Björn Brown", "Z": "Trip 2024", "A": "Old plans", "F": "IMG-20240314-WA0007.jpg",
         "URL": "https://maps.google.com/?q=50.94,6.95"}
ERAS = {"R": 2019, "H": 1989}
KANJI = {"R": "令和", "H": "平成"}


@dataclass(frozen=True)
class Script:
    """How a header writes its numbers and marks."""

    digits: str = "ascii"  # ascii | arabic (U+0660..) | persian (U+06F0..)
    calendar: str = "gregorian"  # gregorian | buddhist | japanese | japanese_kanji
    rtl: bool = False  # RLM after day and month, RLM before the line, Arabic comma between date and time
    marks_inside: bool = False  # LRM and a BOM inside the brackets and between date and time


@dataclass(frozen=True)
class Line:
    """One rendered line and what the parser must make of it."""

    text: str
    kind: str
    author: str | None
    when: datetime
    body: str  # the text the item must carry
    attachment: bool = False


def _digits(text: str, script: Script) -> str:
    base = {"arabic": 0x0660, "persian": 0x06F0}.get(script.digits)
    return text if base is None else "".join(chr(base + int(c)) if c.isdigit() else c for c in text)


def header(when: datetime, platform: str, clock: int, lang: str, script: Script) -> str:
    """The header of one line (with its trailing space)."""
    year = f"{when.year}"
    if script.calendar == "buddhist":
        year = f"{when.year + 543} BE"
    elif script.calendar.startswith("japanese"):
        era = "R" if when >= datetime(2019, 5, 1) else "H"
        number = when.year - ERAS[era] + 1
        year = f"{KANJI[era] if script.calendar == 'japanese_kanji' else era}{number}"
    mark = "\u200f" if script.rtl else ("\u200e" if script.marks_inside else "")
    if platform == "ios" and script.calendar != "gregorian":  # iOS writes these month/day/year
        date = f"{when.month}{mark}/{when.day}{mark}/{year}"
    else:
        date = f"{when.day:02d}{mark}/{when.month:02d}{mark}/{year}"
    seconds = f":{when.second:02d}" if platform == "ios" else ""
    if clock == 12:
        table = strings()[lang]
        word = (table.get("pm") or ["PM"])[0] if when.hour >= 12 else (table.get("am") or ["AM"])[0]
        hour = when.hour % 12 or 12
        plain = f"{hour}:{when.minute:02d}{seconds}"
        time = f"{word} {plain}" if lang in MERIDIEM_FIRST else f"{plain}\u00a0{word}"
    else:
        time = f"{when.hour:02d}:{when.minute:02d}{seconds}"
    joiner = "، " if script.rtl else (", \u200e\ufeff" if script.marks_inside else ", ")
    stamp = _digits(date, script) + joiner + _digits(time, script)
    if platform == "ios":
        inside = "\u200e" if script.marks_inside else ("\u200f" if script.rtl else "")
        return f"{mark}[{inside}{stamp}{inside}] "
    return f"{stamp} - "


def fill(template: str) -> str:
    text = template
    for key, value in NAMES.items():
        text = text.replace("{" + key + "}", value)
    return text


def language_lines(lang: str, platform: str = "android", *, clock: int = 24, script: Script = Script(),
                   seed: int = 0, chat: str = "Trip 2024") -> list[Line]:
    """One of every line this language has strings for, in time order (the first day is over 12)."""
    table = strings()[lang]
    rng = random.Random(seed)
    when = datetime(2022, 3, 18, 9, 5, 1)
    people = ["Chloé Çelik", "Dmitri Dubois", NAMES["X"]]
    lines: list[Line] = []

    def add(kind: str, author: str | None, body: str, shown: str | None = None, attachment: bool = False) -> None:
        nonlocal when
        when += timedelta(minutes=rng.randint(1, 400), seconds=rng.randint(0, 59))
        shown_when = when if platform == "ios" else when.replace(second=0)
        head = header(shown_when, platform, clock, lang, script)
        text = f"{head}{body}" if author is None else f"{head}{author}: {body}"
        lines.append(Line(text, kind, author, shown_when, body if shown is None else shown, attachment))

    def first(name: str) -> str | None:
        values = table.get(name) or []
        return values[0] if values else None

    mark = "\u200f" if lang in ("ar", "fa", "he", "ur") else "\u200e"
    e2e = first("e2e")
    if e2e:
        if platform == "ios":
            add("system", chat, mark + e2e, e2e)
        else:
            add("system", None, e2e)
    for template in (table.get("system") or [])[:6]:
        text = fill(template)
        if platform == "ios":  # the actor (or the group) in the author slot, the text marked
            author = NAMES["X"] if template.startswith("{X}") else chat
            add("system", author, mark + text, text)
        else:
            add("system", None, text)
    add("text", rng.choice(people), "Hello 👋 see you at 7")
    if platform == "android":
        for omitted in (table.get("media_omitted") or [])[:2]:
            add("media", rng.choice(people), omitted)
        attached = first("file_attached")
        if attached:
            add("media", rng.choice(people), mark + fill(attached), fill(attached), attachment=True)
    else:
        for omitted in (table.get("ios_omitted") or [])[:3]:
            add("media", rng.choice(people), mark + omitted, omitted)
        attached = first("ios_attached")
        if attached:
            add("media", rng.choice(people), fill(attached), attachment=True)
    for deleted in (table.get("deleted") or [])[:2]:
        if platform == "ios":
            add("deleted", rng.choice(people), mark + deleted, deleted)
        else:
            add("deleted", rng.choice(people), deleted)
    edited = first("edited")
    if edited:
        add("edited", rng.choice(people), f"Running late {edited}", "Running late")
    location = next((v for v in table.get("location") or [] if "{URL}" in v), None)
    if location:
        add("location", rng.choice(people), fill(location))
    add("text", rng.choice(people), "ok\nsee you there")
    return lines


def chat_text(lines: list[Line], *, rtl_line_marks: bool = False) -> str:
    """The export's text; with `rtl_line_marks` each line starts with an RLM (RTL iOS exports)."""
    return "".join(("\u200f" if rtl_line_marks else "") + line.text + "\n" for line in lines)


def utc_seconds(when: datetime) -> float:
    return when.replace(tzinfo=timezone.utc).timestamp()
