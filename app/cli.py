"""`export-auditor scan PATH...`: the headless CLI (contract in DESIGN.md).

stdout carries only the result (the --json object, or a short plain-text summary); progress,
notices and errors go to stderr. Exit codes: 0 done, 1 nothing recognised, 2 usage error (bad
option, output file exists without --force, missing output folder), 130 stopped with Ctrl-C (no
file is written from a stopped scan).
"""
from __future__ import annotations

import argparse
import json
import math
import signal
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, Callable

import pandas as pd

from parsers import __version__
from parsers.contract import CATEGORY_LABELS, EXPOSURE_SHORT, FILE_STATUSES
from parsers.exposure import resolve_jurisdiction
from parsers.scan import Audit, scan

EXIT_DONE, EXIT_NOT_RECOGNISED, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="export-auditor", formatter_class=argparse.RawDescriptionHelpFormatter,
        description="See what your Facebook, Instagram and WhatsApp exports hold and what Meta says it "
                    "trains its AI on. Everything runs on this computer.",
        epilog="the desktop app:\n"
               "  export-auditor              open the app\n"
               "  export-auditor PATH...      open the app and scan PATH...\n"
               "  export-auditor --demo       open the app on the bundled synthetic demo exports")
    parser.add_argument("--version", action="version", version=f"export-auditor {__version__}")
    commands = parser.add_subparsers(dest="command", required=True)
    scan_cmd = commands.add_parser(
        "scan", help="scan exports and print or write the audit",
        description="Scan Facebook, Instagram and WhatsApp exports (zip, zip parts, folder, chat .txt). "
                    "Nothing leaves the machine; nothing is written except the files you name.")
    scan_cmd.add_argument("paths", nargs="+", metavar="PATH", help="export zip(s), folder or chat .txt")
    scan_cmd.add_argument("--json", action="store_true", help="print the audit as one JSON object on stdout")
    scan_cmd.add_argument("--inventory", metavar="FILE", type=Path,
                          help="write the inventory CSV (platform x category x exposure level)")
    scan_cmd.add_argument("--items", metavar="FILE", type=Path, help="write every item as CSV")
    scan_cmd.add_argument("--files", metavar="FILE", type=Path, help="write every file of the export as CSV")
    scan_cmd.add_argument("--report", metavar="FILE.html", type=Path,
                          help="write the action plan: one printable HTML page that opens offline")
    scan_cmd.add_argument("--pseudonymize", action="store_true",
                          help="replace people's names with stable pseudonyms in the CSVs and JSON paths")
    scan_cmd.add_argument("--no-text", action="store_true", help="leave message and post text out of --items")
    scan_cmd.add_argument("--jurisdiction", choices=["eu", "uk", "br", "us", "other"],
                          help="where you live (the export's Facebook privacy jurisdiction wins when present)")
    scan_cmd.add_argument("--owner", metavar="NAME", help="your name as it appears in WhatsApp chats")
    scan_cmd.add_argument("--jobs", type=int, metavar="N",
                          help="processes that read the large files of an export (default: the cores, up to 4; "
                               "1: read in this process only)")
    scan_cmd.add_argument("--force", action="store_true", help="replace output files that already exist")
    return parser


# ---- progress on stderr -------------------------------------------------------------------------

class ProgressBar:
    """A one-line bar on stderr (files and bytes), redrawn at most 10 times a second.

    Shown only when the stream is a terminal, so logs and pipes stay clean.
    """

    def __init__(self, stream: IO[str], enabled: bool | None = None, width: int = 28) -> None:
        self.stream = stream
        self.enabled = stream.isatty() if enabled is None else enabled
        self.width = width
        self._last = 0.0
        self._drawn = False

    def __call__(self, files_done: int, files_total: int, bytes_done: int, bytes_total: int, path: str) -> None:
        if not self.enabled:
            return
        now = time.monotonic()
        final = files_total > 0 and files_done >= files_total
        if not final and now - self._last < 0.1:
            return
        self._last = now
        self.stream.write("\r" + self.render(files_done, files_total, bytes_done, bytes_total))
        self.stream.flush()
        self._drawn = True

    def render(self, files_done: int, files_total: int, bytes_done: int, bytes_total: int) -> str:
        share = bytes_done / bytes_total if bytes_total else (files_done / files_total if files_total else 1.0)
        filled = min(self.width, int(math.floor(share * self.width)))
        bar = "#" * filled + "-" * (self.width - filled)
        return (f"[{bar}] {share:4.0%}  {files_done}/{files_total} files  "
                f"{human_bytes(bytes_done)} / {human_bytes(bytes_total)}")

    def close(self) -> None:
        if self._drawn:
            self.stream.write("\n")
            self.stream.flush()
            self._drawn = False


def human_bytes(count: float) -> str:
    for unit in ("B", "KB", "MB", "GB"):
        if count < 1000 or unit == "GB":
            return f"{count:.0f} {unit}" if unit == "B" else f"{count:.1f} {unit}"
        count /= 1000
    return f"{count:.1f} TB"  # pragma: no cover - loop always returns


# ---- Ctrl-C -------------------------------------------------------------------------------------

class StopFlag:
    """The first Ctrl-C asks the scan to stop after the current file; a second one stops at once."""

    def __init__(self) -> None:
        self.stopped = False
        self._previous: Any = None

    def __call__(self) -> bool:
        return self.stopped

    def _handle(self, signum: int, frame: Any) -> None:
        self.stopped = True
        signal.signal(signal.SIGINT, self._previous or signal.default_int_handler)

    def __enter__(self) -> "StopFlag":
        try:
            self._previous = signal.signal(signal.SIGINT, self._handle)
        except ValueError:  # not the main thread: Ctrl-C is someone else's business
            self._previous = None
        return self

    def __exit__(self, *exc: object) -> None:
        if self._previous is not None:
            signal.signal(signal.SIGINT, self._previous)


# ---- JSON ---------------------------------------------------------------------------------------

def iso(value: Any) -> str | None:
    if value is None or pd.isna(value):
        return None
    return pd.Timestamp(value).tz_convert("UTC").strftime("%Y-%m-%dT%H:%M:%SZ")


def audit_json(audit: Audit, rename_path: Callable[[str], str] | None = None) -> dict:
    """The --json object (contract). `categories` has one entry per platform x category x exposure level,
    so a category whose items differ in level (e.g. messages sent to Meta AI) is listed once per level."""
    from parsers.summaries import by_category_exposure

    rename = rename_path or (lambda text: text)
    files = audit.files
    status_counts = files["status"].astype("object").value_counts()
    rows = by_category_exposure(audit.items)
    categories = [{"platform": str(r.platform), "category": str(r.category), "items": int(r.items),
                   "first": iso(r.first), "last": iso(r.last), "media_bytes": int(r.media_bytes),
                   "exposure": str(r.exposure)} for r in rows.itertuples(index=False)]
    from parsers.actions import as_json, plan_for_audit
    from parsers.exposure import RULES_AS_OF

    return {
        "version": __version__,
        "complete": audit.complete,
        "incomplete_reason": audit.incomplete_reason or None,
        "rules_as_of": RULES_AS_OF,
        "sources": [{"path": rename(str(s.path)), "platform": s.platform, "format": s.format, "layout": s.layout,
                     "parts": s.parts} for s in audit.sources],
        "totals": {"items": int(len(audit.items)), "files": int(len(files)),
                   "bytes": int(files["size"].sum()) if len(files) else 0},
        "files": {status: int(status_counts.get(status, 0)) for status in FILE_STATUSES},
        "categories": categories,
        "unknown_files": [rename(str(p)) for p in files.loc[files["status"] == "unknown", "path"].tolist()],
        "problems": [{"file": rename(str(p["file"])), "kind": str(p["kind"]), "message": rename(str(p["message"]))}
                     for p in audit.problems.to_dict("records")],
        "actions": as_json(plan_for_audit(audit)),
    }


def summary_text(audit: Audit) -> str:
    """The plain-text result printed when --json is not given."""
    from parsers.summaries import by_category, headline

    head = headline(audit)
    lines = [f"{head['items']} items in {head['files']} files ({human_bytes(head['bytes'])}); "
             + ", ".join(f"{status} {int((audit.files['status'] == status).sum())}" for status in FILE_STATUSES)]
    table = by_category(audit.items)
    for row in table.itertuples(index=False):
        span = f"{iso(row.first)[:10] if iso(row.first) else '?'}..{iso(row.last)[:10] if iso(row.last) else '?'}"
        lines.append(f"  {row.platform:<10} {CATEGORY_LABELS.get(row.category, row.category):<24} "
                     f"{row.items:>9}  {span:<22} {EXPOSURE_SHORT.get(row.exposure, row.exposure or '')}"
                     + (" (mixed)" if row.mixed_exposure else ""))
    route = head["objection_route"]
    where = route["label"] + ("" if route["known"] else " (pass --jurisdiction to choose)")
    lines.append(f"Where you live: {where}. {route['summary']} {route['effect']}")
    from parsers.actions import plan_for_audit

    todo = [p for p in plan_for_audit(audit) if p.kind != "info"]
    if todo:
        lines.append(f"What you can do (rules as of {route['rules_as_of']}; --report FILE.html for the whole plan):")
        lines += [f"  {number}. {p.headline}" for number, p in enumerate(todo, 1)]
    if head["problems"]:
        lines.append(f"{head['problems']} problems; see --json for the list.")
    return "\n".join(lines)


# ---- the command --------------------------------------------------------------------------------

@dataclass
class Outputs:
    inventory: Path | None
    items: Path | None
    files: Path | None
    report: Path | None = None

    def named(self) -> list[tuple[str, Path]]:
        return [(name, path) for name, path in (("--inventory", self.inventory), ("--items", self.items),
                                                ("--files", self.files), ("--report", self.report))
                if path is not None]


def check_outputs(outputs: Outputs, force: bool) -> str | None:
    """A usage error message, or None: checked before scanning so a long scan never ends in a refusal."""
    named = outputs.named()
    resolved = [path.resolve() for _, path in named]
    if len(set(resolved)) != len(resolved):
        return "the output files must be different files"
    for option, path in named:
        if path.is_dir():
            return f"{option} {path} is a folder; name a file"
        if path.exists() and not force:
            return f"{option} {path} already exists; add --force to replace it"
        if not path.resolve().parent.is_dir():
            return f"{option} {path}: the folder {path.resolve().parent} does not exist"
    return None


def run_cli(argv: list[str], *, stdout: IO[str] | None = None, stderr: IO[str] | None = None) -> int:
    out = stdout or sys.stdout
    err = stderr or sys.stderr
    try:
        args = build_parser().parse_args(argv)
    except SystemExit as stop:
        return int(stop.code or 0) and EXIT_USAGE
    outputs = Outputs(args.inventory, args.items, args.files, args.report)
    problem = check_outputs(outputs, args.force)
    if problem:
        err.write(f"export-auditor: {problem}\n")
        return EXIT_USAGE
    bar = ProgressBar(err)
    stop = StopFlag()
    try:
        with stop:
            audit = scan(args.paths, owner=args.owner, jurisdiction=args.jurisdiction, progress=bar, cancelled=stop,
                         jobs=args.jobs)
    except KeyboardInterrupt:
        audit = None
    finally:
        bar.close()
    if audit is None or audit.partial or stop.stopped:
        err.write("export-auditor: stopped (Ctrl-C); the scan is incomplete, so nothing was written.\n")
        return EXIT_INTERRUPTED
    recognised = any(s.platform != "unknown" for s in audit.sources)
    jurisdiction, origin = resolve_jurisdiction(audit.accounts, args.jurisdiction)
    if args.jurisdiction and origin == "export" and jurisdiction != args.jurisdiction:
        err.write(f"export-auditor: note: your Facebook export gives your privacy jurisdiction as "
                  f"'{jurisdiction}', so its objection route is shown instead of --jurisdiction {args.jurisdiction}.\n")
    rename = None
    try:
        if recognised:
            rename = _write_outputs(audit, outputs, args, err)
        elif outputs.named():
            err.write("export-auditor: no CSV written, since nothing was recognised.\n")
        if args.json:
            json.dump(audit_json(audit, rename), out, ensure_ascii=False, indent=1)
            out.write("\n")
        elif recognised:
            out.write(summary_text(audit) + "\n")
    except KeyboardInterrupt:
        err.write("export-auditor: stopped (Ctrl-C) while writing; files are written whole or not at all, "
                  "the ones reported above as written are complete.\n")
        return EXIT_INTERRUPTED
    if not recognised:
        err.write("export-auditor: nothing recognised. "
                  + "; ".join(str(m) for m in audit.problems["message"].tolist()[:5]) + "\n")
        return EXIT_NOT_RECOGNISED
    return EXIT_DONE


def _write_outputs(audit: Audit, outputs: Outputs, args: argparse.Namespace,
                   err: IO[str]) -> Callable[[str], str] | None:
    """Write the CSVs asked for; with --pseudonymize, one key for all of them (and the JSON paths)."""
    from parsers import export

    rename = None
    pseudonymizer = None
    if args.pseudonymize:
        pseudonymizer, key = export.make_pseudonymizer(export.audit_names(audit))
        if key.notice:
            err.write(f"export-auditor: {key.notice}\n")
        rename = pseudonymizer.replace_text
    for option, path in outputs.named():
        if option == "--inventory":
            result = export.write_inventory_csv(audit, path, force=args.force, pseudonymizer=pseudonymizer)
        elif option == "--report":
            from parsers.report import write_report

            err.write(f"export-auditor: wrote the action plan to {write_report(audit, path, force=args.force)}\n")
            continue
        elif option == "--items":
            result = export.write_items_csv(audit.items, path, pseudonymize=args.pseudonymize,
                                            include_text=not args.no_text, force=args.force,
                                            pseudonymizer=pseudonymizer)
        else:
            result = export.write_files_csv(audit.files, path, pseudonymize=args.pseudonymize, force=args.force,
                                            pseudonymizer=pseudonymizer)
        err.write(f"export-auditor: wrote {result.rows} rows to {result.path}\n")
    return rename
