"""HTML twins of the builder's JSON exports: the same records as Meta's HTML pages show them.

`html_twin(tree, platform)` renders every JSON member of a built export as the page Meta writes
in an HTML export of that generation (meta-html-format.md sections 1-5 and the pages in
../shared/fixtures/html): record boxes of the generation's classes, key/value tables, thread pages
newest first, off-Meta index and business pages, an album page; media members are copied, `<base
href>` climbs to the export root, text is real UTF-8 with entities. Times are wall-clock text in
the generation's format, in the zone the twin tells the reader about (Facebook 2024: timezone.html
Europe/Copenhagen; 2022-23: a start_here.html stamp at +01:00; 2019-21: none, so UTC; Instagram:
its fixed UTC-8), at the precision the format has (minutes on 2019-21 and Instagram pages).

`GENERATIONS` maps a builder layout to the HTML generation it is rendered as and that precision,
so tests can compare the audits of the two exports category by category.
"""
from __future__ import annotations

import json
import posixpath
import re
from datetime import datetime, timedelta, timezone
from html import escape
from typing import Any, Iterable
from zoneinfo import ZoneInfo

from builder import ExportTree

#: (platform, builder layout) -> (HTML generation, seconds shown: 1 or 60, zone of the times)
GENERATIONS: dict[tuple[str, str], tuple[str, int, Any]] = {
    ("facebook", "2020"): ("flat", 60, timezone.utc),
    ("facebook", "2021"): ("flat", 60, timezone.utc),
    ("facebook", "2023"): ("div", 1, timezone(timedelta(hours=1))),
    ("facebook", "2024"): ("section", 1, ZoneInfo("Europe/Copenhagen")),
    ("instagram", "2022"): ("ig2022", 60, timezone(timedelta(hours=-8))),
    ("instagram", "2024"): ("ig2023", 60, timezone(timedelta(hours=-8))),
    ("instagram", "2025"): ("ig2023", 60, timezone(timedelta(hours=-8))),
}

#: the markup of one generation: container, box, title, body, time
MARKUP = {
    "flat": dict(main='<div class="_4t5n" role="main">', end_main="</div>",
                 box=('<div class="pam _3-95 _2pi0 _2lej uiBoxWhite noborder">', "</div>"),
                 title=('<div class="_3-96 _2pio _2lek _2lel">', "</div>"), body='<div class="_3-96 _2let">',
                 time=('<div class="_3-94 _2lem">', "</div>"), base=False),
    "div": dict(main='<div class="_a706" role="main">', end_main="</div>",
                box=('<div class="_3-95 _a6-g">', "</div>"), title=('<div class="_2ph_ _a6-h _a6-i">', "</div>"),
                body='<div class="_2ph_ _a6-p">', time=('<div class="_3-94 _a6-o"><div class="_a72d">', "</div></div>"),
                base=True),
    "section": dict(main='<main class="_a706" role="main">', end_main="</main>",
                    box=('<section class="_3-95 _a6-g">', "</section>"), title=('<h2 class="_2ph_ _a6-h _a6-i">', "</h2>"),
                    body='<div class="_2ph_ _a6-p">',
                    time=('<footer class="_3-94 _a6-o"><div class="_a72d">', "</div></footer>"), base=True),
    "ig2022": dict(main='<div class="_a706" role="main">', end_main="</div>",
                   box=('<div class="pam _3-95 _2ph- _a6-g uiBoxWhite noborder">', "</div>"),
                   title=('<div class="_3-95 _2pim _a6-h _a6-i">', "</div>"), body='<div class="_3-95 _a6-p">',
                   time=('<div class="_3-94 _a6-o">', "</div>"), base=True),
    "ig2023": dict(main='<main class="_a706" role="main">', end_main="</main>",
                   box=('<div class="pam _3-95 _2ph- _a6-g uiBoxWhite noborder">', "</div>"),
                   title=('<h2 class="_3-95 _2pim _a6-h _a6-i">', "</h2>"), body='<div class="_3-95 _a6-p">',
                   time=('<div class="_3-94 _a6-o">', "</div>"), base=True),
}

MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def decode(content: bytes) -> Any:
    """A builder JSON member as the reader sees it: Meta's latin-1 escaping undone."""
    value = json.loads(content)
    return _repair(value)


def _repair(value: Any) -> Any:
    if isinstance(value, str):
        try:
            return value.encode("latin-1").decode("utf-8")
        except (UnicodeEncodeError, UnicodeDecodeError):
            return value
    if isinstance(value, list):
        return [_repair(v) for v in value]
    if isinstance(value, dict):
        return {k: _repair(v) for k, v in value.items()}
    return value


class _Page:
    """One generation's page writer."""

    def __init__(self, generation: str, zone: Any) -> None:
        self.g, self.m, self.zone = generation, MARKUP[generation], zone

    def when(self, seconds: Any) -> str:
        if not isinstance(seconds, (int, float)) or isinstance(seconds, bool) or seconds <= 0:
            return ""
        seconds = seconds / 1000 if seconds > 1e11 else seconds
        t = datetime.fromtimestamp(int(seconds), tz=timezone.utc).astimezone(self.zone)
        hour = t.hour % 12 or 12
        half = "am" if t.hour < 12 else "pm"
        if self.g == "flat":
            return f"{MONTHS[t.month - 1]} {t.day}, {t.year}, {hour}:{t.minute:02d} {half.upper()}"
        if self.g == "ig2022":
            return f"{MONTHS[t.month - 1]} {t.day:02d}, {t.year}, {hour}:{t.minute:02d} {half.upper()}"
        if self.g == "ig2023":
            return f"{MONTHS[t.month - 1]} {t.day:02d}, {t.year} {hour}:{t.minute:02d} {half}"
        if self.g == "div":
            return f"{MONTHS[t.month - 1]} {t.day:02d}, {t.year} {hour}:{t.minute:02d}:{t.second:02d}{half}"
        return f"{MONTHS[t.month - 1]} {t.day:02d}, {t.year} {hour}:{t.minute:02d}:{t.second:02d} {half}"

    def box(self, title: str = "", body: str = "", seconds: Any = None, extra: str = "") -> str:
        m = self.m
        out = m["box"][0]
        if title:
            out += m["title"][0] + escape(title) + m["title"][1]
        if body:
            out += m["body"] + body + "</div>"
        stamp = self.when(seconds)
        if stamp or self.g == "section":
            out += m["time"][0] + stamp + m["time"][1]
        return out + extra + m["box"][1]

    def page(self, path: str, title: str, boxes: Iterable[str], head_extra: str = "") -> bytes:
        depth = path.count("/")
        base = f'<base href="{"../" * depth}" />' if self.m["base"] and depth else ""
        return ('<html><head><meta http-equiv="Content-Type" content="text/html; charset=UTF-8" />' + base +
                f'<title>{escape(title)}</title></head><body class="_5vb_ _2yq _a7o5"><div class="_li"><div class="_a705">'
                f'<header class="_as-_ _a709"><div class="_a70d"><h1>{escape(title)}</h1>{head_extra}</div></header>'
                + self.m["main"] + "".join(boxes) + self.m["end_main"] + "</div></div></body></html>").encode("utf-8")


def _pin(text: str) -> str:
    return f'<div class="_2pin"><div>{escape(text)}</div></div>'


def _img(uri: str) -> str:
    return f'<div class="_2pin"><a href="{escape(uri)}"><img src="{escape(uri)}" class="_a6_o _3-96" /></a></div>'


def _media_uris(value: Any) -> list[str]:
    found: list[str] = []

    def walk(node: Any, key: str = "") -> None:
        if isinstance(node, dict):
            if isinstance(node.get("uri"), str) and node["uri"] and key != "thumbnail" and "://" not in node["uri"]:
                found.append(node["uri"])
            for k, v in node.items():
                if isinstance(v, (dict, list)):
                    walk(v, k)
        elif isinstance(node, list):
            for v in node:
                walk(v, key)

    walk(value)
    return found


def _records(value: Any) -> list[Any]:
    """The records of a JSON file: a bare list, the list under its wrapper key, or the object."""
    if isinstance(value, list):
        return value
    if isinstance(value, dict):
        lists = [v for v in value.values() if isinstance(v, list)]
        if len(value) == 1 and lists:
            return lists[0]
        inner = next(iter(value.values())) if len(value) == 1 else None
        if isinstance(inner, dict) and inner and all(isinstance(v, list) for v in inner.values()):
            return [record for v in inner.values() for record in v]  # {events_v2: {joined: [...], ...}}
        if {"label_values", "string_map_data", "timestamp", "title"} & set(value):
            return [value]
        if len(lists) == 1 and all(not isinstance(v, dict) for v in value.values()):
            return lists[0]
    return [value]


def _stamp_of(record: Any) -> Any:
    if not isinstance(record, dict):
        return None
    for key in ("timestamp", "creation_timestamp", "created_timestamp", "start_timestamp", "timestamp_ms",
                "last_modified_timestamp"):
        if isinstance(record.get(key), (int, float)) and record[key]:
            return record[key]
    return None


# ---- key/value tables (label_values, string_map_data) ----------------------------------------------

def _rows(page: _Page, entries: list[Any]) -> str:
    out = ""
    for entry in entries:
        if not isinstance(entry, dict):
            continue
        label = escape(str(entry.get("label") or entry.get("title") or ""))
        if isinstance(entry.get("vec"), list):
            inner = ""
            for element in entry["vec"]:
                if isinstance(element, dict) and isinstance(element.get("dict"), list):
                    inner += "<div>" + page.box("", f"<table>{_rows(page, element['dict'])}</table>") + "</div>"
                elif isinstance(element, dict):
                    inner += "<div>" + page.box("", escape(str(element.get("value", "")))) + "</div>"
            out += f'<tr><td colspan="2" class="_a6_q">{label}{inner}</td></tr>'
        elif isinstance(entry.get("dict"), list):
            groups = [e["dict"] for e in entry["dict"] if isinstance(e, dict) and isinstance(e.get("dict"), list)]
            boxes = "".join(page.box(str(entry.get("title") or ""), f"<table>{_rows(page, group)}</table>")
                            for group in groups or [entry["dict"]])
            out += f'<tr><td colspan="2" class="_a6_q"><div>{boxes}</div></td></tr>'
        elif "timestamp_value" in entry:
            out += _cell(label, escape(page.when(entry["timestamp_value"])))
        elif entry.get("href"):
            value = escape(str(entry.get("value") or entry["href"]))
            out += f'<tr><td colspan="2" class="_a6_q">{label}<div><a href="{escape(entry["href"])}">{value}</a></div></td></tr>'
        else:
            out += _cell(label, escape(str(entry.get("value", ""))))
    return out


def _cell(label: str, value: str) -> str:
    return f'<tr><td class="_2pin _a6_q">{label}</td><td class="_2pin _2piu _a6_r">{value}</td></tr>'


def _string_map(page: _Page, data: dict) -> str:
    out = ""
    for label, entry in data.items():
        if not isinstance(entry, dict):
            continue
        if entry.get("timestamp") and entry.get("href"):  # a link saved/seen at a time: link row, time row
            out += (f'<tr><td colspan="2" class="_a6_q">URL<div><a href="{escape(entry["href"])}">'
                    f'{escape(str(entry.get("value") or entry["href"]))}</a></div></td></tr>')
            out += _cell(escape(label), escape(page.when(entry["timestamp"])))
        elif entry.get("timestamp") and not entry.get("value"):
            out += _cell(escape(label), escape(page.when(entry["timestamp"])))
        elif entry.get("href"):
            out += (f'<tr><td colspan="2" class="_a6_q">{escape(label)}<div><a href="{escape(entry["href"])}">'
                    f'{escape(str(entry.get("value") or entry["href"]))}</a></div></td></tr>')
        else:
            out += _cell(escape(label), escape(str(entry.get("value", ""))))
    return out


def generic_box(page: _Page, record: Any) -> str:
    """Any record as its page shows it: title, table of its labels, links, media, time."""
    if not isinstance(record, dict):
        return page.box(str(record))
    title = record.get("title") if isinstance(record.get("title"), str) else ""
    parts = ""
    table = ""
    if isinstance(record.get("label_values"), list):
        table += _rows(page, record["label_values"])
    if isinstance(record.get("string_map_data"), dict):
        table += _string_map(page, record["string_map_data"])
    plain = {k: v for k, v in record.items() if isinstance(v, (str, int, float)) and not isinstance(v, bool)
             and k not in ("title", "fbid", "ent_name") and "timestamp" not in k and v != ""}
    if not table and plain and not record.get("string_list_data"):
        table = "".join(_cell(escape(k.replace("_", " ").title()), escape(str(v))) for k, v in plain.items())
    if table:
        parts += f'<table style="table-layout: fixed;">{table}</table>'
    for entry in record.get("string_list_data") or ():
        if not isinstance(entry, dict):
            continue
        link = entry.get("href")
        value = entry.get("value") or (link or "")
        inner = f'<a target="_blank" href="{escape(link)}">{escape(str(value))}</a>' if link else escape(str(value))
        parts += f"<div><div>{inner}</div><div>{escape(page.when(entry.get('timestamp')))}</div></div>"
    media = [m for key in ("media", "media_list_data") for m in record.get(key) or () if isinstance(m, dict)]
    pictures = [m for m in (record.get("media_map_data") or {}).values() if isinstance(m, dict)]
    if not media and isinstance(record.get("uri"), str):
        media = [record]
    for item in media + pictures:  # a profile photo is shown, its upload time is not the record's
        if item.get("uri") and "://" not in item["uri"]:
            parts += _img(item["uri"])
    caption = title or next((m.get("title") for m in media if m.get("title")), "")
    stamp = _stamp_of(record) or next((_stamp_of(m) for m in media if _stamp_of(m)), None)
    return page.box(caption, parts, stamp)


# ---- Facebook families ---------------------------------------------------------------------------

def _fb_card(page: _Page, record: dict) -> str:
    """posts, comments, searches, notifications: title, text blocks, media, time."""
    texts = []
    for data in record.get("data") or ():
        if not isinstance(data, dict):
            continue
        if isinstance(data.get("post"), str):
            texts.append(data["post"])
        if isinstance(data.get("comment"), dict):
            comment = data["comment"]
            if comment.get("group"):
                texts.append(None)
            texts.append(comment.get("comment", ""))
        if isinstance(data.get("text"), str):
            texts.append(f'"{data["text"]}"')
    body = "".join(_pin(t) for t in texts if t)
    body += "".join(_img(uri) for uri in _media_uris(record.get("attachments")))
    title = record.get("title") or record.get("text") or ""
    return page.box(title, f"<div>{body}</div>" if body else "", _stamp_of(record))


def _fb_reaction(page: _Page, record: dict) -> str:
    reaction = next((d["reaction"]["reaction"] for d in record.get("data") or ()
                     if isinstance(d, dict) and isinstance(d.get("reaction"), dict)), "")
    if not reaction:
        return generic_box(page, record)
    icon = f'<div class="_2pin"><img src="https://static.xx.fbcdn.net/rsrc.php/icons/{reaction.lower()}.png" /></div>'
    return page.box(record.get("title", ""), f"<div>{icon}</div>", _stamp_of(record))


def _fb_named(page: _Page, record: Any) -> str:
    if isinstance(record, str):
        return page.box(record)
    if isinstance(record, dict) and "label_values" in record:
        return generic_box(page, record)
    name = record.get("name") or record.get("title") or ""
    return page.box(name, "", _stamp_of(record))


def _fb_action(page: _Page, record: dict) -> str:
    """logins, devices: title = action / name, a table of the rest, the time."""
    title = record.get("action") or record.get("name") or ""
    rest = {k: v for k, v in record.items() if k not in ("action", "name") and "timestamp" not in k}
    table = "".join(_cell(escape(k.replace("_", " ").capitalize()), escape(str(v))) for k, v in rest.items())
    return page.box(title, f"<table>{table}</table>" if table else "", _stamp_of(record))


def _profile_page(page: _Page, record: dict) -> str:
    name = record.get("name", {})
    rows = _cell("Name", escape(name.get("full_name", "") if isinstance(name, dict) else str(name)))
    rows += _cell("Username", escape(str(record.get("username", ""))))
    if record.get("registration_timestamp"):
        rows += _cell("Registration date", escape(page.when(record["registration_timestamp"])))
    return page.box("", f"<table>{rows}</table>")


def _thread_page(page: _Page, value: dict, path: str) -> str:
    """message_N: participants box (older generations), then one box per message, newest first."""
    boxes = []
    participants = [p.get("name") if isinstance(p, dict) else p for p in value.get("participants") or ()]
    if page.g in ("flat", "div") and participants:
        boxes.append(page.m["box"][0] + page.m["title"][0].replace("_a6-i", "").replace("_2lel", "") +
                     "Participants: " + escape(", ".join(participants[:-1]) + " and " + participants[-1])
                     + page.m["title"][1] + page.m["box"][1])
    for message in value.get("messages") or ():
        parts = "<div></div>"
        if message.get("content"):
            parts += f"<div>{escape(message['content'])}</div>"
        for key in ("photos", "videos", "gifs", "audio_files", "files"):
            for media in message.get(key) or ():
                uri = escape(media.get("uri", ""))
                tag = (f'<video src="{uri}" controls="1" class="_a6_o _3-96"></video>' if key == "videos"
                       else f'<a target="_blank" href="{uri}"><img src="{uri}" class="_a6_o _3-96" /></a>')
                parts += f"<div><div>{tag}</div></div>"
        sticker = message.get("sticker")
        if isinstance(sticker, dict) and sticker.get("uri"):
            parts += f'<div><div><img src="{escape(sticker["uri"])}" class="_a6_o _3-96" /></div></div>'
        share = message.get("share")
        if isinstance(share, dict) and share.get("link"):
            link = escape(share["link"])
            parts += f'<div><div><div><a target="_blank" href="{link}">{link}</a></div></div></div>'
        parts += "<div></div>"
        for reaction in message.get("reactions") or ():
            when = reaction.get("timestamp")
            suffix = f"<span> ({escape(page.when(when))})</span>" if when and page.g.startswith("ig") else ""
            parts += (f'<div><ul class="_a6-q"><li><span>{escape(reaction.get("reaction", ""))}'
                      f'{escape(reaction.get("actor", ""))}{suffix}</span></li></ul></div>')
        body = f"<div>{parts}</div>"
        boxes.append(page.box(message.get("sender_name", ""), body, message.get("timestamp_ms")))
    return "".join(boxes)


def _fb_family(path: str) -> str:
    name = posixpath.basename(path)
    if "/message_" in f"/{path}" and name.startswith("message_"):
        return "thread"
    if re.search(r"(?:^|/)(?:posts|photos_and_videos)/album/\d+\.json$", path):
        return "album"
    if name.startswith(("your_posts", "comments.json", "your_search_history", "notifications")) or \
            name in ("comments.json", "profile_update_history.json"):
        return "card"
    if name.startswith(("likes_and_reactions", "posts_and_comments")):
        return "reaction"
    if name in ("your_friends.json", "friends.json", "who_you've_followed.json", "who_you_follow.json",
                "following.json", "ads_interests.json"):
        return "named"
    if name in ("logins_and_logouts.json", "recognized_devices.json"):
        return "action"
    if name == "profile_information.json":
        return "profile"
    if name in ("your_activity_off_meta_technologies.json", "your_off-facebook_activity.json"):
        return "off_meta"
    if name == "advertisers_using_your_activity_or_information.json":
        return "advertisers"
    if name == "ai_conversations.json":
        return "ai"
    return "generic"


def _fb_pages(page: _Page, path: str, value: Any) -> dict[str, bytes]:
    html = path[:-5] + ".html"
    family = _fb_family(path)
    title = posixpath.basename(html)[:-5].replace("_", " ").capitalize()
    if family == "thread":
        return {html: page.page(html, value.get("title", ""), [_thread_page(page, value, path)])}
    if family == "album":
        boxes = [page.box("", f"<div>{_img(p['uri'])}{_pin(p.get('description', ''))}</div>", p.get("creation_timestamp"))
                 for p in value.get("photos") or ()]
        return {html: page.page(html, value.get("name", ""), boxes)}
    if family == "profile":
        record = next(iter(value.values())) if isinstance(value, dict) and len(value) == 1 else value
        return {html: page.page(html, title, [_profile_page(page, record)])}
    if family == "off_meta":
        return _off_meta_pages(page, html, _records(value))
    if family == "advertisers":
        inner = "".join("<div>" + page.box("", escape(r["label_values"][0]["value"])) + "</div>" for r in _records(value))
        table = f'<table><tr><td class="_a6_q" colspan="2">Advertisers using your activity or information{inner}</td></tr></table>'
        return {html: page.page(html, title, [page.box("", table)])}
    if family == "ai":
        boxes = []
        for record in _records(value):
            for entry in record.get("label_values") or ():
                for group in entry.get("vec") or ():
                    boxes.append(page.box("", f"<table>{_rows(page, group.get('dict') or [])}</table>"))
        return {html: page.page(html, "Your conversations with Meta AI", boxes)}
    render = {"card": _fb_card, "reaction": _fb_reaction, "named": _fb_named, "action": _fb_action}.get(family, generic_box)
    return {html: page.page(html, title, [render(page, record) for record in _records(value)])}


def _off_meta_pages(page: _Page, html: str, records: list[Any]) -> dict[str, bytes]:
    folder = html[:-5] if html.endswith("your_activity_off_meta_technologies.html") else \
        posixpath.dirname(html) + "/your_activity_off_meta_technologies"
    index, pages = [], {}
    for number, record in enumerate(records, 1):
        name = record.get("name") or record.get("title") or ""
        target = f"{folder}/{re.sub(r'[^a-z0-9]+', '_', name.lower()).strip('_')}_{number}.html"
        index.append(page.box("", f'<div><a href="{escape(target)}">{escape(name)}</a></div>'))
        events = record.get("events")
        if not isinstance(events, list):  # 2026 label_values: the Events vec
            events = [{"type": g["dict"][0].get("value"), "timestamp": g["dict"][1].get("timestamp_value")}
                      for entry in record.get("label_values") or () for g in entry.get("vec") or ()]
        boxes = [f'<h2 class="_2ph_ _a6-h _a6-i">{escape(name)}</h2>'] + [
            page.box("", f"<table>{_cell('ID', str(e.get('id', '')))}{_cell('Event', escape(str(e.get('type', ''))))}"
                         f"{_cell('Received on', escape(page.when(e.get('timestamp'))))}</table>") for e in events]
        pages[target] = page.page(target, name, boxes)
    pages[html] = page.page(html, "Your activity off Meta technologies", index)
    return pages


def html_twin(tree: ExportTree, platform: str, layout: str) -> ExportTree:
    """The HTML export with the same records as `tree` (a built JSON export of `layout`)."""
    generation, _precision, zone = GENERATIONS[(platform, layout)]
    page = _Page(generation, zone)
    twin = ExportTree()
    for path, content in tree.files.items():
        if not path.endswith(".json"):
            twin.files[path] = content  # media, no-data.txt
            continue
        value = decode(content)
        if platform == "facebook":
            twin.files.update(_fb_pages(page, path, value))
        else:
            html = path[:-5] + ".html"
            if "/message_" in f"/{path}":
                twin.files[html] = page.page(html, value.get("title", ""), [_thread_page(page, value, path)])
            elif path.endswith("messages/ai_conversations.json"):
                twin.files.update(_ig_conversations(page, html, _records(value)))
            else:
                twin.files[html] = page.page(html, "", [generic_box(page, _ig_record(r)) for r in _records(value)])
    _zone_pages(twin, platform, generation, page)
    return twin


def _ig_record(record: Any) -> Any:
    """Off-Meta businesses `{name, events}` as the label_values record their page shows."""
    if isinstance(record, dict) and isinstance(record.get("events"), list):
        return {"title": record.get("name", ""), "label_values": [{"label": "Events", "vec": [
            {"dict": [{"label": "Event", "value": e.get("type", "")}, {"label": "Received on",
                                                                       "timestamp_value": e.get("timestamp")}]}
            for e in record["events"] if isinstance(e, dict)]}]}
    return record


def _ig_conversations(page: _Page, html: str, records: list[Any]) -> dict[str, bytes]:
    """ai_conversations.html: an index linking one page per conversation, a box per message."""
    folder = html[:-5]
    index, pages = [], {}
    for number, record in enumerate(records, 1):
        target = f"{folder}/thread_for_mailbox{100000 + number}_{200000 + number}.html"
        link = f'<a href="{escape(target)}">{escape(record.get("title", "Meta AI"))}</a>'
        index.append(page.box("", f'<table><tr><td colspan="2" class="_a6_q">Conversation<div>{link}</div></td></tr></table>',
                              record.get("timestamp")))
        boxes = [page.box("", f"<table>{_rows(page, group.get('dict') or [])}</table>")
                 for entry in record.get("label_values") or () for group in entry.get("vec") or ()]
        pages[target] = page.page(target, record.get("title", "Meta AI"), boxes)
    pages[html] = page.page(html, "AI conversations", index)
    return pages


def _zone_pages(twin: ExportTree, platform: str, generation: str, page: _Page) -> None:
    """What tells the reader the zone: timezone.html (2024+), a start_here stamp (2022-23)."""
    if platform != "facebook":
        return
    if generation == "section":
        path = "logged_information/location/timezone.html"
        twin.files[path] = page.page(path, "Time zone", [page.box("", f"<table>{_cell('Time zone', 'Europe/Copenhagen')}</table>")])
    elif generation == "div":
        stamp = ('<aside role="contentinfo" class="_aoaa">Generated by the owner on <time datetime="2024-08-19T14:33Z">'
                 'Monday, August 19, 2024 at 3:33 PM UTC+01:00</time></aside>')
        twin.files["start_here.html"] = page.page("start_here.html", "Your information", [], head_extra=stamp)
