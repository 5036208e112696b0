"""Timeline tab: monthly activity by category or by exposure, for one platform or all."""
from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from parsers.contract import PLATFORMS
from parsers.scan import Audit

from ..charts import PLATFORM_LABELS, TimelineChart
from ..views import ItemFilter, filter_mask, undated_count
from ..words import plural


class TimelineTab(QWidget):
    picked = Signal(dict)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.by = QComboBox()
        self.by.addItem("by category", "category")
        self.by.addItem("by exposure", "exposure")
        self.platform = QComboBox()
        self.platform.addItem("All platforms", None)
        for p in PLATFORMS:
            self.platform.addItem(PLATFORM_LABELS[p], p)
        self.by.currentIndexChanged.connect(self._changed)
        self.platform.currentIndexChanged.connect(self._changed)
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.chart = TimelineChart()
        self._undated_all = 0
        self.chart.picked.connect(self.picked)

        controls = QHBoxLayout()
        controls.addWidget(QLabel("Monthly activity"))
        controls.addWidget(self.by)
        controls.addWidget(QLabel("on"))
        controls.addWidget(self.platform)
        controls.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(controls)
        layout.addWidget(self.chart, 1)
        layout.addWidget(self.note)

    def set_audit(self, audit: Audit, undated: int | None = None) -> None:
        """`undated`: the count of items without a date, when already computed (in the scan worker)."""
        self._undated_all = undated_count(audit.items) if undated is None else undated
        self.chart.items = audit.items
        self._changed()

    def _changed(self) -> None:
        platform = self.platform.currentData()
        self.chart.set_view(self.by.currentData(), platform)
        self._show_note(platform)

    def _show_note(self, platform: str | None) -> None:
        """The no-date count of the platforms shown (all, or the one chosen)."""
        items = self.chart.items
        undated = self._undated_all
        if platform is not None and items is not None and len(items):
            mask = filter_mask(items, ItemFilter(platforms=frozenset([platform])))
            undated = int(items["timestamp"].isna().to_numpy()[mask].sum())
        where = f" of {PLATFORM_LABELS.get(platform, platform)}" if platform else ""
        self.note.setText("Times are in UTC. Click a band or a legend entry to list those items."
                          + (f" {plural(undated, 'item')}{where} {'has' if undated == 1 else 'have'} no date and "
                             f"{'is' if undated == 1 else 'are'} not on the timeline." if undated else ""))
