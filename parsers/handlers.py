"""The handler-table mechanism every platform module uses.

A table is an ordered list of rules: member path pattern -> handler, or ignored with a reason.
The first rule that matches decides. A member no rule matches is listed as unknown; a handler
that raises marks its member failed with a problem row, and the scan goes on.
"""
from __future__ import annotations

import dataclasses
import io
import re
from dataclasses import dataclass, field
from typing import IO, TYPE_CHECKING, Callable, Iterable, Iterator, Union

import numpy as np

from .archive import MEDIA_EXTENSIONS, EncryptedMember, Member, Source, is_media  # noqa: F401 - media names re-exported

from .contract import AccountContext, ColumnBatch, Item, ItemBatch, ItemsBuilder, Problem
from .json_guard import JsonLimitExceeded, JsonScanner, guarded, is_json_path
from .rawio import InnerStream
from .member_checks import NOTHING_COUNTED, DateCheck, why_no_items

if TYPE_CHECKING:
    import pandas as pd

    from .parallel import RemoteMembers

#: A handler yields Items, Problems, or batches (many rows at once, from the hot readers: rows of a
#: Messenger page, columns of a WhatsApp chat).
HandlerResult = Iterator[Union[Item, ItemBatch, ColumnBatch, Problem]]
Handler = Callable[[Member, "ParseContext"], HandlerResult]


@dataclass(frozen=True)
class Rule:
    """path pattern (a regex, matched against the whole normalised member path) -> what to do."""

    pattern: str
    handler: Handler | None
    category: str | None = None
    reason: str = ""  # why ignored; for a handled rule, a note on the parsed row ("read generically")
    first: bool = False  # read before the others (account context: profile, privacy, jurisdiction)
    regex: re.Pattern[str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "regex", re.compile(self.pattern, re.IGNORECASE))


def handle(pattern: str, handler: Handler, category: str | None = None, *, first: bool = False) -> Rule:
    return Rule(pattern, handler, category, first=first)


def ignore(pattern: str, reason: str, category: str | None = None) -> Rule:
    return Rule(pattern, None, category, reason=reason)


def media_mask(paths: "pd.Series") -> "pd.Series":
    """Vectorised `is_media` over a column of member paths (for summaries over the files frame)."""
    extensions = paths.astype("string").str.rsplit(".", n=1).str[-1].str.lower()
    has_extension = paths.astype("string").str.rsplit("/", n=1).str[-1].str.contains(".", regex=False)
    return (has_extension & extensions.isin(MEDIA_EXTENSIONS)).fillna(False).astype(bool)


class HandlerTable:
    """An ordered rule list for one platform; reads like documentation of that export format."""

    def __init__(self, platform: str, rules: Iterable[Rule]) -> None:
        self.platform = platform
        self.rules = list(rules)

    def match(self, path: str) -> Rule | None:
        for rule in self.rules:
            if rule.regex.fullmatch(path):
                return rule
        return None


@dataclass
class ParseContext:
    """What a handler may use besides its member: the whole export and the account context."""

    source: Source
    account: AccountContext
    platform: str
    _suffix_index: dict[str, list[Member]] | None = field(default=None, repr=False)
    #: Parts of the member being read that are not JSON objects where objects belong (what -> count),
    #: told by readers that see records but not the member; `_run_member` gives them one problem row.
    damaged: dict[str, int] = field(default_factory=dict, repr=False)

    def not_objects(self, count: int, what: str = "records") -> None:
        if count:
            self.damaged[what] = self.damaged.get(what, 0) + count

    def member(self, uri: str) -> Member | None:
        """Resolve a media uri to its member, across parts, tolerating a stale root prefix.

        Exact path first; then the uri with leading folders removed one at a time (URIs written
        as `your_activity_across_facebook/...` or with the export's folder name in front); then a
        unique match on the file name's tail.
        """
        if not uri or "://" in uri:
            return None
        path = uri.replace("\\", "/").strip("/")
        found = self.source.get(path)
        if found is not None:
            return found
        parts = path.split("/")
        for start in range(1, len(parts)):
            found = self.source.get("/".join(parts[start:]))
            if found is not None:
                return found
        if self._suffix_index is None:
            index: dict[str, list[Member]] = {}
            for m in self.source.members:
                index.setdefault(m.name, []).append(m)
            self._suffix_index = index
        candidates = [m for m in self._suffix_index.get(parts[-1], ())
                      if m.path.endswith("/".join(parts[-2:]))]
        return candidates[0] if len(candidates) == 1 else None

    def media_bytes(self, uris: Iterable[str]) -> tuple[int, int]:
        """(count, bytes) of the media a record references; bytes 0 for media not in the export."""
        count = total = 0
        for uri in uris:
            count += 1
            found = self.member(uri)
            if found is not None:
                total += found.size
        return count, total


@dataclass
class TableRun:
    """What running a table over a source produced (plain data, no frames yet)."""

    file_rows: list[tuple] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    cancelled: bool = False


Progress = Callable[[int, int, int, int, str], None]


def run_table(
    table: HandlerTable,
    source: Source,
    account: AccountContext,
    items: ItemsBuilder,
    *,
    progress: Progress | None = None,
    cancelled: Callable[[], bool] | None = None,
    done_before: tuple[int, int] = (0, 0),
    totals: tuple[int, int] | None = None,
    remote: "RemoteMembers | None" = None,
) -> TableRun:
    """Run every member of `source` through `table`, adding items to `items`.

    Members matched by `first` rules run first (they fill the account context); then the rest in
    path order. Every member produces exactly one file row. With `remote`, the large members are
    parsed by worker processes (parsers/parallel.py) and merged here in the same order.
    """
    run = TableRun()
    context = ParseContext(source, account, table.platform)
    matched = [(member, table.match(member.path)) for member in source.members]
    matched.sort(key=lambda pair: (not (pair[1] is not None and pair[1].first), natural_key(pair[0].path)))
    files_done, bytes_done = done_before
    files_total, bytes_total = totals or (len(matched), sum(m.size for m, _ in matched))
    submitted = remote is None
    for index, (member, rule) in enumerate(matched):
        if not submitted and not (rule is not None and rule.first):
            remote.submit(matched[index:], account)  # the account context is settled now
            submitted = True
        if cancelled is not None and cancelled():
            run.cancelled = True
        else:
            counts = (files_done, files_total, bytes_done, bytes_total)
            if progress is not None:
                progress(*counts, member.path)
            try:
                run.file_rows.append(_read_member(table.platform, member, rule, context, items, run, remote,
                                                  progress, cancelled, counts))
                index += 1  # a member cancelled inside has its (partly read) row already
            except ScanCancelled:
                run.cancelled = True
        if run.cancelled:
            run.file_rows.extend(unread_row(m, table.platform, NOT_READ_CANCELLED) for m, _ in matched[index:])
            break
        files_done += 1
        bytes_done += member.size
    if progress is not None:
        progress(files_done, files_total, bytes_done, bytes_total, "")
    return run


#: The reason given for members a cancelled scan never reached (listed, not dropped).
NOT_READ_CANCELLED = "not read: the scan was cancelled before this file"

#: The reason given for the member a scan was cancelled inside: the items read up to there are kept.
PARTLY_READ = "partly read: the scan was cancelled after {percent}% of this file; the items before that point are kept"
_PARTLY_READ = re.compile(r"partly read: the scan was cancelled after (\d+)% of this file")


def partly_read_percent(reason: str) -> int | None:
    """How far a cancelled scan got into a member (from its files-frame reason), or None."""
    found = _PARTLY_READ.match(reason or "")
    return int(found.group(1)) if found else None


class NotItemised(Exception):
    """Raised by a handler for a member it keeps in the inventory without items: the file row
    says `status` ("ignored") with `reason` (an HTML page whose JSON twin is read, a page family
    no reader itemises), the rule's category stays, and no problem row is added."""

    def __init__(self, reason: str, status: str = "ignored") -> None:
        super().__init__(reason)
        self.reason, self.status = reason, status


class ScanCancelled(BaseException):
    """Raised from a member's stream when the scan is cancelled mid-member.

    A BaseException, not an Exception, so a handler's `except Exception` cannot swallow it and
    mark the member failed; `run_table` keeps the items the member yielded up to there.
    """


class UntilCancelled:
    """`iterable` until the scan is cancelled inside it, then a quiet end: a reader that collects
    before it yields (a chat's lines) still yields what it read. `reraise()` afterwards passes the
    cancel on, so the member is marked partly read and the scan stops."""

    def __init__(self, iterable: Iterable) -> None:
        self._inner = iter(iterable)
        self.cancelled: ScanCancelled | None = None

    def __iter__(self) -> "UntilCancelled":
        return self

    def __next__(self):
        if self.cancelled is not None:
            raise StopIteration
        try:
            return next(self._inner)
        except ScanCancelled as cancel:
            self.cancelled = cancel
            raise StopIteration from None

    def reraise(self) -> None:
        if self.cancelled is not None:
            raise self.cancelled


#: Uncompressed bytes read between two progress reports and cancel checks inside one member.
WATCH_EVERY = 1 << 20


class _Watch:
    """Reading one member, across every open() of it: report bytes every WATCH_EVERY and check cancel.

    The position reported is the furthest uncompressed offset any stream of the member reached, so
    a handler that peeks, seeks back or opens the member twice never moves the bar backwards.
    """

    __slots__ = ("progress", "cancelled", "counts", "path", "size", "furthest", "next_at")

    def __init__(self, progress: Progress | None, cancelled: Callable[[], bool] | None,
                 counts: tuple[int, int, int, int], member: Member) -> None:
        self.progress, self.cancelled, self.counts = progress, cancelled, counts
        self.path, self.size = member.path, member.size
        self.furthest, self.next_at = 0, WATCH_EVERY

    def reached(self, position: int, before: int, *, check: bool = True) -> None:
        """Called only when `position` >= next_at (the caller compares: one int test per read);
        `before` is where this read started. On a cancel the bytes of this read never reach the
        handler, so `furthest` is left at `before`: how far the items kept go.
        Without `check` only progress is reported (the bytes are read already and must not be lost)."""
        if check and self.cancelled is not None and self.cancelled():
            self.furthest = max(self.furthest, before)
            raise ScanCancelled(self.path)
        self.furthest = max(self.furthest, position)
        self.next_at = self.furthest + WATCH_EVERY
        if self.progress is not None:
            files_done, files_total, bytes_done, bytes_total = self.counts
            self.progress(files_done, files_total, bytes_done + min(self.furthest, self.size), bytes_total, self.path)


class _WatchedReader(InnerStream):
    """The member's real stream, seen through a raw reader that tells the watch how far it got.

    Wrapped in a BufferedReader by `_RunMember.open`, so handlers get every method of a binary
    file (read1, readline, iteration, peek, TextIOWrapper) and this class sees one call per 64 KiB.
    """

    def __init__(self, inner: IO[bytes], watch: _Watch) -> None:
        super().__init__(inner)
        self._watch, self._pos = watch, 0

    def seekable(self) -> bool:
        return self._inner.seekable()

    def readinto(self, buffer) -> int:  # type: ignore[override]
        n = self.read_inner(buffer)
        self._pos += n
        if self._pos >= self._watch.next_at:
            self._watch.reached(self._pos, self._pos - n)
        return n

    def readall(self) -> bytes:
        """`read()` of the whole rest in one call to the real stream (not 8 KiB at a time). A cancel
        is not acted on here: the whole file is in memory, so its items are kept; the next check stops."""
        data = self._inner.read()
        self._pos += len(data)
        if self._pos >= self._watch.next_at:
            self._watch.reached(self._pos, self._pos - len(data), check=False)
        return data

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        self._pos = self._inner.seek(offset, whence)
        return self._pos

    def tell(self) -> int:
        return self._pos


@dataclass(frozen=True, slots=True)
class _RunMember(Member):
    """The member as a handler sees it during run_table: same fields, open() watched and guarded.

    A JSON member's every stream passes the JSON limits (parsers/json_guard.py) before any parser
    sees it; the scanners are kept so the run can tell a limit that a handler's `except` swallowed.
    """

    watch: _Watch | None = field(default=None, repr=False, compare=False)
    scanners: list[JsonScanner] | None = field(default=None, repr=False, compare=False)
    notes: list[Problem] = field(default_factory=list, repr=False, compare=False)

    def open(self) -> IO[bytes]:
        stream = self.open_raw() if self.scanners is not None else Member.open(self)
        if self.watch is not None:
            stream = io.BufferedReader(_WatchedReader(stream, self.watch), 64 * 1024)
        if self.scanners is not None:
            scanner = JsonScanner()
            self.scanners.append(scanner)
            stream = guarded(stream, scanner)
        return stream

    def limit_reason(self) -> str | None:
        """The JSON limit one of this member's streams crossed, if any."""
        return next((s.reason for s in self.scanners or () if s.reason), None)


def not_objects_problem(path: str, count: int, what: str = "records") -> Problem:
    """The problem row of parts of a file a reader skipped because they are not JSON objects (damage)."""
    one = count == 1
    return Problem(path, "not_records", f"{count:,} {what[:-1] if one else what} of {path} "
                                        f"{'is' if one else 'are'} not a JSON object and {'was' if one else 'were'} not read")


def note(member: Member, problem: Problem) -> None:
    """A problem met by a reader below the handler (a shared record reader that cannot yield it):
    given with the member's file row, once."""
    if isinstance(member, _RunMember) and problem not in member.notes:
        member.notes.append(problem)


def _member_view(member: Member, progress: Progress | None, cancelled: Callable[[], bool] | None,
                 counts: tuple[int, int, int, int]) -> Member:
    """A view of `member` whose streams report progress, act on cancel and (JSON) pass the limits.

    Progress is watched only when somebody listens and the member is larger than one check
    interval (smaller ones never reach a check: most members of a Meta export).
    """
    watch = None
    if (progress is not None or cancelled is not None) and member.size >= WATCH_EVERY:
        watch = _Watch(progress, cancelled, counts, member)
    json = is_json_path(member.path)
    if watch is None and not json:
        return member  # (a chat text: no JSON limits, no notes)
    values = {f.name: getattr(member, f.name) for f in dataclasses.fields(Member)}
    return _RunMember(**values, watch=watch, scanners=[] if json else None)


def _read_member(platform: str, member: Member, rule: Rule | None, context: ParseContext, items: ItemsBuilder,
                 run: TableRun, remote: "RemoteMembers | None", progress: Progress | None,
                 cancelled: Callable[[], bool] | None, counts: tuple[int, int, int, int]) -> tuple:
    """One member's file row: from a worker process when one parsed it, else read here.

    A ScanCancelled inside the member keeps the items it yielded so far: the row says how far it
    got (PARTLY_READ) and `run.cancelled` is set."""
    if remote is not None and member.path in remote:
        row = remote.collect(member.path, items, run.problems, context.account, cancelled)
        if row is not None:
            return row
    view = _member_view(member, progress, cancelled, counts)
    items_before = len(items)
    try:
        return _run_member(platform, view, rule, context, items, run.problems)
    except ScanCancelled:
        run.cancelled = True
        watch = getattr(view, "watch", None)
        reached = watch.furthest if watch is not None else 0
        percent = min(99, 100 * reached // member.size) if member.size else 0
        return (member.path, platform, rule.category if rule is not None else None, "parsed",
                PARTLY_READ.format(percent=percent), member.size, member.compressed_size, member.part,
                len(items) - items_before)


def unread_row(member: Member, platform: str | None, reason: str, status: str = "ignored") -> tuple:
    """A files-frame row for a member that was listed but not read."""
    return (member.path, platform, None, status, reason, member.size, member.compressed_size, member.part, 0)


def _run_member(platform: str, member: Member, rule: Rule | None, context: ParseContext,
                items: ItemsBuilder, problems: list[Problem]) -> tuple:
    """One member through its rule: its file row; items and problems appended.

    Every way a member can go wrong ends here as a value: a handler that raises (or crosses a
    JSON limit, even one it swallowed) fails the member only; a non-empty JSON member that gave no
    items gets the verdict of parsers/member_checks.py (an empty category, or failed and why);
    items dated before the platform existed or in the future are kept and counted in one problem.
    """
    def row(status: str, reason: str, count: int = 0, category: str | None = None) -> tuple:
        return (member.path, platform, category, status, reason, member.size,
                member.compressed_size, member.part, count)

    def failed(reason: str, count: int, kind: str = "unreadable") -> tuple:
        problems.append(Problem(member.path, kind, f"{member.path} could not be read: {reason}"))
        return row("failed", reason, count, rule.category)

    if rule is None:
        return row("unknown", "not in the handler table for this export format")
    if rule.handler is None:
        return row("ignored", rule.reason, 0, rule.category)
    if member.size == 0:
        return row("ignored", "empty file (0 bytes): nothing to read", 0, rule.category)
    if not isinstance(member, _RunMember):  # a worker process's member: guarded all the same
        member = _member_view(member, None, None, (0, 0, 0, 0))
    count = 0
    context.damaged.clear()
    dates = DateCheck(platform)
    earliest, latest = dates.earliest, dates.latest
    try:
        for value in rule.handler(member, context):
            if isinstance(value, Problem):
                problems.append(value)
                continue
            if isinstance(value, ItemBatch):
                for stamp in [row[2] for row in value.rows if not earliest <= row[2] <= latest]:
                    if stamp == stamp:  # NaN: no date
                        dates.see(stamp)
                items.add_batch(platform, value, member.path)
                count += len(value)
                continue
            if isinstance(value, ColumnBatch):
                stamps = np.asarray(value.timestamp, dtype=np.float64)
                for stamp in stamps[(stamps < earliest) | (stamps > latest)].tolist():
                    dates.see(stamp)
                items.add_columns(platform, value, member.path)
                count += len(value)
                continue
            items.add(platform, value, member.path)
            count += 1
            stamp = value.timestamp
            if stamp is not None and not earliest <= stamp <= latest:
                dates.see(stamp)
    except NotItemised as kept:
        return row(kept.status, kept.reason, count, rule.category)
    except EncryptedMember as error:  # the listing has reported it already: one problem row, not two
        return row("failed", describe(error), count, rule.category)
    except JsonLimitExceeded as error:
        return failed(str(error), count, "over_limit")
    except Exception as error:  # noqa: BLE001 - any failure of one member is a value, not a crash
        limit = member.limit_reason() if isinstance(member, _RunMember) else None
        return failed(limit or describe(error), count, "over_limit" if limit else "unreadable")
    limit = member.limit_reason() if isinstance(member, _RunMember) else None
    if limit:  # a handler caught the limit's exception and went on: the member still fails
        return failed(limit, count, "over_limit")
    if isinstance(member, _RunMember):
        problems.extend(member.notes)
    for what, n in context.damaged.items():
        problems.append(not_objects_problem(member.path, n, what))
    context.damaged.clear()
    odd = dates.problem(member.path, platform)
    if odd is not None:
        problems.append(odd)
    if count == 0 and is_json_path(member.path):
        try:
            verdict = why_no_items(member)
        except Exception as error:  # noqa: BLE001 - a stream that breaks on the second read (damage)
            return failed(describe(error), 0)
        if verdict.failed:
            return failed(verdict.reason, 0, "no_records")
        if verdict.reason == NOTHING_COUNTED:  # records, none read: damage or a format this table lacks
            problems.append(Problem(member.path, "no_items", f"{member.path}: {verdict.reason}"))
        return row("parsed", "; ".join(filter(None, (rule.reason, verdict.reason))), 0, rule.category)
    return row("parsed", rule.reason, count, rule.category)  # e.g. "read generically"


def describe(error: BaseException) -> str:
    """A plain-words one-liner for a parse error."""
    name = type(error).__name__
    text = str(error).strip().splitlines()[0] if str(error).strip() else ""
    if "IncompleteJSON" in name:
        return f"the JSON ends early or is broken ({text})" if text else "the JSON ends early or is broken"
    if name == "JSONError":
        return f"not valid JSON ({text})"
    if isinstance(error, JsonLimitExceeded):
        return text
    if isinstance(error, UnicodeDecodeError):
        return "the file is not valid UTF-8 text"
    return f"{name}: {text}" if text else name


_DIGITS = re.compile(r"(\d+)")


def natural_key(path: str) -> tuple:
    """message_2.json before message_10.json."""
    return tuple(int(part) if part.isdigit() else part.lower() for part in _DIGITS.split(path))
