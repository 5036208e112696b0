"""Summaries of an audit that the GUI, the CLI and the CSV export share.

Every function takes the contract frames (items, files) and returns a small pandas frame or a
dict, computed with groupby over the categorical columns, so they stay fast at a million items.
Dates are tz-aware UTC Timestamps (NaT when no item in the group has a date).

API (all pure, no Qt):
    by_category(items, files=None)           platform x category, with the most exposed level
    by_category_exposure(items)              platform x category x exposure level (inventory rows)
    by_exposure(items)                       one row per exposure level, all five levels
    timeline(items, by="category", platform=None, freq="month")   item counts per month (or year)
    top_counterparts(items, n=10, platform=None, category=None)
    files_by_status(files, by_platform=False)
    headline(audit)                          the Overview's numbers as a dict
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from .contract import CATEGORY_LABELS, EXPOSURE_LABELS, EXPOSURE_LEVELS, EXPOSURE_SHORT, FILE_STATUSES

if TYPE_CHECKING:
    from .scan import Audit

_MEASURES = dict(
    items=("kind", "size"),
    first=("timestamp", "min"),
    last=("timestamp", "max"),
    text_chars=("text_chars", "sum"),
    media_count=("media_count", "sum"),
    media_bytes=("media_bytes", "sum"),
    files=("source_file", "nunique"),
)
_COUNTS = ["items", "text_chars", "media_count", "media_bytes", "files"]


def _exposure_codes(items: pd.DataFrame) -> np.ndarray:
    """Exposure as integer codes in EXPOSURE_LEVELS order (0 = most exposed), whatever the dtype."""
    return pd.Categorical(items["exposure"].astype("object"), categories=list(EXPOSURE_LEVELS)).codes


def _aggregate(items: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    grouped = items.groupby(keys, observed=True, sort=True)
    out = grouped.agg(**_MEASURES)
    out[_COUNTS] = out[_COUNTS].astype("int64")
    return out


def by_category_exposure(items: pd.DataFrame) -> pd.DataFrame:
    """One row per platform x category x exposure level that has items (the CSV inventory's rows)."""
    out = _aggregate(items, ["platform", "category", "exposure"]).reset_index()
    out["category_label"] = out["category"].astype("object").map(CATEGORY_LABELS)
    out["exposure_label"] = out["exposure"].astype("object").map(EXPOSURE_LABELS)
    columns = ["platform", "category", "category_label", "exposure", "exposure_label", *(_MEASURES)]
    return out[columns]


def by_category(items: pd.DataFrame, files: pd.DataFrame | None = None) -> pd.DataFrame:
    """Platform x category: items, first/last date, text characters, media count and bytes, files, exposure.

    `exposure` is the most exposed level among the category's items and `mixed_exposure` says
    whether its items have more than one level (see by_category_exposure for the split).
    `files` counts the member files that yielded items; with the files frame given, categories
    whose files were parsed but held no items are listed too, with 0 items.
    """
    out = _aggregate(items, ["platform", "category"])
    codes = pd.Series(_exposure_codes(items), index=items.index)
    keys = [items["platform"], items["category"]]
    exposure_codes = codes.groupby(keys, observed=True, sort=True).agg(["min", "nunique"])
    out["exposure"] = np.asarray(EXPOSURE_LEVELS, dtype=object)[exposure_codes["min"].clip(lower=0).to_numpy()]
    out["mixed_exposure"] = exposure_codes["nunique"].to_numpy() > 1
    out = out.reset_index()
    for column in ("platform", "category"):
        out[column] = out[column].astype("object")
    if files is not None and len(files):
        out = _add_empty_categories(out, files)
    out.insert(2, "label", out["category"].map(CATEGORY_LABELS).fillna(out["category"]))
    return out.reset_index(drop=True)


def _add_empty_categories(out: pd.DataFrame, files: pd.DataFrame) -> pd.DataFrame:
    parsed = files[(files["status"] == "parsed") & files["category"].notna() & files["platform"].notna()]
    counts = parsed.groupby([parsed["platform"].astype("object"), parsed["category"].astype("object")]).size()
    present = set(zip(out["platform"], out["category"]))
    rows = [{"platform": p, "category": c, "items": 0, "first": pd.NaT, "last": pd.NaT, "text_chars": 0,
             "media_count": 0, "media_bytes": 0, "files": int(n), "exposure": None, "mixed_exposure": False}
            for (p, c), n in counts.items() if (p, c) not in present]
    if not rows:
        return out
    extra = pd.DataFrame(rows)
    for column in ("first", "last"):
        extra[column] = pd.Series(pd.NaT, index=extra.index, dtype=out[column].dtype)
    from .exposure import classify  # the level the rule table gives this category

    probe = pd.DataFrame({"platform": extra["platform"], "category": extra["category"], "kind": "",
                          "timestamp": pd.Series(pd.NaT, index=extra.index, dtype=out["first"].dtype)})
    extra["exposure"] = classify(probe)["exposure"].to_numpy()
    return pd.concat([out, extra], ignore_index=True)


def by_exposure(items: pd.DataFrame) -> pd.DataFrame:
    """All five exposure levels (zero rows included), with share of items, dates, bytes and text."""
    codes = pd.Series(_exposure_codes(items), index=items.index)
    grouped = items.assign(_code=codes).groupby("_code", sort=True)
    out = grouped.agg(items=("kind", "size"), first=("timestamp", "min"), last=("timestamp", "max"),
                      media_bytes=("media_bytes", "sum"), text_chars=("text_chars", "sum"))
    out = out.reindex(range(len(EXPOSURE_LEVELS)))
    out[["items", "media_bytes", "text_chars"]] = out[["items", "media_bytes", "text_chars"]].fillna(0).astype("int64")
    out.insert(0, "exposure", list(EXPOSURE_LEVELS))
    out.insert(1, "short", [EXPOSURE_SHORT[level] for level in EXPOSURE_LEVELS])
    out.insert(2, "label", [EXPOSURE_LABELS[level] for level in EXPOSURE_LEVELS])
    total = int(out["items"].sum())
    out["share"] = out["items"] / total if total else 0.0
    return out.reset_index(drop=True)


def timeline(items: pd.DataFrame, by: str = "category", platform: str | None = None,
             freq: str = "month") -> pd.DataFrame:
    """Item counts per month (or year): rows are period starts (UTC), columns the values of `by`.

    Every period between the first and last dated item is present (zeros included), so a chart
    shows gaps honestly. Items without a date are left out; `frame.attrs["undated"]` counts them.
    """
    if by not in ("category", "exposure", "platform", "kind"):
        raise ValueError(f"timeline by {by!r}: use category, exposure, platform or kind")
    if freq not in ("month", "year"):
        raise ValueError(f"timeline freq {freq!r}: use month or year")
    frame = items if platform is None else items[items["platform"] == platform]
    stamps = frame["timestamp"]
    dated = stamps.notna()
    years = stamps[dated].dt.year.to_numpy()
    period = years * 12 + stamps[dated].dt.month.to_numpy() - 1 if freq == "month" else years
    values = frame.loc[dated, by]
    counts = pd.Series(1, index=values.index).groupby([period, values.to_numpy()], observed=True).sum()
    table = counts.unstack(fill_value=0) if len(counts) else pd.DataFrame()
    order = _column_order(by, frame)
    table = table.reindex(columns=[c for c in order if c in table.columns] or list(table.columns))
    if len(table):
        table = table.reindex(range(int(table.index.min()), int(table.index.max()) + 1), fill_value=0)
    starts = _period_starts(table.index.to_numpy(dtype="int64"), freq)
    table.index = starts
    table.index.name = freq
    table.columns.name = by
    table = table.astype("int64")
    table.attrs["undated"] = int((~dated).sum())
    return table


def _column_order(by: str, frame: pd.DataFrame) -> list[Any]:
    if by == "category":
        return list(CATEGORY_LABELS)
    if by == "exposure":
        return list(EXPOSURE_LEVELS)
    column = frame[by]
    return list(column.cat.categories) if isinstance(column.dtype, pd.CategoricalDtype) else sorted(column.unique())


def _period_starts(periods: np.ndarray, freq: str) -> pd.DatetimeIndex:
    if freq == "month":
        years, months = periods // 12, periods % 12 + 1
    else:
        years, months = periods, np.ones_like(periods)
    parts = pd.DataFrame({"year": years, "month": months, "day": 1})
    return pd.DatetimeIndex(pd.to_datetime(parts, utc=True) if len(parts) else [], tz="UTC")


def top_counterparts(items: pd.DataFrame, n: int = 10, platform: str | None = None,
                     category: str | None = None) -> pd.DataFrame:
    """The people, chats and threads with the most items: counterpart, items, sent by you, first, last."""
    frame = items
    if platform is not None:
        frame = frame[frame["platform"] == platform]
    if category is not None:
        frame = frame[frame["category"] == category]
    named = frame["counterpart"].fillna("").astype(str)
    frame = frame[named.str.len().to_numpy() > 0]
    if frame.empty:
        return pd.DataFrame(columns=["counterpart", "platform", "items", "sent", "first", "last"])
    sent = (frame["actor"] == "self").astype("int64")
    frame = frame.assign(_sent=sent, counterpart=frame["counterpart"].astype("category"))
    grouped = frame.groupby("counterpart", observed=True)
    out = grouped.agg(items=("kind", "size"), sent=("_sent", "sum"), first=("timestamp", "min"),
                      last=("timestamp", "max"))
    out = out.sort_values(["items", "last"], ascending=[False, False]).head(n)
    top = frame[frame["counterpart"].isin(out.index)]
    per_platform = top.groupby(["counterpart", "platform"], observed=True).size().sort_values(ascending=False)
    main_platform = per_platform.reset_index().drop_duplicates("counterpart").set_index("counterpart")["platform"]
    out.insert(0, "platform", main_platform.reindex(out.index).astype("object").to_numpy())
    out = out.reset_index()
    out["counterpart"] = out["counterpart"].astype("object")
    out["items"] = out["items"].astype("int64")
    out["sent"] = out["sent"].astype("int64")
    return out


def files_by_status(files: pd.DataFrame, by_platform: bool = False) -> pd.DataFrame:
    """Files and bytes per status (parsed, ignored, unknown, failed), zero rows included."""
    status = pd.Categorical(files["status"].astype("object"), categories=list(FILE_STATUSES))
    frame = files.assign(status=status)
    keys = (["platform", "status"] if by_platform else ["status"])
    if by_platform:
        frame = frame.assign(platform=frame["platform"].astype("object").fillna("unknown"))
    out = frame.groupby(keys, observed=False, sort=True).agg(
        files=("path", "size"), bytes=("size", "sum"), compressed_bytes=("compressed_size", "sum"),
        items=("items", "sum"))
    out = out.fillna(0).astype("int64").reset_index()
    out["status"] = out["status"].astype("object")
    return out


def headline(audit: "Audit") -> dict[str, Any]:
    """The Overview's numbers: totals, span, items per exposure level, where you live and what you can do."""
    from .exposure import objection_route, resolve_jurisdiction
    from .handlers import media_mask

    items, files = audit.items, audit.files
    levels = by_exposure(items).set_index("exposure")["items"]
    jurisdiction, origin = resolve_jurisdiction(audit.accounts, audit.jurisdiction)
    stamps = items["timestamp"]
    return {
        "items": int(len(items)),
        "files": int(len(files)),
        "bytes": int(files["size"].sum()) if len(files) else 0,
        # from the files, not the items: one photo can belong to a post and an album (two items, one file)
        "media_bytes": int(files.loc[media_mask(files["path"]), "size"].sum()) if len(files) else 0,
        "platforms": sorted(items["platform"].astype("object").dropna().unique().tolist()),
        "sources": len(audit.sources),
        "first": stamps.min() if stamps.notna().any() else None,
        "last": stamps.max() if stamps.notna().any() else None,
        "exposure": {level: int(count) for level, count in levels.items()},
        "may_be_public": int(levels["training_if_public"]),
        "ai_interactions": int(levels["training_ai_interactions"]),
        "problems": int(len(audit.problems)),
        "unknown_files": int((files["status"] == "unknown").sum()) if len(files) else 0,
        "partial": bool(audit.partial),
        "jurisdiction": jurisdiction,
        "jurisdiction_source": origin,
        "objection_route": objection_route(jurisdiction),
    }
