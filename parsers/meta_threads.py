"""Messenger threads as Facebook and Instagram write them (meta-export-formats.md 5.3): the
`message_N.json` pages and the camelCase end-to-end-encrypted download, read into item batches.

Split from meta_common (which re-exports the public names): a page is decoded at once (orjson),
a larger file streamed (ijson) with its title and participants taken from its tail; the rows go
to the ItemsBuilder in batches (`message_batches`), not one Item per message.
"""
from __future__ import annotations

import re
from typing import IO, Any, Callable, Iterable, Iterator

import ijson

from .archive import Member
from .common import LATEST_PLAUSIBLE, fix_mojibake, stream_items, to_epoch_seconds, verbatim_text
from .contract import Item, ItemBatch, Later
from .handlers import ParseContext

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
    title, participants = _header_before_messages(member)
    if title is None and title_wanted:
        title, participants = _header_after_messages(member, participants)
    title = title if isinstance(title, str) else ""
    return fix_mojibake(title), participants


def _header_before_messages(member: Member) -> tuple[Any, list[str]]:
    """(title or None, participants) from the events before `messages`: a few, read in Python."""
    title: str | None = None
    participants: list[str] = []
    with member.open() as stream:
        for prefix, event, value in ijson.parse(stream):
            if event == "string" and prefix in _TITLE_PREFIXES:
                title = value
            elif event == "string" and prefix in _PARTICIPANT_PREFIXES:
                participants.append(fix_mojibake(value))
            elif prefix == "messages" and event == "start_array":
                break
    return title, participants


_TITLE_KEYS = ("title", "threadName", "thread_name")


def _header_after_messages(member: Member, participants: list[str], *, title_wanted: bool = True) -> tuple[Any, list[str]]:
    """The title (and the participants, when none came before `messages`) by full passes of
    ijson's C parser over the file: the slow way, for when the file's tail did not give them."""
    title = None
    try:
        for key in _TITLE_KEYS if title_wanted else ():
            with member.open() as stream:
                title = next(iter(ijson.items(stream, key)), None)
            if title is not None:
                break
        if not participants:  # written after the messages: the counterpart needs them
            with member.open() as stream:
                for entry in ijson.items(stream, "participants.item"):
                    name = entry.get("name") if isinstance(entry, dict) else entry
                    if isinstance(name, str):
                        participants.append(fix_mojibake(name))
    except ijson.JSONError:  # cut off before the title: the messages before the cut still count,
        pass  # and the message pass fails the member with the reason
    return title, participants


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
    for key in _TITLE_KEYS:
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
    ordinary size, else the header streamed and the messages streamed one by one; a
    message_N.html page is read by parsers.meta_html_records."""
    parts = _parts_at_once(member)
    if parts is not None:
        return parts
    title, participants = thread_header(member)
    return title, participants, _streamed_messages(member)


def _parts_at_once(member: Member) -> tuple[str, list[str], Iterable[Any]] | None:
    """(title, participants, messages) of an HTML thread page or of a JSON page decoded whole;
    None for a file to stream."""
    if member.path.lower().endswith((".html", ".htm")):
        from .meta_html_records import html_thread_parts
        return html_thread_parts(member)
    document = whole_thread(member)
    if document is not None and isinstance(document.get("messages", []), list):
        title, participants = _header_of(document)
        return title, participants, document.get("messages", [])
    return None


def _streamed_messages(member: Member) -> Iterator[Any]:
    with member.open() as stream:
        yield from stream_items(stream, "messages.item")


#: Bytes of a streamed thread file's end kept while its messages are read: the title and the
#: participants that real exports write after `messages` are read from there, not by another pass.
TAIL_KEEP = 256 * 1024


class _TailKeeper:
    """A binary stream that remembers its last TAIL_KEEP or more bytes read (two reads' worth)."""

    __slots__ = ("_read", "_chunks", "_kept")

    def __init__(self, stream: IO[bytes]) -> None:
        self._read = stream.read
        self._chunks: list[bytes] = []
        self._kept = 0

    def read(self, size: int = -1) -> bytes:
        data = self._read(size)
        if data:
            self._chunks.append(data)
            self._kept += len(data)
            while self._kept - len(self._chunks[0]) >= TAIL_KEEP:
                self._kept -= len(self._chunks.pop(0))
        return data

    def tail(self) -> bytes:
        return b"".join(self._chunks)


_TOP_LEVEL_KEY = re.compile(rb"\]\s*,\s*(?=\")")


def header_from_tail(tail: bytes) -> dict | None:
    """The top-level keys that follow the `messages` array, parsed from the file's last bytes.

    The messages array ends with `]` and `,` before the next key; the first such place from
    which the rest reads as the inside of an object is the end of `messages` (a place inside a
    message leaves a bracket unclosed). None when the kept tail does not reach back that far.
    """
    for found in _TOP_LEVEL_KEY.finditer(tail):
        try:
            rest = _decode(b"{" + tail[found.end():])
        except ValueError:
            continue
        if isinstance(rest, dict):
            return rest
    return None


def _thread_rows(member: Member, ctx: ParseContext, *, category: str, kind_prefix: str,
                 fallback: str) -> Iterator[ItemBatch]:
    """The rows of one thread file in batches, and its participants added to the export's people.

    A page is decoded at once (orjson); a larger file is streamed (ijson), with the title and the
    participants read from the events before `messages` or else from the file's tail, and only when
    neither has them by another pass. The counterpart needs them, so a streamed file's rows get it
    when the file has been read (`Later`); a file cut off mid-way keeps the rows before the cut.
    """
    parts = _parts_at_once(member)
    if parts is not None:
        title, participants, messages = parts
        ctx.account.people.update(participants)
        counterpart = _counterpart(title, participants, ctx, fallback)
        yield from message_batches(messages, counterpart, ctx, category=category,
                                   kind_prefix=kind_prefix, member_path=member.path)
        return
    title, participants = _header_before_messages(member)
    pending = Later()
    error: Exception | None = None
    tail = b""
    try:
        with member.open() as raw:
            stream = _TailKeeper(raw)
            for batch in message_batches(stream_items(stream, "messages.item"), "", ctx, category=category,
                                         kind_prefix=kind_prefix, member_path=member.path):
                batch.counterpart = pending  # the rows before an error come first, then the error
                yield batch
        tail = stream.tail()
    except Exception as failure:  # noqa: BLE001 - the rows before the cut count; the runner reports it
        error = failure
    if title is None:
        after = header_from_tail(tail) if tail else None
        if after is not None:
            title = next((after[key] for key in _TITLE_KEYS if after.get(key) is not None), None)
            if not participants and "participants" in after:
                participants = _header_of({"participants": after["participants"]})[1]
        if title is None or not participants:
            found, participants = _header_after_messages(member, participants, title_wanted=title is None)
            title = found if title is None else title
    title = fix_mojibake(title) if isinstance(title, str) else ""
    ctx.account.people.update(participants)
    pending.value = _counterpart(title, participants, ctx, fallback)
    if error is not None:
        raise error


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
    category, kind, text, uris = _message_shape(message, fix_mojibake(message.get("content") or ""), category)
    count, size = _media_of(uris, member_path, ctx)
    return Item(category, kind_prefix + kind, to_epoch_seconds(message.get("timestamp_ms")),
                actor_of(sender, ctx), counterpart, text, count, size, sender)


def _message_shape(message: dict, text: Any, category: str) -> tuple[str, str, Any, list[str]]:
    """(category, kind, text, media uris) of a message whose content (`text`) is repaired."""
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
    return category, kind, text, uris


def _media_of(uris: list[str], member_path: str, ctx: ParseContext) -> tuple[int, int]:
    """(count, bytes) of a message's media, its uris anchored at the thread file."""
    if not uris:
        return 0, 0
    return ctx.media_bytes(anchor_uris([u for u in uris if u], member_path, ctx))


def reaction_items(reactions: Any, timestamp: float | None, counterpart: str, ctx: ParseContext,
                   *, actor_key: str = "actor", kind: str = "message_reaction") -> Iterator[Item]:
    """Reactions on a message: one item each, dated by the reaction or else by the message."""
    if not isinstance(reactions, list):
        return
    for reaction in reactions:
        if not isinstance(reaction, dict):
            continue
        actor = fix_mojibake(reaction.get(actor_key) or "")
        when = to_epoch_seconds(reaction.get("timestamp")) or timestamp
        yield Item("messages", kind, when, actor_of(actor, ctx), counterpart,
                   fix_mojibake(reaction.get("reaction") or ""), author=actor)


def iter_thread_messages(member: Member, ctx: ParseContext, *, category: str = "messages",
                         kind_prefix: str = "",
                         owner_from: Callable[[ParseContext], Iterable[str]] | None = None) -> Iterator[ItemBatch]:
    """Items of one `message_N.json` (Facebook Messenger and Instagram DMs share the format), in batches.

    One item per message (kind message / message_photo / message_video / message_audio /
    message_file / message_gif / message_sticker / message_share / call / system_message /
    unsent_message, or ai_interactions/ai_sticker) and one per reaction on a message (kind
    message_reaction). The counterpart is the thread title, else the other participants, else
    the thread folder name. A page is decoded at once, a larger file streamed (`_thread_rows`).
    `owner_from(ctx)` lists thread files for `infer_owner` when the profile named nobody.
    """
    if owner_from is not None and _owner_unsettled(ctx):
        infer_owner(ctx, owner_from(ctx))
    yield from _thread_rows(member, ctx, category=category, kind_prefix=kind_prefix, fallback=_thread_folder(member))


#: Rows per ItemBatch of a thread (a page of 10,000 messages gives two or three).
BATCH_ROWS = 5_000

#: Message keys after which a message is not a plain text message: read by `message_item`.
_SPECIAL_MESSAGE_KEYS = frozenset([key for key, _kind in MESSAGE_MEDIA_KEYS] + ["sticker", "share", "call_duration"])

_NAN = float("nan")


def message_batches(messages: Iterable[Any], counterpart: str, ctx: ParseContext, *, category: str = "messages",
                    kind_prefix: str = "", member_path: str = "") -> Iterator[ItemBatch]:
    """The rows of a thread's messages (and their reactions), BATCH_ROWS at a time: what
    `message_item` and `reaction_items` give one by one, without an Item per row.

    Strings are repaired inline (an ASCII string is left as it is) and a sender's name once per
    thread; a plain text message (no media, sticker, share or call: most of them) skips the
    shape tests. A value of an unexpected type goes through `message_item` / `reaction_items`
    and the checks of `ItemBatch.add`. When reading fails, the rows before the failure are
    given, then the error is raised.
    """
    batch = ItemBatch()
    append = batch.rows.append
    senders: dict[str, tuple[str, str]] = {}  # raw name -> (repaired name, actor)
    emojis: dict[str, str] = {}  # raw reaction -> repaired: a handful of values, one str each for all rows

    def person(raw: str) -> tuple[str, str]:
        name = fix_mojibake(raw)
        known = senders[raw] = (name, actor_of(name, ctx))
        return known

    plain_kind, call_kind, system_kind, unsent_kind = (kind_prefix + k for k in
                                                       ("message", "call", "system_message", "unsent_message"))
    plain = _SPECIAL_MESSAGE_KEYS.isdisjoint
    repair = not verbatim_text.get()  # HTML text is already right: no mojibake repair
    try:
        for message in messages:
            if type(message) is not dict and not isinstance(message, dict):
                continue
            sender = message.get("sender_name") or ""
            text = message.get("content") or ""
            if type(sender) is not str or type(text) is not str:
                item = message_item(message, counterpart, ctx, category=category, kind_prefix=kind_prefix,
                                    member_path=member_path)
                batch.add(item)
                stamp = item.timestamp
            else:
                name, actor = senders.get(sender) or person(sender)
                if repair and not text.isascii():
                    try:
                        text = text.encode("latin-1").decode("utf-8")
                    except UnicodeError:
                        pass
                stamp_ms = message.get("timestamp_ms")
                if type(stamp_ms) is int and stamp_ms > 100_000_000_000:
                    stamp = float(stamp_ms) / 1000.0
                    if stamp > LATEST_PLAUSIBLE:
                        stamp = None
                else:
                    stamp = to_epoch_seconds(stamp_ms)
                message_type = message.get("type")
                if plain(message) and (message_type is None or type(message_type) is str):
                    kind = plain_kind
                    if message_type is not None:
                        lowered = message_type.lower()
                        kind = (call_kind if lowered == "call" else system_kind if lowered in SYSTEM_MESSAGE_TYPES
                                else plain_kind)
                    if message.get("is_unsent"):
                        kind = unsent_kind
                    append((category, kind, _NAN if stamp is None else stamp, actor, name, counterpart, text, 0, 0))
                else:
                    shaped, kind, text, uris = _message_shape(message, text, category)
                    count, size = _media_of(uris, member_path, ctx)
                    if type(text) is str:
                        append((shaped, kind_prefix + kind, _NAN if stamp is None else stamp, actor, name, counterpart,
                                text, count, size))
                    else:  # a share text that is not text: the checks raise
                        batch.add(Item(shaped, kind_prefix + kind, stamp, actor, counterpart, text, count, size, name))
            reactions = message.get("reactions")
            if reactions:
                if type(reactions) is not list:
                    continue  # reaction_items reads lists only
                for reaction in reactions:
                    if type(reaction) is not dict and not isinstance(reaction, dict):
                        continue
                    who = reaction.get("actor") or ""
                    emoji = reaction.get("reaction") or ""
                    if type(who) is not str or type(emoji) is not str:
                        for odd in reaction_items([reaction], stamp, counterpart, ctx):
                            batch.add(odd)
                        continue
                    name, actor = senders.get(who) or person(who)
                    emoji = emojis.get(emoji) or emojis.setdefault(emoji, fix_mojibake(emoji))
                    when = to_epoch_seconds(reaction.get("timestamp")) or stamp
                    append(("messages", "message_reaction", _NAN if when is None else when, actor, name, counterpart,
                            emoji, 0, 0))
            if len(batch.rows) >= BATCH_ROWS:
                yield batch
                batch = ItemBatch()
                append = batch.rows.append
    except Exception:
        if batch.rows:
            yield batch
        raise
    if batch.rows:
        yield batch


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
            continue
        item = e2ee_message_item(message, counterpart, ctx, member.path.rpartition("/")[0])
        yield item
        if message.get("reactions"):
            yield from reaction_items(message["reactions"], item.timestamp, counterpart, ctx)
