"""Paths in, an Audit out: open -> detect -> handler table -> frames -> exposure.

This is the one entry point the CLI and the GUI worker call. It is plain Python: progress and
cancellation are callables, so a Qt worker and a terminal progress bar drive it the same way.
"""
from __future__ import annotations

import gc
import importlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterable

import pandas as pd

from .archive import SPILL, Source, open_sources
from .contract import (AccountContext, ItemsBuilder, Problem, files_frame, problems_frame)
from .detect import LOOKED_FOR, Detection, detect
from .handlers import NOT_READ_CANCELLED, HandlerTable, Progress, run_table, unread_row

if TYPE_CHECKING:
    from .parallel import MemberPool

#: detected platform -> (items platform, module that holds its handler table)
PLATFORM_MODULES = {
    "facebook": ("facebook", "parsers.facebook"),
    "instagram": ("instagram", "parsers.instagram"),
    "whatsapp_chat": ("whatsapp", "parsers.whatsapp"),
    "whatsapp_account": ("whatsapp", "parsers.whatsapp"),
}


@dataclass
class SourceReport:
    """What one export was recognised as, for the JSON output and the GUI."""

    path: str
    label: str
    platform: str
    format: str
    layout: str
    parts: int
    evidence: tuple[str, ...]
    files: int
    bytes: int


@dataclass
class Audit:
    items: pd.DataFrame
    files: pd.DataFrame
    problems: pd.DataFrame
    sources: list[SourceReport] = field(default_factory=list)
    accounts: dict[str, AccountContext] = field(default_factory=dict)
    jurisdiction: str | None = None
    partial: bool = False
    #: False when the download is damaged, cut off or missing a part; `incomplete_reason` says how.
    complete: bool = True
    incomplete_reason: str = ""


#: Why the scan turns the cyclic garbage collector off while it runs: a scan allocates millions of
#: dicts and tuples that die young without cycles, and each full collection walks every live object
#: (pandas' and the rows'): 18-20% of a Messenger scan's CPU, for nothing to collect. Reference
#: counting still frees everything as usual; the collector is back on when the scan returns.
SCAN_WITHOUT_GC = True


def table_for(detection: Detection) -> HandlerTable:
    _platform, module_name = PLATFORM_MODULES[detection.platform]
    module = importlib.import_module(module_name)
    return module.table_for(detection)


def scan(
    paths: Iterable[str | Path],
    *,
    owner: str | None = None,
    jurisdiction: str | None = None,
    progress: Progress | None = None,
    cancelled: Callable[[], bool] | None = None,
    jobs: int | None = None,
) -> Audit:
    """Scan `paths`. `jobs` worker processes parse the large members of many-file exports (default:
    the cores available, up to four; 1 turns it off); the result is the same either way."""
    from .parallel import MemberPool, default_jobs

    paths = [str(p) for p in paths]
    collecting = gc.isenabled()
    if SCAN_WITHOUT_GC:
        gc.disable()
    try:
        with MemberPool(paths, default_jobs() if jobs is None else max(1, jobs)) as pool:
            pool.warm()
            pool.sources = sources = open_exports(paths)
            return scan_sources(sources, owner=owner, jurisdiction=jurisdiction, progress=progress,
                                cancelled=cancelled, pool=pool)
    finally:
        SPILL.release()  # an inner zip inflated to the app's temp folder: removed, even on error
        if collecting:
            gc.enable()


def open_exports(paths: Iterable[str | Path]) -> list[Source]:
    """The exports in `paths` as the scan reads them: parts merged, copies dropped, by what detection says."""
    return open_sources(paths, detector=detect)


def scan_sources(
    sources: list[Source],
    *,
    owner: str | None = None,
    jurisdiction: str | None = None,
    progress: Progress | None = None,
    cancelled: Callable[[], bool] | None = None,
    pool: "MemberPool | None" = None,
) -> Audit:
    """Scan opened sources; with `pool` (opened on the same paths, see `scan`) large members are
    parsed in worker processes."""
    from .exposure import apply_exposure

    items = ItemsBuilder()
    file_rows: list[tuple] = []
    problems: list[Problem] = []
    reports: list[SourceReport] = []
    accounts: dict[str, AccountContext] = {}
    partial = False
    totals = (sum(len(s.members) for s in sources), sum(s.total_size for s in sources))
    done = (0, 0)
    for source_index, source in enumerate(sources):
        problems.extend(source.problems)
        detection = detect(source)
        reports.append(SourceReport(source.parts[0] if source.parts else source.label, source.label,
                                    detection.platform, detection.format, detection.layout,
                                    len(source.parts), detection.evidence, len(source.members), source.total_size))
        problems.extend(detection.problems)
        listed_platform = PLATFORM_MODULES.get(detection.platform, (None,))[0]
        file_rows.extend((k.path, listed_platform, None, k.status, k.reason, k.size, k.compressed_size, k.part, 0)
                         for k in source.skipped)  # junk, duplicates, unsafe members: listed, not read
        if partial:
            file_rows.extend(unread_row(m, listed_platform, NOT_READ_CANCELLED) for m in source.members)
            continue
        if not detection.recognised:
            problems.append(Problem(source.label, "not_recognised",
                                    f"{source.label} is not an export this app recognises. It looked for {LOOKED_FOR}."))
            file_rows.extend(unread_row(m, None, "export not recognised", "unknown") for m in source.members)
            continue
        platform = PLATFORM_MODULES[detection.platform][0]
        account = accounts.setdefault(platform, AccountContext())
        if owner:
            account.owner_names.add(owner)
        remote = pool.for_source(source_index, detection, platform) if pool is not None else None
        run = run_table(table_for(detection), source, account, items, progress=progress,
                        cancelled=cancelled, done_before=done, totals=totals, remote=remote)
        if remote is not None:
            source.damage.cut |= remote.damaged
        file_rows.extend(run.file_rows)
        problems.extend(_without_absence_notices(run.problems, source, account))
        done = (done[0] + len(source.members), done[1] + source.total_size)
        partial = run.cancelled
    frame = items.frame(release=True)
    frame = _finish_platforms(frame, accounts)
    frame["exposure"] = pd.Categorical(apply_exposure(frame, accounts, jurisdiction),
                                       dtype=frame["exposure"].dtype)
    reason = incomplete_reason(sources)
    return Audit(frame, files_frame(file_rows), problems_frame(problems), reports, accounts,
                 jurisdiction, partial, not reason, reason)


def _without_absence_notices(problems: list[Problem], source: Source, account: AccountContext) -> list[Problem]:
    """Notices state what an export lacks ("no ordinary Messenger chats"); an incomplete download cannot
    tell, so its notices are not given (the incomplete reason says why instead)."""
    if source.complete:
        return problems
    dropped = {p.message for p in problems if p.kind == "notice" and p.file == source.label}
    account.notices[:] = [n for n in account.notices if n not in dropped]
    return [p for p in problems if not (p.kind == "notice" and p.message in dropped)]


def incomplete_reason(sources: list[Source]) -> str:
    """Plain words for `Audit.incomplete_reason`: what is cut off, damaged or missing ("" when nothing)."""
    said: list[str] = []
    damaged = [s for s in sources if not s.complete]
    for source in damaged:
        damage = source.damage
        parts = list(damage.notes)
        if damage.cut:
            count = len(damage.cut)
            parts.append(f"{count:,} {'file' if count == 1 else 'files'} could not be read")
        if damage.missing_parts:
            names = ", ".join(damage.missing_parts)
            parts.append(f"{names} {'is' if len(damage.missing_parts) == 1 else 'are'} missing")
        text = ", and ".join(parts)
        said.append(f"{source.label}: {text}" if len(damaged) > 1 else text)
    if not said:
        return ""
    cut_off = any(s.damage.notes or s.damage.cut for s in damaged)
    head = "The download looks cut off" if cut_off else "A part of the export is missing"
    tail = "Download it again to see everything." if cut_off else "Add the missing part to see everything."
    return f"{head}: {'; '.join(said)}. {tail}"


def _finish_platforms(frame: pd.DataFrame, accounts: dict[str, AccountContext]) -> pd.DataFrame:
    """Let a platform module revise its rows once everything is read (e.g. infer the chat owner)."""
    for platform, module_name in sorted(set(PLATFORM_MODULES.values())):
        if platform not in accounts:
            continue
        module = importlib.import_module(module_name)
        finish = getattr(module, "finish", None)
        if finish is not None:
            frame = finish(frame, accounts[platform])
    return frame
