"""Chat header date-times -> epoch seconds, a block of headers at a time, in numpy.

What phones write (shared/reference/whatsapp-formats.md, "Calendars, digits and header marks"):
* day, month and year in any order, 2- or 4-digit years, the time with ':' or '.', seconds or not;
* 12-hour clocks with AM/PM words of the phone's locale (ص/م, 午前/午後, 오전/오후 ...), before or after
  the time, separated by a space, U+202F or U+00A0;
* direction marks (U+200E/F, U+061C, isolates) and BOMs between the fields; the Arabic comma;
* Arabic-Indic (U+0660-0669) and Eastern Arabic-Indic (U+06F0-06F9) digits;
* iOS calendars: Buddhist-era years ("2565 BE" = 2022) and Japanese eras ("R4" or "令和4" = 2022,
  "H31"/"平成31" = 2019).

`normalise` rewrites the rare headers with any of these into plain ASCII (one regex pass over the
joined strings of a block); `Fields.of` then reads the six numbers of every header with numpy over
the characters' code points. The day/month order is decided once for the whole file (`choose_order`).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from .whatsapp_wording import MARKS, field

#: Japanese eras: letter or kanji -> the Gregorian year of the era's first year.
ERAS = {"M": 1868, "T": 1912, "S": 1926, "H": 1989, "R": 2019,
        "明治": 1868, "大正": 1912, "昭和": 1926, "平成": 1989, "令和": 2019}
#: Buddhist era: Gregorian = BE - 543. Years from here on are read as BE (no chat is dated 2400).
BUDDHIST_FROM = 2400
BUDDHIST_OFFSET = 543

_DIGITS = {**{0x0660 + i: 0x30 + i for i in range(10)}, **{0x06F0 + i: 0x30 + i for i in range(10)},
           **{0x0966 + i: 0x30 + i for i in range(10)}, **{0xFF10 + i: 0x30 + i for i in range(10)}}
_TRANSLATE = {**_DIGITS, **{ord(c): None for c in MARKS}, 0x00A0: 0x20, 0x202F: 0x20, 0x060C: ord(",")}
#: Anything in a header that the plain ASCII reading cannot take.
#: (ASCII letters other than those of AM/PM: era letters, "BE", Swedish "fm"/"em", "klo" ...)
SPECIAL = re.compile("[^\\x00-\\x40AMP\\x5b-\\x60amp\\x7b-\\x7f]")


def meridiem_words() -> tuple[list[str], list[str]]:
    """Every AM word and every PM word of the phones' locales (longest first)."""
    am, pm = field("am"), field("pm")
    both = set(am) & set(pm)  # a word that is AM in one locale and PM in another cannot decide
    order = lambda words: sorted({w for w in words if w not in both}, key=len, reverse=True)  # noqa: E731
    return order(am), order(pm)


_AM, _PM = meridiem_words()
_MERIDIEM = {w.casefold(): "AM" for w in _AM} | {w.casefold(): "PM" for w in _PM}
_WORD = re.compile("|".join(re.escape(w).replace(r"\ ", "[ \u00a0\u202f]?") for w in
                            sorted(set(_AM) | set(_PM), key=len, reverse=True)), re.IGNORECASE)
_ERA = re.compile(r"(明治|大正|昭和|平成|令和|(?<![A-Za-z])[MTSHR])(\d{1,2})(?:年)?")
_BE = re.compile(r"\s*B\.?\s?E\.?|\s*พ\.ศ\.")


def meridiem_pattern() -> str:
    """A regex for any AM/PM word (for the header regex), spaces inside as any space."""
    return _WORD.pattern


def normalise(stamps: list[str]) -> list[str]:
    """Date-time strings in plain ASCII: marks gone, digits made ASCII, AM/PM words made "AM"/"PM",
    era years made Gregorian. Only called for blocks that hold such headers."""
    if not stamps:
        return []
    text = "\n".join(stamps).translate(_TRANSLATE)
    if not text.isascii() or re.search(r"[A-Za-z]", text):
        text = _ERA.sub(lambda m: str(ERAS[m.group(1)] + int(m.group(2)) - 1), text)
        text = _BE.sub("", text)
        text = _WORD.sub(lambda m: " " + _MERIDIEM.get(re.sub("[\u00a0\u202f]", " ", m.group(0)).casefold(), "AM")
                         + " ", text)
    return text.split("\n")


FIELDS = ("a", "b", "c", "H", "M", "S")


@dataclass
class Fields:
    """The six numbers of each header (a, b, c: the date fields in written order; NaN = absent) and
    whether it had an AM/PM word and which."""

    num: np.ndarray  # (6, n) float32 (exact for these numbers; a quarter of the memory of float64)
    has_meridiem: np.ndarray
    pm: np.ndarray

    @staticmethod
    def of(stamps: list[str]) -> "Fields":
        """Read plain-ASCII date-times (see `normalise`)."""
        n = len(stamps)
        joined = "".join(stamps)
        width = len(stamps[0]) if n else 1
        if n and len(joined) == n * width and joined.isascii() and len(set(map(len, stamps))) == 1:  # one width
            chars = np.frombuffer(joined.encode("ascii"), dtype=np.uint8).reshape(n, width)
        else:
            arr = np.array(stamps, dtype=str)
            width = max(arr.dtype.itemsize // 4, 1)
            chars = arr.view(np.uint32).reshape(n, width) if n else np.zeros((0, width), dtype=np.uint32)
        is_digit = (chars >= 48) & (chars <= 57)
        lower = chars | 0x20
        pm = (lower == ord("p")).any(axis=1)
        has_meridiem = pm | (lower == ord("a")).any(axis=1)
        fixed = _fixed_layout(is_digit, chars)
        if fixed is not None:
            return Fields(_read_fixed(chars, fixed), has_meridiem, pm)
        return Fields(_read_runs(chars, is_digit), has_meridiem, pm)

    def take(self, rows: slice) -> "Fields":
        return Fields(self.num[:, rows], self.has_meridiem[rows], self.pm[rows])

    @staticmethod
    def concat(parts: list["Fields"]) -> "Fields":
        if not parts:
            return Fields(np.zeros((6, 0)), np.zeros(0, dtype=bool), np.zeros(0, dtype=bool))
        return Fields(np.concatenate([p.num for p in parts], axis=1), np.concatenate([p.has_meridiem for p in parts]),
                      np.concatenate([p.pm for p in parts]))


def _fixed_layout(is_digit: np.ndarray, chars: np.ndarray) -> list[tuple[int, int]] | None:
    """The digit runs' (start, end) columns when every string has them in the same places, with
    the same characters between them (padded formats such as "13/01/2015, 00:00": most Android
    chats), else None."""
    if len(is_digit) == 0:
        return None
    first = is_digit[0]
    if not (is_digit == first).all() or not (chars[:, ~first] == chars[0, ~first]).all():
        return None
    runs, start = [], None
    for column, digit in enumerate(first.tolist() + [False]):
        if digit and start is None:
            start = column
        elif not digit and start is not None:
            runs.append((start, column))
            start = None
    return runs if 5 <= len(runs) <= 6 else None


def _read_fixed(chars: np.ndarray, runs: list[tuple[int, int]]) -> np.ndarray:
    num = np.full((6, len(chars)), np.nan, dtype=np.float32)
    for index, (start, end) in enumerate(runs):
        value = np.zeros(len(chars), dtype=np.int64)
        for column in range(start, end):
            value = value * 10 + (chars[:, column].astype(np.int64) - 48)
        num[index] = value
    return num


def _read_runs(chars: np.ndarray, is_digit: np.ndarray) -> np.ndarray:
    """Digit runs found column by column: every row advances at once (a few dozen numpy steps)."""
    n, width = chars.shape
    digit = chars.astype(np.int64) - 48
    values = np.zeros((7, n))  # one spare row takes digits beyond the sixth run
    run = np.full(n, -1)
    previous = np.zeros(n, dtype=bool)
    rows = np.arange(n)
    for column in range(width):
        current = is_digit[:, column]
        run += current & ~previous
        target = np.clip(run, 0, 6)
        old = values[target, rows]
        values[target, rows] = np.where(current, old * 10 + digit[:, column], old)
        previous = current
    found = run + 1
    return np.where(found[None, :] > np.arange(6)[:, None], values[:6], np.nan).astype(np.float32)


ORDERS = {"dmy": "day/month/year", "mdy": "month/day/year", "ymd": "year/month/day", "ydm": "year/day/month"}


@dataclass
class Timestamps:
    seconds: np.ndarray  # float64 epoch seconds of the wall-clock time, NaN where impossible
    order: str
    evidence: str
    ambiguous: bool = False
    invalid: int = 0


#: Rows converted at once (the float64 temporaries of a million rows would cost 100+ MB at the peak).
CHUNK = 1 << 16


def convert(fields: Fields) -> Timestamps:
    """Every header of a file -> epoch seconds, the date order decided from all of them."""
    num = {name: fields.num[i] for i, name in enumerate(FIELDS)}
    order, evidence, ambiguous = choose_order(num, bool(fields.has_meridiem.any()))
    n = fields.num.shape[1]
    seconds = np.empty(n, dtype=np.float64)
    for start in range(0, n, CHUNK):
        part = {name: values[start:start + CHUNK].astype(np.float64) for name, values in num.items()}
        mer, pm = fields.has_meridiem[start:start + CHUNK], fields.pm[start:start + CHUNK]
        year, month, day = ymd(part, order)
        hour = np.where(mer, np.mod(part["H"], 12) + np.where(pm, 12, 0), part["H"])
        seconds[start:start + CHUNK] = epoch(year, month, day, hour, part["M"], np.nan_to_num(part["S"], nan=0.0))
    return Timestamps(seconds, order, evidence, ambiguous, int(np.isnan(seconds).sum()))


def ymd(num: dict[str, np.ndarray], order: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    a, b, c = num["a"], num["b"], num["c"]
    year, month, day = {"dmy": (c, b, a), "mdy": (c, a, b), "ymd": (a, b, c), "ydm": (a, c, b)}[order]
    year = np.where(year < 100, year + 2000, year)
    return np.where(year >= BUDDHIST_FROM, year - BUDDHIST_OFFSET, year), month, day


def epoch(year: np.ndarray, month: np.ndarray, day: np.ndarray, hour: np.ndarray, minute: np.ndarray,
          second: np.ndarray) -> np.ndarray:
    """Calendar fields -> epoch seconds (NaN for impossible dates such as 31/02), vectorised."""
    valid = ~(np.isnan(year) | np.isnan(month) | np.isnan(day) | np.isnan(hour) | np.isnan(minute))
    valid &= (month >= 1) & (month <= 12) & (day >= 1) & (day <= 31) & (hour <= 24) & (minute < 60)
    valid &= (year >= 1970) & (year < 2200)
    y = np.where(valid, year, 2000).astype("int64")
    m = np.where(valid, month, 1).astype("int64")
    d = np.where(valid, day, 1).astype("int64")
    months = (y - 1970) * 12 + (m - 1)
    first = months.astype("datetime64[M]").astype("datetime64[D]").astype("int64")
    length = ((months + 1).astype("datetime64[M]").astype("datetime64[D]").astype("int64")) - first
    valid &= d <= length
    seconds = (first + d - 1) * 86400.0 + hour * 3600 + minute * 60 + second
    return np.where(valid, seconds, np.nan)


def choose_order(num: dict[str, np.ndarray], meridiem: bool) -> tuple[str, str, bool]:
    """Day/month order from the whole file: a field over 12 decides; forward-running dates break ties."""
    a, b, c = num["a"], num["b"], num["c"]
    if len(a) == 0 or np.isnan(a).all():
        return "dmy", "no dates", False
    year_first = bool(np.nanmax(a) > 31)
    first, second = (b, c) if year_first else (a, b)
    names = ("ymd", "ydm") if year_first else ("mdy", "dmy")  # (second field is day, first is day)
    first_over, second_over = int(np.sum(first > 12)), int(np.sum(second > 12))
    if first_over and not second_over:
        return names[1], f"{first_over} dates have a first field over 12", False
    if second_over and not first_over:
        return names[0], f"{second_over} dates have a second field over 12", False
    if first_over and second_over:
        pick = names[1] if first_over >= second_over else names[0]
        return pick, f"both fields exceed 12 in places ({first_over} vs {second_over}): dates contradict", True
    backwards = {}
    for order in names:
        count, last = 0, None
        for start in range(0, len(a), CHUNK):
            part = {k: v[start:start + CHUNK].astype(np.float64) for k, v in num.items() if k in "abc"}
            year, month, day = ymd(part, order)
            stamp = year * 10000 + month * 100 + day
            if last is not None:
                stamp = np.concatenate([[last], stamp])
            count += int(np.sum(np.diff(stamp) < 0))
            last = stamp[-1] if len(stamp) else last
        backwards[order] = count
    if backwards[names[0]] != backwards[names[1]]:
        pick = min(names, key=lambda o: backwards[o])
        return pick, f"no field exceeds 12; dates run forwards as {ORDERS[pick]} ({backwards})", False
    likelier = names[0] if year_first or meridiem else names[1]
    why = ("year-first dates are month-first by convention" if year_first else
           "12-hour clocks go with month-first dates" if meridiem else "day-first is the commoner order")
    return likelier, f"no field exceeds 12 and both orders run forwards equally; chose {ORDERS[likelier]} ({why})", True


def convert_stamps(stamps: list[str]) -> Timestamps:
    """Date-time strings as written -> epoch seconds (tests and small inputs; the reader goes by blocks)."""
    plain = normalise(stamps) if any(SPECIAL.search(s) for s in stamps) else stamps
    return convert(Fields.of(plain))


__all__ = ["Fields", "Timestamps", "convert", "convert_stamps", "normalise", "meridiem_pattern", "ORDERS"]
