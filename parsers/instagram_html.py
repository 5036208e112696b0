"""Instagram HTML pages: what the table needs besides its JSON rules (meta-html-format.md section 5).

The JSON rules of parsers.instagram serve the pages too (parsers.meta_html_records): every record
box becomes a label_values / string_list_data record that `flatten` reads like the JSON one. This
module holds the pages whose JSON twin has another shape: a Meta AI conversation page (one box per
message) becomes one conversation record whose messages are label groups, as in
ai_conversations.json; the AI conversation list and other index pages give only the entries whose
page is missing.
"""
from __future__ import annotations

from .meta_html_records import Shaper, conversation_page, each, index_entry


def shapers(YIA: str) -> list[tuple[str, Shaper]]:
    """Page families whose JSON twin has its own record shape (patterns as in the table)."""
    return [
        (YIA + r"messages/ai_conversations/.*\.json", conversation_page),
        (YIA + r"messages/ai_conversations(?:_\d+)?\.json", each(index_entry)),
    ]


#: handlers that read a JSON-only structure: their pages stay in the inventory, not itemised
JSON_ONLY = {
    "legacy_media": "2018-2020 exports were JSON only",
    "legacy_messages": "2018-2020 exports were JSON only",
}
