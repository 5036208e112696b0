"""WhatsApp chat exports: the shared fixtures, zips with media, owner inference, problems as values."""
from __future__ import annotations

import io
import json
from collections import Counter
from datetime import datetime, timezone

import pandas as pd
import pytest

from builder import ExportTree
from builder.whatsapp import (ChatFormat, ChatWriter, chat_lines, chat_tree, chat_zip_name, scan_as,
                              write_chat)
from parsers.contract import AccountContext, Item, ColumnBatch, Problem
from parsers.whatsapp import CHAT_TABLE, MACOS_REASON, MEDIA_REASON, infer_owner
from parsers.whatsapp_chat import (KINDS, chat_name, classify, convert_stamps, detect_line_format,
                                   parse_chat)


def parse(data: bytes | str, chat: str = "Chat", owner: str | None = None):
    """(items, problems, authors per item) for one chat text."""
    account = AccountContext()
    if owner:
        account.owner_names.add(owner)
    raw = data.encode("utf-8") if isinstance(data, str) else data
    out = list(parse_chat(io.BytesIO(raw), "chat.txt", chat, account))
    items = [item for o in out if isinstance(o, ColumnBatch) for item in o.items()]
    problems = [o for o in out if isinstance(o, Problem)]
    entry = account.extra["whatsapp_chats"][-1] if account.extra.get("whatsapp_chats") else None
    authors = [entry["authors"][c] if c >= 0 else None for c in entry["codes"]] if entry else []
    return items, problems, authors


def utc(*args: int) -> float:
    return datetime(*args, tzinfo=timezone.utc).timestamp()


# ---- the shared fixtures ---------------------------------------------------------------------------------

CHATMINER = ["test_ddmmyy_24hrs.txt", "test_mmddyyyy_12hrs.txt", "test_[mmddyy]_24hrs.txt",
             "test_yyyymmdd_24hrs.txt"]


@pytest.mark.shared
@pytest.mark.parametrize("name", CHATMINER)
def test_chatminer_files_match_its_target(shared_fixtures, name):
    folder = shared_fixtures / "whatsapp"
    target = json.loads((folder / "target.json").read_text(encoding="utf-8"))
    items, problems, authors = parse((folder / name).read_bytes())
    assert problems == []
    # 11 lines, 2 of them continuations -> 9 headers: 6 user messages, "John Doe:." (an empty body,
    # chat-miner's "self-destroying message"), and 2 system lines without an author.
    assert len(items) == 9
    assert Counter(i.kind for i in items) == {"text": 7, "system": 2}
    users = [(i, a) for i, a in zip(items, authors) if i.kind == "text" and i.text]
    # chat-miner returns newest first and joins continuation lines with a space.
    expected = list(reversed(target))
    assert [pd.Timestamp(i.timestamp, unit="s").isoformat() for i, _ in users] == [t["timestamp"] for t in expected]
    assert [a for _, a in users] == [t["author"] for t in expected]
    assert [i.text.replace("\n", " ") for i, _ in users] == [t["message"] for t in expected]


# name -> (messages, kinds, first, last, backward steps, problem kinds). Counted by hand with
# `grep -cP '^\x{FEFF}?\[?\d{1,4}[./-]\d{1,2}[./-]\d{2,4}'` (header lines) and by reading each file.
FIXTURES = {
    # 12 header-like lines; the last has the malformed time "3:22_AM": 11 messages and a problem row.
    "langchain_whatsapp_chat.txt": (11, {"text": 10, "media": 1}, utc(2023, 1, 22, 18, 30), utc(2023, 1, 23, 3, 19),
                                    0, ["unreadable_lines"]),
    # 11 lines: 9 headers, "isn't it?" continues a message, a blank last line; E2E + "You created group".
    "rwhatsapp_sample.txt": (9, {"text": 6, "system": 2, "media": 1}, utc(2017, 7, 12, 22, 35),
                             utc(2018, 9, 28, 13, 30), 0, []),
    # 50 headers, 8 "Du hast ..."/E2E system lines, PTT (Datei angehängt) + <Medien ausgeschlossen>,
    # Standort: + Live-Standort; the file itself steps back twice (12:25 -> 12:24, 00:23 -> 00:13).
    "whatsr_germanandroid24h.txt": (50, {"text": 38, "system": 8, "media": 2, "location": 2},
                                    utc(2018, 1, 29, 12, 24), utc(2018, 1, 30, 0, 13), 2, []),
    # 500 bracketed [dd-mm-yy HH:MM:SS] lines, one message each.
    "whatstk/lorem.txt": (500, {"text": 500}, utc(2020, 1, 15, 2, 22, 56), utc(2020, 5, 11, 22, 32, 48), 0, []),
    # 300 yyyy-mm-dd lines each.
    "whatstk/lorem-merge-part1.txt": (300, {"text": 300}, utc(2019, 10, 20, 10, 16), utc(2020, 1, 10), 0, []),
    "whatstk/lorem-merge-part2.txt": (300, {"text": 300}, utc(2020, 6, 20, 10, 16), utc(2020, 9, 10), 0, []),
    # 20 headers + an empty last line; "Pokemon Chat: Messages and calls are end-to-end encrypted" has the
    # group name as author, "Messages you send to this group ..." has none: both system.
    "whatstk/pokemon.txt": (20, {"text": 18, "system": 2}, utc(2016, 4, 15, 15, 4), utc(2016, 10, 31, 12, 23), 0, []),
}


@pytest.mark.shared
@pytest.mark.parametrize("name", sorted(FIXTURES))
def test_fixture_counts_and_dates(shared_fixtures, name):
    count, kinds, first, last, backwards, problem_kinds = FIXTURES[name]
    items, problems, _ = parse((shared_fixtures / "whatsapp" / name).read_bytes())
    assert len(items) == count
    assert dict(Counter(i.kind for i in items)) == kinds
    stamps = [i.timestamp for i in items]
    assert None not in stamps
    assert (stamps[0], stamps[-1]) == (first, last)
    assert sum(b < a for a, b in zip(stamps, stamps[1:])) == backwards
    assert [p.kind for p in problems] == problem_kinds


@pytest.mark.shared
def test_fixture_bodies_keep_text_and_drop_header_noise(shared_fixtures):
    folder = shared_fixtures / "whatsapp"
    items, _, authors = parse((folder / "rwhatsapp_sample.txt").read_bytes())
    assert "It's fun doing text analysis with R\nisn't it?" in [i.text for i in items]
    assert any("\u200d" in i.text for i in items)  # ZWJ emoji sequences survive
    assert not items[-1].text.endswith("\n")  # the file's blank last line is not content
    items, _, authors = parse((folder / "whatsr_germanandroid24h.txt").read_bytes())
    assert set(filter(None, authors)) == {"Mallory", "Dave", "Alice", "Bob", "Carol"}  # BOMs gone
    voice = next(i for i in items if "PTT-" in i.text)
    assert voice.kind == "media" and voice.media_count == 1 and not voice.text.startswith("\u200e")
    assert voice.text == "PTT-20180129-WA0025.opus (Datei angehängt)"


# ---- line formats and the body table ------------------------------------------------------------------

def test_classify_placeholders_and_notices():
    assert classify("A", "<Media omitted>", "C")[0] == KINDS.index("media")
    assert classify("A", "<Mídia omitida>", "C")[0] == KINDS.index("media")
    assert classify("A", "\u200eimage omitted", "C")[:2] == (KINDS.index("media"), "image omitted")
    assert classify("A", "<attached: 00000042-PHOTO-2020-06-07-15-13-20.jpg>", "C")[2] == \
        "00000042-PHOTO-2020-06-07-15-13-20.jpg"
    assert classify("A", "IMG-20210428-WA0001.jpg (file attached)\nnice", "C")[2] == "IMG-20210428-WA0001.jpg"
    assert classify("A", "This message was deleted", "C")[0] == KINDS.index("deleted")
    assert classify("A", "sample message <This message was edited>", "C")[:2] == (KINDS.index("edited"),
                                                                                   "sample message")
    assert classify("A", "location: https://maps.google.com/?q=1,2", "C")[0] == KINDS.index("location")
    assert classify("A", "POLL:\nLunch?\nOPTION: Pizza (2 votes)", "C")[0] == KINDS.index("poll")
    assert classify("~ AK", "~ AK created this group", "C")[0] == KINDS.index("system")
    assert classify("ملتقي", "Messages and calls are end-to-end encrypted. Tap to learn more.", "C")[0] == \
        KINDS.index("system")
    assert classify("C", "\u200eYou added Mallory", "C")[0] == KINDS.index("system")
    assert classify("Bob", "You added Mallory", "C")[0] == KINDS.index("text")  # a person saying it
    assert classify("A", "@\u2068Eurico Max\u2069 teste", "C")[1] == "@\u2068Eurico Max\u2069 teste"


@pytest.mark.parametrize("line, bracket, sep, ending", [
    ("1/4/23, 7:02\u202fPM - Person 2: <Media omitted>", False, "/", "android"),
    ("20/6/2017 8:28 p.\u00a0m. - Michelle: test", False, "/", "android"),
    ("13.07.17, 10:36 p.m.  - R: Yes, it was", False, ".", "android"),
    ("13.6.2018 klo 21.25.15 - a: m", False, ".", "android"),
    ("2024/12/01, 10:04 pm - Alice: hi", False, "/", "android"),
    ("02/01/2024 03:04 下午 - Alice: traditional period", False, "/", "android"),
    ("\u200e[13/11/2025, 12:25:55\u202fPM] Amazon EG:", True, "/", "ios"),
    ("[2024/01/02 오후 03:06] Alice: hi", True, "/", "ios"),
    ("09/12/2012 17:03:48: Sender Name: Message", False, "/", "legacy"),
    ("3/24/14, 1:59:59 PM: Sender Name: Message", False, "/", "legacy"),
    ("\ufeff29.01.18, 12:24 - Mallory: Hey!", False, ".", "android"),
])
def test_header_shapes_from_the_reference_are_detected(line, bracket, sep, ending):
    fmt = detect_line_format([line])
    assert fmt is not None and (fmt.bracket, fmt.sep, fmt.ending) == (bracket, sep, ending)
    assert fmt.tolerant_split.match("\n" + line) is not None


@pytest.mark.parametrize("stamp, expected", [
    ("20/6/2017 8:28 p.\u00a0m.", utc(2017, 6, 20, 20, 28)),
    ("13/11/2025, 12:25:55\u202fPM", utc(2025, 11, 13, 12, 25, 55)),
    ("13/11/2025, 12:05 am", utc(2025, 11, 13, 0, 5)),
    ("13/01/2024 03:04 下午", utc(2024, 1, 13, 15, 4)),
    ("2024/01/13 오전 03:06", utc(2024, 1, 13, 3, 6)),
    ("13.6.2018 klo 21.25.15", utc(2018, 6, 13, 21, 25, 15)),
    ("06/20/2020, 00:08 a. m.", utc(2020, 6, 20, 0, 8)),  # chat-miner's "00:08 a. m."
])
def test_meridiem_variants_convert_to_24h(stamp, expected):
    assert list(convert_stamps([stamp]).seconds) == [expected]


def test_date_order_from_the_whole_file():
    # only the last line has a second field over 12: month/day/year for every line
    late = "\n".join(f"0{m}/0{d}/21, 10:00 - A: x" for m, d in [(1, 2), (2, 3), (3, 4)]) + "\n04/13/21, 10:00 - A: y"
    items, problems, _ = parse(late)
    assert [i.timestamp for i in items][:2] == [utc(2021, 1, 2, 10), utc(2021, 2, 3, 10)] and problems == []


def test_monotonic_dates_break_ties_without_a_problem():
    # no field exceeds 12; read as d/m the dates would jump back (3 Jan -> 2 Feb -> 1 Mar reads as 1/3 < 2/2?):
    lines = ["01/03/21, 10:00 - A: x", "02/05/21, 10:00 - A: x", "03/01/21, 10:00 - A: x"]
    items, problems, _ = parse("\n".join(lines))
    # as m/d: Jan 3, Feb 5, Mar 1 (forwards); as d/m: Mar 1, May 2, Jan 3 (one step back)
    assert [i.timestamp for i in items] == [utc(2021, 1, 3, 10), utc(2021, 2, 5, 10), utc(2021, 3, 1, 10)]
    assert problems == []


def test_really_ambiguous_order_is_a_problem():
    items, problems, _ = parse("05/06/21, 10:00 - A: x\n05/06/21, 11:00 - B: y\n")
    assert [p.kind for p in problems] == ["ambiguous_date_order"]
    assert items[0].timestamp == utc(2021, 6, 5, 10)  # day first: 24 h clock, no meridiem
    items, problems, _ = parse("05/06/21, 10:00 AM - A: x\n05/06/21, 11:00 AM - B: y\n")
    assert items[0].timestamp == utc(2021, 5, 6, 10) and "12-hour" in problems[0].message


def test_contradicting_dates_and_impossible_dates_are_problems():
    items, problems, _ = parse("13/01/21, 10:00 - A: x\n01/14/21, 10:00 - A: y\n31/02/21, 10:00 - A: z\n")
    assert {p.kind for p in problems} == {"ambiguous_date_order", "bad_dates"}
    assert items[2].timestamp is None and len(items) == 3


def test_format_change_mid_file_is_counted_not_merged():
    android = "".join(chat_lines(ChatWriter(1).messages(5, kinds=[("text", 1)]), ChatFormat()))
    ios = "".join(chat_lines(ChatWriter(2).messages(3, kinds=[("text", 1)]), ChatFormat(platform="ios")))
    items, problems, _ = parse(android + ios)
    assert len(items) == 5
    assert "\n" not in items[-1].text  # the iOS lines were not glued onto the last Android message
    assert [p.kind for p in problems] == ["unreadable_lines"] and problems[0].message.startswith("3 lines")
    assert "could not be read: they look like message headers" in problems[0].message
    _, [one], _ = parse(android + ios.splitlines(keepends=True)[0])
    assert one.message.startswith("1 line of ") and "it looks like" in one.message


def test_body_lines_with_dates_are_continuations():
    items, problems, _ = parse("13/07/2017, 22:35 - A: the log said\n2016-04-29 10:30:00 error\nand more\r\n"
                               "13/07/2017, 22:36 - B: ok\n")
    assert [i.text for i in items] == ["the log said\n2016-04-29 10:30:00 error\nand more", "ok"]
    assert problems == []


def test_system_lines_with_a_colon_inside_quotes_keep_no_author():
    items, _, authors = parse('13/07/2017, 22:35 - You changed the subject from "Plans: 2024" to "Plans: 2025"\n'
                              '13/07/2017, 22:36 - Du hast den Gruppennamen von "A: B" zu "C" geändert.\n'
                              '13/07/2017, 22:37 - Bob "The Builder": we can fix it\n')
    assert [i.kind for i in items] == ["system", "system", "text"]
    assert authors == [None, None, 'Bob "The Builder"']


def test_text_without_message_lines_is_a_problem_not_a_chat():
    items, problems, _ = parse("Meeting notes\nnothing dated here\n")
    assert items == [] and [p.kind for p in problems] == ["not_a_chat"]


@pytest.mark.parametrize("path, label, expected", [
    ("WhatsApp Chat with Alice Brown.txt", "", "Alice Brown"),
    ("Conversa do WhatsApp com Teste.txt", "", "Teste"),
    ("WhatsApp_Chat_mit_Oma.txt", "", "Oma"),
    ("与小明的 WhatsApp 聊天.txt", "", "小明"),
    ("_chat.txt", "WhatsApp Chat - John Doe.zip", "John Doe"),
    ("WhatsApp Chat - Trip/_chat.txt", "exports.zip", "Trip"),
    ("family.txt", "", "family"),
])
def test_chat_names(path, label, expected):
    assert chat_name(path, label) == expected


# ---- through the scan: zips, media, folders, owner -------------------------------------------------------

def test_ios_zip_with_media(tmp_path, monkeypatch):
    fmt = ChatFormat(platform="ios", clock=12, meridiem_space="\u202f")
    writer = ChatWriter(7, fmt, chat="Trip", with_media=True)
    messages = list(writer.messages(300))
    tree = chat_tree(messages, fmt, "Trip")
    tree.add("__MACOSX/._chat.txt", b"\x00\x05\x16\x07 not text")
    path = tree.write_zip(tmp_path / chat_zip_name(fmt, "Trip"))
    audit = scan_as([path], "whatsapp_chat", monkeypatch)
    items = audit.items
    assert len(items) == 300
    attached = [m for m in messages if m.attachment]
    assert items["media_count"].sum() == len(attached) > 0
    assert items["media_bytes"].sum() == sum(m.attachment_size for m in attached)
    assert set(items["counterpart"]) == {"Trip"}
    files = audit.files.set_index("path")
    assert files.loc["_chat.txt", "status"] == "parsed" and files.loc["_chat.txt", "items"] == 300
    media_rows = files.drop(index=["_chat.txt", "__MACOSX/._chat.txt"])
    assert len(media_rows) == len(attached) and set(media_rows["reason"]) == {MEDIA_REASON}
    assert files.loc["__MACOSX/._chat.txt", "status"] == "ignored"  # by the archive reader or by our table
    assert audit.problems.empty


def test_chat_zip_through_the_real_detection(tmp_path):
    from parsers.scan import scan
    fmt = ChatFormat(order="mdy", year_digits=2, clock=12, pad=False, meridiem_space="\u202f")
    messages = list(ChatWriter(5, fmt, chat="Bob", with_media=True).messages(40))
    path = chat_tree(messages, fmt, "Bob").write_zip(tmp_path / chat_zip_name(fmt, "Bob"))
    audit = scan([path])
    assert audit.sources[0].platform == "whatsapp_chat"
    assert len(audit.items) == 40 and set(audit.items["counterpart"]) == {"Bob"}
    assert list(audit.items["timestamp"]) == [pd.Timestamp(m.when, tz="UTC") for m in messages]


def test_android_zip_in_a_folder_localised_name(tmp_path, monkeypatch):
    fmt = ChatFormat(comma=False, locale="pt")
    messages = list(ChatWriter(3, fmt, with_media=True).messages(120))
    tree = ExportTree()
    tree.add("Conversa do WhatsApp com Teste.txt", "".join(chat_lines(messages, fmt)))
    for m in messages:
        if m.attachment:
            tree.add_media(m.attachment, m.attachment_size)
    folder = tree.write_folder(tmp_path / "export", wrap="Conversa do WhatsApp com Teste")
    audit = scan_as([folder], "whatsapp_chat", monkeypatch)
    assert len(audit.items) == 120
    assert set(audit.items["counterpart"]) == {"Teste"}
    assert audit.items["media_bytes"].sum() == sum(m.attachment_size for m in messages if m.attachment) > 0


def _two_chats(tmp_path):
    me = "Ana Andersen"
    fmt = ChatFormat()
    one = list(ChatWriter(1, fmt, people=[me, "Björn Brown"]).messages(50))
    group = list(ChatWriter(2, fmt, people=[me, "Chloé Çelik", "Dmitri Dubois"]).messages(80))
    return me, one, group, [write_chat(tmp_path / "WhatsApp Chat with Björn Brown.txt", one, fmt),
                            write_chat(tmp_path / "WhatsApp Chat with Friends.txt", group, fmt)]


def test_owner_inferred_from_several_chats(tmp_path, monkeypatch):
    me, one, group, paths = _two_chats(tmp_path)
    audit = scan_as(paths, "whatsapp_chat", monkeypatch)
    items = audit.items
    expected = ["system" if m.kind == "system" else ("self" if m.author == me else "other") for m in one + group]
    assert list(items["actor"]) == expected
    assert audit.accounts["whatsapp"].owner_names == {me}
    assert any(me in notice for notice in audit.accounts["whatsapp"].notices)


def test_owner_given_and_single_chat_unknown(tmp_path, monkeypatch):
    me, one, group, paths = _two_chats(tmp_path)
    audit = scan_as(paths[:1], "whatsapp_chat", monkeypatch, owner="Björn Brown")
    assert list(audit.items["actor"]) == ["system" if m.kind == "system" else
                                          ("self" if m.author == "Björn Brown" else "other") for m in one]
    audit = scan_as(paths[:1], "whatsapp_chat", monkeypatch)
    assert set(audit.items["actor"]) <= {"unknown", "system"} and "unknown" in set(audit.items["actor"])


def test_infer_owner_needs_exactly_one_common_author():
    import numpy as np
    chat = lambda name, authors, codes: {"chat": name, "authors": authors, "codes": np.array(codes),
                                         "kinds": np.zeros(len(codes), dtype=np.int8)}
    assert infer_owner([chat("a", ["X", "Y"], [0, 1]), chat("b", ["X", "Z"], [0, 1])]) == "X"
    assert infer_owner([chat("a", ["X", "Y"], [0, 1]), chat("b", ["X", "Y"], [0, 1])]) is None
    assert infer_owner([chat("a", ["X", "Y"], [0, 1])]) is None


def test_table_routes_members():
    assert CHAT_TABLE.match("_chat.txt").handler is not None
    assert CHAT_TABLE.match("00000005-notes.txt").reason == MEDIA_REASON  # a document sent in the chat
    assert CHAT_TABLE.match("PTT-20180129-WA0025.opus").reason == MEDIA_REASON
    assert CHAT_TABLE.match("00000004-Peter.vcf").reason == MEDIA_REASON
    assert CHAT_TABLE.match("__MACOSX/._chat.txt").reason == MACOS_REASON


def test_fields_fixed_layout_and_digit_runs_agree():
    import numpy as np
    from parsers.whatsapp_time import Fields
    padded = ["13/11/2025, 12:25", "01/04/2023, 07:02", "20/10/2019, 10:16"]
    ragged = ["13/11/2025, 12:25", "1/4/23, 7:02", "20/10/2019, 10:16 PM"]
    fixed, runs = Fields.of(padded), Fields.of(ragged)
    assert fixed.num[0].tolist() == [13, 1, 20] and runs.num[0].tolist() == [13, 1, 20]
    assert runs.num[2].tolist() == [2025, 23, 2019] and runs.num[3].tolist() == [12, 7, 10]
    assert np.isnan(fixed.num[5]).all() and list(runs.pm) == [False, False, True]


def test_chat_zip_inside_a_zip(tmp_path):
    import zipfile
    from parsers.scan import scan
    fmt = ChatFormat(platform="ios")
    messages = list(ChatWriter(9, fmt, chat="Inner", with_media=True).messages(25))
    inner = chat_tree(messages, fmt, "Inner").write_zip(tmp_path / "inner" / chat_zip_name(fmt, "Inner"))
    outer = tmp_path / "downloads.zip"
    with zipfile.ZipFile(outer, "w") as archive:
        archive.write(inner, f"chats/{inner.name}")
    audit = scan([outer])
    chats = audit.items[audit.items["platform"] == "whatsapp"]
    assert len(chats) == 25 and set(chats["counterpart"]) == {"Inner"}
    assert chats["media_bytes"].sum() == sum(m.attachment_size for m in messages if m.attachment)


def test_owner_from_the_account_report_scanned_alongside(tmp_path, monkeypatch):
    from builder.whatsapp import account_report_current
    from parsers.scan import scan
    messages = list(ChatWriter(4, ChatFormat(), people=["Ana Andersen", "Lars Hansen"]).messages(30))
    chat = write_chat(tmp_path / "WhatsApp Chat with Lars Hansen.txt", messages, ChatFormat())
    report = account_report_current(seed=1).write_zip(tmp_path / "My Account Info.zip")  # profile name: Ana Andersen
    audit = scan([report, chat])
    rows = audit.items[audit.items["category"] == "messages"]
    assert list(rows["actor"]) == ["system" if m.kind == "system" else
                                   ("self" if m.author == "Ana Andersen" else "other") for m in messages]


# ---- long lines and long messages (issue 11) ------------------------------------------------------------

@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"])
def test_a_huge_line_is_kept_cut_with_a_problem_row_and_its_neighbours_are_whole(newline):
    from parsers.limits import MAX_MESSAGE_CHARS
    head = "13/07/2017, 22:35 - A: before\n13/07/2017, 22:36 - B: "
    tail = "\n13/07/2017, 22:37 - C: after\n"
    text = (head + "é" * (3 * MAX_MESSAGE_CHARS) + "x" * (6 * MAX_MESSAGE_CHARS) + tail).replace("\n", newline)
    items, problems, authors = parse(text.encode("utf-8"))
    assert [i.text[:6] for i in items] == ["before", "éééééé", "after"] and authors == ["A", "B", "C"]
    assert len(items[1].text) == MAX_MESSAGE_CHARS
    [problem] = problems
    assert problem.kind == "message_truncated" and "line 2" in problem.message


def test_a_message_of_many_lines_over_several_blocks_is_capped_once():
    from parsers.limits import MAX_MESSAGE_CHARS
    line = "a fairly ordinary line of text that goes on\n"
    many = line * (3 * MAX_MESSAGE_CHARS // len(line))
    text = "13/07/2017, 22:35 - A: start\n" + many + "13/07/2017, 22:36 - B: next\n" + "13/07/2017, 22:37 - B: last\n"
    items, problems, _ = parse(text)
    assert [len(i.text) for i in items] == [MAX_MESSAGE_CHARS, 4, 4]
    assert [p.kind for p in problems] == ["message_truncated"] and "line 1" in problems[0].message


def test_blocks_split_anywhere_give_the_same_chat(monkeypatch):
    import functools

    import parsers.whatsapp_chat as chat_module
    from parsers import whatsapp_lines
    fmt = ChatFormat(platform="ios", clock=12, meridiem_space="\u202f", lrm=True)
    text = "".join(chat_lines(ChatWriter(11, fmt).messages(400), fmt)).replace("\n", "\r\n")
    whole = parse(text)
    assert len(whole[0]) == 400 and whole[1] == []
    for size in (7, 64, 1000, 4093):
        blocks = list(whatsapp_lines.read_blocks(io.BytesIO(text.encode("utf-8")), block=size))
        assert "".join(b.text for b in blocks) == "\n" + text.replace("\r\n", "\n").rstrip("\n")
        monkeypatch.setattr(chat_module, "read_blocks", functools.partial(whatsapp_lines.read_blocks, block=size))
        assert parse(text) == whole


def test_headers_past_the_sample_in_another_shape_are_still_read():
    # the first 2000 lines show no seconds and no AM/PM: the fast regex leaves them out, and a later
    # block with such headers (or with marks) is cut again with the tolerant one
    early = [f"13/07/2017, {h % 24:02d}:{m:02d} - A: line {h}" for h in range(10) for m in range(0, 60, 2)] * 8
    late = ["14/07/2017, 10:00 PM - B: pm now", "14/07/2017, 10:01:05 - B: seconds now",
            "\u200e14/07/2017, 10:02 - B: marked", "14/07/2017, 10:03 - B: plain again"]
    items, problems, authors = parse("\n".join(early + late) + "\n")
    assert len(items) == len(early) + 4 and problems == []
    assert [i.text for i in items[-4:]] == ["pm now", "seconds now", "marked", "plain again"]
    assert items[-4].timestamp == utc(2017, 7, 14, 22, 0) and items[-3].timestamp == utc(2017, 7, 14, 10, 1, 5)
