"""Crafted archives of every hostile class (tests/crafted.py): no crash, no blow-up, every file listed.

The classes that held before the archive package (ratio bombs with a directory, overlapping entries,
`..` names, ZipCrypto flags, truncated zips) are in test_safety.py; this module adds the rest and
the ones that had no test: zip64 size lies, bad CRCs, symlink entries, 100,000 members.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
import zipfile
from pathlib import Path

import pytest

import crafted
from crafted import GOOD, POSTS, PROFILE
from parsers import archive
from parsers.archive import SPILL, DamagedMember, Limits
from parsers.detect import detect
from parsers.limits import MAX_PATH_DEPTH, MAX_PATH_LENGTH
from parsers.scan import scan, scan_sources

ROOT = Path(__file__).resolve().parents[1]


def one(path: Path, **options) -> archive.Source:
    [source] = archive.open_sources([path], detector=detect, **options)
    return source


def assert_good_members_read(source: archive.Source) -> None:
    for name, content in GOOD.items():
        with source.get(name).open() as stream:
            assert stream.read() == content


def statuses(audit) -> dict[str, tuple[str, str]]:
    return {row.path: (row.status, row.reason) for row in audit.files.itertuples()}


def test_empty_and_nul_names_are_listed_as_unsafe_not_crashing(tmp_path):
    source = one(crafted.nameless_members(tmp_path / "fb.zip"))
    refused = {s.path: (s.status, s.reason) for s in source.skipped}
    assert refused["(no name)"] == ("failed", "unsafe name (an empty name)")
    assert refused["\ufffdevil.json"] == ("failed", "unsafe name (a NUL character in its name)")
    assert [p.kind for p in source.problems] == ["unsafe_path", "unsafe_path"]
    assert source.get("your_facebook_activity/\x01odd.json") is not None  # odd but harmless: read
    assert_good_members_read(source)
    files = statuses(scan_sources([source]))
    assert files["(no name)"][0] == "failed" and files[POSTS][0] == "parsed"


def test_names_past_the_depth_and_length_limits_are_unsafe(tmp_path):
    source = one(crafted.deep_names(tmp_path / "fb.zip", depth=20_000, length=65_000))
    assert [m.path for m in source.members] == [PROFILE, POSTS]
    assert len(source.skipped) == 2
    for skipped in source.skipped:
        assert skipped.status == "failed" and skipped.reason == "unsafe name (too long or too deep)"
        assert len(skipped.path) < 200  # shown shortened, with its length
    messages = " ".join(p.message for p in source.problems)
    assert f"{MAX_PATH_LENGTH:,} characters and {MAX_PATH_DEPTH} folders" in messages
    assert "40,006 characters in 20,001 folders" in messages
    assert detect(source).platform == "facebook"


def test_just_under_the_depth_limit_is_read(tmp_path):
    name = "your_facebook_activity/" + "d/" * (MAX_PATH_DEPTH - 2) + "x.json"
    source = one(crafted.write_zip(tmp_path / "fb.zip", {name: b"{}"}))
    assert source.get(name) is not None and source.skipped == []


def test_a_zip_without_directory_keeps_the_ratio_guard(tmp_path):
    source = one(crafted.bomb_without_directory(tmp_path / "fb.zip", size=8 * crafted.MiB))
    kinds = {p.kind: p for p in source.problems}
    assert "truncated_zip" in kinds and "compression_ratio" in kinds
    assert "zeros.json in fb.zip would inflate" in kinds["compression_ratio"].message
    assert source.get("your_facebook_activity/zeros.json") is None
    assert source.get("your_facebook_activity/after.json") is not None  # the files after it are still listed
    assert_good_members_read(source)


def test_a_zip_without_directory_keeps_the_member_count_limit(tmp_path):
    path = crafted.cut_directory(crafted.write_zip(tmp_path / "fb.zip", {f"media/{i}.json": b"{}" for i in range(5)}))
    source = one(path, limits=Limits(max_members=3))
    assert len(source.members) == 3
    assert "only the first 3 were listed" in " ".join(p.message for p in source.problems)


def test_declared_sizes_larger_than_the_archive_are_flagged(tmp_path):
    source = one(crafted.size_lie(tmp_path / "fb.zip"))
    [problem] = source.problems
    assert problem.kind == "size_lie" and "more than the" in problem.message
    assert [(s.path, s.status) for s in source.skipped] == [("your_facebook_activity/posts/media/lie.jpg", "failed")]
    assert_good_members_read(source)  # the honest entries after the lie are not taken for overlaps


def test_zip64_size_marker_without_a_zip64_record_is_refused(tmp_path):
    source = one(crafted.zip64_lie(tmp_path / "fb.zip"))
    assert [p.kind for p in source.problems] in (["size_lie"], ["compression_ratio"])
    assert source.get("your_facebook_activity/comments_and_reactions/comments.json") is None
    assert_good_members_read(source)


@pytest.mark.parametrize("compression", [zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED])
def test_bad_crc_fails_that_member_and_marks_the_download_incomplete(tmp_path, compression):
    path = crafted.bad_crc(tmp_path / "fb.zip", compression=compression)
    source = one(path)
    with pytest.raises(DamagedMember, match="damaged"):
        with source.get("your_facebook_activity/comments_and_reactions/comments.json").open() as stream:
            stream.read()
    audit = scan([path])
    files = statuses(audit)
    assert files["your_facebook_activity/comments_and_reactions/comments.json"][0] == "failed"
    assert files[POSTS][0] == "parsed" and files[PROFILE][0] == "parsed"
    assert audit.complete is False
    assert audit.incomplete_reason == ("The download looks cut off: 1 file could not be read. Download it again "
                                       "to see everything.")


def test_a_symlink_entry_is_a_plain_small_member(tmp_path):
    source = one(crafted.zip_symlink(tmp_path / "fb.zip"))
    link = source.get("your_facebook_activity/link.json")
    with link.open() as stream:
        assert stream.read() == b"/etc/passwd"  # nothing is extracted or followed: the link's own text


def test_encrypted_member_in_a_directoryless_zip_is_refused_and_reported(tmp_path):
    source = one(crafted.cut_directory(crafted.encrypted_flag(tmp_path / "fb.zip")))
    assert "encrypted" in [p.kind for p in source.problems]
    with pytest.raises(archive.EncryptedMember):
        source.get("your_facebook_activity/comments_and_reactions/comments.json").open()
    assert_good_members_read(source)


def test_many_members_are_all_listed(tmp_path):
    """20,000 here (zip64 end records, as for 100,000 in benchmarks/bench_hostile_archive.py)."""
    source = one(crafted.many_members(tmp_path / "fb.zip", 20_000))
    assert len(source.members) == 20_002 and source.problems == []
    assert_good_members_read(source)


# ---- folders -------------------------------------------------------------------------------------

@pytest.fixture
def hostile_folder(tmp_path) -> Path:
    if not hasattr(os, "mkfifo"):
        pytest.skip("no FIFOs on this system")
    return crafted.hostile_folder(tmp_path / "fb", tmp_path / "outside.txt")


def test_folder_links_out_fifos_and_non_utf8_names(hostile_folder, tmp_path):
    source = one(hostile_folder)
    skipped = {s.path: (s.status, s.reason) for s in source.skipped}
    assert skipped["your_facebook_activity/escape.json"] == (
        "ignored", "symbolic link that points outside the export; it was not followed")
    assert skipped["your_facebook_activity/folder_link"][1] == "symbolic link that is a link to a folder; it was not followed"
    assert skipped["your_facebook_activity/pipe.json"] == ("ignored", "not a regular file (a named pipe (FIFO)); not read")
    with source.get("your_facebook_activity/inside.json").open() as stream:  # a link inside the export is fine
        assert stream.read() == GOOD[PROFILE]
    odd = source.get("your_facebook_activity/caf\ufffd \ufffd.json")
    assert odd is not None
    with odd.open() as stream:
        assert stream.read() == b"{}"
    for member in source.members:
        member.path.encode("utf-8")  # no lone surrogates leave the archive layer
    for problem in source.problems:
        assert str(tmp_path) not in problem.file + problem.message  # paths inside the export only
        assert problem.file.startswith("fb")


def test_cli_csvs_and_json_of_a_folder_with_non_utf8_names(hostile_folder, tmp_path):
    files, items = tmp_path / "files.csv", tmp_path / "items.csv"
    done = subprocess.run([sys.executable, "-m", "app", "scan", str(hostile_folder), "--json", "--files", str(files),
                           "--items", str(items)], capture_output=True, timeout=120, cwd=ROOT,
                          env={**os.environ, "PYTHONIOENCODING": "utf-8:strict"})
    assert done.returncode == 0, done.stderr.decode("utf-8", "replace")
    report = json.loads(done.stdout.decode("utf-8"))
    assert str(tmp_path) not in json.dumps(report["problems"])
    listed = files.read_text(encoding="utf-8-sig")
    assert "caf\ufffd \ufffd.json" in listed and "pipe.json" in listed and "escape.json" in listed
    assert items.read_text(encoding="utf-8-sig")


# ---- inner zips ----------------------------------------------------------------------------------

def test_inner_zips_are_spilled_one_at_a_time_and_removed(tmp_path, monkeypatch):
    outer = crafted.inner_chat_zips(tmp_path / "chats.zip", count=4, media_size=200_000)
    seen: list[int] = []
    real_open = SPILL.open

    def watched(key, fill):
        handle = real_open(key, fill)
        seen.append(len(os.listdir(SPILL.folder)))
        return handle

    monkeypatch.setattr(SPILL, "open", watched)
    audit = scan([outer])
    assert len(audit.sources) == 4 and {s.platform for s in audit.sources} == {"whatsapp_chat"}
    assert seen and max(seen) == 1  # never more than one inner zip on disk
    assert SPILL.folder is None
    assert not any(p.name.startswith("export-auditor-") for p in Path(os.environ.get("TMPDIR", "/tmp")).iterdir()
                   if p.stat().st_uid == os.getuid() and p.name.endswith(str(os.getpid())))
    messages = audit.items[audit.items["platform"] == "whatsapp"]
    assert len(messages) == 4 * 21


def test_the_spill_folder_is_removed_when_the_scan_fails(tmp_path, monkeypatch):
    outer = crafted.inner_chat_zips(tmp_path / "chats.zip", count=2, media_size=1000)
    import parsers.scan as scan_module

    def boom(sources, **options):
        with sources[0].members[0].open() as stream:
            stream.read(1)
        assert SPILL.folder is not None and os.path.isdir(SPILL.folder)
        raise RuntimeError("boom")

    monkeypatch.setattr(scan_module, "scan_sources", boom)
    with pytest.raises(RuntimeError):
        scan_module.scan([outer])
    assert SPILL.folder is None


CHILD = textwrap.dedent("""
    import json, sys, time
    from parsers.scan import scan
    def peak_kb():  # VmHWM: this process's own peak (ru_maxrss would start from the parent's at fork)
        with open("/proc/self/status") as status:
            return next(int(line.split()[1]) for line in status if line.startswith("VmHWM:"))
    base = peak_kb()
    started = time.perf_counter()
    audit = scan([sys.argv[1]])
    print(json.dumps({"sources": len(audit.sources), "items": len(audit.items), "base_kb": base,
                      "peak_kb": peak_kb(), "seconds": time.perf_counter() - started}))
""")


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="reads the peak RSS from /proc (Linux)")
def test_many_deflated_inner_zips_keep_memory_flat(tmp_path):
    """12 inner chat zips of 4 MB, deflated: held in memory (as before) they took 48 MB; the scan adds < 24 MB."""
    outer = crafted.inner_chat_zips(tmp_path / "chats.zip", count=12, media_size=4 * crafted.MiB)
    done = subprocess.run([sys.executable, "-c", CHILD, str(outer)], capture_output=True, text=True, timeout=300,
                          cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["sources"] == 12 and result["items"] == 12 * 21
    assert (result["peak_kb"] - result["base_kb"]) / 1024 < 24, result


def test_an_unreadable_folder_file_names_no_local_path(tmp_path):
    folder = tmp_path / "fb"
    for name, content in GOOD.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(content)
    source = one(folder)
    (folder / POSTS).unlink()  # gone between listing and reading
    audit = scan_sources([source])
    text = " ".join(audit.problems["message"]) + " ".join(audit.files["reason"].fillna(""))
    assert f"{POSTS} could not be opened (No such file or directory)" in text
    assert str(tmp_path) not in text
