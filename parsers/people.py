"""The people an export names, gathered from every place it names them (for pseudonymisation).

A person is whoever the export shows as one: the owner, message senders and thread participants,
reactors, commenters, friends, followers and contacts (the handlers put those in
`AccountContext.people` and the items' `author` column), and the people named in the words of
WhatsApp system lines ("Ana added Lars", "Ana left") and Facebook notifications ("Ana Rossi
commented on your post."). Chat and group titles are not people: a title is a person only
where it is also one of these names.

Also here: the author of the owner's own items (the owner's name where the export gives it).
"""
from __future__ import annotations

import re
from typing import TYPE_CHECKING

import pandas as pd

from .contract import AccountContext

if TYPE_CHECKING:
    from .scan import Audit

#: Categories whose `self` items the owner wrote or did: their empty author becomes the owner's name.
AUTHORED_CATEGORIES = ("posts", "photos_videos", "stories_reels", "comments", "reactions", "messages",
                       "ai_interactions", "search_history")

#: Kinds whose text is a notice naming people at its start ("Ana Rossi commented on your post.").
NOTICE_KINDS = ("notification", "notification_record")

#: Words that start a notice without naming anyone.
NOT_A_NAME = frozenset("""you your yours facebook meta instagram whatsapp messenger threads a an the new
    reminder someone somebody this that these there it its we our check see happy today tomorrow memories
    people friends friend group page event marketplace welcome don't do did here update updated login
    security we're there's it's""".split())

# WhatsApp system lines that start with the name of who did it, then (for additions and removals)
# the names of who it was done to. English, Spanish, Portuguese, French, Italian and German.
_ACTOR_THEN_OTHERS = re.compile(
    r"^(?P<who>.+?) (?:added|removed|añadió a|añadió|eliminó a|eliminó|adicionou|removeu|a ajouté|a retiré"
    r"|ha aggiunto|ha rimosso|hat|hast) (?P<others>.+?)(?: hinzugefügt| entfernt| to the group| al grupo| ao grupo)?\.?$")
_ACTOR_ONLY = re.compile(
    r"^(?P<who>.+?) (?:created group|created this group|created the group|left|joined using|joined|changed"
    r"|was added|was removed|creó el grupo|creó este grupo|salió|se unió|cambió|criou o grupo|saiu|entrou"
    r"|mudou|a créé le groupe|a créé ce groupe|est parti|est partie|a rejoint|a changé|ha creato il gruppo"
    r"|è uscito|è uscita|si è unito|si è unita|ha cambiato|hat die Gruppe|ist beigetreten|hat .* geändert)\b")
_LIST_SPLIT = re.compile(r"\s*(?:,|&|\band\b|\by\b|\be\b|\bet\b|\bund\b)\s*")
_NON_CONTACT_MARK = re.compile(r"^[~\u202f\u00a0 ]+")
_POSSESSIVE = re.compile(r"(?:'s|’s|')$")


def fill_owner_author(frame: pd.DataFrame, platform: str, account: AccountContext) -> pd.DataFrame:
    """Give the owner's own items (actor self, AUTHORED_CATEGORIES, author empty) the owner's name,
    where the export gives it (a profile file, or the one participant of every thread)."""
    owner = account.owner_name or (next(iter(account.owner_names)) if len(account.owner_names) == 1 else "")
    if not owner or frame.empty:
        return frame
    mask = ((frame["platform"] == platform) & (frame["actor"] == "self")
            & frame["category"].isin(AUTHORED_CATEGORIES) & (frame["author"].fillna("") == "")).to_numpy(bool)
    if mask.any():
        frame.loc[mask, "author"] = owner
    return frame


def names_in_system_line(text: str) -> list[str]:
    """The people a WhatsApp system line names: "Ana added Lars and Zoë" -> [Ana, Lars, Zoë]."""
    line = text.strip().split("\n", 1)[0].strip("\u200e\u200f ")
    found: list[str] = []
    match = _ACTOR_THEN_OTHERS.match(line)
    if match:
        found.append(match["who"])
        others = match["others"]
        if not others.startswith(("the group", "die Gruppe", "el grupo")):
            found.extend(_LIST_SPLIT.split(others))
    else:
        match = _ACTOR_ONLY.match(line)
        if match:
            found.append(match["who"])
    names = [_NON_CONTACT_MARK.sub("", name).strip(" .\"'") for name in found]
    return [n for n in names if n and n.casefold() not in ("you", "du", "tú", "você", "vous", "tu", "sie")]


def names_in_notice(text: str) -> list[str]:
    """People named at the start of a notice: "Ana Rossi and Lars commented on your post." ->
    [Ana Rossi, Lars]. A name is a run of up to four capitalised words followed by a lower-case
    word (the verb); runs starting with words like "You" or "Facebook" name nobody."""
    names: list[str] = []
    current: list[str] = []
    for token in text.split():
        word = token.strip(",.:;!?\"()")
        bare = _POSSESSIVE.sub("", word)
        if bare and bare[0].isupper() and len(current) < 4:
            current.append(bare)
            if word != token.rstrip(",") or token.endswith(",") or bare != word:
                names.append(" ".join(current))  # "Ana," / "Ana's": the name ends here
                current = []
            continue
        if current:
            names.append(" ".join(current))
            current = []
        if word.lower() in ("and", "&", "og", "und", "et", "y", "e"):
            continue
        break
    return [n for n in names if n.split()[0].casefold() not in NOT_A_NAME]


def people_in_items(items: pd.DataFrame) -> set[str]:
    """Authors, and the names in WhatsApp system lines and notices, of an items frame."""
    people: set[str] = set()
    if "author" in items:
        people.update(str(a) for a in pd.unique(items["author"].dropna().astype(str)) if a)
    if "kind" in items and "text" in items:
        system = items["text"][(items["kind"] == "system") & (items["platform"] == "whatsapp")]
        for text in pd.unique(system.dropna().astype(str)):
            people.update(names_in_system_line(text))
        notices = items["text"][items["kind"].isin(NOTICE_KINDS)]
        for text in pd.unique(notices.dropna().astype(str)):
            people.update(names_in_notice(text))
    return people


def people_of(audit: "Audit", items: pd.DataFrame | None = None) -> set[str]:
    """Every person of an audit: owners and the people the handlers listed in each account context,
    plus those of its items (or of `items`, a filtered view, together with the whole audit's)."""
    people = set(people_in_items(audit.items if items is None else items))
    if items is not None:
        people |= people_in_items(audit.items)
    for account in audit.accounts.values():
        people |= account.owner_names | account.people
        if account.owner_name:
            people.add(account.owner_name)
        profile = account.extra.get("whatsapp_profile_name")
        if profile:
            people.add(str(profile))
    return {p for p in people if p and p.strip()}
