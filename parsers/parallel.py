"""Parse the large members of one export in worker processes, merged as a serial scan would.

A message-heavy export is many independent files (Messenger writes a thread as message_1.json ..
message_N.json of about 3 MB each), so on a machine with more than one core the large members are
handed to a process pool. Each worker lists the export itself (the inputs are paths, nothing is
copied or extracted) and parses one member with the same handler table and `_run_member` as the
serial path, from a copy of the account context as it stood after the `first` rules. The scan's
own process parses the small members meanwhile and merges every member's rows in path order, so
the items frame, the files frame and the problems are identical to a serial scan.

It is used only when it pays (`MIN_MEMBER_SIZE`, `MIN_POOL_BYTES`, more than one core); `jobs=1`
turns it off.

Listing an export of 100,000 members costs each process seconds, so a worker does not list it
unless it must: the scan ships each worker the export's member index once (paths and sizes, what
handlers look up for media) and each member's bytes as read by the scan's own guarded stream
(members up to SHIP_LIMIT, a few at a time). A handler that opens another member than its own
raises `_NeedsExport` in the worker, which then lists the export itself and reads the member again
from it, so the result never depends on which way was taken.
"""
from __future__ import annotations

import copy
import io
import os
from dataclasses import fields
from functools import partial
from typing import IO, TYPE_CHECKING, Any, Callable, Iterable

from .contract import AccountContext, ItemsBuilder, Problem
from .limits import MiB

# multiprocessing and concurrent.futures are imported when a pool starts (not by every scan: they
# cost a CLI start ~25 ms)
if TYPE_CHECKING:
    from concurrent.futures import Future, ProcessPoolExecutor

    from .archive import Member, Source
    from .detect import Detection
    from .handlers import Rule

#: Members smaller than this are parsed in the scan's own process (a round trip costs more).
MIN_MEMBER_SIZE = 1 * MiB
#: The pool starts only when the large members of one export hold at least this many bytes.
MIN_POOL_BYTES = 16 * MiB
#: How often a wait for a worker checks for Cancel (seconds).
CANCEL_POLL = 0.1
#: Members up to this size are read by the scan and shipped to a worker as bytes (see above).
SHIP_LIMIT = 64 * MiB
#: Shipped members in flight per worker: enough to keep it busy, few enough to bound memory.
SHIPPED_PER_WORKER = 2
#: Modules the fork server imports once, so each worker starts without importing pandas again.
PRELOAD = ["parsers.scan", "parsers.facebook", "parsers.instagram", "parsers.whatsapp"]


def default_jobs() -> int:
    """The cores this process may use (affinity-aware), at most four: past that, reading the export
    from one disk is the limit, and every worker holds its own interpreter."""
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cores = os.cpu_count() or 1
    return max(1, min(cores, 4))


# ---- worker side --------------------------------------------------------------------------------

_worker_sources: list["Source"] | None = None
_worker_paths: list[str] = []
_worker_index: list["Source"] = []


class _NeedsExport(BaseException):
    """A handler in a worker opened a member that was not shipped: the worker lists the export.
    A BaseException, so the runner's `except Exception` does not mark the member failed."""


def _unavailable() -> IO[bytes]:
    raise _NeedsExport()


def _start_worker(paths: list[str], index: list[tuple]) -> None:
    global _worker_paths, _worker_index
    import gc

    from .scan import SCAN_WITHOUT_GC

    if SCAN_WITHOUT_GC:  # a worker only parses members (see scan.SCAN_WITHOUT_GC)
        gc.disable()
    _worker_paths = paths
    _worker_index = [_index_source(entry) for entry in index]


def _listed_sources() -> list["Source"]:
    """The export as the scan lists it, listed in this worker on first need."""
    global _worker_sources
    if _worker_sources is None:
        from multiprocessing.util import Finalize

        from .archive import SPILL
        from .scan import open_exports

        _worker_sources = open_exports(_worker_paths)  # the same Sources, in the same order, as the scan's own
        Finalize(SPILL, SPILL.release, exitpriority=10)  # a worker's inner-zip temp file goes when it exits
    return _worker_sources


def _source_index(source: "Source") -> tuple:
    """What a worker needs of a Source to parse a shipped member: label, parts and every member's
    path and sizes (handlers look media up by path; nothing of them is read)."""
    return (source.label, source.parts, source.root,
            [(m.path, m.size, m.compressed_size, m.part) for m in source.members])


def _index_source(entry: tuple) -> "Source":
    from .archive import Member, Source

    label, parts, root, members = entry
    return Source(label, parts, [Member(path, size, csize, part, _unavailable) for path, size, csize, part in members],
                  root=root)


def _parse_member(source_index: int, path: str, detection: "Detection", platform: str,
                  account: AccountContext, data: bytes | None = None
                  ) -> tuple[tuple, list[Problem], dict[str, Any], AccountContext, bool]:
    """One member, in a worker: its file row, problems, item columns, the account afterwards, and
    whether it turned out damaged (a bad checksum, cut off: the audit is then incomplete).
    `data` is the member's bytes when the scan shipped them; else the worker reads it from the export."""
    from .archive import Member
    from .scan import table_for

    table = table_for(detection)
    if data is not None:
        source = _worker_index[source_index]
        listed = source.get(path)
        if listed is not None:
            member = Member(listed.path, listed.size, listed.compressed_size, listed.part, partial(io.BytesIO, data))
            before = copy.deepcopy(account)
            try:
                return _parse_in(source, member, table, platform, account) + (False,)
            except _NeedsExport:
                account = before
    source = _listed_sources()[source_index]
    member = source.get(path)
    if member is None:  # the listing differs from the scan's own: cannot happen for unchanged inputs
        raise RuntimeError(f"{path} is not in the export any more (was it changed during the scan?)")
    return _parse_in(source, member, table, platform, account) + (path in source.damage.cut,)


def _parse_in(source: "Source", member: "Member", table: Any, platform: str,
              account: AccountContext) -> tuple[tuple, list[Problem], dict[str, Any], AccountContext]:
    from .handlers import ParseContext, _run_member

    items, problems = ItemsBuilder(), []
    row = _run_member(platform, member, table.match(member.path), ParseContext(source, account, platform), items,
                      problems)
    return row, problems, items.columns(), account


# ---- scan side ----------------------------------------------------------------------------------

class MemberPool:
    """The scan's handle on the worker processes; started on first use, closed with the scan."""

    def __init__(self, paths: list[str], jobs: int, sources: list["Source"] | None = None) -> None:
        self.paths = paths
        self.jobs = jobs
        self.sources = sources or []  # the scan's listing: its index is shipped to each worker
        self._executor: ProcessPoolExecutor | None = None

    def __enter__(self) -> "MemberPool":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self, *, now: bool = False) -> None:
        if self._executor is None:
            return
        if now:  # cancelled: do not wait for members nobody needs any more
            for process in list(getattr(self._executor, "_processes", {}).values()):
                process.terminate()
        self._executor.shutdown(wait=not now, cancel_futures=True)
        self._executor = None

    def warm(self) -> None:
        """Start the fork server now (it imports pandas and the readers once, about a second) when the
        inputs are large enough that the pool may pay, so that happens while the scan lists them."""
        if self.jobs < 2 or self._executor is not None:
            return
        size = 0
        for path in self.paths:
            try:
                size += os.stat(path).st_size
            except OSError:
                continue
        if size < MIN_POOL_BYTES:
            return
        import multiprocessing
        from multiprocessing import forkserver

        multiprocessing.get_context("forkserver").set_forkserver_preload(PRELOAD)
        try:
            forkserver.ensure_running()
        except Exception:  # noqa: BLE001 - the pool starts it again when it is needed (or reads here)
            pass

    def _pool(self) -> ProcessPoolExecutor:
        if self._executor is None:
            import multiprocessing
            from concurrent.futures import ProcessPoolExecutor

            context = multiprocessing.get_context("forkserver")
            context.set_forkserver_preload(PRELOAD)
            index = [_source_index(source) for source in self.sources]
            self._executor = ProcessPoolExecutor(self.jobs, mp_context=context, initializer=_start_worker,
                                                 initargs=(self.paths, index))
        return self._executor

    def for_source(self, source_index: int, detection: "Detection", platform: str) -> "RemoteMembers":
        return RemoteMembers(self, source_index, detection, platform)


class RemoteMembers:
    """The members of one source that workers parse; `run_table` asks it for their results."""

    def __init__(self, pool: MemberPool, source_index: int, detection: "Detection", platform: str) -> None:
        self.pool = pool
        self.source_index = source_index
        self.detection = detection
        self.platform = platform
        self._futures: dict[str, Future] = {}
        self._shipped: list["Member"] = []  # members to ship as bytes, in the order they are collected
        self._planned: set[str] = set()  # every member a worker parses (shipped or not yet)
        self._unshipped: set[str] = set()  # members a worker reads from the export itself (past SHIP_LIMIT)
        self._before: AccountContext | None = None
        self.damaged: set[str] = set()  # members a worker found damaged (the scan adds them to the Source's damage)

    def submit(self, matched: Iterable[tuple["Member", "Rule | None"]], account: AccountContext) -> None:
        """Hand the large members to the workers, if there are enough of them to pay.

        Members the scan ships as bytes go out a few at a time (`_top_up`, as results are
        collected), so only those in flight are held in memory; larger ones are all submitted now."""
        large = [m for m, rule in matched if rule is not None and rule.handler is not None
                 and m.size >= MIN_MEMBER_SIZE]
        if self.pool.jobs < 2 or len(large) < 2 or sum(m.size for m in large) < MIN_POOL_BYTES:
            return
        self._before = copy.deepcopy(account)
        self._shipped = [m for m in large if m.size <= SHIP_LIMIT]
        self._planned = {m.path for m in large}
        self._unshipped = {m.path for m in large if m.size > SHIP_LIMIT}
        executor = self.pool._pool()
        for member in large:
            if member.size > SHIP_LIMIT:
                self._futures[member.path] = executor.submit(_parse_member, self.source_index, member.path,
                                                             self.detection, self.platform, self._before)
        self._top_up()

    def _top_up(self) -> None:
        """Keep SHIPPED_PER_WORKER shipped members per worker in flight."""
        executor = self.pool._pool()
        while self._shipped and self._in_flight() < self.pool.jobs * SHIPPED_PER_WORKER:
            member = self._shipped.pop(0)
            try:
                with member.open() as stream:
                    data = stream.read()
            except Exception:  # noqa: BLE001 - damaged, over a limit ...: the scan reads it itself and says so
                self._planned.discard(member.path)
                continue
            self._futures[member.path] = executor.submit(_parse_member, self.source_index, member.path,
                                                         self.detection, self.platform, self._before, data)

    def _in_flight(self) -> int:
        """Shipped members submitted and not collected yet (their bytes or results are held)."""
        return sum(1 for path in self._futures if path not in self._unshipped)

    def __contains__(self, path: str) -> bool:
        return path in self._planned

    def collect(self, path: str, items: ItemsBuilder, problems: list[Problem], account: AccountContext,
                cancelled: Callable[[], bool] | None) -> tuple | None:
        """Wait for one member's result and merge it as if it had been parsed here; its file row.

        None when the worker could not deliver (a worker killed by the system, a result that does
        not pickle): the caller then parses the member itself, so a pool failure costs time only.
        """
        from concurrent.futures import TimeoutError as FutureTimeout

        from .handlers import ScanCancelled

        self._planned.discard(path)
        while path not in self._futures:  # a shipped member not sent yet (members are collected in order)
            if not self._shipped:
                return None
            before = len(self._futures)
            self._top_up()
            if len(self._futures) == before and path not in self._futures:
                return None
        future = self._futures.pop(path)
        while True:
            if cancelled is not None and cancelled():
                self.pool.close(now=True)
                raise ScanCancelled()
            try:
                row, found, columns, after, damaged = future.result(timeout=CANCEL_POLL)
                break
            except FutureTimeout:
                continue
            except Exception:  # noqa: BLE001 - BrokenProcessPool, PicklingError ...: parse it here instead
                return None
            finally:
                if self._shipped:
                    try:
                        self._top_up()
                    except Exception:  # noqa: BLE001 - a broken pool: the members are read here instead
                        self._shipped.clear()
        items.extend_columns(columns)
        problems.extend(found)
        if damaged:
            self.damaged.add(path)
        assert self._before is not None
        merge_account(account, self._before, after)
        return row


def merge_account(target: AccountContext, before: AccountContext, after: AccountContext) -> None:
    """Apply what one worker's handler changed in its copy (`before` -> `after`) to the scan's
    account: sets gain the new members, lists the appended tail, dicts the new or changed keys,
    other fields the new value. Handlers only add to the context, so this is what a serial scan
    would hold."""
    for spec in fields(AccountContext):
        name = spec.name
        setattr(target, name, _merged(getattr(target, name), getattr(before, name), getattr(after, name)))


def _merged(target: Any, before: Any, after: Any) -> Any:
    if isinstance(after, set) and isinstance(target, set):
        target |= after - (before if isinstance(before, set) else set())
        return target
    if isinstance(after, list) and isinstance(target, list):
        tail = after[len(before):] if isinstance(before, list) else after
        target.extend(tail)
        return target
    if isinstance(after, dict) and isinstance(target, dict):
        before = before if isinstance(before, dict) else {}
        for key, value in after.items():
            if key not in target:
                target[key] = value
            elif key not in before or not _same(before[key], value):
                target[key] = _merged(target[key], before.get(key), value)
        return target
    return target if _same(before, after) else after


def _same(a: Any, b: Any) -> bool:
    try:
        return bool(a == b)
    except ValueError:  # numpy arrays: ambiguous truth value
        return a is b
