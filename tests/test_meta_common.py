"""The shared Meta record reader: every top-level shape, with the Facebook options (the
Instagram ones are covered in test_instagram.py), read whole and walked event by event."""
from __future__ import annotations

import io

import pytest

from parsers.archive import Member
from parsers.meta_common import iter_records, keyed_records


def member(text: str) -> Member:
    data = text.encode()
    return Member("x.json", len(data), len(data), "", lambda: io.BytesIO(data))


@pytest.fixture(params=[8 << 20, 0], ids=["values-built-whole", "walked-event-by-event"])
def limit(request, monkeypatch) -> int:
    monkeypatch.setattr("parsers.meta_common.WHOLE_VALUE_LIMIT", request.param)
    return request.param


def test_facebook_shapes(limit):
    def records(text: str, keys=("comments_v2",)):
        return list(iter_records(member(text), keys))

    # a bare list; a list of single-key wrappers (a wanted key or any versioned one) is unwrapped
    assert records('[{"a": 1}, {"a": 2}]') == [{"a": 1}, {"a": 2}]
    assert records('[{"comments_v2": [{"a": 1}]}, {"likes_v3": [{"b": 2}]}, {"x": [3]}]') == [
        {"a": 1}, {"b": 2}, {"x": [3]}]
    # the wanted wrapper first: its records only, the rest is metadata; an empty one falls through
    assert records('{"comments_v2": [{"a": 1}], "preferred_currency": "EUR"}') == [{"a": 1}]
    assert records('{"comments_v2": [], "other": [{"b": 2}]}') == [{"b": 2}]
    # record keys gather into one record, after the values of the other keys
    assert records('{"timestamp": 5, "attachments": [{"c": 1}], "title": "t", "x": 0, "y": "z"}') == [
        {"c": 1}, "z", {"timestamp": 5, "title": "t"}]
    assert records('{"fbid": "1", "items": [1]}') == [1]  # fbid alone is no record
    # an object of lists: their elements (event_responses_v2)
    assert records('{"event_responses_v2": {"joined": [{"n": 1}], "declined": [{"n": 2}], "k": 0}}') == [
        {"n": 1}, {"n": 2}]
    assert records('{"profile_v2": {"name": "Ann", "emails": ["a@x"]}}', ()) == [{"name": "Ann", "emails": ["a@x"]}]
    for empty in ("", " \n", "{}", "[]", '"text"'):
        assert records(empty) == []


def test_keys_say_where_each_record_was(limit):
    got = list(keyed_records(member('{"photos": [{"a": 1}], "videos": [{"b": 2}, {"c": 3}]}')))
    assert got == [("photos", {"a": 1}), ("videos", {"b": 2}), ("videos", {"c": 3})]
    assert list(keyed_records(member('[{"comments_v2": [{"a": 1}]}, {"b": 2}]'))) == [
        ("comments_v2", {"a": 1}), ("", {"b": 2})]


def test_a_consumer_stopping_early_does_not_break_the_walk(limit):
    records = keyed_records(member('{"a": [1, 2, 3], "b": [4]}'))
    assert next(records) == ("a", 1)
    records.close()  # the member stream closes with the generator
    assert [r for _k, r in keyed_records(member('{"a": [1, 2, 3], "b": [4]}'))] == [1, 2, 3, 4]
