"""Helpers every platform module shares: mojibake repair, timestamps, streaming JSON."""
from __future__ import annotations

import codecs
import logging
import math
from contextvars import ContextVar
from typing import IO, Any, Iterator

import ijson

log = logging.getLogger(__name__)

#: ijson's C backend is ~10x faster than the pure-Python one; say so when it is missing.
IJSON_BACKEND: str = ijson.backend_name
if IJSON_BACKEND != "yajl2_c":  # pragma: no cover - depends on the wheel installed
    log.warning("ijson C backend not available (using %s): JSON parsing will be slow", IJSON_BACKEND)


#: True while an HTML page is read: its text is real UTF-8 (entities decoded), never mis-encoded,
#: so the JSON repair below must not touch it (parsers.meta_html_records sets it).
verbatim_text: ContextVar[bool] = ContextVar("verbatim_text", default=False)


def fix_mojibake(text: Any) -> Any:
    """Undo Meta's escaping of UTF-8 bytes as latin-1 code points, fail-safe.

    A string that is already right stays as it is: characters above U+00FF mean it was never
    mis-encoded, and bytes that do not form valid UTF-8 mean it was right in latin-1. Never raises.
    Text of HTML pages is left alone (`verbatim_text`).
    """
    if not isinstance(text, str) or text.isascii() or verbatim_text.get():
        return text
    try:
        return text.encode("latin-1").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return text


#: 2200-01-01 UTC. Later "timestamps" are corrupt values, not dates.
LATEST_PLAUSIBLE = 7_258_118_400.0


def to_epoch_seconds(value: Any) -> float | None:
    """Normalise a Meta timestamp to epoch seconds: milliseconds detected by size, 0 = none."""
    if value is None or isinstance(value, bool):
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    if not math.isfinite(number) or number <= 0:
        return None
    if number > 1e11:  # after year 5138 in seconds: must be milliseconds
        number /= 1000.0
    if number > LATEST_PLAUSIBLE:  # a corrupt value; pandas cannot even hold it past 2262
        return None
    return number


def stream_items(stream: IO[bytes], prefix: str = "item") -> Iterator[Any]:
    """Stream the objects under `prefix` of a JSON member (floats, not Decimals)."""
    return ijson.items(stream, prefix, use_float=True)


def stream_kvitems(stream: IO[bytes], prefix: str = "") -> Iterator[tuple[str, Any]]:
    return ijson.kvitems(stream, prefix, use_float=True)


def top_level_shape(stream: IO[bytes]) -> tuple[str, str | None]:
    """Peek at a JSON member's top level: ("list", None) or ("map", first key) or ("scalar", None)."""
    events = ijson.parse(stream, use_float=True)
    for _prefix, event, value in events:
        if event == "start_array":
            return "list", None
        if event == "start_map":
            for _p, inner_event, inner_value in events:
                if inner_event == "map_key":
                    return "map", inner_value
                return "map", None
            return "map", None
        return "scalar", None
    return "empty", None


#: Bytes decoded per step by `iter_text_lines`.
TEXT_BLOCK = 1 << 20


def iter_text_lines(stream: IO[bytes], encoding: str = "utf-8-sig", errors: str = "replace",
                    block: int = TEXT_BLOCK) -> Iterator[str]:
    """Lines of a binary stream, newlines normalised to "\n" as open(newline=None) does.

    Why not io.TextIOWrapper: iterating one in a worker thread starved the GUI thread of the GIL
    for 0.1-0.5 s at a time (measured on a 35 MB chat; a 1 MiB block read, decoded and split here
    kept the longest wait under 10 ms). Only \n, \r and \r\n end a line; U+2028 and the other
    characters str.splitlines() would break on stay inside the text.
    """
    decoder = codecs.getincrementaldecoder(encoding)(errors=errors)
    carry = ""
    while True:
        data = stream.read(block)
        text = carry + decoder.decode(data, final=not data)
        tail = ""
        if data and text.endswith("\r"):  # the \n of a \r\n may start the next block
            text, tail = text[:-1], "\r"
        parts = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
        carry = parts.pop() + tail
        for part in parts:
            yield part + "\n"
        if not data:
            if carry:
                yield carry
            return
