"""The privacy promise, checked: no network, nothing written by a scan, the input left as it was."""
from __future__ import annotations

import ast
import hashlib
import os
import socket
import tempfile
from pathlib import Path

import pytest

from parsers.scan import scan

PROJECT = Path(__file__).resolve().parents[1]
DEMO = sorted((PROJECT / "assets" / "demo").glob("*.zip"))
NETWORK_MODULES = {"socket", "urllib", "http", "requests", "httpx", "aiohttp", "ftplib", "smtplib", "ssl",
                   "xmlrpc", "webbrowser", "QtNetwork"}


def test_no_module_of_the_project_imports_a_network_library():
    offenders = []
    for path in [*PROJECT.joinpath("parsers").rglob("*.py"), *PROJECT.joinpath("app").rglob("*.py")]:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else \
                [node.module or ""] if isinstance(node, ast.ImportFrom) else []
            offenders += [f"{path.name}: {n}" for n in names
                          if set(n.split(".")) & NETWORK_MODULES]
    assert offenders == []


@pytest.fixture
def no_network(monkeypatch):
    """Any attempt to open a connection or resolve a name fails the test."""
    def refuse(*args, **kwargs):
        raise AssertionError(f"network access attempted: {args!r}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)


def _tree_state(folder: Path) -> dict[str, tuple[int, float]]:
    return {str(p): (p.stat().st_size, p.stat().st_mtime) for p in folder.rglob("*")}


def test_a_scan_touches_no_network_writes_nothing_and_leaves_the_input_as_it_was(tmp_path, no_network, monkeypatch):
    assert len(DEMO) == 3
    work = tmp_path / "cwd"
    work.mkdir()
    monkeypatch.chdir(work)
    temp = tmp_path / "tmp"
    temp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temp))  # nested zips must not be unpacked to a temp file
    homes = [Path(os.environ[v]) for v in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME")]
    before = {str(h): _tree_state(h) if h.exists() else None for h in homes}
    digests = {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in DEMO}
    demo_state = _tree_state(DEMO[0].parent)

    audit = scan(DEMO)

    assert len(audit.items) > 500
    assert list(work.iterdir()) == [] and list(temp.iterdir()) == []  # nothing extracted or cached
    assert {str(h): _tree_state(h) if h.exists() else None for h in homes} == before
    assert _tree_state(DEMO[0].parent) == demo_state
    assert {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in DEMO} == digests
