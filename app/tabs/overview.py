"""Overview tab: what is wrong with the export (banners), headline numbers, items per category,
exposure in plain words (each level links to its rules), where you live.

The whole tab scrolls, so it fits 1024x700 without cutting text. Other parts of the app add panels
below the charts with `add_panel` (the "What you can do" panel).
"""
from __future__ import annotations

import html
from pathlib import Path

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtWidgets import (QApplication, QComboBox, QFrame, QGridLayout, QGroupBox, QHBoxLayout, QLabel, QScrollArea,
                               QSizePolicy, QSplitter, QVBoxLayout, QWidget)

from parsers.scan import Audit

from ..backend import (JURISDICTIONS, Headline, Prepared, exposure_counts, exposure_levels, headline,
                       inventory_rows, objection_route, partly_read)
from ..charts import EXPOSURE_COLOURS, PLATFORM_LABELS, CategoryChart, ExposureChart
from ..links import APP_SCHEME, LinkLabel
from ..rules_dialog import RulesDialog
from ..theme import banner_style, is_dark
from ..views import human_bytes
from ..words import count_words, plural, source_words


class Banner(QLabel):
    """A notice across the top ("warning" or "info"), coloured for the light or the dark palette."""

    def __init__(self, kind: str = "warning", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.kind = kind
        self.setWordWrap(True)
        self.setTextFormat(Qt.TextFormat.RichText)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self._restyle()
        self.hide()

    def _restyle(self) -> None:
        """Only when the palette turned light or dark (a style sheet sends a palette change itself)."""
        palette = QApplication.palette()  # not the label's own: its style sheet colours that one
        dark = is_dark(palette)
        if getattr(self, "_dark", None) is not dark:
            self._dark = dark
            self.setStyleSheet(banner_style(self.kind, palette))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.PaletteChange:
            self._restyle()
        super().changeEvent(event)
from .actions_panel import ActionsPanel
from .common import keep_whole_height


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

        self.incomplete = Banner("warning")  # the download is damaged, cut off or missing a part
        self.partial = Banner("info")  # the scan was cancelled
        self.rules_dialog: RulesDialog | None = None

        self.cards = {
            "items": StatCard("items of your content"),
            "platforms": StatCard("platforms"),
            "span": StatCard("date span"),
            "media": StatCard("of photos, videos and other media"),
            "not_understood": StatCard("files not understood (see the Files tab)"),
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

        self.exposure_words = LinkLabel(internal=self.show_rules)
        self.exposure_words.setAlignment(Qt.AlignmentFlag.AlignTop)

        exposure_box = QGroupBox("What Meta says it does with it")
        box_layout = QVBoxLayout(exposure_box)
        words = QScrollArea()  # never clipped: scrolls inside the box when the window is short
        words.setWidget(self.exposure_words)
        words.setWidgetResizable(True)
        words.setFrameShape(QFrame.Shape.NoFrame)
        words.setMinimumHeight(90)
        box_layout.addWidget(self.exposure_chart, 2)
        box_layout.addWidget(words, 3)

        self.jurisdiction = QComboBox()
        for key, label in JURISDICTIONS.items():
            self.jurisdiction.addItem(label, key)
        self.jurisdiction.currentIndexChanged.connect(self._jurisdiction_changed)
        self.jurisdiction_note = QLabel()
        self.jurisdiction_note.setWordWrap(True)
        self.route = LinkLabel()  # the forms open only on the person's click, in their browser
        self.route.setAlignment(Qt.AlignmentFlag.AlignTop)
        where = QGroupBox("What this means where you live")
        grid = QGridLayout(where)
        grid.addWidget(QLabel("I live in:"), 0, 0)
        grid.addWidget(self.jurisdiction, 0, 1)
        grid.addWidget(self.jurisdiction_note, 1, 0, 1, 2)
        grid.addWidget(keep_whole_height(self.route), 2, 0, 1, 2)  # its whole text: the page scrolls, not the box
        grid.setRowStretch(3, 1)
        grid.setColumnStretch(1, 1)
        self.actions_panel = ActionsPanel()

        # the two charts side by side; under them the two panels of text, side by side at their full
        # height (in a third column they were cramped at 1024 px and scrolled in a box of their own)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(self.category_chart)
        split.addWidget(exposure_box)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        split.setChildrenCollapsible(False)
        split.setMinimumHeight(500)  # below that the page scrolls instead of squeezing the charts
        # above it the charts take the height there is (their size hints would make the page scroll)
        split.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Ignored)
        self.category_chart.setMinimumWidth(360)
        exposure_box.setMinimumWidth(300)
        panels = QHBoxLayout()
        panels.addWidget(self.actions_panel, 3)
        panels.addWidget(where, 2)

        page = QWidget()
        layout = QVBoxLayout(page)
        layout.addWidget(self.incomplete)
        layout.addWidget(self.partial)
        layout.addLayout(cards)
        layout.addWidget(self.sources)
        layout.addWidget(split, 1)
        layout.addLayout(panels)
        self.panels = QVBoxLayout()  # add_panel puts more here, under the charts
        layout.addLayout(self.panels)
        self.scroll = QScrollArea()
        self.scroll.setWidget(page)
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QFrame.Shape.NoFrame)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self.scroll)

    def changeEvent(self, event: QEvent) -> None:
        """The theme changed: the banners (style sheets stop palette propagation) follow it from here."""
        if event.type() == QEvent.Type.PaletteChange:
            for banner in (self.incomplete, self.partial):
                banner._restyle()
        super().changeEvent(event)

    def add_panel(self, panel: QWidget) -> None:
        """Show `panel` under the charts (it scrolls with the page)."""
        self.panels.addWidget(panel)

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
        self.cards["not_understood"].caption.setText(
            f"{count_words(h.files_not_understood, 'file')} not understood (see the Files tab)")
        self._show_banners(audit)
        self.sources.setText(self._sources_text(audit))
        self.category_chart.set_items(audit.items)
        self.exposure_chart.set_items(audit.items)
        if prepared is not None:
            self._fill_exposure_words(prepared.exposure_levels, prepared.exposure_counts)
        else:
            self._fill_exposure_words()
        self.set_jurisdiction(jurisdiction, preset_from_export)
        self.actions_panel.set_audit(audit, prepared.actions if prepared is not None else None)

    def _show_banners(self, audit: Audit) -> None:
        for banner in (self.incomplete, self.partial):
            banner._restyle()
        self.incomplete.setVisible(not audit.complete)
        if not audit.complete:
            reason = audit.incomplete_reason or "The export is incomplete: some files could not be read."
            self.incomplete.setText(f"<b>This export is incomplete.</b> {html.escape(reason)} "
                                    "The Files tab lists the files that could not be read.")
        self.partial.setVisible(audit.partial)
        if audit.partial:
            cut, unread = partly_read(audit.files)
            said = [f"read {percent}% of {html.escape(Path(path).name)}" for path, percent in cut]
            if unread:
                said.append(f"did not reach {plural(unread, 'file')}")
            what = (" It " + " and ".join(said) + ".") if said else ""
            self.partial.setText(f"<b>Partial audit: the scan was cancelled.</b>{what} The numbers below cover "
                                 "only what was read. Open the export again to read it all.")

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
            cite = f"<br><small>{html.escape(source)} · <a href='{APP_SCHEME}{level}'>Why? The rules</a></small>"
            rows.append(f"<p style='margin:0 0 6px 0'>{swatch} <b>{n:,}</b> {html.escape(words)}.{cite}</p>")
        self.exposure_words.setText("".join(rows) or "No items yet.")

    def show_rules(self, level: str) -> RulesDialog | None:
        """The rules behind `level` for this audit, as the inventory CSV has them."""
        if self.audit is None:
            return None
        rows = inventory_rows(self.audit, level)
        self.rules_dialog = RulesDialog(level, rows, self.window())
        self.rules_dialog.open()
        return self.rules_dialog

    @staticmethod
    def _sources_text(audit: Audit) -> str:
        from parsers.detect import LAYOUTS

        parts = []
        for s in audit.sources:
            generation = LAYOUTS.get(s.platform, {}).get(s.layout, s.layout)
            parts.append(f"{s.label or s.path} ({source_words(s.platform, s.format, s.layout, generation)})")
        return "Exports: " + "; ".join(parts) if parts else ""
