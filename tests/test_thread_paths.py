"""A thread page decoded at once (the fast path) and the streaming reader give the same audit.

`meta_threads.WHOLE_THREAD_LIMIT` chooses the path per member; each test forces one path, then the
other, on the same input and compares the frames, files and problems whole.
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from builder.facebook import LAYOUTS as FACEBOOK_LAYOUTS
from builder.facebook import build_e2ee_download, build_facebook
from builder.instagram import LAYOUTS as INSTAGRAM_LAYOUTS
from builder.instagram import build_instagram
from parsers import meta_common, meta_threads
from parsers.scan import scan



def scan_both_ways(paths: list[Path], monkeypatch) -> tuple:
    monkeypatch.setattr(meta_threads, "WHOLE_THREAD_LIMIT", 1 << 40)  # every thread decoded at once
    whole = scan(paths, jobs=1)
    monkeypatch.setattr(meta_threads, "WHOLE_THREAD_LIMIT", -1)  # every thread streamed
    streamed = scan(paths, jobs=1)
    return whole, streamed


def assert_same(whole, streamed) -> None:
    assert len(whole.items), "the input should hold items"
    pd.testing.assert_frame_equal(whole.items, streamed.items)
    pd.testing.assert_frame_equal(whole.files, streamed.files)
    pd.testing.assert_frame_equal(whole.problems, streamed.problems)


@pytest.mark.parametrize("layout", FACEBOOK_LAYOUTS)
def test_facebook_threads_read_the_same_both_ways(tmp_path, monkeypatch, layout):
    tree = build_facebook(layout, seed=8, messages=400, threads=4, messages_per_file=50)
    path = tree.write_zip(tmp_path / f"facebook-me-{layout}.zip")
    assert_same(*scan_both_ways([path], monkeypatch))


def test_e2ee_download_reads_the_same_both_ways(tmp_path, monkeypatch):
    folder = build_e2ee_download(seed=2, messages=60, threads=3).write_folder(tmp_path / "e2ee")
    assert_same(*scan_both_ways([folder], monkeypatch))


@pytest.mark.parametrize("layout", INSTAGRAM_LAYOUTS)
def test_instagram_threads_read_the_same_both_ways(tmp_path, monkeypatch, layout):
    path = build_instagram(layout, seed=4, scale=2).write_zip(tmp_path / f"instagram-{layout}.zip")
    assert_same(*scan_both_ways([path], monkeypatch))


def test_broken_pages_fall_back_to_the_streaming_reader(tmp_path, monkeypatch):
    """A page cut off mid-way is not valid JSON: the streaming reader keeps the messages before the
    cut and fails the member, whichever path was asked for."""
    tree = build_facebook("2024", seed=9, messages=120, threads=2, messages_per_file=60)
    page = next(p for p in tree.files if p.endswith("message_1.json"))
    tree.files[page] = tree.files[page][: len(tree.files[page]) // 2]
    whole, streamed = scan_both_ways([tree.write_zip(tmp_path / "facebook-me-2024.zip")], monkeypatch)
    assert_same(whole, streamed)
    row = whole.files[whole.files["path"] == page].iloc[0]
    assert row["status"] == "failed" and row["items"] > 0


@pytest.mark.shared
@pytest.mark.parametrize("relative", ["messenger/msgvault-testdata", "facebook/waultar", "instagram/context-use"])
def test_shared_fixtures_read_the_same_both_ways(shared_fixtures, monkeypatch, relative):
    base = shared_fixtures / relative
    if not base.is_dir():
        pytest.skip(f"{relative} absent")
    folders = sorted(p for p in base.iterdir() if p.is_dir()) or [base]
    for folder in folders:
        whole, streamed = scan_both_ways([folder], monkeypatch)
        pd.testing.assert_frame_equal(whole.items, streamed.items, obj=str(folder))
        pd.testing.assert_frame_equal(whole.files, streamed.files, obj=str(folder))
        pd.testing.assert_frame_equal(whole.problems, streamed.problems, obj=str(folder))


def _thread_export(tmp_path, name: str, document: dict | str) -> Path:
    from builder import ExportTree

    tree = ExportTree()
    tree.add("personal_information/profile_information/profile_information.json", "{}")
    path = "your_facebook_activity/messages/inbox/ann_1/message_1.json"
    if isinstance(document, str):
        tree.add(path, document)
    else:
        tree.add_json(path, document)
    return tree.write_zip(tmp_path / f"facebook-{name}-2024.zip")


def _messages(n: int) -> list[dict]:
    return [{"sender_name": "Ann Bø" if i % 2 else "Me", "timestamp_ms": 1_600_000_000_000 + i * 1000,
             "content": f"hello {i} ❤"} for i in range(n)]


@pytest.mark.parametrize("order", ["header first", "header last", "title last", "no title"])
def test_a_streamed_thread_takes_its_header_from_the_tail_as_the_passes_would(tmp_path, monkeypatch, order):
    """Real exports write title and participants after `messages`: the streaming reader takes them
    from the file's tail. Forced off (TAIL_KEEP too small to hold them), the full passes give the same."""
    participants = [{"name": "Ann Bø"}, {"name": "Me"}]
    if order == "header first":
        document = {"participants": participants, "title": "Ann Bø", "messages": _messages(300)}
    elif order == "header last":
        document = {"messages": _messages(300), "participants": participants, "title": "Ann Bø",
                    "thread_path": "inbox/ann_1", "magic_words": []}
    elif order == "title last":
        document = {"participants": participants, "messages": _messages(300), "title": "Ann Bø"}
    else:
        document = {"messages": _messages(300), "participants": participants}
    path = _thread_export(tmp_path, "tail", document)
    whole, streamed = scan_both_ways([path], monkeypatch)
    assert_same(whole, streamed)
    monkeypatch.setattr(meta_threads, "TAIL_KEEP", 1)
    monkeypatch.setattr(meta_threads, "header_from_tail", lambda tail: None)  # the tail says nothing: passes
    passes = scan([path], jobs=1)
    assert_same(whole, passes)
    messages = whole.items[whole.items["category"] == "messages"]
    expected = "Ann Bø" if order != "no title" else "Ann Bø, Me"
    assert set(messages["counterpart"]) == {expected}
    assert set(messages["author"]) == {"Ann Bø", "Me"}


def test_the_tail_reader_finds_the_end_of_the_messages_not_a_look_alike_inside_them():
    """Text that looks like `], "title": ...` inside a message is escaped JSON: it never parses as the tail."""
    import orjson

    trap = '"], "title": "wrong", "x": ["'
    document = {"messages": [{"content": trap, "reactions": [{"reaction": "x"}]}], "title": "right",
                "participants": [{"name": "A"}]}
    raw = orjson.dumps(document)
    assert meta_threads.header_from_tail(raw) == {"title": "right", "participants": [{"name": "A"}]}
    for keep in range(1, len(raw)):  # a tail cut anywhere gives the right title or nothing
        found = meta_threads.header_from_tail(raw[-keep:])
        assert found is None or found.get("title") == "right", (keep, found)


def test_a_streamed_thread_cut_off_keeps_its_rows_before_the_cut(tmp_path, monkeypatch):
    import orjson

    raw = orjson.dumps({"participants": [{"name": "Ann"}, {"name": "Me"}], "messages": _messages(400),
                        "title": "Ann"}).decode()
    path = _thread_export(tmp_path, "cut", raw[: len(raw) // 2])
    whole, streamed = scan_both_ways([path], monkeypatch)
    assert_same(whole, streamed)
    row = streamed.files[streamed.files["path"].str.endswith("message_1.json")].iloc[0]
    assert row["status"] == "failed" and 0 < row["items"] < 400
