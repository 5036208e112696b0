"""The scan pipeline end to end: several platforms in one folder, cancellation, nothing dropped."""
from __future__ import annotations

import zipfile

from builder.facebook import build_facebook
from builder.instagram import build_instagram
from builder.whatsapp import ChatFormat, ChatWriter, chat_tree, chat_zip_name
from parsers.archive import open_sources
from parsers.scan import scan, scan_sources


def _three_platforms(folder):
    build_facebook("2024", seed=3).write_zip(folder / "facebook-someone-2024-05-01-AbCdEf12.zip")
    build_instagram("2025", seed=3).write_folder(folder / "instagram-someone-2025-01-09-XyZ12345")
    writer = ChatWriter(seed=3, fmt=ChatFormat(platform="ios"), chat="Family", with_media=True)
    messages = list(writer.messages(40))
    chat_tree(messages, writer.fmt, "Family").write_zip(folder / chat_zip_name(writer.fmt, "Family"))
    return folder


def _member_count(sources) -> int:
    return sum(len(s.members) + len(s.skipped) for s in sources)


def test_a_folder_of_three_platforms_gives_one_audit(tmp_path):
    folder = _three_platforms(tmp_path / "downloads")
    audit = scan([folder])
    assert sorted(s.platform for s in audit.sources) == ["facebook", "instagram", "whatsapp_chat"]
    assert set(audit.items["platform"].unique()) == {"facebook", "instagram", "whatsapp"}
    # every member of every export is listed exactly once
    assert len(audit.files) == _member_count(open_sources([folder]))
    assert audit.files.groupby(["part", "path"], observed=True).size().max() == 1
    # items per file add up to the items frame
    assert int(audit.files["items"].sum()) == len(audit.items)
    assert not audit.partial


def test_cancel_keeps_a_partial_audit_and_lists_every_file(tmp_path):
    folder = _three_platforms(tmp_path / "downloads")
    sources = open_sources([folder])
    seen = []

    def progress(files_done, files_total, bytes_done, bytes_total, current):
        seen.append(files_done)

    audit = scan_sources(sources, progress=progress, cancelled=lambda: len(seen) > 10)
    assert audit.partial
    assert len(audit.files) == _member_count(sources)
    unread = audit.files[audit.files["reason"].fillna("").str.startswith("not read: the scan was cancelled")]
    assert len(unread) > 0
    assert int(audit.files["items"].sum()) == len(audit.items)


def test_something_unrecognised_says_what_was_looked_for(tmp_path):
    stray = tmp_path / "holiday.zip"
    with zipfile.ZipFile(stray, "w") as archive:
        archive.writestr("notes/list.csv", "a,b\n")
    audit = scan([stray])
    assert [s.platform for s in audit.sources] == ["unknown"]
    [message] = audit.problems.loc[audit.problems["kind"] == "not_recognised", "message"]
    assert "holiday.zip" in message and "Facebook" in message and "WhatsApp" in message
    assert audit.files["status"].tolist() == ["unknown"]
    assert len(audit.items) == 0
