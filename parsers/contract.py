"""The data contract of DESIGN.md in code: taxonomy, exposure levels and frame schemas.

Everything that builds or reads the items, files and problems frames goes through this module,
so a column name or dtype is decided in one place only.
"""
from __future__ import annotations

import numbers
from dataclasses import dataclass, field
from typing import Any, Iterable, NamedTuple

import numpy as np
import pandas as pd
from pandas.api.types import union_categoricals

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


@dataclass
class ItemBatch:
    """Many items of one member given column-wise, for readers that work on whole columns (a
    million-message WhatsApp chat): the builder stores the arrays and adds no per-row objects.

    `kind`, `actor` and `author` are codes into their `*_names` lists (-1 in `author` = none);
    `timestamp` is float64 epoch seconds with NaN for unknown; `text` an object array of str.
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
    text: np.ndarray
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
                self.text.tolist(), self.media_count.tolist(), self.media_bytes.tolist()):
            yield Item(self.category, self.kind_names[kind], None if stamp != stamp else stamp,
                       self.actor_names[actor], self.counterpart, text, count, size, authors[author])

    def frame(self, platform: str, source_file: str, exposure: str = "unclear") -> pd.DataFrame:
        """The batch as rows of the items frame (the contract's dtypes)."""
        return pd.DataFrame(self.series(platform, source_file, exposure), columns=list(ITEM_COLUMNS))

    def series(self, platform: str, source_file: str, exposure: str = "unclear") -> dict[str, pd.Series]:
        """The items frame's columns for the batch, built from the arrays (no per-row objects)."""
        n = len(self)

        def constant(name: str, value: str) -> pd.Series:
            dtype = ITEM_DTYPES[name]
            categories = list(dtype.categories) if isinstance(dtype, pd.CategoricalDtype) else [value]
            codes = np.full(n, categories.index(value), dtype=np.int8)
            return pd.Series(pd.Categorical.from_codes(codes, dtype=pd.CategoricalDtype(categories)))

        def coded(codes: np.ndarray, names: list[str], dtype: Any) -> pd.Series:
            if isinstance(dtype, pd.CategoricalDtype):  # fixed categories: remap the codes onto them
                where = np.array([list(dtype.categories).index(name) for name in names], dtype=np.int8)
                return pd.Series(pd.Categorical.from_codes(where[codes], dtype=dtype))
            return pd.Series(pd.Categorical.from_codes(codes, categories=names))

        text = pd.array(self.text, dtype="string")
        authors = pd.array(self.author_names + [""], dtype="string").take(self.author)  # -1: the ""
        stamps = np.asarray(self.timestamp, dtype="float64")
        bad = ~(np.abs(stamps) < 9.2e9)  # NaN, or outside datetime64[ns]: unknown, as seconds_to_utc
        nanos = np.where(bad, 0, stamps * 1e9).astype("int64")
        nanos[bad] = np.iinfo("int64").min  # NaT
        columns = {
            "platform": constant("platform", platform),
            "category": constant("category", self.category),
            "kind": coded(self.kind, self.kind_names, "category"),
            "timestamp": pd.Series(nanos.view("datetime64[ns]")).dt.tz_localize("UTC"),
            "actor": coded(self.actor, self.actor_names, ITEM_DTYPES["actor"]),
            "author": pd.Series(authors),
            "counterpart": pd.Series(pd.array([self.counterpart], dtype="string").take(np.zeros(n, dtype=np.intp))),
            "text": pd.Series(text),
            "text_chars": pd.Series(np.fromiter(map(len, self.text), dtype=np.int64, count=n)
                                    if self.text_chars is None else self.text_chars.astype(np.int64, copy=False)),
            "media_count": pd.Series(self.media_count.astype(np.int64, copy=False)),
            "media_bytes": pd.Series(self.media_bytes.astype(np.int64, copy=False)),
            "exposure": constant("exposure", exposure),
            "source_file": constant("source_file", source_file),
        }
        return columns


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
    numbers = pd.to_numeric(pd.Series(list(values), dtype="float64"), errors="coerce")
    numbers = numbers.where(numbers.abs() < 9.2e9)  # outside datetime64[ns] (1677-2262): unknown, not a crash
    return pd.to_datetime(numbers * 1e9, unit="ns", utc=True).astype("datetime64[ns, UTC]")


#: Rows converted per step by ItemsBuilder.frame (see there).
FRAME_STEP = 50_000


class ItemsBuilder:
    """Collects item rows column-wise and builds the items frame in one go.

    Rows are appended to plain lists (cheap), never to a frame; `frame()` converts once.
    """

    def __init__(self) -> None:
        self._columns: dict[str, list[Any]] = {name: [] for name in ITEM_COLUMNS}
        self._column_lists = [self._columns[name] for name in ITEM_COLUMNS]
        self._appenders = [values.append for values in self._column_lists]
        #: (row lists' length when added, platform, source_file, batch): rows given column-wise
        self._batches: list[tuple[int, str, str, ItemBatch]] = []

    def __len__(self) -> int:
        return len(self._columns["category"]) + sum(len(b[3]) for b in self._batches)

    def add_batch(self, platform: str, batch: ItemBatch, source_file: str) -> None:
        """Append a member's rows given column-wise (kept as arrays until `frame()`)."""
        self._batches.append((len(self._columns["category"]), platform, source_file, batch))

    def add(self, platform: str, item: Item, source_file: str, exposure: str = "unclear") -> None:
        """Append one row, all columns or none.

        The values are checked and converted before any list is touched, so an item built from a
        JSON value of the wrong type (a number where a string belongs) raises here and leaves the
        columns the same length: the runner then fails that member only.
        """
        row = _checked_row(platform, item, source_file, exposure)
        for append, value in zip(self._appenders, row):
            append(value)

    def columns(self) -> dict[str, Any]:
        """The collected rows as plain column lists (what a worker process sends back); batches
        given column-wise travel as they are, under "_batches"."""
        if not self._batches:
            return self._columns
        return {**self._columns, "_batches": list(self._batches)}

    def extend_columns(self, columns: dict[str, Any]) -> None:
        """Append rows collected by another builder (a worker's member), in its order."""
        batches = columns.get("_batches", ())
        if len({len(columns[name]) for name in ITEM_COLUMNS}) > 1:
            raise ValueError("columns of different lengths")
        start = len(self._columns["category"])
        self._batches.extend((start + at, platform, source, batch) for at, platform, source, batch in batches)
        for name, values in zip(ITEM_COLUMNS, self._column_lists):
            values.extend(columns[name])

    def truncate(self, n: int) -> None:
        """Keep the first `n` rows only (a member cancelled half-way: its partial rows go)."""
        kept, rows = [], 0
        for entry in self._batches:
            at, batch = entry[0], entry[3]
            if at + rows + len(batch) > n:
                break
            kept.append(entry)
            rows += len(batch)
        self._batches = kept
        for values in self._columns.values():
            del values[n - rows:]

    def frame(self, *, release: bool = False) -> pd.DataFrame:
        """The items frame, built column by column, each in steps of FRAME_STEP rows.

        pandas holds the GIL for the whole of one conversion, which freezes the GUI thread while the
        scan worker builds the frame: for 1,000,000 rows the longest freeze measured 126 ms in one
        call and 74 ms in steps of 50,000 (which is also faster: 0.80 s against 1.09 s).
        With `release` (the scan's one call) each column's row list is emptied as soon as its
        column is built, so the peak holds the lists or the frame, not both whole.
        """
        total = len(self._columns["category"])
        batches, self._batches = self._batches, ([] if release else self._batches)
        cuts = [at for at, *_ in batches]
        batch_frames = [batch.series(platform, source) for _at, platform, source, batch in batches]
        del batches
        joined = {}
        for name in ITEM_COLUMNS:
            values = self._columns[name]
            steps = _steps(total, cuts)
            parts = [_column(name, values[start:end]) for start, end in steps]
            if release:
                values.clear()
            if batch_frames:  # rows and batches in the order they were added
                frames = [frame.pop(name) for frame in batch_frames]
                ordered, before = [], 0
                for (start, end), part in zip(steps, parts):
                    while before < len(cuts) and cuts[before] <= start:
                        ordered.append(frames[before])
                        before += 1
                    ordered.append(part)
                ordered.extend(frames[before:])
                parts = [p for p in ordered if len(p)] or ordered[:1]
            if not parts:
                joined[name] = _column(name, [])
            elif len(parts) == 1:
                joined[name] = parts[0].reset_index(drop=True)
            elif isinstance(parts[0].dtype, pd.CategoricalDtype):  # categories may differ per piece: union
                joined[name] = pd.Series(union_categoricals(parts, ignore_order=True)).astype(
                    ITEM_DTYPES[name] if isinstance(ITEM_DTYPES[name], pd.CategoricalDtype) else "category")
            else:
                joined[name] = pd.concat(parts, ignore_index=True)
        return pd.DataFrame(joined, columns=list(ITEM_COLUMNS))


def _steps(total: int, cuts: list[int]) -> list[tuple[int, int]]:
    """(start, end) of the row-list pieces converted at once: FRAME_STEP rows, split where a batch sits."""
    bounds = sorted({0, total, *range(0, total, FRAME_STEP), *(c for c in cuts if 0 < c < total)})
    return [(a, b) for a, b in zip(bounds, bounds[1:])]


def _column(name: str, values: list[Any]) -> pd.Series:
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


def _checked_row(platform: str, item: Item, source_file: str, exposure: str) -> tuple:
    """One row in ITEM_COLUMNS order, or TypeError before anything is appended.

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
    return (platform, category, kind, stamp, actor, author, counterpart, text, len(text), count, size, exposure,
            source_file)


def empty_items() -> pd.DataFrame:
    return ItemsBuilder().frame()


def files_frame(rows: list[tuple]) -> pd.DataFrame:
    """rows: tuples in FILE_COLUMNS order."""
    frame = pd.DataFrame.from_records(rows, columns=list(FILE_COLUMNS))
    return frame.astype(FILE_DTYPES)


def problems_frame(problems: Iterable[Problem]) -> pd.DataFrame:
    rows = [(p.file, p.kind, p.message) for p in problems]
    return pd.DataFrame.from_records(rows, columns=list(PROBLEM_COLUMNS)).astype("string")
