"""A QAbstractTableModel over a pandas frame (after napari's PandasModel), fast at a million rows.

The model never copies the frame. It holds the full frame plus an array of row positions (the
filtered, sorted view). Filtering is a boolean mask computed with pandas/numpy elsewhere;
sorting is an argsort per column, computed once on the full frame and cached, then narrowed to
the visible rows with one boolean index. Both end in one beginResetModel/endResetModel.
`data()` reads a single cell with `iat` and formats only that cell.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

import numpy as np
import pandas as pd
from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from .views import human_bytes

Formatter = Callable[[Any], str]


@dataclass(frozen=True)
class Column:
    key: str
    title: str
    format: Formatter | None = None
    align_right: bool = False
    tooltip: bool = False


def format_time(value: Any) -> str:
    if value is None or value is pd.NaT or (isinstance(value, float) and np.isnan(value)):
        return ""
    try:
        return pd.Timestamp(value).strftime("%Y-%m-%d %H:%M")
    except (ValueError, TypeError):
        return ""


def format_count(value: Any) -> str:
    return f"{int(value):,}" if value is not None and value == value else ""


def format_bytes(value: Any) -> str:
    return human_bytes(value) if value else ""


def format_short_text(value: Any) -> str:
    if value is None or value is pd.NA or value != value:
        return ""
    text = str(value).replace("\n", " ")
    return text if len(text) <= 140 else text[:139] + "…"


def format_label(labels: dict[str, str] | Callable[[str], str]) -> Formatter:
    """Keys shown as words: from a table, or a function of the key (app.words)."""
    lookup = labels if callable(labels) else (lambda key: labels.get(key, key))

    def fmt(value: Any) -> str:
        if value is None or value != value:
            return ""
        return lookup(str(value))

    return fmt


def _plain(value: Any) -> str:
    if value is None or value is pd.NA or value is pd.NaT:
        return ""
    if isinstance(value, float) and np.isnan(value):
        return ""
    return str(value)


class FrameTableModel(QAbstractTableModel):
    """Read-only table of `columns` of a frame, showing the rows in `self.rows` (positions)."""

    def __init__(self, columns: list[Column], parent=None) -> None:
        super().__init__(parent)
        self.columns = columns
        self.frame = pd.DataFrame({c.key: [] for c in columns})
        self.rows = np.arange(0, dtype=np.int64)
        self._mask: np.ndarray | None = None
        self._sort: tuple[int, Qt.SortOrder] | None = None
        self._orders: dict[str, np.ndarray] = {}
        self._positions = [0] * len(columns)

    # ---- feeding the model ------------------------------------------------------------------
    def set_frame(self, frame: pd.DataFrame) -> None:
        self.beginResetModel()
        self.frame = frame
        self._positions = [frame.columns.get_loc(c.key) for c in self.columns]
        self._orders = {}
        self._mask = None
        self.rows = self._compute_rows()
        self.endResetModel()

    def set_mask(self, mask: np.ndarray | None) -> None:
        """Show only the rows where `mask` is true (None shows all), keeping the current sort."""
        self.beginResetModel()
        self._mask = mask
        self.rows = self._compute_rows()
        self.endResetModel()

    @property
    def total_rows(self) -> int:
        return len(self.frame)

    def visible_frame(self) -> pd.DataFrame:
        """The rows currently shown, in display order (a new frame; for export)."""
        return self.frame.iloc[self.rows]

    def _compute_rows(self) -> np.ndarray:
        n = len(self.frame)
        if self._sort is None:
            return np.arange(n, dtype=np.int64) if self._mask is None else np.flatnonzero(self._mask)
        column, order = self._sort
        positions = self._order_for(self.columns[column].key)
        if order == Qt.SortOrder.DescendingOrder:
            positions = positions[::-1]
        return positions if self._mask is None else positions[self._mask[positions]]

    def _order_for(self, key: str) -> np.ndarray:
        """Stable ascending argsort of a whole column, cached until the frame changes."""
        cached = self._orders.get(key)
        if cached is None:
            series = self.frame[key]
            if isinstance(series.dtype, pd.CategoricalDtype):
                # sort by label, not by category order
                cats = series.cat.categories
                rank = np.empty(len(cats), dtype=np.int64)
                rank[np.argsort(np.asarray(cats.astype(str)), kind="stable")] = np.arange(len(cats))
                codes = series.cat.codes.to_numpy()
                keys = np.where(codes >= 0, rank[np.maximum(codes, 0)], -1)
                cached = np.argsort(keys, kind="stable")
            elif pd.api.types.is_datetime64_any_dtype(series.dtype):
                cached = np.argsort(series.to_numpy(dtype="datetime64[ns]").view(np.int64), kind="stable")
            elif pd.api.types.is_numeric_dtype(series.dtype):
                cached = np.argsort(series.to_numpy(), kind="stable")
            else:
                cached = series.fillna("").str.lower().argsort(kind="stable").to_numpy()
            self._orders[key] = cached.astype(np.int64)
        return self._orders[key]

    # ---- Qt interface -------------------------------------------------------------------------
    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.columns)

    def value(self, row: int, column: int) -> Any:
        return self.frame.iat[int(self.rows[row]), self._positions[column]]

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        column = self.columns[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            value = self.value(index.row(), index.column())
            return column.format(value) if column.format else _plain(value)
        if role == Qt.ItemDataRole.ToolTipRole and column.tooltip:
            value = _plain(self.value(index.row(), index.column()))
            return value[:2000] if value else None
        if role == Qt.ItemDataRole.TextAlignmentRole and column.align_right:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            return self.columns[section].title
        return str(section + 1)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self.beginResetModel()
        self._sort = (column, order) if column >= 0 else None
        self.rows = self._compute_rows()
        self.endResetModel()
