"""The fixed-shape header reader (parsers/whatsapp_fixed.py) gives exactly what the regex reader gives."""
from __future__ import annotations

import functools
import io

import numpy as np
import pytest

from builder.whatsapp import KIND_WEIGHTS, ChatFormat, ChatWriter, all_formats, chat_lines
from parsers import whatsapp_chat, whatsapp_fixed, whatsapp_lines
from parsers.contract import AccountContext, ColumnBatch
from parsers.whatsapp_time import Fields


def read(text: str, chat: str, *, fixed: bool, monkeypatch, block: int | None = None) -> tuple:
    """Everything parse_chat yields, as comparable values, with the fixed-shape reader on or off."""
    with monkeypatch.context() as patch:
        used = []
        real = whatsapp_fixed.cut

        def spying(*args, **kwargs):
            found = real(*args, **kwargs)
            used.append(found is not None)
            return found

        patch.setattr(whatsapp_chat, "cut", spying)
        if not fixed:
            patch.setattr(whatsapp_chat, "layout_of", lambda fmt, sample: None)
        if block:
            patch.setattr(whatsapp_chat, "read_blocks", functools.partial(whatsapp_lines.read_blocks, block=block))
        account = AccountContext()
        out = []
        for value in whatsapp_chat.parse_chat(io.BytesIO(text.encode("utf-8")), "chat.txt", chat, account):
            out.append(list(value.items()) if isinstance(value, ColumnBatch) else value)
        entry = account.extra["whatsapp_chats"][0] if account.extra.get("whatsapp_chats") else {}
        codes = entry.get("codes", np.zeros(0)).tolist()
        return out, entry.get("authors"), codes, entry.get("kinds", np.zeros(0)).tolist(), used


FIXED = [ChatFormat(), ChatFormat(platform="ios"), ChatFormat(sep=".", comma=False), ChatFormat(platform="legacy"),
         ChatFormat(platform="ios", seconds=False, year_digits=2), ChatFormat(order="ymd", sep="-")]


@pytest.mark.parametrize("fmt", FIXED, ids=lambda f: f"{f.platform}-{f.order}-{f.sep}-{f.seconds}")
@pytest.mark.parametrize("block", [None, 700, 4093])
def test_fixed_shape_reader_gives_the_regex_readers_items(fmt, block, monkeypatch):
    writer = ChatWriter(5, fmt, authors=4, chat="Group")
    text = "".join(chat_lines(writer.messages(600, kinds=KIND_WEIGHTS), fmt))
    fast = read(text, "Group", fixed=True, monkeypatch=monkeypatch, block=block)
    slow = read(text, "Group", fixed=False, monkeypatch=monkeypatch, block=block)
    assert fast[:4] == slow[:4]
    assert fast[4] and all(fast[4])  # every block was cut by the fixed-shape reader
    assert slow[4] == []


def test_every_builder_format_reads_the_same_either_way(monkeypatch):
    for fmt in all_formats():
        writer = ChatWriter(9, fmt, authors=3, chat="Chat")
        text = "".join(chat_lines(writer.messages(120), fmt))
        fast = read(text, "Chat", fixed=True, monkeypatch=monkeypatch, block=1500)
        slow = read(text, "Chat", fixed=False, monkeypatch=monkeypatch, block=1500)
        assert fast[:4] == slow[:4], fmt


def test_a_header_in_another_shape_leaves_the_block_to_the_regex_reader(monkeypatch):
    # past the sample (2000 lines), so the chat's shape is fixed and only later blocks hold these
    lines = [f"13/01/2015, {m // 60 % 24:02d}:{m % 60:02d} - Ann: message {m}" for m in range(2400)]
    lines[2100] = "3/1/2015, 10:20 - Bob: unpadded, still a header for the plain regex"
    lines[2200] = "13/01/2015, 10:30 -"  # the header ending at the line's end, no author
    lines[2300] = "\u200e13/01/2015, 10:40 - Bob: marked: the tolerant regex reads it"
    lines.insert(2010, "1999 was a year (a continuation line that starts with a digit)")
    lines.insert(2012, "[not a header] either")
    text = "\n".join(lines) + "\n"
    fast = read(text, "Chat", fixed=True, monkeypatch=monkeypatch, block=3000)
    slow = read(text, "Chat", fixed=False, monkeypatch=monkeypatch, block=3000)
    assert fast[:4] == slow[:4]
    assert True in fast[4] and fast[4].count(False) == 3  # the three blocks with those went to the regex reader
    items = fast[0][-1]
    assert len(items) == 2400 and items[2009].text.endswith("\n1999 was a year (a continuation line that starts with a digit)")
    assert [i.author for i in items if i.author == "Bob"] == ["Bob", "Bob"]


def test_the_fixed_reader_keeps_continuation_lines_that_start_like_dates(monkeypatch):
    lines = [f"13/01/2015, 10:{m:02d} - Ann: message {m}" for m in range(30)]
    lines.insert(5, "2015 plans:\n- 12/02 trip\n🎉 party")
    text = "\n".join(lines) + "\n"
    fast = read(text, "Chat", fixed=True, monkeypatch=monkeypatch)
    slow = read(text, "Chat", fixed=False, monkeypatch=monkeypatch)
    assert fast[:4] == slow[:4] and fast[4] == [True]
    assert fast[0][-1][4].text == "message 4\n2015 plans:\n- 12/02 trip\n🎉 party"


def test_authors_colons_and_empty_bodies_as_the_regex_reads_them(monkeypatch):
    text = "\n".join([
        "13/01/2015, 10:00 - Ann: hello",
        "13/01/2015, 10:01 - Ann:",  # ":" at the line's end: empty body, an author
        "13/01/2015, 10:02 - Ann:.",  # view-once marker
        "13/01/2015, 10:03 - Ann:x no space: so no author",
        "13/01/2015, 10:04 - Messages are end-to-end encrypted",
        "13/01/2015, 10:05 - : empty author",
        "13/01/2015, 10:06 - Zoë Ünal: non-ASCII author",
        "13/01/2015, 10:07 - Ann:.",
        "more",
    ]) + "\n"
    fast = read(text, "Chat", fixed=True, monkeypatch=monkeypatch)
    slow = read(text, "Chat", fixed=False, monkeypatch=monkeypatch)
    assert fast[:4] == slow[:4] and fast[4] == [True]
    assert fast[1] == ["Ann", "", "Zoë Ünal"]


def test_layout_needs_one_shape():
    mixed = ["13/01/2015, 10:00 - A: x", "3/1/2015, 10:00 - A: x"]
    fmt = whatsapp_lines.detect_line_format(mixed)
    assert whatsapp_fixed.layout_of(fmt, mixed) is None
    twelve = ["13/01/2015, 10:00 PM - A: x"]
    assert whatsapp_fixed.layout_of(whatsapp_lines.detect_line_format(twelve), twelve) is None
    plain = ["13/01/2015, 10:00 - A: x", "13/01/2015, 11:00 - B: y"]
    layout = whatsapp_fixed.layout_of(whatsapp_lines.detect_line_format(plain), plain)
    assert layout is not None and layout.width == len("13/01/2015, 10:00 - ") and len(layout.runs) == 5


def test_fields_of_stamps_whose_widths_only_add_up():
    # 3 stamps of widths 17, 18, 16: 51 = 3 x 17 characters, yet not one width (read as a grid before)
    stamps = ["2009/2/27 6:55 PM", "2009/2/27 11:04 PM", "2009/2/28 1:0 AM"]
    num = Fields.of(stamps).num
    assert num[:, 1].tolist() == [2009, 2, 27, 11, 4, pytest.approx(np.nan, nan_ok=True)]
    assert num[:5, 2].tolist() == [2009, 2, 28, 1, 0]
