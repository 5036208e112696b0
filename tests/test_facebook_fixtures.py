"""Facebook parser over every file of ../shared/fixtures/facebook and ../shared/fixtures/messenger.

The literal counts were checked by hand against the files (json.load, then counting list
elements); each says how. Skipped when ../shared is absent.
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from parsers.scan import scan
from parsers.archive import Member, Source
from parsers.scan import Audit, scan_sources


def _per_file(audit: Audit) -> dict[str, int]:
    return {row.path: int(row.items) for row in audit.files.itertuples()}


def _status(audit: Audit) -> dict[str, str]:
    return {row.path: str(row.status) for row in audit.files.itertuples()}


# ---- waultar export-tree: parts of a real Danish 2021 export --------------------------------------

@pytest.fixture(scope="module")
def waultar(request):
    root = Path(__file__).resolve().parents[2] / "shared" / "fixtures" / "facebook" / "waultar" / "export-tree"
    if not root.is_dir():
        pytest.skip("../shared/fixtures is not present")
    return scan([root])


def test_waultar_tree_detected_and_every_file_accounted_for(waultar):
    assert [(s.platform, s.format) for s in waultar.sources] == [("facebook", "json")]
    assert len(waultar.files) == 11  # `find export-tree -type f | wc -l`
    assert set(_status(waultar).values()) == {"parsed"}
    assert waultar.problems.empty


def test_waultar_tree_counts_per_file(waultar):
    assert _per_file(waultar) == {
        # 9 keys (CITY .. WORK_EMAIL), one value each
        "messages/autofill_information.json": 9,
        # one profile_v2 object
        "profile_information/profile_information.json": 1,
        # the fixture's second profile, renamed v2_ by its authors: read as a profile record
        "profile_information/v2_profile_information.json": 1,
        # comments_v2 has 6 elements (3 of them only {timestamp, title}: deleted comments)
        "comments_and_reactions/comments_and_reactions.json": 6,
        # reactions_v2 has 17 elements
        "comments_and_reactions/posts_and_comments.json": 17,
        # instant_games_played_v2 has 14 elements
        "facebook_gaming/instant_games.json": 14,
        # 7 messages + 1 reaction (on "Tager også først metro ...")
        "messages/inbox/lukasvintheroffenberglarsen_2qr6kux07q/message_1.json": 8,
        # a bare list of 14 posts
        "posts/your_posts_1.json": 14,
        # activity_by_day: Website 45 + Facebook-app 63 + iPhone 58
        "security_and_login_information/your_facebook_activity_history.json": 166,
        # entries over all children of the 7 sections: 6 + 2 + 2 + 2 + 19 + 1 + 2
        "your_interactions_on_facebook/recently_viewed.json": 34,
        # inferred_topics_v2 has 50 strings
        "your_topics/your_topics.json": 50,
    }


def test_waultar_tree_account_and_actors(waultar):
    account = waultar.accounts["facebook"]
    assert account.owner_names == {"Gustav Johansen"}  # profile_v2.name.full_name (and autofill FULL_NAME)
    assert account.birth_date == "1998-01-15"
    assert account.account_created == 1236355160  # registration_timestamp
    items = waultar.items
    thread = items[items["source_file"].astype(str).str.startswith("messages/inbox/")]
    messages = thread[thread["kind"] != "message_reaction"]
    # senders in file order: Lukas, Lukas, Gustav, Gustav, Lukas (sticker), Gustav (gif), Lukas (photo)
    assert messages["actor"].astype(str).tolist() == ["other", "other", "self", "self", "other", "self", "other"]
    assert messages["kind"].astype(str).tolist()[4:] == ["message_sticker", "message_gif", "message_photo"]
    assert set(thread["counterpart"]) == {"Lukas Vinther Offenberg Larsen"}  # the thread title
    reaction = thread[thread["kind"] == "message_reaction"]
    assert reaction["text"].tolist() == ["👍"] and reaction["actor"].tolist() == ["other"]


def test_waultar_tree_mojibake_repaired(waultar):
    texts = set(waultar.items["text"])
    assert "Tjek 👏" in texts  # "Tjek \u00f0\u009f\u0091\u008f"
    assert "TØS\n" in texts  # comment "T\u00c3\u0098S\n"
    assert any(t.startswith("Han satte sig ved siden af mig, kan næsten") for t in texts)
    assert not waultar.items["text"].str.contains("Ã", regex=False).any()
    assert not waultar.items["counterpart"].str.contains("Ã", regex=False).any()


def test_waultar_tree_posts_and_their_media(waultar):
    posts = waultar.items[waultar.items["source_file"] == "posts/your_posts_1.json"]
    assert set(posts["kind"]) == {"post"} and set(posts["actor"]) == {"self"}
    # media uris: posts 0, 2, 5, 6 one each, post 4 two, post 13 one (a note's photo) = 7;
    # the video's thumbnail is an https URL and not counted; no media files in the fixture
    assert int(posts["media_count"].sum()) == 7
    assert int(posts["media_bytes"].sum()) == 0
    assert posts["timestamp"].min() == pd.Timestamp(1242901624, unit="s", tz="UTC")  # smallest "timestamp"


# ---- waultar parser-samples: single real files, placed at their real paths ------------------------

#: sample file -> where a 2021 export keeps it
SAMPLE_PATHS = {
    "creator_badges.json": "groups/creator_badges.json",
    "each_media_type_list.json": "posts/your_posts_2.json",
    "event_invitations.json": "events/event_invitations.json",
    "facebook_comments.json": "comments_and_reactions/comments.json",
    "facebook_media.json": "posts/your_posts_3.json",
    "polls_you_voted_on.json": "polls/polls_you_voted_on.json",
    "profile_information.json": "profile_information/profile_information.json",
    "v2_profile_information.json": "profile_information/profile_update_history.json",
    "your_event_responses.json": "events/your_event_responses.json",
    "your_events.json": "events/your_events.json",
    "your_group_membership_activity.json": "groups/your_group_membership_activity.json",
    "your_groups.json": "groups/your_groups.json",
    "your_posts_1.json": "posts/your_posts_1.json",
    "your_posts_in_groups.json": "groups/your_posts_in_groups.json",
    "corrupt.json": "search/your_search_history.json",
    "empty_list.json": "saved_items_and_collections/saved_items_and_collections.json",
    "empty_object.json": "pages/pages_you've_liked.json",
}
#: Instagram samples of the same folder: read by the Instagram tests
INSTAGRAM_SAMPLES = {"instagram_media.json", "instagram_post.json", "personal_information.json",
                     "post_comments.json", "profile_photos.json", "signup_information.json"}


@pytest.fixture(scope="module")
def samples():
    folder = Path(__file__).resolve().parents[2] / "shared" / "fixtures" / "facebook" / "waultar" / "parser-samples"
    if not folder.is_dir():
        pytest.skip("../shared/fixtures is not present")
    names = {p.name for p in folder.iterdir()}
    assert names == set(SAMPLE_PATHS) | INSTAGRAM_SAMPLES  # every file of the folder is covered
    members = []
    for name, path in SAMPLE_PATHS.items():
        file = folder / name
        size = file.stat().st_size
        members.append(Member(path, size, size, "parser-samples", lambda file=file: open(file, "rb")))
    return scan_sources([Source("parser-samples", ["parser-samples"], members)])


def test_samples_counts_per_file(samples):
    counts = _per_file(samples)
    assert counts == {
        # group_badges_v2 maps 2 groups to one badge each
        "groups/creator_badges.json": 2,
        # bare list of 4 posts
        "posts/your_posts_2.json": 4,
        # events_invited_v2 has 6 elements
        "events/event_invitations.json": 6,
        # a list of 3 wrappers: group_comments_v2 (1) + comments_v2 (4) + group_comments_v2 (3)
        "comments_and_reactions/comments.json": 8,
        # bare list of 9 posts
        "posts/your_posts_3.json": 9,
        # poll_votes_v2 has 2 elements
        "polls/polls_you_voted_on.json": 2,
        "profile_information/profile_information.json": 1,
        # a profile_v2 object where update history is expected: no profile_updates list, one record
        "profile_information/profile_update_history.json": 1,
        # events_joined 4 + events_declined 2 + events_interested 2
        "events/your_event_responses.json": 8,
        # your_events_v2 has 2 elements
        "events/your_events.json": 2,
        # groups_joined_v2 has 4 elements
        "groups/your_group_membership_activity.json": 4,
        # groups_admined_v2 has 2 elements
        "groups/your_groups.json": 2,
        # bare list of 14 posts
        "posts/your_posts_1.json": 14,
        # group_posts_v2 has 3 elements
        "groups/your_posts_in_groups.json": 3,
        # truncated GeoJSON: fails, nothing counted
        "search/your_search_history.json": 0,
        "saved_items_and_collections/saved_items_and_collections.json": 0,  # []
        "pages/pages_you've_liked.json": 0,  # {}
    }


def test_samples_corrupt_file_fails_alone(samples):
    status = _status(samples)
    assert status.pop("search/your_search_history.json") == "failed"
    assert set(status.values()) == {"parsed"}
    unreadable = samples.problems[samples.problems["kind"] == "unreadable"]
    assert unreadable["file"].tolist() == ["search/your_search_history.json"]
    assert "ends early or is broken" in unreadable["message"].iloc[0]
    # these loose files hold no messages folder: the encrypted-chat notice, once
    assert samples.problems["kind"].tolist().count("notice") == 1


def test_samples_kinds(samples):
    items = samples.items
    by_file = items.groupby("source_file", observed=True)["kind"].agg(lambda k: sorted(set(k)))
    assert by_file["events/your_event_responses.json"] == ["event_response"]
    assert by_file["groups/your_posts_in_groups.json"] == ["group_post"]
    assert by_file["comments_and_reactions/comments.json"] == ["comment"]
    comments = items[items["source_file"] == "comments_and_reactions/comments.json"]
    assert "REDACTED GROUP" in set(comments["counterpart"])  # the group of a group comment
    assert items.loc[items["kind"] == "profile", "text"].tolist() == ["REDACTED FULLNAME"]
    # a group join names the group in data[0].name; the last record (left Group 4) has no data
    groups = items[items["source_file"] == "groups/your_group_membership_activity.json"]
    assert groups["counterpart"].tolist() == ["Group 3", "Group 2", "Group 1", ""]
    assert (groups["text"] == "").all()
    events = items[items["source_file"] == "events/your_events.json"]
    assert events["counterpart"].tolist() == ["Test event 1", "Coding camp at ITU"]


# ---- msgvault Messenger test data ----------------------------------------------------------------

@pytest.fixture
def msgvault(shared_fixtures):
    folder = shared_fixtures / "messenger" / "msgvault-testdata"
    if not folder.is_dir():
        pytest.skip("msgvault fixtures absent")

    def run(name: str) -> Audit:
        return scan([folder / name])
    return run


def _items(audit: Audit) -> pd.DataFrame:
    return audit.items[audit.items["category"] == "messages"]


def test_msgvault_json_simple_inbox_and_archived(msgvault):
    audit = msgvault("json_simple")
    # alice: 3 messages + 2 reactions; zoe (archived_threads): 1 message
    assert _per_file(audit) == {
        "your_activity_across_facebook/messages/archived_threads/zoe_ARCH/message_1.json": 1,
        "your_activity_across_facebook/messages/inbox/alice_ABC123/message_1.json": 5,
    }
    # no profile: "Test User" is the one name in both threads, so the owner
    assert audit.accounts["facebook"].owner_names == {"Test User"}
    alice = audit.items[audit.items["counterpart"] == "Alice Example"]
    assert alice["actor"].astype(str).tolist() == ["self", "other", "self", "other", "self"]
    assert alice["kind"].astype(str).tolist() == ["message", "message", "message_reaction", "message_reaction",
                                                  "message"]
    assert alice["text"].tolist() == ["See you soon", "café time?", "❤", "👍", "Hello"]
    assert audit.accounts["facebook"].notices == []


def test_msgvault_multifile_read_in_numeric_order(msgvault):
    audit = msgvault("json_multifile")
    texts = _items(audit)["text"].tolist()
    # message_1 (B, A), message_2 (C), message_10 (D): 2 before 10
    assert texts == ["Message B (from file 1, newer)", "Message A (from file 1, oldest)",
                     "Message C (from file 2)", "Message D (from file 10, newest)"]
    # one thread and no profile: nobody can be named the owner
    assert set(_items(audit)["actor"].astype(str)) == {"unknown"}


def test_msgvault_group_thread(msgvault):
    audit = msgvault("json_group")
    items = _items(audit)
    assert len(items) == 3 and set(items["counterpart"]) == {"Crew"}


@pytest.mark.parametrize("name", ["json_with_media", "json_with_media_alt"])
def test_msgvault_media_message_counts_a_missing_file_as_zero_bytes(msgvault, name):
    items = _items(msgvault(name))
    assert items["kind"].astype(str).tolist() == ["message_photo"]
    assert items["media_count"].tolist() == [1] and items["media_bytes"].tolist() == [0]


def test_msgvault_non_text_messages(msgvault):
    items = _items(msgvault("json_nontext"))
    # sticker, photo, call (192 s), missed call, share, "Sam left the chat" (Unsubscribe)
    assert items["kind"].astype(str).tolist() == ["message_sticker", "message_photo", "call", "call",
                                                  "message_share", "system_message"]
    assert items["text"].tolist()[4] == "Example share text"


def test_msgvault_corrupt_thread_fails_and_its_sibling_parses(msgvault):
    audit = msgvault("corrupt")
    status = _status(audit)
    assert status == {"your_activity_across_facebook/messages/inbox/broken_BAD/message_1.json": "failed",
                      "your_activity_across_facebook/messages/inbox/goodsibling_OK/message_1.json": "parsed"}
    assert _items(audit)["text"].tolist() == ["Still valid"]
    assert audit.problems["kind"].tolist() == ["unreadable"]


def test_msgvault_mixed_json_and_html(msgvault):
    audit = msgvault("mixed")
    status = _status(audit)
    assert status["your_activity_across_facebook/messages/inbox/eve_MIX/message_1.json"] == "parsed"
    assert status["your_activity_across_facebook/messages/inbox/eve_MIX/message_1.html"] == "ignored"
    assert _items(audit)["text"].tolist() == ["Mixed reply", "Mixed hello"]


def test_msgvault_e2ee_download(msgvault):
    audit = msgvault("e2ee_simple")
    # alice_1: 4 messages + 1 reaction; group_2: 2 messages (one a media message)
    assert _per_file(audit) == {"your_activity_across_facebook/messages/alice_1.json": 5,
                                "your_activity_across_facebook/messages/group_2.json": 2}
    items = _items(audit)
    assert items["kind"].astype(str).tolist() == ["message", "message", "message_reaction", "message",
                                                  "unsent_message", "message", "message_media"]
    assert items["text"].tolist()[1] == "café time?"
    assert set(items["counterpart"]) == {"Alice Example", "Weekend crew"}
    assert items["timestamp"].min() == pd.Timestamp(1600000000, unit="s", tz="UTC")  # ms -> s
    # Test User and Alice Example are in both threads: the owner stays unnamed
    assert audit.accounts["facebook"].owner_names == set()
    assert audit.accounts["facebook"].notices == []


@pytest.mark.parametrize("name", ["html_simple", "html_with_media", "html_multi_media"])
def test_msgvault_html_export_is_read_file_by_file(msgvault, name):
    # HTML threads are read (tests/test_html_fixtures.py compares them with their JSON twins)
    audit = msgvault(name)
    files = audit.files
    assert len(files) == 1 and (files["status"] == "parsed").all()
    assert len(audit.items) == int(files["items"].sum()) > 0
    assert not audit.problems["message"].str.contains("end-to-end").any()  # no e2ee notice for HTML threads


def test_msgvault_html_export_problems_say_html_and_the_zone(msgvault):
    audit = msgvault("html_simple")
    # the detection's note that it is an HTML export, and the notice of the zone its times were read in
    assert audit.problems["kind"].tolist() == ["html_export", "notice"]
    assert "read as UTC" in audit.problems["message"].iloc[1]


def test_msgvault_loose_html_timestamp_snippets_are_not_an_export(msgvault):
    audit = msgvault("html_timestamps")
    # three message snippets outside any export tree: listed, not parsed, not dropped
    assert sorted(audit.files["path"]) == ["layout1.html", "layout2.html", "layout3.html"]
    # unknown (not recognised) or, should detection call them a Facebook HTML export, ignored
    assert len(set(audit.files["status"].astype(str))) == 1
    assert set(audit.files["status"].astype(str)) <= {"unknown", "ignored"}
    assert audit.items.empty
