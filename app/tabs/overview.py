"""Overview tab: headline numbers, items per category, exposure in plain words, where you live."""
from __future__ import annotations

import html

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (QComboBox, QFrame, QGridLayout, QGroupBox, QHBoxLayout, QLabel, QScrollArea,
                               QSizePolicy, QSplitter, QVBoxLayout, QWidget)

from parsers.scan import Audit

from ..backend import (JURISDICTIONS, Headline, Prepared, exposure_counts, exposure_levels, headline,
                       objection_route)
from ..charts import EXPOSURE_COLOURS, PLATFORM_LABELS, CategoryChart, ExposureChart
from ..views import human_bytes
from .actions_panel import ActionsPanel


class StatCard(QFrame):
    """One big number with a caption under it."""

    def __init__(self, caption: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.value = QLabel("–")
        font = self.value.font()
        font.setPointSizeF(font.pointSizeF() * 1.7)
        font.setBold(True)
        self.value.setFont(font)
        self.value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.caption = QLabel(caption)
        self.caption.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 6, 10, 6)
        layout.addWidget(self.value)
        layout.addWidget(self.caption)

    def set(self, value: str, tooltip: str = "") -> None:
        self.value.setText(value)
        self.setToolTip(tooltip)


class OverviewTab(QWidget):
    picked = Signal(dict)
    jurisdiction_changed = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.audit: Audit | None = None
        self.headline: Headline | None = None

        self.partial = QLabel()
        self.partial.setWordWrap(True)
        self.partial.setStyleSheet("QLabel { background: #fff3cd; color: #664d03; padding: 6px; border-radius: 4px; }")
        self.partial.hide()

        self.cards = {
            "items": StatCard("items of your content"),
            "platforms": StatCard("platforms"),
            "span": StatCard("date span"),
            "media": StatCard("of photos, videos and other media"),
            "not_understood": StatCard("files not understood (see Files)"),
        }
        cards = QHBoxLayout()
        for card in self.cards.values():
            card.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
            cards.addWidget(card)

        self.sources = QLabel()
        self.sources.setWordWrap(True)
        self.sources.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.category_chart = CategoryChart()
        self.category_chart.picked.connect(self.picked)
        self.exposure_chart = ExposureChart()
        self.exposure_chart.picked.connect(self.picked)
        self.exposure_chart.setMinimumHeight(150)

        self.exposure_words = QLabel()
        self.exposure_words.setWordWrap(True)
        self.exposure_words.setTextFormat(Qt.TextFormat.RichText)
        self.exposure_words.setAlignment(Qt.AlignmentFlag.AlignTop)

        exposure_box = QGroupBox("What Meta says it does with it")
        box_layout = QVBoxLayout(exposure_box)
        words = QScrollArea()  # never clipped: scrolls when the window is short (e.g. with the partial banner)
        words.setWidget(self.exposure_words)
        words.setWidgetResizable(True)
        words.setFrameShape(QFrame.Shape.NoFrame)
        box_layout.addWidget(self.exposure_chart, 2)
        box_layout.addWidget(words, 3)

        self.jurisdiction = QComboBox()
        for key, label in JURISDICTIONS.items():
            self.jurisdiction.addItem(label, key)
        self.jurisdiction.currentIndexChanged.connect(self._jurisdiction_changed)
        self.jurisdiction_note = QLabel()
        self.jurisdiction_note.setWordWrap(True)
        self.route = QLabel()
        self.route.setWordWrap(True)
        self.route.setTextFormat(Qt.TextFormat.RichText)
        self.route.setTextInteractionFlags(Qt.TextInteractionFlag.TextBrowserInteraction)
        self.route.setOpenExternalLinks(True)  # only on the person's click, in their browser
        self.route.setAlignment(Qt.AlignmentFlag.AlignTop)
        where = QGroupBox("What this means where you live")
        grid = QGridLayout(where)
        grid.addWidget(QLabel("I live in:"), 0, 0)
        grid.addWidget(self.jurisdiction, 0, 1)
        grid.addWidget(self.jurisdiction_note, 1, 0, 1, 2)
        grid.addWidget(self.route, 2, 0, 1, 2)
        grid.setColumnStretch(1, 1)

        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(exposure_box, 3)
        right_layout.addWidget(where, 1)
        self.actions_panel = ActionsPanel()

        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(self.category_chart)
        split.addWidget(right)
        split.addWidget(self.actions_panel)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        split.setStretchFactor(2, 2)
        split.setChildrenCollapsible(False)

        layout = QVBoxLayout(self)
        layout.addWidget(self.partial)
        layout.addLayout(cards)
        layout.addWidget(self.sources)
        layout.addWidget(split, 1)

    # ---- filling ---------------------------------------------------------------------------------
    def set_audit(self, audit: Audit, jurisdiction: str | None, preset_from_export: bool,
                  prepared: Prepared | None = None) -> None:
        """Fill the tab; with `prepared` (computed in the scan worker) no pandas work is done here."""
        self.audit = audit
        h = self.headline = prepared.headline if prepared is not None else headline(audit)
        self.cards["items"].set(f"{h.items:,}")
        self.cards["platforms"].set(str(len(h.platforms)),
                                    ", ".join(PLATFORM_LABELS.get(p, p) for p in h.platforms) or "none")
        self.cards["platforms"].caption.setText(
            ", ".join(PLATFORM_LABELS.get(p, p) for p in h.platforms) if h.platforms else "platforms")
        if h.first is not None and h.last is not None:
            self.cards["span"].set(f"{h.first.year}–{h.last.year}" if h.first.year != h.last.year else str(h.first.year),
                                   f"{h.first:%Y-%m-%d} to {h.last:%Y-%m-%d} (UTC)")
            self.cards["span"].caption.setText(f"{h.first:%b %Y} to {h.last:%b %Y}")
        else:
            self.cards["span"].set("–", "no dated items")
            self.cards["span"].caption.setText("date span")
        self.cards["media"].set(human_bytes(h.media_bytes), f"{h.media_bytes:,} bytes")
        self.cards["not_understood"].set(f"{h.files_not_understood:,}")
        self.partial.setVisible(audit.partial)
        self.partial.setText("<b>Partial audit.</b> The scan was cancelled before it read every file, so the "
                             "numbers below cover only what was read. Open the export again to read it all.")
        self.sources.setText(self._sources_text(audit))
        self.category_chart.set_items(audit.items)
        self.exposure_chart.set_items(audit.items)
        if prepared is not None:
            self._fill_exposure_words(prepared.exposure_levels, prepared.exposure_counts)
        else:
            self._fill_exposure_words()
        self.set_jurisdiction(jurisdiction, preset_from_export)
        self.actions_panel.set_audit(audit, prepared.actions if prepared is not None else None)

    def set_items(self, audit: Audit) -> None:
        """Exposure changed (new jurisdiction): refresh what depends on it."""
        self.audit = audit
        self.exposure_chart.set_items(audit.items)
        self._fill_exposure_words()
        self.actions_panel.set_audit(audit)

    def set_jurisdiction(self, key: str | None, preset_from_export: bool) -> None:
        index = self.jurisdiction.findData(key or "other")
        self.jurisdiction.blockSignals(True)
        self.jurisdiction.setCurrentIndex(max(index, 0))
        self.jurisdiction.blockSignals(False)
        self.jurisdiction_note.setText("Preset from what your export says." if preset_from_export
                                       else "Your export does not say; choose where you live.")
        self._show_route()

    def current_jurisdiction(self) -> str:
        return str(self.jurisdiction.currentData())

    def _jurisdiction_changed(self) -> None:
        self.jurisdiction_note.setText("Chosen by you.")
        self._show_route()
        self.jurisdiction_changed.emit(self.current_jurisdiction())

    def _show_route(self) -> None:
        self.route.setText(objection_route(self.current_jurisdiction()))

    def _fill_exposure_words(self, levels: list[tuple[str, str, str]] | None = None,
                             counts: dict[str, int] | None = None) -> None:
        """The plain-words list under the exposure chart (from precomputed levels and counts if given)."""
        if self.audit is None:
            return
        if levels is None or counts is None:
            levels = exposure_levels(self.audit.items, self.audit.jurisdiction)
            counts = exposure_counts(self.audit.items)
        rows = []
        for level, words, source in levels:
            n = counts.get(level, 0)
            if not n:
                continue
            swatch = f"<span style='color:{EXPOSURE_COLOURS[level]}'>■</span>"
            cite = f"<br><small>{html.escape(source)}</small>" if source else ""
            rows.append(f"<p style='margin:0 0 6px 0'>{swatch} <b>{n:,}</b> {html.escape(words)}.{cite}</p>")
        self.exposure_words.setText("".join(rows) or "No items yet.")

    @staticmethod
    def _sources_text(audit: Audit) -> str:
        parts = []
        for s in audit.sources:
            name = s.label or s.path
            if s.platform == "unknown":
                parts.append(f"{name} (not recognised)")
            else:
                platform = s.platform.replace("_chat", " chat").replace("_account", " account")
                parts.append(f"{name} ({platform}, {s.format}{', ' + s.layout if s.layout else ''})")
        return "Exports: " + "; ".join(parts) if parts else ""
