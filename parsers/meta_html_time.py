"""Time strings of Meta's HTML exports -> UTC epoch seconds.

HTML pages show the time as local wall-clock text without a zone, in the account's language
(meta-html-format.md section 6): `Oct 19, 2019, 2:37 PM` (2019-21), `Jul 12, 2024 4:55:32pm`
(2022-24), `Jun 26, 2026 9:05:20 am` (2025+), `Sep 22, 2017 6:33 am` (Instagram 2023+), with
localised month words (`maj 06, 2025`, `jul. 05, 2024`, `set 13, 2026`) and day periods (`4:38 da
manhã`), day-first forms (`03. Sept. 2026, 9:33 pm`, `14/03/2023, 18:58`, `05.01.2024, 15:04`) and
the long header form with a zone (`Wednesday, August 19, 2026 at 4:33 PM UTC+02:00`).

`parse_display_time` reads any of these into a `Wallclock` (the displayed clock, its offset when the
text names one); a `Clock` places wall-clock times in the zone the export says it used (Facebook:
start_here.html / timezone.html; Instagram: a documented fixed UTC-8) and caches per hour, so a
thread of 500,000 messages costs one regex match and some arithmetic per message.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone, tzinfo
from typing import Callable

# ---- words ----------------------------------------------------------------------------------------

#: month words per language (full names and the abbreviations exports use), lower-case, no dot.
_MONTH_WORDS: dict[str, tuple[str, ...]] = {
    "en": ("january february march april may june july august september october november december "
           "jan feb mar apr may jun jul aug sep oct nov dec sept"),
    "da": ("januar februar marts april maj juni juli august september oktober november december "
           "jan feb mar apr maj jun jul aug sep okt nov dec"),
    "nl": ("januari februari maart april mei juni juli augustus september oktober november december "
           "jan feb mrt apr mei jun jul aug sep okt nov dec"),
    "fr": ("janvier février mars avril mai juin juillet août septembre octobre novembre décembre "
           "janv févr fév avr mai juin juil août sept oct nov déc fevr fev aout dec"),
    "de": ("januar februar märz april mai juni juli august september oktober november dezember "
           "jan feb mär apr mai jun jul aug sep okt nov dez mrz jän"),
    "it": ("gennaio febbraio marzo aprile maggio giugno luglio agosto settembre ottobre novembre dicembre "
           "gen feb mar apr mag giu lug ago set ott nov dic"),
    "pl": ("styczeń luty marzec kwiecień maj czerwiec lipiec sierpień wrzesień październik listopad grudzień "
           "sty lut mar kwi maj cze lip sie wrz paź lis gru"),
    "pl-genitive": ("stycznia lutego marca kwietnia maja czerwca lipca sierpnia września października "
                    "listopada grudnia"),
    "pt": ("janeiro fevereiro março abril maio junho julho agosto setembro outubro novembro dezembro "
           "jan fev mar abr mai jun jul ago set out nov dez"),
    "es": ("enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre diciembre "
           "ene feb mar abr may jun jul ago sep oct nov dic"),
    "sv": ("januari februari mars april maj juni juli augusti september oktober november december "
           "jan feb mar apr maj jun jul aug sep okt nov dec"),
}


def _month_table() -> tuple[dict[str, int], dict[str, int]]:
    """(word -> month) of every listed word, and (full name -> month) for prefix matches."""
    exact: dict[str, int] = {}
    full: dict[str, int] = {}
    for words in _MONTH_WORDS.values():
        names = words.split()
        for index, word in enumerate(names[:12]):
            exact[word] = full[word] = index + 1
        for word in names[12:]:
            if word not in exact:
                exact[word] = _abbreviation_month(word, names[:12])
    exact["sept"] = 9
    return exact, full


def _abbreviation_month(word: str, names: list[str]) -> int:
    if word in ("mrz", "mrt"):
        return 3
    for prefix in (_plain(word), _plain(word)[:3]):  # juil is July, not June (jui...)
        for index, name in enumerate(names):
            if _plain(name).startswith(prefix):
                return index + 1
    raise ValueError(f"month abbreviation {word!r} matches no month name")


def _plain(word: str) -> str:
    """Without accents: `fevr` is `févr`."""
    return "".join(c for c in unicodedata.normalize("NFKD", word) if not unicodedata.combining(c))


MONTHS, _FULL_MONTHS = _month_table()

#: words for the morning / afternoon half of a 12-hour clock, lower-case, dots removed
AM_WORDS = frozenset({"am", "a m", "vorm", "fm", "da manhã", "da madrugada", "de la mañana", "de la madrugada",
                      "mañana", "manhã", "matin", "du matin", "rano", "przed południem", "vm", "f m"})
PM_WORDS = frozenset({"pm", "p m", "nachm", "em", "da tarde", "da noite", "da tarde/noite", "de la tarde",
                      "de la noche", "tarde", "noite", "soir", "du soir", "de l'après-midi", "après-midi",
                      "po południu", "wieczorem", "nm", "e m"})

#: zone abbreviations of <=2018 long forms
_ZONE_WORDS = {"utc": 0, "gmt": 0, "edt": -4, "est": -5, "cdt": -5, "cst": -6, "mdt": -6, "mst": -7,
               "pdt": -7, "pst": -8, "bst": 1, "cet": 1, "cest": 2, "eet": 2, "eest": 3}

# ---- shapes ---------------------------------------------------------------------------------------

#: the common case of every generation, English words: "Jun 26, 2026 9:05:20 am", "Oct 19, 2019, 2:37 PM"
_FAST = re.compile(r"([A-Za-z]{3})[a-z]*\.? (\d{1,2}),? (\d{4}),?(?: at)? (\d{1,2}):(\d{2})(?::(\d{2}))? ?([AaPp])\.?[Mm]\.?")
_TIME = re.compile(r"(?<![\d.:])(\d{1,2})[:h](\d{2})(?::(\d{2}))?(?![\d])")
_ZONE = re.compile(r"\s*\b(?:(UTC|GMT)\s*([+\-−]\s*\d{1,2}(?::?\d{2})?)?|([A-Z]{3,4}))\s*$")
_ISO = re.compile(r"(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?\s*(Z|[+\-]\d{2}:?\d{2})?)?$")
_NUMERIC_DATE = re.compile(r"(\d{1,2})[./](\d{1,2})[./](\d{4})")
_WORDS = re.compile(r"[^\W\d_]+|\d+")


@dataclass(frozen=True, slots=True)
class Wallclock:
    """A displayed time: the clock as shown, and the offset the text itself names (None: none)."""

    moment: datetime  # naive
    offset: timedelta | None = None
    date_only: bool = False


def _clean(text: str) -> str:
    text = " ".join(text.replace("\u202f", " ").replace("\xa0", " ").split())
    if text.startswith("(") and text.endswith(")"):
        text = text[1:-1].strip()
    for prefix in ("Updated ", "Aktualisiert ", "Opdateret ", "Bijgewerkt ", "Mis à jour ", "Actualizado ",
                   "Atualizado ", "Aggiornato ", "Uppdaterad ", "Zaktualizowano "):
        if text.startswith(prefix):
            return text[len(prefix):]
    return text


def _month_of(word: str) -> int | None:
    word = word.lower().rstrip(".")
    month = MONTHS.get(word)
    if month is None and len(word) >= 3:
        month = next((m for name, m in _FULL_MONTHS.items() if name.startswith(word)), None)
    return month


def _offset_of(zone_match: re.Match[str]) -> timedelta | None:
    named, signed, word = zone_match.group(1), zone_match.group(2), zone_match.group(3)
    if named:
        if not signed:
            return timedelta(0)
        sign = -1 if signed[0] in "-−" else 1
        digits = signed[1:].replace(":", "").strip()
        hours, minutes = (int(digits[:-2] or 0), int(digits[-2:])) if len(digits) > 2 else (int(digits), 0)
        return sign * timedelta(hours=hours, minutes=minutes)
    hours = _ZONE_WORDS.get(word.lower())
    return None if hours is None else timedelta(hours=hours)


def parse_display_time(text: str) -> Wallclock | None:
    """Any time string of an HTML export -> its Wallclock; None when it is not one we can read."""
    if not text:
        return None
    text = _clean(text)
    fast = _FAST.fullmatch(text)
    if fast is not None:
        month = MONTHS.get(fast.group(1).lower())
        if month is not None:
            hour = int(fast.group(4)) % 12 + (12 if fast.group(7) in "Pp" else 0)
            try:
                return Wallclock(datetime(int(fast.group(3)), month, int(fast.group(2)), hour, int(fast.group(5)),
                                          int(fast.group(6) or 0)))
            except ValueError:
                return None
    iso = _ISO.fullmatch(text)
    if iso is not None:
        return _iso(iso)
    return _general(text)


def _iso(match: re.Match[str]) -> Wallclock | None:
    year, month, day, hour, minute, second, zone = match.groups()
    try:
        moment = datetime(int(year), int(month), int(day), int(hour or 0), int(minute or 0), int(second or 0))
    except ValueError:
        return None
    offset = None
    if zone:
        offset = timedelta(0) if zone == "Z" else (1 if zone[0] == "+" else -1) * timedelta(
            hours=int(zone[1:3]), minutes=int(zone[-2:]))
    return Wallclock(moment, offset, date_only=hour is None)


def _general(text: str) -> Wallclock | None:
    """Shape by shape: zone at the end, the clock, a meridiem after it, then the date words."""
    offset = None
    zone = _ZONE.search(text)
    if zone is not None:
        candidate = _offset_of(zone)
        if candidate is not None or zone.group(1):
            offset = candidate
            text = text[:zone.start()]
    clock = None
    for clock in _TIME.finditer(text):
        pass
    if clock is not None:
        date_part, rest = text[:clock.start()], text[clock.end():]
        hour, minute, second = int(clock.group(1)), int(clock.group(2)), int(clock.group(3) or 0)
        meridiem = rest.strip().lower().replace(".", " ").replace("  ", " ").strip()
        meridiem = " ".join(meridiem.split())
        if meridiem:
            if meridiem in AM_WORDS:
                hour = hour % 12
            elif meridiem in PM_WORDS:
                hour = hour % 12 + 12
            else:
                return None
        date_only = False
    else:
        date_part, hour, minute, second, date_only = text, 0, 0, 0, True
    day_month_year = _date(date_part)
    if day_month_year is None:
        return None
    day, month, year = day_month_year
    try:
        return Wallclock(datetime(year, month, day, hour, minute, second), offset, date_only)
    except ValueError:
        return None


def _date(text: str) -> tuple[int, int, int] | None:
    numeric = _NUMERIC_DATE.search(text)
    if numeric is not None:  # day first: 14/03/2023 (fr), 05.01.2024 (de)
        return int(numeric.group(1)), int(numeric.group(2)), int(numeric.group(3))
    iso = re.search(r"(\d{4})-(\d{2})-(\d{2})", text)
    if iso is not None:
        return int(iso.group(3)), int(iso.group(2)), int(iso.group(1))
    month = day = year = None
    for token in _WORDS.findall(text):
        if token.isdigit():
            if len(token) == 4 and year is None:
                year = int(token)
            elif len(token) <= 2 and day is None:
                day = int(token)
        elif month is None:
            month = _month_of(token)
    if month is None or day is None or year is None:
        return None
    return day, month, year


# ---- placing wall-clock times in a zone -----------------------------------------------------------

_EPOCH = datetime(1970, 1, 1)


@dataclass
class Clock:
    """Wall-clock -> UTC for one export: `zone` is a tzinfo (an IANA zone or a fixed offset).

    `assumed` says in words which zone was used and why (shown as a notice in the audit).
    """

    zone: tzinfo
    assumed: str

    def __post_init__(self) -> None:
        self._hour_offsets: dict[tuple[int, int, int, int], float] = {}
        self._hour_starts: dict[tuple[str, ...], float] = {}

    def epoch(self, clock: Wallclock) -> float:
        naive = clock.moment
        if clock.offset is not None:
            return (naive - _EPOCH - clock.offset).total_seconds()
        key = (naive.year, naive.month, naive.day, naive.hour)
        offset = self._hour_offsets.get(key)
        if offset is None:
            delta = self.zone.utcoffset(naive.replace(minute=30))
            offset = delta.total_seconds() if delta is not None else 0.0
            if len(self._hour_offsets) < 100_000:
                self._hour_offsets[key] = offset
        return (naive - _EPOCH).total_seconds() - offset

    def reader(self, on_bad: Callable[[str], None]) -> Callable[[str], float | None]:
        """text -> epoch seconds; an unreadable non-empty string goes to `on_bad` (and gives None).

        The common English shape is read by one match and integer arithmetic, with the zone's
        offset cached per hour (a thread page holds hundreds of thousands of such strings)."""
        fast, months, starts = _FAST.fullmatch, MONTHS, self._hour_starts
        zone = self.zone

        def parts(month_word: str, day: str, year: str, hour: str, minute: str, second: str | None,
                  half: str) -> float | None:
            """The common English shape already split by a pattern (thread pages): its epoch."""
            key = (month_word, day, year, hour, half)
            start = starts.get(key)
            if start is None:
                month = months.get(month_word.lower())
                try:
                    moment = datetime(int(year), month or 0, int(day), int(hour) % 12 + (12 if half in "Pp" else 0))
                except (ValueError, TypeError):
                    on_bad(f"{month_word} {day}, {year} {hour}:{minute} {half}m")
                    return None
                delta = zone.utcoffset(moment.replace(minute=30))
                start = (moment - _EPOCH).total_seconds() - (delta.total_seconds() if delta else 0.0)
                if len(starts) < 200_000:
                    starts[key] = start
            return start + int(minute) * 60 + (int(second) if second else 0)

        def read(text: str) -> float | None:
            if not text:
                return None
            found = fast(text)
            if found is not None and found.group(1).lower() in months:
                return parts(*found.groups())
            clock = parse_display_time(text)
            if clock is None:
                on_bad(text)
                return None
            return self.epoch(clock)

        read.parts = parts  # type: ignore[attr-defined]
        return read


#: Instagram's HTML record clock, measured on donated archives as a fixed UTC-8 (not US Pacific:
#: records inside US daylight time are still -8) [ALGO-TZ]; meta-html-format.md 6.3.
INSTAGRAM_ZONE = timezone(timedelta(hours=-8))


def zone_from_stamp(attribute: str, text: str) -> timezone | None:
    """The offset of a generated-on `<time datetime="2026-08-19T14:33Z">` pair: text - attribute."""
    shown = parse_display_time(text)
    at = _ISO.fullmatch(attribute.strip().replace("Z", "+00:00")) if attribute else None
    if shown is None or at is None:
        return None
    instant = _iso(at)
    if instant is None:
        return None
    utc = instant.moment - (instant.offset or timedelta(0))
    minutes = round((shown.moment - utc).total_seconds() / 900) * 15
    if abs(minutes) > 14 * 60:
        return None
    return timezone(timedelta(minutes=minutes))


def zone_named(name: str) -> tzinfo | None:
    """An IANA zone name (timezone.html) -> tzinfo, None when this machine cannot resolve it."""
    try:
        from zoneinfo import ZoneInfo
        return ZoneInfo(name.strip())
    except Exception:  # noqa: BLE001 - unknown name or no tz database: the caller falls back
        return None


def describe_offset(zone: tzinfo) -> str:
    delta = zone.utcoffset(datetime(2000, 1, 1))
    if isinstance(zone, timezone) and delta is not None:
        minutes = int(delta.total_seconds() // 60)
        sign = "+" if minutes >= 0 else "-"
        return f"UTC{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"
    return str(zone)
