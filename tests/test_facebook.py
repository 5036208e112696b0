"""Facebook parser on the builder's synthetic exports of every layout generation.

Counts are compared with what the builder recorded it put in (`FacebookExport.expected`), so a
handler that drops, duplicates or mis-files items fails here.
"""
from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from builder import ExportTree
from builder.facebook import LAYOUTS, build_e2ee_download, build_facebook
from parsers.scan import scan
from parsers.facebook import E2EE_NOTICE, TABLE
from parsers.scan import Audit


def _counts(audit: Audit) -> dict[tuple[str, str], int]:
    frame = audit.items[audit.items["platform"] == "facebook"]
    grouped = frame.groupby(["category", "kind"], observed=True).size()
    return {key: int(n) for key, n in grouped.items()}


def _scan_tree(tree: ExportTree, tmp_path: Path, name: str = "facebook-owner-2024-01-01-abcdefgh.zip",
               **kwargs) -> Audit:
    return scan([tree.write_zip(tmp_path / name, **kwargs)])


@pytest.fixture(scope="module", params=LAYOUTS)
def built(request, tmp_path_factory):
    """(layout, tree, audit) for each generation, built and scanned once per module."""
    tree = build_facebook(request.param, seed=7, messages=45, posts=10, threads=4)
    audit = scan([tree.write_zip(tmp_path_factory.mktemp(request.param) / "fb.zip")])
    return request.param, tree, audit


def test_detected_as_facebook_json(built):
    layout, _tree, audit = built
    assert [(s.platform, s.format) for s in audit.sources] == [("facebook", "json")]


def test_counts_per_category_and_kind_equal_what_was_built(built):
    _layout, tree, audit = built
    assert _counts(audit) == {key: n for key, n in tree.expected.items() if n}


def test_every_file_parsed_or_ignored_with_a_reason(built):
    _layout, tree, audit = built
    files = audit.files
    assert len(files) == len(tree.files)
    assert set(files["status"].astype(str)) <= {"parsed", "ignored"}
    ignored = files[files["status"] == "ignored"]
    assert (ignored["reason"].str.len() > 0).all()
    media = ignored[ignored["path"].isin(tree.media_paths)]
    assert len(media) == len(tree.media_paths)
    assert set(media["reason"]) == {"media file: its bytes are counted with the item that uses it"}
    assert ignored["path"].str.endswith("no-data.txt").sum() == 1
    assert audit.problems.empty


def test_owner_named_from_profile_and_messages_split_self_other(built):
    _layout, tree, audit = built
    account = audit.accounts["facebook"]
    assert account.owner_names == {tree.owner}
    assert account.birth_date == "1990-04-09"
    assert account.account_created == 1_250_000_000
    messages = audit.items[(audit.items["category"] == "messages") & (audit.items["kind"] == "message")]
    # the builder alternates senders, owner first, in every thread
    assert set(messages["actor"].astype(str)) == {"self", "other"}
    profile = audit.items[audit.items["kind"] == "profile"]
    assert profile["actor"].tolist() == ["self"]


def test_mojibake_repaired(built):
    _layout, tree, audit = built
    items = audit.items
    assert items.loc[items["kind"] == "profile", "text"].tolist() == ["Søren Ærø Müller"]
    searches = set(items.loc[items["kind"] == "search", "text"])
    assert searches <= {"smørrebrød", "café near me", "Zoë", "weekend trip"} and searches
    assert not items["text"].str.contains("Ã", regex=False).any()
    assert not items["counterpart"].str.contains("Ã", regex=False).any()


def test_media_bytes_per_category_equal_the_members(built):
    _layout, tree, audit = built
    got = audit.items.groupby("category", observed=True)["media_bytes"].sum()
    for category, size in tree.expected_bytes.items():
        assert int(got[category]) == size, category


def test_timestamps_are_utc_and_in_range(built):
    _layout, _tree, audit = built
    stamps = audit.items["timestamp"].dropna()
    assert str(stamps.dt.tz) == "UTC"
    assert stamps.min() >= pd.Timestamp("2009-01-01", tz="UTC")
    assert stamps.max() <= pd.Timestamp("2025-01-01", tz="UTC")
    messages = audit.items[audit.items["category"] == "messages"]
    assert messages["timestamp"].notna().all()  # ms timestamps converted, none lost


def test_friends_are_named_as_counterparts(built):
    _layout, _tree, audit = built
    friends = audit.items[audit.items["kind"].isin(["friend", "following"])]
    assert (friends["counterpart"].str.len() > 0).all() and (friends["text"] == "").all()
    assert set(friends["actor"].astype(str)) == {"other"}


def test_counterpart_is_the_thread_title(built):
    layout, _tree, audit = built
    messages = audit.items[audit.items["kind"] == "message"]
    assert (messages["counterpart"].str.len() > 0).all()
    assert messages["counterpart"].str.startswith("Gruppe ").any()  # the group thread's title


def test_jurisdiction_from_the_privacy_jurisdiction_file(tmp_path):
    audit = _scan_tree(build_facebook("2024", seed=1), tmp_path)
    assert audit.accounts["facebook"].jurisdiction == "eu"


def test_large_thread_split_over_message_files_read_in_numeric_order(tmp_path):
    tree = build_facebook("2021", seed=3, messages=230, threads=1, messages_per_file=20)
    files = sorted(p for p in tree.files if p.endswith(".json") and "/message_" in p)
    assert len(files) == 12  # 230 messages, 20 per file
    audit = _scan_tree(tree, tmp_path)
    assert _counts(audit) == {key: n for key, n in tree.expected.items() if n}
    order = audit.items.loc[audit.items["category"] == "messages", "source_file"].astype(str)
    numbers = [int(p.rsplit("_", 1)[-1].split(".")[0]) for p in order.drop_duplicates()]
    assert numbers == sorted(numbers) and numbers[-1] == 12


def test_media_bytes_across_parts_of_a_split_export(tmp_path):
    tree = build_facebook("2024", seed=5, messages=40)
    parts = tree.write_parts(tmp_path, "facebook-owner-2024-01-01-abcdefgh", 3)
    audit = scan(parts)
    assert len(audit.sources) == 1 and audit.sources[0].parts == 3
    got = audit.items.groupby("category", observed=True)["media_bytes"].sum()
    for category, size in tree.expected_bytes.items():
        assert int(got[category]) == size, category
    assert set(audit.files["part"].astype(str)) == {p.name for p in parts}


def test_stale_root_prefix_in_media_uris(tmp_path):
    tree = build_facebook("2024", seed=6, stale_prefix=True)
    uris = json.loads(tree.files["your_facebook_activity/posts/album/0.json"])["photos"]
    assert all(p["uri"].startswith("your_activity_across_facebook/") for p in uris)
    audit = _scan_tree(tree, tmp_path)
    got = audit.items.groupby("category", observed=True)["media_bytes"].sum()
    assert int(got["photos_videos"]) == tree.expected_bytes["photos_videos"] > 0
    assert int(got["posts"]) == tree.expected_bytes["posts"] > 0
    thread = next(p for p in tree.files if p.endswith("/message_1.json"))
    photos = [m for m in json.loads(tree.files[thread])["messages"] if "photos" in m]
    assert photos and all(m["photos"][0]["uri"].startswith("your_activity_across_facebook/") for m in photos)
    assert int(got["messages"]) == tree.expected_bytes["messages"] > 0


def test_drive_wrapped_zip(tmp_path):
    tree = build_facebook("2023", seed=8)
    audit = _scan_tree(tree, tmp_path, wrap="Takeout/facebook-owner-2023-01-01-abcdefgh")
    assert _counts(audit) == {key: n for key, n in tree.expected.items() if n}


def test_corrupt_member_is_one_failed_row_and_the_rest_parsed(tmp_path):
    tree = build_facebook("2024", seed=9)
    broken = "your_facebook_activity/comments_and_reactions/comments.json"
    tree.files[broken] = tree.files[broken][: len(tree.files[broken]) // 2]
    audit = _scan_tree(tree, tmp_path)
    files = audit.files.set_index("path")
    assert files.loc[broken, "status"] == "failed"
    assert (audit.files["status"] == "failed").sum() == 1
    assert audit.problems["file"].tolist() == [broken]
    counts = _counts(audit)
    expected = {key: n for key, n in tree.expected.items() if n and key[0] != "comments"}
    # items streamed before the break stay counted; everything else is complete
    assert {k: v for k, v in counts.items() if k[0] != "comments"} == expected
    assert counts.get(("comments", "comment"), 0) < tree.expected[("comments", "comment")]


def test_no_messages_folder_adds_the_encrypted_chat_notice(tmp_path):
    audit = _scan_tree(build_facebook("2024", seed=10, message_boxes=()), tmp_path)
    notices = audit.accounts["facebook"].notices
    assert len(notices) == 1 and "separate download" in notices[0]
    problems = audit.problems[audit.problems["kind"] == "notice"]
    assert len(problems) == 1
    assert problems["message"].iloc[0] == E2EE_NOTICE.format(detail="")


def test_only_e2ee_cutover_adds_the_notice_with_detail(tmp_path):
    tree = build_facebook("2024", seed=11, message_boxes=("e2ee_cutover",), messages=12)
    audit = _scan_tree(tree, tmp_path)
    assert _counts(audit)[("messages", "message")] == tree.expected[("messages", "message")]
    (notice,) = audit.accounts["facebook"].notices
    assert "e2ee_cutover" in notice


def test_regular_threads_need_no_notice(built):
    _layout, _tree, audit = built
    assert audit.accounts["facebook"].notices == []
    assert (audit.problems["kind"] == "notice").sum() == 0


def test_e2ee_download_alone(tmp_path):
    tree = build_e2ee_download(seed=2, messages=30, threads=3)
    audit = _scan_tree(tree, tmp_path, name="messenger-e2ee.zip")
    assert _counts(audit) == {key: n for key, n in tree.expected.items() if n}
    got = audit.items.groupby("category", observed=True)["media_bytes"].sum()
    assert int(got["messages"]) == tree.expected_bytes["messages"] > 0
    # no profile in this download: the owner is the one name in every thread
    assert audit.accounts["facebook"].owner_names == {tree.owner}
    messages = audit.items[audit.items["kind"] == "message"]
    assert set(messages["actor"].astype(str)) == {"self", "other"}
    assert audit.accounts["facebook"].notices == []


def test_e2ee_download_with_an_export_lacking_messages_withdraws_the_notice(tmp_path):
    export = build_facebook("2024", seed=12, message_boxes=())
    e2ee = build_e2ee_download(seed=12, messages=10, threads=2)
    audit = scan([export.write_zip(tmp_path / "facebook-a-2024-01-01-aaaaaaaa.zip"),
                  e2ee.write_zip(tmp_path / "messenger-secure-storage.zip")])
    assert len(audit.sources) == 2
    assert audit.accounts["facebook"].notices == []
    assert _counts(audit)[("messages", "message")] == e2ee.expected[("messages", "message")]


# ---- files that flip shape: wrapped object, bare list, single object ------------------------------

CHECK_IN = {"timestamp": 1_600_000_000, "fbid": "1", "media": [],
            "label_values": [{"label": "Message", "value": "Hygge p\u00e5 caf\u00e9"}]}


@pytest.mark.parametrize("content, expected", [
    (CHECK_IN, 1),                                      # one check-in: a single object
    ([CHECK_IN, CHECK_IN, CHECK_IN], 3),                # several: a bare list
    ({"check_ins_v2": [CHECK_IN, CHECK_IN]}, 2),        # a wrapper object
    ([], 0),
])
def test_check_ins_in_every_shape(tmp_path, content, expected):
    tree = build_facebook("2024", seed=13)
    tree.add_json("your_facebook_activity/posts/check-ins.json", content)
    audit = _scan_tree(tree, tmp_path)
    rows = audit.items[audit.items["source_file"] == "your_facebook_activity/posts/check-ins.json"]
    assert len(rows) == expected
    assert (rows["kind"] == "check_in").all()
    if expected:
        assert rows["text"].iloc[0] == "Hygge på café"
        assert rows["timestamp"].iloc[0] == pd.Timestamp(1_600_000_000, unit="s", tz="UTC")


def test_off_meta_activity_2025_wrapped_and_2026_list_shapes(tmp_path):
    older = build_facebook("2023", seed=14, off_platform=7)
    newer = build_facebook("2024", seed=14, off_platform=7)
    for tree in (older, newer):
        audit = _scan_tree(tree, tmp_path / tree.layout)
        events = audit.items[audit.items["kind"] == "off_platform_event"]
        assert len(events) == 7
        assert events["counterpart"].str.startswith("Shop ").all()
        assert events["timestamp"].notna().all()


def test_table_reads_as_documentation():
    """Every rule says what it does: a handler with a docstring or an ignore reason."""
    for rule in TABLE.rules:
        assert rule.category or rule.handler is None, rule.pattern
        if rule.handler is None:
            assert rule.reason, rule.pattern
        else:
            assert (rule.handler.__doc__ or "").strip(), rule.pattern


def test_html_page_in_a_json_export_is_ignored_with_a_reason(tmp_path):
    tree = build_facebook("2024", seed=15)
    tree.add("your_facebook_activity/posts/your_posts__check_ins__photos_and_videos_1.html", "<html></html>")
    audit = _scan_tree(tree, tmp_path)
    row = audit.files.set_index("path").loc[
        "your_facebook_activity/posts/your_posts__check_ins__photos_and_videos_1.html"]
    assert row["status"] == "ignored" and "HTML" in row["reason"]


def test_unknown_file_falls_through_as_unknown(tmp_path):
    tree = build_facebook("2024", seed=16)
    tree.add_json("your_facebook_activity/brand_new_feature/thing.json", {"thing_v2": [{"timestamp": 1}]})
    audit = _scan_tree(tree, tmp_path)
    row = audit.files.set_index("path").loc["your_facebook_activity/brand_new_feature/thing.json"]
    assert row["status"] == "unknown"


def test_ai_sticker_in_a_chat_is_an_ai_interaction(tmp_path):
    tree = build_facebook("2024", seed=17)
    thread = "your_facebook_activity/messages/inbox/anabrown_1/message_1.json"
    tree.add_json(thread, {"participants": [{"name": "Ana Brown"}, {"name": tree.owner}], "messages": [
        {"sender_name": tree.owner, "timestamp_ms": 1_700_000_000_000,
         "sticker": {"uri": "your_facebook_activity/messages/stickers_used/ai.png",
                     "ai_stickers": [{"prompt": "a cat in a café"}]}},
        {"sender_name": "Ana Brown", "timestamp_ms": 1_700_000_060_000, "content": "Søde kat"}],
        "title": "Ana Brown", "thread_path": "inbox/anabrown_1"})
    tree.add_media("your_facebook_activity/messages/stickers_used/ai.png", 777)
    audit = _scan_tree(tree, tmp_path)
    rows = audit.items[audit.items["source_file"] == thread]
    assert rows[["category", "kind", "actor"]].astype(str).values.tolist() == [
        ["ai_interactions", "ai_sticker", "self"], ["messages", "message", "other"]]
    assert rows["media_bytes"].tolist() == [777, 0]
    assert rows["text"].tolist()[1] == "Søde kat"


@pytest.mark.parametrize("text, code", [
    ("European Union", "eu"), ("Ireland", "eu"), ("DE", "eu"), ("United Kingdom", "uk"), ("GB", "uk"),
    ("Brazil", "br"), ("United States of America", "us"), ("US", "us"), ("Canada", "other"), ("", None),
])
def test_jurisdiction_mapping(text, code):
    from parsers.meta_common import jurisdiction_of
    assert jurisdiction_of(text) == code
