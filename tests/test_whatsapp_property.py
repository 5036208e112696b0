"""Round trip: any chat the builder can write parses back to the same messages."""
from __future__ import annotations

import io
from datetime import datetime, timezone

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from builder.whatsapp import MERIDIEMS, PLACEHOLDERS, ChatFormat, ChatWriter, chat_lines
from parsers.contract import AccountContext, ColumnBatch, Problem
from parsers.whatsapp_chat import parse_chat


@st.composite
def formats(draw) -> ChatFormat:
    platform = draw(st.sampled_from(["android", "ios", "legacy"]))
    order = draw(st.sampled_from(["dmy", "mdy", "ymd"]))
    klo = platform == "android" and order == "dmy" and draw(st.booleans())
    clock = 24 if klo else draw(st.sampled_from([12, 24]))
    return ChatFormat(
        platform=platform,
        order=order,
        sep="." if klo else draw(st.sampled_from(["/", ".", "-"])),
        year_digits=4 if order == "ymd" else draw(st.sampled_from([2, 4])),  # year-first is always 4 digits
        clock=clock,
        meridiem=draw(st.sampled_from(sorted(MERIDIEMS))),
        meridiem_space=draw(st.sampled_from([" ", "\u202f", "\u00a0"])),
        seconds=draw(st.sampled_from([None, True, False])),  # iOS without seconds: "[01/01/19 11:25]"
        comma=False if klo else draw(st.booleans()),
        klo=klo,
        pad=draw(st.booleans()),
        locale=draw(st.sampled_from(sorted(PLACEHOLDERS))),
        lrm=draw(st.booleans()),
        bom=draw(st.booleans()),
    )


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(fmt=formats(), seed=st.integers(0, 10_000), count=st.integers(1, 40),
       start=st.datetimes(datetime(2009, 1, 13), datetime(2030, 12, 1)).map(lambda d: d.replace(day=max(d.day, 13))),
       media=st.booleans(), crlf=st.booleans())
def test_round_trip(fmt, seed, count, start, media, crlf):
    # The first message falls on a day over 12, so the file carries evidence of its date order
    # (the ambiguous case has its own tests).
    writer = ChatWriter(seed, fmt, with_media=media)
    messages = list(writer.messages(count, start=start))
    text = "".join(chat_lines(messages, fmt))
    if crlf:
        text = text.replace("\n", "\r\n")
    account = AccountContext()
    out = list(parse_chat(io.BytesIO(text.encode("utf-8")), "chat.txt", writer.chat, account))
    items = [item for o in out if isinstance(o, ColumnBatch) for item in o.items()]
    assert [o for o in out if isinstance(o, Problem)] == []
    assert len(items) == len(messages)
    chat = account.extra["whatsapp_chats"][0]
    authors = [chat["authors"][c] if c >= 0 else None for c in chat["codes"]]
    assert [i.timestamp for i in items] == [m.when.replace(tzinfo=timezone.utc).timestamp() for m in messages]
    assert authors == [m.author for m in messages]
    assert [i.text for i in items] == [m.expected_text for m in messages]
    assert [i.kind for i in items] == [m.kind for m in messages]
    assert [i.media_count for i in items] == [1 if m.kind == "media" else 0 for m in messages]
