"""A byte-level filter in front of every JSON reader: one string's length and the nesting depth, capped.

ijson's cost grows with the square of one string's length (a token longer than its buffer is lexed
again on every block) and its memory with the square of the nesting depth (each event carries the
whole prefix path). Both are bounded here before any parser sees the bytes: the filter follows the
JSON text's strings and brackets block by block with numpy (linear time, memory of one block) and
raises `JsonLimitExceeded` with a plain reason at the first byte past a limit
(`parsers.limits.MAX_JSON_STRING`, `MAX_JSON_DEPTH`).

It only tracks what it needs: where strings start and end (a quote not escaped by an odd run of
backslashes) and the brackets outside strings. It never rejects valid JSON within the limits;
broken JSON passes through for the parser to report.
"""
from __future__ import annotations

import io
from typing import IO

import numpy as np

from .limits import MAX_JSON_DEPTH, MAX_JSON_STRING, MiB
from .rawio import InnerStream

#: Bytes examined per numpy step (its position arrays stay a few MB whatever one read returns).
STEP = 1 * MiB

_QUOTE, _BACKSLASH = 0x22, 0x5C
_OPEN_SQUARE, _OPEN_CURLY, _CLOSE_SQUARE, _CLOSE_CURLY = b"[{]}"
#: Runs of backslashes before a quote followed one byte at a time up to this length (then all at once).
_SHORT_RUN = 8


class JsonLimitExceeded(Exception):
    """A JSON member crossed a safety limit; str() is the plain reason shown to the user."""


def _size(count: int) -> str:
    return f"{count / MiB:g} MB" if count >= MiB else f"{count:,} bytes"


class JsonScanner:
    """The state of one JSON text seen block by block: depth, inside a string or not, its length so far."""

    __slots__ = ("max_string", "max_depth", "depth", "in_string", "string_length", "backslashes", "reason")

    def __init__(self, max_string: int = MAX_JSON_STRING, max_depth: int = MAX_JSON_DEPTH) -> None:
        self.max_string, self.max_depth = max_string, max_depth
        self.depth = 0
        self.in_string = False
        self.string_length = 0  # bytes of the open string so far (escapes count as written)
        self.backslashes = 0  # backslashes ending the previous block (an escape may span two blocks)
        self.reason: str | None = None

    def feed(self, data) -> None:
        """Examine the next bytes; raises JsonLimitExceeded past a limit (and remembers the reason)."""
        view = memoryview(data).cast("B")
        for start in range(0, len(view), STEP):
            self._block(np.frombuffer(view[start:start + STEP], np.uint8))

    def _fail(self, reason: str) -> None:
        self.reason = reason
        raise JsonLimitExceeded(reason)

    def _block(self, block: np.ndarray) -> None:
        n = len(block)
        if n == 0:
            return
        quotes = self._real_quotes(block)
        carried = 0 if self.in_string else 1  # index parity of the quotes that open a string
        # ---- string lengths
        if len(quotes) == 0:
            if self.in_string:
                self.string_length += n
                if self.string_length > self.max_string:
                    self._fail(f"a text value longer than {_size(self.max_string)}")
        else:
            longest = 0
            rest = quotes
            if self.in_string:
                longest = self.string_length + int(quotes[0])
                rest = quotes[1:]
            opens, closes = rest[0::2], rest[1::2]
            if len(closes):
                longest = max(longest, int((closes - opens[:len(closes)]).max()) - 1)
            ends_inside = len(opens) > len(closes)
            self.string_length = n - int(opens[-1]) - 1 if ends_inside else 0
            self.in_string = ends_inside
            if max(longest, self.string_length) > self.max_string:
                self._fail(f"a text value longer than {_size(self.max_string)}")
        # ---- depth (brackets outside strings)
        brackets = np.flatnonzero((block == _OPEN_SQUARE) | (block == _OPEN_CURLY)
                                  | (block == _CLOSE_SQUARE) | (block == _CLOSE_CURLY))
        if len(brackets):
            if len(quotes):
                before = np.searchsorted(quotes, brackets)  # quotes before each bracket
                outside = (before + carried) % 2 == 1
                brackets = brackets[outside]
            elif carried == 0:  # the whole block is inside one string
                brackets = brackets[:0]
            if len(brackets):
                deltas = (block[brackets] & 2).astype(np.int64) - 1  # [ { have bit 1 set, ] } not
                levels = np.cumsum(deltas) + self.depth
                if int(levels.max()) > self.max_depth:
                    self._fail(f"nested deeper than {self.max_depth:,} levels")
                self.depth = int(levels[-1])
        trailing = n - len(block.tobytes().rstrip(b"\\")) if block[-1] == _BACKSLASH else 0
        self.backslashes = (self.backslashes + trailing) if trailing == n else trailing

    def _real_quotes(self, block: np.ndarray) -> np.ndarray:
        """Positions of the quotes in `block` that are not escaped (odd run of backslashes before)."""
        quotes = np.flatnonzero(block == _QUOTE)
        if len(quotes) == 0:
            return quotes
        after_backslash = np.zeros(len(quotes), bool)
        inner = quotes > 0
        after_backslash[inner] = block[quotes[inner] - 1] == _BACKSLASH
        if quotes[0] == 0:
            after_backslash[0] = self.backslashes > 0
        if not after_backslash.any():
            return quotes
        suspects = quotes[after_backslash]
        runs = self._runs_before(block, suspects)
        escaped = np.zeros(len(quotes), bool)
        escaped[np.flatnonzero(after_backslash)[runs % 2 == 1]] = True
        return quotes[~escaped]

    def _runs_before(self, block: np.ndarray, suspects: np.ndarray) -> np.ndarray:
        """Length of the backslash run ending just before each suspect quote (counting the last block's)."""
        at_start = suspects == 0  # the whole run lies in the last block
        runs = np.where(at_start, self.backslashes, 1).astype(np.int64)
        open_runs = np.flatnonzero(~at_start)
        for back in range(2, _SHORT_RUN + 1):  # JSON text has runs of 1 or 2: a few cheap steps
            at = suspects[open_runs] - back
            inside = at >= 0
            going = np.zeros(len(open_runs), bool)
            going[inside] = block[at[inside]] == _BACKSLASH
            runs[open_runs[~inside]] += self.backslashes  # the run reaches the block's start
            open_runs = open_runs[going]
            if len(open_runs) == 0:
                return runs
            runs[open_runs] += 1
        plain = np.flatnonzero(block != _BACKSLASH)  # long runs (crafted): every run at once
        rest = suspects[open_runs]
        last = np.searchsorted(plain, rest) - 1  # the last non-backslash byte before each
        previous = np.where(last >= 0, plain[np.maximum(last, 0)], -1)
        runs[open_runs] = rest - previous - 1 + np.where(previous < 0, self.backslashes, 0)
        return runs


def check_json_bytes(data, max_string: int = MAX_JSON_STRING, max_depth: int = MAX_JSON_DEPTH) -> None:
    """Raise JsonLimitExceeded when a whole JSON text in memory crosses a limit."""
    JsonScanner(max_string, max_depth).feed(data)


class GuardedReader(InnerStream):
    """A member's stream, every byte seen by a JsonScanner before the reader above gets it."""

    def __init__(self, inner: IO[bytes], scanner: JsonScanner | None = None) -> None:
        super().__init__(inner)
        self.scanner = scanner or JsonScanner()

    def readinto(self, buffer) -> int:  # type: ignore[override]
        n = self.read_inner(buffer)
        if n:
            self.scanner.feed(memoryview(buffer)[:n])
        return n

    def readall(self) -> bytes:
        """The rest, read and checked in steps: a file past a limit fails at the limit, not after it is read whole."""
        parts = []
        while chunk := self._inner.read(4 * STEP):
            self.scanner.feed(chunk)
            parts.append(chunk)
        return b"".join(parts)


#: Buffer size for ijson reading a member (1 MiB: a long string costs 16 times fewer re-lexes than 64 KiB).
IJSON_BUFFER = 1 * MiB


def is_json_path(path: str) -> bool:
    return path[-5:].lower() == ".json"


def guarded(stream: IO[bytes], scanner: JsonScanner | None = None) -> IO[bytes]:
    """`stream` behind the JSON limits, as a buffered binary file."""
    return io.BufferedReader(GuardedReader(stream, scanner), IJSON_BUFFER)
