"""One handler table per platform for JSON and HTML exports.

An HTML page gets the category of its JSON twin by the same path rules: `meta_table` makes every
`.json` rule of a platform's table match the `.html` page of the same name too, and wraps its
handler so that, for a page, the handler's record reader (meta_common.keyed_records /
thread_parts) reads the page through meta_html instead of the JSON file, with the export's clock
and the page family's shaper. The handler then asks for records as always and builds its items
with the same code, whichever format the member is.

What HTML cannot give is said, not hidden:

* a page whose JSON twin is in the export too stays in the inventory ("HTML twin of ..."): the
  JSON is read, so nothing counts twice;
* a handler that reads a JSON-only structure says "not itemised" with its reason (NotItemised);
* the zone the pages' wall-clock times were read in is a notice of the audit;
* a time string no rule reads is a problem row with the string; its item is kept without a date.
"""
from __future__ import annotations

import re
from contextvars import ContextVar
from dataclasses import dataclass, field
from itertools import chain
from typing import Any, Callable, Iterable, Iterator

from . import meta_html, meta_html_thread
from .archive import Member
from .common import verbatim_text
from .contract import Problem
from .handlers import Handler, HandlerTable, NotItemised, ParseContext, Rule
from .meta_html_time import (INSTAGRAM_ZONE, Clock, describe_offset, timezone, zone_from_stamp, zone_named)

#: a page family's shaper: the page's generic records -> records of the JSON twin's shape
Shaper = Callable[[Iterator[dict], ParseContext], Iterator[Any]]

HTML_SUFFIXES = (".html", ".htm")

#: unparsed time strings reported per member (the rest are counted in the last row)
BAD_TIMES_LISTED = 5


def is_html(path: str) -> bool:
    return path.lower().endswith(HTML_SUFFIXES)


@dataclass
class HtmlRead:
    """How the member being read is read: its platform's record conventions, clock and shaper."""

    platform: str
    ctx: ParseContext | None
    clock: Clock
    shaper: Shaper | None = None
    bad_times: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        #: text -> epoch seconds, with the `parts` entry the thread reader uses (meta_html_time.Clock.reader)
        self.read_time = self.clock.reader(self.bad_times.append)


_CURRENT: ContextVar[HtmlRead | None] = ContextVar("html_read", default=None)

_UTC_CLOCK = Clock(timezone.utc, "UTC (no export around the page to say otherwise)")


def _current(member: Member) -> HtmlRead:
    read = _CURRENT.get()
    if read is None:  # a page read outside a table run (tests, tools): UTC, Facebook conventions
        read = HtmlRead("instagram" if "instagram" in member.path else "facebook", None, _UTC_CLOCK)
    return read


# ---- what meta_common's readers call for an HTML member --------------------------------------------

def html_keyed_records(member: Member) -> Iterator[tuple[str, Any]]:
    """("", record) of every record of a page, shaped for the page family (keyed_records' contract)."""
    read = _current(member)
    options = meta_html.RecordOptions(read.platform, read.read_time)
    with member.open() as stream:
        found: Iterator[Any] = meta_html.records(stream, member.path, options)
        if read.shaper is not None and read.ctx is not None:
            found = read.shaper(found, read.ctx)
        for record in found:
            yield "", record


def html_thread_parts(member: Member) -> tuple[str, list[str], Iterable[Any]]:
    """(title, participants, messages) of a message_N.html page (thread_parts' contract): the page
    is read up to its first message, so the header boxes (title, participants) are known; the
    messages are then streamed."""
    read = _current(member)
    stream = member.open()
    thread = meta_html_thread.Thread(meta_html.Page(member.path))
    messages = meta_html_thread.thread_messages(stream, member.path, thread, read.read_time)

    def rest(first: list) -> Iterator[Any]:
        try:
            yield from first
            yield from messages
        finally:
            stream.close()

    try:
        first = [next(messages)]
    except StopIteration:
        first = []
    except BaseException:
        stream.close()
        raise
    return thread.title, thread.participants, rest(first)


# ---- the export's clock ----------------------------------------------------------------------------

def export_clock(ctx: ParseContext, platform: str) -> tuple[Clock, list[Problem]]:
    """The zone this export's HTML times are read in (once per export and platform), and the notice
    that says which, the first time."""
    clocks = ctx.account.extra.setdefault("html_clocks", {})
    key = f"{ctx.source.label}:{platform}"
    if key in clocks:
        return clocks[key], []
    clock = _instagram_clock() if platform == "instagram" else _facebook_clock(ctx)
    clocks[key] = clock
    notice = (f"The {platform.title()} HTML pages show times without a time zone; they were read as "
              f"{clock.assumed}. If that is not the zone the export was made in, times are off by the difference.")
    if notice not in ctx.account.notices:
        ctx.account.notices.append(notice)
    return clock, [Problem(ctx.source.label, "notice", notice)]


def _instagram_clock() -> Clock:
    return Clock(INSTAGRAM_ZONE, "UTC-08:00, the fixed clock Instagram's HTML pages were measured to use")


def _facebook_clock(ctx: ParseContext) -> Clock:
    members = sorted(ctx.source.members, key=lambda m: m.path.count("/"))
    zone_page = next((m for m in members if m.path.lower().endswith("location/timezone.html")), None)
    if zone_page is not None:
        name = _labelled(zone_page, ("time zone", "timezone", "zeitzone", "fuseau horaire", "zona horaria"))
        zone = zone_named(name) if name else None
        if zone is not None:
            return Clock(zone, f"{name} (from {zone_page.path})")
    start = next((m for m in members if m.name.lower() in ("start_here.html", "index.html")), None)
    if start is not None:
        try:
            with start.open() as stream:
                page, _records = meta_html.page_stamp(stream, start.path)
        except Exception:  # noqa: BLE001 - a broken entry page is read (and reported) by its own rule
            page = None
        if page is not None and page.stamp is not None:
            zone = zone_from_stamp(*page.stamp)
            if zone is not None:
                return Clock(zone, f"{describe_offset(zone)} (the offset of the generated-on time in {start.path})")
    return Clock(timezone.utc, "UTC, because the export names no zone (no timezone.html, no generated-on time)")


def _labelled(member: Member, labels: tuple[str, ...]) -> str:
    try:
        with member.open() as stream:
            _page, found = meta_html.page_stamp(stream, member.path)
    except Exception:  # noqa: BLE001 - see _facebook_clock
        return ""
    for record in found:
        for entry in record.get("label_values") or ():
            if str(entry.get("label", "")).strip().lower() in labels and entry.get("value"):
                return str(entry["value"]).strip()
    return ""


# ---- the table -------------------------------------------------------------------------------------

def _for_html(pattern: str) -> str:
    return pattern.replace(r"\.json", r"\.(?:json|html?)")


def both_formats(handler: Handler, platform: str, shapers: list[tuple[re.Pattern[str], Shaper]],
                 json_only: str = "") -> Handler:
    """`handler` for JSON members as it is; for an HTML page: ignored when its JSON twin is in the
    export, NotItemised when the handler reads a JSON-only structure (`json_only` is why), else the
    handler run with the page's reader, its clock and its family's shaper, then a problem per time
    string that could not be read."""
    def run(member: Member, ctx: ParseContext) -> Iterator[Any]:
        if not is_html(member.path):
            yield from handler(member, ctx)
            return
        twin = member.path.rsplit(".", 1)[0] + ".json"
        if ctx.source.get(twin) is not None:
            raise NotItemised(f"HTML twin of {twin}, which is read instead")
        if json_only:
            raise NotItemised(f"not itemised: {json_only}")
        clock, notices = export_clock(ctx, platform)
        yield from notices
        shaper = next((shape for regex, shape in shapers if regex.fullmatch(member.path)), None)
        read = HtmlRead(platform, ctx, clock, shaper)
        token = _CURRENT.set(read)
        plain = verbatim_text.set(True)
        try:
            yield from handler(member, ctx)
        finally:
            verbatim_text.reset(plain)
            _CURRENT.reset(token)
        yield from _bad_time_problems(member.path, read.bad_times)

    run.__name__ = getattr(handler, "__name__", "handler")
    run.__doc__ = handler.__doc__
    run.reads_html = True  # type: ignore[attr-defined]
    return run


def _bad_time_problems(path: str, bad: list[str]) -> Iterator[Problem]:
    distinct = list(dict.fromkeys(bad))
    for text in distinct[:BAD_TIMES_LISTED]:
        yield Problem(path, "unparsed_time", f"{path}: the time {text!r} could not be read; the item is kept "
                                             f"without a date")
    if len(distinct) > BAD_TIMES_LISTED:
        yield Problem(path, "unparsed_time", f"{path}: {len(distinct) - BAD_TIMES_LISTED} more time strings "
                                             f"could not be read; their items are kept without a date")


def meta_table(platform: str, rules: Iterable[Rule], html_rules: Iterable[Rule] = (), *,
               shapers: Iterable[tuple[str, Shaper]] = (),
               json_only: dict[str, str] | None = None) -> HandlerTable:
    """The platform's handler table for both formats (see the module docstring).

    `html_rules` (pages with no JSON twin: entry pages, index pages) go first; every rule of `rules`
    then matches the `.html` page of each `.json` name it matches; `shapers` (path pattern ->
    shaper, `.json` in the pattern matches `.html` too) give a page family the JSON twin's record
    shape; `json_only` maps a handler's name to the reason its pages are not itemised.
    """
    compiled = [(re.compile(_for_html(pattern), re.IGNORECASE), shaper) for pattern, shaper in shapers]
    json_only = json_only or {}
    out: list[Rule] = []
    for rule in chain(html_rules, rules):
        pattern = _for_html(rule.pattern)
        if rule.handler is None:
            out.append(rule if pattern == rule.pattern else Rule(pattern, None, rule.category, rule.reason))
            continue
        handler = rule.handler
        if not getattr(handler, "reads_html", False):
            handler = both_formats(handler, platform, compiled, json_only.get(getattr(handler, "__name__", ""), ""))
        out.append(Rule(pattern, handler, rule.category, rule.reason, first=rule.first))
    return HandlerTable(platform, out)


# ---- shapers shared by both platforms ----------------------------------------------------------------

def each(shape: Callable[[dict, ParseContext], Any]) -> Shaper:
    """A per-record shaper (None drops the record) as a page shaper."""
    def shaper(found: Iterator[dict], ctx: ParseContext) -> Iterator[Any]:
        for record in found:
            shaped = shape(record, ctx)
            if shaped is not None:
                yield shaped

    shaper.__doc__ = shape.__doc__
    return shaper


def linked_pages(record: dict) -> list[str]:
    """The export pages a record links to (index pages: a business, an AI conversation)."""
    pages = list(record.get("pages") or ())
    for entry in record.get("label_values") or ():
        href = entry.get("href") if isinstance(entry, dict) else None
        if isinstance(href, str) and href.lower().endswith(HTML_SUFFIXES) and "://" not in href:
            pages.append(href)
    return pages


def index_entry(record: dict, ctx: ParseContext) -> dict | None:
    """An index page's entry: dropped when a page it links to is in the export (that page is
    itemised); kept as one record when the page is missing (another part of a split export)."""
    if any(ctx.source.get(page) is not None for page in linked_pages(record)):
        return None
    return record


def conversation_page(found: Iterator[dict], ctx: ParseContext) -> Iterator[dict]:
    """A Meta AI conversation page (one box per message: Author/Sender, Message, time) -> one record
    `{title: "Meta AI", label_values: [{label: "Messages", vec: [{dict: [...]}, ...]}]}`, the
    shape of ai_conversations.json, so the platform's conversation reader reads both."""
    groups = []
    for record in found:
        entries = [dict(e) for e in record.get("label_values") or () if isinstance(e, dict) and "label" in e]
        if record.get("timestamp") is not None and not any("timestamp_value" in e for e in entries):
            entries.append({"label": "Time", "timestamp_value": record["timestamp"]})
        if entries:
            groups.append({"dict": entries})
    if groups:
        yield {"title": "Meta AI", "label_values": [{"label": "Messages", "vec": groups}]}
