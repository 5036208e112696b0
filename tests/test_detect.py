"""Detection: platform, format and layout generation of each export shape, with the evidence."""
from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from builder import ExportTree

from parsers.archive import open_sources
from parsers.detect import LOOKED_FOR, PEEK_BYTES, SNIFF_BYTES, chat_header_style, detect
from parsers.scan import scan

FB_PROFILE_2024 = "personal_information/profile_information/profile_information.json"


def tree_of(files: dict[str, object]) -> ExportTree:
    tree = ExportTree()
    for path, value in files.items():
        if isinstance(value, (bytes, str)):
            tree.add(path, value)
        else:
            tree.add_json(path, value)
    return tree


def detect_tree(tmp_path: Path, files: dict[str, object], *, wrap: str = ""):
    [source] = open_sources([tree_of(files).write_zip(tmp_path / "export.zip", wrap=wrap)])
    return detect(source)


FACEBOOK = {
    "2018": {"profile_information/profile_information.json": {"profile": {"name": "Ana"}},
             "posts/your_posts_1.json": [], "messages/inbox/bo_1/message_1.json": {"messages": []},
             "comments/comments.json": {"comments": []}, "about_you/friends.json": {}},
    "2021": {"profile_information/profile_information.json": {"profile_v2": {"name": {}}},
             "posts/your_posts_1.json": [], "comments_and_reactions/comments.json": {"comments_v2": []},
             "friends_and_followers/friends.json": {"friends_v2": []}},
    "2022": {"your_activity_across_facebook/posts/your_posts__check_ins__photos_and_videos_1.json": [],
             "personal_information/profile_information/profile_information.json": {"profile_v2": {}}},
    "2024": {"your_facebook_activity/posts/your_posts__check_ins__photos_and_videos_1.json": [],
             FB_PROFILE_2024: {"profile_v2": {}}},
}


@pytest.mark.parametrize("layout", list(FACEBOOK))
def test_facebook_generations(tmp_path, layout):
    found = detect_tree(tmp_path, FACEBOOK[layout], wrap="facebook-ana-20250214T091036Z-001/facebook-ana")
    assert (found.platform, found.format, found.layout, found.variant) == ("facebook", "json", layout, "")
    assert found.evidence and found.problems == ()


@pytest.mark.parametrize("layout, key", [("2018", "profile"), ("2021", "profile_v2")])
def test_flat_facebook_generation_evidence_names_the_peeked_key(tmp_path, layout, key):
    found = detect_tree(tmp_path, FACEBOOK[layout])
    assert f"profile_information/profile_information.json: first key '{key}'" in found.evidence
    assert found.generation == {"2018": "2018-2020 flat", "2021": "2021 _v2"}[layout]


INSTAGRAM = {
    "2018": {"media.json": {"photos": []}, "profile.json": {"username": "ana"}, "connections.json": {},
             "photos/201801/1.jpg": b"\xff\xd8"},
    "2021": {"account_information/personal_information.json": {"profile_user": []},
             "content/posts_1.json": [], "followers_and_following/followers.json": {},
             "messages/inbox/bo_1/message_1.json": {}},
    "2023": {"your_instagram_activity/content/posts_1.json": [],
             "personal_information/personal_information/personal_information.json": {"profile_user": []},
             "media/posts/202301/1.jpg": b"\xff\xd8"},
    "2025": {"your_instagram_activity/media/posts_1.json": [],
             "personal_information/personal_information/instagram_profile_information.json": {},
             "media/posts/202501/1.jpg": b"\xff\xd8"},
}


@pytest.mark.parametrize("layout", list(INSTAGRAM))
def test_instagram_generations(tmp_path, layout):
    found = detect_tree(tmp_path, INSTAGRAM[layout], wrap="instagram-ana-2024-11-20-poQTe0ag")
    assert (found.platform, found.format, found.layout) == ("instagram", "json", layout)
    assert found.evidence


def test_messenger_only_download_is_facebook(tmp_path):
    found = detect_tree(tmp_path, {"messages/inbox/bo_1/message_1.json": {"participants": [], "messages": []},
                                   "messages/inbox/bo_1/photos/1.jpg": b"\xff\xd8"})
    assert (found.platform, found.format, found.variant) == ("facebook", "json", "messenger")


@pytest.mark.parametrize("wrap", ["", "data_messenger_e2e"])
def test_e2ee_messenger_download_is_facebook(tmp_path, wrap):
    thread = {"participants": ["Ana", "Bo"], "threadName": "Bo", "messages": [{"senderName": "Bo", "text": "hi"}]}
    found = detect_tree(tmp_path, {"messages/Bo_1.json": thread, "media/1.jpg": b"\xff\xd8"}, wrap=wrap)
    assert (found.platform, found.variant, found.layout) == ("facebook", "messenger_e2ee", "")
    assert found.evidence == ("messages/Bo_1.json: keys participants, threadName, messages",)


def test_html_export_is_detected_with_a_problem(tmp_path):
    found = detect_tree(tmp_path, {"start_here.html": "<html>", "your_facebook_activity/posts/your_posts_1.html": "<p>",
                                   "personal_information/profile_information/profile_information.html": "<p>",
                                   "files/logo.json": {}})
    assert (found.platform, found.format, found.layout) == ("facebook", "html", "2024")
    [problem] = found.problems
    assert problem.kind == "html_export" and problem.file == "export.zip"
    assert "it is read from its pages" in problem.message and "without a time zone" in problem.message
    audit = scan([tmp_path / "export.zip"])  # the scan passes the detection's problem on
    assert "html_export" in set(audit.problems["kind"])


WHATSAPP_ACCOUNT = {
    "2018": {"access.html": "<html>", "portability.json": {"contacts": [], "groups": []}},
    "2022": {"whatsapp_connections/groups.json": {"wa_groups": []},
             "whatsapp_connections/contacts.json": {"wa_contacts": []}},
    "2024": {"index.html": "<html>", "user_information.html": "<p>", "user_information.json": {},
             "registration_information.json": {"wa_registration_info": {}}},
}


@pytest.mark.parametrize("layout", list(WHATSAPP_ACCOUNT))
def test_whatsapp_account_report_generations(tmp_path, layout):
    found = detect_tree(tmp_path, WHATSAPP_ACCOUNT[layout])
    assert (found.platform, found.format, found.layout) == ("whatsapp_account", "json", layout)


@pytest.mark.parametrize("line, style", [
    ("12/07/2017, 22:35 - Johannes Gruber: <Media omitted>", "android"),
    ("1/4/23, 7:02\u202fPM - Person 2: hi", "android"),
    ("20/6/2017 8:28 p.\u00a0m. - Michelle: test", "android"),
    ("13.6.2018 klo 21.25.15 - a: m", "android"),
    ("12/07/2017 à 22:35 - Les messages envoyés", "android"),
    ("\ufeff29.01.18, 12:24 - Nachrichten und Anrufe", "android"),
    ("[13/11/2025, 12:25:55\u202fPM] Amazon EG: \u200eThis business", "ios"),
    ("\u200e[3/6/18 1:55:00 p. m.] a: m", "ios"),
    ("[2024/01/02 오후 03:06] Alice: hi", "ios"),
    ("09/12/2012 17:03:48: Sender Name: Message", "legacy"),
])
def test_chat_header_styles(line, style):
    assert chat_header_style(line + "\nsecond line of the body\n") == style


def test_prose_is_not_a_chat():
    assert chat_header_style("Dear diary,\non 12/07/2017 I went out.\n") is None
    assert chat_header_style("") is None


def test_whatsapp_chat_txt_and_ios_zip(tmp_path):
    txt = tmp_path / "WhatsApp Chat with Bo.txt"
    txt.write_text("12/07/2017, 22:35 - Bo: hi\n", encoding="utf-8")
    with zipfile.ZipFile(tmp_path / "WhatsApp Chat - Ana.zip", "w") as archive:
        archive.writestr("_chat.txt", "[20.06.19, 16:00:15] Loris: hello\n")
        archive.writestr("00000001-PHOTO-2019-06-20-16-00-15.jpg", b"\xff\xd8")
    found = [detect(s) for s in open_sources([txt, tmp_path / "WhatsApp Chat - Ana.zip"])]
    assert [(d.platform, d.format, d.layout) for d in found] == [("whatsapp_chat", "txt", "android"),
                                                                 ("whatsapp_chat", "txt", "ios")]
    assert found[1].evidence[0] == "_chat.txt"


def test_every_shared_chat_fixture_is_a_whatsapp_chat(shared_fixtures):
    texts = sorted((shared_fixtures / "whatsapp").rglob("*.txt"))
    assert len(texts) == 11  # ls fixtures/whatsapp: 7 .txt at the top + 4 in whatstk/
    for source in open_sources(texts):
        assert detect(source).platform == "whatsapp_chat", source.label


def test_shared_export_fixtures(shared_fixtures):
    waultar, = open_sources([shared_fixtures / "facebook/waultar/export-tree"])
    assert (detect(waultar).platform, detect(waultar).layout) == ("facebook", "2021")  # profile_v2 key
    msgvault = shared_fixtures / "messenger/msgvault-testdata"
    simple, = open_sources([msgvault / "json_simple"])
    assert (detect(simple).platform, detect(simple).layout, detect(simple).variant) == ("facebook", "2022", "messenger")
    e2ee, = open_sources([msgvault / "e2ee_simple"])
    assert (detect(e2ee).platform, detect(e2ee).variant) == ("facebook", "messenger_e2ee")
    html, = open_sources([msgvault / "html_simple"])
    assert detect(html).format == "html" and detect(html).problems[0].kind == "html_export"
    context_use, = open_sources([shared_fixtures / "instagram/context-use/v1/threads"])
    assert (detect(context_use).platform, detect(context_use).layout) == ("instagram", "2025")


def test_unrecognised_input_says_what_was_looked_for(tmp_path):
    found = detect_tree(tmp_path, {"holiday/notes.md": "hello", "holiday/photo.jpg": b"\xff\xd8"})
    assert (found.platform, found.recognised) == ("unknown", False)
    audit = scan([tmp_path / "export.zip"])
    [problem] = audit.problems[audit.problems["kind"] == "not_recognised"].itertuples()
    assert "export.zip is not an export this app recognises" in problem.message
    for looked_for in ("your_facebook_activity/", "your_instagram_activity/", "whatsapp_connections/",
                       "'12/07/2017, 22:35 - Name: text'"):
        assert looked_for in LOOKED_FOR and looked_for in problem.message


def test_detection_peeks_only_a_few_kb(tmp_path, monkeypatch):
    """Bytes read by detection stay within PEEK_BYTES per JSON peeked and SNIFF_BYTES per .txt."""
    big_list = [{"timestamp": i, "title": "x" * 50} for i in range(20000)]  # ~1.3 MB
    files = {**FACEBOOK["2021"], "comments_and_reactions/comments.json": {"comments_v2": big_list},
             "posts/your_posts_1.json": big_list}
    [source] = open_sources([tree_of(files).write_zip(tmp_path / "fb.zip")])
    read: list[int] = []
    for member in source.members:
        real = member.opener

        def counting(real=real):
            stream = real()
            original = stream.read

            def read_counted(n=-1):
                data = original(n)
                read.append(len(data))
                return data
            stream.read = read_counted
            return stream
        object.__setattr__(member, "opener", counting)
    assert detect(source).layout == "2021"
    assert 0 < sum(read) <= PEEK_BYTES * 3 + SNIFF_BYTES


@pytest.mark.parametrize("builder_layout, layout", [("2020", "2018"), ("2021", "2021"), ("2023", "2022"),
                                                    ("2024", "2024")])
def test_the_facebook_builder_generations_are_recognised(tmp_path, builder_layout, layout):
    facebook = pytest.importorskip("builder.facebook")
    tree = facebook.build_facebook(builder_layout, messages=4, posts=2, threads=1)
    [source] = open_sources([tree.write_zip(tmp_path / "fb.zip")])
    assert (detect(source).platform, detect(source).layout) == ("facebook", layout)


@pytest.mark.parametrize("builder_layout, layout", [("2020", "2018"), ("2022", "2021"), ("2024", "2023"),
                                                    ("2025", "2025")])
def test_the_instagram_builder_generations_are_recognised(tmp_path, builder_layout, layout):
    instagram = pytest.importorskip("builder.instagram")
    tree = instagram.build_instagram(builder_layout)
    [source] = open_sources([tree.write_zip(tmp_path / "ig.zip")])
    assert (detect(source).platform, detect(source).layout) == ("instagram", layout)


def test_facebook_export_with_a_linked_instagram_section_stays_facebook(tmp_path):
    """Donated Facebook structures hold a few your_instagram_activity/ files (real-paths/facebook_paths_keys.tsv)."""
    files = {**FACEBOOK["2024"], "your_facebook_activity/comments_and_reactions/comments.json": {"comments_v2": []},
             "your_instagram_activity/content/posts_1.json": [],
             "personal_information/personal_information/instagram_profile_information.json": {}}
    found = detect_tree(tmp_path, files)
    assert (found.platform, found.layout) == ("facebook", "2024")
    assert found.evidence[-1] == "also holds 1 files under your_instagram_activity/ (a linked account)"
