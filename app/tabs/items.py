"""Items tab: every item in a table with filters (platform, category, exposure, dates, text)."""
from __future__ import annotations

import threading
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import replace
from typing import Any

import pandas as pd
from PySide6.QtCore import QDate, QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (QCheckBox, QComboBox, QDateEdit, QHBoxLayout, QLabel, QLineEdit, QPushButton,
                               QVBoxLayout, QWidget)

from parsers.contract import CATEGORIES, CATEGORY_LABELS, EXPOSURE_LEVELS, EXPOSURE_SHORT, PLATFORMS

from ..backend import TEXT_INDEX_FROM
from ..charts import PLATFORM_LABELS
from ..item_detail import ItemDetail
from ..links import APP_SCHEME, LinkLabel
from ..models import (Column, FrameTableModel, format_bytes, format_count, format_label, format_short_text,
                      format_time)
from ..views import CATEGORY_GROUPS, ItemFilter, TextIndex, filter_mask
from ..words import ACTOR, kind_words
from .common import make_table

ITEM_COLUMNS = [
    Column("timestamp", "When (UTC)", format_time),
    Column("platform", "Platform", format_label(PLATFORM_LABELS)),
    Column("category", "Category", format_label(CATEGORY_LABELS)),
    Column("kind", "Kind", format_label(kind_words)),
    Column("actor", "By", format_label(ACTOR)),
    Column("author", "Author", tooltip=True),
    Column("counterpart", "With / where", tooltip=True),
    Column("text", "Text", format_short_text, tooltip=True),
    Column("media_count", "Media", format_count, align_right=True),
    Column("media_bytes", "Media size", format_bytes, align_right=True),
    Column("exposure", "AI training", format_label(EXPOSURE_SHORT)),
    Column("source_file", "File", tooltip=True),
]


def _done(value: TextIndex) -> Future[TextIndex]:
    """An index already built (in the scan worker), as the Future the tab keeps."""
    future: Future[TextIndex] = Future()
    future.set_result(value)
    return future


def _find(combo: QComboBox, wanted: frozenset[str]) -> int:
    """The combo entry for `wanted`: one key, or a group's keys; "all" (0) otherwise."""
    for i in range(1, combo.count()):
        data = combo.itemData(i)
        keys = frozenset(data) if isinstance(data, (tuple, list)) else frozenset([data]) if data else frozenset()
        if keys and keys == wanted:
            return i
    return 0


def _combo(all_label: str, options: list[tuple[str, str]]) -> QComboBox:
    combo = QComboBox()
    combo.addItem(all_label, None)
    for key, label in options:
        combo.addItem(label, key)
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
    return combo


class ItemsTab(QWidget):
    filter_changed = Signal(object)  # ItemFilter
    _index_built = Signal(object)  # the Future of a text index, emitted from the indexing thread

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.items = pd.DataFrame()
        self.spec = ItemFilter()
        self.model = FrameTableModel(ITEM_COLUMNS, self)
        self._indexer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="text-index")
        self._text_index: Future[TextIndex] | None = None  # built on the first search of a large frame
        self._index_built.connect(self._on_index_built)  # queued onto the GUI thread
        self._span: tuple[pd.Timestamp | None, pd.Timestamp | None] = (None, None)

        self.platform = _combo("All platforms", [(p, PLATFORM_LABELS[p]) for p in PLATFORMS])
        self.category = _combo("All categories", [(c, CATEGORY_LABELS[c]) for c in CATEGORIES])
        self.category.insertSeparator(self.category.count())
        for _key, words, members in CATEGORY_GROUPS:  # the timeline's groups (a click on a band lands here)
            if len(members) > 1:
                self.category.addItem(f"{words} (group)", members)
        self.category.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.category.setMinimumContentsLength(18)  # the long group names do not widen the window
        self.exposure = _combo("Any exposure", [(e, EXPOSURE_SHORT[e]) for e in EXPOSURE_LEVELS])
        self.use_dates = QCheckBox("From")
        self.start = QDateEdit(calendarPopup=True)
        self.end = QDateEdit(calendarPopup=True)
        for edit in (self.start, self.end):
            edit.setDisplayFormat("yyyy-MM-dd")
            edit.setEnabled(False)
            edit.dateChanged.connect(self._apply_from_widgets)
        self.start.dateChanged.connect(lambda d: self.end.setMinimumDate(d))  # an inverted range is refused
        self.end.dateChanged.connect(lambda d: self.start.setMaximumDate(d))
        self.search = QLineEdit(placeholderText="Search text, authors and who it was with…", clearButtonEnabled=True)
        self.search.setToolTip("Finds names and words in any case and with or without accents (chloe finds Chloé)")
        self.search.setAcceptDrops(False)  # a dropped export goes to the window, not into the search text
        self.clear = QPushButton("Clear filters")
        self.showing = QLabel()
        self.empty = LinkLabel(internal=lambda _target: self.clear_filters())
        self.empty.hide()

        self._debounce = QTimer(self, singleShot=True, interval=250)
        self._debounce.timeout.connect(self._apply_from_widgets)
        self.search.textChanged.connect(self._debounce.start)
        for combo in (self.platform, self.category, self.exposure):
            combo.currentIndexChanged.connect(self._apply_from_widgets)
        self.use_dates.toggled.connect(self._dates_toggled)
        self.clear.clicked.connect(self.clear_filters)

        self.view = make_table(self.model, [120, 80, 130, 140, 105, 130, 150, 280, 50, 80, 140, 200])
        self.view.doubleClicked.connect(self.show_detail)
        self.view.setTabKeyNavigation(False)  # Tab leaves the table; arrows move inside it
        self.view.installEventFilter(self)  # Enter opens the selected item
        self.detail: ItemDetail | None = None

        row1 = QHBoxLayout()
        for w in (self.platform, self.category, self.exposure, self.use_dates, self.start, QLabel("to"), self.end):
            row1.addWidget(w)
        row1.addStretch(1)
        row2 = QHBoxLayout()
        row2.addWidget(self.search, 1)
        row2.addWidget(self.clear)
        row2.addWidget(self.showing)
        layout = QVBoxLayout(self)
        layout.addLayout(row1)
        layout.addLayout(row2)
        layout.addWidget(self.empty)
        layout.addWidget(self.view, 1)
        self._update_showing()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (watched is self.view and event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent)
                and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)):
            self.show_detail(self.view.currentIndex())
            return True
        return super().eventFilter(watched, event)

    # ---- data ----------------------------------------------------------------------------------
    def set_items(self, items: pd.DataFrame, *, text_index: TextIndex | None = None,
                  span: tuple[pd.Timestamp | None, pd.Timestamp | None] | None = None) -> None:
        """Show `items`. `text_index` and `span` (first, last timestamp) are passed in when the scan
        worker computed them already; otherwise the index is built in a background thread on the
        first search and the span computed here. The same frame again (its exposure changed) keeps
        its text index and the filters; a new frame (another audit) starts with no filter."""
        same_frame = items is self.items
        self.items = items
        self.model.set_frame(items)
        if text_index is not None and text_index.rows == len(items):
            self._text_index = _done(text_index)
        elif not same_frame:
            self._drop_index()
        if span is None:
            stamps = items["timestamp"].dropna() if len(items) else pd.Series([], dtype="datetime64[ns, UTC]")
            span = (stamps.min(), stamps.max()) if len(stamps) else (None, None)
        self._span = span
        if not same_frame:
            self._reset_dates()
            self.set_filter(ItemFilter())
            return
        self._apply(self.spec)

    def _reset_dates(self) -> None:
        """The date boxes back to the audit's first and last day (no limits in between)."""
        first, last = self._span
        for edit in (self.start, self.end):
            edit.blockSignals(True)
            edit.clearMinimumDate()
            edit.clearMaximumDate()
        if first is not None and last is not None:
            self.start.setDate(QDate(first.year, first.month, first.day))
            self.end.setDate(QDate(last.year, last.month, last.day))
            self.end.setMinimumDate(self.start.date())
            self.start.setMaximumDate(self.end.date())
        for edit in (self.start, self.end):
            edit.blockSignals(False)

    def clear_filters(self) -> None:
        """Everything back to "all items": platform, category, exposure, dates, search text."""
        self._debounce.stop()
        self._reset_dates()
        self.set_filter(ItemFilter())

    def show_detail(self, index) -> ItemDetail | None:
        """The whole item in a window (non-modal, so the table stays usable)."""
        if not index.isValid():
            return None
        row = self.items.iloc[int(self.model.rows[index.row()])]
        self.detail = ItemDetail(row, self)
        self.detail.show()
        return self.detail

    def text_index_ready(self) -> bool:
        future = self._text_index
        return (future is not None and future.done() and not future.cancelled() and future.exception() is None
                and future.result().complete)

    def _drop_index(self) -> None:
        """Forget the index of the previous frame (a build still running for it stops early)."""
        if self._text_index is not None:
            self._text_index.cancel()
            stop = getattr(self._text_index, "stop", None)
            if stop is not None:
                stop.set()
        self._text_index = None

    def _index_for_search(self) -> TextIndex | None:
        """The text index when it is ready; else None, and the build starts in the indexing thread
        (plain data built off the GUI thread; the search is applied again when it is done)."""
        if len(self.items) <= TEXT_INDEX_FROM:
            return None
        if self._text_index is None:
            stop = threading.Event()
            future: Future[TextIndex] = self._indexer.submit(TextIndex, self.items, cancelled=stop.is_set)
            future.stop = stop  # type: ignore[attr-defined]
            future.add_done_callback(self._index_built.emit)
            self._text_index = future
        return self._text_index.result() if self.text_index_ready() else None

    def _on_index_built(self, future: Future) -> None:
        if future is self._text_index and self.text_index_ready() and self.spec.text:
            self._apply(self.spec)

    def visible_items(self) -> pd.DataFrame:
        return self.model.visible_frame()

    # ---- filtering -----------------------------------------------------------------------------
    def set_filter(self, spec: ItemFilter) -> None:
        """Set the widgets to `spec` (e.g. from a chart click) and apply it once."""
        widgets = (self.platform, self.category, self.exposure, self.use_dates, self.start, self.end, self.search)
        for w in widgets:
            w.blockSignals(True)
        try:
            for combo, wanted in ((self.platform, spec.platforms), (self.category, spec.categories),
                                  (self.exposure, spec.exposures)):
                combo.setCurrentIndex(_find(combo, wanted))
            has_dates = spec.start is not None or spec.end is not None
            self.use_dates.setChecked(has_dates)
            self.start.setEnabled(has_dates)
            self.end.setEnabled(has_dates)
            if has_dates:
                self.start.clearMaximumDate()
                self.end.clearMinimumDate()
            if spec.start is not None:
                self.start.setDate(QDate(spec.start.year, spec.start.month, spec.start.day))
            if spec.end is not None:
                last = pd.Timestamp(spec.end) - pd.Timedelta(days=1)
                self.end.setDate(QDate(last.year, last.month, last.day))
            self.end.setMinimumDate(self.start.date())
            self.start.setMaximumDate(self.end.date())
            self.search.setText(spec.text)
        finally:
            for w in widgets:
                w.blockSignals(False)
        self._apply(spec)

    def apply_pick(self, target: dict[str, Any]) -> None:
        """A chart click: {'platform':..., 'category':..., 'exposure':..., 'start':..., 'end':...}."""
        categories = target.get("categories") or ([target["category"]] if target.get("category") else [])
        spec = ItemFilter(
            platforms=frozenset([target["platform"]]) if target.get("platform") else frozenset(),
            categories=frozenset(categories),
            exposures=frozenset([target["exposure"]]) if target.get("exposure") else frozenset(),
            start=target.get("start"), end=target.get("end"))
        self.set_filter(spec)

    def _dates_toggled(self, on: bool) -> None:
        self.start.setEnabled(on)
        self.end.setEnabled(on)
        self._apply_from_widgets()

    def _spec_from_widgets(self) -> ItemFilter:
        def one(combo: QComboBox) -> frozenset[str]:
            data = combo.currentData()
            return frozenset(data) if isinstance(data, (tuple, list)) else frozenset([data]) if data else frozenset()

        start = end = None
        if self.use_dates.isChecked():
            s, e = self.start.date(), self.end.date()
            start = pd.Timestamp(s.year(), s.month(), s.day(), tz="UTC")
            end = pd.Timestamp(e.year(), e.month(), e.day(), tz="UTC") + pd.Timedelta(days=1)
        return ItemFilter(one(self.platform), one(self.category), one(self.exposure), start, end,
                          self.search.text().strip())

    def _apply_from_widgets(self) -> None:
        self._apply(self._spec_from_widgets())

    def _apply(self, spec: ItemFilter) -> None:
        self.spec = spec
        self._waiting_for_index = False
        if len(self.items):
            index = self._index_for_search() if spec.text else None
            if (spec.text and index is None and len(self.items) > TEXT_INDEX_FROM
                    and filter_mask(self.items, replace(spec, text="")).sum() > len(self.items) // 20):
                # the first search of a large frame: the index is being built; the rows stay as they
                # were until it is there (a search over every row here would freeze the window)
                self._waiting_for_index = True
                self.showing.setText(f"preparing the search of {len(self.items):,} items…")
                return
            self.model.set_mask(None if spec.is_empty else filter_mask(self.items, spec, text_index=index))
        self._update_showing()
        self.filter_changed.emit(spec)

    def _update_showing(self) -> None:
        shown, total = self.model.rowCount(), self.model.total_rows
        self.showing.setText(f"showing {shown:,} of {total:,}")
        self.empty.setVisible(shown == 0)
        if shown == 0 and total == 0:
            self.empty.setText("This audit has no items: nothing in the export was recognised as your content. "
                               "The Files tab says what each file is.")
        elif shown == 0:
            self.empty.setText(f"No item matches: a filter is on and hides all {total:,} items. "
                               f"<a href='{APP_SCHEME}clear'>Clear filters</a>")
