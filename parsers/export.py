"""CSV export for desktop users: the inventory, the items and the files of an audit.

Every CSV is UTF-8 with a byte order mark (Excel then reads it as UTF-8), CRLF line ends, ISO 8601
UTC timestamps, and is written atomically (a temp file in the same folder, then os.replace), so a
reader never sees half a file and an existing file is only replaced with `force=True`.

Message text and names come from other people and may be hostile: a cell that a spreadsheet would
run as a formula (starting with = + - @, tab or carriage return) is written with a leading
apostrophe. A cell that itself starts with an apostrophe gets one more, so `read_items_csv`
restores every cell exactly. The frames in memory are never changed; only the written copy is.

With `pseudonymize=True` people's names are replaced by stable HMAC pseudonyms (parsers.pseudonym):
author and counterpart, and every known form of every person (full name, name parts, folder
slugs) inside text, kinds and member paths. The people come from parsers.people.

API:
    write_inventory_csv(audit, path, *, force=False) -> ExportResult
    write_items_csv(items, path, *, pseudonymize=False, include_text=True, force=False,
                    owner_names=(), key=None, pseudonymizer=None) -> ExportResult
    write_files_csv(files, path, *, pseudonymize=False, force=False, names=(), key=None,
                    pseudonymizer=None) -> ExportResult
    audit_names(audit) -> every person of the audit (for owner_names / names)
    read_items_csv(path) -> items frame (contract dtypes)
    inventory(audit) -> the inventory frame before writing
"""
from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import IO, TYPE_CHECKING, Callable, Iterable

import numpy as np
import pandas as pd

from .contract import FILE_COLUMNS, ITEM_COLUMNS, ITEM_DTYPES
from .people import people_in_items, people_of
from .pseudonym import KeyInfo, Pseudonymizer, load_key

if TYPE_CHECKING:
    from .scan import Audit

ENCODING = "utf-8-sig"
LINE_END = "\r\n"
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_ESCAPED_START = FORMULA_START + ("'",)

INVENTORY_COLUMNS = ("platform", "category", "category_label", "exposure", "exposure_label", "items", "first",
                     "last", "text_chars", "media_count", "media_bytes", "files", "rationale", "policy_date",
                     "source", "confidence", "actions", "rules_as_of")


@dataclass(frozen=True)
class ExportResult:
    """What was written; `notice` is the keyring notice to show when pseudonyms are session-only."""

    path: Path
    rows: int
    pseudonymized: bool = False
    notice: str | None = None


# ---- cells ----------------------------------------------------------------------------------------

def neutralise(values: pd.Series) -> pd.Series:
    """Prefix "'" to text cells a spreadsheet would run as a formula (and to cells starting with "'")."""
    if isinstance(values.dtype, pd.CategoricalDtype):
        categories = pd.Series(values.cat.categories.astype(str))
        return values.cat.rename_categories(neutralise(categories).tolist())
    strings = values.astype("string")
    risky = strings.str.startswith(_ESCAPED_START).fillna(False).to_numpy(bool)
    if not risky.any():
        return strings
    out = strings.copy()
    out[risky] = "'" + strings[risky]
    return out


def restore(values: pd.Series) -> pd.Series:
    """Undo `neutralise` on a column read back from one of our CSVs."""
    strings = values.astype("string")
    escaped = strings.str.startswith("'").fillna(False).to_numpy(bool)
    out = strings.copy()
    out[escaped] = strings[escaped].str.slice(1)
    return out


def iso_utc(stamps: pd.Series) -> pd.Series:
    """ISO 8601 UTC text: '2024-01-01T10:00:00Z', with milliseconds only where the time has them."""
    utc = stamps.dt.tz_convert("UTC") if stamps.dt.tz is not None else stamps.dt.tz_localize("UTC")
    utc = utc.dt.round("ms")
    whole = utc.dt.strftime("%Y-%m-%dT%H:%M:%SZ")
    fraction = (utc.dt.microsecond != 0).fillna(False).to_numpy(bool)
    if fraction.any():
        with_ms = utc[fraction].dt.strftime("%Y-%m-%dT%H:%M:%S.%f").str.slice(0, 23) + "Z"
        whole = whole.copy()
        whole[fraction] = with_ms
    return whole.fillna("")


def _text_columns(frame: pd.DataFrame) -> list[str]:
    return [c for c in frame.columns if isinstance(frame[c].dtype, pd.CategoricalDtype)
            or pd.api.types.is_string_dtype(frame[c]) or frame[c].dtype == object]


def _prepare(frame: pd.DataFrame) -> pd.DataFrame:
    """The copy that is written: dates as ISO text, hostile cells neutralised."""
    out = frame.copy()
    for column in out.columns:
        if isinstance(out[column].dtype, pd.DatetimeTZDtype) or pd.api.types.is_datetime64_any_dtype(out[column]):
            out[column] = iso_utc(out[column])
    for column in _text_columns(out):
        out[column] = neutralise(out[column])
    return out


def write_csv(frame: pd.DataFrame, path: str | os.PathLike, *, force: bool = False) -> Path:
    """Write `frame` (already prepared) atomically; refuse to replace an existing file unless `force`."""
    return write_atomic(path, lambda stream: frame.to_csv(stream, index=False, lineterminator=LINE_END), force=force)


def write_atomic(path: str | os.PathLike, write: Callable[[IO[str]], object], *, force: bool = False,
                 encoding: str = ENCODING) -> Path:
    """Call `write` on a temp file in the target's folder, then rename it over the target: a reader
    never sees half a file. Refuses to replace an existing file unless `force` (CSVs, the action plan)."""
    target = Path(path)
    if target.exists() and not force:
        raise FileExistsError(f"{target} already exists (use --force to replace it)")
    if not target.parent.is_dir():
        raise FileNotFoundError(f"the folder {target.parent} does not exist")
    handle, temp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding=encoding, newline="") as stream:
            write(stream)
        os.replace(temp, target)
    except BaseException:
        try:
            os.unlink(temp)
        except FileNotFoundError:
            pass
        raise
    return target


# ---- pseudonyms -----------------------------------------------------------------------------------

def make_pseudonymizer(names: Iterable[str], key: KeyInfo | None = None) -> tuple[Pseudonymizer, KeyInfo]:
    """A pseudonymizer knowing `names` (people, see parsers.people), keyed from the keyring (or `key`)."""
    info = key or load_key()
    return Pseudonymizer(info.key, names), info


def pseudonymize_items(items: pd.DataFrame, pseudonymizer: Pseudonymizer) -> pd.DataFrame:
    """A copy where author and counterpart name nobody (a person's name becomes the person's
    pseudonym; a title keeps its other words) and no known name is left in text or source_file."""
    out = items.copy()
    for column in ("author", "counterpart"):
        if column in out:
            out[column] = pseudonymizer.names_column(out[column]).fillna("")
    for column in ("text", "source_file"):
        if column in out:
            out[column] = pseudonymizer.replace(out[column])
    return out


def _pseudonymizer(pseudonymize: bool, names: Iterable[str], key: KeyInfo | None,
                   given: Pseudonymizer | None) -> tuple[Pseudonymizer | None, str | None]:
    if not pseudonymize:
        return None, None
    if given is not None:
        given.add_names(names)
        return given, key.notice if key else None
    made, info = make_pseudonymizer(names, key)
    return made, info.notice


# ---- the three CSVs ---------------------------------------------------------------------------

def write_items_csv(items: pd.DataFrame, path: str | os.PathLike, *, pseudonymize: bool = False,
                    include_text: bool = True, force: bool = False, owner_names: Iterable[str] = (),
                    key: KeyInfo | None = None, pseudonymizer: Pseudonymizer | None = None) -> ExportResult:
    """One row per item with the contract's columns (text left out when `include_text` is False).

    With `pseudonymize` the people of the frame (its authors and the people its system lines and
    notices name, parsers.people) are replaced, and so are `owner_names`: pass
    `audit_names(audit)` for everyone the audit knows (needed when `items` is a filtered view,
    and for thread participants, friends and followers, who are not in the frame's columns).
    """
    frame = items[[c for c in ITEM_COLUMNS if c in items.columns and (include_text or c != "text")]]
    names = set(owner_names) | people_in_items(items) if pseudonymize else set()
    replacer, notice = _pseudonymizer(pseudonymize, names, key, pseudonymizer)
    if replacer is not None:
        frame = pseudonymize_items(frame, replacer)
    written = write_csv(_prepare(frame), path, force=force)
    return ExportResult(written, len(frame), pseudonymize, notice)


def write_files_csv(files: pd.DataFrame, path: str | os.PathLike, *, pseudonymize: bool = False,
                    force: bool = False, names: Iterable[str] = (), key: KeyInfo | None = None,
                    pseudonymizer: Pseudonymizer | None = None) -> ExportResult:
    """Every member of the export with its status; with `pseudonymize`, the people `names` (and
    their folder slugs) leave the paths, reasons and part names."""
    frame = files[[c for c in FILE_COLUMNS if c in files.columns]].copy()
    replacer, notice = _pseudonymizer(pseudonymize, names, key, pseudonymizer)
    if replacer is not None:
        for column in ("path", "reason", "part"):
            frame[column] = replacer.replace(frame[column])
    written = write_csv(_prepare(frame), path, force=force)
    return ExportResult(written, len(frame), pseudonymize, notice)


def inventory(audit: "Audit") -> pd.DataFrame:
    """One row per platform x category x exposure level: counts, dates, bytes, files, rationale, source,
    the actions of the person's region that cover the row, and the date of the rules."""
    from .actions import action_titles, audit_region
    from .exposure import RULES_AS_OF, classify, rationale_for
    from .summaries import by_category_exposure

    items = audit.items
    rows = by_category_exposure(items)
    if rows.empty:
        return pd.DataFrame(columns=list(INVENTORY_COLUMNS))
    region = audit_region(audit)
    rules = classify(items, audit.accounts, region=region)["rule"]
    keys = ["platform", "category", "exposure"]
    pairs = items[keys].astype("object").assign(rule=rules.to_numpy()).drop_duplicates()
    details = rationale_for(pairs["rule"]).fillna("")
    pairs = pd.concat([pairs, details], axis=1)
    joined = pairs.groupby(keys, sort=False).agg(
        rationale=("rationale", lambda s: " | ".join(dict.fromkeys(v for v in s if v))),
        policy_date=("policy_date", lambda s: "; ".join(dict.fromkeys(v for v in s if v))),
        source=("source", lambda s: " ".join(dict.fromkeys(v for v in s if v))),
        confidence=("confidence", lambda s: "; ".join(dict.fromkeys(v for v in s if v))),
    ).reset_index()
    for column in keys:
        rows[column] = rows[column].astype("object")
    out = rows.merge(joined, on=keys, how="left").merge(action_titles(items, region), on=keys, how="left")
    out["actions"] = out["actions"].fillna("")
    out["rules_as_of"] = RULES_AS_OF
    return out[list(INVENTORY_COLUMNS)]


def write_inventory_csv(audit: "Audit", path: str | os.PathLike, *, force: bool = False,
                        pseudonymizer: Pseudonymizer | None = None) -> ExportResult:
    """The inventory CSV. It holds counts per category, not names; with a `pseudonymizer` its
    text columns still go through it, so no CSV of a pseudonymised export can carry a name."""
    frame = inventory(audit)
    if pseudonymizer is not None:
        for column in _text_columns(frame):
            frame[column] = pseudonymizer.replace(frame[column].astype("string").fillna(""))
    written = write_csv(_prepare(frame), path, force=force)
    return ExportResult(written, len(frame), pseudonymizer is not None)


def owner_names(audit: "Audit") -> set[str]:
    """Every owner name the export's account contexts know."""
    return {name for account in audit.accounts.values() for name in account.owner_names if name}


def audit_names(audit: "Audit") -> set[str]:
    """Every person of an audit, to pseudonymise (parsers.people.people_of)."""
    return people_of(audit)


def read_items_csv(path: str | os.PathLike) -> pd.DataFrame:
    """Read an items CSV written by `write_items_csv` back into the contract's dtypes."""
    frame = pd.read_csv(path, encoding=ENCODING, dtype=str, keep_default_na=False, na_values=[])
    for column in frame.columns:
        frame[column] = restore(frame[column]).astype("object")
    if "timestamp" in frame:
        stamps = frame["timestamp"].replace("", pd.NA)
        frame["timestamp"] = pd.to_datetime(stamps, utc=True, format="ISO8601").astype("datetime64[ns, UTC]")
    dtypes = {c: t for c, t in ITEM_DTYPES.items() if c in frame.columns}
    for column, dtype in dtypes.items():
        if dtype == "int64":
            frame[column] = frame[column].astype(np.int64)
    return frame.astype(dtypes)
