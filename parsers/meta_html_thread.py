"""Message threads (message_N.html) of Messenger and Instagram, read as fast as the page allows.

A thread page is one long run of message boxes (meta-html-format.md sections 4, 5.3), most of them
of one plain shape: a sender, one text block, a time. Building an lxml tree costs more than the
whole rest of the audit per message, so the page is read in two layers:

* a splitter walks the decoded page chunk by chunk and cuts it into the container's children (each
  box's extent found by counting its own tag's openings and closings);
* a box of the plain shape is read by one compiled pattern (`PLAIN`); every other box (media,
  shares, reactions, participants, unknown layouts) is parsed by lxml on its own, a few hundred
  bytes, and read by `_message` from its elements.

The head of the page up to the first box (base href, title, header, participants line) is parsed
by lxml too. Memory holds one chunk and one box at a time; text keeps its entities decoded
(html.unescape, as lxml would) and is never put through the JSON mojibake repair.
"""
from __future__ import annotations

import codecs
import re
from dataclasses import dataclass, field
from html import unescape
from typing import IO, Callable, Iterator

from lxml import etree

from .meta_html import CHUNK, Page, TimeReader, all_text, clean, read_head, text_of

# ---- thread header and message boxes (lxml) --------------------------------------------------------

_PARTICIPANTS = re.compile(r"^(?:Participants|Teilnehmer|Deltagere|Deelnemers|Participantes|Participants?|"
                           r"Partecipanti|Uczestnicy|Deltagare)\s*:\s*(.+)$")
_AND = re.compile(r",\s+|\s+(?:and|und|og|en|et|y|e|i|och)\s+")


@dataclass
class Thread:
    """A thread page's header: its title and the participants line, once the records begin."""

    page: Page
    participants: list[str] = field(default_factory=list)

    @property
    def title(self) -> str:
        heading = self.page.heading
        return self.page.title if not heading or participants_of(heading) else heading


def participants_of(text: str) -> list[str]:
    found = _PARTICIPANTS.match(text)
    return [name for name in _AND.split(found.group(1).strip()) if name] if found else []


def _media_key(element_tag: str, uri: str) -> str:
    folder = uri.rsplit("/", 2)[-2] if uri.count("/") >= 1 else ""
    if folder == "audio" or element_tag == "audio":
        return "audio_files"
    if folder == "gifs":
        return "gifs"
    if folder == "files":
        return "files"
    if element_tag == "video" or folder == "videos":
        return "videos"
    return "photos"


def _time_child(element):
    for child in element:
        c = child.get("class")
        if c is not None and ("_a6-o" in c or "_2lem" in c or "_a72d" in c or c == "time"):
            return child
    return None


def _message(box, resolve: Callable[[str], str], read_time: TimeReader) -> dict:
    """One message box: sender (title), body parts (text, media, share, reactions), time."""
    sender = when = body = None
    reactions = None
    loose = None
    for child in box:
        c = child.get("class") or ""
        if "_a6-o" in c or "_2lem" in c or "_a72d" in c or c == "time":
            when = all_text(child)
        elif "_a6-h" in c or "_2lel" in c or "_2lek" in c or c == "sender":
            sender = all_text(child)
        elif "_a6-p" in c or "_2let" in c or c == "body":
            body = child
        elif len(child) and child[0].tag == "ul":
            reactions = child[0]
        elif c == "media":  # class-light layouts put media beside the body
            loose = (loose or []) + [child]
    message: dict = {"sender_name": " ".join(sender.split()) if sender else "",
                     "timestamp_ms": read_time(" ".join(when.split())) if when else None}
    if body is not None or loose:
        wrapper = (body[0] if len(body) == 1 and body[0].tag == "div" else body) if body is not None else ()
        texts = None
        for part in list(wrapper) + (loose or []) if loose else wrapper:
            if not len(part):
                if part.text and not part.text.isspace():
                    texts = (texts or []) + [part.text]
                continue
            first = part[0]
            if first.tag == "ul":
                reactions = first
                continue
            found = False
            for element in part.iter("img", "video", "audio", "a"):
                ref = element.get("href") if element.tag == "a" else element.get("src")
                local = resolve(ref) if ref else ""
                if local:
                    if element.tag == "a" and element.getparent().tag in ("video", "audio"):
                        continue
                    key = _media_key(element.tag, local)
                    entries = message.setdefault(key, [])
                    if not entries or entries[-1]["uri"] != local:
                        entries.append({"uri": local})
                    found = True
                elif ref and "://" in ref and element.tag == "a":
                    caption = [clean(d.text) for d in part.iter("div") if not len(d) and d.text
                               and d.text.strip() and d.text.strip() != ref]
                    message["share"] = {"link": ref, **({"share_text": caption[0]} if caption else {})}
                    found = True
            if not found:
                text = text_of(part)
                if text:
                    texts = (texts or []) + [text]
        if texts:
            message["content"] = clean("\n".join(texts))
    if reactions is not None:
        message["reactions"] = [_reaction(li, read_time) for li in reactions.iter("li")]
    return message


def _reaction_text(text: str) -> dict:
    """`❤Test User`, `❤ Test User`: the emoji, then the reactor's name."""
    text = clean(text)
    split = next((i for i, ch in enumerate(text) if ch.isalnum()), len(text))
    return {"reaction": text[:split].strip(), "actor": text[split:].strip()}


def _reaction(li, read_time: TimeReader) -> dict:
    """`❤Test User`, `❤ Test User`, `❤️name<span> (Sep 07, 2025 10:05 am)</span>`."""
    when = None
    timed = li.find(".//span/span")
    if timed is not None:
        when = read_time(clean(all_text(timed)).strip("()"))
        text = clean(all_text(li).replace(all_text(timed), ""))
    else:
        text = clean(all_text(li))
    split = next((i for i, ch in enumerate(text) if ch.isalnum()), len(text))
    reaction = {"reaction": text[:split].strip(), "actor": text[split:].strip()}
    if when is not None:
        reaction["timestamp"] = when
    return reaction




# ---- the splitter -----------------------------------------------------------------------------------

#: the start tag of a record box (the container's children): Meta's box classes, msgvault's "msg"
_BOX_START = re.compile(r'<(section|div)\s[^>]*?class="(?:[^"]*\s)?(?:_a6-g|uiBoxWhite|msg)(?:\s[^"]*)?"[^>]*>')
_TAGS = {"section": re.compile(r"<(/?)section\b"), "div": re.compile(r"<(/?)div\b")}
_SPACE = re.compile(r"\s*")

#: the plain message box of every generation: sender, one text block (no markup), time (its parts
#: when it is of the common English shape, else its text), optionally a list of simple reactions.
#: The one-part shapes of a photo, a video or an audio message (one media element) match too.
#: Tried only where a box of the container starts (the splitter is past the page head), so the
#: classes are not tested again: the nesting is the shape.
PLAIN = re.compile(
    r'<(section|div) class="[^"]*"[^>]*>'
    r'<(?:h2|div) class="[^"]*"[^>]*>(?P<sender>[^<]*)</(?:h2|div)>'
    r'<div class="[^"]*"><div>(?:<div></div>)?(?:<div>(?P<text>[^<]*)</div>|<div>(?:<div>){0,3}'
    r'(?:<a target="_blank" href="[^"]*">)?<(?P<tag>img|video|audio) src="(?P<src>[^"]*)"[^>]*>'
    r'(?(tag)(?:(?:<a [^>]*>(?:<div>)?[^<]*(?:</div>)?</a>)?</(?:video|audio)>)?)(?:</a>)?(?:</div>){0,3}</div>)'
    r'(?:<div></div>)*'
    r'(?:<div><ul class="[^"]*"><li>(?:<span>)?(?P<reaction>[^<]*)(?:</span>)?</li></ul></div>)?</div></div>'
    r'<(?:footer|div) class="[^"]*">(?P<inner><div class="_a72d">)?'
    r'(?:(?P<mon>[A-Za-z]{3})[a-z]*\.? (?P<day>\d{1,2}),? (?P<year>\d{4}),?(?: at)? (?P<hour>\d{1,2}):(?P<minute>\d{2})'
    r'(?::(?P<second>\d{2}))? ?(?P<half>[AaPp])\.?[Mm]\.?|(?P<when>[^<]*))'
    r'(?(inner)</div>)</(?:footer|div)></\1>')
#: the page head kept for its facts (base, title, participants) when no box follows it for long
MAX_HEAD = 4 << 20
#: a box longer than this is a damaged page, not a message (a real one is a few hundred bytes)
MAX_BOX = 32 << 20

_FRAGMENT_PARSER = etree.HTMLParser(encoding="utf-8", huge_tree=True, remove_comments=True)


def _box_end(buffer: str, start: int, tag: str) -> int | None:
    """The index just after the box starting at `start` closes; None when the buffer ends first."""
    depth = 0
    for found in _TAGS[tag].finditer(buffer, start):
        if found.group(1):
            depth -= 1
            if depth == 0:
                close = buffer.find(">", found.end())
                return None if close < 0 else close + 1
        else:
            depth += 1
    return None


def _boxes(stream: IO[bytes], page: Page) -> Iterator[str | re.Match[str]]:
    """The record boxes of a thread page, in order: a PLAIN match, or the box's markup as a string.
    The head before the first box fills `page` (participants lines found there go to page.loose)."""
    decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
    buffer, eof = "", False

    def read() -> str:
        nonlocal eof
        chunk = stream.read(CHUNK)
        eof = not chunk
        return decoder.decode(chunk, final=eof)

    head = ""
    while True:
        first = _BOX_START.search(buffer)
        if first is not None:
            break
        if eof:
            _head(head + buffer, page)
            return
        if len(buffer) > MAX_HEAD:  # no box yet: keep the head's start for its facts, not the whole page
            head, buffer = head or buffer[:MAX_HEAD], buffer[-65536:]
        buffer += read()
    _head(head + buffer[:first.start()], page)
    pos = first.start()
    while True:
        if not eof and len(buffer) - pos < 65536:
            buffer = buffer[pos:] + read()
            pos = 0
        plain = PLAIN.match(buffer, pos)
        if plain is not None:
            pos = plain.end()
            yield plain
            continue
        if buffer[pos:pos + 1].isspace():
            pos = _SPACE.match(buffer, pos).end()
            continue
        start = _BOX_START.match(buffer, pos)
        if start is None:  # not a box here: the container's end, or markup between boxes
            following = _BOX_START.search(buffer, pos)
            while following is None and not eof:
                buffer = buffer[pos:] + read()
                pos = 0
                following = _BOX_START.search(buffer, pos)
            if following is None:
                return  # the container's boxes are over (its closing tags, the page's end)
            pos = following.start()
            continue
        end = _box_end(buffer, pos, start.group(1))
        while end is None and not eof:  # a box longer than what is read yet
            if len(buffer) - pos > MAX_BOX:
                raise ValueError(f"a message box longer than {MAX_BOX // (1 << 20)} MB: the page is damaged")
            buffer = buffer[pos:] + read()
            pos = 0
            end = _box_end(buffer, pos, start.group(1))
        if end is None:
            yield buffer[pos:]
            return
        yield buffer[pos:end]
        pos = end


def _head(markup: str, page: Page) -> None:
    if not markup.strip():
        return
    root = etree.fromstring(markup.encode("utf-8"), _FRAGMENT_PARSER)
    if root is None:
        return
    read_head(root.getroottree(), page)
    for element in root.iter():
        text = clean(element.text or "")
        if text and participants_of(text):
            page.loose.append(text)


#: boxes of the other shapes parsed by one lxml call (a parser set up per box costs more than the box)
BATCH = 256


def thread_messages(stream: IO[bytes], path: str, thread: Thread, read_time: TimeReader) -> Iterator[dict]:
    """The messages of a message_N.html page as message_N.json messages: sender_name,
    timestamp_ms (here: seconds, which to_epoch_seconds tells apart), content, photos / videos /
    audio_files / gifs / files [{uri}], share {link, share_text}, reactions [{reaction, actor,
    timestamp}]. Boxes without a time are header boxes (participants); page order kept (newest
    first, as in the JSON files). Boxes not of the plain shape are parsed BATCH at a time, their
    messages given out in page order with the plain ones between them."""
    page = thread.page
    clock_parts = getattr(read_time, "parts", None) or _parts_via(read_time)
    pending: list = []  # plain messages (dicts) and box markups (str), in page order
    markups = 0
    for box in _boxes(stream, page):
        if not thread.participants and page.loose:
            thread.participants = participants_of(page.loose[0])
        if isinstance(box, str):
            pending.append(box)
            markups += 1
            if markups >= BATCH:
                yield from _flush(pending, thread, read_time)
                pending, markups = [], 0
            continue
        _box, sender, text, tag, src, reaction, _inner, month, day, year, hour, minute, second, half, when = box.groups()
        message = {"sender_name": unescape(sender) if "&" in sender else sender,
                   "timestamp_ms": (clock_parts(month, day, year, hour, minute, second, half) if month
                                    else read_time(when.strip()) if when else None)}
        if text and not text.isspace():
            message["content"] = (unescape(text) if "&" in text else text).strip()
        if src:
            uri = page.resolve(unescape(src) if "&" in src else src)
            if uri:
                message[_media_key(tag, uri)] = [{"uri": uri}]
        if reaction:
            message["reactions"] = [_reaction_text(unescape(reaction) if "&" in reaction else reaction)]
        if markups:
            pending.append(message)
        else:
            yield message
    yield from _flush(pending, thread, read_time)


def _parts_via(read_time: TimeReader) -> Callable[..., "float | None"]:
    """For a time reader without a parts entry: rebuild the text (tests, other clocks)."""
    def parts(month, day, year, hour, minute, second, half):
        return read_time(f"{month} {day}, {year} {hour}:{minute}{':' + second if second else ''} {half}m")
    return parts


def _flush(pending: list, thread: Thread, read_time: TimeReader) -> Iterator[dict]:
    markups = [entry for entry in pending if isinstance(entry, str)]
    elements = _parse_boxes(markups)
    parsed = iter(elements)
    for entry in pending:
        if isinstance(entry, dict):
            yield entry
        else:
            yield from _box_messages(next(parsed), thread, read_time)


def _parse_boxes(markups: list[str]) -> list:
    """The box elements of `markups`, parsed together; one by one when the joined parse does not
    give one element per box (markup the parser had to repair across box boundaries)."""
    if not markups:
        return []
    root = etree.fromstring(("<html><body>" + "".join(markups) + "</body></html>").encode("utf-8"), _FRAGMENT_PARSER)
    body = root.find("body") if root is not None else None
    if body is not None and len(body) == len(markups):
        return list(body)
    elements = []
    for markup in markups:
        one = etree.fromstring(markup.encode("utf-8"), _FRAGMENT_PARSER)
        body = one.find("body") if one is not None else None
        elements.append(body[0] if body is not None and len(body) else None)
    return elements


def _box_messages(element, thread: Thread, read_time: TimeReader) -> Iterator[dict]:
    """A box not of the plain shape: one message, the messages inside it, or the participants line."""
    if element is None:
        return
    resolve = thread.page.resolve
    if _time_child(element) is not None:
        yield _message(element, resolve, read_time)
        return
    inner = [child for child in element if _time_child(child) is not None]
    if inner:  # class-light pages: one box holding every message (msgvault's samples)
        for child in inner:
            yield _message(child, resolve, read_time)
        return
    names = participants_of(clean(all_text(element)))
    if not names:
        for child in element.iter():
            names = participants_of(clean(child.text or ""))
            if names:
                break
    if names:
        thread.participants = names
