"""The parallel scan without forkserver (Windows, where the frozen app must use spawn) gives the serial audit."""
from __future__ import annotations

import multiprocessing

import pandas as pd

from builder.facebook import build_facebook
from parsers import parallel
from parsers.scan import scan


def test_spawn_is_the_fallback_where_forkserver_is_missing(monkeypatch):
    assert parallel.start_method() in multiprocessing.get_all_start_methods()
    monkeypatch.setattr(multiprocessing, "get_all_start_methods", lambda: ["fork", "spawn"])  # as on Windows
    assert parallel.start_method() == "spawn"


def test_a_spawn_pool_scans_as_the_serial_scan(tmp_path, monkeypatch):
    monkeypatch.setattr(parallel, "MIN_MEMBER_SIZE", 1)  # the small test export goes to the pool
    monkeypatch.setattr(parallel, "MIN_POOL_BYTES", 1)
    monkeypatch.setattr(parallel, "start_method", lambda: "spawn")
    path = build_facebook("2024", seed=6, messages=600, threads=2, messages_per_file=100).write_zip(
        tmp_path / "facebook-me-2024-01-01.zip")
    started = []
    original = parallel.MemberPool._pool

    def watched(self):
        executor = original(self)
        started.append(executor._mp_context.get_start_method())
        return executor

    monkeypatch.setattr(parallel.MemberPool, "_pool", watched)
    serial = scan([path], jobs=1)
    spawned = scan([path], jobs=2)
    assert started and set(started) == {"spawn"}
    pd.testing.assert_frame_equal(serial.items, spawned.items)
    pd.testing.assert_frame_equal(serial.files, spawned.files)
