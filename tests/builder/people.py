"""Exports full of people, for the pseudonymisation tests: who they are is known to the test.

`named_chats` writes WhatsApp group and one-to-one chats (Android and iOS) where people are named
in every way a real chat names them: as authors, in system lines ("Loris created group "Trip"",
"Loris added Ana Rossi and Lars", "Lars left"), by first name or surname alone, in capitals, without
their accents, and as a contact saved under a first name only. The chats also hold ordinary words
and URLs that must survive pseudonymisation (ORDINARY). Titles are ordinary words ("Trip", "Family").
"""
from __future__ import annotations

import io
import random
import unicodedata
import zipfile
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from builder import ExportTree, Names
from builder.whatsapp import ChatFormat, Message, chat_tree, chat_zip_name

#: Words and URLs that are no one's name: they must come out of pseudonymisation unchanged.
ORDINARY = ("trip", "family", "café", "weekend", "coffee", "naïve", "smörgåsbord", "birthday", "Trip", "Family",
            "https://example.org/trip", "www.facebook.com", "example.org", "maps.google.com")


def strip_accents(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c)).replace("ø", "o")


@dataclass
class NamedChats:
    tree: ExportTree
    owner: str
    people: set[str] = field(default_factory=set)


def named_chats(seed: int = 0) -> NamedChats:
    """A zip holding an Android group chat "Trip", an iOS group chat "Family" and an Android
    one-to-one chat, each in its own "Export chat" zip."""
    rng = random.Random(seed)
    names = Names(seed)
    owner, *friends = names.people(5)
    solo = "Loris"  # a contact saved by first name only
    joined = names.person()  # named only in a system line
    people = {owner, *friends, solo, joined}
    start = datetime(2022, 5, 1, 9, 0)
    outer = ExportTree()
    plans = [("Trip", ChatFormat(platform="android"), [owner, solo, *friends[:2]]),
             ("Family", ChatFormat(platform="ios"), [owner, *friends[2:]]),
             (friends[0], ChatFormat(platform="android", order="mdy", clock=12), [owner, friends[0]])]
    for number, (chat, fmt, members) in enumerate(plans):
        when = start + timedelta(days=40 * number)
        messages: list[Message] = []

        def say(author: str | None, body: str, kind: str = "text") -> None:
            nonlocal when
            when += timedelta(minutes=rng.randint(1, 300))
            if author is None and fmt.platform == "ios":  # the group in the author slot, LRM-marked
                messages.append(Message(when, chat, "\u200e" + body, "system", body))
            else:
                messages.append(Message(when, author, body, kind))

        if chat == "Trip":
            say(None, f'{solo} created group "Trip"', "system")
            say(None, f"{solo} added {members[2]} and {members[3]}", "system")
            say(None, f"{solo} added {joined}", "system")
        elif chat == "Family":
            say(None, f"{members[1]} added {members[2]}", "system")
        for n in range(24):
            author = members[n % len(members)]
            other = members[(n + 1) % len(members)]
            first, *_, last = other.split() if " " in other else (other, other)
            mention = [f"How are you {first}?", f"{last} is late again", f"{other.upper()} !!!",
                       f"{strip_accents(other)} said {names.sentence(1, 3)}", f"ask {first.lower()} about the trip",
                       f"{first}'s birthday, family weekend, café at https://example.org/trip"][n % 6]
            say(author, f"{names.sentence(1, 4)} {mention}")
        if chat == "Trip":
            say(None, f"{members[3]} left", "system")
            say(owner, "coffee on www.facebook.com or maps.google.com naïve smörgåsbord")
        inner = chat_tree(messages, fmt, chat, media=False)
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for name, content in inner.files.items():
                archive.writestr(name, content)
        outer.add(chat_zip_name(fmt, chat), buffer.getvalue())
    return NamedChats(outer, owner, people)
