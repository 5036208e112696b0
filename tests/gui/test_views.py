"""Qt-free view logic: filters, chart aggregations and merging, checked against plain pandas."""
from __future__ import annotations

import numpy as np
import pandas as pd

from app.views import ItemFilter, counts_by, filter_mask, human_bytes, monthly
from frames import synthetic_items


def test_filter_mask_matches_pandas_for_each_field():
    items = synthetic_items(5000, seed=3)
    spec = ItemFilter(platforms=frozenset({"facebook"}), categories=frozenset({"posts", "comments"}),
                      exposures=frozenset({"unclear"}))
    expected = ((items["platform"] == "facebook") & items["category"].isin(["posts", "comments"])
                & (items["exposure"] == "unclear")).to_numpy()
    assert np.array_equal(filter_mask(items, spec), expected)
    assert expected.sum() > 0


def test_filter_mask_dates_are_half_open_and_skip_undated():
    items = synthetic_items(5000, seed=4)
    start, end = pd.Timestamp("2019-01-01", tz="UTC"), pd.Timestamp("2020-01-01", tz="UTC")
    mask = filter_mask(items, ItemFilter(start=start, end=end))
    expected = ((items["timestamp"] >= start) & (items["timestamp"] < end)).fillna(False).to_numpy()
    assert np.array_equal(mask, expected)
    assert not mask[items["timestamp"].isna().to_numpy()].any()


def test_text_search_is_case_insensitive_over_text_and_counterpart():
    items = synthetic_items(3000, seed=5)
    mask = filter_mask(items, ItemFilter(text="CAFÉ"))
    expected = (items["text"].str.lower().str.contains("café", regex=False)
                | items["counterpart"].str.lower().str.contains("café", regex=False)).to_numpy()
    assert np.array_equal(mask, expected) and expected.sum() > 0
    person = filter_mask(items, ItemFilter(text="person 17", platforms=frozenset({"whatsapp"})))
    assert np.array_equal(person, ((items["counterpart"].str.lower().str.contains("person 17", regex=False))
                                   & (items["platform"] == "whatsapp")).to_numpy())


def test_empty_filter_keeps_everything_and_unknown_values_keep_nothing():
    items = synthetic_items(100)
    assert filter_mask(items, ItemFilter()).all()
    assert not filter_mask(items, ItemFilter(categories=frozenset({"not-a-category"}))).any()


def test_counts_by_and_monthly_agree_with_groupby():
    items = synthetic_items(4000, seed=6)
    table = counts_by(items, "category", "platform")
    expected = items.groupby(["category", "platform"], observed=True).size().unstack(fill_value=0)
    assert table.loc[expected.index, expected.columns].equals(expected.astype(table.dtypes.iloc[0]))
    months = monthly(items, "exposure")
    dated = items.dropna(subset=["timestamp"])
    assert int(months.to_numpy().sum()) == len(dated)
    key = dated["timestamp"].dt.tz_localize(None).dt.to_period("M").dt.to_timestamp()
    expected_months = dated.groupby([key, "exposure"], observed=True).size().unstack(fill_value=0)
    assert (months.loc[expected_months.index, expected_months.columns].to_numpy()
            == expected_months.to_numpy()).all()


def test_human_bytes():
    assert human_bytes(0) == "0 bytes"
    assert human_bytes(1536) == "1.5 KB"
    assert human_bytes(761_000_000) == "761.0 MB"


def test_text_index_search_equals_str_contains():
    from app.views import TextIndex

    items = synthetic_items(4000, seed=8)
    items.loc[5, "text"] = "Ünïcode BEACH at the end"
    items.loc[6, "text"] = pd.NA
    index = TextIndex(items)
    for needle in ("beach", "BEACH", "café", "person 1", "=sum", "🙂", "zzz-not-there", "at the end"):
        indexed = filter_mask(items, ItemFilter(text=needle), text_index=index)
        plain = filter_mask(items, ItemFilter(text=needle))
        assert np.array_equal(indexed, plain), needle
    assert filter_mask(items, ItemFilter(text="ünïcode"), text_index=index)[5]


def test_monthly_with_a_mask_equals_monthly_of_the_subset():
    items = synthetic_items(3000, seed=9)
    mask = (items["platform"] == "instagram").to_numpy()
    subset = monthly(items[mask], "category")
    masked = monthly(items, "category", mask)
    assert int(masked.to_numpy().sum()) == int(subset.to_numpy().sum()) == int(items[mask]["timestamp"].notna().sum())
    assert masked.loc[:, subset.columns].loc[subset.index].equals(subset)


def test_text_index_in_small_chunks_and_coded_columns_equals_str_contains():
    """Chunk edges, coded (few distinct) columns, missing values and a value holding the separator."""
    from app.views import TextIndex

    items = synthetic_items(3000, seed=11)
    items["text"] = items["text"].astype("string")
    items.loc[0, "text"] = "beach\x00café"  # the index's own separator inside a value
    items.loc[7, "text"] = pd.NA
    items.loc[8, "author"] = "Zoë Ünal"
    items.loc[6, "counterpart"] = None
    for chunk in (7, 1000, 5000):
        index = TextIndex(items, chunk=chunk)
        assert index.complete and index._coded, "author and counterpart have few distinct values"
        for needle in ("beach", "café", "cafe", "zoe unal", "beachcafe", "e b", "person 1", "zzz-not-there"):
            indexed = filter_mask(items, ItemFilter(text=needle), text_index=index)
            plain = filter_mask(items, ItemFilter(text=needle))
            assert np.array_equal(indexed, plain), (chunk, needle)
        assert filter_mask(items, ItemFilter(text="zoe"), text_index=index)[8]


def test_text_index_build_stops_when_cancelled():
    from app.views import TextIndex

    items = synthetic_items(3000, seed=12)
    calls = []
    index = TextIndex(items, chunk=100, cancelled=lambda: calls.append(1) or len(calls) > 3)
    assert not index.complete and len(calls) == 4


def test_accent_folding_of_long_texts_equals_the_short_path():
    import unicodedata

    from app.views import _LONG, _MARKS, _without_marks

    text = unicodedata.normalize("NFKD", ("Ünïcode café naïve Zoë ṩ 🙂 " * (_LONG // 10)).lower()) + "x\u0301"
    assert len(text) >= _LONG
    assert _without_marks(text) == _MARKS.sub("", text)
    assert _without_marks("plain " * _LONG) == "plain " * _LONG
