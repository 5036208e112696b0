"""Incremental readers of Meta's HTML export pages, one per page family.

Every Facebook, Messenger and Instagram page of every generation is the same skeleton
(meta-html-format.md sections 1-5): a `[role=main]` container whose children are record boxes
(`div.uiBoxWhite` 2019-21, `div._a6-g` 2022-23 and Instagram, `section._a6-g` 2024+), each with a
title (`_a6-h` / `_2lel` / `h2`), a body (`_a6-p` / `_2let`) and a time (`_a6-o` / `_2lem`, text in
`_a72d`). The families differ in what the body holds:

* record boxes: text blocks (`_2pin`), media (`img`/`video`/`audio`), links;
* key/value tables: two-cell rows `Label | value` and stacked rows `Label<div>value</div>` whose value
  may be a list of nested boxes (`vec`) or titled boxes (`Owner`: a `dict`);
* message threads (`message_N.html`): sender, text, media, share, reactions (`ul._a6-q` / `ul._tqp`);
* index pages (off-Meta activity, AI conversation lists): boxes linking to other pages.

`page_boxes` feeds lxml's HTML push parser one chunk at a time and hands out the container's
children as soon as the parser has moved past them, deleting them afterwards: a 200 MB page is
never one tree. The readers turn boxes into records of the JSON twin's shape (label_values,
string_list_data, attachments / media, messages as in message_N.json), so the platform tables
build their items from JSON and HTML with the same code. Text is real UTF-8 with entities: it is
never put through the JSON mojibake repair.
"""
from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass, field
from typing import IO, Callable, Iterator

from lxml import etree

#: bytes fed to the parser per step: the tree never holds more than about this much page
CHUNK = 1 << 20

TimeReader = Callable[[str], "float | None"]


@dataclass
class Page:
    """What a page says besides its records: where its links point from, its title, its stamp."""

    path: str
    base: str = ""  # the folder (root-relative) that src/href are relative to; "" = export root
    title: str = ""
    heading: str = ""  # header h1 / thread title div
    stamp: tuple[str, str] | None = None  # generated-on <time datetime=...>text</time>
    loose: list[str] = field(default_factory=list)  # texts of the container's non-record children

    def resolve(self, ref: str) -> str:
        """A src/href as a root-relative member path ("" for external links and data URIs)."""
        if not ref or "://" in ref or ref.startswith(("data:", "#", "mailto:", "javascript:")):
            return ""
        if not self.base:
            return ref.lstrip("/")
        joined = posixpath.normpath(posixpath.join(self.base, ref))
        while joined.startswith("../"):  # never outside the export
            joined = joined[3:]
        return "" if joined in (".", "..") else joined


def _base_folder(path: str, href: str | None) -> str:
    folder = posixpath.dirname(path)
    if href is None:  # 2019-21 pages: no <base>; their links are root-relative as far as is known
        return ""
    joined = posixpath.normpath(posixpath.join(folder, href)) if folder or href else "."
    while joined.startswith("../"):
        joined = joined[3:]
    return "" if joined in (".", "..") else joined


_CONTAINER = etree.XPath("(//*[@role='main'])[1]")
_FIRST_BOX = etree.XPath("(//body//*[contains(@class,'_a6-g') or contains(@class,'uiBoxWhite') or @class='msg'])[1]")


def page_boxes(stream: IO[bytes], path: str, page: Page | None = None) -> Iterator[etree._Element]:
    """The children of a page's record container, each complete, in page order; then freed.

    The container is the `[role=main]` element, else the parent of the first record box. The
    `page` gets the head's facts (base, title, header stamp) as soon as the container is found.
    """
    page = page if page is not None else Page(path)
    parser = etree.HTMLPullParser(events=("start",), tag="body", encoding="utf-8", huge_tree=True)
    body = container = None
    while True:
        chunk = stream.read(CHUNK)
        if chunk:
            parser.feed(chunk)
        else:
            root = parser.close()
            if container is None and root is not None:
                container = _find_container(root)
                if container is not None:
                    read_head(root, page)
        if body is None:
            for _event, element in parser.read_events():
                body = element
        if container is None and body is not None and chunk:
            container = _find_container(body.getroottree())
            if container is not None:
                read_head(body.getroottree(), page)
        if container is not None:
            done = len(container) - (1 if chunk else 0)
            if done > 0:
                children = iter(container)  # element indexing walks siblings: iterate once instead
                finished = [next(children) for _ in range(done)]
                del children
                yield from finished
                del finished
                del container[:done]
        if not chunk:
            return


def _find_container(tree) -> etree._Element | None:
    found = _CONTAINER(tree)
    if found:
        return found[0]
    box = _FIRST_BOX(tree)
    return box[0].getparent() if box else None


def read_head(tree, page: Page) -> None:
    root = tree.getroot() if hasattr(tree, "getroot") else tree
    base = root.find(".//head/base")
    page.base = _base_folder(page.path, base.get("href") if base is not None else None)
    page.title = " ".join((root.findtext(".//head/title") or "").split())
    for heading in root.iterfind(".//header//h1"):
        page.heading = " ".join(all_text(heading).split())
        break
    else:
        for path in (".//*[@class='_a70e']", ".//*[@class='_3b0d']"):
            found = root.find(path)
            if found is not None:
                page.heading = " ".join(all_text(found).split())
                break
    stamp = root.find(".//aside//time")
    if stamp is not None:
        page.stamp = (stamp.get("datetime") or "", " ".join(all_text(stamp).split()))


# ---- what an element is -----------------------------------------------------------------------------

def all_text(element) -> str:
    """All the text inside an element (lxml.html's text_content, for plain etree elements)."""
    return "".join(element.itertext())


def is_box(element) -> bool:
    c = element.get("class")
    return c is not None and ("_a6-g" in c or "uiBoxWhite" in c)


def _is_title(c: str, tag: str) -> bool:
    return "_a6-h" in c or "_2lel" in c or "_2lek" in c or tag == "h2"


def _is_body(c: str) -> bool:
    return "_a6-p" in c or "_2let" in c


def _is_time(c: str) -> bool:
    return "_a6-o" in c or "_2lem" in c


def clean(text: str | None) -> str:
    """Whitespace as a reader sees it: lines kept (from <br>), spaces collapsed."""
    if not text:
        return ""
    if "\n" not in text:
        return " ".join(text.split())
    return "\n".join(" ".join(line.split()) for line in text.split("\n")).strip("\n")


def text_of(element) -> str:
    """The element's full text, <br> as a line break."""
    if element.find(".//br") is not None:
        for br in element.iter("br"):
            br.tail = "\n" + (br.tail or "")
    return clean(all_text(element))


#: what a table value or an undated box's last line must look like to be read as its time
_LOOKS_LIKE_TIME = re.compile(r"\d{1,2}[:h]\d{2}|^[^\W\d_]{3,}\.? \d{1,2},? \d{4}$|^\d{4}-\d{2}-\d{2}|^\d{1,2}[./]\d{1,2}[./]\d{4}")


# ---- record boxes and key/value tables -----------------------------------------------------------

@dataclass
class BoxParts:
    title: str = ""
    time: str | None = None  # None: the box has no time element
    body: etree._Element | None = None
    extra: list = field(default_factory=list)  # other children (reactions after the body, nested boxes)


def box_parts(box) -> BoxParts:
    parts = BoxParts()
    for child in box:
        c = child.get("class") or ""
        tag = child.tag
        if not parts.title and _is_title(c, tag) and parts.body is None:
            parts.title = clean(all_text(child))
        elif parts.body is None and _is_body(c):
            parts.body = child
        elif _is_time(c):
            parts.time = clean(all_text(child))
        elif tag == "table" and parts.body is None:
            parts.body = box  # a table straight in the box (Sept-2026 cards)
        else:
            parts.extra.append(child)
    return parts


def rows_of(table) -> list[dict]:
    """label_values entries of a key/value table (section 3.4): two-cell rows {label, value[, href]};
    stacked rows: {label, value} or, when the value is a list of nested boxes, {label, vec: [...]}
    (untitled boxes: their text) or {title, dict: [{dict: rows}]} (titled boxes such as Owner)."""
    entries: list[dict] = []
    for row in table.iter("tr"):
        if _inside_other_table(row, table):
            continue
        cells = [cell for cell in row if cell.tag in ("td", "th")]
        if len(cells) >= 2:
            entries.append(_value_entry(clean(all_text(cells[0])), cells[1]))
        elif len(cells) == 1:
            entries.extend(_stacked(cells[0]))
    return entries


def _inside_other_table(row, table) -> bool:
    parent = row.getparent()
    while parent is not None and parent is not table:
        if parent.tag == "table" or is_box(parent):
            return True
        parent = parent.getparent()
    return False


def _value_entry(label: str, cell) -> dict:
    link = cell.find(".//a[@href]")
    entry = {"label": label, "value": text_of(cell)}
    if link is not None:
        entry["href"] = link.get("href")
    return entry


def _stacked(cell) -> list[dict]:
    label = clean(cell.text)
    boxes = [d for d in cell.iter() if d is not cell and is_box(d) and not _has_box_ancestor(d, cell)]
    if not boxes:
        value = clean(" ".join(text_of(child) + " " + (child.tail or "") for child in cell))
        link = cell.find(".//a[@href]")
        entry = {"label": label, "value": value}
        if link is not None:
            entry["href"] = link.get("href")
        return [entry]
    titled = [(box_parts(b), b) for b in boxes]
    if all(parts.title for parts, _ in titled):
        return [{"title": parts.title, "dict": [{"dict": _box_entries(parts)}]} for parts, _ in titled]
    vec = []
    for parts, b in titled:  # a list: of values, or of label groups when the boxes hold tables
        if parts.body is not None and parts.body.find(".//table") is not None:
            vec.append({"dict": _box_entries(parts)})
        else:
            vec.append({"value": text_of(parts.body if parts.body is not None else b)})
    return [{"label": label, "vec": vec}]


def _has_box_ancestor(element, stop) -> bool:
    parent = element.getparent()
    while parent is not None and parent is not stop:
        if is_box(parent):
            return True
        parent = parent.getparent()
    return False


def _box_entries(parts: BoxParts) -> list[dict]:
    body = parts.body
    if body is None:
        return []
    entries: list[dict] = []
    for table in body.iter("table"):
        if not _inside_other_table(table, body):
            entries.extend(rows_of(table))
    if not entries:
        entries.append({"label": parts.title, "value": text_of(body)})
    return entries


@dataclass
class RecordOptions:
    """How generic records are shaped for one platform (the JSON twin's conventions)."""

    platform: str  # facebook: media as attachments[].data[].media.uri; instagram: media[].uri
    read_time: TimeReader


def box_record(box, page: Page, options: RecordOptions) -> dict | None:
    """One record box -> a record of the JSON shape: title, timestamp, text, label_values (tables),
    string_list_data (links), attachments/media (the members its media are), pages (local .html links).
    None for a box with neither title, body nor time (a layout box)."""
    parts = box_parts(box)
    if parts.body is None and not parts.title and parts.time is None:
        return None
    record: dict = {}
    if parts.title:
        record["title"] = record["name"] = parts.title
    entries: list[dict] = []
    texts: list[str] = []
    media: list[str] = []
    links: list[dict] = []
    pages: list[str] = []
    reaction = group = ""
    time_text = parts.time
    body = parts.body
    if body is not None:
        tables = [t for t in body.iter("table") if not _inside_other_table(t, body)]
        for table in tables:
            entries.extend(rows_of(table))
        for element in body.iter("img", "video", "audio", "a", "source"):
            if tables and _in_any(element, tables):
                continue
            ref = element.get("src") if element.tag != "a" else element.get("href")
            if not ref:
                continue
            local = page.resolve(ref)
            if element.tag == "a":
                if local.endswith((".html", ".htm")):
                    pages.append(local)
                elif local:
                    media.append(local)
                else:
                    text = clean(all_text(element))
                    links.append({"href": ref, **({"value": text} if text and text != ref else {})})
            elif local:
                media.append(local)
            elif element.tag == "img" and "/icons/" in ref or ref.endswith(".png") and "://" in ref:
                reaction = posixpath.splitext(posixpath.basename(ref.split("?")[0]))[0].replace("_", " ").title()
        if not tables:
            texts, group, time_text = _body_texts(body, time_text)
    if entries:
        record["label_values"] = entries
    text = "\n".join(t for t in texts if t)
    if text:
        record["text"] = text
    if group:
        record["group"] = group
    if reaction:
        record["reaction"] = reaction
    if media:
        media = list(dict.fromkeys(media))
        if options.platform == "instagram":
            record["media"] = [{"uri": uri} for uri in media]
        else:
            record["attachments"] = [{"data": [{"media": {"uri": uri}} for uri in media]}]
    if pages:
        record["pages"] = pages
    when = options.read_time(time_text) if time_text else None
    if when is None:
        when = _time_in_entries(entries, options.read_time)
    if links:
        for link in links:
            if when is not None:
                link["timestamp"] = when
        record["string_list_data"] = links
    record["timestamp"] = when
    return record


def _in_any(element, tables) -> bool:
    parent = element.getparent()
    while parent is not None:
        if any(parent is t for t in tables):
            return True
        parent = parent.getparent()
    return False


_UPDATED = re.compile(r"^(?:Updated|Aktualisiert|Opdateret|Bijgewerkt|Actualizado|Atualizado|Aggiornato) ")


def _body_texts(body, time_text: str | None) -> tuple[list[str], str, str | None]:
    """The texts of a body: `_2pin` blocks (FB), else the leaf blocks; a group-comment prefix
    (`span._a6_m` "Group: ") gives the group; an undated box's last leaf that reads as a time is
    its time (Instagram followers put the time in a plain div)."""
    group = ""
    blocks = [b for b in body.iter("div") if "_2pin" in (b.get("class") or "")] or None
    leaves = blocks if blocks is not None else [
        d for d in body.iter("div", "span", "p") if not len(d) or all(c.tag in ("a", "br", "span", "b", "i")
                                                                       for c in d)]
    texts: list[str] = []
    seen: set[int] = set()
    for leaf in leaves:
        if any(id(a) in seen for a in leaf.iterancestors()):
            continue
        seen.add(id(leaf))
        marker = next((s for s in leaf.iter("span") if "_a6_m" in (s.get("class") or "")), None)
        if marker is not None:
            holder = marker.getparent()
            group = clean((all_text(holder) or "")[len(all_text(marker) or ""):])
            rest = clean((holder.tail or "") + "".join(
                text_of(s) + (s.tail or "") for s in holder.itersiblings()))
            if rest:
                texts.append(rest)
            continue
        if leaf.find(".//img") is not None or leaf.find(".//video") is not None:
            continue
        text = text_of(leaf)
        if not text or _UPDATED.match(text):
            continue
        if leaf.find("a") is not None and len(leaf) == 1 and clean(all_text(leaf[0])) == text \
                and "://" in (leaf[0].get("href") or "") and blocks is None:
            continue  # a bare link (the follower's profile): it is the link's record, not text
        texts.append(text)
    if time_text is None and texts and _LOOKS_LIKE_TIME.search(texts[-1]) and len(texts[-1]) < 60:
        time_text = texts.pop()
    return texts, group, time_text


def _time_in_entries(entries: list[dict], read_time: TimeReader) -> float | None:
    """Table values labelled like a time (Time, Received on, Saved on, Last login ...) with a clock in
    them become `timestamp_value`s, as in JSON, in nested groups too; the first one at the top
    level is an undated record's time."""
    first = None
    for entry in entries:
        for nested in ("vec", "dict"):
            for group in entry.get(nested) or ():
                if isinstance(group, dict) and isinstance(group.get("dict"), list):
                    _time_in_entries(group["dict"], read_time)
        value = entry.get("value")
        label = str(entry.get("label") or "").lower()
        if isinstance(value, str) and value and _CLOCK.search(value) and len(value) < 60 and (
                any(word in label for word in _TIME_LABELS)):
            when = read_time(value)
            if when is not None:  # as in JSON: the time is the entry's value
                del entry["value"]
                entry["timestamp_value"] = when
                first = when if first is None else first
    return first


_CLOCK = re.compile(r"\d{1,2}[:h]\d{2}")  # a date without a clock (a birthday) is a value, not the record's time

#: label words of table cells that hold a record's time, in the languages of section 6.2
_TIME_LABELS = ("time", "date", "received", "created", "sent", "saved", "added", "login", "active", "viewed",
                "watched", "started", "updated", "zeit", "datum", "fecha", "hora", "data", "tijd",
                "heure", "tidspunkt", "tid", "ora", "czas")


def records(stream: IO[bytes], path: str, options: RecordOptions, page: Page | None = None) -> Iterator[dict]:
    """Every record of a record-box page, in page order (the family of most pages)."""
    page = page if page is not None else Page(path)
    for element in page_boxes(stream, path, page):
        if is_box(element):
            record = box_record(element, page, options)
            if record is not None:
                if "title" not in record and page.loose:
                    record["title"] = record["name"] = page.loose[-1]
                yield record
        else:
            text = clean(all_text(element))
            if text:
                page.loose.append(text)


def page_stamp(stream: IO[bytes], path: str) -> tuple[Page, list[dict]]:
    """A small page read whole: its Page facts and its generic records (start_here.html, timezone.html)."""
    page = Page(path)
    found = list(records(stream, path, RecordOptions("facebook", lambda text: None), page))
    return page, found
