"""tools/make_demo.py: three small synthetic exports, one per platform, each recognised by the scan."""
from __future__ import annotations

import importlib.util
from pathlib import Path

from parsers.scan import scan

PROJECT = Path(__file__).resolve().parents[2]


def _make_demo():
    spec = importlib.util.spec_from_file_location("make_demo", PROJECT / "tools" / "make_demo.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_make_demo_builds_three_small_recognised_exports_deterministically(tmp_path):
    make_demo = _make_demo()
    assert make_demo.main(["--out", str(tmp_path / "a")]) == 0
    assert make_demo.main(["--out", str(tmp_path / "b")]) == 0
    built = sorted((tmp_path / "a").glob("*.zip"))
    assert [p.name for p in built] == ["synthetic-facebook.zip", "synthetic-instagram.zip",
                                       "synthetic-whatsapp-chats.zip"]
    for path in built:
        assert path.stat().st_size < 300_000, path.name
        assert path.read_bytes() == (tmp_path / "b" / path.name).read_bytes()  # same seed, same bytes
        audit = scan([path])
        platform = path.stem.split("-")[1]
        assert all(source.platform.startswith(platform) for source in audit.sources)
        assert set(audit.items["platform"].astype(str)) == {platform}
        assert len(audit.items) > 50
