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
from .common import IJSON_BUFFER, fix_mojibake, stream_items, stream_kvitems, to_epoch_seconds, top_level_shape
from .contract import Item, Problem
from .handlers import Handler, ParseContext, Rule, note, not_objects_problem

# ------------------------------------------------------------------------------------------------
# Message threads (meta-export-formats.md 5.3)
# ------------------------------------------------------------------------------------------------

#: message key holding a list of media objects -> kind suffix of the item.
MESSAGE_MEDIA_KEYS = (
    ("photos", "photo"),
    ("videos", "video"),
    ("gifs", "gif"),
    ("audio_files", "audio"),
    ("files", "file"),
)

#: Old exports give each message a `type`; these are group membership notices, not someone's words.
SYSTEM_MESSAGE_TYPES = frozenset({"subscribe", "unsubscribe"})

#: Keys of the thread header (title and participants), snake_case and the E2EE camelCase.
_TITLE_PREFIXES = frozenset({"title", "threadName", "thread_name"})
_PARTICIPANT_PREFIXES = frozenset({"participants.item.name", "participants.item"})


#: Thread files up to this size are decoded in one call: one pass instead of two or three, and a C
#: decoder instead of ijson's events (Messenger writes a thread as pages of ~10,000 messages, ~3 MB).
#: Larger files are streamed, so memory stays flat on any file.
WHOLE_THREAD_LIMIT = 64 * 1024 * 1024

try:  # orjson decodes a page about twice as fast as ijson.items streams it; json is the fallback
    from orjson import loads as _decode
except ImportError:  # pragma: no cover - orjson is a dependency; a stripped install still works
    from json import loads as _decode


def thread_header(member: Member, *, title_wanted: bool = True) -> tuple[str, list[str]]:
    """(title, participants) of a thread file, streamed.

    Participants normally come before `messages` and the title after them, so the events before
    `messages` are read in Python (few), and a missing title is then found by ijson's C parser
    skipping the message array in one fast pass (not done when `title_wanted` is False).
    """
    title: str | None = None
    participants: list[str] = []
    with member.open() as stream:
        for prefix, event, value in ijson.parse(stream, buf_size=IJSON_BUFFER):
            if event == "string" and prefix in _TITLE_PREFIXES:
                title = value
            elif event == "string" and prefix in _PARTICIPANT_PREFIXES:
                participants.append(fix_mojibake(value))
            elif prefix == "messages" and event == "start_array":
                break
    if title is None and title_wanted:
        try:
            for key in ("title", "threadName", "thread_name"):
                with member.open() as stream:
                    title = next(iter(ijson.items(stream, key, buf_size=IJSON_BUFFER)), None)
                if title is not None:
                    break
            if not participants:  # written after the messages: the counterpart needs them
                with member.open() as stream:
                    for entry in ijson.items(stream, "participants.item", buf_size=IJSON_BUFFER):
                        name = entry.get("name") if isinstance(entry, dict) else entry
                        if isinstance(name, str):
                            participants.append(fix_mojibake(name))
        except ijson.JSONError:  # cut off before the title: the messages before the cut still count,
            pass  # and the message pass fails the member with the reason
    title = title if isinstance(title, str) else ""
    return fix_mojibake(title), participants


def whole_thread(member: Member) -> dict | None:
    """A thread file up to WHOLE_THREAD_LIMIT decoded at once, or None: too large, not valid JSON
    (truncated, NaN, huge numbers ...) or not an object. None sends the caller to the streaming
    reader, which reads what it can and fails the member with the reason."""
    if member.size > WHOLE_THREAD_LIMIT:
        return None
    with member.open() as stream:
        data = stream.read()
    try:
        document = _decode(data)
    except ValueError:  # orjson.JSONDecodeError and json.JSONDecodeError are ValueErrors
        return None
    return document if isinstance(document, dict) else None


def _header_of(document: dict) -> tuple[str, list[str]]:
    """What `thread_header` reads, from a decoded thread (same rules: string values only)."""
    title = ""
    for key in ("title", "threadName", "thread_name"):
        value = document.get(key)
        if value is not None:
            title = value if isinstance(value, str) else ""
            break
    participants: list[str] = []
    listed = document.get("participants")
    for entry in listed if isinstance(listed, list) else ():
        name = entry.get("name") if isinstance(entry, dict) else entry
        if isinstance(name, str):
            participants.append(fix_mojibake(name))
    return fix_mojibake(title), participants


def thread_parts(member: Member) -> tuple[str, list[str], Iterable[Any]]:
    """(title, participants, messages) of a thread file: decoded at once when it is a page of
    ordinary size, else the header streamed and the messages streamed one by one."""
    document = whole_thread(member)
    if document is not None and isinstance(document.get("messages", []), list):
        title, participants = _header_of(document)
        return title, participants, document.get("messages", [])
    title, participants = thread_header(member)
    return title, participants, _streamed_messages(member)


def _streamed_messages(member: Member) -> Iterator[Any]:
    with member.open() as stream:
        yield from stream_items(stream, "messages.item")


def infer_owner(ctx: ParseContext, thread_paths: Iterable[str], *, limit: int = 200) -> None:
    """Name the owner from the threads when no profile file did: the one name in every thread.

    Runs once per account (remembered in `ctx.account.extra`). Needs two or more threads: with
    one thread both people are in every thread and nobody can be told apart, so actor stays
    `other`/`unknown` rather than a guess.
    """
    if ctx.account.owner_names or ctx.account.extra.get("owner_inferred_from_threads") is not None:
        return
    common: set[str] | None = None
    threads = 0
    for path in list(thread_paths)[:limit]:
        member = ctx.source.get(path)
        if member is None:
            continue
        try:
            _title, names = thread_header(member, title_wanted=False)
        except Exception:  # noqa: BLE001 - a broken thread is reported by its own handler
            continue
        if not names:
            continue
        threads += 1
        common = set(names) if common is None else common & set(names)
    owner = next(iter(common)) if threads >= 2 and common is not None and len(common) == 1 else ""
    ctx.account.extra["owner_inferred_from_threads"] = owner
    if owner:
        ctx.account.owner_names.add(owner)


def _owner_unsettled(ctx: ParseContext) -> bool:
    return not ctx.account.owner_names and ctx.account.extra.get("owner_inferred_from_threads") is None


def actor_of(name: str | None, ctx: ParseContext) -> str:
    """self / other / unknown for a sender name (already repaired); unknown while nobody is
    known to be the owner, since "other" would then be a guess."""
    if not name or not ctx.account.owner_names:
        return "unknown"
    return "self" if ctx.account.is_owner(name) else "other"


def _counterpart(title: str, participants: list[str], ctx: ParseContext, fallback: str) -> str:
    if title:
        return title
    others = [p for p in participants if not ctx.account.is_owner(p)]
    return ", ".join(others) if others else fallback


def _thread_folder(member: Member) -> str:
    parts = member.path.split("/")
    return parts[-2] if len(parts) >= 2 else member.path


def anchor_uris(uris: Iterable[str], member_path: str, ctx: ParseContext) -> Iterator[str]:
    """Media uris as members: a uri that is not a member path but is one when put under the
    section folder of the file that names it (`messages/inbox/x/photos/1.jpg` named from
    `your_facebook_activity/messages/inbox/x/message_1.json`) is given that folder; everything
    else is left to `ctx.member` (stale prefixes, other parts, file-name tails)."""
    for uri in uris:
        if uri and member_path and ctx.source.get(uri) is None:
            parts = uri.split("/")
            # the uri's own folders first, then without a stale leading root (2023-24 exports
            # name `your_activity_across_facebook/...` for files under `your_facebook_activity/`)
            for start in range(len(parts) - 1):
                at = ("/" + member_path).find("/" + parts[start] + "/")
                if at < 0:
                    continue
                candidate = member_path[:at] + "/".join(parts[start:])
                if ctx.source.get(candidate) is not None:
                    uri = candidate
                    break
        yield uri


def message_item(message: dict, counterpart: str, ctx: ParseContext, *, category: str = "messages",
                 kind_prefix: str = "", member_path: str = "") -> Item:
    """One message (snake_case thread format) -> an Item; its kind says what it carries.
    `member_path` (the thread file) anchors media uris that leave out the section folder."""
    sender = fix_mojibake(message.get("sender_name") or "")
    text = fix_mojibake(message.get("content") or "")
    uris: list[str] = []
    kind = "message"
    for key, media_kind in MESSAGE_MEDIA_KEYS:
        media = message.get(key)
        if media:
            uris.extend(fix_mojibake(m.get("uri") or "") for m in media if isinstance(m, dict))
            kind = f"message_{media_kind}" if kind == "message" else kind
    sticker = message.get("sticker")
    if isinstance(sticker, dict):
        if sticker.get("uri"):
            uris.append(fix_mojibake(sticker["uri"]))
        kind = "message_sticker"
        if sticker.get("ai_stickers"):
            # an AI sticker is made by Meta AI from a prompt: an AI interaction, not just a chat
            category, kind = "ai_interactions", "ai_sticker"
    share = message.get("share")
    if isinstance(share, dict) and kind == "message":
        kind = "message_share"
        if not text:
            text = fix_mojibake(share.get("share_text") or share.get("link") or "")
    message_type = str(message.get("type") or "").lower()
    if message_type == "call" or "call_duration" in message:
        kind = "call"
    elif message_type in SYSTEM_MESSAGE_TYPES:
        kind = "system_message"
    if message.get("is_unsent"):
        kind = "unsent_message"
    count = size = 0
    if uris:
        count, size = ctx.media_bytes(anchor_uris([u for u in uris if u], member_path, ctx))
    return Item(category, kind_prefix + kind, to_epoch_seconds(message.get("timestamp_ms")),
                actor_of(sender, ctx), counterpart, text, count, size, sender)


def reaction_items(reactions: Any, timestamp: float | None, counterpart: str, ctx: ParseContext,
                   *, actor_key: str = "actor", kind: str = "message_reaction") -> Iterator[Item]:
    """Reactions on a message: one item each, dated by the reaction or else by the message."""
    if not isinstance(reactions, list):
        ctx.not_objects(1, "reaction lists")
        return
    for reaction in reactions:
        if not isinstance(reaction, dict):
            ctx.not_objects(1, "reactions")
            continue
        actor = fix_mojibake(reaction.get(actor_key) or "")
        when = to_epoch_seconds(reaction.get("timestamp")) or timestamp
        yield Item("messages", kind, when, actor_of(actor, ctx), counterpart,
                   fix_mojibake(reaction.get("reaction") or ""), author=actor)


def iter_thread_messages(member: Member, ctx: ParseContext, *, category: str = "messages",
                         kind_prefix: str = "",
                         owner_from: Callable[[ParseContext], Iterable[str]] | None = None) -> Iterator[Item]:
    """Items of one `message_N.json` (Facebook Messenger and Instagram DMs share the format).

    One item per message (kind message / message_photo / message_video / message_audio /
    message_file / message_gif / message_sticker / message_share / call / system_message /
    unsent_message, or ai_interactions/ai_sticker) and one per reaction on a message (kind
    message_reaction). The counterpart is the thread title, else the other participants, else
    the thread folder name. A page is decoded at once, a larger file streamed (`thread_parts`).
    `owner_from(ctx)` lists thread files for `infer_owner` when the profile named nobody.
    """
    if owner_from is not None and _owner_unsettled(ctx):
        infer_owner(ctx, owner_from(ctx))
    title, participants, messages = thread_parts(member)
    ctx.account.people.update(participants)
    counterpart = _counterpart(title, participants, ctx, _thread_folder(member))
    for message in messages:
        if not isinstance(message, dict):
            ctx.not_objects(1, "messages")
            continue
        item = message_item(message, counterpart, ctx, category=category, kind_prefix=kind_prefix,
                            member_path=member.path)
        yield item
        if message.get("reactions"):
            yield from reaction_items(message["reactions"], item.timestamp, counterpart, ctx)


def e2ee_message_item(message: dict, counterpart: str, ctx: ParseContext, folder: str = "") -> Item:
    """One message of the separate end-to-end-encrypted download (camelCase, ms timestamps)."""
    sender = fix_mojibake(message.get("senderName") or "")
    text = fix_mojibake(message.get("text") or "")
    media = message.get("media") or []
    uris = [fix_mojibake(m["uri"]) for m in media if isinstance(m, dict) and m.get("uri")]
    kind = "message_media" if uris else "message"
    if str(message.get("type") or "").lower() == "link" and kind == "message":
        kind = "message_share"
    if str(message.get("type") or "").lower() == "placeholder":
        kind = "system_message"
    if message.get("isUnsent"):
        kind = "unsent_message"
    count, size = ctx.media_bytes(_e2ee_uri(uri, folder) for uri in uris)
    return Item("messages", kind, to_epoch_seconds(message.get("timestamp")), actor_of(sender, ctx),
                counterpart, text, count, size, sender)


def _e2ee_uri(uri: str, folder: str) -> str:
    """E2EE media uris are relative to the thread file (`./media/x.jpg`)."""
    if uri.startswith("./"):
        uri = uri[2:]
        return f"{folder}/{uri}" if folder else uri
    return uri


def iter_e2ee_messages(member: Member, ctx: ParseContext,
                       owner_from: Callable[[ParseContext], Iterable[str]] | None = None) -> Iterator[Item]:
    """Items of one thread file of the E2EE Messenger download (`<Name>_<N>.json`)."""
    if owner_from is not None and _owner_unsettled(ctx):
        infer_owner(ctx, owner_from(ctx))
    title, participants, messages = thread_parts(member)
    ctx.account.people.update(participants)
    counterpart = _counterpart(title, participants, ctx, member.name.rsplit(".", 1)[0])
    for message in messages:
        if not isinstance(message, dict):
            ctx.not_objects(1, "messages")
            continue
        item = e2ee_message_item(message, counterpart, ctx, member.path.rpartition("/")[0])
        yield item
        if message.get("reactions"):
            yield from reaction_items(message["reactions"], item.timestamp, counterpart, ctx)


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
    wanted = tuple(keys)
    with member.open() as stream:
        try:
            shape, first_key = top_level_shape(stream)
        except ijson.IncompleteJSONError as error:
            if "premature EOF" in str(error):  # a 0-byte or blank file: an empty category
                return
            raise
    if shape == "list":
        shapes = ListShapes()
        with member.open() as stream:
            for record in stream_items(stream, "item"):
                wrapper = _single_wrapper(record, wanted)
                if wrapper is None:
                    yield "", shapes.see(record)
                else:
                    yield from ((wrapper, inner) for inner in record[wrapper])
        _note_shapes(member, shapes)
        return
    if shape != "map" or first_key is None:
        return
    if first_key in wanted:
        # the common case, streamed by ijson's C parser: {"comments_v2": [ ... ]}
        count = 0
        shapes = ListShapes()
        with member.open() as stream:
            for record in stream_items(stream, f"{first_key}.item"):
                count += 1
                yield first_key, shapes.see(record)
        _note_shapes(member, shapes)
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
                shapes = ListShapes()
                yield from _expand(key, value, maps, skip_blank, shapes)
                _note_shapes(member, shapes)
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
    events = ((event, value) for _prefix, event, value in ijson.parse(stream, use_float=True, buf_size=IJSON_BUFFER))
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


def _note_shapes(member: Member, shapes: ListShapes) -> None:
    odd = shapes.odd()
    if odd:
        note(member, not_records(member.path, odd))


def _expand(key: str, value: Any, maps: str, skip_blank: bool,
            shapes: ListShapes | None = None) -> Iterator[tuple[str, Any]]:
    """A top-level value -> (key, record)s: see `keyed_records`."""
    if isinstance(value, (list, GeneratorType)):
        see = shapes.see if shapes is not None else (lambda record: record)
        yield from ((key, see(element)) for element in value)
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

class ListShapes:
    """The JSON types of the elements of one list of records. Records of one list share a type (objects;
    strings in a few Facebook files); an element of another type (a number or null among objects, an
    object among strings, a list) is damage, whichever reader skips it: counted for a problem row."""

    __slots__ = ("counts",)

    def __init__(self) -> None:
        self.counts: dict[type, int] = {}

    def see(self, record: Any) -> Any:
        kind = type(record)
        self.counts[kind] = self.counts.get(kind, 0) + 1
        return record

    def odd(self) -> int:
        """Elements not of the list's own type (objects win a tie)."""
        if len(self.counts) < 2:
            return 0
        usual = max(self.counts, key=lambda kind: (self.counts[kind], kind is dict))
        return sum(n for kind, n in self.counts.items() if kind is not usual)


def not_records(path: str, count: int, what: str = "records") -> Problem:
    """The problem row of records a reader skipped because they are not JSON objects (damage)."""
    return not_objects_problem(path, count, what)


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


def label_groups(record: Any, ctx: ParseContext | None = None) -> list[dict[str, Any]]:
    """The repeated sub-records of a label_values record: every `dict` group inside a `vec`,
    each flattened to {label: value} (e.g. the events of 2026 off-Meta activity, the
    messages of an AI conversation). Empty when the record has none. A vec element that is no
    `{dict: [...]}` group, among groups, is damage: told to `ctx` for the member's problem row."""
    groups: list[dict[str, Any]] = []
    odd = [0]

    def walk(entries: Any) -> None:
        if not isinstance(entries, list):
            return
        for entry in entries:
            if not isinstance(entry, dict):
                continue
            vec = entry.get("vec") or ()
            shaped = [isinstance(e, dict) and isinstance(e.get("dict"), list) for e in vec]
            for element, grouped in zip(vec, shaped):
                if grouped:
                    groups.append(flatten_labels({"label_values": element["dict"]}))
                    walk(element["dict"])
            if any(shaped):
                odd[0] += shaped.count(False)
            walk(entry.get("dict") if "vec" not in entry else None)

    if isinstance(record, dict):
        walk(record.get("label_values"))
    if ctx is not None:
        ctx.not_objects(odd[0], "groups")
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
