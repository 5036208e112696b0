"""Every input shape the archive reader accepts, read through one uniform Source view."""
from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from builder import ExportTree
from builder.facebook import build_facebook

from parsers import archive
from parsers.archive import Limits, find_roots, open_source, part_stem, strip_root
from parsers.detect import detect
from parsers.scan import scan

PROFILE = "personal_information/profile_information/profile_information.json"
POSTS = "your_facebook_activity/posts/your_posts__check_ins__photos_and_videos_1.json"
PHOTO = "your_facebook_activity/posts/media/Album_1/photo.jpg"
IG_PROFILE = "personal_information/personal_information/personal_information.json"
CHAT = "12/07/2017, 22:35 - Ana: hello\n12/07/2017, 22:36 - Bo: hi there\n"
IOS_CHAT = "[20.06.19, 16:00:15] Loris: <attached: 00000001-PHOTO-2019-06-20-16-00-15.jpg>\n"


def open_sources(paths, **options):
    """The archive layer as the scan uses it: with the detector that tells the platform of each piece."""
    return archive.open_sources(paths, detector=detect, **options)


def facebook_tree() -> ExportTree:
    tree = ExportTree()
    tree.add_json(PROFILE, {"profile_v2": {"name": {"full_name": "Ana"}}})
    tree.add_json(POSTS, [{"timestamp": 1600000000, "data": [{"post": "hello"}]}])
    tree.add_media(PHOTO, 5000)
    tree.add_media("your_facebook_activity/messages/inbox/bo_1/photos/1.jpg", 3000)
    return tree


def instagram_tree() -> ExportTree:
    tree = ExportTree()
    tree.add_json(IG_PROFILE, {"profile_user": []})
    tree.add_json("your_instagram_activity/content/posts_1.json", [])
    tree.add_media("media/posts/202301/1.jpg", 2000)
    return tree


def ios_chat_zip(path: Path, compression: int = zipfile.ZIP_DEFLATED, chat: str = IOS_CHAT) -> Path:
    with zipfile.ZipFile(path, "w", compression=compression) as archive:
        archive.writestr("_chat.txt", chat)
        archive.writestr("00000001-PHOTO-2019-06-20-16-00-15.jpg", b"\xff\xd8" + bytes(range(256)) * 4,
                         compress_type=zipfile.ZIP_STORED)
    return path


def listing(source) -> dict[str, tuple[int, str]]:
    return {m.path: (m.size, m.part) for m in source.members}


def test_single_zip_lists_paths_sizes_and_streams_members(tmp_path):
    tree = facebook_tree()
    path = tree.write_zip(tmp_path / "facebook-ana-2024-11-18-tP4KIfRH.zip")
    [source] = open_sources([path])
    assert source.label == "facebook-ana-2024-11-18-tP4KIfRH.zip"
    assert source.parts == ["facebook-ana-2024-11-18-tP4KIfRH.zip"]
    assert set(listing(source)) == set(tree.files)
    photo = source.get(PHOTO)
    assert photo.size == 5000 and photo.compressed_size == 5000  # media are stored
    profile = source.get(PROFILE)
    assert profile.size == len(tree.files[PROFILE]) and profile.compressed_size < profile.size
    with profile.open() as stream:
        assert stream.read(5) == tree.files[PROFILE][:5]
        assert stream.read() == tree.files[PROFILE][5:]
    assert source.problems == [] and source.skipped == []


def test_listing_reads_no_member(tmp_path, monkeypatch):
    """Sizes come from the zip directory: not one member is opened to list a single export."""
    path = facebook_tree().write_zip(tmp_path / "fb.zip")
    opened: list[str] = []
    real_open = zipfile.ZipFile.open
    monkeypatch.setattr(zipfile.ZipFile, "open", lambda self, name, *a, **k: opened.append(str(name)) or
                        real_open(self, name, *a, **k))
    [source] = open_sources([path])
    assert len(source.members) == 4
    assert opened == []


@pytest.mark.parametrize("wrap", ["facebook-ana", "facebook-ana-20250214T091036Z-001/facebook-ana"])
def test_drive_wrapped_zip_reads_like_a_direct_one(tmp_path, wrap):
    tree = facebook_tree()
    [direct] = open_sources([tree.write_zip(tmp_path / "direct.zip")])
    [wrapped] = open_sources([tree.write_zip(tmp_path / "wrapped.zip", wrap=wrap)])
    assert wrapped.root == wrap
    assert {m.path: m.size for m in wrapped.members} == {m.path: m.size for m in direct.members}
    with wrapped.get(PROFILE).open() as stream:
        assert stream.read() == tree.files[PROFILE]


def test_extracted_folder_reads_like_the_zip(tmp_path):
    tree = facebook_tree()
    [zipped] = open_sources([tree.write_zip(tmp_path / "fb.zip")])
    [folder] = open_sources([tree.write_folder(tmp_path / "fb", wrap="facebook-ana")])
    assert {m.path: m.size for m in folder.members} == {m.path: m.size for m in zipped.members}
    assert folder.root == "facebook-ana" and folder.parts == ["fb"]
    assert folder.get(PHOTO).compressed_size == 5000
    with folder.get(POSTS).open() as stream:
        assert stream.read() == tree.files[POSTS]


def test_parts_given_in_any_order_make_one_source(tmp_path):
    tree = facebook_tree()
    parts = tree.write_parts(tmp_path, "facebook-ana-2024-11-18-tP4KIfRH", 3)
    sources = open_sources(list(reversed(parts)))
    assert len(sources) == 1
    [source] = sources
    assert source.parts == [p.name for p in parts]  # sorted part1, part2, part3 whatever the given order
    assert source.label == f"{parts[0].name} (+2 parts)"
    assert set(listing(source)) == set(tree.files)
    # write_parts deals the sorted members round-robin: part n holds the n-th, (n+3)-th ... member
    for index, name in enumerate(sorted(tree.files)):
        assert source.get(name).part == parts[index % 3].name


def test_parts_named_by_meta_with_different_tails_merge_on_complementary_content(tmp_path):
    tree = facebook_tree()
    one, two = ExportTree(), ExportTree()
    for name, content in tree.files.items():
        (one if name in (PROFILE, POSTS) else two).files[name] = content
    a = one.write_zip(tmp_path / "facebook-ana-2024-11-18-AAAAAAAA.zip")
    b = two.write_zip(tmp_path / "facebook-ana-2024-11-18-BBBBBBBB.zip")
    [source] = open_sources([b, a])
    assert source.parts == [a.name, b.name]
    assert set(listing(source)) == set(tree.files)


def test_a_part_holding_only_message_folders_joins_its_export(tmp_path):
    tree = facebook_tree()
    one, two = ExportTree(), ExportTree()
    for name, content in tree.files.items():
        (two if "/messages/" in name else one).files[name] = content
    a = one.write_zip(tmp_path / "facebook-ana-2024-11-18-AAAAAAAA.zip")
    b = two.write_zip(tmp_path / "facebook-ana-2024-11-18-BBBBBBBB.zip")
    [source] = open_sources([a, b])
    assert set(listing(source)) == set(tree.files)


def test_e2ee_download_stays_apart_from_the_facebook_export(tmp_path):
    e2ee = ExportTree()
    e2ee.add_json("messages/Bo_1.json", {"participants": ["Ana", "Bo"], "threadName": "Bo", "messages": []})
    sources = open_sources([facebook_tree().write_zip(tmp_path / "facebook-ana.zip"),
                            e2ee.write_zip(tmp_path / "messenger-e2ee.zip")])
    assert [s.label for s in sources] == ["facebook-ana.zip", "messenger-e2ee.zip"]


def test_two_exports_of_one_platform_stay_apart(tmp_path):
    first = facebook_tree().write_zip(tmp_path / "facebook-ana.zip")
    other = facebook_tree()
    other.add_json(POSTS, [{"timestamp": 1700000000, "data": [{"post": "another account, another post"}]}])
    second = other.write_zip(tmp_path / "facebook-bo.zip")
    sources = open_sources([first, second])
    assert [s.label for s in sources] == ["facebook-ana.zip", "facebook-bo.zip"]
    assert all(s.problems == [] and s.skipped == [] for s in sources)


def test_two_chats_never_merge_even_with_part_like_names(tmp_path):
    (tmp_path / "chat-part1.txt").write_text(CHAT, encoding="utf-8")
    (tmp_path / "chat-part2.txt").write_text(CHAT, encoding="utf-8")
    a = ios_chat_zip(tmp_path / "WhatsApp Chat - Ana 1.zip")
    b = ios_chat_zip(tmp_path / "WhatsApp Chat - Ana 2.zip", chat=IOS_CHAT + "[21.06.19, 09:00:00] Ana: later\n")
    sources = open_sources([tmp_path / "chat-part1.txt", tmp_path / "chat-part2.txt", a, b])
    assert len(sources) == 4


def test_single_chat_txt(tmp_path):
    path = tmp_path / "WhatsApp Chat with Ana.txt"
    path.write_text(CHAT, encoding="utf-8")
    [source] = open_sources([str(path)])
    assert listing(source) == {"WhatsApp Chat with Ana.txt": (len(CHAT.encode()), "WhatsApp Chat with Ana.txt")}
    with source.members[0].open() as stream:
        assert stream.read().decode() == CHAT


@pytest.mark.parametrize("compression", [zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED])
def test_zip_inside_a_zip_is_its_own_source(tmp_path, compression):
    inner = ios_chat_zip(tmp_path / "WhatsApp Chat - Ana.zip")
    outer = tmp_path / "chats.zip"
    with zipfile.ZipFile(outer, "w") as archive:
        archive.write(inner, "WhatsApp Chat - Ana.zip", compress_type=compression)
        archive.writestr("readme.md", "notes")
    sources = open_sources([outer])
    by_label = {s.label: s for s in sources}
    chat = by_label["chats.zip/WhatsApp Chat - Ana.zip"]
    assert set(listing(chat)) == {"_chat.txt", "00000001-PHOTO-2019-06-20-16-00-15.jpg"}
    assert chat.get("_chat.txt").part == "chats.zip/WhatsApp Chat - Ana.zip"
    with chat.get("_chat.txt").open() as stream:
        assert stream.read().decode() == IOS_CHAT
    other = by_label["chats.zip » other files"]  # nothing is dropped: the outer zip's own file
    assert [m.path for m in other.members] == ["readme.md"]


def test_compressed_inner_zip_over_its_size_cap_is_reported_and_still_listed(tmp_path):
    inner = ios_chat_zip(tmp_path / "WhatsApp Chat - Ana.zip")
    outer = tmp_path / "chats.zip"
    with zipfile.ZipFile(outer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.write(inner, "WhatsApp Chat - Ana.zip")
    [source] = open_sources([outer], limits=Limits(max_nested_zip_size=100))
    assert [m.path for m in source.members] == ["WhatsApp Chat - Ana.zip"]
    [problem] = source.problems
    assert problem.kind == "nested_zip"
    assert problem.file == "chats.zip/WhatsApp Chat - Ana.zip"
    assert "compressed zip inside a zip" in problem.message and "not opened" in problem.message
    assert "more than the 100 bytes the app inflates to its temporary folder" in problem.message


def test_a_zip_attached_inside_an_export_stays_a_member(tmp_path):
    tree = facebook_tree()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("_chat.txt", IOS_CHAT)
    tree.add("your_facebook_activity/messages/inbox/bo_1/files/chat.zip", buffer.getvalue())
    [source] = open_sources([tree.write_zip(tmp_path / "fb.zip")])
    assert source.get("your_facebook_activity/messages/inbox/bo_1/files/chat.zip") is not None


def test_folder_with_several_exports_splits_into_one_source_each(tmp_path):
    downloads = tmp_path / "Downloads"
    facebook_tree().write_folder(downloads, wrap="facebook-ana-2024-11-18-tP4KIfRH")
    instagram_tree().write_folder(downloads, wrap="nested/instagram-ana-2024-11-20-poQTe0ag")
    (downloads / "chat").mkdir()
    (downloads / "chat" / "WhatsApp Chat with Bo.txt").write_text(CHAT, encoding="utf-8")
    (downloads / "chat" / "IMG-20170712-WA0001.jpg").write_bytes(b"\xff\xd8" * 100)
    ios_chat_zip(downloads / "WhatsApp Chat - Ana.zip")
    (downloads / "todo.md").write_text("buy milk")
    sources = {s.label: s for s in open_sources([downloads])}
    assert set(sources) == {"Downloads » facebook-ana-2024-11-18-tP4KIfRH",
                            "Downloads » nested/instagram-ana-2024-11-20-poQTe0ag",
                            "Downloads » chat", "Downloads/WhatsApp Chat - Ana.zip", "Downloads » other files"}
    assert set(listing(sources["Downloads » facebook-ana-2024-11-18-tP4KIfRH"])) == set(facebook_tree().files)
    assert set(listing(sources["Downloads » nested/instagram-ana-2024-11-20-poQTe0ag"])) == set(instagram_tree().files)
    assert set(listing(sources["Downloads » chat"])) == {"WhatsApp Chat with Bo.txt", "IMG-20170712-WA0001.jpg"}
    assert set(listing(sources["Downloads/WhatsApp Chat - Ana.zip"])) == {
        "_chat.txt", "00000001-PHOTO-2019-06-20-16-00-15.jpg"}
    assert set(listing(sources["Downloads » other files"])) == {"todo.md"}


def test_folder_of_parts_merges_them(tmp_path):
    tree = facebook_tree()
    tree.write_parts(tmp_path / "dl", "facebook-ana", 2)
    [source] = open_sources([tmp_path / "dl"])
    assert source.parts == ["dl/facebook-ana-part1.zip", "dl/facebook-ana-part2.zip"]
    assert set(listing(source)) == set(tree.files)


def test_open_source_joins_given_parts_without_guessing(tmp_path):
    parts = facebook_tree().write_parts(tmp_path, "x", 2)
    source = open_source(parts)
    assert len(source.members) == 4 and source.parts == ["x-part1.zip", "x-part2.zip"]


def test_missing_path_is_a_problem(tmp_path):
    [source] = open_sources([tmp_path / "nope.zip"])
    assert source.members == []
    assert source.problems[0].kind == "missing" and "does not exist" in source.problems[0].message


def test_roots_and_part_names():
    paths = ["a/b/your_facebook_activity/x.json", "a/b/personal_information/y.json", "a/b/media/z.jpg",
             "c/WhatsApp Chat with Bo.txt", "c/IMG-1.jpg", "a/b/posts/no-data.txt"]
    assert find_roots(paths) == ["c", "a/b"]  # shallowest first
    assert strip_root(paths) == "a/b"
    assert part_stem("facebook-ana-part2.zip") == part_stem("facebook-ana-part10.zip") == "facebook-ana"
    assert part_stem("instagram-x-2025-02-18-sCPTrHuB-20250214T091036Z-002.zip") == "instagram-x-2025-02-18-scptrhub"
    assert part_stem("export (1).zip") == part_stem("export.zip") == "export"
    assert part_stem("facebook-ana-2024-11-18-tP4KIfRH.zip") == "facebook-ana-2024-11-18-tp4kifrh"


def test_empty_folder_is_a_problem(tmp_path):
    (tmp_path / "nothing").mkdir()
    [source] = open_sources([tmp_path / "nothing"])
    assert [(p.kind, p.message) for p in source.problems] == [("empty_folder", "nothing holds no files.")]


# ---- the same export given twice is read once ---------------------------------------------------

FB_NAME = "facebook-ana-2024-11-18-tP4KIfRH"


def duplicate_problems(source) -> list[tuple[str, str]]:
    return [(p.file, p.message) for p in source.problems if p.kind == "duplicate_export"]


def by_path(files, part: str | None = None) -> dict[str, tuple[str, str]]:
    rows = files if part is None else files[files["part"] == part]
    return {r.path: (r.status, r.reason) for r in rows.itertuples()}


def test_zip_and_its_extracted_folder_side_by_side_are_read_once(tmp_path):
    export = build_facebook("2024", seed=5)
    downloads = tmp_path / "Downloads"
    export.write_folder(downloads, wrap=FB_NAME)
    zipped = export.write_zip(downloads / f"{FB_NAME}.zip")
    [source] = open_sources([downloads])
    assert source.parts == [f"Downloads/{FB_NAME}.zip"]  # the folder comes first in the listing, the zip is read
    assert duplicate_problems(source) == [(
        f"Downloads » {FB_NAME}",
        f"Downloads » {FB_NAME} holds the same files as Downloads/{FB_NAME}.zip (the same export); it was "
        f"read once, from Downloads/{FB_NAME}.zip.")]
    assert {m.path for m in source.members} == set(export.files)
    assert {k.path for k in source.skipped if k.part == "Downloads"} == set(export.files)

    alone, both = scan([zipped]), scan([downloads])
    assert len(alone.items) > 0 and len(both.items) == len(alone.items)
    assert (both.items.groupby("category", observed=True).size()
            .equals(alone.items.groupby("category", observed=True).size()))
    assert len(both.files) == 2 * len(export.files)  # every member once as read, once as the ignored copy
    assert by_path(both.files, f"Downloads/{FB_NAME}.zip") == by_path(alone.files)
    copies = by_path(both.files, "Downloads")
    assert set(copies) == set(export.files)
    assert {status for status, _ in copies.values()} == {"ignored"}
    assert {reason for _, reason in copies.values()} == {
        f"the same file is in Downloads/{FB_NAME}.zip, which was read"}
    assert both.files.groupby(["part", "path"], observed=True).size().max() == 1
    [problem] = both.problems[both.problems["kind"] == "duplicate_export"].itertuples()
    assert problem.file == f"Downloads » {FB_NAME}"


def test_the_zip_is_read_whichever_copy_is_given_first(tmp_path):
    tree = facebook_tree()
    folder = tree.write_folder(tmp_path / "fb", wrap="facebook-ana")
    zipped = tree.write_zip(tmp_path / "fb.zip")
    for order in ([folder, zipped], [zipped, folder]):
        [source] = open_sources(order)
        assert source.parts == ["fb.zip"]
        assert duplicate_problems(source) == [
            ("fb", "fb holds the same files as fb.zip (the same export); it was read once, from fb.zip.")]


def test_same_zip_selected_twice(tmp_path):
    path = facebook_tree().write_zip(tmp_path / "fb.zip")
    [source] = open_sources([path, path])
    assert duplicate_problems(source) == [("fb.zip", "fb.zip was given twice; it was read once.")]
    assert len(source.members) == 4
    assert {(k.path, k.part, k.status) for k in source.skipped} == {
        (m.path, "fb.zip (given again)", "ignored") for m in source.members}
    assert len(scan([path, path]).items) == len(scan([path]).items)


def test_drive_wrapped_copy_next_to_the_direct_zip(tmp_path):
    tree = instagram_tree()
    direct = tree.write_zip(tmp_path / "instagram-ana-2024-11-20-poQTe0ag.zip")
    wrapped = tree.write_zip(tmp_path / "instagram-ana-2024-11-20-poQTe0ag-20250214T091036Z-001.zip",
                             wrap="instagram-ana-2024-11-20-poQTe0ag")
    [source] = open_sources([direct, wrapped])
    assert source.parts == [direct.name]  # both zips: the first given is read
    assert [file for file, _ in duplicate_problems(source)] == [wrapped.name]


def test_incomplete_extraction_next_to_the_zip_reads_the_zip(tmp_path):
    tree = facebook_tree()
    zipped = tree.write_zip(tmp_path / "fb.zip")
    folder = tree.write_folder(tmp_path / "fb", wrap="facebook-ana")
    (folder / "facebook-ana" / PHOTO).unlink()  # the extraction stopped before the last files
    (folder / "facebook-ana" / "your_facebook_activity/messages/inbox/bo_1/photos/1.jpg").unlink()
    for order in ([folder, zipped], [zipped, folder]):
        [source] = open_sources(order)
        assert source.parts == ["fb.zip"] and len(source.members) == 4
        assert duplicate_problems(source) == [(
            "fb", "fb holds only 2 of the 4 files of fb.zip (an incomplete copy, e.g. an extraction that stopped "
                  "early); the export was read once, from the complete fb.zip.")]
        assert {(k.path, k.status) for k in source.skipped} == {(PROFILE, "ignored"), (POSTS, "ignored")}


def test_truncated_zip_next_to_its_complete_extraction_reads_the_folder(tmp_path):
    tree = facebook_tree()
    folder = tree.write_folder(tmp_path / "fb", wrap="facebook-ana")
    zipped = tree.write_zip(tmp_path / "fb.zip")
    data = zipped.read_bytes()
    zipped.write_bytes(data[: len(data) - 2000])  # cuts the directory and the stored 3000-byte last photo
    [source] = open_sources([zipped, folder])
    assert source.parts == ["fb"] and len(source.members) == 4
    kinds = [p.kind for p in source.problems]
    assert "truncated_zip" in kinds and "duplicate_export" in kinds  # the damage is still reported
    assert duplicate_problems(source)[0][1].startswith("fb.zip holds only 3 of the 4 files of fb")
    assert {k.path for k in source.skipped if k.status == "ignored"} == {PROFILE, POSTS, PHOTO}


def test_parts_keep_merging_and_their_extracted_folder_is_read_once(tmp_path):
    tree = facebook_tree()
    folder = tree.write_folder(tmp_path / "facebook-ana", wrap="facebook-ana")
    parts = tree.write_parts(tmp_path, "facebook-ana", 2)
    [source] = open_sources([folder, *parts])
    assert source.parts == [p.name for p in parts]
    assert set(listing(source)) == set(tree.files)
    assert [file for file, _ in duplicate_problems(source)] == ["facebook-ana"]


def test_a_chat_is_a_copy_only_when_identical(tmp_path):
    a = ios_chat_zip(tmp_path / "WhatsApp Chat - Ana.zip")
    b = ios_chat_zip(tmp_path / "WhatsApp Chat - Ana (1).zip")
    [source] = open_sources([a, b])
    assert [file for file, _ in duplicate_problems(source)] == [b.name]
    later = tmp_path / "later" / "WhatsApp Chat - Ana.zip"  # the same chat text with one more attachment
    later.parent.mkdir()
    ios_chat_zip(later)
    with zipfile.ZipFile(later, "a") as archive:
        archive.writestr("00000002-PHOTO-2019-06-21-09-00-00.jpg", b"\xff\xd8" * 50)
    sources = open_sources([a, later])
    assert len(sources) == 2 and not any(duplicate_problems(s) for s in sources)


def test_different_exports_of_one_platform_are_both_read(tmp_path):
    first = build_facebook("2024", seed=1).write_zip(tmp_path / "facebook-ana.zip")
    second = build_facebook("2024", seed=2).write_zip(tmp_path / "facebook-bo.zip")
    sources = open_sources([first, second])
    assert [s.parts for s in sources] == [["facebook-ana.zip"], ["facebook-bo.zip"]]
    assert all(duplicate_problems(s) == [] for s in sources)


def test_a_copy_read_instead_of_an_earlier_one_takes_its_place(tmp_path):
    tree = facebook_tree()
    folder = tree.write_folder(tmp_path / "fb", wrap="facebook-ana")
    zipped = tree.write_zip(tmp_path / "fb.zip")
    instagram = instagram_tree().write_zip(tmp_path / "ig.zip")
    sources = open_sources([folder, instagram, zipped, zipped])
    assert [s.parts for s in sources] == [["fb.zip"], ["ig.zip"]]  # the zip sits where the folder was given
    assert [file for file, _ in duplicate_problems(sources[0])] == ["fb", "fb.zip"]
    assert duplicate_problems(sources[1]) == []
    assert len(sources[0].skipped) == 2 * len(tree.files)  # the folder's copy and the second zip's
