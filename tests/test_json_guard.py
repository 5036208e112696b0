"""The JSON pre-filter: exact on strings and depth (against a byte-by-byte reference), any block split."""
from __future__ import annotations

import io
import json

import ijson
import pytest
from hypothesis import given, settings, strategies as st

from parsers.json_guard import JsonLimitExceeded, JsonScanner, check_json_bytes, guarded


def reference(data: bytes) -> tuple[int, int]:
    """(longest string in bytes, deepest nesting), one byte at a time."""
    depth = deepest = longest = 0
    inside = escaped = False
    length = 0
    for byte in data:
        if inside:
            if escaped:
                escaped = False
            elif byte == 0x5C:
                escaped = True
            elif byte == 0x22:
                inside = False
                longest = max(longest, length)
                continue
            length += 1
            if not inside:
                pass
        elif byte == 0x22:
            inside, length = True, 0
        elif byte in b"[{":
            depth += 1
            deepest = max(deepest, depth)
        elif byte in b"]}":
            depth -= 1
    if inside:
        longest = max(longest, length)
    return longest, deepest


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(alphabet='ab"\\\n[]{}é', max_size=12),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(alphabet='k"\\[', max_size=3), inner, max_size=3),
    max_leaves=25)


def scanned(data: bytes, cuts: list[int], max_string: int, max_depth: int) -> bool:
    scanner = JsonScanner(max_string, max_depth)
    points = sorted({0, len(data), *[c % (len(data) + 1) for c in cuts]})
    try:
        for start, end in zip(points, points[1:]):
            scanner.feed(data[start:end])
    except JsonLimitExceeded:
        return False
    return True


@settings(max_examples=400, deadline=None)
@given(json_values, st.lists(st.integers(min_value=0), max_size=6), st.integers(0, 6), st.integers(0, 4))
def test_scanner_agrees_with_the_reference(value, cuts, max_string, max_depth):
    data = json.dumps(value, ensure_ascii=False).encode("utf-8")
    longest, deepest = reference(data)
    assert scanned(data, cuts, max_string, max_depth) == (longest <= max_string and deepest <= max_depth)


@pytest.mark.parametrize("tail", [b"\\\\", b"\\\\\\", b"\\"])
def test_escapes_split_across_blocks(tail):
    data = b'["' + b"a" * 5 + tail + b'"' + b'", "x"]'
    longest, deepest = reference(data)
    for cut in range(len(data) + 1):
        assert scanned(data, [cut], longest, deepest)
        assert not scanned(data, [cut], longest - 1, deepest)


def test_plain_reasons():
    with pytest.raises(JsonLimitExceeded, match="a text value longer than 1 MB"):
        check_json_bytes(b'["' + b"a" * (1 << 20 + 1), max_string=1 << 20)
    with pytest.raises(JsonLimitExceeded, match="nested deeper than 256 levels"):
        check_json_bytes(b"[" * 257)
    check_json_bytes(b"[" * 256 + b'"[[[[' + b"]" * 256)  # brackets inside strings do not count


def test_guarded_stream_feeds_ijson_unchanged():
    data = json.dumps({"messages": [{"content": "x\\\"" * 500, "n": i} for i in range(3000)]}).encode()
    with guarded(io.BytesIO(data)) as stream:
        assert len(list(ijson.items(stream, "messages.item"))) == 3000
    with guarded(io.BytesIO(data)) as stream:
        assert stream.read() == data
