"""Shared helpers: mojibake repair, timestamp normalisation, streaming JSON."""
from __future__ import annotations

import io
import json

import pytest
from hypothesis import given, strategies as st

from builder import meta_json
from parsers.common import fix_mojibake, iter_text_lines, stream_items, to_epoch_seconds, top_level_shape


@pytest.mark.parametrize("raw, fixed", [
    ("RenÃ©", "René"),
    ("Rados\u00c5\u0082aw", "Radosław"),
    ("\u00f0\u009f\u0099\u0082", "🙂"),
    ("plain ascii", "plain ascii"),
    ("already right: “quoted” 🙂", "already right: “quoted” 🙂"),  # above U+00FF: left alone
    ("café", "café"),  # valid latin-1 that is not UTF-8 bytes: left alone
])
def test_fix_mojibake(raw, fixed):
    assert fix_mojibake(raw) == fixed


def test_fix_mojibake_passes_non_strings_through():
    assert fix_mojibake(None) is None
    assert fix_mojibake(12) == 12


@given(st.text())
def test_fix_mojibake_round_trips_meta_encoding_and_never_raises(text):
    encoded = json.loads(meta_json({"t": text}))["t"]
    assert fix_mojibake(encoded) == text
    fix_mojibake(text)  # any string at all: must not raise


@pytest.mark.parametrize("value, seconds", [
    (1600000000, 1600000000.0),
    (1600000000000, 1600000000.0),  # milliseconds
    ("1600000000", 1600000000.0),
    (0, None),  # Meta's "no timestamp"
    (-62169958800, None),  # bogus exif value seen by timelinize
    (None, None),
    ("yesterday", None),
    (True, None),
    (9.5e9, None),  # year 2271: corrupt
])
def test_to_epoch_seconds(value, seconds):
    assert to_epoch_seconds(value) == seconds


def test_stream_items_gives_floats_not_decimals():
    stream = io.BytesIO(b'{"a": [{"x": 1.5}, {"x": 2}]}')
    assert [item["x"] for item in stream_items(stream, "a.item")] == [1.5, 2]
    assert type(next(stream_items(io.BytesIO(b"[1.5]")))) is float


@pytest.mark.parametrize("data, shape", [
    (b"[1, 2]", ("list", None)),
    (b'{"status_updates_v2": []}', ("map", "status_updates_v2")),
    (b"{}", ("map", None)),
    (b'"x"', ("scalar", None)),
])
def test_top_level_shape(data, shape):
    assert top_level_shape(io.BytesIO(data)) == shape


@given(st.lists(st.sampled_from(["a", "é", "🙂", "\r", "\n", "\r\n", "\u2028", "\x85", " ", "\ufeff"]), max_size=60),
       st.integers(min_value=1, max_value=7), st.booleans())
def test_iter_text_lines_reads_like_a_universal_newline_text_file(pieces, block, bom):
    data = ("\ufeff" if bom else "").encode() + "".join(pieces).encode("utf-8") + b"\xff"  # a bad byte at the end
    expected = list(io.TextIOWrapper(io.BytesIO(data), encoding="utf-8-sig", errors="replace", newline=None))
    assert list(iter_text_lines(io.BytesIO(data), block=block)) == expected
