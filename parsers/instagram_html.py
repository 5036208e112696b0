"""Instagram HTML pages: what the table needs besides its JSON rules (meta-html-format.md section 5).

The JSON rules of parsers.instagram serve the pages too (parsers.meta_html_records): every record
box becomes a label_values / string_list_data record that `flatten` reads like the JSON one. This
module holds the pages whose JSON twin has another shape: a Meta AI conversation page (one box per
message) becomes one conversation record whose messages are label groups, as in
ai_conversations.json; the AI conversation list and other index pages give only the entries whose
page is missing.
"""
from __future__ import annotations

from typing import Iterator

from .handlers import ParseContext
from .meta_html_records import Shaper, each, index_entry


def ai_conversation_page(found: Iterator[dict], ctx: ParseContext) -> Iterator[dict]:
    """thread_for_mailbox<...>.html: its message boxes (Author, Message, time) -> one record
    `{title: "Meta AI", label_values: [{label: "Messages", vec: [{dict: [...]}, ...]}]}`."""
    groups = []
    for record in found:
        entries = [dict(e) for e in record.get("label_values") or () if isinstance(e, dict) and "label" in e]
        if record.get("timestamp") is not None:
            entries.append({"label": "Time", "timestamp_value": record["timestamp"]})
        if entries:
            groups.append({"dict": entries})
    if groups:
        yield {"title": "Meta AI", "label_values": [{"label": "Messages", "vec": groups}]}


def shapers(YIA: str) -> list[tuple[str, Shaper]]:
    """Page families whose JSON twin has its own record shape (patterns as in the table)."""
    return [
        (YIA + r"messages/ai_conversations/.*\.json", ai_conversation_page),
        (YIA + r"messages/ai_conversations(?:_\d+)?\.json", each(index_entry)),
    ]


#: handlers that read a JSON-only structure: their pages stay in the inventory, not itemised
JSON_ONLY = {
    "legacy_media": "2018-2020 exports were JSON only",
    "legacy_messages": "2018-2020 exports were JSON only",
}
