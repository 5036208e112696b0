"""Bad inputs: each gets a clear problem naming the file, and the rest of the export is still read."""
from __future__ import annotations

import io
import struct
import zipfile
from pathlib import Path

import pytest

from crafted import GOOD, POSTS, PROFILE, central_headers, write_zip
from parsers.archive import EncryptedMember, Limits, MemberTooLarge, open_sources
from parsers.contract import AccountContext, ItemsBuilder
from parsers.handlers import HandlerTable, handle, run_table
from parsers.scan import scan_sources


def one(path: Path, **kwargs):
    [source] = open_sources([path], **kwargs)
    return source


def assert_good_members_read(source) -> None:
    for name, content in GOOD.items():
        with source.get(name).open() as stream:
            assert stream.read() == content


def test_encrypted_member_is_reported_and_refuses_to_open(tmp_path):
    path = write_zip(tmp_path / "fb.zip", {"your_facebook_activity/comments_and_reactions/comments.json": b"{}"})
    data = bytearray(path.read_bytes())
    info = zipfile.ZipFile(path).getinfo("your_facebook_activity/comments_and_reactions/comments.json")
    data[info.header_offset + 6] |= 0x1  # general-purpose flag, local header
    central = central_headers(bytes(data))[2]
    data[central + 8] |= 0x1  # and in the central directory
    path.write_bytes(bytes(data))
    source = one(path)
    [problem] = source.problems
    assert problem.kind == "encrypted"
    assert problem.file == "fb.zip: your_facebook_activity/comments_and_reactions/comments.json"
    assert "password-protected (encrypted) and cannot be read" in problem.message
    secret = source.get("your_facebook_activity/comments_and_reactions/comments.json")
    assert secret.size == 2  # still listed with its real size
    with pytest.raises(EncryptedMember, match="password-protected"):
        secret.open()
    assert_good_members_read(source)
    # through the whole scan: the member is failed, with the listing's one problem row (not a second)
    audit = scan_sources([source])
    row = audit.files.set_index("path").loc["your_facebook_activity/comments_and_reactions/comments.json"]
    assert row["status"] == "failed" and "password-protected" in row["reason"]
    assert audit.problems["kind"].tolist().count("encrypted") == 1
    assert not audit.problems["message"].str.contains("comments.json could not be read").any()
    assert audit.files.set_index("path").loc[POSTS, "status"] == "parsed"


def test_truncated_zip_is_listed_best_effort(tmp_path):
    big = bytes(range(256)) * 200  # 51,200 bytes, stored: the cut lands inside it
    path = write_zip(tmp_path / "fb.zip", {"media/cut.jpg": big, "media/after.jpg": b"x" * 10}, stored=True)
    info = zipfile.ZipFile(path).getinfo("media/cut.jpg")
    path.write_bytes(path.read_bytes()[: info.header_offset + 1000])
    source = one(path)
    assert [m.path for m in source.members] == [PROFILE, POSTS]
    kinds = {p.kind: p for p in source.problems}
    assert "its table of contents is missing" in kinds["truncated_zip"].message
    assert "2 files could still be listed" in kinds["truncated_zip"].message
    assert kinds["truncated_member"].file == "fb.zip: media/cut.jpg"
    assert [(s.path, s.status) for s in source.skipped] == [("media/cut.jpg", "failed")]
    assert_good_members_read(source)


def test_truncated_streamed_zip_with_data_descriptors_is_listed(tmp_path):
    """A zip written to a pipe has sizes only in data descriptors after each member."""

    class Pipe(io.RawIOBase):
        def __init__(self) -> None:
            self.data = bytearray()

        def writable(self) -> bool:
            return True

        def write(self, b) -> int:
            self.data += b
            return len(b)

    pipe = Pipe()
    with zipfile.ZipFile(pipe, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, content in GOOD.items():
            with archive.open(name, "w") as stream:
                stream.write(content)
    data = bytes(pipe.data)
    path = tmp_path / "streamed.zip"
    path.write_bytes(data[: central_headers(data)[0] + 10])  # directory cut off
    source = one(path)
    assert [m.path for m in source.members] == [PROFILE, POSTS]
    assert source.problems[0].kind == "truncated_zip"
    assert_good_members_read(source)


def test_corrupt_zip_directory_falls_back_to_the_local_headers(tmp_path):
    path = write_zip(tmp_path / "fb.zip")
    data = bytearray(path.read_bytes())
    first = central_headers(bytes(data))[0]
    data[first:first + 4] = b"XXXX"  # the directory's first record is garbage
    path.write_bytes(bytes(data))
    source = one(path)
    assert source.problems[0].kind == "truncated_zip" and "fb.zip is incomplete or damaged" in source.problems[0].message
    assert_good_members_read(source)


def test_non_zip_named_zip(tmp_path):
    path = tmp_path / "facebook.zip"
    path.write_text("<html>Your download has expired</html>")
    source = one(path)
    assert source.members == []
    [problem] = source.problems
    assert (problem.file, problem.kind) == ("facebook.zip", "not_a_zip")
    assert problem.message.startswith("facebook.zip is named .zip but is not a zip file (it starts with b'<htm')")


def test_empty_zip_and_zero_byte_zip(tmp_path):
    zipfile.ZipFile(tmp_path / "empty.zip", "w").close()
    (tmp_path / "zero.zip").write_bytes(b"")
    empty, zero = open_sources([tmp_path / "empty.zip", tmp_path / "zero.zip"])
    assert [(p.kind, p.message) for p in empty.problems] == [("empty_zip", "empty.zip is a zip file with no files in it.")]
    assert [p.kind for p in zero.problems] == ["empty_file"]
    assert "zero.zip is empty (0 bytes)" in zero.problems[0].message


def test_duplicate_names_keep_the_first_copy(tmp_path):
    path = write_zip(tmp_path / "fb.zip", {PROFILE: b'{"second": 1}'})
    source = one(path)
    [problem] = source.problems
    assert problem.kind == "duplicate_name" and problem.file == f"fb.zip: {PROFILE}"
    assert problem.message == f"{PROFILE} appears twice in fb.zip; the first copy is read."
    assert [(s.path, s.status) for s in source.skipped] == [(PROFILE, "ignored")]
    assert_good_members_read(source)


def test_overlapping_entries_are_not_read(tmp_path):
    path = write_zip(tmp_path / "fb.zip", {"your_facebook_activity/bomb.json": b"[]" * 50})
    data = bytearray(path.read_bytes())
    central = central_headers(bytes(data))[2]
    first_offset = zipfile.ZipFile(path).getinfo(POSTS).header_offset
    data[central + 42:central + 46] = struct.pack("<I", first_offset + 10)  # starts inside POSTS
    path.write_bytes(bytes(data))
    source = one(path)
    [problem] = source.problems
    assert problem.kind == "overlapping_entries" and problem.file == "fb.zip: your_facebook_activity/bomb.json"
    assert "shares its bytes with another entry" in problem.message
    assert [(s.path, s.status) for s in source.skipped] == [("your_facebook_activity/bomb.json", "failed")]
    assert_good_members_read(source)


def test_mac_and_windows_junk_is_listed_as_ignored_not_read(tmp_path):
    path = write_zip(tmp_path / "fb.zip", {"__MACOSX/personal_information/._profile.json": b"\x00\x05",
                                          "your_facebook_activity/.DS_Store": b"\x00\x00",
                                          "Thumbs.db": b"\x00"})
    source = one(path)
    assert [m.path for m in source.members] == [PROFILE, POSTS]  # the root is found despite __MACOSX/
    reasons = {s.path: (s.status, s.reason) for s in source.skipped}
    assert reasons["__MACOSX/personal_information/._profile.json"][1].startswith("macOS resource-fork copy")
    assert reasons["your_facebook_activity/.DS_Store"] == ("ignored",
                                                           "macOS folder-view settings (.DS_Store); not export content")
    assert reasons["Thumbs.db"][0] == "ignored"
    assert source.problems == []
    audit = scan_sources([source])  # the scan lists them in the files table
    files = audit.files.set_index("path")
    assert files.loc["your_facebook_activity/.DS_Store", "status"] == "ignored"
    assert files.loc["__MACOSX/personal_information/._profile.json", "reason"].startswith("macOS resource-fork")


def test_backslash_paths_are_normalised_with_a_problem(tmp_path):
    path = write_zip(tmp_path / "fb.zip", {"your_facebook_activity\\comments_and_reactions\\comments.json": b"{}"})
    source = one(path)
    assert source.get("your_facebook_activity/comments_and_reactions/comments.json").size == 2
    [problem] = source.problems
    assert problem.kind == "backslash_path"
    assert "uses backslashes as folder separators" in problem.message
    assert "read as your_facebook_activity/comments_and_reactions/comments.json" in problem.message


def test_dot_dot_names_are_not_read(tmp_path):
    path = write_zip(tmp_path / "fb.zip", {"../../etc/evil.json": b"{}"})
    source = one(path)
    [problem] = source.problems
    assert problem.kind == "unsafe_path" and problem.file == "fb.zip: ../../etc/evil.json"
    assert "has '..' in its name" in problem.message
    assert [(s.path, s.status) for s in source.skipped] == [("../../etc/evil.json", "failed")]
    assert [m.path for m in source.members] == [PROFILE, POSTS]


def test_compression_ratio_bomb_is_not_read(tmp_path):
    path = write_zip(tmp_path / "fb.zip", {"your_facebook_activity/zeros.json": bytes(4 * 1024 * 1024)})
    source = one(path)
    [problem] = source.problems
    assert problem.kind == "compression_ratio"
    assert "past the safety limit of 200" in problem.message and "zeros.json in fb.zip would inflate" in problem.message
    assert source.get("your_facebook_activity/zeros.json") is None
    assert_good_members_read(source)


def test_member_count_limit(tmp_path):
    path = write_zip(tmp_path / "fb.zip", {f"your_facebook_activity/f{i}.json": b"{}" for i in range(8)})
    source = one(path, limits=Limits(max_members=5))
    assert len(source.members) == 5
    [problem] = source.problems
    assert problem.kind == "too_many_members"
    assert problem.message == "fb.zip holds 10 files, more than the safety limit of 5; only the first 5 were listed."


def test_declared_total_size_limit(tmp_path):
    path = write_zip(tmp_path / "fb.zip", {"media/big.json": b"x" * 1000, "media/next.json": b"y" * 10})
    source = one(path, limits=Limits(max_total_size=500))
    assert [m.path for m in source.members] == [PROFILE, POSTS]
    assert [(s.path, s.status) for s in source.skipped] == [("media/big.json", "failed"),
                                                            ("media/next.json", "failed")]
    [problem] = source.problems
    assert problem.kind == "too_large" and "media/big.json and the files after it were not read" in problem.message


def test_stream_stops_when_a_member_inflates_past_its_limit(tmp_path):
    content = b"[" + b'{"timestamp": 1600000000},' * 100 + b"{}]"
    path = write_zip(tmp_path / "fb.zip", {"your_facebook_activity/big.json": content})
    source = one(path, limits=Limits(max_member_size=1000))
    assert source.get("your_facebook_activity/big.json").size == len(content)  # listing is not limited
    with pytest.raises(MemberTooLarge, match="inflated past 1,000 bytes"):
        with source.get("your_facebook_activity/big.json").open() as stream:
            stream.read()

    def read_all(member, ctx):
        with member.open() as stream:
            while stream.read(100):
                pass
        return iter(())

    table = HandlerTable("facebook", [handle(r".*\.json", read_all, "posts")])
    run = run_table(table, source, AccountContext(), ItemsBuilder())
    rows = {row[0]: row for row in run.file_rows}
    assert rows["your_facebook_activity/big.json"][3] == "failed"
    assert rows[PROFILE][3] == "parsed" and rows[POSTS][3] == "parsed"
    [problem] = [p for p in run.problems if p.kind != "no_items"]  # (read_all yields no items from any file)
    assert problem.file == "your_facebook_activity/big.json"
    assert "inflated past 1,000 bytes, the safety limit for one file" in problem.message


def test_many_problems_of_one_kind_are_summarised(tmp_path):
    path = write_zip(tmp_path / "fb.zip", {f"../x{i}.json": b"{}" for i in range(25)})
    source = one(path)
    assert len(source.problems) == 21  # 20 named one by one, then one summary row
    assert source.problems[-1].message.startswith("... and 5 more files of fb.zip with the same problem (unsafe_path)")
    assert len(source.skipped) == 25


def test_reading_stops_when_the_whole_export_passes_its_total(tmp_path):
    """A folder is not skipped by its declared total (files on disk are what they are), but the
    streams of one export share a byte budget."""
    folder = tmp_path / "fb"
    for index in range(3):
        target = folder / "your_facebook_activity" / f"f{index}.json"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(b" " * 600 + b"{}")
    source = one(folder, limits=Limits(max_total_size=1500))
    [problem] = source.problems
    assert problem.kind == "too_large" and "fb holds 1,806 bytes, more than the safety limit of 1,500" in problem.message
    first, second, third = source.members
    for member in (first, second):
        with member.open() as stream:
            assert len(stream.read()) == 602
    with pytest.raises(MemberTooLarge, match="went past the total number of bytes this export may yield"):
        with third.open() as stream:
            stream.read()


def test_every_limit_is_in_the_readme_safety_section():
    """Each limit in parsers/limits.py is named in the README's "Safety limits" table (with its value)."""
    import dataclasses

    import parsers.limits as limits

    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    section = readme.split("### Safety limits", 1)[1].split("\n## ", 1)[0]
    names = [f.name for f in dataclasses.fields(limits.Limits)] + [n for n in vars(limits) if n.startswith("MAX_")]
    missing = [name for name in names if f"`{name}`" not in section]
    assert not missing, f"add these limits to the README's Safety limits table: {missing}"
