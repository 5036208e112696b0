"""Facebook HTML pages: what the table needs besides its JSON rules (meta-html-format.md section 3).

The JSON rules of parsers.facebook serve the pages too (parsers.meta_html_records); this module
holds only what is HTML's own: the shapers that give a page family the record shape of its JSON
twin (so `comment_item`, `reaction_item`, `search_item`, `off_platform_items`, `profile` ... read
them unchanged), the pages that have no JSON twin (entry pages, off-Meta business pages, album
pages), and the handlers whose JSON structure has no page form.
"""
from __future__ import annotations

from typing import Any, Iterator

from .archive import Member
from .contract import Item, Problem
from .handlers import ParseContext, Rule, handle, ignore
from .meta_common import iter_records, record_timestamp
from .meta_html_records import Shaper, conversation_page, each, index_entry

# the path fragments of parsers.facebook (imported there; repeated here would drift)


def comment_shape(record: dict, ctx: ParseContext) -> dict:
    """A comment card -> `{timestamp, title, data: [{comment: {comment, group}}], attachments}`."""
    shaped = {k: v for k, v in record.items() if k in ("timestamp", "title", "attachments")}
    if record.get("text") or record.get("group"):
        shaped["data"] = [{"comment": {"comment": record.get("text", ""), "group": record.get("group", "")}}]
    return shaped


def reaction_shape(record: dict, ctx: ParseContext) -> dict:
    """A like/reaction card (its icon's file stem is the reaction) -> `{timestamp, title, data:
    [{reaction: {reaction}}]}`."""
    return {"timestamp": record.get("timestamp"), "title": record.get("title", ""),
            "data": [{"reaction": {"reaction": record.get("reaction", ""), "actor": ""}}]}


def search_shape(record: dict, ctx: ParseContext) -> dict:
    """A search card: the term is the body text (in straight quotes) -> `{timestamp, title, data: [{text}]}`."""
    return {"timestamp": record.get("timestamp"), "title": record.get("title", ""),
            "data": [{"text": record.get("text", "")}] if record.get("text") else []}


def off_meta_index_shape(record: dict, ctx: ParseContext) -> dict | None:
    """The off-Meta index: a business whose page is in the export is itemised from that page; one
    whose page is missing (another part of a split export) is one undated record."""
    kept = index_entry(record, ctx)
    if kept is None:
        return None
    return {"name": record.get("text") or record.get("title", ""), "timestamp": None}


def business_events(found: Iterator[dict], ctx: ParseContext) -> Iterator[dict]:
    """A business page (h2 = business, one table per event: ID, Event, Received on) -> the 2025
    JSON shape `{name, events: [{id, type, timestamp}]}`, one record for the page."""
    name, events = "", []
    for record in found:
        labels = {str(e.get("label", "")).lower(): e for e in record.get("label_values") or () if isinstance(e, dict)}
        name = name or record.get("title", "")
        events.append({"id": (labels.get("id") or {}).get("value", ""),
                       "type": (labels.get("event") or {}).get("value", ""),
                       "timestamp": record.get("timestamp")})
    yield {"name": name, "events": events}


def value_lists(found: Iterator[dict], ctx: ParseContext) -> Iterator[dict]:
    """Pages of labelled value lists (advertisers using your information, other categories): one
    record per value `{name, title: the list's label}`, as the JSON twin lists one per advertiser."""
    for record in found:
        lists = [e for e in record.get("label_values") or () if isinstance(e, dict) and isinstance(e.get("vec"), list)]
        if not lists:
            yield record
        for entry in lists:
            for value in entry["vec"]:
                if isinstance(value, dict) and value.get("value"):
                    yield {"name": value["value"], "title": entry.get("label", ""), "timestamp": record.get("timestamp")}


def profile_shape(record: dict, ctx: ParseContext) -> dict:
    """The profile page's label/value table -> `{name: {full_name}, registration_timestamp, ...}`."""
    labels = {str(e.get("label", "")).lower(): e for e in record.get("label_values") or () if isinstance(e, dict)}
    name = next((labels[k].get("value", "") for k in ("name", "full name", "full_name") if k in labels), "")
    shaped: dict[str, Any] = {"name": {"full_name": name or record.get("title", "")}}
    joined = next((labels[k].get("timestamp_value") for k in ("registration date", "joined", "registration time")
                   if k in labels), None)
    if joined:
        shaped["registration_timestamp"] = joined
    return shaped


def entries_shape(record: dict, ctx: ParseContext) -> dict:
    """Viewed / visited cards -> `{name, entries: [{timestamp, data: {name}}]}`."""
    text = record.get("text") or record.get("title", "")
    return {"name": record.get("title", "") if record.get("text") else "",
            "entries": [{"timestamp": record.get("timestamp"), "data": {"name": text}}]}


def album_page(member: Member, ctx: ParseContext) -> Iterator[Item | Problem]:
    """posts/album/<n>.html: one photo item per card (its image is the member), one album item."""
    from .facebook import media_item  # the item builder of the JSON album, shared

    latest = None
    for record in iter_records(member):
        uris = [d["media"]["uri"] for group in record.get("attachments") or () for d in group.get("data") or ()
                if isinstance(d, dict) and isinstance(d.get("media"), dict)]
        if not uris:
            continue
        when = record_timestamp(record)
        latest = when if latest is None or (when is not None and when > latest) else latest
        item = media_item({"uri": uris[0], "creation_timestamp": when, "description": record.get("text", "")},
                          ctx, "photo")
        if item is not None:
            yield item
    yield Item("photos_videos", "album", latest, "self", "", "")


def html_rules(A: str) -> list[Rule]:
    """Pages without a JSON twin (A: the activity-section fragment of parsers.facebook)."""
    from .facebook import X, off_platform_items

    return [
        ignore(r"(?:start_here|index)\.html?", "the HTML viewer's entry page: navigation only (its generated-on "
                                               "time gives the export's clock)"),
        handle(A + r"(?:posts|photos_and_videos)/album/\d+\.html?", album_page, "photos_videos"),
        handle(r"apps_and_websites_off_of_facebook/your_activity_off_meta_technologies/[^/]+\.html?",
               X(off_platform_items), "off_platform_activity"),
    ]


def shapers(A: str, L: str, P: str) -> list[tuple[str, Shaper]]:
    """Page families whose JSON twin has its own record shape (patterns as in the table)."""
    return [
        (A + r"(?:comments|comments_and_reactions|groups)/(?:comments|comments_and_reactions|"
             r"your_comments_in_groups)\.json", each(comment_shape)),
        (A + r"(?:likes_and_reactions|comments_and_reactions)/(?:posts_and_comments|likes_and_reactions"
             r"(?:_\d+)?)\.json", each(reaction_shape)),
        (L + r"(?:search|search_history)/your_search_history\.json", each(search_shape)),
        (r"apps_and_websites_off_of_facebook/(?:your_activity_off_meta_technologies|your_off-facebook_activity)"
         r"\.json", each(off_meta_index_shape)),
        (r"apps_and_websites_off_of_facebook/your_activity_off_meta_technologies/[^/]+\.json", business_events),
        (P + r"profile_information/profile_information\.json", each(profile_shape)),
        (r"ads_information/(?:advertisers_using_your_activity_or_information|other_categories_used_to_reach_you)"
         r"\.json", value_lists),
        (L + r"(?:your_interactions_on_facebook|interactions)/recently_vi(?:ew|sit)ed\.json", each(entries_shape)),
        (A + r"messages/ai_conversations\.json", conversation_page),
    ]


#: handlers that read a JSON-only structure: their pages stay in the inventory, not itemised
JSON_ONLY = {
    "autofill": "the autofill page is not read (its values are in autofill_information.json of a JSON export)",
    "activity_days": "the days-active page is not read (its day list is in the JSON export)",
    "e2ee_thread": "the end-to-end-encrypted download is JSON only",
}
