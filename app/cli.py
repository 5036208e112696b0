"""`export-auditor scan PATH... [--json]`: the headless CLI (contract in DESIGN.md)."""
from __future__ import annotations

import argparse
import json
import sys

from parsers import __version__
from parsers.scan import Audit, scan


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="export-auditor", description="Audit Meta data exports locally.")
    parser.add_argument("--version", action="version", version=f"export-auditor {__version__}")
    commands = parser.add_subparsers(dest="command", required=True)
    scan_cmd = commands.add_parser("scan", help="scan exports and print or write the audit")
    scan_cmd.add_argument("paths", nargs="+", metavar="PATH")
    scan_cmd.add_argument("--json", action="store_true", help="print the audit as one JSON object on stdout")
    scan_cmd.add_argument("--jurisdiction", choices=["eu", "uk", "br", "us", "other"])
    return parser


def audit_json(audit: Audit) -> dict:
    files = audit.files
    status_counts = files["status"].value_counts()
    return {
        "version": __version__,
        "sources": [{"path": s.path, "platform": s.platform, "format": s.format, "layout": s.layout,
                     "parts": s.parts} for s in audit.sources],
        "totals": {"items": int(len(audit.items)), "files": int(len(files)), "bytes": int(files["size"].sum())},
        "files": {status: int(status_counts.get(status, 0)) for status in ("parsed", "ignored", "unknown", "failed")},
        "categories": [],
        "unknown_files": files.loc[files["status"] == "unknown", "path"].tolist(),
        "problems": audit.problems.to_dict("records"),
    }


def run_cli(argv: list[str]) -> int:
    try:
        args = build_parser().parse_args(argv)
    except SystemExit as stop:
        return int(stop.code or 0) and 2
    audit = scan(args.paths, jurisdiction=args.jurisdiction)
    if args.json:
        json.dump(audit_json(audit), sys.stdout, ensure_ascii=False, indent=1)
        sys.stdout.write("\n")
    recognised = any(s.platform != "unknown" for s in audit.sources)
    return 0 if recognised else 1
