"""What Facebook and Instagram exports share: message threads, media objects, generic records.

Meta writes both platforms with the same building blocks (meta-export-formats.md sections 5.2,
5.3, 8): the Messenger thread file `message_N.json`, the MEDIA object `{uri, creation_timestamp,
...}`, the `label_values` record of newer exports, IG's `string_map_data` record, and wrapper
objects `{"something_v2": [records]}` that newer exports sometimes replace by a bare list or, when
there is one record, by the record itself. The helpers here read those shapes by streaming, so the
platform modules keep only their handler tables and what is truly theirs.

Public API (stable; the Instagram module imports it):

- `iter_thread_messages(member, ctx, *, category="messages", kind_prefix="")`: items of a
  `message_N.json` thread (also IG), one per message plus one per reaction on a message.
- `iter_e2ee_messages(member, ctx, ...)`: the camelCase end-to-end-encrypted Messenger download.
- `infer_owner(ctx, thread_paths)`: when no profile named the owner, the one participant common to
  every thread is the owner.
  (These three and `actor_of` live in parsers/meta_threads.py and are re-exported here.)
- `keyed_records(member, keys, split_maps=, record_keys=)`: (wrapper key, record) of every record
  of a file, whatever its top-level shape, streamed; `iter_records(member, keys)`: the records alone.
- `record_timestamp(record)`, `record_text(record, fields)`, `flatten_labels(record)`: read a record.
- `media_uris(value)`: every media `uri` inside a record (attachments, photos, label_values media).
- `records_handler(category, kind, keys=..., ...)`: a handler factory for "one item per record".
- `generic_sections([(folder, category)])`, `mark_generic(rules)`: the generic reader of files a
  table does not know by name inside the sections it knows (reason GENERIC_REASON).
"""
from __future__ import annotations

import re
from types import GeneratorType
from typing import IO, Any, Callable, Container, Iterable, Iterator

import ijson
from ijson.common import ObjectBuilder

from .archive import Member
from .common import fix_mojibake, stream_items, stream_kvitems, to_epoch_seconds, top_level_shape
from .contract import Item, Problem
from .handlers import Handler, ParseContext, Rule
from .meta_threads import (MESSAGE_MEDIA_KEYS, SYSTEM_MESSAGE_TYPES, actor_of, infer_owner,  # noqa: F401 - re-exported
                           iter_e2ee_messages, iter_thread_messages, message_item, reaction_items, thread_header)

# ------------------------------------------------------------------------------------------------
# Generic records (meta-export-formats.md 8): any top-level shape, streamed where it matters
# ------------------------------------------------------------------------------------------------

#: Keys that mark an object as one record itself rather than a wrapper around a record list
#: (Facebook's; Instagram passes its own set to `keyed_records`).
RECORD_KEYS = frozenset({"label_values", "fbid", "ent_name", "media", "timestamp", "title",
                         "string_map_data", "string_list_data", "media_map_data", "name", "uri"})

#: Record keys whose presence makes the gathered record keys of an object one record of its own.
_RECORD_MARKS = frozenset({"label_values", "string_map_data", "timestamp", "title", "name", "string_list_data",
                           "uri"})

#: Members up to this size have each top-level value built by ijson's C backend at once (fast);
#: larger ones are walked event by event so a big wrapped list is held one record at a time.
WHOLE_VALUE_LIMIT = 8 * 1024 * 1024

_VERSIONED = re.compile(r"_v\d+$")


def keyed_records(member: Member, keys: Iterable[str] = (), *, maps: str = "lists", skip_blank: bool = True,
                  record_keys: frozenset[str] = RECORD_KEYS, first_key_whole: bool = False,
                  whole_limit: int | None = None) -> Iterator[tuple[str, Any]]:
    """(wrapper key, record) for every record of a JSON member, whatever its top level; streamed.

    The key says what a record is when a file holds several lists (Instagram 2018 media.json
    `photos`/`videos`); it is "" for records not under a wrapper key. The shapes:

    - blank / 0-byte / `{}` / `[]` / a bare scalar: no records;
    - a bare list: its elements, except that an element which is itself a single wrapper
      `{"comments_v2": [...]}` (a key of `keys` or a versioned `_vN` key) gives its list's
      elements (real files that concatenate wrappers);
    - an object whose first key is one of `keys` (e.g. `comments_v2`): that list's elements,
      streamed; its other keys are metadata (preferred_currency) unless the list is empty;
    - an object whose first key is one of `record_keys`, with `first_key_whole`: one record;
    - any other object, key by key: the values of `record_keys` together form one record
      (kept when it has a label_values/timestamp/title/... key); a list gives its elements; an
      object value gives, by `maps`: "lists" (Facebook), the elements of its lists when it holds
      only lists and scalars (`event_responses_v2: {events_joined: [...], ...}`), else itself;
      "pairs", its (name, value) pairs (Instagram 2018 connections.json `{"followers": {"ann":
      "2019-..."}}`); "whole", itself. A scalar is a record, except None/""/0/False with
      `skip_blank` (Instagram keeps them: `private_account: false` is a setting).
    """
    if member.path.lower().endswith((".html", ".htm")):  # an HTML page: its record boxes
        from .meta_html_records import html_keyed_records
        yield from html_keyed_records(member)
        return
    wanted = tuple(keys)
    with member.open() as stream:
        try:
            shape, first_key = top_level_shape(stream)
        except ijson.IncompleteJSONError as error:
            if "premature EOF" in str(error):  # a 0-byte or blank file: an empty category
                return
            raise
    if shape == "list":
        with member.open() as stream:
            for record in stream_items(stream, "item"):
                wrapper = _single_wrapper(record, wanted)
                if wrapper is None:
                    yield "", record
                else:
                    yield from ((wrapper, inner) for inner in record[wrapper])
        return
    if shape != "map" or first_key is None:
        return
    if first_key in wanted:
        # the common case, streamed by ijson's C parser: {"comments_v2": [ ... ]}
        count = 0
        with member.open() as stream:
            for record in stream_items(stream, f"{first_key}.item"):
                count += 1
                yield first_key, record
        if count:
            return
    if first_key_whole and first_key in record_keys:
        with member.open() as stream:
            yield from (("", record) for record in stream_items(stream, ""))
        return
    single: dict[str, Any] = {}
    limit = WHOLE_VALUE_LIMIT if whole_limit is None else whole_limit
    with member.open() as stream:
        values = (stream_kvitems(stream, "") if member.size <= limit
                  else _walk_top_level(stream, record_keys | set(wanted)))
        for key, value in values:
            if key in record_keys and not (isinstance(value, list) and key in wanted):
                single[key] = value
            else:
                yield from _expand(key, value, maps, skip_blank)
    if single and set(single) & _RECORD_MARKS:
        yield "", single


def iter_records(member: Member, keys: Iterable[str] = ()) -> Iterator[Any]:
    """Every record of a JSON member, whatever the top level is (`keyed_records` without keys)."""
    return (record for _key, record in keyed_records(member, keys))


def _single_wrapper(record: Any, wanted: tuple[str, ...]) -> str | None:
    """The key of a list element that is itself a wrapper `{"comments_v2": [...]}`, else None."""
    if isinstance(record, dict) and len(record) == 1:
        key, value = next(iter(record.items()))
        if isinstance(value, list) and (key in wanted or _VERSIONED.search(key)):
            return key
    return None


def build_value(event: str, value: Any, events: Iterator[tuple[str, Any]]) -> Any:
    """Build the JSON value that starts with (event, value) from the rest of an event stream."""
    if event not in ("start_map", "start_array"):
        return value
    builder = ObjectBuilder()
    builder.event(event, value)
    depth = 1
    for event, value in events:
        builder.event(event, value)
        if event in ("start_map", "start_array"):
            depth += 1
        elif event in ("end_map", "end_array"):
            depth -= 1
            if depth == 0:
                break
    return builder.value


def _walk_top_level(stream: IO[bytes], whole: Container[str]) -> Iterator[tuple[str, Any]]:
    """(key, value) of a big top-level object, like `kvitems`, except that a list value (of a key
    not in `whole`) is given as a generator of its elements, built one at a time."""
    events = ((event, value) for _prefix, event, value in ijson.parse(stream, use_float=True))
    next(events)  # start_map
    for event, key in events:
        if event == "end_map":
            return
        event, value = next(events)
        if event == "start_array" and key not in whole:
            elements = _elements(events)
            yield key, elements
            for _rest in elements:  # a consumer that stopped early: skip to the next key
                pass
        else:
            yield key, build_value(event, value, events)


def _elements(events: Iterator[tuple[str, Any]]) -> Iterator[Any]:
    for event, value in events:
        if event == "end_array":
            return
        yield build_value(event, value, events)


def _expand(key: str, value: Any, maps: str, skip_blank: bool) -> Iterator[tuple[str, Any]]:
    """A top-level value -> (key, record)s: see `keyed_records`."""
    if isinstance(value, (list, GeneratorType)):
        yield from ((key, element) for element in value)
    elif isinstance(value, dict):
        if maps == "pairs":
            yield from ((key, pair) for pair in value.items())
            return
        lists = [v for v in value.values() if isinstance(v, list)]
        if maps == "lists" and lists and all(isinstance(v, (list, str, int, float, bool)) or v is None for v in value.values()) \
                and not (set(value) & {"label_values", "name", "timestamp", "title", "uri"}):
            for inner in lists:
                yield from ((key, element) for element in inner)
        else:
            yield key, value
    elif not skip_blank or value not in (None, "", 0):
        yield key, value


# ---- reading one record ------------------------------------------------------------------------

#: Timestamp fields in the order a record's date is taken from (seconds; *_ms in milliseconds).
TIMESTAMP_FIELDS = ("timestamp", "timestamp_ms", "creation_timestamp", "created_timestamp", "start_timestamp",
                    "added_timestamp", "create_timestamp", "last_modified_timestamp", "registration_timestamp",
                    "updated_timestamp", "verification_time", "time", "timestamp_value")


def record_timestamp(record: Any) -> float | None:
    """A record's date: its own timestamp fields, else the first dated label_values entry,
    else the first dated `string_list_data`/`string_map_data` entry, else the first entry."""
    if not isinstance(record, dict):
        return None
    for name in TIMESTAMP_FIELDS:
        when = to_epoch_seconds(record.get(name))
        if when is not None:
            return when
    return next((when for when in map(record_timestamp, _dated_entries(record)) if when is not None), None)


def _dated_entries(record: dict) -> Iterator[Any]:
    """The entries a record's date may come from, in the order `record_timestamp` tries them."""
    for nested in ("label_values", "string_list_data", "entries", "data", "events"):
        if isinstance(record.get(nested), list):
            yield from record[nested]
    if isinstance(record.get("string_map_data"), dict):
        yield from record["string_map_data"].values()
    for nested in ("dict", "vec"):
        if isinstance(record.get(nested), list):
            yield from record[nested]


def flatten_labels(record: Any) -> dict[str, Any]:
    """label_values / string_map_data -> {label: value}, first occurrence wins, nested dicts
    and vecs walked. Labels and values are repaired; a `timestamp_value` becomes the value."""
    out: dict[str, Any] = {}

    def walk(entries: Any) -> None:
        if not isinstance(entries, list):
            return
        for entry in entries:
            if not isinstance(entry, dict):
                continue
            label = fix_mojibake(entry.get("label") or entry.get("title") or "")
            for field in ("value", "href", "timestamp_value"):
                if field in entry and label and label not in out:
                    out[label] = fix_mojibake(entry[field])
                    break
            walk(entry.get("dict"))
            walk(entry.get("vec"))

    if isinstance(record, dict):
        walk(record.get("label_values"))
        smd = record.get("string_map_data")
        if isinstance(smd, dict):
            for label, entry in smd.items():
                if isinstance(entry, dict) and label not in out:
                    out[fix_mojibake(label)] = fix_mojibake(entry.get("value") or entry.get("href") or "")
    return out


#: Fields a record's text is taken from, in order, when a handler names none.
TEXT_FIELDS = ("text", "title", "name", "value", "content", "comment", "description", "action")


def record_text(record: Any, fields: Iterable[str] = TEXT_FIELDS) -> str:
    """A record's text: the first non-empty string field, else its first label value."""
    if isinstance(record, str):
        return fix_mojibake(record)
    if not isinstance(record, dict):
        return ""
    fields = tuple(fields)
    for name in fields:
        value = record.get(name)
        if isinstance(value, str) and value:
            return fix_mojibake(value)
    for data in record.get("data") or () if isinstance(record.get("data"), list) else ():
        # `{timestamp, title, data:[{name: ...}]}` (group joins, page follows) keep the name in data
        if isinstance(data, dict):
            for name in fields:
                if isinstance(data.get(name), str) and data[name]:
                    return fix_mojibake(data[name])
    for value in flatten_labels(record).values():
        if isinstance(value, str) and value:
            return value
    for entry in record.get("string_list_data") or ():
        if isinstance(entry, dict) and entry.get("value"):
            return fix_mojibake(entry["value"])
    return ""


def media_uris(value: Any) -> list[str]:
    """Every media `uri` inside a record (MEDIA objects, attachments, label_values media),
    excluding thumbnails, which are not separate files of the export in practice."""
    found: list[str] = []

    def walk(node: Any, key: str = "") -> None:
        if isinstance(node, dict):
            uri = node.get("uri")
            if isinstance(uri, str) and uri and key != "thumbnail" and "://" not in uri:
                found.append(fix_mojibake(uri))
            for child_key, child in node.items():
                if child_key != "uri" and isinstance(child, (dict, list)):
                    walk(child, child_key)
        elif isinstance(node, list):
            for child in node:
                walk(child, key)

    walk(value)
    return found


# ---- handler factory ---------------------------------------------------------------------------

Extract = Callable[[Any, ParseContext], "Item | Iterable[Item] | None"]


def records_handler(category: str, kind: str, keys: Iterable[str] = (), *,
                    text: Iterable[str] | None = TEXT_FIELDS, counterpart: Iterable[str] = (),
                    actor: str = "self", media: bool = False, people: bool = False,
                    extract: Extract | None = None) -> Handler:
    """A handler yielding one item per record of a file (any top-level shape, see iter_records).

    `keys` are the wrapper keys this file is known to use (streamed when first). The default
    item takes its date from `record_timestamp`, its text from the first of `text` (None: no
    text, for records that only name someone or something: that name is the counterpart), its
    counterpart from the first of `counterpart` and, when `media` is set, the count and bytes of
    the media the record references. `extract(record, ctx)` replaces the default entirely.
    With `people` the counterpart names a person (a friend, a follower): it joins the export's people.
    """
    wanted = tuple(keys)
    text_fields = tuple(text) if text is not None else None
    counterpart_fields = tuple(counterpart)

    def handler(member: Member, ctx: ParseContext) -> Iterator[Item | Problem]:
        for record in iter_records(member, wanted):
            if extract is not None:
                result = extract(record, ctx)
                if result is None:
                    continue
                if isinstance(result, Item):
                    yield result
                else:
                    yield from result
                continue
            count = size = 0
            if media:
                count, size = ctx.media_bytes(media_uris(record))
            other = record_text(record, counterpart_fields) if counterpart_fields else ""
            if people and other:
                ctx.account.people.add(other)
            words = record_text(record, text_fields) if text_fields is not None else ""
            yield Item(category, kind, record_timestamp(record), actor, other, words, count, size)

    handler.__name__ = getattr(extract, "__name__", None) or f"records_{category}_{kind}"
    of = f" of {', '.join(wanted)}" if wanted else ""
    handler.__doc__ = (f"items per record{of}: {extract.__doc__.strip()}" if extract is not None and extract.__doc__
                       else f"one {kind} item ({category}) per record{of}")
    return handler


#: The files-frame reason of a file read by the generic record reader (status stays "parsed").
GENERIC_REASON = "read generically"


def generic_records(category: str, kind: str = "record") -> Handler:
    """The generic record reader for a file the table does not know by name, inside a section it
    knows: one item per record (label_values, string_map_data, string_list_data, a plain list of
    objects with timestamps, any wrapping), dated, with its first text and its media, in the
    section's category. Works on records (dicts), whatever produced them."""
    def extract(record: Any, ctx: ParseContext) -> Item:
        count, size = ctx.media_bytes(media_uris(record))
        text = record_text(record) or next((v for v in string_values(record) if v and "://" not in v), "")
        return Item(category, kind, record_timestamp(record), "unknown", "", text, count, size)

    handler = records_handler(category, kind, extract=extract)
    handler.__name__ = f"generic_{category}"
    handler.__doc__ = f"read generically: one {kind} item ({category}) per record"
    return handler


def generic_sections(sections: Iterable[tuple[str, str]]) -> list[Rule]:
    """Rules reading every JSON file at any depth inside each (section folder pattern, category)
    generically: put after a table's own rules, so only files no rule names reach them."""
    return [Rule(folder + r"/(?:[^/]+/)*[^/]+\.json", generic_records(category), category, reason=GENERIC_REASON)
            for folder, category in sections]


def mark_generic(rules: Iterable[Rule]) -> list[Rule]:
    """Give the catch-all rule of each folder (its pattern takes any file name there, like
    `posts/<any name>.json`, and a record reader reads it) the reason "read generically": such a file
    is not known by name. Folder rules with a reader of their own (threads, off-Meta events) keep
    no reason."""
    def generic(rule: Rule) -> bool:
        name = getattr(rule.handler, "__name__", "")
        return (rule.handler is not None and not rule.reason and rule.pattern.endswith(r"[^/]+\.json")
                and (name.startswith(("records_", "generic_")) or name == "settings_records"))

    return [Rule(r.pattern, r.handler, r.category, reason=GENERIC_REASON, first=r.first) if generic(r) else r
            for r in rules]


def label_groups(record: Any) -> list[dict[str, Any]]:
    """The repeated sub-records of a label_values record: every `dict` group inside a `vec`,
    each flattened to {label: value} (e.g. the events of 2026 off-Meta activity, the
    messages of an AI conversation). Empty when the record has none."""
    groups: list[dict[str, Any]] = []

    def walk(entries: Any) -> None:
        if not isinstance(entries, list):
            return
        for entry in entries:
            if not isinstance(entry, dict):
                continue
            for element in entry.get("vec") or ():
                if isinstance(element, dict) and isinstance(element.get("dict"), list):
                    groups.append(flatten_labels({"label_values": element["dict"]}))
                    walk(element["dict"])
            walk(entry.get("dict") if "vec" not in entry else None)

    if isinstance(record, dict):
        walk(record.get("label_values"))
    return groups


def first_timestamp_value(group: dict[str, Any]) -> float | None:
    """The first value of a flattened label group that reads as an epoch timestamp."""
    for value in group.values():
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            when = to_epoch_seconds(value)
            if when is not None and when > 1e8:
                return when
    return None


# ---- privacy jurisdiction ----------------------------------------------------------------------

#: EU/EEA member states (names and ISO codes) -> "eu"; the objection form covers the EEA.
_EEA = {
    "austria", "belgium", "bulgaria", "croatia", "cyprus", "czechia", "czech republic", "denmark",
    "estonia", "finland", "france", "germany", "greece", "hungary", "ireland", "italy", "latvia",
    "lithuania", "luxembourg", "malta", "netherlands", "the netherlands", "poland", "portugal",
    "romania", "slovakia", "slovenia", "spain", "sweden", "iceland", "liechtenstein", "norway",
    "european union", "eu", "eea", "european economic area",
    "at", "be", "bg", "hr", "cy", "cz", "dk", "ee", "fi", "fr", "de", "gr", "hu", "ie", "it", "lv",
    "lt", "lu", "mt", "nl", "pl", "pt", "ro", "sk", "si", "es", "se", "is", "li", "no",
}
_UK = {"united kingdom", "uk", "gb", "great britain", "england", "scotland", "wales", "northern ireland"}
_BR = {"brazil", "brasil", "br"}
_US = {"united states", "united states of america", "usa", "us"}


def jurisdiction_of(value: str) -> str | None:
    """A jurisdiction text from the export ("European Union", "United Kingdom", "US", ...) ->
    eu / uk / br / us / other; None for an empty value."""
    text = " ".join(str(value or "").replace("_", " ").split()).strip().lower()
    if not text:
        return None
    for keys, code in ((_UK, "uk"), (_BR, "br"), (_US, "us"), (_EEA, "eu")):
        if text in keys:
            return code
    words = set(text.replace(",", " ").replace("(", " ").replace(")", " ").split())
    for keys, code in ((_UK, "uk"), (_BR, "br"), (_US, "us"), (_EEA, "eu")):
        if any(k in text for k in keys if " " in k) or (words & {k for k in keys if len(k) > 3}):
            return code
    return "other"


def string_values(value: Any) -> Iterator[str]:
    """Every string in a JSON value (repaired), depth-first."""
    if isinstance(value, str):
        yield fix_mojibake(value)
    elif isinstance(value, dict):
        for child in value.values():
            yield from string_values(child)
    elif isinstance(value, list):
        for child in value:
            yield from string_values(child)
