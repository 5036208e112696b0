"""app/assets.py finds the icon and the demo in a frozen bundle, a checkout and a wheel's data files."""
from __future__ import annotations

import sys
from pathlib import Path

from app import assets

PROJECT = Path(__file__).resolve().parents[1]


def test_a_checkout_finds_its_assets_folder():
    assert assets.icon_path() == PROJECT / "assets" / "icon.svg"
    assert [p.name for p in assets.demo_paths()] == sorted(p.name for p in (PROJECT / "assets" / "demo").glob("synthetic-*"))


def test_a_frozen_bundle_is_looked_at_first(tmp_path, monkeypatch):
    (tmp_path / "assets" / "demo").mkdir(parents=True)
    (tmp_path / "assets" / "demo" / "synthetic-x.zip").write_bytes(b"PK")
    monkeypatch.setattr(sys, "_MEIPASS", str(tmp_path), raising=False)
    assert assets.asset_roots()[0] == tmp_path / "assets"
    assert assets.demo_paths() == [tmp_path / "assets" / "demo" / "synthetic-x.zip"]
    assert assets.icon_path() == PROJECT / "assets" / "icon.svg"  # not in the bundle: the next root has it


def test_a_wheel_install_finds_the_data_files_under_its_prefix(tmp_path, monkeypatch):
    share = tmp_path / "share" / assets.SHARE_NAME
    (share / "demo").mkdir(parents=True)
    (share / "icon.png").write_bytes(b"\x89PNG")
    monkeypatch.setattr(sys, "prefix", str(tmp_path))
    monkeypatch.setattr(assets, "__file__", str(tmp_path / "site-packages" / "app" / "assets.py"))  # no assets/ beside
    assert assets.icon_path() == share / "icon.png"
    assert assets.demo_folder() == share / "demo" and assets.demo_paths() == []
