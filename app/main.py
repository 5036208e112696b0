"""Entry point: `export-auditor scan ...` runs the CLI; anything else opens the app."""
from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if args[:1] == ["scan"] or args[:1] in (["--version"], ["-h"], ["--help"]):
        from app.cli import run_cli

        return run_cli(args)
    from app.gui import run_gui

    return run_gui(args)
