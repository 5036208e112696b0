"""Test set-up: offscreen Qt, the shared fixtures folder, and the synthetic-export builder."""
from __future__ import annotations

import os
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QT_API", "pyside6")

import pytest

pytest_plugins = ["memory_keyring"]  # the in-memory keyring fixture (tests/memory_keyring.py)

PROJECT = Path(__file__).resolve().parents[1]
SHARED = PROJECT.parent / "shared"
FIXTURES = SHARED / "fixtures"


@pytest.fixture
def shared_fixtures() -> Path:
    """../shared/fixtures, or a clean skip when the folder is absent."""
    if not FIXTURES.is_dir():
        pytest.skip("../shared/fixtures is not present")
    return FIXTURES


@pytest.fixture(autouse=True)
def _isolated_settings(tmp_path_factory, monkeypatch):
    """Never write settings or keys into the real home directory during tests."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / "cache"))


@pytest.fixture
def scan_ig():
    """scan() for Instagram inputs, checking that detection recognised every source as Instagram."""
    from parsers.scan import scan

    def run(*paths):
        audit = scan(list(paths))
        assert {s.platform for s in audit.sources} == {"instagram"}, [(s.label, s.platform) for s in audit.sources]
        return audit

    return run
