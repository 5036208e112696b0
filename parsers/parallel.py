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
"""
from __future__ import annotations

import copy
import multiprocessing
import os
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import fields
from typing import TYPE_CHECKING, Any, Callable, Iterable

from .contract import AccountContext, ItemsBuilder, Problem
from .limits import MiB

if TYPE_CHECKING:
    from .archive import Member, Source
    from .detect import Detection
    from .handlers import Rule

#: Members smaller than this are parsed in the scan's own process (a round trip costs more).
MIN_MEMBER_SIZE = 1 * MiB
#: The pool starts only when the large members of one export hold at least this many bytes.
MIN_POOL_BYTES = 16 * MiB
#: How often a wait for a worker checks for Cancel (seconds).
CANCEL_POLL = 0.1
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


def start_method() -> str:
    """forkserver where the platform has it (Linux, macOS), else spawn (Windows).

    Both start the workers from this same executable: a frozen app calls
    multiprocessing.freeze_support() first thing (packaging/entry.py) so that it becomes the worker.
    """
    return "forkserver" if "forkserver" in multiprocessing.get_all_start_methods() else "spawn"


# ---- worker side --------------------------------------------------------------------------------

_worker_sources: list["Source"] | None = None


def _start_worker(paths: list[str]) -> None:
    global _worker_sources
    from multiprocessing.util import Finalize

    from .archive import SPILL
    from .scan import open_exports

    _worker_sources = open_exports(paths)  # the same Sources, in the same order, as the scan's own
    Finalize(SPILL, SPILL.release, exitpriority=10)  # a worker's inner-zip temp file goes when it exits


def _parse_member(source_index: int, path: str, detection: "Detection", platform: str,
                  account: AccountContext) -> tuple[tuple, list[Problem], dict[str, list], AccountContext, bool]:
    """One member, in a worker: its file row, problems, item columns, the account afterwards, and
    whether it turned out damaged (a bad checksum, cut off: the audit is then incomplete)."""
    from .handlers import ParseContext, _run_member
    from .scan import table_for

    assert _worker_sources is not None
    source = _worker_sources[source_index]
    member = source.get(path)
    if member is None:  # the listing differs from the scan's own: cannot happen for unchanged inputs
        raise RuntimeError(f"{path} is not in the export any more (was it changed during the scan?)")
    table = table_for(detection)
    items, problems = ItemsBuilder(), []
    row = _run_member(platform, member, table.match(path), ParseContext(source, account, platform), items, problems)
    return row, problems, items.columns(), account, path in source.damage.cut


# ---- scan side ----------------------------------------------------------------------------------

class MemberPool:
    """The scan's handle on the worker processes; started on first use, closed with the scan."""

    def __init__(self, paths: list[str], jobs: int) -> None:
        self.paths = paths
        self.jobs = jobs
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

    def _pool(self) -> ProcessPoolExecutor:
        if self._executor is None:
            context = multiprocessing.get_context(start_method())
            if context.get_start_method() == "forkserver":
                context.set_forkserver_preload(PRELOAD)
            self._executor = ProcessPoolExecutor(self.jobs, mp_context=context, initializer=_start_worker,
                                                 initargs=(self.paths,))
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
        self._before: AccountContext | None = None
        self.damaged: set[str] = set()  # members a worker found damaged (the scan adds them to the Source's damage)

    def submit(self, matched: Iterable[tuple["Member", "Rule | None"]], account: AccountContext) -> None:
        """Hand the large members to the workers, if there are enough of them to pay."""
        large = [m for m, rule in matched if rule is not None and rule.handler is not None
                 and m.size >= MIN_MEMBER_SIZE]
        if self.pool.jobs < 2 or len(large) < 2 or sum(m.size for m in large) < MIN_POOL_BYTES:
            return
        self._before = copy.deepcopy(account)
        executor = self.pool._pool()
        for member in large:
            self._futures[member.path] = executor.submit(_parse_member, self.source_index, member.path,
                                                         self.detection, self.platform, self._before)

    def __contains__(self, path: str) -> bool:
        return path in self._futures

    def collect(self, path: str, items: ItemsBuilder, problems: list[Problem], account: AccountContext,
                cancelled: Callable[[], bool] | None) -> tuple | None:
        """Wait for one member's result and merge it as if it had been parsed here; its file row.

        None when the worker could not deliver (a worker killed by the system, a result that does
        not pickle): the caller then parses the member itself, so a pool failure costs time only.
        """
        from .handlers import ScanCancelled

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
