"""HTML pages that are not as they should be: unreadable times, damaged thread pages, no boxes.

Written here by hand (no ../shared needed): each case is one problem row or one failed file, and
everything else of the export is read.
"""
from __future__ import annotations

from parsers.scan import scan


def test_unreadable_time_is_a_problem_row_and_the_item_stays(tmp_path):
    def page(path: str, boxes: str) -> None:
        target = tmp_path / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(f'<html><head><base href="{"../" * path.count("/")}" /></head><body><main role="main">'
                          f'{boxes}</main></body></html>', encoding="utf-8")

    def card(title: str, when: str) -> str:
        return (f'<section class="_a6-g"><h2 class="_2ph_ _a6-h _a6-i">{title}</h2><footer class="_3-94 _a6-o">'
                f'<div class="_a72d">{when}</div></footer></section>')

    page("connections/friends/your_friends.html", card("Ann", "sometime 13:61 last week")
         + card("Bo", "Jun 26, 2026 9:05:20 am"))
    page("your_facebook_activity/posts/your_posts__check_ins__photos_and_videos_1.html", card("A post", ""))
    audit = scan([tmp_path])
    assert [(s.platform, s.format) for s in audit.sources] == [("facebook", "html")]
    friends = audit.items[audit.items["kind"] == "friend"]
    assert friends["counterpart"].tolist() == ["Ann", "Bo"]
    assert friends["timestamp"].isna().tolist() == [True, False]
    bad = audit.problems[audit.problems["kind"] == "unparsed_time"]
    assert len(bad) == 1 and "sometime 13:61 last week" in bad["message"].iloc[0]


def test_damaged_thread_pages_fail_alone_without_holding_the_page(tmp_path, monkeypatch):
    from parsers import meta_html_thread

    monkeypatch.setattr(meta_html_thread, "MAX_BOX", 1 << 16)
    folder = tmp_path / "your_facebook_activity" / "messages" / "inbox"
    (folder / "ok_1").mkdir(parents=True)
    (folder / "cut_2").mkdir(parents=True)
    box = ('<section class="_3-95 _a6-g"><h2 class="_2ph_ _a6-h _a6-i">Ann</h2><div class="_2ph_ _a6-p"><div>'
           '<div>hi</div></div></div><footer class="_3-94 _a6-o"><div class="_a72d">Jun 01, 2025 3:31:29 pm</div>'
           '</footer></section>')
    (folder / "ok_1" / "message_1.html").write_text(f'<html><body><main role="main">{box}</main></body></html>')
    never_closed = '<section class="_3-95 _a6-g"><div class="_2ph_ _a6-p">' + "<div>x</div>" * 20_000
    (folder / "cut_2" / "message_1.html").write_text(f'<html><body><main role="main">{box}{never_closed}')
    audit = scan([tmp_path])
    files = audit.files.set_index("path")
    assert files.loc["your_facebook_activity/messages/inbox/ok_1/message_1.html", "status"] == "parsed"
    cut = files.loc["your_facebook_activity/messages/inbox/cut_2/message_1.html"]
    assert cut["status"] == "failed" and "damaged" in cut["reason"]
    assert (audit.problems["kind"] == "unreadable").sum() == 1


def test_a_page_without_records_is_read_and_gives_nothing(tmp_path):
    folder = tmp_path / "your_facebook_activity" / "posts"
    folder.mkdir(parents=True)
    (folder / "your_posts__check_ins__photos_and_videos_1.html").write_text(
        "<html><head><title>Posts</title></head><body><p>" + "no records " * 50_000 + "</p></body></html>")
    (tmp_path / "your_facebook_activity" / "messages" / "inbox" / "x_1").mkdir(parents=True)
    (tmp_path / "your_facebook_activity" / "messages" / "inbox" / "x_1" / "message_1.html").write_text(
        "<html><head><title>X</title></head><body>" + "<p>nothing</p>" * 100_000 + "</body></html>")
    audit = scan([tmp_path])
    assert set(audit.files["status"].astype(str)) == {"parsed"}
    assert audit.items.empty
