"""Instagram: the handler table on synthetic exports of every generation and on the shared fixtures."""
from __future__ import annotations

import io
from collections import Counter

import pytest

from builder.instagram import LAYOUTS, build_instagram
from parsers.archive import Member
from parsers.instagram import TABLE, flatten, records_of
from parsers.scan import scan



def counts(audit) -> Counter:
    items = audit.items
    return Counter(zip(items["category"].astype(str), items["kind"].astype(str)))


def statuses(audit) -> Counter:
    return Counter(audit.files["status"].astype(str))


# ---- synthetic exports of each generation ----------------------------------------------------------

#: builder generation -> the layout key detection gives it
DETECTED_LAYOUT = {"2020": "2018", "2022": "2021", "2024": "2023", "2025": "2025"}


@pytest.mark.parametrize("layout", LAYOUTS)
def test_generation_counts_owner_and_privacy(layout, tmp_path):
    built = build_instagram(layout, seed=7, private=layout in ("2020", "2025"), language="da" if layout == "2022" else "en")
    audit = scan([built.write_zip(tmp_path / f"instagram-{layout}.zip")])

    assert (audit.sources[0].platform, audit.sources[0].layout) == ("instagram", DETECTED_LAYOUT[layout])

    assert counts(audit) == built.expected
    assert statuses(audit)["unknown"] == 0 and statuses(audit)["failed"] == 0
    assert audit.problems.empty
    account = audit.accounts["instagram"]
    assert {built.username, built.full_name} <= account.owner_names  # mojibake repaired: "Radosław Sørensen"
    assert account.private_account is built.private
    assert account.birth_date == (None if layout == "2020" else built.birth_date)  # 2018 profile.json has none
    assert account.privacy_changes == built.privacy_changes
    messages = audit.items[audit.items["category"] == "messages"]
    assert (messages["actor"] == "self").sum() == built.self_messages
    assert (messages["actor"] == "other").sum() == len(messages) - built.self_messages
    # media bytes come from the zip directory, per category that references them
    by_category = audit.items.groupby(audit.items["category"].astype(str))["media_bytes"].sum()
    for category, size in built.media_bytes.items():
        assert by_category[category] == size
    # text is repaired: nothing left of Meta's latin-1 escaping
    assert not audit.items["text"].str.contains("Ã|Ã¥|ð\x9f", regex=True).any()


@pytest.mark.parametrize("layout", ["2020", "2025"])
def test_streaming_reader_gives_the_same_items(layout, tmp_path, monkeypatch):
    """Big files are read record by record (keyed_records) instead of a value at a time: force
    that path for every file and the counts stay those built."""
    monkeypatch.setattr("parsers.instagram.WHOLE_VALUE_LIMIT", 0)
    built = build_instagram(layout, seed=9)
    audit = scan([built.write_zip(tmp_path / "streamed.zip")])
    assert counts(audit) == built.expected and audit.problems.empty


def test_media_and_empty_members_are_ignored_with_reasons(tmp_path, scan_ig):
    built = build_instagram("2024", seed=2)
    audit = scan_ig(built.write_folder(tmp_path / "export"))
    files = audit.files.set_index("path")
    media = [p for p in built.files if p.startswith("media/") or "/photos/" in p]
    assert media and all(files.loc[p, "status"] == "ignored" for p in media)
    assert set(files.loc[media, "reason"]) == {"media file: its bytes are counted with the item that uses it"}
    assert files.loc["your_instagram_activity/monetization/no-data.txt", "status"] == "ignored"


def test_scale_multiplies_items(tmp_path, scan_ig):
    small, large = build_instagram("2025", seed=3), build_instagram("2025", seed=3, scale=4)
    audit = scan_ig(large.write_zip(tmp_path / "large.zip"))
    assert counts(audit) == large.expected
    assert large.expected[("posts", "post")] == 4 * small.expected[("posts", "post")]


def test_damaged_member_is_one_problem_and_the_rest_is_parsed(tmp_path, scan_ig):
    built = build_instagram("2024", seed=5)
    broken = "your_instagram_activity/likes/liked_posts.json"
    built.files[broken] = built.files[broken][: len(built.files[broken]) // 2]
    audit = scan_ig(built.write_zip(tmp_path / "damaged.zip"))

    assert list(audit.problems["file"]) == [broken]
    row = audit.files.set_index("path").loc[broken]
    assert row["status"] == "failed"
    got = counts(audit)
    for key, count in built.expected.items():
        if key != ("reactions", "like"):
            assert got[key] == count, key
    assert got[("reactions", "like")] < built.expected[("reactions", "like")]


def test_empty_and_broken_files(tmp_path, scan_ig):
    built = build_instagram("2024", seed=4)
    built.add("your_instagram_activity/saved/saved_music.json", b"")  # 0 bytes: an empty category
    built.add("your_instagram_activity/saved/saved_collections.json", b"[object Object]")  # a Meta bug
    built.add("your_instagram_activity/events/event_reminders.json", b"[]")
    audit = scan_ig(built.write_zip(tmp_path / "empty.zip"))
    files = audit.files.set_index("path")
    assert files.loc["your_instagram_activity/saved/saved_music.json", ["status", "items"]].tolist() == ["ignored", 0]
    assert files.loc["your_instagram_activity/events/event_reminders.json", "status"] == "parsed"
    assert files.loc["your_instagram_activity/saved/saved_collections.json", "status"] == "failed"
    assert list(audit.problems["file"]) == ["your_instagram_activity/saved/saved_collections.json"]
    assert counts(audit) == built.expected


def test_html_twin_pages_are_ignored_with_a_reason(tmp_path, scan_ig):
    built = build_instagram("2025", seed=1)
    built.add("start_here.html", "<html></html>")
    built.add("your_instagram_activity/likes/liked_posts.html", "<html></html>")
    audit = scan_ig(built.write_zip(tmp_path / "html.zip"))
    files = audit.files.set_index("path")
    assert files.loc["your_instagram_activity/likes/liked_posts.html", "status"] == "ignored"
    assert "HTML twin of your_instagram_activity/likes/liked_posts.json" in \
        files.loc["your_instagram_activity/likes/liked_posts.html", "reason"]
    assert files.loc["start_here.html", "status"] == "ignored"


def test_unknown_paths_fall_through(tmp_path, scan_ig):
    built = build_instagram("2025", seed=1)
    built.add_json("some_new_section/brand_new_file.json", {"x": [1]})
    audit = scan_ig(built.write_zip(tmp_path / "new.zip"))
    files = audit.files.set_index("path")
    assert files.loc["some_new_section/brand_new_file.json", "status"] == "unknown"


def test_privacy_switch_directions_are_inferred_when_unstated(tmp_path, scan_ig):
    # 2024 records carry only the time: the last switch led to the current status (private)
    built = build_instagram("2024", seed=11, private=True)
    audit = scan_ig(built.write_zip(tmp_path / "p.zip"))
    changes = audit.accounts["instagram"].privacy_changes
    assert [d for _t, d in changes] == ["private", "public", "private"]
    assert changes == built.privacy_changes


# ---- record shapes ---------------------------------------------------------------------------------

@pytest.mark.parametrize("limit", [8 << 20, 0], ids=["values-built-whole", "walked-event-by-event"])
def test_keyed_records_reads_every_wrapping(limit, monkeypatch):
    monkeypatch.setattr("parsers.instagram.WHOLE_VALUE_LIMIT", limit)

    def records(text: str, **kw):
        data = text.encode()
        member = Member("x.json", len(data), len(data), "", lambda: io.BytesIO(data))
        return list(records_of(member, **kw))

    assert records('[{"a": 1}, {"a": 2}]') == [("", {"a": 1}), ("", {"a": 2})]
    assert records('{"likes_media_likes": [{"a": 1}], "other": [2]}') == [("likes_media_likes", {"a": 1}),
                                                                           ("other", 2)]
    assert records('{"label_values": [], "fbid": "1"}') == [("", {"label_values": [], "fbid": "1"})]
    assert records('{"followers": {"ann": "2019-01-01T00:00:00"}}', split_maps=True) == [
        ("followers", ("ann", "2019-01-01T00:00:00"))]
    assert records("{}") == [] and records("[]") == [] and records("") == [] and records(" \n") == []
    assert records('{"allow_comments_from": "everyone", "filtered_keywords": []}') == [
        ("allow_comments_from", "everyone")]


def test_flatten_translates_labels_and_reads_label_values():
    danish = flatten({"string_map_data": {"Forfatter": {"value": "anna"}, "Tidspunkt": {"timestamp": 1600000000}}})
    assert danish.get("author") == "anna" and danish.when == 1600000000
    dutch = flatten({"string_map_data": {"Opmerking": {"value": "mooi"}, "Media-eigenaar": {"value": "bob"}}})
    assert dutch.get("comment") == "mooi" and dutch.get("media owner") == "bob"
    lv = flatten({"timestamp": 5, "label_values": [
        {"label": "URL", "value": "u"},
        {"dict": [{"dict": [{"label": "Username", "value": "carl"}], "title": ""}], "title": "Owner"}]})
    assert lv.get("owner.username") == "carl" and lv.get("url") == "u" and lv.when == 5
    mojibake = flatten({"string_list_data": [{"value": "Rados\u00c5\u0082aw", "timestamp": 0}]})
    assert mojibake.get("value") == "Radosław" and mojibake.when is None


# ---- every path of the real-paths inventory is known -------------------------------------------------

def _skeleton_content(path: str, keys: list[str]):
    """Minimal content of the right shape for a path of instagram_paths_keys.tsv."""
    smd = {"title": "someone", "media_map_data": {},
           "string_map_data": {"Time": {"href": "", "value": "", "timestamp": 1700000000},
                               "Value": {"href": "", "value": "x", "timestamp": 0}}}
    if "messages" in keys and "participants" in keys:
        return {"participants": [{"name": "a"}, {"name": "b"}], "title": "a", "is_still_participant": True,
                "thread_path": "inbox/a_1", "magic_words": [],
                "messages": [{"sender_name": "a", "timestamp_ms": 1700000000000, "content": "hi"}]}
    if "label_values" in keys:
        return {key: ([] if key == "media" else {"label_values": [{"label": "Name", "value": "x"}]}[key]
                      if key == "label_values" else 1700000000 if key == "timestamp" else "x") for key in keys}
    if "media" in keys:  # posts_1.json: a bare list of posts
        return [{"media": [{"uri": "media/posts/202401/x.jpg", "creation_timestamp": 1700000000, "title": "t"}],
                 "title": "t", "creation_timestamp": 1700000000}]
    return {key: [smd] for key in keys}


def test_every_real_path_is_in_the_table(shared_fixtures, tmp_path, scan_ig):
    tsv = shared_fixtures.parent / "reference" / "real-paths" / "instagram_paths_keys.tsv"
    from builder import ExportTree

    tree = ExportTree()
    for line in tsv.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        path, keys = line.split("\t")[:2]
        tree.add_json(path.replace("$USERNAME", "someone_123"), _skeleton_content(path, [k.strip() for k in keys.split(",")]))
    assert len(tree.files) == 63  # 65 lines of the tsv minus its 2 comment lines
    audit = scan_ig(tree.write_zip(tmp_path / "skeleton.zip"))
    unknown = audit.files[audit.files["status"] != "parsed"]
    assert unknown.empty, unknown[["path", "status", "reason"]].to_string()
    assert audit.problems.empty


def test_table_documents_its_rules():
    # every rule names a category or is an ignore with a reason
    for rule in TABLE.rules:
        assert rule.category or rule.reason, rule.pattern
