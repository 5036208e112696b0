"""Synthetic WhatsApp exports: chat texts in every line format, chat zips with media, account reports.

Shapes follow shared/reference/whatsapp-formats.md (section 1 for chats, section 2 for the report).
Chats are rendered line by line (`chat_lines`) so a million-message chat streams to disk.
"""
from __future__ import annotations

import json
import random
from dataclasses import dataclass, replace
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Iterable, Iterator

from builder import ExportTree, Names

PLACEHOLDERS = {  # locale -> (Android media omitted, Android "(file attached)", iOS "<attached: >", deleted, location)
    "en": ("<Media omitted>", "file attached", "attached", "This message was deleted", "location"),
    "de": ("<Medien ausgeschlossen>", "Datei angehängt", "Anhang", "Diese Nachricht wurde gelöscht.", "Standort"),
    "pt": ("<Mídia omitida>", "arquivo anexado", "anexo", "Mensagem apagada", "Localização"),
    "es": ("<Multimedia omitido>", "archivo adjunto", "adjunto", "Se eliminó este mensaje.", "Ubicación"),
}
IOS_OMITTED = {"en": "image omitted", "de": "Bild weggelassen", "pt": "imagem ocultada", "es": "imagen omitida"}
EDITED = {"en": "<This message was edited>", "de": "<Diese Nachricht wurde bearbeitet>",
          "pt": "<Mensagem editada>", "es": "<Se editó este mensaje.>"}
SYSTEM_LINES = {
    "en": ["Messages and calls are end-to-end encrypted. No one outside of this chat, not even WhatsApp, "
           "can read or listen to them. Tap to learn more.", "You created group \"Trip\"", "You added Mallory"],
    "de": ["Nachrichten und Anrufe sind Ende-zu-Ende-verschlüsselt. Niemand außerhalb dieses Chats kann sie "
           "lesen oder anhören, nicht einmal WhatsApp. Tippe, um mehr zu erfahren.", "Du hast Mallory hinzugefügt."],
    "pt": ["As mensagens e ligações são protegidas com a criptografia de ponta a ponta. Somente as pessoas que "
           "fazem parte da conversa podem ler, ouvir e compartilhar esse conteúdo. Saiba mais",
           "Você criou este grupo"],
    "es": ["Los mensajes y las llamadas están cifrados de extremo a extremo. Nadie fuera de este chat, ni "
           "siquiera WhatsApp, puede leerlos ni escucharlos. Toca para obtener más información."],
}
MERIDIEMS = {"AM": ("AM", "PM"), "am": ("am", "pm"), "a. m.": ("a.\u00a0m.", "p.\u00a0m."),
             "a.m.": ("a.m.", "p.m."), "CJK": ("上午", "下午")}


@dataclass(frozen=True)
class ChatFormat:
    """One combination of the settings that shape an export's header lines."""

    platform: str = "android"  # android | ios | legacy
    order: str = "dmy"  # dmy | mdy | ymd
    sep: str = "/"  # / . -
    year_digits: int = 4
    clock: int = 24  # 12 | 24
    meridiem: str = "AM"  # key of MERIDIEMS
    meridiem_space: str = " "  # " ", "\u202f" (2023+), "\u00a0"
    seconds: bool | None = None  # None: the platform's habit (iOS writes seconds, Android does not)
    comma: bool = True  # "date, time" or "date time"
    klo: bool = False  # Finnish "date klo HH.MM.SS"
    pad: bool = True  # 01/02 or 1/2
    locale: str = "en"
    lrm: bool = False  # U+200E before each iOS header
    bom: bool = False  # BOM at the start of the file

    @property
    def has_seconds(self) -> bool:
        return self.platform == "ios" if self.seconds is None else self.seconds

    def date(self, when: datetime) -> str:
        year = f"{when.year:04d}" if self.year_digits == 4 else f"{when.year % 100:02d}"
        day, month = (f"{when.day:02d}", f"{when.month:02d}") if self.pad else (str(when.day), str(when.month))
        fields = {"dmy": (day, month, year), "mdy": (month, day, year), "ymd": (year, month, day)}[self.order]
        return self.sep.join(fields)

    def time(self, when: datetime) -> str:
        colon = "." if self.klo else ":"
        if self.clock == 12:
            am, pm = MERIDIEMS[self.meridiem]
            hour = when.hour % 12 or 12
            text = f"{hour}{colon}{when.minute:02d}" + (f"{colon}{when.second:02d}" if self.has_seconds else "")
            word = pm if when.hour >= 12 else am
            return f"{word} {text}" if self.meridiem == "CJK" else f"{text}{self.meridiem_space}{word}"
        return f"{when.hour:02d}{colon}{when.minute:02d}" + (f"{colon}{when.second:02d}" if self.has_seconds else "")

    def header(self, when: datetime) -> str:
        joiner = " klo " if self.klo else (", " if self.comma else " ")
        stamp = f"{self.date(when)}{joiner}{self.time(when)}"
        if self.platform == "ios":
            return f"{chr(0x200e) if self.lrm else ''}[{stamp}] "
        if self.platform == "legacy":
            return f"{stamp}: "
        return f"{stamp} - "


@dataclass(frozen=True)
class Message:
    """A message as written (`body`) and as the parser should report it (`text`, `kind`)."""

    when: datetime  # wall-clock time, truncated to what the format shows
    author: str | None  # None: an Android system line
    body: str
    kind: str = "text"
    text: str | None = None
    attachment: str | None = None
    attachment_size: int = 0

    @property
    def expected_text(self) -> str:
        return self.body if self.text is None else self.text


KIND_WEIGHTS = (("text", 80), ("multiline", 8), ("media", 5), ("deleted", 2), ("edited", 2), ("location", 1),
                ("system", 1), ("empty", 1))


class ChatWriter:
    """Seeded messages for a format, and their rendering as export lines."""

    def __init__(self, seed: int = 0, fmt: ChatFormat = ChatFormat(), *, authors: int = 3,
                 chat: str = "Trip", with_media: bool = False, people: list[str] | None = None) -> None:
        self.rng = random.Random(seed)
        self.names = Names(seed)
        self.fmt = fmt
        self.chat = chat
        self.authors = people or self.names.people(authors)
        self.with_media = with_media
        self._attachments = 0

    def messages(self, count: int, start: datetime = datetime(2021, 3, 14, 9, 30),
                 kinds: Iterable[tuple[str, int]] = KIND_WEIGHTS, max_gap: int = 4 * 3600) -> Iterator[Message]:
        """`count` messages in time order, starting at `start`, with random gaps up to `max_gap` seconds."""
        names, weights = zip(*kinds)
        when = start
        for _ in range(count):
            shown = when.replace(microsecond=0) if self.fmt.has_seconds else when.replace(second=0, microsecond=0)
            yield self.message(shown, self.rng.choices(names, weights)[0])
            when += timedelta(seconds=self.rng.randint(0, max_gap))

    def message(self, when: datetime, kind: str) -> Message:
        rng, fmt, locale = self.rng, self.fmt, self.fmt.locale
        author = rng.choice(self.authors)
        omitted, attached, ios_attached, deleted, location = PLACEHOLDERS[locale]
        if kind == "multiline":
            lines = [self.names.sentence() for _ in range(rng.randint(2, 4))]
            return Message(when, author, "\n".join(lines), "text")
        if kind == "media":
            if not self.with_media:
                body = f"\u200e{IOS_OMITTED[locale]}" if fmt.platform == "ios" else omitted
                return Message(when, author, body, "media", body.lstrip("\u200e"))
            self._attachments += 1
            name = (f"{self._attachments:08d}-PHOTO-{when:%Y-%m-%d-%H-%M-%S}.jpg" if fmt.platform == "ios"
                    else f"IMG-{when:%Y%m%d}-WA{self._attachments:04d}.jpg")
            body = f"<{ios_attached}: {name}>" if fmt.platform == "ios" else f"\u200e{name} ({attached})"
            return Message(when, author, body, "media", body.lstrip("\u200e"), name, rng.randint(1000, 50000))
        if kind == "deleted":
            return Message(when, author, deleted, "deleted")
        if kind == "edited":
            text = self.names.sentence()
            return Message(when, author, f"{text} {EDITED[locale]}", "edited", text)
        if kind == "location":
            return Message(when, author, f"{location}: https://maps.google.com/?q=50.94,6.95", "location")
        if kind == "empty":
            return Message(when, author, "", "text")
        if kind == "system":
            text = rng.choice(SYSTEM_LINES[locale])
            if fmt.platform == "ios":  # the group's name sits in the author slot, the text LRM-marked
                return Message(when, self.chat, f"\u200e{text}", "system", text)
            return Message(when, None, text, "system")
        return Message(when, author, self.names.sentence(), "text")

    def lines(self, messages: Iterable[Message]) -> Iterator[str]:
        return chat_lines(messages, self.fmt)


def chat_lines(messages: Iterable[Message], fmt: ChatFormat) -> Iterator[str]:
    """The export's text, one line (with its newline) at a time."""
    first = True
    for message in messages:
        head = fmt.header(message.when)
        if first and fmt.bom:
            head = "\ufeff" + head
        first = False
        if message.author is None:
            yield f"{head}{message.body}\n"
        elif message.body:
            yield f"{head}{message.author}: {message.body}\n"
        else:
            yield f"{head}{message.author}:\n"


def write_chat(path: Path, messages: Iterable[Message], fmt: ChatFormat) -> Path:
    """Stream a chat to disk (constant memory, for the million-message benchmark)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="\n", buffering=1 << 20) as out:
        out.writelines(chat_lines(messages, fmt))
    return path


def chat_file_name(fmt: ChatFormat, chat: str) -> str:
    return "_chat.txt" if fmt.platform == "ios" else f"WhatsApp Chat with {chat}.txt"


def chat_tree(messages: list[Message], fmt: ChatFormat, chat: str, *, media: bool = True) -> ExportTree:
    """A chat export as the phone zips it: the text plus (optionally) the attached files."""
    tree = ExportTree()
    tree.add(chat_file_name(fmt, chat), "".join(chat_lines(messages, fmt)))
    if media:
        for message in messages:
            if message.attachment:
                tree.add_media(message.attachment, message.attachment_size)
    return tree


def chat_zip_name(fmt: ChatFormat, chat: str) -> str:
    return f"WhatsApp Chat - {chat}.zip" if fmt.platform == "ios" else f"WhatsApp Chat with {chat}.zip"


# ---- account reports ----------------------------------------------------------------------------------


def _stamp(rng: random.Random) -> int:
    return int(datetime(2015, 1, 1, tzinfo=timezone.utc).timestamp()) + rng.randint(0, 9 * 365 * 86400)


def report_people(seed: int, contacts: int, groups: int) -> tuple[list[str], list[str]]:
    names = Names(seed)
    return names.people(contacts), [f"{names.sentence(1, 3).title()} group {n}" for n in range(groups)]


def account_report_2018(seed: int = 0, contacts: int = 5, groups: int = 2) -> ExportTree:
    """The 2018 (GDPR launch) report: access.html plus portability.json, which the HTML draws from."""
    rng = random.Random(seed)
    people, group_names = report_people(seed, contacts, groups)
    data = {
        "account_information": {"phone_number": "+49 151 0000000", "name": "Ana Andersen",
                                 "registration_date": "2014-06-01T10:00:00Z", "device": "Pixel 2",
                                 "os_version": "Android 8.1", "carrier": "Telekom", "last_ip": "192.0.2.1",
                                 "connection_status": "online"},
        "contacts": [f"+49 151 {rng.randint(1000000, 9999999)}" for _ in people],
        "groups": [{"subject": g} for g in group_names],
        "account_settings": {"share_with_facebook": False, "last_seen": "everyone"},
    }
    tree = ExportTree()
    tree.add("access.html", "<html><body><table><tr><td>Phone</td><td>+49 151 0000000</td></tr></table></body></html>")
    tree.add("portability.json", json.dumps(data, ensure_ascii=False, indent=1))
    return tree


def account_report_2022(seed: int = 0, contacts: int = 5, groups: int = 2) -> ExportTree:
    """~2022: whatsapp_connections/{contacts,groups}.json with wa_contacts and wa_groups lists."""
    rng = random.Random(seed)
    people, group_names = report_people(seed, contacts, groups)
    tree = ExportTree()
    tree.add("whatsapp_connections/contacts.json", json.dumps(
        {"wa_contacts": [{"name": p, "phone_number": f"+31 6 {rng.randint(10000000, 99999999)}"} for p in people]},
        ensure_ascii=False))
    tree.add("whatsapp_connections/groups.json", json.dumps(
        {"wa_groups": [{"subject": g, "creation_timestamp": _stamp(rng)} for g in group_names]}, ensure_ascii=False))
    return tree


CURRENT_PAIRS = ("user_information", "registration_information", "account_settings", "devices", "contacts",
                 "groups", "avatars_information", "terms_of_service")


def account_report_current(seed: int = 0, contacts: int = 5, groups: int = 2, devices: int = 2,
                           platform: str = "android") -> ExportTree:
    """2024-25: index.html plus an .html/.json pair per section."""
    rng = random.Random(seed)
    people, group_names = report_people(seed, contacts, groups)
    sections = {
        "user_information": {"wa_user_info": {"name": "Ana Andersen", "phone_number": "+34 600 000 000",
                                              "about": "Hey there! I am using WhatsApp.",
                                              "profile_photo": "profile.jpg"}},
        "registration_information": {"wa_registration_info": {"platform": platform,
                                                              "registration_time": "2016-02-29 08:15:00",
                                                              "phone_number": "+34 600 000 000"}},
        "account_settings": {"wa_account_settings": {"privacy": {"last_seen": "contacts", "profile_photo": "everyone",
                                                                 "read_receipts": True},
                                                     "security_notifications": False, "language": "es"}},
        "devices": {"wa_devices": [{"device_model": f"Model {n}", "os": "Android 14",
                                    "last_active": _stamp(rng)} for n in range(devices)]},
        "contacts": {"wa_contacts": [{"name": p, "phone_number": f"+34 6{rng.randint(10000000, 99999999)}"}
                                     for p in people]},
        "groups": {"wa_groups": [{"subject": g, "creation": _stamp(rng), "participants": rng.randint(3, 50)}
                                 for g in group_names]},
        "avatars_information": {"wa_avatars_information": {"has_avatar": False}},
        "terms_of_service": {"wa_terms_of_service": {"accepted_version": "2021-01", "accepted_time": _stamp(rng)}},
    }
    tree = ExportTree()
    tree.add("index.html", "<html><body>" + "".join(f'<a href="{n}.html">{n}</a>' for n in sections) + "</body></html>")
    for name, value in sections.items():
        tree.add(f"{name}.json", json.dumps(value, ensure_ascii=False, indent=1))
        tree.add(f"{name}.html", f"<html><body><h1>{name}</h1></body></html>")
    return tree


def all_formats() -> list[ChatFormat]:
    """A spread of real-world combinations (one per row of the reference's header table, roughly)."""
    base = ChatFormat()
    return [
        base,                                                                         # A4 dd/mm/yyyy, HH:MM
        replace(base, order="mdy", year_digits=2, clock=12, pad=False, meridiem_space="\u202f"),  # A1
        replace(base, order="mdy", year_digits=2, clock=12, pad=False),                # A2
        replace(base, sep=".", year_digits=2, locale="de"),                            # A5
        replace(base, comma=False, locale="pt"),                                       # A7
        replace(base, sep="-", comma=False),                                           # A8
        replace(base, clock=12, meridiem="am", pad=False),                             # A9
        replace(base, clock=12, meridiem="a. m.", comma=False, pad=False, locale="es"),  # A10
        replace(base, order="ymd", sep="-", seconds=True),                             # A11
        replace(base, sep=".", klo=True, comma=False, seconds=True, pad=False),        # A12
        replace(base, order="ymd", clock=12, meridiem="am"),                           # A15
        replace(base, clock=12, meridiem="CJK"),                                       # A16
        replace(base, platform="legacy", comma=False, seconds=True),                   # A17
        replace(base, platform="ios", clock=12, meridiem_space="\u202f", pad=False),   # I1
        replace(base, platform="ios", order="mdy", year_digits=2, clock=12, pad=False, lrm=True),
        replace(base, platform="ios", sep="-", year_digits=2, comma=False),            # whatstk lorem
        replace(base, platform="ios", sep=".", year_digits=2, locale="de", bom=True),
    ]


def scan_as(paths: list[Path], platform: str, monkeypatch, **options):
    """Scan with the detection fixed (whatsapp_chat | whatsapp_account), whatever detect() says today."""
    import importlib

    from parsers.archive import open_sources
    from parsers.detect import Detection

    scan_module = importlib.import_module("parsers.scan")  # the package re-exports a function named scan
    monkeypatch.setattr(scan_module, "detect", lambda source: Detection(platform, "txt", "", ("test",)))
    return scan_module.scan_sources(open_sources(paths), **options)
