"""Summaries shared by the GUI and the CLI, checked on a small frame counted by hand."""
from __future__ import annotations

import pandas as pd
import pytest

from builder import items_frame
from parsers import summaries
from parsers.contract import (EXPOSURE_LEVELS, AccountContext, Item, empty_items, files_frame,
                              problems_frame)
from parsers.scan import Audit


def ts(text: str) -> float:
    return pd.Timestamp(text, tz="UTC").timestamp()


ROWS = [  # platform, Item, source_file
    ("facebook", Item("posts", "post", ts("2021-01-15"), "self", "", "hello", 1, 1000), "posts/posts_1.json"),
    ("facebook", Item("posts", "post", ts("2021-03-02"), "self", "", "abc"), "posts/posts_1.json"),
    ("facebook", Item("posts", "post", None, "self", "", ""), "posts/posts_2.json"),
    ("facebook", Item("messages", "message", ts("2021-01-20"), "other", "Ana García", "hi"), "inbox/a/message_1.json"),
    ("facebook", Item("messages", "message", ts("2021-01-21"), "self", "Ana García", "yo"), "inbox/a/message_1.json"),
    ("facebook", Item("messages", "ai_message", ts("2021-02-01"), "self", "Meta AI", "q?"), "ai.json"),
    ("instagram", Item("comments", "comment", ts("2020-12-31T23:59:59"), "self", "", "nice"), "comments.json"),
    ("whatsapp", Item("messages", "text", ts("2021-03-31"), "other", "Lars Hansen", "ok", 1, 500), "chat.txt"),
]


@pytest.fixture
def items() -> pd.DataFrame:
    return items_frame(ROWS)


@pytest.fixture
def files() -> pd.DataFrame:
    return files_frame([
        ("posts/posts_1.json", "facebook", "posts", "parsed", "", 100, 40, "a.zip", 2),
        ("location/x.json", "facebook", "location", "parsed", "", 10, 5, "a.zip", 0),
        ("media/a.jpg", "facebook", "photos_videos", "ignored", "media", 1000, 1000, "a.zip", 0),
        ("weird.bin", "facebook", None, "unknown", "not in the table", 7, 7, "a.zip", 0),
    ])


def test_by_category(items):
    table = summaries.by_category(items).set_index(["platform", "category"])
    assert list(table.index) == [("facebook", "posts"), ("facebook", "messages"), ("instagram", "comments"),
                                 ("whatsapp", "messages")]
    posts = table.loc[("facebook", "posts")]
    assert (posts["items"], posts["text_chars"], posts["media_count"], posts["media_bytes"], posts["files"]) == \
        (3, 8, 1, 1000, 2)  # "hello" + "abc"; two posts files
    assert posts["first"] == pd.Timestamp("2021-01-15", tz="UTC")
    assert posts["last"] == pd.Timestamp("2021-03-02", tz="UTC")
    assert posts["exposure"] == "training_if_public" and not posts["mixed_exposure"]
    assert posts["label"] == "Posts"
    messages = table.loc[("facebook", "messages")]
    assert messages["items"] == 3 and messages["files"] == 2
    assert messages["exposure"] == "training_ai_interactions" and messages["mixed_exposure"]  # most exposed
    assert table.loc[("whatsapp", "messages"), "exposure"] == "private_stated_not_used"


def test_by_category_lists_parsed_files_without_items(items, files):
    table = summaries.by_category(items, files).set_index(["platform", "category"])
    location = table.loc[("facebook", "location")]
    assert location["items"] == 0 and location["files"] == 1
    assert location["exposure"] == "ads_profiling"
    assert pd.isna(location["first"])
    assert ("facebook", "photos_videos") not in table.index  # only ignored media, no parsed file


def test_by_category_exposure_splits_mixed_categories(items):
    table = summaries.by_category_exposure(items)
    fb_messages = table[(table["platform"] == "facebook") & (table["category"] == "messages")]
    assert dict(zip(fb_messages["exposure"], fb_messages["items"])) == {"training_ai_interactions": 1,
                                                                        "private_stated_not_used": 2}
    assert table["items"].sum() == len(items)


def test_by_exposure(items):
    table = summaries.by_exposure(items).set_index("exposure")
    assert list(table.index) == list(EXPOSURE_LEVELS)
    # 3 facebook posts + 1 instagram comment; 1 AI message; 2 facebook + 1 whatsapp messages
    assert table["items"].to_dict() == {"training_if_public": 4, "training_ai_interactions": 1, "ads_profiling": 0,
                                        "private_stated_not_used": 3, "unclear": 0}
    assert table["share"].sum() == pytest.approx(1.0)
    assert table.loc["training_if_public", "media_bytes"] == 1000
    assert pd.isna(table.loc["unclear", "first"])


def test_monthly_timeline_by_category_has_every_month(items):
    table = summaries.timeline(items, by="category")
    assert list(table.index) == list(pd.date_range("2020-12-01", "2021-03-01", freq="MS", tz="UTC"))
    assert list(table.columns) == ["posts", "comments", "messages"]  # taxonomy order
    assert table.to_dict("list") == {"posts": [0, 1, 0, 1], "comments": [1, 0, 0, 0], "messages": [0, 2, 1, 1]}
    assert table.attrs["undated"] == 1


def test_timeline_for_one_platform_and_by_exposure_per_year(items):
    facebook = summaries.timeline(items, by="category", platform="facebook")
    assert facebook.index[0] == pd.Timestamp("2021-01-01", tz="UTC")
    assert facebook.to_dict("list") == {"posts": [1, 0, 1], "messages": [2, 1, 0]}
    yearly = summaries.timeline(items, by="exposure", freq="year")
    assert yearly.to_dict("index") == {
        pd.Timestamp("2020-01-01", tz="UTC"): {"training_if_public": 1, "training_ai_interactions": 0,
                                               "private_stated_not_used": 0},
        pd.Timestamp("2021-01-01", tz="UTC"): {"training_if_public": 2, "training_ai_interactions": 1,
                                               "private_stated_not_used": 3}}


def test_timeline_rejects_unknown_options_and_handles_no_dates(items):
    with pytest.raises(ValueError):
        summaries.timeline(items, by="text")
    with pytest.raises(ValueError):
        summaries.timeline(items, freq="week")
    empty = summaries.timeline(empty_items())
    assert empty.empty and empty.attrs["undated"] == 0


def test_top_counterparts(items):
    table = summaries.top_counterparts(items, n=2)
    assert table["counterpart"].tolist() == ["Ana García", "Lars Hansen"]  # 2 items; then the latest of the 1s
    assert table["items"].tolist() == [2, 1]
    assert table["sent"].tolist() == [1, 0]
    assert table["platform"].tolist() == ["facebook", "whatsapp"]
    only_ai = summaries.top_counterparts(items, platform="facebook", category="messages")
    assert set(only_ai["counterpart"]) == {"Ana García", "Meta AI"}
    assert summaries.top_counterparts(empty_items()).empty


def test_files_by_status(files):
    table = summaries.files_by_status(files).set_index("status")
    assert table["files"].to_dict() == {"parsed": 2, "ignored": 1, "unknown": 1, "failed": 0}
    assert table["bytes"].to_dict() == {"parsed": 110, "ignored": 1000, "unknown": 7, "failed": 0}
    per_platform = summaries.files_by_status(files, by_platform=True)
    assert per_platform[per_platform["platform"] == "facebook"]["files"].sum() == 4


def test_headline(items, files):
    audit = Audit(items, files, problems_frame([]), [], {"facebook": AccountContext(jurisdiction="Ireland")}, "us")
    head = summaries.headline(audit)
    assert (head["items"], head["files"], head["bytes"]) == (8, 4, 1117)
    assert head["platforms"] == ["facebook", "instagram", "whatsapp"]
    assert head["may_be_public"] == 4 and head["ai_interactions"] == 1
    assert head["first"] == pd.Timestamp("2020-12-31T23:59:59", tz="UTC")
    assert head["jurisdiction"] == "eu" and head["jurisdiction_source"] == "export"
    assert head["objection_route"]["has_form"]
    assert head["unknown_files"] == 1 and not head["partial"]
    assert head["media_bytes"] == 1000  # media/a.jpg, counted once from the files, whatever items refer to it


def test_empty_audit_summaries():
    items = empty_items()
    assert summaries.by_category(items).empty
    assert summaries.by_exposure(items)["items"].sum() == 0
    assert summaries.by_category_exposure(items).empty
