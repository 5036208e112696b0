"""WhatsApp "Request account info" reports: every generation through one key-driven reader.

The report holds account information and settings, never messages. Its JSON keys are not
documented (shared/reference/whatsapp-formats.md section 2): the 2018 `portability.json`, the ~2022
`whatsapp_connections/{contacts,groups}.json` (`wa_contacts`, `wa_groups`) and the current
`.json` twins of `index.html` (`wa_user_info`, `wa_registration_info`, `wa_contacts`, ...).
So sections are recognised by what their key says (contact, group, device, setting, ...), and a key
nobody recognises becomes a problem row rather than silently disappearing.
"""
from __future__ import annotations

from typing import Any, Iterator

import pandas as pd

from .archive import Member
from .common import stream_items, stream_kvitems, to_epoch_seconds, top_level_shape
from .contract import AccountContext, Item, Problem
from .handlers import ParseContext

#: section -> (category, kind)
SECTIONS = {
    "contacts": ("connections", "contact"),
    "groups": ("groups_pages_events", "group"),
    "devices": ("security_login", "device"),
    "registration": ("profile", "registration"),
    "settings": ("settings", "setting"),
    "terms": ("settings", "terms_of_service"),
    "avatar": ("profile", "avatar"),
    "profile": ("profile", "profile_field"),
}

#: Substrings of a key (or of the file name) -> section; the first that appears wins.
_SECTION_WORDS = (
    ("contact", "contacts"), ("group", "groups"), ("device", "devices"), ("registration", "registration"),
    ("terms", "terms"), ("setting", "settings"), ("privacy", "settings"), ("avatar", "avatar"),
    ("user", "profile"), ("profile", "profile"), ("account", "profile"), ("personal", "profile"),
)

_NAME_KEYS = ("name", "display_name", "contact_name", "full_name", "push_name", "subject", "group_name", "title")
_PHONE_KEYS = ("phone_number", "phone", "number", "wa_id", "jid", "id")
_TIME_WORDS = ("time", "date", "created", "creation", "last_seen", "last_active", "registered", "joined")


def section_of(key: str) -> str | None:
    low = key.lower()
    for word, section in _SECTION_WORDS:
        if word in low:
            return section
    return None


def report_json(member: Member, ctx: ParseContext) -> Iterator[Item | Problem]:
    """Any JSON member of the report: top-level keys name their sections."""
    with member.open() as stream:
        shape, _key = top_level_shape(stream)
    fallback = section_of(member.name.rsplit(".", 1)[0])
    if shape == "list":  # a bare list: the file name says what it is
        with member.open() as stream:
            values = list(stream_items(stream, "item"))
        if fallback is None:
            yield Problem(member.path, "unknown_section", f"{member.path} is a list of unknown records.")
            return
        yield from _section(fallback, values, member.path, ctx.account)
        return
    if shape != "map":
        yield Problem(member.path, "unexpected_shape", f"{member.path} holds no JSON object ({shape}).")
        return
    with member.open() as stream:
        for key, value in stream_kvitems(stream, ""):
            yield from _key_value(key, value, member.path, ctx.account, fallback, depth=0)


def _key_value(key: str, value: Any, path: str, account: AccountContext, fallback: str | None,
               depth: int) -> Iterator[Item | Problem]:
    section = section_of(key)
    if section is None and isinstance(value, dict) and depth == 0:
        for inner_key, inner in value.items():  # a wrapper such as {"wa_report": {...}}
            yield from _key_value(inner_key, inner, path, account, fallback, depth + 1)
        return
    if section is None:
        section = fallback if depth == 0 and fallback in ("profile", "settings", "registration") else None
    if section is None:
        yield Problem(path, "unknown_section", f"{path}: the section '{key}' is not one this app knows; "
                                               "it was not itemised.")
        return
    yield from _section(section, value, path, account, key)


def _section(section: str, value: Any, path: str, account: AccountContext,
             key: str = "") -> Iterator[Item | Problem]:
    category, kind = SECTIONS[section]
    if section in ("contacts", "groups", "devices"):
        records = value if isinstance(value, list) else list(value.values()) if isinstance(value, dict) else [value]
        if isinstance(value, dict) and not all(isinstance(v, (dict, list)) for v in value.values()):
            records = [value]  # one record, not a map of records
        for record in records:
            yield _record_item(section, category, kind, record)
        odd = sum(not isinstance(record, dict) for record in records)
        if odd:  # kept as text, but a contact, group or device is an object: the file is damaged
            yield Problem(path, "not_records", f"{odd:,} of the {section} of {path} "
                                               f"{'is' if odd == 1 else 'are'} not a JSON object")
        return
    if not isinstance(value, dict):  # a section of fields that is a list or a single value: damaged
        yield Problem(path, "unexpected_shape", f"{path}: the section '{key or section}' holds a "
                                                f"{type(value).__name__} where an object of fields belongs")
    fields = dict(_flatten(value, key if not isinstance(value, dict) else ""))
    if section == "registration":
        platform = next((v for k, v in fields.items() if "platform" in k.lower() or "os" == k.lower()), None)
        if platform:
            account.extra["whatsapp_platform"] = str(platform)
        when = next((_when(v) for k, v in fields.items() if _is_time_key(k) and _when(v) is not None), None)
        if when is not None:
            account.account_created = when
        yield Item(category, kind, when, "self", "", _describe(fields))
        return
    if section == "profile":
        name = next((str(v) for k, v in fields.items() if k.lower().rsplit(".", 1)[-1] in _NAME_KEYS and v), None)
        if name:
            account.extra["whatsapp_profile_name"] = name
    for field_name, field_value in fields.items():
        when = _when(field_value) if _is_time_key(field_name) else None
        yield Item(category, kind, when, "self", "", f"{field_name}: {field_value}")


def _record_item(section: str, category: str, kind: str, record: Any) -> Item:
    """One contact, group or device. The person or group goes in counterpart (pseudonymisable)."""
    if not isinstance(record, dict):
        return Item(category, kind, None, "self", str(record) if section != "devices" else "",
                    str(record) if section == "devices" else "")
    fields = dict(_flatten(record))
    name = _first(fields, _NAME_KEYS) or ("" if section == "devices" else _first(fields, _PHONE_KEYS))
    when = next((_when(v) for k, v in fields.items() if _is_time_key(k) and _when(v) is not None), None)
    if section == "devices":
        return Item(category, kind, when, "self", "", _describe(fields))
    return Item(category, kind, when, "self", name or "", "")


def _first(fields: dict[str, Any], keys: tuple[str, ...]) -> str | None:
    for key in keys:
        for field_name, value in fields.items():
            if field_name.lower().rsplit(".", 1)[-1] == key and value not in (None, ""):
                return str(value)
    return None


def _flatten(value: Any, prefix: str = "") -> Iterator[tuple[str, Any]]:
    """Nested settings -> dotted keys; lists of scalars are joined."""
    if isinstance(value, dict):
        for key, inner in value.items():
            yield from _flatten(inner, f"{prefix}.{key}" if prefix else str(key))
    elif isinstance(value, list) and not any(isinstance(v, (dict, list)) for v in value):
        yield prefix, ", ".join(str(v) for v in value)
    elif isinstance(value, list):
        for index, inner in enumerate(value):
            yield from _flatten(inner, f"{prefix}[{index}]")
    else:
        yield prefix, value


def _describe(fields: dict[str, Any]) -> str:
    return "; ".join(f"{k}: {v}" for k, v in fields.items() if v not in (None, ""))


def _is_time_key(key: str) -> bool:
    low = key.lower()
    return any(word in low for word in _TIME_WORDS)


def _when(value: Any) -> float | None:
    """A report date: epoch seconds/milliseconds or a date string; None when it is neither."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return to_epoch_seconds(value)
    if isinstance(value, str) and value[:1].isdigit() and len(value) >= 8:
        try:
            stamp = pd.Timestamp(value)
        except (ValueError, TypeError, OverflowError):
            return None
        if stamp is pd.NaT:
            return None
        if stamp.tzinfo is None:
            stamp = stamp.tz_localize("UTC")
        return stamp.timestamp()
    return None
