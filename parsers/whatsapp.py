"""WhatsApp chat exports and account reports: the handler tables, readable as format documentation.

Two kinds of download exist (shared/reference/whatsapp-formats.md):
* "Export chat": one `.txt` per chat (`WhatsApp Chat with X.txt`, `_chat.txt` on iOS, localised
  names), alone or zipped with the media it attaches. Read by parsers/whatsapp_chat.py.
* "Request account info": a zip of account data (2018 `portability.json`, ~2022
  `whatsapp_connections/`, current `index.html` with `.html`/`.json` twins), never messages.
  Read by parsers/whatsapp_account.py.
"""
from __future__ import annotations

from typing import Iterator

import numpy as np
import pandas as pd

from .archive import Member
from .contract import AccountContext, Item, Problem
from .detect import Detection
from .handlers import HandlerTable, ParseContext, handle, ignore
from .whatsapp_account import report_json
from .whatsapp_chat import SYSTEM, chat_name, parse_chat

MEDIA_REASON = "media file: its bytes are counted with the message that attaches it"
MACOS_REASON = "macOS resource-fork copy (not text), added when the zip was re-compressed on a Mac"

#: Attachments in a chat export: iOS "00000042-PHOTO-2020-06-07-15-13-20.jpg" (8-digit counter),
#: Android "IMG-20210428-WA0001.jpg", and any other media or document file sent in the chat.
ATTACHMENT = (r"(.*/)?(\d{8}-[^/]+|(IMG|VID|PTT|AUD|DOC|STK|AUDIO|VIDEO)-\d{8}-WA\d+[^/]*"
              r"|[^/]+\.(jpe?g|png|gif|webp|heic|heif|bmp|tiff?|mp4|mov|m4v|3gp|webm|avi|mkv|mp3|m4a|aac|ogg"
              r"|opus|wav|amr|pdf|vcf|zip|docx?|xlsx?|pptx?|odt|ods|csv|apk|rtf|key|pages|numbers))")


def read_chat(member: Member, ctx: ParseContext) -> Iterator[Item | Problem]:
    """One chat text; attachment sizes come from the members beside it (zip directory, not bytes)."""
    chat = chat_name(member.path, ctx.source.label)
    folder = member.path.rpartition("/")[0]

    def media_size(name: str) -> int | None:
        found = ctx.member(f"{folder}/{name}" if folder else name) or ctx.member(name)
        return found.size if found is not None else None

    with member.open() as stream:
        yield from parse_chat(stream, member.path, chat, ctx.account, media_size)


CHAT_TABLE = HandlerTable("whatsapp", [
    ignore(r"(.*/)?__MACOSX/.*|(.*/)?\._[^/]*", MACOS_REASON),
    ignore(ATTACHMENT, MEDIA_REASON, "messages"),
    handle(r".*\.txt", read_chat, "messages"),
])

_TWINS = (r"user_information|registration_info(rmation)?|account_settings|devices?(_information)?|contacts"
          r"|groups|avatars_information|terms_of_service")

ACCOUNT_TABLE = HandlerTable("whatsapp", [
    ignore(r"(.*/)?__MACOSX/.*|(.*/)?\._[^/]*", MACOS_REASON),
    ignore(r"(.*/)?index\.html", "the report's table of contents; the .json files hold its data"),
    ignore(r"(.*/)?access\.html", "human-readable twin of portability.json, which is parsed"),
    ignore(rf"(.*/)?({_TWINS})\.html", "human-readable twin of the .json file of the same name, which is parsed"),
    ignore(r"(.*/)?[^/]+\.(jpe?g|png|gif|webp)", "profile photo or avatar image", "profile"),
    handle(r"(.*/)?(user_information|registration_info(rmation)?|avatars_information)\.json", report_json,
           "profile", first=True),
    handle(r"(.*/)?portability\.json", report_json, "profile", first=True),
    handle(r"(.*/)?(whatsapp_connections/)?contacts\.json", report_json, "connections"),
    handle(r"(.*/)?(whatsapp_connections/)?groups\.json", report_json, "groups_pages_events"),
    handle(r"(.*/)?devices?(_information)?\.json", report_json, "security_login"),
    handle(r"(.*/)?(account_settings|terms_of_service)\.json", report_json, "settings"),
])


def table_for(detection: Detection) -> HandlerTable:
    return CHAT_TABLE if detection.platform == "whatsapp_chat" else ACCOUNT_TABLE


# ---- after reading: who is the owner ------------------------------------------------------------------


def infer_owner(chats: list[dict]) -> str | None:
    """The one author present in every chat of a multi-chat import (the person who exported them)."""
    per_chat: dict[str, set[str]] = {}
    for chat in chats:
        codes, kinds, names = chat["codes"], chat["kinds"], chat["authors"]
        if kinds is None:
            continue
        speaking = np.unique(codes[(codes >= 0) & (kinds != SYSTEM)])
        per_chat.setdefault(chat["chat"], set()).update(names[i] for i in speaking)
    if len(per_chat) < 2:
        return None
    common = set.intersection(*per_chat.values())
    return common.pop() if len(common) == 1 else None


def finish(frame: pd.DataFrame, account: AccountContext) -> pd.DataFrame:
    """Set actor self/other on chat rows once all chats are read; infer the owner when not given
    (the account report's profile name when it writes in the chats, else the author common to all).

    Per-chat author codes wait in `account.extra["whatsapp_chats"]` (one entry per chat file, in
    reading order); rows of a file are matched to them by position.
    """
    chats = account.extra.get("whatsapp_chats") or []
    if not chats:
        return frame
    if not account.owner_names:
        profile = account.extra.get("whatsapp_profile_name")
        if profile and any(profile in chat["authors"] for chat in chats):
            owner, why = profile, "the name in your account report, which also writes in your chats"
        else:
            owner = infer_owner(chats)
            why = f"the one author present in every one of the {len({c['chat'] for c in chats})} chats"
        if owner is None:
            return frame
        account.owner_names.add(owner)
        account.notices.append(f"WhatsApp: '{owner}' is taken to be you: {why}.")
    rows = np.flatnonzero(((frame["platform"] == "whatsapp") & (frame["category"] == "messages")).to_numpy())
    files = frame["source_file"].iloc[rows].astype(object).reset_index(drop=True)
    positions = {path: rows[where] for path, where in files.groupby(files).indices.items()}
    actor = frame["actor"].to_numpy(dtype=object).copy()
    by_file: dict[str, list[dict]] = {}
    for chat in chats:
        by_file.setdefault(chat["file"], []).append(chat)
    for path, entries in by_file.items():
        where = positions.get(path, np.array([], dtype=np.int64))
        codes = np.concatenate([e["codes"] for e in entries])
        kinds = np.concatenate([e["kinds"] for e in entries if e["kinds"] is not None]) \
            if all(e["kinds"] is not None for e in entries) else None
        if kinds is None or len(where) != len(codes):
            continue  # a partial (cancelled) read: leave the rows as they are
        is_self = np.zeros(len(codes), dtype=bool)
        for entry, start in zip(entries, np.cumsum([0] + [len(e["codes"]) for e in entries[:-1]])):
            mine = np.array([name in account.owner_names for name in entry["authors"]] + [False])
            is_self[start:start + len(entry["codes"])] = mine[entry["codes"]]  # code -1 -> the False
        actor[where] = np.where(kinds == SYSTEM, "system", np.where(is_self, "self", "other"))
    frame["actor"] = pd.Categorical(actor, dtype=frame["actor"].dtype)
    return frame
