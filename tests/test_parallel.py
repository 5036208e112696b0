"""The parallel scan (parsers/parallel.py) gives exactly the audit of a serial scan."""
from __future__ import annotations

import pandas as pd
import pytest

from builder.facebook import build_facebook
from builder.instagram import build_instagram
from parsers import parallel
from parsers.contract import AccountContext
from parsers.scan import scan


@pytest.fixture
def pool_for_small_files(monkeypatch):
    """The test exports are small: let every member with a handler go to the pool."""
    monkeypatch.setattr(parallel, "MIN_MEMBER_SIZE", 1)
    monkeypatch.setattr(parallel, "MIN_POOL_BYTES", 1)


def assert_same_audit(serial, parallel_audit) -> None:
    pd.testing.assert_frame_equal(serial.items, parallel_audit.items)
    pd.testing.assert_frame_equal(serial.files, parallel_audit.files)
    pd.testing.assert_frame_equal(serial.problems, parallel_audit.problems)
    assert serial.accounts.keys() == parallel_audit.accounts.keys()
    for platform, account in serial.accounts.items():
        other = parallel_audit.accounts[platform]
        assert account.owner_names == other.owner_names
        assert account.notices == other.notices
        assert account.privacy_changes == other.privacy_changes


def test_paged_thread_and_parts_scan_the_same_in_parallel(tmp_path, pool_for_small_files):
    tree = build_facebook("2024", seed=4, messages=3_000, threads=3, messages_per_file=200, posts=40)
    parts = tree.write_parts(tmp_path, "facebook-me-2024-01-01", 3)
    serial = scan(parts, jobs=1)
    assert int((serial.items["category"] == "messages").sum()) > 3_000  # messages and their reactions
    assert_same_audit(serial, scan(parts, jobs=2))


@pytest.mark.parametrize("layout", ["2020", "2025"])
def test_instagram_scans_the_same_in_parallel(tmp_path, pool_for_small_files, layout):
    path = build_instagram(layout, seed=3, scale=3).write_zip(tmp_path / f"instagram-{layout}.zip")
    assert_same_audit(scan([path], jobs=1), scan([path], jobs=2))


def test_a_dead_worker_costs_time_only(tmp_path, pool_for_small_files, monkeypatch):
    """A worker killed mid-scan (out of memory, say): its members are read in the scan's process."""
    path = build_facebook("2024", seed=5, messages=1_000, threads=2, messages_per_file=100).write_zip(
        tmp_path / "facebook-me-2024-01-01.zip")
    serial = scan([path], jobs=1)
    original = parallel.RemoteMembers.submit

    def submit_then_kill(self, matched, account):
        original(self, matched, account)
        for process in list(getattr(self.pool._executor, "_processes", {}).values()) if self.pool._executor else []:
            process.kill()

    monkeypatch.setattr(parallel.RemoteMembers, "submit", submit_then_kill)
    assert_same_audit(serial, scan([path], jobs=2))


def test_cancel_with_workers_lists_every_file(tmp_path, pool_for_small_files):
    path = build_facebook("2024", seed=6, messages=2_000, threads=2, messages_per_file=100).write_zip(
        tmp_path / "facebook-me-2024-01-01.zip")
    calls = []

    def cancel_after_a_few() -> bool:
        calls.append(1)
        return len(calls) > 12

    audit = scan([path], jobs=2, cancelled=cancel_after_a_few)
    assert audit.partial
    full = scan([path], jobs=1)
    assert len(audit.files) == len(full.files)  # nothing dropped: the rest is listed as not read
    assert (audit.files["reason"].astype(str).str.startswith("not read")).any()


def test_small_exports_stay_in_one_process(tmp_path):
    """Under the thresholds no pool is started (starting one costs more than it saves)."""
    path = build_facebook("2024", seed=7, messages=200, threads=2).write_zip(tmp_path / "facebook-me-2024-01-01.zip")
    pool = parallel.MemberPool([str(path)], jobs=2)
    from parsers.scan import scan_sources
    from parsers.archive import open_sources
    scan_sources(open_sources([path]), pool=pool)
    assert pool._executor is None


def test_account_merge_adds_what_a_worker_added():
    before = AccountContext(owner_names={"Ana"}, notices=["one"], extra={"chats": [1]})
    after = AccountContext(owner_names={"Ana", "Bo"}, notices=["one", "two"], extra={"chats": [1, 2], "new": 3},
                           jurisdiction="eu")
    target = AccountContext(owner_names={"Ana", "Cy"}, notices=["one", "zero"], extra={"chats": [1, 0]})
    parallel.merge_account(target, before, after)
    assert target.owner_names == {"Ana", "Bo", "Cy"}
    assert target.notices == ["one", "zero", "two"]
    assert target.extra == {"chats": [1, 0, 2], "new": 3}
    assert target.jurisdiction == "eu"


def test_members_read_by_the_workers_from_the_export_scan_the_same(tmp_path, pool_for_small_files, monkeypatch):
    """Past SHIP_LIMIT a worker lists the export and reads the member itself, instead of getting its bytes."""
    monkeypatch.setattr(parallel, "SHIP_LIMIT", 0)
    tree = build_facebook("2024", seed=6, messages=1_500, threads=3, messages_per_file=200)
    path = tree.write_zip(tmp_path / "facebook-me-2024-01-01.zip")
    assert_same_audit(scan([path], jobs=1), scan([path], jobs=2))


def test_a_handler_that_reads_other_members_in_a_worker_gets_the_export(tmp_path, pool_for_small_files):
    """Without a profile the thread handler reads the other threads to find the owner: a worker that got
    only its member's bytes lists the export then, and the audit is still the serial one."""
    tree = build_facebook("2024", seed=7, messages=1_200, threads=4, messages_per_file=150)
    for name in [p for p in tree.files if "profile_information" in p]:
        del tree.files[name]
    path = tree.write_zip(tmp_path / "facebook-me-2024-01-01.zip")
    serial = scan([path], jobs=1)
    assert serial.accounts["facebook"].owner_names  # inferred from the threads
    assert_same_audit(serial, scan([path], jobs=2))
