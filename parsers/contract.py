"""The data contract of DESIGN.md in code: taxonomy, exposure levels and frame schemas.

Everything that builds or reads the items, files and problems frames goes through this module,
so a column name or dtype is decided in one place only.
"""
from __future__ import annotations

import numbers
from array import array
from dataclasses import dataclass, field
from itertools import repeat
from typing import Any, Iterable, NamedTuple

import numpy as np
import pandas as pd

PLATFORMS = ("facebook", "instagram", "whatsapp")

#: Category keys, in the order the GUI lists them.
CATEGORIES = (
    "posts",
    "photos_videos",
    "stories_reels",
    "comments",
    "reactions",
    "messages",
    "ai_interactions",
    "profile",
    "connections",
    "groups_pages_events",
    "search_history",
    "location",
    "ads_interests",
    "off_platform_activity",
    "activity_log",
    "security_login",
    "marketplace_shopping",
    "settings",
    "other",
)

CATEGORY_LABELS = {
    "posts": "Posts",
    "photos_videos": "Photos & videos",
    "stories_reels": "Stories & reels",
    "comments": "Comments",
    "reactions": "Reactions & likes",
    "messages": "Messages",
    "ai_interactions": "Meta AI chats",
    "profile": "Profile",
    "connections": "Friends & followers",
    "groups_pages_events": "Groups, pages, events",
    "search_history": "Searches",
    "location": "Location",
    "ads_interests": "Ads & interests",
    "off_platform_activity": "Off-platform activity",
    "activity_log": "Activity log",
    "security_login": "Logins & devices",
    "marketplace_shopping": "Marketplace & shopping",
    "settings": "Settings",
    "other": "Other",
}

#: Exposure levels (contract), most exposed first.
EXPOSURE_LEVELS = (
    "training_if_public",
    "training_ai_interactions",
    "ads_profiling",
    "private_stated_not_used",
    "unclear",
)

EXPOSURE_LABELS = {
    "training_if_public": "Meta says it trains on this when it is public and you are an adult",
    "training_ai_interactions": "Meta says it uses what you do with its AI features",
    "ads_profiling": "Used for ads and personalisation; not named as AI training data",
    "private_stated_not_used": "Meta says it does not train on this (private messages)",
    "unclear": "No statement either way",
}

EXPOSURE_SHORT = {
    "training_if_public": "AI training if public",
    "training_ai_interactions": "AI training (AI chats)",
    "ads_profiling": "Ads profiling",
    "private_stated_not_used": "Stated not used",
    "unclear": "Unclear",
}

ACTORS = ("self", "other", "system", "unknown")
FILE_STATUSES = ("parsed", "ignored", "unknown", "failed")

ITEM_COLUMNS = (
    "platform",
    "category",
    "kind",
    "timestamp",
    "actor",
    "author",
    "counterpart",
    "text",
    "text_chars",
    "media_count",
    "media_bytes",
    "exposure",
    "source_file",
)

FILE_COLUMNS = (
    "path",
    "platform",
    "category",
    "status",
    "reason",
    "size",
    "compressed_size",
    "part",
    "items",
)

PROBLEM_COLUMNS = ("file", "kind", "message")


class Item(NamedTuple):
    """One item as a handler yields it; the runner adds platform, exposure and source_file.

    `timestamp` is UTC epoch seconds (float) or None; `text` is already repaired.
    """

    category: str
    kind: str
    timestamp: float | None = None
    actor: str = "unknown"
    counterpart: str = ""
    text: str = ""
    media_count: int = 0
    media_bytes: int = 0
    author: str = ""


@dataclass(frozen=True)
class Problem:
    """A problem is a value: the scan records it and goes on."""

    file: str
    kind: str
    message: str


@dataclass
class AccountContext:
    """What the export says about its owner, read before the items so that rules can use it.

    `private_account` is True/False when the export says so; `privacy_changes` lists
    (epoch seconds, "public"|"private") switches, oldest first.
    """

    owner_names: set[str] = field(default_factory=set)
    jurisdiction: str | None = None
    private_account: bool | None = None
    privacy_changes: list[tuple[float, str]] = field(default_factory=list)
    birth_date: str | None = None
    account_created: float | None = None
    notices: list[str] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)
    #: Names of people the export lists outside the items' author column (thread participants,
    #: friends, followers, tagged people): the pseudonymiser replaces them (parsers.people).
    people: set[str] = field(default_factory=set)
    #: The owner's name as the export gives it (profile), for the author of the owner's items.
    owner_name: str = ""

    def is_owner(self, name: str | None) -> bool:
        return bool(name) and name in self.owner_names


def _categorical(values: Iterable[str]) -> pd.CategoricalDtype:
    return pd.CategoricalDtype(list(values))


ITEM_DTYPES: dict[str, Any] = {
    "platform": _categorical(PLATFORMS),
    "category": _categorical(CATEGORIES),
    "kind": "category",
    "actor": _categorical(ACTORS),
    "author": "string",
    "counterpart": "string",
    "text": "string",
    "text_chars": "int64",
    "media_count": "int64",
    "media_bytes": "int64",
    "exposure": _categorical(EXPOSURE_LEVELS),
    "source_file": "category",
}

FILE_DTYPES: dict[str, Any] = {
    "path": "string",
    "platform": "category",
    "category": "category",
    "status": _categorical(FILE_STATUSES),
    "reason": "string",
    "size": "int64",
    "compressed_size": "int64",
    "part": "category",
    "items": "int64",
}


def seconds_to_utc(values: Iterable[float | None]) -> pd.Series:
    """Epoch seconds (None/NaN for unknown) -> datetime64[ns, UTC] in one vectorised call."""
    data = values if isinstance(values, np.ndarray) else list(values)
    numbers = pd.to_numeric(pd.Series(data, dtype="float64"), errors="coerce")
    numbers = numbers.where(numbers.abs() < 9.2e9)  # outside datetime64[ns] (1677-2262): unknown, not a crash
    return pd.to_datetime(numbers * 1e9, unit="ns", utc=True).astype("datetime64[ns, UTC]")


#: Rows converted per step by ItemsBuilder.frame (see there).
FRAME_STEP = 50_000

#: Columns held as machine numbers (array typecode) rather than Python objects: 8 bytes a row
#: instead of a pointer plus a float or int object (32-36 bytes), and handed to numpy without a loop.
#: A timestamp of None is held as NaN (the frame's NaT either way).
NUMERIC_COLUMNS = {"timestamp": "d", "text_chars": "q", "media_count": "q", "media_bytes": "q"}

_NAN = float("nan")


class Later:
    """A value known only after the rows that carry it were added (a streamed thread's title
    comes after its messages): ItemsBuilder fills those rows in when `value` is set."""

    __slots__ = ("value",)

    def __init__(self) -> None:
        self.value: str | None = None


class ItemBatch:
    """Rows of one member gathered by a reader that makes many (a Messenger page), added at once.

    The reader appends rows straight to `rows` (tuples in BATCH_FIELDS order: no Item, no checks),
    or `add`s an Item where a row is not of the common shape. Rows appended directly must hold
    values of their types already (str, float with NaN for no date, int). `counterpart`, when set,
    replaces every row's counterpart: a str, or a Later the reader sets before it finishes.
    """

    __slots__ = ("rows", "counterpart")

    def __init__(self) -> None:
        self.rows: list[tuple] = []
        self.counterpart: str | Later | None = None

    def __len__(self) -> int:
        return len(self.rows)

    def add(self, item: Item) -> None:
        """Append one Item, checked as ItemsBuilder.add checks it (TypeError, and nothing appended)."""
        category, kind, stamp, actor, author, counterpart, text, _chars, count, size = _checked_item(item)
        self.rows.append((category, kind, _NAN if stamp is None else stamp, actor, author, counterpart, text, count,
                          size))


#: The fields of an ItemBatch row, in order.
BATCH_FIELDS = ("category", "kind", "timestamp", "actor", "author", "counterpart", "text", "media_count",
                "media_bytes")


class _Codes(dict):
    """Distinct values of a column -> their code, given in order of first appearance.

    `codes.extend(map(index.__getitem__, values))` stays in C for values already seen; only a new
    value calls `__missing__`. `list(index)` is the values in code order.
    """

    def __missing__(self, value: str) -> int:
        code = self[value] = len(self)
        return code


#: String columns held as int32 codes into their distinct values: 4 bytes a row instead of an
#: 8-byte pointer (and one str object per distinct value, not per row); the frame's categoricals
#: are then built from the codes, without hashing a million strings again.
CODED_COLUMNS = ("platform", "category", "kind", "actor", "author", "counterpart", "exposure", "source_file")


@dataclass
class ColumnBatch:
    """Many items of one member given column-wise, for readers that work on whole columns (a
    million-message WhatsApp chat): no row tuples, no per-row objects.

    `kind`, `actor` and `author` are codes into their `*_names` lists (-1 in `author` = none);
    `timestamp` is float64 epoch seconds with NaN for unknown; `text` a list (or object array) of
    str; the number columns any integer dtype (the builder stores them as int64).
    """

    category: str
    kind: np.ndarray
    kind_names: list[str]
    timestamp: np.ndarray
    actor: np.ndarray
    actor_names: list[str]
    author: np.ndarray
    author_names: list[str]
    counterpart: str
    text: "list[str] | np.ndarray"
    media_count: np.ndarray
    media_bytes: np.ndarray
    text_chars: np.ndarray | None = None  # len() of each text, when the reader has it already

    def __len__(self) -> int:
        return len(self.kind)

    def items(self) -> Iterable[Item]:
        """The rows as Items (tests, and callers that want rows one at a time)."""
        authors = self.author_names + [""]
        for kind, stamp, actor, author, text, count, size in zip(
                self.kind.tolist(), self.timestamp.tolist(), self.actor.tolist(), self.author.tolist(),
                list(self.text), self.media_count.tolist(), self.media_bytes.tolist()):
            yield Item(self.category, self.kind_names[kind], None if stamp != stamp else stamp,
                       self.actor_names[actor], self.counterpart, text, count, size, authors[author])


class ItemsBuilder:
    """Collects item rows column-wise and builds the items frame in one go.

    Rows are appended to code and number arrays and one list of texts (cheap and compact), never
    to a frame; `frame()` converts once.
    """

    def __init__(self) -> None:
        self._index = {name: _Codes() for name in CODED_COLUMNS}
        self._codes = {name: array("i") for name in CODED_COLUMNS}
        self._numbers = {name: array(code) for name, code in NUMERIC_COLUMNS.items()}
        self._text: list[str] = []
        self._later: list[tuple[int, int, Later]] = []  # counterpart rows [start, end) set when known
        self._stores = [*self._codes.values(), *self._numbers.values(), self._text]
        # bound once for `add`, which a reader of one Item per row calls a million times
        self._code_appends = [self._codes[name].append for name in CODED_COLUMNS]
        self._indexes = [self._index[name] for name in CODED_COLUMNS]
        self._stamp_append, self._chars_append, self._count_append, self._size_append = (
            self._numbers[name].append for name in ("timestamp", "text_chars", "media_count", "media_bytes"))

    def __len__(self) -> int:
        return len(self._text)

    def add(self, platform: str, item: Item, source_file: str, exposure: str = "unclear") -> None:
        """Append one row, all columns or none.

        The values are checked and converted before any column is touched, so an item built from a
        JSON value of the wrong type (a number where a string belongs) raises here and leaves the
        columns the same length: the runner then fails that member only.
        """
        (platform, category, kind, stamp, actor, author, counterpart, text, chars, count, size, exposure,
         source_file) = _checked_row(platform, item, source_file, exposure)
        n = len(self)
        try:
            self._count_append(count)
            self._size_append(size)
        except OverflowError:  # a count past int64: the row goes, the member fails
            self.truncate(n)
            raise TypeError("a media count or size is too large") from None
        self._stamp_append(stamp)
        self._chars_append(chars)
        for append, index, value in zip(self._code_appends, self._indexes,
                                        (platform, category, kind, actor, author, counterpart, exposure, source_file)):
            append(index[value])
        self._text.append(text)

    def add_batch(self, platform: str, batch: ItemBatch, source_file: str, exposure: str = "unclear") -> None:
        """Append every row of `batch` (all or none), as `add` would one by one."""
        n, before = len(batch), len(self)
        if not n:
            return
        category, kind, stamp, actor, author, counterpart, text, count, size = zip(*batch.rows)
        numbers = self._numbers
        try:
            numbers["timestamp"].extend(stamp)
            numbers["text_chars"].extend(map(len, text))
            numbers["media_count"].extend(count)
            numbers["media_bytes"].extend(size)
        except (TypeError, OverflowError) as error:
            self.truncate(before)
            raise TypeError(f"a number of this file is not a number of the expected kind ({error})") from None
        fixed = batch.counterpart
        if isinstance(fixed, Later):
            self._later.append((before, before + n, fixed))
            fixed = ""
        index, codes = self._index, self._codes
        for name, values in (("category", category), ("kind", kind), ("actor", actor), ("author", author)):
            codes[name].extend(map(index[name].__getitem__, values))
        if fixed is None:
            codes["counterpart"].extend(map(index["counterpart"].__getitem__, counterpart))
        else:
            codes["counterpart"].extend(array("i", [index["counterpart"][fixed]]) * n)
        for name, value in (("platform", platform), ("exposure", exposure), ("source_file", source_file)):
            codes[name].extend(array("i", [index[name][value]]) * n)
        self._text.extend(text)

    def add_columns(self, platform: str, batch: ColumnBatch, source_file: str, exposure: str = "unclear") -> None:
        """Append a column-wise batch (all or none): its codes remapped onto the builder's, in numpy."""
        n = len(batch)
        if not n:
            return
        index, codes, numbers = self._index, self._codes, self._numbers
        # checked before any column is touched; then one column at a time (one temporary at the peak)
        coded = (("kind", batch.kind, batch.kind_names, 0), ("actor", batch.actor, batch.actor_names, 0),
                 ("author", batch.author, [*batch.author_names, ""], -1))  # author -1: the last name, ""
        mapped = []
        for name, values, names, lowest in coded:
            mapping = np.array([index[name][value] for value in names] or [0], dtype=np.int32)
            values = np.asarray(values)
            if len(values) != n or values.min() < lowest or values.max() >= len(names):
                raise ValueError(f"the {name} codes of a column batch do not fit its names")
            mapped.append((name, values, mapping))
        chars = (np.fromiter(map(len, batch.text), dtype=np.int64, count=n) if batch.text_chars is None
                 else batch.text_chars)
        if any(len(column) != n for column in (batch.timestamp, batch.text, chars, batch.media_count, batch.media_bytes)):
            raise ValueError("the columns of a column batch differ in length")
        # straight from the arrays' buffers (no bytes copy of each column at the peak)
        for name, values, mapping in mapped:
            codes[name].frombytes(_raw(mapping[values], np.int32))
        for name, value in (("platform", platform), ("category", batch.category), ("counterpart", batch.counterpart),
                            ("exposure", exposure), ("source_file", source_file)):
            codes[name].extend(array("i", [index[name][value]]) * n)
        numbers["timestamp"].frombytes(_raw(batch.timestamp, np.float64))
        numbers["text_chars"].frombytes(_raw(chars, np.int64))
        numbers["media_count"].frombytes(_raw(batch.media_count, np.int64))
        numbers["media_bytes"].frombytes(_raw(batch.media_bytes, np.int64))
        self._text.extend(batch.text)

    def _settle(self) -> None:
        """Fill in the counterparts that were not known when their rows were added."""
        codes, index = self._codes["counterpart"], self._index["counterpart"]
        for start, end, later in self._later:
            if later.value is None:
                raise RuntimeError("a reader left a counterpart unset")
            codes[start:end] = array("i", [index[later.value]]) * (end - start)
        self._later.clear()

    def columns(self) -> dict[str, Any]:
        """The collected rows, compact (what a worker process sends back): per coded column its
        codes and its values in code order, the number arrays, and the texts."""
        self._settle()
        columns: dict[str, Any] = {name: (self._codes[name], list(self._index[name])) for name in CODED_COLUMNS}
        columns.update(self._numbers)
        columns["text"] = self._text
        return columns

    def extend_columns(self, columns: dict[str, Any]) -> None:
        """Append rows collected by another builder (`columns()` of a worker's member), in its order."""
        lengths = {len(columns["text"])} | {len(columns[name]) for name in NUMERIC_COLUMNS}
        lengths |= {len(columns[name][0]) for name in CODED_COLUMNS}
        if len(lengths) > 1:
            raise ValueError("columns of different lengths")
        for name in CODED_COLUMNS:
            codes, values = columns[name]
            index = self._index[name]
            mapping = np.array([index[value] for value in values] or [0], dtype=np.int32)
            self._codes[name].frombytes(mapping[np.frombuffer(codes, dtype=np.int32)].tobytes())
        for name, values in self._numbers.items():
            values.extend(columns[name])
        self._text.extend(columns["text"])

    def truncate(self, n: int) -> None:
        """Keep the first `n` rows only (a member cancelled half-way: its partial rows go)."""
        for values in self._stores:
            del values[n:]
        self._later = [(start, min(end, n), later) for start, end, later in self._later if start < n]

    def frame(self, *, release: bool = False) -> pd.DataFrame:
        """The items frame, built column by column.

        Categoricals come straight from the codes and numbers from their arrays (vectorised, no
        per-row work). The string columns are built in steps of FRAME_STEP rows: pandas holds the
        GIL for the whole of one conversion, which froze the GUI thread for 126 ms per million rows
        in one call (74 ms in steps of 50,000, which was also faster).
        With `release` (the scan's one call) each column's store is emptied as soon as its column
        is built, so the peak holds the rows or the frame, not both whole.
        """
        self._settle()
        joined = {}
        for name in ITEM_COLUMNS:
            if name in NUMERIC_COLUMNS:
                store = self._numbers[name]
                numbers = np.array(store, dtype="float64" if name == "timestamp" else "int64")
                joined[name] = seconds_to_utc(numbers) if name == "timestamp" else pd.Series(numbers)
            elif name == "text":
                store = self._text
                joined[name] = _stepped(name, store)
            else:
                store = self._codes[name]
                joined[name] = _decoded(name, np.array(store, dtype=np.int32), list(self._index[name]))
            if release:
                del store[:]
        return pd.DataFrame(joined, columns=list(ITEM_COLUMNS))


def _raw(values: Any, dtype) -> memoryview:
    """The bytes of an array in `dtype` (no copy when it is one already), for array.frombytes."""
    return memoryview(np.ascontiguousarray(values, dtype=dtype)).cast("B")


def _stepped(name: str, values: list[Any]) -> pd.Series:
    """A string column from its row values, converted FRAME_STEP rows at a time (see frame)."""
    parts = [_column(name, values[start:start + FRAME_STEP]) for start in range(0, len(values), FRAME_STEP)]
    if not parts:
        return _column(name, [])
    return parts[0] if len(parts) == 1 else pd.concat(parts, ignore_index=True)


def _decoded(name: str, codes: np.ndarray, values: list[str]) -> pd.Series:
    """A coded column in the contract's dtype: a fixed categorical (values outside it are missing,
    as pandas makes them), a categorical of the values present (sorted, as pandas infers them) or a
    string column."""
    dtype = ITEM_DTYPES[name]
    if isinstance(dtype, pd.CategoricalDtype):
        known = {value: code for code, value in enumerate(dtype.categories)}
        mapping = np.array([known.get(value, -1) for value in values] or [0], dtype=np.int32)
        return pd.Series(pd.Categorical.from_codes(mapping[codes], dtype=dtype))
    if dtype == "category":
        present = np.zeros(len(values), dtype=bool)
        present[codes] = True
        kept = sorted(value for value, used in zip(values, present) if used)
        position = {value: code for code, value in enumerate(kept)}
        mapping = np.array([position.get(value, -1) for value in values] or [0], dtype=np.int32)
        return pd.Series(pd.Categorical.from_codes(mapping[codes], categories=kept))
    table = np.array(values + [""], dtype=object)
    return _stepped(name, table[codes])


def _column(name: str, values: Any) -> pd.Series:
    """One column of the items frame from its row values, in the contract's dtype."""
    if name == "timestamp":
        return seconds_to_utc(values)
    return pd.Series(values, dtype=ITEM_DTYPES[name])


def _text(value: Any, what: str) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    raise TypeError(f"{what} is {type(value).__name__}, not text")


def _count(value: Any, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{what} is {type(value).__name__}, not a whole number")
    return int(value)


def _stamp(value: Any) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"timestamp is {type(value).__name__}, not a number")
    return float(value)


def _checked_item(item: Item) -> tuple:
    """(category, kind, stamp, actor, author, counterpart, text, len(text), count, size) of an Item,
    or TypeError: the values every row of the frame must have.

    The common case (every value of its type) costs one `type() is` test per field; only a value
    of another type goes through the converters, which turn None into "" and raise on the rest.
    """
    category, kind, stamp, actor, counterpart, text, count, size, author = item
    if type(category) is not str or type(kind) is not str or type(actor) is not str:
        category, kind, actor = _text(category, "category"), _text(kind, "kind"), _text(actor, "actor")
    if type(text) is not str:
        text = _text(text, "text")
    if type(counterpart) is not str:
        counterpart = _text(counterpart, "counterpart")
    if type(author) is not str:
        author = _text(author, "author")
    if stamp is not None and type(stamp) is not float:
        stamp = _stamp(stamp)
    if type(count) is not int or type(size) is not int:
        count, size = _count(count, "media count"), _count(size, "media bytes")
    return category, kind, stamp, actor, author, counterpart, text, len(text), count, size


def _checked_row(platform: str, item: Item, source_file: str, exposure: str) -> tuple:
    """One row in ITEM_COLUMNS order, or TypeError before anything is appended."""
    category, kind, stamp, actor, author, counterpart, text, chars, count, size = _checked_item(item)
    return (platform, category, kind, _NAN if stamp is None else stamp, actor, author, counterpart, text, chars,
            count, size, exposure, source_file)


def empty_items() -> pd.DataFrame:
    return ItemsBuilder().frame()


def files_frame(rows: list[tuple]) -> pd.DataFrame:
    """rows: tuples in FILE_COLUMNS order."""
    frame = pd.DataFrame.from_records(rows, columns=list(FILE_COLUMNS))
    return frame.astype(FILE_DTYPES)


def problems_frame(problems: Iterable[Problem]) -> pd.DataFrame:
    rows = [(p.file, p.kind, p.message) for p in problems]
    return pd.DataFrame.from_records(rows, columns=list(PROBLEM_COLUMNS)).astype("string")
