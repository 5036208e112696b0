"""Time strings of HTML exports (parsers.meta_html_time): shapes, languages, zones, unreadable text.

The shapes and words come from meta-html-format.md section 6; the timestamps.tsv rows of
../shared are checked in test_html_fixtures.py. These cases stand on their own.
"""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from parsers.meta_html_time import (INSTAGRAM_ZONE, Clock, parse_display_time, zone_from_stamp,
                                    zone_named)


def _naive(text: str) -> datetime:
    found = parse_display_time(text)
    assert found is not None, text
    return found.moment


@pytest.mark.parametrize("text, expected", [
    ("Oct 19, 2019, 2:37 PM", datetime(2019, 10, 19, 14, 37)),          # 2019-21
    ("Jul 12, 2024 4:55:32pm", datetime(2024, 7, 12, 16, 55, 32)),      # 2022-24, glued meridiem
    ("Jun 26, 2026 9:05:20 am", datetime(2026, 6, 26, 9, 5, 20)),       # 2025+
    ("Dec 31, 2026 12:00:00 am", datetime(2026, 12, 31, 0, 0)),         # midnight
    ("Jan 01, 2026 12:30 pm", datetime(2026, 1, 1, 12, 30)),            # noon
    ("Sep 8, 2016, 4:36 PM", datetime(2016, 9, 8, 16, 36)),             # Instagram <=2022
    ("(Dec 28, 2020 6:56 am)", datetime(2020, 12, 28, 6, 56)),          # reaction suffix
    ("Updated May 02, 2011 8:12:17 am", datetime(2011, 5, 2, 8, 12, 17)),
    ("August 17, 2023 at 12:00 AM", datetime(2023, 8, 17, 0, 0)),
    ("19 Oct 2019, 14:37", datetime(2019, 10, 19, 14, 37)),             # en-GB
])
def test_english_forms_of_every_generation(text, expected):
    assert _naive(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("maj 06, 2025 1:15:11 pm", datetime(2025, 5, 6, 13, 15, 11)),      # Danish
    ("14 okt. 2024 09:10", datetime(2024, 10, 14, 9, 10)),              # Dutch
    ("mrt 03, 2024 7:00 am", datetime(2024, 3, 3, 7, 0)),               # Dutch abbreviation
    ("5 janv. 2024 15:04", datetime(2024, 1, 5, 15, 4)),                # French
    ("14/03/2023, 18:58", datetime(2023, 3, 14, 18, 58)),               # French Messenger
    ("03. Sept. 2026, 9:33 pm", datetime(2026, 9, 3, 21, 33)),          # German
    ("14. März 2023, 22:13", datetime(2023, 3, 14, 22, 13)),            # German, umlaut
    ("05.01.2024, 15:04", datetime(2024, 1, 5, 15, 4)),                 # German numeric
    ("set 13, 2026 9:10 am", datetime(2026, 9, 13, 9, 10)),             # Italian
    ("12 października 2025 08:15", datetime(2025, 10, 12, 8, 15)),      # Polish genitive
    ("lis 02, 2025 8:05 am", datetime(2025, 11, 2, 8, 5)),              # Polish abbreviation
    ("ago 10, 2026 4:38 da manhã", datetime(2026, 8, 10, 4, 38)),       # pt-BR morning
    ("ago 07, 2026 8:17 da tarde/noite", datetime(2026, 8, 7, 20, 17)), # pt-BR evening
    ("out 21, 2025 10:02 da noite", datetime(2025, 10, 21, 22, 2)),     # pt-PT
    ("jul. 05, 2024 2:49 am", datetime(2024, 7, 5, 2, 49)),             # Spanish
    ("dic 24, 2023 11:59 p. m.", datetime(2023, 12, 24, 23, 59)),       # Spanish meridiem
    ("3 maj 2025 14:00", datetime(2025, 5, 3, 14, 0)),                  # Swedish
    ("okt 30, 2025 9:00 em", datetime(2025, 10, 30, 21, 0)),            # Swedish meridiem
])
def test_localised_month_names_and_meridiem_words(text, expected):
    assert _naive(text) == expected


def test_every_month_of_every_language_maps_to_its_number():
    for word, month in (("februari", 2), ("marts", 3), ("mei", 5), ("juillet", 7), ("août", 8), ("dezember", 12),
                        ("giugno", 6), ("wrzesień", 9), ("março", 3), ("setembro", 9), ("septiembre", 9),
                        ("augusti", 8), ("juin", 6), ("juil", 7)):
        assert parse_display_time(f"1 {word} 2020 10:00").moment.month == month, word


def test_zone_in_the_text_is_used():
    found = parse_display_time("Thursday, September 22, 2011 at 3:09pm EDT")
    assert found.offset == timedelta(hours=-4)
    assert Clock(timezone.utc, "").epoch(found) == datetime(2011, 9, 22, 19, 9, tzinfo=timezone.utc).timestamp()
    assert parse_display_time("Friday, 19 June 2015 at 19:17 UTC+02").offset == timedelta(hours=2)


def test_iso_and_date_only():
    assert parse_display_time("2024-06-15T10:30:00+00:00").offset == timedelta(0)
    assert parse_display_time("1986-02-27").date_only
    assert parse_display_time("Nov 14, 2023").date_only


@pytest.mark.parametrize("text", ["", "yesterday", "Shop 100000000020", "Foo 12, 2020 1:00 am", "31/31/2020, 10:00",
                                  "Jun 26, 2026 9:05:20 xm"])
def test_what_is_not_a_time_is_none(text):
    assert parse_display_time(text) is None


def test_clock_places_wall_time_in_the_zone_with_daylight_saving():
    amsterdam = Clock(zone_named("Europe/Amsterdam"), "Europe/Amsterdam")
    read = amsterdam.reader(lambda text: None)
    summer, winter = read("Jun 26, 2026 9:05:20 am"), read("Dec 25, 2025 11:30:00 pm")
    assert summer == datetime(2026, 6, 26, 7, 5, 20, tzinfo=timezone.utc).timestamp()
    assert winter == datetime(2025, 12, 25, 22, 30, tzinfo=timezone.utc).timestamp()
    # the fast path and the general parser agree
    assert summer == amsterdam.epoch(parse_display_time("Jun 26, 2026 9:05:20 am"))


def test_instagram_clock_is_a_fixed_minus_eight():
    read = Clock(INSTAGRAM_ZONE, "").reader(lambda text: None)
    # paired with JSON epoch 1712360599 although inside US daylight time [ALGO-TZ]
    assert read("Apr 05, 2024 3:43 pm") == datetime(2024, 4, 5, 23, 43, tzinfo=timezone.utc).timestamp()


def test_unreadable_strings_are_reported_and_give_no_date():
    bad: list[str] = []
    read = Clock(timezone.utc, "").reader(bad.append)
    assert read("sometime last week") is None
    assert read("") is None  # an empty footer: no date, nothing to report
    assert bad == ["sometime last week"]


def test_zone_from_the_generated_on_stamp():
    zone = zone_from_stamp("2026-08-19T14:33Z", "Wednesday, August 19, 2026 at 4:33 PM UTC+02:00")
    assert zone.utcoffset(None) == timedelta(hours=2)
    # the text may say UTC while not being UTC: the pair decides
    zone = zone_from_stamp("2026-08-12T05:03Z", "Terça-feira, 11 de agosto de 2026 às 22:03 UTC")
    assert zone.utcoffset(None) == timedelta(hours=-7)
