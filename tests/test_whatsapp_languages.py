"""Chats in every promised phone language, calendar and digit system read right (issue 10).

Each language's chat (tests/builder/whatsapp_languages.py) holds one of every line kind the
language has strings for; every line must come back with its kind, time, author and text, and
without problems. The same for Arabic and Persian digits and marks, Buddhist and Japanese era
years, and direction marks inside the header.
"""
from __future__ import annotations

import io

import pytest

from builder.whatsapp_languages import (LANGUAGES, NAMES, Script, chat_text, language_lines, utc_seconds)
from parsers.contract import AccountContext, ColumnBatch, Problem
from parsers.whatsapp_chat import parse_chat
from parsers.whatsapp_wording import strings


def read(text: str, chat: str = "Trip 2024"):
    out = list(parse_chat(io.BytesIO(text.encode("utf-8")), "chat.txt", chat, AccountContext()))
    items = [item for o in out if isinstance(o, ColumnBatch) for item in o.items()]
    return items, [o for o in out if isinstance(o, Problem)]


def check(lines, items, problems) -> None:
    assert problems == []
    assert [i.kind for i in items] == [line.kind for line in lines]
    assert [i.timestamp for i in items] == [utc_seconds(line.when) for line in lines]
    assert [i.text for i in items] == [line.body for line in lines]
    assert [i.media_count for i in items] == [1 if line.kind == "media" else 0 for line in lines]
    assert [i.author for i in items] == ["" if line.kind == "system" else line.author for line in lines]


SPOKEN = [lang for lang in LANGUAGES if lang != "mt"]


@pytest.mark.parametrize("lang", SPOKEN)
@pytest.mark.parametrize("platform", ["android", "ios"])
def test_every_line_kind_in_every_language(lang, platform):
    lines = language_lines(lang, platform)
    kinds = {line.kind for line in lines}
    # every language has its deleted and system strings; media on at least one platform
    assert {"system", "deleted", "text"} <= kinds
    items, problems = read(chat_text(lines))
    check(lines, items, problems)


@pytest.mark.parametrize("lang", SPOKEN)
def test_media_strings_exist_for_every_language(lang):
    table = strings()[lang]
    assert table.get("media_omitted") or table.get("ios_omitted")
    assert table.get("deleted") and table.get("system")


def test_maltese_is_documented_as_english():
    # WhatsApp has no Maltese interface (reference table 1.5a-A): a Maltese phone exports in English.
    assert "English" in strings()["mt"]["note"][0]
    lines = language_lines("en", "android")
    check(lines, *read(chat_text(lines)))


@pytest.mark.parametrize("lang", SPOKEN)
def test_twelve_hour_clock_with_the_locale_words(lang):
    lines = language_lines(lang, "ios", clock=12, seed=3)
    check(lines, *read(chat_text(lines)))


@pytest.mark.parametrize("lang, script", [
    ("ar", Script(digits="arabic", rtl=True)),
    ("ar", Script(rtl=True)),
    ("fa", Script(digits="persian", rtl=True)),
    ("fa", Script(digits="persian")),
])
@pytest.mark.parametrize("platform", ["android", "ios"])
@pytest.mark.parametrize("clock", [12, 24])
def test_arabic_and_persian_digits_marks_and_comma(lang, script, platform, clock):
    lines = language_lines(lang, platform, clock=clock, script=script, seed=5)
    check(lines, *read(chat_text(lines, rtl_line_marks=script.rtl and platform == "ios")))


@pytest.mark.parametrize("calendar", ["buddhist", "japanese", "japanese_kanji"])
@pytest.mark.parametrize("lang", ["en", "th" if "th" in strings() else "en", "ja"])
def test_non_gregorian_ios_calendars_give_gregorian_dates(calendar, lang):
    lines = language_lines(lang, "ios", script=Script(calendar=calendar), seed=7)
    text = chat_text(lines)
    if calendar == "buddhist":
        assert "2565 BE" in text
    elif calendar == "japanese":
        assert "/R4," in text
    else:
        assert "/令和4," in text
    check(lines, *read(text))


def test_era_years_across_the_heisei_reiwa_change():
    from parsers.whatsapp_time import convert_stamps
    seconds = convert_stamps(["[4/30/H31, 23:59:00", "5/1/R1, 00:00:10", "12/31/令和4, 10:00:00",
                              "1/8/平成1, 12:00:00"]).seconds
    import datetime as dt
    days = [dt.datetime.fromtimestamp(s, dt.timezone.utc).date().isoformat() for s in seconds]
    assert days == ["2019-04-30", "2019-05-01", "2022-12-31", "1989-01-08"]


@pytest.mark.parametrize("platform", ["android", "ios"])
@pytest.mark.parametrize("lang", ["en", "de", "ar"])
def test_direction_marks_and_boms_anywhere_in_the_header(platform, lang):
    lines = language_lines(lang, platform, clock=12, script=Script(marks_inside=True), seed=9)
    text = chat_text(lines)
    assert "\u200e\ufeff" in text  # between date and time
    check(lines, *read(text))


def test_an_unreadable_line_is_a_problem_with_its_line_number_and_the_rest_is_right():
    lines = language_lines("en", "android")
    text = chat_text(lines).splitlines(keepends=True)
    text.insert(3, "[18/03/2022, 10:00:00] Someone: an iOS line in an Android file\n")
    text.insert(4, "its second line\n")
    items, problems = read("".join(text))
    assert [i.kind for i in items] == [line.kind for line in lines]
    assert [i.text for i in items] == [line.body for line in lines]  # nothing glued on
    [problem] = problems
    assert problem.kind == "unreadable_lines" and "line 4" in problem.message and problem.message.startswith("1 line")


def test_names_in_group_events_are_people_not_authors():
    lines = language_lines("en", "android")
    items, _ = read(chat_text(lines))
    added = next(i for i in items if i.text == f"{NAMES['X']} added {NAMES['Y']}")
    assert added.kind == "system" and added.author == ""
