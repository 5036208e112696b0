"""Facebook "Download Your Information" export (JSON): the handler table.

The table below is the documentation of the format: one rule per path pattern, grouped by
category, first match wins (meta-export-formats.md sections 4, 5, 8). One table serves every
JSON layout generation because the paths only moved between section folders:

    2018-2020  flat category folders at the root, unversioned keys   posts/, messages/, friends/
    2021       flat folders, `*_v2` keys                              comments_and_reactions/
    2022-2023  sections: your_activity_across_facebook/, personal_information/, connections/,
               logged_information/, ads_information/, preferences/, ...
    2024-      your_activity_across_facebook/ renamed your_facebook_activity/; more files of
               generic label_values records, some flipping between wrapper object, bare list and
               a single record (meta_common.iter_records reads all three)

so a rule's pattern makes the section folder optional (`A`, `L`, `P`, `C` below). Real exports
spell apostrophes both ways (`who_you've_followed` / `who_you_ve_followed`): `Q` matches either.
"""
from __future__ import annotations

import re
from typing import Any, Iterable, Iterator

import pandas as pd

from . import facebook_html
from .archive import Member
from .common import fix_mojibake, stream_kvitems, to_epoch_seconds
from .contract import AccountContext, Item, Problem
from .detect import Detection
from .handlers import MEDIA_EXTENSIONS, HandlerTable, ParseContext, handle, ignore
from .meta_common import (first_timestamp_value, flatten_labels, generic_sections, iter_e2ee_messages,
                          iter_records, iter_thread_messages, jurisdiction_of, label_groups, mark_generic,
                          media_uris, record_text, record_timestamp, records_handler, string_values)
from .meta_html_records import meta_table
from .people import fill_owner_author

PLATFORM = "facebook"

# ---- path fragments ----------------------------------------------------------------------------
#: the activity section: your_facebook_activity/ (2024+), your_activity_across_facebook/ (2022-23),
#: none (<=2021); real donated structures also nest it under personal_information/profile_information/.
A = r"(?:(?:personal_information/profile_information/)?(?:your_facebook_activity|your_activity_across_facebook)/)?"
#: logged_information/ (2022+) or the root (<=2021)
L = r"(?:logged_information/)?"
#: personal_information/ (2022+) or the root
P = r"(?:personal_information/)?"
#: the folder of friends and followers: connections/friends|followers/ (2022+),
#: friends_and_followers/ (2021), friends/ or following_and_followers/ (<=2020)
C = r"(?:connections/(?:friends|followers|followers_and_following|contacts)|friends_and_followers|friends|followers|" \
    r"following_and_followers)/"
#: an apostrophe as Meta spells it in file names: ' or _
Q = r"(?:'|_)"
#: the preferences section, sometimes nested as in the donated structures
PREF = r"(?:personal_information/profile_information/)?preferences/"
#: security section, also nested under personal_information/profile_information in donations
SEC = r"(?:personal_information/profile_information/)?security_and_login_information/"
#: any message thread folder
THREAD_BOXES = r"(?:inbox|archived_threads|filtered_threads|message_requests|e2ee_cutover|legacy_threads)"
MEDIA_REASON = "media file: its bytes are counted with the item that uses it"
_MEDIA_EXT = "|".join(sorted(MEDIA_EXTENSIONS))


# ================================================================================================
# Handlers that need more than "one item per record"
# ================================================================================================

# ---- account context (first rules) -------------------------------------------------------------

def profile(member: Member, ctx: ParseContext) -> Iterator[Item | Problem]:
    """profile_information.json `{profile_v2: {...}}` (2021+) or `{profile: {...}}` (older):
    the owner's name (so messages can say "self"), birth date, account creation."""
    yield from _source_checks(member, ctx)
    for record in iter_records(member, ("profile_v2", "profile")):
        if not isinstance(record, dict):
            continue
        name = record.get("name")
        full = fix_mojibake(name.get("full_name") if isinstance(name, dict) else name or "")
        if full:
            ctx.account.owner_names.add(full)
            ctx.account.owner_name = ctx.account.owner_name or full
        for other in record.get("previous_names") or ():
            if isinstance(other, dict) and other.get("name"):
                ctx.account.owner_names.add(fix_mojibake(other["name"]))
        birthday = record.get("birthday")
        if isinstance(birthday, dict) and birthday.get("year"):
            ctx.account.birth_date = "{:04d}-{:02d}-{:02d}".format(
                int(birthday.get("year") or 0), int(birthday.get("month") or 1), int(birthday.get("day") or 1))
        created = to_epoch_seconds(record.get("registration_timestamp"))
        if created is not None:
            ctx.account.account_created = created
        yield Item("profile", "profile", created, "self", "", full)


def autofill(member: Member, ctx: ParseContext) -> Iterator[Item | Problem]:
    """messages/autofill_information.json `{autofill_information_v2: {FULL_NAME: [...], ...}}`:
    what Messenger would fill in forms; FULL_NAME is the owner's name too."""
    yield from _source_checks(member, ctx)
    with member.open() as stream:
        for _key, value in stream_kvitems(stream, ""):
            fields = value if isinstance(value, dict) else {}
            for field, values in fields.items():
                for entry in values if isinstance(values, list) else [values]:
                    text = fix_mojibake(str(entry))
                    if field.upper() == "FULL_NAME" and text:
                        ctx.account.owner_names.add(text)
                    yield Item("profile", "autofill_entry", None, "self", field, text)


def privacy_jurisdiction(member: Member, ctx: ParseContext) -> Iterator[Item | Problem]:
    """logged_information/location/your_privacy_jurisdiction.json: which privacy regime Meta
    applies to the account (decides whether there is an AI-training objection route)."""
    yield from _source_checks(member, ctx)
    for record in iter_records(member, ("privacy_jurisdiction_v2", "your_privacy_jurisdiction_v2")):
        labels = flatten_labels(record)
        named = [str(v) for k, v in labels.items() if "jurisdiction" in k.lower() and v]
        candidates = named or [v for v in string_values(record) if v]
        codes = [c for c in (jurisdiction_of(v) for v in candidates) if c]
        if not codes:
            continue
        code = next((c for c in codes if c != "other"), codes[0])
        ctx.account.jurisdiction = code
        yield Item("location", "privacy_jurisdiction", record_timestamp(record), "system", "",
                   candidates[codes.index(code)] if code in codes else candidates[0])


# ---- posts, photos, videos ---------------------------------------------------------------------

def _post_text(record: dict) -> str:
    parts = [d.get("post") for d in record.get("data") or () if isinstance(d, dict) and d.get("post")]
    return fix_mojibake("\n".join(parts))


def _attachment_kinds(record: dict) -> set[str]:
    kinds: set[str] = set()
    for group in record.get("attachments") or ():
        for data in (group.get("data") or ()) if isinstance(group, dict) else ():
            if isinstance(data, dict):
                kinds.update(data)
    return kinds


def post_item(record: Any, ctx: ParseContext, *, kind: str = "post", category: str = "posts",
              actor: str = "self") -> Item | None:
    """A post `{timestamp, title, data:[{post}], attachments:[{data:[...]}], tags}`: text, the
    media it attached (count, bytes); a check-in when it attaches a place, a life event when it
    attaches one; backdated posts keep the date they were written (`timestamp`)."""
    if not isinstance(record, dict):
        return None
    attached = _attachment_kinds(record)
    if kind == "post":
        if "place" in attached:
            kind = "check_in"
        elif "life_event" in attached:
            kind = "life_event"
    count, size = ctx.media_bytes(media_uris(record.get("attachments")))
    text = _post_text(record) or fix_mojibake(record.get("text") or "")
    ctx.account.people.update(_tagged(record))
    return Item(category, kind, record_timestamp(record), actor, "", text, count, size)


def _tagged(record: dict) -> Iterator[str]:
    """People tagged in a post: `tags: [{name}]` or `tags: ["name"]`."""
    for tag in record.get("tags") or () if isinstance(record.get("tags"), list) else ():
        name = tag.get("name") if isinstance(tag, dict) else tag
        if isinstance(name, str) and name:
            yield fix_mojibake(name)


def media_item(record: Any, ctx: ParseContext, kind: str, category: str = "photos_videos") -> Item | None:
    """A MEDIA object `{uri, creation_timestamp, title, description, media_metadata}`."""
    if not isinstance(record, dict):
        return None
    uris = media_uris({k: v for k, v in record.items() if k != "thumbnail"})
    count, size = ctx.media_bytes(uris[:1] if record.get("uri") else uris)
    text = fix_mojibake(record.get("description") or "")
    return Item(category, kind, record_timestamp(record), "self", "", text, count, size)


def album(member: Member, ctx: ParseContext) -> Iterator[Item | Problem]:
    """posts/album/<n>.json `{name, photos:[MEDIA], cover_photo, last_modified_timestamp,
    description}`: one album item, one photo item per photo (with its bytes)."""
    fields: dict[str, Any] = {}
    with member.open() as stream:
        for key, value in stream_kvitems(stream, ""):
            if key == "photos" and isinstance(value, list):
                for photo in value:
                    item = media_item(photo, ctx, "photo")
                    if item is not None:
                        yield item
            else:
                fields[key] = value
    name = fix_mojibake(fields.get("name") or "")
    yield Item("photos_videos", "album", to_epoch_seconds(fields.get("last_modified_timestamp")), "self",
               "", name)


# ---- comments and reactions --------------------------------------------------------------------

def comment_item(record: Any, ctx: ParseContext, kind: str = "comment") -> Item | None:
    """`{timestamp, title, data:[{comment:{timestamp, comment, author, group}}], attachments}`;
    some entries carry only `{timestamp, title}` (the comment was deleted): still an item."""
    if not isinstance(record, dict):
        return None
    text, group, author = "", "", ""
    for data in record.get("data") or ():
        comment = data.get("comment") if isinstance(data, dict) else None
        if isinstance(comment, dict):
            text = fix_mojibake(comment.get("comment") or "")
            group = fix_mojibake(comment.get("group") or "")
            author = fix_mojibake(comment.get("author") or "")
            break
    if not text and "data" not in record and "label_values" in record:
        labels = flatten_labels(record)
        text = str(labels.get("Comment") or record_text(record))
    count, size = ctx.media_bytes(media_uris(record.get("attachments")))
    return Item("comments", kind, record_timestamp(record), "self", group, text, count, size, author)


def reaction_item(record: Any, ctx: ParseContext, kind: str = "reaction") -> Item | None:
    """Old `{timestamp, title, data:[{reaction:{reaction, actor}}]}` or new label_values
    (Reaction / Name / URL): the reaction type is the text, what was reacted to the counterpart."""
    if not isinstance(record, dict):
        return None
    for data in record.get("data") or ():
        reaction = data.get("reaction") if isinstance(data, dict) else None
        if isinstance(reaction, dict):
            return Item("reactions", kind, record_timestamp(record), "self", "",
                        fix_mojibake(reaction.get("reaction") or ""), author=fix_mojibake(reaction.get("actor") or ""))
    labels = flatten_labels(record)
    text = str(labels.get("Reaction") or record_text(record, ("reaction", "title")))
    whose = str(labels.get("Name") or "")  # the person (or page) whose post was reacted to
    if whose:
        ctx.account.people.add(whose)
    return Item("reactions", kind, record_timestamp(record), "self", whose, text)


# ---- messages ----------------------------------------------------------------------------------

_THREAD_FILE = re.compile(r"(?:^|/)messages/" + THREAD_BOXES + r"/[^/]+/message_1\.json$", re.IGNORECASE)
_E2EE_FILE = re.compile(r"(?:^|/)messages/[^/]+_\d+\.json$", re.IGNORECASE)
_REGULAR_THREADS = re.compile(r"(?:^|/)messages/(?:inbox|archived_threads|filtered_threads|message_requests|"
                              r"legacy_threads)/[^/]+/message_\d+\.(?:json|html?)$", re.IGNORECASE)


def _thread_files(ctx: ParseContext) -> list[str]:
    """First file of every thread (and every E2EE thread file): where infer_owner looks."""
    return [m.path for m in ctx.source.members if _THREAD_FILE.search(m.path) or _E2EE_FILE.search(m.path)]


def thread(member: Member, ctx: ParseContext) -> Iterator[Item | Problem]:
    """messages/<box>/<thread>/message_N.json (meta_common.iter_thread_messages)."""
    yield from _source_checks(member, ctx)
    yield from iter_thread_messages(member, ctx, owner_from=_thread_files)


def e2ee_thread(member: Member, ctx: ParseContext) -> Iterator[Item | Problem]:
    """The separate end-to-end-encrypted download: messages/<Name>_<N>.json, camelCase."""
    yield from _source_checks(member, ctx)
    yield from iter_e2ee_messages(member, ctx, owner_from=_thread_files)


def ai_conversation_items(record: Any, ctx: ParseContext) -> Iterable[Item]:
    """messages/ai_conversations.json: label_values records, one per conversation with Meta AI.
    The label names are not documented; each `dict` group inside a `vec` is taken as one message
    (its first text and first timestamp), else the record is one item."""
    if not isinstance(record, dict):
        return []
    title = fix_mojibake(record.get("title") or "")
    groups = label_groups(record)
    if not groups:
        return [Item("ai_interactions", "ai_message", record_timestamp(record), "unknown", title,
                     record_text(record, ("text", "content"))) ]
    items = []
    for group in groups:
        text = next((v for v in group.values() if isinstance(v, str) and v), "")
        sender = next((str(v) for k, v in group.items() if k.lower() in ("sender", "author", "from") and v), "")
        actor = "self" if ctx.account.is_owner(sender) else ("other" if sender else "unknown")
        items.append(Item("ai_interactions", "ai_message", first_timestamp_value(group) or record_timestamp(record),
                          actor, title, text, author=sender))
    return items


# ---- other shapes ------------------------------------------------------------------------------

def entries(category: str, kind: str, keys: Iterable[str]):
    """`[{name, description, entries:[{timestamp, data:{name, uri, value}}], children:[...]}]`
    (recently_viewed, visited_things_v2, people_and_friends_v2, language_and_locale_v2):
    one item per entry; the counterpart is the section's name."""
    wanted = tuple(keys)

    def walk(node: Any, ctx: ParseContext) -> Iterator[Item]:
        if not isinstance(node, dict):
            return
        section = fix_mojibake(node.get("name") or "")
        for entry in node.get("entries") or ():
            if isinstance(entry, dict):
                data = entry.get("data") if isinstance(entry.get("data"), dict) else {}
                text = record_text(data, ("name", "value", "text", "uri"))
                yield Item(category, kind, record_timestamp(entry), "self", section, text)
        for child in node.get("children") or ():
            yield from walk(child, ctx)

    def handler(member: Member, ctx: ParseContext) -> Iterator[Item | Problem]:
        for record in iter_records(member, wanted):
            yield from walk(record, ctx)

    handler.__doc__ = f"one {kind} item per entry of {', '.join(wanted)}"
    return handler


def off_platform_items(record: Any, ctx: ParseContext) -> Iterable[Item]:
    """Off-Meta activity. 2025: `{name, events:[{id, type, timestamp}]}` per business;
    2026: label_values record `{title: business, label_values:[{label: "Events", vec:[{dict:
    [{label: "Event", value}, {label: "Received on", timestamp_value}]}]}]}`. One item per event."""
    if not isinstance(record, dict):
        return []
    business = fix_mojibake(record.get("name") or record.get("title") or "")
    events = record.get("events")
    if isinstance(events, list):
        return [Item("off_platform_activity", "off_platform_event", record_timestamp(e), "self", business,
                     fix_mojibake(str(e.get("type") or ""))) for e in events if isinstance(e, dict)]
    groups = label_groups(record)
    if groups:
        return [Item("off_platform_activity", "off_platform_event", first_timestamp_value(g), "self", business,
                     next((v for v in g.values() if isinstance(v, str) and v), "")) for g in groups]
    return [Item("off_platform_activity", "off_platform_event", record_timestamp(record), "self", business,
                 record_text(record, ("type",)))]


def activity_days(member: Member, ctx: ParseContext) -> Iterator[Item | Problem]:
    """your_facebook_activity_history.json `{last_activity_v2: {last_activity_time: {<App>:
    {activity_by_day: [ts, ...]}}}}`: one item per day the account was active, per app."""
    for record in iter_records(member, ("last_activity_v2",)):
        times = record.get("last_activity_time") if isinstance(record, dict) else None
        for app, detail in (times or {}).items():
            for day in (detail or {}).get("activity_by_day") or ():
                yield Item("security_login", "active_day", to_epoch_seconds(day), "self", fix_mojibake(app))


def search_item(record: Any, ctx: ParseContext) -> Item | None:
    """`{timestamp, title: "You searched Facebook", data:[{text}], attachments:[{data:[{text:
    "\"q\""}]}]}`: the query is the data text, else the attachment text (quoted), else a label."""
    if not isinstance(record, dict):
        return None
    query = ""
    for holder in [record] + [g for g in record.get("attachments") or () if isinstance(g, dict)]:
        for data in holder.get("data") or ():
            if isinstance(data, dict) and isinstance(data.get("text"), str) and data["text"]:
                query = data["text"]
                break
        if query:
            break
    query = fix_mojibake(query).strip('"') if query else record_text(record, ("text", "title"))
    return Item("search_history", "search", record_timestamp(record), "self", "", query)


def ad_interest_items(record: Any, ctx: ParseContext) -> Item | None:
    """`topics_v2` / `inferred_topics_v2` hold plain strings; newer files are records."""
    text = record_text(record)
    return Item("ads_interests", "ad_interest", record_timestamp(record), "system", "", text) if text else None


# ---- source-wide checks: the encrypted-chat gap --------------------------------------------------

E2EE_NOTICE = (
    "This Facebook export holds no ordinary Messenger chats{detail}. Chats that use end-to-end "
    "encryption (the default for personal Messenger chats since December 2023) are not in this "
    "download: Meta offers them as a separate download from Messenger's end-to-end encrypted chat "
    "settings. Their absence here does not mean you have no messages; add that download to see them."
)


def _source_checks(member: Member, ctx: ParseContext) -> Iterator[Problem]:
    """Once per export (from whichever handler runs first): say when the messages are missing
    or only the pre-encryption history (e2ee_cutover) is present."""
    done = ctx.account.extra.setdefault("facebook_checked_sources", [])
    key = f"{ctx.source.label}:{len(ctx.source.members)}"
    if key in done:
        return
    done.append(key)
    paths = [m.path for m in ctx.source.members]
    if any(_REGULAR_THREADS.search(p) or _E2EE_FILE.search(p) for p in paths):
        return
    cutover = any("/e2ee_cutover/" in f"/{p}" for p in paths)
    detail = (" (only messages/e2ee_cutover/, the history of chats from before they switched to "
              "end-to-end encryption)") if cutover else ""
    notice = E2EE_NOTICE.format(detail=detail)
    if notice not in ctx.account.notices:
        ctx.account.notices.append(notice)
    yield Problem(ctx.source.label, "notice", notice)


def _checked(handler):
    """Run the source-wide checks before a plain handler (so any first file triggers them)."""
    def wrapped(member: Member, ctx: ParseContext) -> Iterator[Item | Problem]:
        yield from _source_checks(member, ctx)
        yield from handler(member, ctx)

    wrapped.__name__ = getattr(handler, "__name__", "handler")
    wrapped.__doc__ = handler.__doc__
    return wrapped


#: options for records that name someone or something (a friend, a page, a group, an event):
#: the name is the counterpart, there is no text of one's own
NAMED: dict[str, Any] = {"text": None, "counterpart": ("name",)}
#: the same for records that name a person (friends, followers, requests): the name is one of the export's people
PERSON: dict[str, Any] = {**NAMED, "people": True}


def R(category: str, kind: str, *keys: str, **options: Any):
    """Shorthand for the table: one `kind` item per record of the wrapper `keys`."""
    return records_handler(category, kind, keys, **options)


def X(extract, *keys: str, **fixed: Any):
    """Shorthand: one or more items per record, made by `extract(record, ctx, **fixed)`."""
    def extract_fixed(record: Any, ctx: ParseContext) -> Any:
        return extract(record, ctx, **fixed)

    extract_fixed.__name__ = extract.__name__
    extract_fixed.__doc__ = extract.__doc__ + (f" ({fixed})" if fixed else "")
    return records_handler("other", "record", keys, extract=extract_fixed)


# ================================================================================================
# The table
# ================================================================================================

RULES = [
    # ---- not JSON data: media, HTML pages, placeholders ------------------------------------------
    ignore(r"(?:.*/)?no-data\.txt", "Meta's placeholder for a category with no data"),
    ignore(r"(?:.*/)?files/[^/]+\.(?:css|js|svg|png|gif|ico|woff2?|ttf)",
           "the styling assets of the HTML pages"),
    ignore(r".*/messages/" + THREAD_BOXES + r"/[^/]+/(?:photos|videos|audio|gifs|files)/.+", MEDIA_REASON, "messages"),
    ignore(r"(?:.*/)?messages/(?:stickers_used|photos|gifs|videos|audio|files|media)/.+", MEDIA_REASON, "messages"),
    ignore(r"(?:.*/)?(?:posts|photos_and_videos|stories|reels)/media/.+|(?:.*/)?media/.+", MEDIA_REASON, "photos_videos"),
    ignore(r".+\.(?:" + _MEDIA_EXT + r")", MEDIA_REASON),

    # ---- profile: read first, it names the owner --------------------------------------------------
    handle(P + r"profile_information/profile_information\.json", profile, "profile", first=True),
    handle(A + r"messages/autofill_information\.json", autofill, "profile", first=True),
    handle(L + r"location/your_privacy_jurisdiction\.json", privacy_jurisdiction, "location", first=True),
    handle(P + r"profile_information/profile_update_history\.json",
           R("profile", "profile_update", "profile_updates_v2", "profile_updates"), "profile"),
    handle(P + r"(?:profile_information|other_personal_information|information_about_you|"
               r"facebook_accounts_center|autofill_information)/[^/]+\.json",
           R("profile", "profile_record", "avatars_v2", "ig_autofill_data"), "profile"),
    handle(r"about_you/[^/]+\.json", R("profile", "profile_record"), "profile"),

    # ---- posts --------------------------------------------------------------------------------
    # your_posts_1.json (<=2021) / your_posts__check_ins__photos_and_videos_1.json (2022+): bare lists
    handle(A + r"posts/your_posts(?:__check_ins__photos_and_videos)?_\d+\.json", X(post_item), "posts"),
    handle(A + r"posts/other_people" + Q + r"s_posts_to_your_timeline(?:_\d+)?\.json",
           X(post_item, "wall_posts_sent_to_you_v2", actor="other", kind="post_by_other"), "posts"),
    handle(A + r"posts/trash\.json", X(post_item, "trash_v2", kind="deleted_post"), "posts"),
    handle(A + r"posts/check-ins\.json", R("posts", "check_in", text=("Message",)), "posts"),
    handle(A + r"posts/places_you_have_been_tagged_in\.json", R("location", "tagged_place"), "location"),
    handle(A + r"posts/posts_on_other_pages_and_profiles\.json", R("posts", "post_on_other_profile", media=True),
           "posts"),
    handle(A + r"posts/edits_you_made_to_posts\.json", R("posts", "post_edit"), "posts"),
    handle(A + r"(?:groups/)?(?:group_posts_and_comments|your_posts_in_groups|your_posts_and_comments_in_groups)"
               r"\.json", X(post_item, "group_posts_v2", kind="group_post"), "posts"),
    handle(A + r"groups/your_pending_posts_in_groups\.json", X(post_item, "pending_posts_v2", kind="pending_group_post"),
           "posts"),
    handle(A + r"apps_and_websites/posts_from_apps_and_websites\.json", X(post_item, "app_posts", kind="app_post"),
           "posts"),
    handle(A + r"polls/(?:polls_you_voted_on|your_poll_votes)\.json", R("posts", "poll_vote", "poll_votes_v2"), "posts"),
    # ---- photos, videos, albums (they live in posts/ too, so before its catch-all) --------------
    handle(A + r"(?:posts|photos_and_videos)/album/\d+\.json", album, "photos_videos"),
    handle(A + r"(?:posts|photos_and_videos)/your_uncategorized_photos\.json",
           X(media_item, "other_photos_v2", "other_photos", kind="photo"), "photos_videos"),
    handle(A + r"(?:posts|photos_and_videos)/your_videos\.json", X(media_item, "videos_v2", "videos", kind="video"),
           "photos_videos"),
    handle(A + r"activity_you" + Q + r"re_tagged_in/[^/]+\.json", R("photos_videos", "tagged_in", actor="other"),
           "photos_videos"),

    # ---- posts, continued: the rest of posts/ (memories, sharing links, birthday media; label_values)
    handle(A + r"posts/[^/]+\.json", R("posts", "post_activity", media=True), "posts"),

    # ---- stories and reels ------------------------------------------------------------------
    handle(A + r"stories/archived_stories\.json",
           X(media_item, "archived_stories_v2", kind="story", category="stories_reels"), "stories_reels"),
    handle(A + r"stories/story_reactions\.json", R("stories_reels", "story_reaction", "stories_feedback_v2"),
           "stories_reels"),
    handle(A + r"reels/your_reels\.json", X(post_item, "lasso_videos_v2", kind="reel", category="stories_reels"),
           "stories_reels"),
    handle(A + r"(?:stories|reels)/[^/]+\.json", R("stories_reels", "story_activity"), "stories_reels"),

    # ---- comments ---------------------------------------------------------------------------
    handle(A + r"(?:comments|comments_and_reactions)/(?:comments|comments_and_reactions)\.json",
           X(comment_item, "comments_v2", "comments"), "comments"),
    handle(A + r"groups/your_comments_in_groups\.json", X(comment_item, "group_comments_v2", kind="group_comment"),
           "comments"),
    handle(A + r"comments_and_reactions/your_comment_edits\.json", R("comments", "comment_edit"), "comments"),

    # ---- reactions and likes -----------------------------------------------------------------
    handle(A + r"(?:likes_and_reactions|comments_and_reactions)/(?:posts_and_comments|likes_and_reactions"
               r"(?:_\d+)?)\.json", X(reaction_item, "reactions_v2", "reactions"), "reactions"),
    handle(A + r"comments_and_reactions/[^/]+\.json", R("reactions", "reaction_activity"), "reactions"),

    # ---- messages ----------------------------------------------------------------------------
    # threads: inbox, archived_threads, filtered_threads, message_requests, e2ee_cutover; message_1..N
    handle(r"(?:.*/)?messages/" + THREAD_BOXES + r"/[^/]+/message_\d+\.json", thread, "messages"),
    # donated structures mask the box: <section>/$USERNAME/message_N.json
    handle(r"(?:.*/)?[^/]+/message_\d+\.json", thread, "messages"),
    handle(A + r"groups/your_group_messages/[^/]+\.json", thread, "messages"),
    handle(A + r"messages/ai_conversations\.json", X(ai_conversation_items), "ai_interactions"),
    ignore(A + r"messages/secret_conversations\.json",
           "devices and call metadata of end-to-end-encrypted chats, no messages", "messages"),
    handle(A + r"messages/support_messages\.json", R("messages", "support_message", "support_messages"), "messages"),
    handle(A + r"messages/messenger_contacts_you" + Q + r"ve_blocked\.json",
           R("connections", "blocked_contact", "messenger_contacts_blocked_v2", **PERSON, actor="other"), "connections"),
    # the separate end-to-end-encrypted download: messages/<Name>_<N>.json (camelCase)
    handle(r"(?:.*/)?messages/[^/]+_\d+\.json", e2ee_thread, "messages"),
    handle(A + r"messages/[^/]+\.json", R("settings", "messenger_setting"), "settings"),

    # ---- friends, followers, following ----------------------------------------------------------
    handle(C + r"(?:your_friends|friends)\.json", R("connections", "friend", "friends_v2", "friends",
                                                           **PERSON, actor="other"), "connections"),
    handle(C + r"removed_friends\.json", R("connections", "removed_friend", "deleted_friends_v2",
                                                  "deleted_friends", **PERSON, actor="other"), "connections"),
    handle(C + r"received_friend_requests\.json", R("connections", "friend_request_received",
           "received_requests_v2", "received_requests", **PERSON, actor="other"), "connections"),
    handle(C + r"sent_friend_requests\.json", R("connections", "friend_request_sent", "sent_requests_v2",
           "sent_requests", **PERSON), "connections"),
    handle(C + r"rejected_friend_requests\.json", R("connections", "friend_request_rejected",
           "rejected_requests_v2", "rejected_requests", **PERSON, actor="other"), "connections"),
    handle(C + r"(?:who_you" + Q + r"ve_followed|who_you_follow|"
               r"following)\.json",
           R("connections", "following", "following_v3", "following_v2", "following", **PERSON,
             actor="other"), "connections"),
    handle(C + r"(?:people_who_followed_you|followers)(?:_\d+)?\.json",
           R("connections", "follower", "followers_v3", "followers_v2", "followers", **PERSON, actor="other"),
           "connections"),
    handle(C + r"(?:people_you_may_know|suggested_friends)\.json",
           R("connections", "suggested_friend", **PERSON, actor="other"), "connections"),
    handle(C + r"[^/]+\.json",
           R("connections", "connection_record"), "connections"),

    # ---- groups, pages, events --------------------------------------------------------------------
    handle(A + r"groups/your_group_membership_activity\.json", R("groups_pages_events", "group", "groups_joined_v2",
                                                                "groups_joined", **NAMED),
           "groups_pages_events"),
    handle(A + r"groups/your_groups\.json", R("groups_pages_events", "group_admin", "groups_admined_v2"),
           "groups_pages_events"),
    handle(A + r"groups/(?:your_badges|creator_badges)\.json", R("groups_pages_events", "group_badge",
                                                                "group_badges_v2"), "groups_pages_events"),
    handle(A + r"groups/[^/]+\.json", R("groups_pages_events", "group_activity"), "groups_pages_events"),
    handle(A + r"(?:pages|likes_and_reactions)/(?:pages_you" + Q + r"ve_liked|pages)\.json",
           R("groups_pages_events", "page_like", "page_likes_v2", "page_likes", **NAMED),
           "groups_pages_events"),
    handle(A + r"pages/(?:pages_and_profiles_you_follow|pages_you_follow)\.json",
           R("groups_pages_events", "page_follow", "pages_followed_v2", **NAMED), "groups_pages_events"),
    handle(A + r"pages/(?:pages_and_profiles_you" + Q + r"ve_unfollowed|pages_you" + Q + r"ve_unfollowed)\.json",
           R("groups_pages_events", "page_unfollow", "pages_unfollowed_v2"), "groups_pages_events"),
    handle(A + r"pages/your_pages\.json", R("groups_pages_events", "page_admin", "pages_v2"), "groups_pages_events"),
    handle(A + r"pages/[^/]+\.json", R("groups_pages_events", "page_activity", "recommended_pages_v2"),
           "groups_pages_events"),
    handle(A + r"events/your_event_responses\.json", R("groups_pages_events", "event_response", "event_responses_v2",
                                                      "event_responses", **NAMED), "groups_pages_events"),
    handle(A + r"events/event_invitations\.json", R("groups_pages_events", "event_invitation", "events_invited_v2",
                                                   "events_invited", **NAMED), "groups_pages_events"),
    handle(A + r"events/your_events\.json", R("groups_pages_events", "event", "your_events_v2", "your_events",
                                             **NAMED), "groups_pages_events"),
    handle(A + r"events/[^/]+\.json", R("groups_pages_events", "event_activity", "events_hidden_v2"),
           "groups_pages_events"),
    handle(A + r"fundraisers/[^/]+\.json", R("groups_pages_events", "fundraiser", "fundraisers_donated_to_v2"),
           "groups_pages_events"),

    # ---- marketplace and shopping -----------------------------------------------------------------
    handle(A + r"(?:facebook_)?marketplace/items_sold\.json", R("marketplace_shopping", "marketplace_listing",
                                                               "items_selling_v2", text=("title",)),
           "marketplace_shopping"),
    handle(A + r"(?:facebook_)?marketplace/your_search_history\.json", R("search_history", "marketplace_search"),
           "search_history"),
    handle(A + r"(?:facebook_)?marketplace/[^/]+\.json", R("marketplace_shopping", "marketplace_activity",
                                                          "marketplace_notifications_v2"), "marketplace_shopping"),
    handle(A + r"(?:facebook_payments|payment_history)/[^/]+\.json", R("marketplace_shopping", "payment",
                                                                      "payments_v2"), "marketplace_shopping"),
    handle(A + r"shops/[^/]+\.json", R("marketplace_shopping", "shop_activity"), "marketplace_shopping"),

    # ---- saved items -------------------------------------------------------------------------
    handle(A + r"saved_items(?:_and_collections)?/[^/]+\.json",
           R("other", "saved_item", "saves_v2", "saves_and_collections_v2", "collections_v2", "saves"), "other"),

    # ---- search history ----------------------------------------------------------------------
    handle(L + r"(?:search|search_history)/your_search_history\.json",
           X(search_item, "searches_v2", "searches"), "search_history"),
    handle(L + r"(?:search|search_history|recent_searches)/[^/]+\.json",
           R("search_history", "search", "group_search", "searches_user"), "search_history"),

    # ---- location ----------------------------------------------------------------------------
    handle(L + r"location/location_history\.json", R("location", "location_visit", "location_history_v2",
                                                   "location_history"), "location"),
    handle(L + r"location/[^/]+\.json", R("location", "location", "primary_location_v2", "primary_public_location_v2",
                                          "phone_number_location_v2", "last_location_v2", "timezone_v2"), "location"),
    handle(A + r"your_places/[^/]+\.json", R("location", "place", "your_places_v2"), "location"),
    handle(L + r"facebook_news/your_locations\.json", R("location", "news_location", "news_your_locations_v2"),
           "location"),

    # ---- ads and interests --------------------------------------------------------------------
    handle(r"(?:ads_information|ads|" + L + r"other_logged_information)/ads_interests\.json",
           X(ad_interest_items, "topics_v2", "topics"), "ads_interests"),
    handle(r"(?:" + PREF + r")?your_topics/[^/]+\.json",
           X(ad_interest_items, "inferred_topics_v2", "topics_your_topics"), "ads_interests"),
    handle(r"ads_information/advertisers_using_your_activity_or_information\.json",
           R("ads_interests", "advertiser", "custom_audiences_all_types_v2", **NAMED, actor="system"),
           "ads_interests"),
    handle(r"ads_information/advertisers_you" + Q + r"ve_interacted_with\.json",
           R("ads_interests", "ad_viewed", "history_v2", text=("title",)), "ads_interests"),
    handle(r"ads_information/(?:.*/)?(?:ads_viewed|ads_clicked|story_views_in_past_7_days)\.json",
           R("ads_interests", "ad_viewed"), "ads_interests"),
    handle(r"(?:ads_information|ads)/(?:.*/)?[^/]+\.json", R("ads_interests", "ad_record", "bcts", "lead_gen_info_v2",
                                                             actor="system"), "ads_interests"),

    # ---- off-Facebook activity ------------------------------------------------------------------
    handle(r"apps_and_websites_off_of_facebook/(?:your_activity_off_meta_technologies|your_off-facebook_activity)"
           r"\.json", X(off_platform_items, "off_facebook_activity_v2", "off_facebook_activity"),
           "off_platform_activity"),
    handle(r"apps_and_websites_off_of_facebook/(?:connected_apps_and_websites|your_apps)\.json",
           R("off_platform_activity", "connected_app", "installed_apps_v2", "admined_apps_v2"),
           "off_platform_activity"),
    handle(r"(?:apps_and_websites_off_of_facebook|apps_and_websites)/[^/]+\.json",
           R("off_platform_activity", "app_record", "installed_apps"), "off_platform_activity"),

    # ---- activity log: notifications, viewed and visited, link history ---------------------------
    handle(L + r"notifications/notifications\.json", R("activity_log", "notification", "notifications_v2",
                                                      "notifications", text=("text",), actor="system"),
           "activity_log"),
    handle(L + r"notifications/[^/]+\.json", R("activity_log", "notification_record", actor="system"), "activity_log"),
    handle(L + r"(?:your_interactions_on_facebook|interactions)/recently_viewed\.json",
           entries("activity_log", "viewed", ("recently_viewed",)), "activity_log"),
    handle(L + r"(?:your_interactions_on_facebook|interactions)/recently_visited\.json",
           entries("activity_log", "visited", ("visited_things_v2",)), "activity_log"),
    handle(L + r"(?:your_interactions_on_facebook|interactions)/[^/]+\.json", R("activity_log", "interaction"),
           "activity_log"),
    handle(A + r"other_activity/link_history\.json|" + L + r"link_history/[^/]+\.json",
           R("activity_log", "link_visit"), "activity_log"),
    handle(A + r"other_activity/pokes\.json", R("activity_log", "poke", "pokes_v2", text=("poker", "pokee")),
           "activity_log"),
    handle(A + r"other_activity/[^/]+\.json", R("activity_log", "activity_record"), "activity_log"),
    handle(L + r"(?:activity_messages|other_logged_information|in-app_messages|policy_updates_and_permissions)/"
               r"[^/]+\.json", R("activity_log", "logged_record", "people_interactions_v2"), "activity_log"),
    handle(A + r"(?:facebook_gaming|navigation_bar|facebook_support|voting|dating|news_feed|"
               r"facebook_news|your_interactions_on_facebook)/[^/]+\.json",
           R("activity_log", "activity_record", "instant_games_played_v2", "voting_location_v2",
             "voting_reminders_v2"), "activity_log"),

    # ---- security and login ---------------------------------------------------------------------
    handle(SEC + r"your_facebook_activity_history\.json", activity_days, "security_login"),
    handle(SEC + r"(?:logins_and_logouts|login_and_profile_creation/login_activity)\.json",
           R("security_login", "login", "account_accesses_v2", "account_history_login_history",
             text=("action", "title")), "security_login"),
    handle(SEC + r"account_activity\.json", R("security_login", "account_activity", "account_activity_v2",
                                             "account_activity", text=("action",)), "security_login"),
    handle(SEC + r"(?:recognized_devices|mobile_devices)\.json",
           R("security_login", "device", "recognized_devices_v2", "devices_v2", "recognized_devices",
             text=("name", "type", "user_agent")), "security_login"),
    handle(SEC + r"(?:ip_address_activity|used_ip_addresses)\.json",
           R("security_login", "ip_address", "used_ip_address_v2", "used_ip_address", text=("ip",)),
           "security_login"),
    handle(SEC + r"where_you" + Q + r"re_logged_in\.json",
           R("security_login", "session", "active_sessions_v2", "active_sessions"), "security_login"),
    handle(SEC + r"(?:.*/)?[^/]+\.json",
           R("security_login", "security_record", "login_protection_data_v2", "admin_records_v2",
             "contact_verifications_v2", "datr_stats_v2", "account_status_changes_v2"), "security_login"),

    # ---- preferences and settings ---------------------------------------------------------------
    handle(PREF + r"(?:preferences/)?language_and_locale\.json",
           entries("settings", "setting", ("language_and_locale_v2",)), "settings"),
    handle(PREF + r"feed/(?:controls|feed)\.json", entries("settings", "setting", ("controls", "people_and_friends_v2")),
           "settings"),
    handle(PREF + r"(?:.*/)?[^/]+\.json", R("settings", "setting", "watch_videos_v2"), "settings"),
]


def _wrap(rules: list) -> list:
    """Every handler of the table also runs the source-wide checks (once per export)."""
    from .handlers import Rule

    out = []
    for rule in rules:
        if rule.handler is not None and rule.handler not in (profile, autofill, privacy_jurisdiction, thread,
                                                             e2ee_thread):
            rule = Rule(rule.pattern, _checked(rule.handler), rule.category, rule.reason, first=rule.first)
        out.append(rule)
    return out


#: Sections of the export (and folders of the activity section): a JSON file in one that no rule
#: above names (a new file name, a new subfolder) is read by the generic record reader, in the
#: section's category. Files outside every section stay unknown.
SECTIONS = [
    (A + "(?:posts|photos_and_videos)", "posts"), (A + "messages", "messages"),
    (A + "comments_and_reactions", "comments"), (A + "comments", "comments"), (A + "likes_and_reactions", "reactions"),
    (A + "(?:stories|reels)", "stories_reels"), (A + "activity_you" + Q + "re_tagged_in", "photos_videos"),
    (A + "(?:groups|pages|events|fundraisers)", "groups_pages_events"),
    (A + "(?:(?:facebook_)?marketplace|shops|facebook_payments|payment_history)", "marketplace_shopping"),
    (A + "saved_items(?:_and_collections)?", "other"), (A + "your_places", "location"),
    (A + "(?:other_activity|polls|apps_and_websites|facebook_gaming|navigation_bar|facebook_support|voting|"
         "dating|news_feed|facebook_news|your_interactions_on_facebook)", "activity_log"),
    (r"logged_information", "activity_log"), (r"(?:personal_information|about_you)", "profile"),
    (r"(?:connections|friends_and_followers|friends|followers|following_and_followers)", "connections"),
    (r"(?:personal_information/profile_information/)?preferences", "settings"), (SEC[:-1], "security_login"),
    (r"(?:ads_information|ads)", "ads_interests"), (r"apps_and_websites_off_of_facebook", "off_platform_activity"),
]

#: One table for JSON and HTML exports: every `.json` rule also takes the `.html` page of that name
#: (parsers.meta_html_records); facebook_html adds the pages without a JSON twin and the shapers.
TABLE = meta_table(PLATFORM, mark_generic(_wrap(RULES)) + _wrap(generic_sections(SECTIONS)),
                   _wrap(facebook_html.html_rules(A)), shapers=facebook_html.shapers(A, L, P),
                   json_only=facebook_html.JSON_ONLY)


def table_for(detection: Detection) -> HandlerTable:
    """One table serves every JSON generation (the patterns make the section folders optional)."""
    return TABLE


def finish(frame: pd.DataFrame, account: AccountContext) -> pd.DataFrame:
    """Withdraw the encrypted-chat notice when an E2EE download was scanned along with the export;
    the owner's own posts, comments, reactions ... get the owner's name as author."""
    rows = frame[(frame["platform"] == PLATFORM) & (frame["category"] == "messages")]
    files = [str(path) for path in rows["source_file"].unique()]  # few distinct files, however many rows
    if any(_E2EE_FILE.search(path) for path in files):
        account.notices[:] = [n for n in account.notices if "end-to-end encryption" not in n]
    return fill_owner_author(frame, PLATFORM, account)
