"""ItemsBuilder.add_columns: a column-wise batch appended all or none, as its rows would be."""
from __future__ import annotations

import numpy as np
import pytest

from parsers.contract import ACTORS, ColumnBatch, Item, ItemsBuilder


def batch(n: int = 3, **change) -> ColumnBatch:
    columns = dict(category="messages", kind=np.array([0, 1, 0][:n], dtype=np.int8), kind_names=["text", "media"],
                   timestamp=np.array([1.6e9, np.nan, 1.7e9][:n]), actor=np.array([1, 2, 1][:n], dtype=np.int8),
                   actor_names=list(ACTORS), author=np.array([0, -1, 1][:n], dtype=np.int32),
                   author_names=["Ann", "Bob"], counterpart="Chat", text=["hi", "<Media omitted>", "yo"][:n],
                   media_count=np.array([0, 1, 0][:n], dtype=np.int8), media_bytes=np.array([0, 5, 0][:n]),
                   text_chars=np.array([2, 15, 2][:n], dtype=np.int32))
    columns.update(change)
    return ColumnBatch(**columns)


def test_add_columns_gives_the_rows_add_would():
    by_columns, by_rows = ItemsBuilder(), ItemsBuilder()
    by_columns.add_columns("whatsapp", batch(), "chat.txt")
    for item in batch().items():
        by_rows.add("whatsapp", item, "chat.txt")
    left, right = by_columns.frame(), by_rows.frame()
    assert left.astype(object).fillna("-").values.tolist() == right.astype(object).fillna("-").values.tolist()
    assert left["author"].tolist() == ["Ann", "", "Bob"] and left["media_count"].dtype == "int64"


@pytest.mark.parametrize("change", [dict(author=np.array([0, -2, 1], dtype=np.int32)),
                                    dict(kind=np.array([0, 2, 0], dtype=np.int8)),
                                    dict(text=["a", "b"])])
def test_a_batch_that_does_not_fit_leaves_the_builder_as_it_was(change):
    builder = ItemsBuilder()
    builder.add("whatsapp", Item("messages", "text", 1.0, "other", "Chat", "before"), "chat.txt")
    with pytest.raises(ValueError):
        builder.add_columns("whatsapp", batch(**change), "chat.txt")
    frame = builder.frame()
    assert len(frame) == 1 and frame["text"].tolist() == ["before"]
