"""Damage the user must see (Audit.complete, incomplete_reason) and chat attachments that are zips or texts.

Built on the builder's exports: a download cut off, a member cut off, parts missing from a multi-part
export (Meta `-partN`, Google Drive `-<stamp>Z-00N`); and WhatsApp chat zips whose attachments are
themselves zips or .txt files (media of that chat, never another chat or export).
"""
from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

from builder import ExportTree
from builder.facebook import build_facebook

import app.cli as cli
from parsers.facebook import E2EE_NOTICE
from parsers.scan import scan

NOTICE_START = E2EE_NOTICE.split("{detail}")[0]


def facebook_zip(tmp_path: Path, name: str = "facebook-ana.zip", **options) -> Path:
    return build_facebook("2024", seed=3, **options).write_zip(tmp_path / name)


def notices(audit) -> list[str]:
    return audit.problems[audit.problems["kind"] == "notice"]["message"].tolist()


def test_a_whole_download_is_complete(tmp_path):
    audit = scan([facebook_zip(tmp_path)])
    assert audit.complete is True and audit.incomplete_reason == ""


def test_a_download_cut_off_is_incomplete_and_gives_no_absence_notice(tmp_path):
    path = facebook_zip(tmp_path)
    with zipfile.ZipFile(path) as archive:
        first_thread = min(i.header_offset for i in archive.infolist() if "/messages/" in i.filename)
    path.write_bytes(path.read_bytes()[: first_thread + 40])  # cut inside the first message thread
    audit = scan([path])
    assert audit.complete is False
    assert audit.incomplete_reason == (
        "The download looks cut off: facebook-ana.zip ends early or is damaged (its table of contents is "
        "missing), so the files after the damage are missing, and 1 file could not be read. Download it again "
        "to see everything.")
    assert not any(n.startswith(NOTICE_START) for n in notices(audit))  # the messages were cut, not absent
    assert not any(n.startswith(NOTICE_START) for n in audit.accounts["facebook"].notices)
    assert (audit.files["status"] == "parsed").any()  # what came before the cut is read


def test_the_absence_notice_stays_for_a_whole_export_without_chats(tmp_path):
    audit = scan([facebook_zip(tmp_path, message_boxes=())])
    assert audit.complete is True
    assert any(n.startswith(NOTICE_START) for n in notices(audit))


def test_a_member_cut_short_makes_the_download_incomplete(tmp_path):
    tree = build_facebook("2024", seed=3)
    name = next(n for n in tree.files if n.endswith(".json") and "/messages/" in n)
    path = tree.write_zip(tmp_path / "facebook-ana.zip", compression=zipfile.ZIP_STORED)
    data = bytearray(path.read_bytes())
    info = zipfile.ZipFile(path).getinfo(name)
    start = info.header_offset + 30 + len(info.filename.encode())
    data[start + 20] ^= 0xFF  # one byte changed: the CRC no longer matches
    path.write_bytes(bytes(data))
    audit = scan([path])
    assert audit.files.set_index("path").loc[name, "status"] == "failed"
    assert audit.complete is False and "1 file could not be read" in audit.incomplete_reason


def test_a_missing_middle_part_is_reported(tmp_path):
    parts = build_facebook("2024", seed=3).write_parts(tmp_path, "facebook-ana-2024-11-18-tP4KIfRH", 3)
    audit = scan([parts[0], parts[2]])
    assert len(audit.sources) == 1 and audit.sources[0].parts == 2
    assert audit.complete is False
    assert audit.incomplete_reason == ("A part of the export is missing: facebook-ana-2024-11-18-tP4KIfRH-part2.zip "
                                       "is missing. Add the missing part to see everything.")
    assert "missing_part" in audit.problems["kind"].tolist()
    assert scan(parts).complete is True


def test_a_missing_drive_part_is_reported(tmp_path):
    stem = "facebook-ana-2024-11-18-tP4KIfRH-20250214T091036Z"
    parts = build_facebook("2024", seed=3).write_parts(tmp_path, "x", 3)
    drive = [p.rename(tmp_path / f"{stem}-{n:03d}.zip") for n, p in enumerate(parts, 1)]
    audit = scan([drive[0], drive[2]])
    assert audit.complete is False and f"{stem}-002.zip is missing" in audit.incomplete_reason


def test_scan_json_says_complete_false_with_the_reason(tmp_path):
    path = facebook_zip(tmp_path)
    path.write_bytes(path.read_bytes()[:-5000])
    out = io.StringIO()
    assert cli.run_cli(["scan", str(path), "--json"], stdout=out, stderr=io.StringIO()) == 0
    report = json.loads(out.getvalue())
    assert report["complete"] is False
    assert report["incomplete_reason"].startswith("The download looks cut off: facebook-ana.zip ends early")


# ---- a chat's attachments are media of that chat, whatever their type ---------------------------------

def inner_chat_zip() -> bytes:
    """A zip someone sent in the chat; it happens to hold a chat export itself."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("_chat.txt", "[01.01.23, 09:00:00] Someone: another chat, not this one\n")
    return buffer.getvalue()


def chat_with_attachments(platform: str) -> tuple[ExportTree, dict[str, int]]:
    """An iOS or Android chat whose attachments are a zip, a .txt and a photo."""
    tree, sizes = ExportTree(), {}
    if platform == "ios":
        names = ["00000004-holiday.zip", "00000012-notes.txt", "00000013-PHOTO-2023-01-01-10-00-00.jpg"]
        lines = [f"[01.01.23, 10:00:{i:02d}] Ana: <attached: {n}>" for i, n in enumerate(names)]
        chat = "_chat.txt"
    else:
        names = ["DOC-20230101-WA0004.zip", "DOC-20230101-WA0005.txt", "IMG-20230101-WA0006.jpg"]
        lines = [f"01/01/2023, 10:0{i} - Ana: \u200e{n} (file attached)" for i, n in enumerate(names)]
        chat = "WhatsApp Chat with Bo.txt"
    tree.add(chat, "\n".join(["[01.01.23, 09:59:00] Bo: hi" if platform == "ios" else
                              "01/01/2023, 09:59 - Bo: hi", *lines]) + "\n")
    tree.add(names[0], inner_chat_zip())
    tree.add(names[1], "[01.01.23, 09:00:00] Notes: my own notes, sent as a file\n")
    tree.add_media(names[2], 3000)
    sizes = {n: len(tree.files[n]) for n in names}
    return tree, sizes


def test_zip_and_txt_attachments_are_media_of_the_chat(tmp_path):
    for platform in ("ios", "android"):
        tree, sizes = chat_with_attachments(platform)
        path = tree.write_zip(tmp_path / platform / "WhatsApp Chat - Bo.zip")
        audit = scan([path])
        assert [s.platform for s in audit.sources] == ["whatsapp_chat"], platform  # one chat, nothing opened
        files = audit.files.set_index("path")
        for name in sizes:
            assert files.loc[name, "status"] == "ignored" and files.loc[name, "reason"].startswith("media file")
        media = audit.items[audit.items["media_count"] > 0]
        assert len(media) == 3 and media["media_bytes"].sum() == sum(sizes.values()), platform
        assert set(audit.items["source_file"].astype(str)) == {"_chat.txt" if platform == "ios"
                                                                 else "WhatsApp Chat with Bo.txt"}


def test_an_attached_zip_in_a_chat_folder_stays_an_attachment(tmp_path):
    tree, sizes = chat_with_attachments("android")
    folder = tree.write_folder(tmp_path / "WhatsApp Chat with Bo")
    audit = scan([folder])
    assert [s.platform for s in audit.sources] == ["whatsapp_chat"]
    assert audit.items["media_bytes"].sum() == sum(sizes.values())
