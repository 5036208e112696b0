"""HTML pages of ../shared/fixtures/html and the HTML Messenger pages of ../shared/fixtures/messenger.

Every page gives the records INDEX.md lists (count, first record's text and displayed time); every
row of timestamps.tsv parses to its wall-clock value (and to its UTC value where the row gives one
the string or its documented clock determines); the msgvault HTML threads give the messages of
their JSON twins. Skipped when ../shared is absent.
"""
from __future__ import annotations

import csv
import re
from datetime import datetime, timezone
from pathlib import Path

import pytest

from parsers import meta_html, meta_html_thread
from parsers.meta_html_time import INSTAGRAM_ZONE, Clock, parse_display_time
from parsers.scan import scan

pytestmark = pytest.mark.shared

SHARED = Path(__file__).resolve().parents[2] / "shared" / "fixtures"
HTML = SHARED / "html"
MSGVAULT = SHARED / "messenger" / "msgvault-testdata"


@pytest.fixture(scope="module")
def html_root() -> Path:
    if not HTML.is_dir():
        pytest.skip("../shared/fixtures is not present")
    return HTML


# ---- timestamps.tsv ----------------------------------------------------------------------------------

def _tsv_rows() -> list[dict]:
    path = HTML / "timestamps.tsv"
    if not path.is_file():
        return []
    lines = [line for line in path.read_text(encoding="utf-8").splitlines() if line and not line.startswith("#")]
    return list(csv.DictReader(lines, delimiter="\t"))


def test_timestamps_tsv_has_its_43_rows(html_root):
    assert len(_tsv_rows()) == 43


@pytest.mark.parametrize("row", _tsv_rows() or [pytest.param(None, marks=pytest.mark.skip("no ../shared"))],
                         ids=lambda row: row["string"] if row else "absent")
def test_every_timestamps_tsv_row_parses_to_its_value(row):
    found = parse_display_time(row["string"])
    assert found is not None, row["string"]
    shown = str(found.moment.date()) if found.date_only else str(found.moment)
    assert shown == row["naive"]
    if not row["utc"]:
        return
    attribute = re.search(r'(?:datetime="|attribute )(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}Z)', row["context"])
    if attribute:  # the header pair: the <time datetime> attribute is the instant (the text may lie about UTC)
        instant = parse_display_time(attribute.group(1).replace("Z", "+00:00"))
        assert str(instant.moment - instant.offset) == row["utc"]
    elif found.offset is not None:  # the zone is in the string
        assert str(found.moment - found.offset) == row["utc"]
    else:  # no zone in the string: the platform's documented clock (Instagram UTC-8; this FB archive: UTC)
        zone = INSTAGRAM_ZONE if row["platform"] == "instagram" else timezone.utc
        epoch = Clock(zone, "").epoch(found)
        assert str(datetime.fromtimestamp(epoch, timezone.utc).replace(tzinfo=None)) == row["utc"]


# ---- INDEX.md: every page's records ------------------------------------------------------------------

#: path -> (records, text of the first record, displayed time of the first record or None), as INDEX.md lists
#: them (the "first record" column; counts with the selection rule of the generation, see INDEX.md)
PAGES = {
    "facebook/2019-2021/posts/your_posts_1.html": (3, "New desk setup", "Jan 2, 2021, 9:05 AM"),
    "facebook/2019-2021/messages/inbox/samexample_a1b2c3d4e5/message_1.html":
        (3, "Sounds good, see you then 👍", "Oct 19, 2019, 2:40 PM"),
    "facebook/2022-2023/your_activity_across_facebook/comments_and_reactions/comments.html":
        (3, "Congrats! 🎉", "Mar 14, 2023 6:02:11pm"),
    "facebook/2022-2023/your_activity_across_facebook/messages/inbox/samexample_10112233445566778/message_1.html":
        (4, "See you at 7", "Mar 14, 2023 7:01:05pm"),
    "facebook/2024-2026/your_facebook_activity/posts/your_posts__check_ins__photos_and_videos_1.html":
        (3, "Weekend hike", "Jun 26, 2026 9:05:20 am"),
    "facebook/2024-2026/your_facebook_activity/comments_and_reactions/comments.html":
        (3, "Nice link here\nsecond line", "Nov 14, 2025 12:07:06 pm"),
    "facebook/2024-2026/your_facebook_activity/comments_and_reactions/likes_and_reactions_1.html":
        (3, "Test User liked Sam Example's post.", "Aug 09, 2026 9:02:12 pm"),
    "facebook/2024-2026/your_facebook_activity/messages/inbox/samexample_30112233445566778/message_1.html":
        (3, "On my way", "Jun 01, 2025 3:31:29 pm"),
    "facebook/2024-2026/logged_information/search/your_search_history.html":
        (3, '"hiking boots"', "Jun 26, 2026 9:05:20 am"),
    "facebook/2024-2026/logged_information/other_logged_information/ads_interests.html": (4, "Gardening", None),
    "facebook/2024-2026/ads_information/advertisers_using_your_activity_or_information.html":
        (1, "Example Shoes Ltd", None),
    "facebook/2024-2026/ads_information/advertisers_you_ve_interacted_with.html":
        (2, "Clicked ad", "Oct 04, 2025 7:19:03 am"),
    "facebook/2024-2026/apps_and_websites_off_of_facebook/your_activity_off_meta_technologies.html":
        (2, "Example Shop", None),
    "facebook/2024-2026/apps_and_websites_off_of_facebook/your_activity_off_meta_technologies/example_shop_1.html":
        (2, "PURCHASE", "Apr 10, 2026 9:14:41 am"),
    "facebook/2024-2026/security_and_login_information/logins_and_logouts.html":
        (2, "Login", "Jul 20, 2025 3:35:46 pm"),
    "facebook/2024-2026/connections/friends/your_friends.html": (4, "Brook Example", "Oct 19, 2025 1:47:55 pm"),
    "facebook/2024-2026/logged_information/location/timezone.html": (1, "Europe/Amsterdam", None),
    "facebook/2024-2026/start_here.html": (5, "Your friends", None),
    "instagram/2021-2022/messages/inbox/samexample_123456789012345/message_1.html":
        (3, "See you at the gallery!", "Sep 22, 2017, 6:40 AM"),
    "instagram/2021-2022/likes/liked_posts.html": (3, "sam.example", "Mar 1, 2022, 12:00 PM"),
    "instagram/2021-2022/index.html": (3, "Followers", None),
    "instagram/2023-2024/your_instagram_activity/comments/post_comments_1.html":
        (3, "So good @alex_sample 😍", "Nov 13, 2023 3:04 pm"),
    "instagram/2025-2026/connections/followers_and_following/followers_1.html":
        (3, "sam.example", "Dec 23, 2025 12:16 pm"),
    "instagram/2025-2026/connections/followers_and_following/following.html":
        (2, "sam.example", "Oct 05, 2026 7:19 am"),
    "instagram/2025-2026/your_instagram_activity/likes/liked_posts.html":
        (2, "https://www.instagram.com/p/EXAMPLE1001/", "Aug 09, 2026 9:49 am"),
    "instagram/2025-2026/your_instagram_activity/media/posts_1.html":
        (2, "Sunset at the pier #sunset", "Aug 17, 2025 11:23 am"),
    "instagram/2025-2026/your_instagram_activity/messages/inbox/samexample_17841400000000001/message_1.html":
        (4, "sam.example sent an attachment.", "Sep 08, 2025 5:57 am"),
    "instagram/2025-2026/your_instagram_activity/messages/ai_conversations.html": (1, "Meta AI", "Mar 11, 2026 2:49 am"),
    "instagram/2025-2026/your_instagram_activity/messages/ai_conversations/"
    "thread_for_mailbox100000000000001_200000000000001.html":
        (2, "Here are three ideas for a rainy weekend.", "Mar 11, 2026 2:50 am"),
    "instagram/2025-2026/security_and_login_information/login_and_profile_creation/login_activity.html":
        (2, "203.0.113.5", "Jun 15, 2026 2:30 am"),
    "instagram/2025-2026/logged_information/recent_searches/word_or_phrase_searches.html":
        (2, "telescope for beginners", "Sep 29, 2026 1:39 am"),
    "instagram/2025-2026/start_here.html": (4, "Followers", None),
    "instagram/2025-2026-es/security_and_login_information/login_and_profile_creation/login_activity.html":
        (1, "203.0.113.9", "jul. 05, 2024 2:49 am"),
}


def _words(value) -> list[str]:
    """Every text of a record, in order (title, text, table values, link texts, vec values)."""
    found: list[str] = []
    if isinstance(value, dict):
        for key in ("title", "text", "sender_name", "content", "value", "reaction"):
            if isinstance(value.get(key), str):
                found.append(value[key])
        for key in ("label_values", "string_list_data", "vec", "dict"):
            for entry in value.get(key) or ():
                found.extend(_words(entry))
    return found


def _read(path: str):
    """(records, first record's naive time) of a fixture page, its times read as UTC wall clock."""
    relative = path.split("/", 2)[2]
    clock = Clock(timezone.utc, "")
    read = clock.reader(lambda text: None)
    with (HTML / path).open("rb") as stream:
        if "/message_" in relative:
            thread = meta_html_thread.Thread(meta_html.Page(relative))
            found = list(meta_html_thread.thread_messages(stream, relative, thread, read))
            first_time = found[0]["timestamp_ms"] if found else None
        else:
            options = meta_html.RecordOptions("instagram" if path.startswith("instagram") else "facebook", read)
            found = list(meta_html.records(stream, relative, options))
            first_time = found[0].get("timestamp") if found else None
    return found, first_time


def test_every_fixture_page_is_listed_here(html_root):
    pages = {str(p.relative_to(html_root)) for p in html_root.rglob("*.html")}
    assert pages == set(PAGES)
    index = (html_root / "INDEX.md").read_text(encoding="utf-8")
    assert all(f"`{path}`" in index for path in PAGES)


@pytest.mark.parametrize("path", sorted(PAGES))
def test_every_page_gives_the_records_index_md_lists(html_root, path):
    count, first_text, first_time = PAGES[path]
    found, when = _read(path)
    assert len(found) == count
    assert first_text in _words(found[0]) or first_text in [str(v) for v in found[0].values()], _words(found[0])
    if first_time is None:
        assert when is None
    else:
        expected = parse_display_time(first_time).moment.replace(tzinfo=timezone.utc).timestamp()
        assert when == expected


def test_media_resolve_through_base_href_to_root_relative_paths(html_root):
    found, _ = _read("facebook/2024-2026/your_facebook_activity/posts/your_posts__check_ins__photos_and_videos_1.html")
    uris = [d["media"]["uri"] for group in found[0]["attachments"] for d in group["data"]]
    assert uris == ["your_facebook_activity/posts/media/Mobileuploads_30000000000000001/30000000000000002.jpg",
                    "your_facebook_activity/posts/media/Mobileuploads_30000000000000001/30000000000000003.jpg"]
    messages, _ = _read("instagram/2025-2026/your_instagram_activity/messages/inbox/samexample_17841400000000001/"
                        "message_1.html")
    assert messages[2]["photos"] == [{"uri": "your_instagram_activity/messages/inbox/samexample_17841400000000001/"
                                             "photos/1230000000000001.jpg"}]
    assert messages[3]["reactions"][0] == {"reaction": "❤️", "actor": "test_user_fixture",
                                           "timestamp": datetime(2025, 9, 7, 10, 5, tzinfo=timezone.utc).timestamp()}


def test_entities_are_decoded_and_no_mojibake_repair_runs(html_root):
    found, _ = _read("facebook/2024-2026/connections/friends/your_friends.html")
    assert [r["title"] for r in found][:3] == ["Brook Example", "Anne & Marie O'Neil", "Zoë 🌸 Dupont"]


# ---- whole exports: detection, zones, inventory ----------------------------------------------------

@pytest.mark.parametrize("folder, platform, layout", [
    ("facebook/2019-2021", "facebook", "2018"), ("facebook/2022-2023", "facebook", "2022"),
    ("facebook/2024-2026", "facebook", "2024"), ("instagram/2021-2022", "instagram", "2021"),
    ("instagram/2023-2024", "instagram", "2023"), ("instagram/2025-2026", "instagram", "2025"),
    ("instagram/2025-2026-es", "instagram", "2023"),
])
def test_each_generation_is_detected_as_an_html_export(html_root, folder, platform, layout):
    audit = scan([html_root / folder])
    assert [(s.platform, s.format, s.layout) for s in audit.sources] == [(platform, "html", layout)]
    assert set(audit.files["status"].astype(str)) <= {"parsed", "ignored"}
    assert "html_export" in set(audit.problems["kind"])


def test_facebook_2024_times_are_placed_in_the_zone_of_timezone_html(html_root):
    audit = scan([html_root / "facebook/2024-2026"])
    notices = audit.accounts["facebook"].notices
    assert any("Europe/Amsterdam" in n and "timezone.html" in n for n in notices)
    search = audit.items[audit.items["category"] == "search_history"]
    assert search["timestamp"].iloc[0] == datetime(2026, 6, 26, 7, 5, 20, tzinfo=timezone.utc)  # 9:05:20 CEST
    assert search["text"].tolist() == ["hiking boots", "Example Hiking Club", "café & bakery"]
    off = audit.items[audit.items["category"] == "off_platform_activity"]
    # the business whose page is missing stays, undated; the other gives its two events
    assert sorted(off["counterpart"]) == ["Example Shop", "Example Shop", "Sample News"]
    friends = audit.items[audit.items["kind"] == "friend"]
    assert len(friends) == 4 and friends["timestamp"].isna().sum() == 1  # the undated friend is kept


def test_instagram_times_use_the_documented_fixed_offset(html_root):
    audit = scan([html_root / "instagram/2025-2026"])
    assert any("UTC-08:00" in n for n in audit.accounts["instagram"].notices)
    likes = audit.items[audit.items["kind"] == "like"]
    assert likes["timestamp"].iloc[0] == datetime(2026, 8, 9, 17, 49, tzinfo=timezone.utc)  # 9:49 am at UTC-8
    followers = audit.items[audit.items["kind"] == "follower"]["counterpart"].tolist()
    following = audit.items[audit.items["kind"] == "following"]["counterpart"].tolist()
    assert sorted(set(followers) - set(following)) == ["alex_sample", "jordan.placeholder"]
    ai = audit.items[audit.items["category"] == "ai_interactions"]
    assert ai["text"].tolist() == ["Here are three ideas for a rainy weekend.", "Ideas for a rainy weekend?"]


def test_group_comment_keeps_its_group(html_root):
    audit = scan([html_root / "facebook/2024-2026"])
    comments = audit.items[audit.items["category"] == "comments"]
    assert comments["counterpart"].tolist()[1] == "Example Hiking Club"
    assert comments["text"].tolist()[1] == "Meet at the north gate"


# ---- msgvault: HTML threads against their JSON twins -----------------------------------------------

def _messages(folder: str):
    root = MSGVAULT / folder
    if not root.is_dir():
        pytest.skip("../shared/fixtures is not present")
    items = scan([root]).items
    items = items[items["kind"].astype(str) != "message_reaction"]
    return items.sort_values("timestamp", kind="stable")


@pytest.mark.parametrize("html, json", [("html_simple", "json_simple"), ("html_with_media", "json_with_media")])
def test_html_threads_give_the_messages_of_their_json_twins(html, json):
    from_html, from_json = _messages(html), _messages(json)
    counterpart = from_html["counterpart"].iloc[0]
    from_json = from_json[from_json["counterpart"] == counterpart]
    assert len(from_html) == len(from_json) > 0
    assert from_html["author"].tolist() == from_json["author"].tolist()
    assert from_html["text"].tolist() == from_json["text"].tolist()
    assert from_html["kind"].astype(str).tolist() == from_json["kind"].astype(str).tolist()
    # HTML shows minutes: the JSON instants fall within the minute the page shows
    gap = [(j - h).total_seconds() for j, h in zip(from_json["timestamp"], from_html["timestamp"])]
    assert all(0 <= seconds < 60 for seconds in gap), gap


def test_class_light_thread_without_a_json_twin_is_read():
    items = _messages("html_multi_media")
    assert items["text"].tolist() == ["Hello Carol", "Check out this photo", "Nice picture"]
    assert items["author"].tolist() == ["Test User", "Carol Photoshare", "Test User"]
    assert items["kind"].astype(str).tolist() == ["message", "message_photo", "message"]


def test_html_page_beside_its_json_twin_is_listed_not_read_twice():
    root = MSGVAULT / "mixed"
    if not root.is_dir():
        pytest.skip("../shared/fixtures is not present")
    audit = scan([root])
    files = audit.files.set_index("path")
    html = "your_activity_across_facebook/messages/inbox/eve_MIX/message_1.html"
    assert files.loc[html, "status"] == "ignored" and "HTML twin of" in files.loc[html, "reason"]
    assert files.loc[html, "category"] == "messages"
    assert audit.items["text"].tolist() == ["Mixed reply", "Mixed hello"]
