"""The handler-table mechanism: every member lands in the files frame exactly once."""
from __future__ import annotations


from builder import ExportTree
from parsers.archive import open_sources
from parsers.contract import AccountContext, Item, ItemsBuilder, Problem, files_frame
from parsers.handlers import HandlerTable, handle, ignore, natural_key, run_table


def _lines(member, ctx):
    with member.open() as stream:
        for line in stream.read().decode().splitlines():
            if line == "bad":
                yield Problem(member.path, "bad_line", "a bad line")
            elif line == "boom":
                raise ValueError("cannot read this")
            else:
                yield Item("posts", "post", 1600000000.0, "self", "", line)


def _context(member, ctx):
    ctx.account.owner_names.add("Owner")
    return iter(())


TABLE = HandlerTable("facebook", [
    handle(r"profile\.txt", _context, "profile", first=True),
    handle(r"posts/.*\.txt", _lines, "posts"),
    ignore(r".*\.jpg", "media file", "photos_videos"),
])


def _run(tmp_path, files):
    tree = ExportTree()
    for name, content in files.items():
        tree.add(name, content)
    [source] = open_sources([tree.write_zip(tmp_path / "export.zip")])
    account = AccountContext()
    items = ItemsBuilder()
    order = []
    run = run_table(TABLE, source, account, items, progress=lambda *a: order.append(a[-1]))
    return run, items.frame(), files_frame(run.file_rows), account, order


def test_every_member_gets_one_status(tmp_path):
    run, items, files, account, order = _run(tmp_path, {
        "posts/a.txt": "one\ntwo\nbad",
        "posts/b.txt": "three\nboom",
        "posts/photo.jpg": b"\xff\xd8",
        "weird/thing.bin": b"??",
        "profile.txt": "name",
        "posts/empty.txt": "",
    })
    status = dict(zip(files["path"], files["status"]))
    assert status == {"posts/a.txt": "parsed", "posts/b.txt": "failed", "posts/photo.jpg": "ignored",
                      "weird/thing.bin": "unknown", "profile.txt": "parsed", "posts/empty.txt": "ignored"}
    assert dict(zip(files["path"], files["reason"]))["posts/empty.txt"].startswith("empty file")
    assert dict(zip(files["path"], files["items"]))["posts/a.txt"] == 2
    assert list(items["text"]) == ["one", "two", "three"]  # items before the failure are kept
    kinds = {p.kind for p in run.problems}
    assert kinds == {"bad_line", "unreadable"}
    failed = [p for p in run.problems if p.kind == "unreadable"][0]
    assert "posts/b.txt" in failed.message and "cannot read this" in failed.message
    assert order[0] == "profile.txt"  # context rules run first
    assert account.owner_names == {"Owner"}


def test_cancel_stops_between_members(tmp_path):
    tree = ExportTree()
    for n in range(5):
        tree.add(f"posts/{n}.txt", "x")
    [source] = open_sources([tree.write_zip(tmp_path / "e.zip")])
    calls = iter([False, False, True])
    run = run_table(TABLE, source, AccountContext(), ItemsBuilder(), cancelled=lambda: next(calls, True))
    assert run.cancelled
    rows = files_frame(run.file_rows)
    assert len(rows) == 5  # the three never reached are listed too, not dropped
    assert rows["status"].tolist() == ["parsed", "parsed", "ignored", "ignored", "ignored"]
    assert rows["reason"].iloc[-1].startswith("not read: the scan was cancelled")


def test_natural_order_of_numbered_parts():
    names = ["message_10.json", "message_2.json", "message_1.json"]
    assert sorted(names, key=natural_key) == ["message_1.json", "message_2.json", "message_10.json"]


def test_items_frame_dtypes():
    builder = ItemsBuilder()
    builder.add("facebook", Item("posts", "post", 1600000000.5, "self", "", "héllo"), "posts/a.json")
    builder.add("whatsapp", Item("messages", "text", None), "chat.txt")
    frame = builder.frame()
    assert str(frame["timestamp"].dtype) == "datetime64[ns, UTC]"
    assert frame["timestamp"].isna().tolist() == [False, True]
    assert frame["text_chars"].tolist() == [5, 0]
    assert str(frame["platform"].dtype) == "category"
    assert frame["timestamp"][0].isoformat() == "2020-09-13T12:26:40.500000+00:00"


def test_out_of_range_timestamps_become_unknown_not_a_crash():
    builder = ItemsBuilder()
    for seconds in (9.5e9, -9.5e9, 1.0e9):
        builder.add("facebook", Item("posts", "post", seconds), "posts/a.json")
    assert builder.frame()["timestamp"].isna().tolist() == [True, True, False]
