"""The handler-table mechanism: every member lands in the files frame exactly once."""
from __future__ import annotations

import pytest
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


# ---- progress and cancel inside one member ---------------------------------------------------------

CHAT_MESSAGES = 40_000  # ~3.4 MB of chat text: several WATCH_EVERY (1 MiB) chunks in one member


def _chats(tmp_path, big: int = CHAT_MESSAGES):
    """A zip with a small chat (read first: natural order) and a big one; (source, small path, big path)."""
    from builder.whatsapp import ChatFormat, ChatWriter, chat_lines

    fmt = ChatFormat()
    tree = ExportTree()
    tree.add("WhatsApp Chat with Ann.txt", "".join(chat_lines(ChatWriter(1, fmt, chat="Ann").messages(30), fmt)))
    tree.add("WhatsApp Chat with Zed.txt", "".join(chat_lines(ChatWriter(2, fmt, chat="Zed").messages(big), fmt)))
    [source] = open_sources([tree.write_zip(tmp_path / "chats.zip")])
    return source, "WhatsApp Chat with Ann.txt", "WhatsApp Chat with Zed.txt"


def test_progress_moves_inside_one_big_member(tmp_path):
    from parsers.handlers import WATCH_EVERY
    from parsers.whatsapp import CHAT_TABLE

    source, small, big = _chats(tmp_path)
    size = source.get(big).size
    assert size > 3 * WATCH_EVERY  # the premise: the big chat is read in several chunks
    seen = []
    run = run_table(CHAT_TABLE, source, AccountContext(), ItemsBuilder(), progress=lambda *a: seen.append(a))
    before = source.get(small).size  # bytes done when the big chat starts (the small one is read first)
    inside = [a[2] for a in seen if a[4] == big]
    assert inside[0] == before  # the report at the start of the member
    assert len(inside) >= 4  # start + one per MiB read (3 whole MiB at least)
    assert inside == sorted(inside) and len(set(inside)) == len(inside)  # strictly increasing
    assert before < inside[1] and inside[-1] <= before + size
    assert seen[-1][2] == before + size and not run.cancelled


def test_cancel_inside_a_member_keeps_what_was_read_and_says_how_far(tmp_path):
    from parsers.handlers import WATCH_EVERY, partly_read_percent
    from parsers.whatsapp import CHAT_TABLE

    source, small, big = _chats(tmp_path)
    size = source.get(big).size
    stop = []

    def progress(files_done, files_total, bytes_done, bytes_total, current):
        if current == big and bytes_done - source.get(small).size >= 2 * WATCH_EVERY and not stop:
            stop.append(bytes_done)  # at the 2 MiB report; the 3 MiB check (~88%) acts on it

    items = ItemsBuilder()
    run = run_table(CHAT_TABLE, source, AccountContext(), items, progress=progress, cancelled=lambda: bool(stop))
    assert run.cancelled and len(stop) == 1  # cancel acted at the next check, within the member
    files = files_frame(run.file_rows).set_index("path")
    assert files.loc[small, "status"] == "parsed" and files.loc[small, "items"] == 30
    assert files.loc[big, "status"] == "parsed"
    percent = partly_read_percent(files.loc[big, "reason"])
    # the bytes the reader had when the check at 3 MiB saw the cancel (that last read never reached it)
    assert 100 * 2 * WATCH_EVERY // size <= percent < 100 * 3 * WATCH_EVERY // size
    frame = items.frame()
    kept = frame[frame["source_file"] == big]
    assert 0 < len(kept) == files.loc[big, "items"] < CHAT_MESSAGES  # the messages before the cut, not 0
    # the first messages of the chat, in order and whole (the reader stopped at the check, then yielded)
    assert CHAT_MESSAGES * (percent - 3) // 100 <= len(kept) <= CHAT_MESSAGES * (percent + 3) // 100
    assert kept["timestamp"].is_monotonic_increasing


def test_cancel_before_a_member_leaves_it_unread(tmp_path):
    from parsers.handlers import NOT_READ_CANCELLED
    from parsers.whatsapp import CHAT_TABLE

    source, small, big = _chats(tmp_path)
    checks = iter([False])  # before the small chat: go on; before the big one: cancel
    run = run_table(CHAT_TABLE, source, AccountContext(), ItemsBuilder(), cancelled=lambda: next(checks, True))
    files = files_frame(run.file_rows).set_index("path")
    assert run.cancelled and files.loc[small, "status"] == "parsed"
    assert files.loc[big, "status"] == "ignored" and files.loc[big, "reason"] == NOT_READ_CANCELLED


def _varied_lines(n: int) -> str:
    """Text that compresses like real text (a repeated line would trip the zip-bomb ratio check)."""
    import random

    rng = random.Random(n)
    return "".join(f"line {k} ✓ {rng.getrandbits(64):x}\n" for k in range(n))


def _swallowing(member, ctx):
    """A handler that turns any Exception into a problem: the cancel must still get through."""
    try:
        with member.open() as stream:
            for line in stream:
                yield Item("posts", "post", None, "self", "", line.decode().strip())
    except Exception as error:  # noqa: BLE001 - what a careless handler does
        yield Problem(member.path, "swallowed", str(error))


def test_cancel_gets_through_a_handler_that_catches_exception(tmp_path):
    tree = ExportTree()
    tree.add("posts/a.txt", _varied_lines(200_000))  # ~2.4 MB, one member
    tree.add("posts/b.txt", "x\n")
    [source] = open_sources([tree.write_zip(tmp_path / "e.zip")])
    table = HandlerTable("facebook", [handle(r"posts/.*\.txt", _swallowing, "posts")])
    checks = iter([False, True])  # before a.txt: go on; at its first MiB: cancel
    items = ItemsBuilder()
    run = run_table(table, source, AccountContext(), items, cancelled=lambda: next(checks, True))
    assert run.cancelled and run.problems == []  # not swallowed into a problem
    files = files_frame(run.file_rows)
    assert files["status"].tolist() == ["parsed", "ignored"]  # a.txt partly read, b.txt never reached
    assert 0 < len(items) == files["items"].iloc[0] < 200_000  # the lines before the first MiB


def _every_method(member, ctx):
    """Reads the member through every stream method the platform handlers use; yields what each saw."""
    import io

    with member.open() as stream:
        head = stream.read(5)
        if stream.seekable():  # zip and folder members are not today; a seekable one must stay so
            stream.seek(0)
            assert stream.tell() == 0
            first_line = stream.readline()
        else:
            first_line = head + stream.readline()
        chunk = stream.read1(7)
        buffer = bytearray(6)
        got = stream.readinto(buffer)
        rest = b"".join(stream)
        assert stream.read() == b""
    assert stream.closed
    with member.open() as stream, io.TextIOWrapper(stream, encoding="utf-8") as text:
        lines = list(text)
    for name, value in (("head", head), ("line", first_line), ("chunk", chunk), ("into", bytes(buffer[:got])),
                        ("rest", rest), ("text", "".join(lines).encode())):
        yield Item("posts", name, None, "self", "", value.decode())


@pytest.mark.parametrize("seekable", [False, True], ids=["zip member", "seekable member"])
def test_the_watched_stream_is_transparent(tmp_path, seekable):
    import io

    from parsers.archive import Member, Source

    content = _varied_lines(120_000)  # ~3.6 MB: crosses several checks
    raw = content.encode()
    if seekable:
        member = Member("posts/a.txt", len(raw), len(raw), "memory", lambda: io.BytesIO(raw))
        source = Source("memory", ["memory"], [member])
    else:
        tree = ExportTree()
        tree.add("posts/a.txt", content)
        [source] = open_sources([tree.write_zip(tmp_path / "e.zip")])
    table = HandlerTable("facebook", [handle(r"posts/.*\.txt", _every_method, "posts")])
    items = ItemsBuilder()
    seen = []
    run = run_table(table, source, AccountContext(), items, progress=lambda *a: seen.append(a[2]),
                    cancelled=lambda: False)
    assert run.file_rows[0][3] == "parsed", run.problems
    got = dict(zip(items.frame()["kind"], items.frame()["text"]))
    first = raw.index(b"\n") + 1
    assert got["head"] == raw[:5].decode() and got["line"] == raw[:first].decode()
    assert (got["chunk"] + got["into"] + got["rest"]).encode() == raw[first:]
    assert got["text"] == content and not run.cancelled
    assert len(seen) > 3 and seen == sorted(seen) and seen[-1] == len(raw)  # never backwards, though read twice


def test_truncate_keeps_the_first_rows():
    items = ItemsBuilder()
    for n in range(5):
        items.add("facebook", Item("posts", "post", None, "self", "", str(n)), "a")
    items.truncate(2)
    assert len(items) == 2 and list(items.frame()["text"]) == ["0", "1"]


def test_a_scan_cancelled_inside_its_only_chat_keeps_its_first_messages(tmp_path):
    """Through the whole pipeline (detection, finish, exposure): one big chat, cancelled at its second MiB."""
    from builder.whatsapp import ChatFormat, ChatWriter, write_chat

    from parsers.handlers import partly_read_percent
    from parsers.scan import scan

    fmt = ChatFormat()
    chat = write_chat(tmp_path / "WhatsApp Chat with Zed.txt", ChatWriter(4, fmt, chat="Zed").messages(CHAT_MESSAGES),
                      fmt)
    seen = []
    audit = scan([chat], progress=lambda *a: seen.append(a[2]), cancelled=lambda: any(seen[1:]))
    assert audit.partial and 0 < len(audit.items) < CHAT_MESSAGES
    [reason] = audit.files["reason"].tolist()
    percent = partly_read_percent(reason)
    assert percent is not None and 0 < percent < 100
    assert audit.files["items"].tolist() == [len(audit.items)]
    assert audit.items["exposure"].notna().all()  # exposure applied to the kept rows
    assert 0 < max(seen) < chat.stat().st_size  # it stopped inside the file


def test_a_frame_built_in_steps_equals_one_built_at_once(monkeypatch):
    import pandas as pd

    import parsers.contract as contract

    builder = ItemsBuilder()
    for n in range(1000):
        builder.add("facebook" if n % 3 else "whatsapp",
                    Item("messages", f"kind{n % 7}", 1.6e9 + n if n % 5 else None, "self", f"chat {n % 11}",
                         f"text {n}", n % 2, n), f"file_{n % 13}.json")
    whole = builder.frame()
    monkeypatch.setattr(contract, "FRAME_STEP", 64)
    stepped = builder.frame()
    pd.testing.assert_frame_equal(stepped, whole, check_categorical=False)
    assert [str(t) for t in stepped.dtypes] == [str(t) for t in whole.dtypes]
    for fixed in ("platform", "category", "actor", "exposure"):  # the contract's fixed categories survive
        assert stepped[fixed].dtype == whole[fixed].dtype
    assert (stepped["kind"].astype(str) == whole["kind"].astype(str)).all()
