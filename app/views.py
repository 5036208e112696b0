"""Qt-free view logic for the desktop app: filters, aggregations for charts, merging audits.

Everything here is plain pandas/numpy so it is testable without a QApplication and fast on a
million rows: categorical columns are compared through their integer codes, months come from a
small day-to-month table instead of `dt.to_period`, counts from `np.bincount`, and text search
from a joined-text index.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Iterable

import numpy as np
import pandas as pd

from parsers.contract import CATEGORIES, EXPOSURE_LEVELS, PLATFORMS


#: The 19 categories in 8 groups, for charts that colour by category (8 colours stay distinct and
#: colour-blind safe; 19 cannot) and for the Items tab's category list. (key, words, categories)
CATEGORY_GROUPS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("content", "Posts, photos & stories", ("posts", "photos_videos", "stories_reels")),
    ("responses", "Comments & reactions", ("comments", "reactions")),
    ("messages", "Messages", ("messages",)),
    ("ai", "Meta AI chats", ("ai_interactions",)),
    ("people", "Friends, groups & pages", ("connections", "groups_pages_events")),
    ("searches", "Searches & location", ("search_history", "location")),
    ("ads", "Ads, shopping & off-platform", ("ads_interests", "marketplace_shopping", "off_platform_activity")),
    ("account", "Profile, logins & settings", ("profile", "security_login", "settings", "activity_log", "other")),
)
GROUP_OF = {category: key for key, _words, members in CATEGORY_GROUPS for category in members}


@dataclass(frozen=True)
class ItemFilter:
    """What the Items tab shows. `None` or empty means "any"; dates are UTC, end exclusive."""

    platforms: frozenset[str] = frozenset()
    categories: frozenset[str] = frozenset()
    exposures: frozenset[str] = frozenset()
    start: pd.Timestamp | None = None
    end: pd.Timestamp | None = None
    text: str = ""

    @property
    def is_empty(self) -> bool:
        return self == ItemFilter()


def _codes_in(series: pd.Series, wanted: Iterable[str]) -> np.ndarray:
    """Boolean mask of a categorical column being one of `wanted`, computed on the int codes."""
    cats = series.cat.categories
    codes = [cats.get_loc(w) for w in wanted if w in cats]
    raw = series.cat.codes.to_numpy()
    if not codes:
        return np.zeros(len(series), dtype=bool)
    if len(codes) == 1:
        return raw == codes[0]
    lookup = np.zeros(len(cats) + 1, dtype=bool)  # index -1 (NaN) lands on the extra slot
    lookup[codes] = True
    return lookup[raw]


#: Letters NFKD does not take apart, as the pseudonymiser reads them too ("ø as o").
_LETTERS = (("ø", "o"), ("đ", "d"), ("ł", "l"), ("æ", "ae"), ("œ", "oe"), ("ß", "ss"), ("ı", "i"), ("þ", "th"),
            ("ð", "d"))

#: The columns the search box looks in: who wrote it, who it was with, what it says.
SEARCHED = ("text", "counterpart", "author")


#: Every combining mark of the Basic Multilingual Plane (what an accent becomes after NFKD).
_MARK_POINTS = [c for c in range(0x300, 0x10000) if unicodedata.combining(chr(c))]
_MARKS = re.compile("[" + "".join(map(chr, _MARK_POINTS)) + "]+")
#: The same marks as a lookup table over code points, for long texts (numpy beats the regex 5x there).
_MARK_TABLE = np.zeros(0x10000, dtype=bool)
_MARK_TABLE[_MARK_POINTS] = True
_LONG = 10_000


def _without_marks(text: str) -> str:
    if len(text) < _LONG:
        return _MARKS.sub("", text)
    points = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)
    marks = _MARK_TABLE[np.minimum(points, 0xFFFF)] & (points < 0x10000)
    if not marks.any():
        return text
    return points[~marks].tobytes().decode("utf-32-le")


def _strip_accents(lowered: str) -> str:
    """The accent-folding of already lower-cased text, in C: one normalisation and one pass over the marks."""
    if lowered.isascii():
        return lowered
    for letter, plain in _LETTERS:  # str.replace where present: far faster than str.translate on a column
        if letter in lowered:
            lowered = lowered.replace(letter, plain)
    return _without_marks(unicodedata.normalize("NFKD", lowered))


def fold(text: str) -> str:
    """Lower case without accents, for search: "Chloé" and "CHLOE" both -> "chloe"."""
    return _strip_accents(text.lower())


class TextIndex:
    """Folded text (`fold`) of the searched columns, for fast substring search over many rows.

    `str.contains` over a million Python strings takes ~250 ms; one `str.find` loop over a joined
    string (C speed) plus a `searchsorted` from match offsets to rows takes a few ms. A column with
    few distinct values (author, counterpart) is kept as codes into its folded distinct values
    instead. The text is joined and folded in chunks of `chunk` rows, so no single C call holds
    the interpreter for long: the Items tab builds the index in a worker thread on the first
    search, and the GUI thread keeps running meanwhile. `cancelled()` stops a build early (the
    index is then incomplete: `complete` is False and it must not be used).
    """

    SEPARATOR = "\x00"  # never typed into a search box
    CHUNK = 20_000
    #: A column whose first rows hold at most this share of distinct values is coded, not joined.
    CODED_SHARE = 0.05

    def __init__(self, frame: pd.DataFrame, columns: tuple[str, ...] = SEARCHED, *, chunk: int | None = None,
                 cancelled=None) -> None:
        self.rows = len(frame)
        self.complete = False
        self._coded: list[tuple[np.ndarray, list[str]]] = []  # (codes per row, folded distinct values)
        self._joined: list[tuple[int, str, np.ndarray]] = []  # (first row, folded chunk, each row's end)
        step = chunk or self.CHUNK
        for column in columns:
            if column not in frame.columns:
                continue
            values = frame[column].to_numpy(dtype=object, na_value="")
            sample = values[:self.CHUNK]
            if len(sample) and len(set(sample.tolist())) <= max(1, self.CODED_SHARE * len(sample)):
                codes, distinct = pd.factorize(values)
                self._coded.append((codes, [fold(v) if isinstance(v, str) else "" for v in distinct]))
                continue
            for first in range(0, len(values), step):
                if cancelled is not None and cancelled():
                    return
                self._joined.append((first, *self._fold_chunk(values[first:first + step])))
        self.complete = True

    def _fold_chunk(self, values: np.ndarray) -> tuple[str, np.ndarray]:
        try:
            joined = self.SEPARATOR.join(values.tolist())
        except TypeError:  # something other than text in the column
            joined = self.SEPARATOR.join(v if isinstance(v, str) else "" for v in values)
        folded = _strip_accents(joined.lower())
        if folded.count(self.SEPARATOR) != len(values) - 1:  # a value held the separator itself
            folded = self.SEPARATOR.join(fold(v.replace(self.SEPARATOR, "\x01")) if isinstance(v, str) else ""
                                         for v in values)
        lengths = np.fromiter(map(len, folded.split(self.SEPARATOR)), dtype=np.int64, count=len(values))
        return folded, np.cumsum(lengths + 1)

    def search(self, needle: str) -> np.ndarray:
        """Rows whose text, counterpart or author contains `needle` (case- and accent-insensitive)."""
        needle = fold(needle).replace(self.SEPARATOR, "")
        found = np.zeros(self.rows, dtype=bool)
        if not needle:
            return found | True
        for codes, distinct in self._coded:
            hit = np.fromiter((needle in value for value in distinct), dtype=bool, count=len(distinct))
            if hit.any():
                found |= hit[codes]
        for first, joined, ends in self._joined:
            hits = []
            find = joined.find
            at = find(needle)
            while at >= 0:
                hits.append(at)
                at = find(needle, at + 1)
            if hits:
                found[first + np.searchsorted(ends, np.asarray(hits, dtype=np.int64), side="right")] = True
        return found


def filter_mask(frame: pd.DataFrame, spec: ItemFilter, text_index: TextIndex | None = None) -> np.ndarray:
    """One boolean mask for `spec` over the items frame (all-true when the filter is empty).

    With a `text_index` built for this frame, the text search uses it (fast over many rows).
    """
    mask = np.ones(len(frame), dtype=bool)
    for column, wanted in (("platform", spec.platforms), ("category", spec.categories),
                           ("exposure", spec.exposures)):
        if wanted:
            mask &= _codes_in(frame[column], wanted)
    if spec.start is not None or spec.end is not None:
        stamps = frame["timestamp"].to_numpy(dtype="datetime64[ns]", na_value=np.datetime64("NaT"))
        if spec.start is not None:
            mask &= stamps >= _as_naive(spec.start)
        if spec.end is not None:
            mask &= stamps < _as_naive(spec.end)
    if spec.text:
        if text_index is not None and text_index.rows == len(frame) and mask.sum() > len(frame) // 20:
            mask &= text_index.search(spec.text)
        else:
            mask &= _text_mask(frame, spec.text, mask)
    return mask


def _text_mask(frame: pd.DataFrame, needle: str, within: np.ndarray) -> np.ndarray:
    """Case- and accent-insensitive substring search in the SEARCHED columns, only over rows still in play."""
    found = np.zeros(len(frame), dtype=bool)
    rows = np.flatnonzero(within)
    needle = fold(needle)
    if len(rows) == 0:
        return found
    for column in SEARCHED:
        if column not in frame.columns:
            continue
        values = frame[column].iloc[rows] if len(rows) < len(frame) else frame[column]
        hit = np.fromiter((isinstance(v, str) and needle in fold(v) for v in values.to_numpy(dtype=object)),
                          dtype=bool, count=len(values))
        found[rows[hit]] = True
    return found


def _as_naive(stamp: pd.Timestamp) -> np.datetime64:
    stamp = pd.Timestamp(stamp)
    if stamp.tzinfo is not None:
        stamp = stamp.tz_convert("UTC").tz_localize(None)
    return np.datetime64(stamp.value, "ns")


# ---- aggregations for the charts ---------------------------------------------------------------

def counts_by(frame: pd.DataFrame, rows: str, columns: str) -> pd.DataFrame:
    """Item counts as a (rows x columns) table over two categorical columns, empty ones dropped."""
    r = frame[rows].cat
    c = frame[columns].cat
    nr, nc = len(r.categories), len(c.categories)
    rc = r.codes.to_numpy().astype(np.int64)
    cc = c.codes.to_numpy().astype(np.int64)
    ok = (rc >= 0) & (cc >= 0)
    flat = np.bincount(rc[ok] * nc + cc[ok], minlength=nr * nc).reshape(nr, nc)
    table = pd.DataFrame(flat, index=list(r.categories), columns=list(c.categories))
    return table.loc[table.sum(axis=1) > 0, table.sum(axis=0) > 0]


def monthly(frame: pd.DataFrame, by: str, mask: np.ndarray | None = None) -> pd.DataFrame:
    """Items per calendar month (UTC) and per value of `by`: index = month start, columns = values.

    Items without a timestamp are not placed on the timeline (the caller reports how many).
    Months with no items inside the span are kept as zeros so the chart shows the gaps.
    `mask` limits the rows without copying the frame (e.g. one platform).
    """
    stamps = _nanoseconds(frame["timestamp"])
    dated = stamps != NAT
    if mask is not None:
        dated &= mask
    series = frame[by].cat
    if not dated.any():
        return pd.DataFrame(columns=[])
    # day numbers, then months through a small day -> month table (far faster than datetime64[M] casts)
    days = stamps[dated] // DAY_NS
    first_day = int(days.min())
    day_months = np.arange(first_day, int(days.max()) + 1).astype("datetime64[D]").astype("datetime64[M]")
    first, last = day_months[0], day_months[-1]
    month_of_day = (day_months - first).astype(np.int64)
    offsets = month_of_day[days - first_day]
    span = int(month_of_day[-1]) + 1
    codes = series.codes.to_numpy()[dated].astype(np.int64)
    ncat = len(series.categories)
    ok = codes >= 0
    flat = np.bincount(offsets[ok] * ncat + codes[ok], minlength=span * ncat).reshape(span, ncat)
    index = pd.DatetimeIndex(np.arange(first, last + 1).astype("datetime64[ns]"))
    table = pd.DataFrame(flat, index=index, columns=list(series.categories))
    return table.loc[:, table.sum(axis=0) > 0]


NAT = np.iinfo(np.int64).min  # how pandas stores NaT in datetime64[ns]
DAY_NS = 86_400 * 1_000_000_000


def _nanoseconds(stamps: pd.Series) -> np.ndarray:
    """The UTC nanoseconds of a datetime64[ns(, UTC)] column as int64, without a copy (NaT = NAT)."""
    return np.asarray(stamps.array.asi8 if hasattr(stamps.array, "asi8") else
                      stamps.to_numpy(dtype="datetime64[ns]").view(np.int64))


def undated_count(frame: pd.DataFrame) -> int:
    return int(frame["timestamp"].isna().sum())


# ---- formatting -------------------------------------------------------------------------------

def human_bytes(n: float) -> str:
    """1536 -> '1.5 KB' (decimal units, as file managers show them)."""
    n = float(n)
    for unit in ("bytes", "KB", "MB", "GB"):
        if abs(n) < 1000 or unit == "GB":
            return f"{int(n)} {unit}" if unit == "bytes" else f"{n:.1f} {unit}"
        n /= 1000
    return f"{n:.1f} TB"


def ordered(values: Iterable[str], order: tuple[str, ...]) -> list[str]:
    """`values` in contract order (unknown values last, alphabetically)."""
    values = list(values)
    known = [v for v in order if v in values]
    return known + sorted(v for v in values if v not in order)


__all__ = ["ItemFilter", "filter_mask", "counts_by", "monthly", "undated_count",            "human_bytes", "ordered", "CATEGORIES", "PLATFORMS",
           "EXPOSURE_LEVELS"]
