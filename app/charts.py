"""Charts: one small canvas base class (the napari-matplotlib pattern) and the app's three charts.

`ChartWidget` owns a Figure with constrained layout, its FigureCanvasQTAgg and a navigation
toolbar in a QVBoxLayout. Subclasses fill `draw()`; `redraw()` clears, styles the figure from the
widget's QPalette (so it reads in light and dark themes), calls `draw()` and `draw_idle()`.
Bars and legend entries register a filter with `pickable()`; a matplotlib pick event on them
emits `picked(dict)`, which the window turns into a filtered Items tab. No pyplot.
"""
from __future__ import annotations

from typing import Any, Callable

import matplotlib
import numpy as np
import pandas as pd
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.backend_bases import PickEvent
from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg, NavigationToolbar2QT
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, MaxNLocator
from PySide6.QtCore import QEvent, QSize, Signal
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QSizePolicy, QVBoxLayout, QWidget

from parsers.contract import (CATEGORIES, CATEGORY_LABELS, EXPOSURE_LABELS, EXPOSURE_LEVELS, EXPOSURE_SHORT,
                              PLATFORMS)

from .views import CATEGORY_GROUPS, GROUP_OF, ItemFilter, counts_by, filter_mask, monthly, ordered
from .words import PLATFORM

#: Okabe-Ito colour-blind-safe colours; distinct on white and on dark grey.
PLATFORM_COLOURS = {"facebook": "#0072B2", "instagram": "#CC79A7", "whatsapp": "#009E73"}
EXPOSURE_COLOURS = {
    "training_if_public": "#D55E00",
    "training_ai_interactions": "#E69F00",
    "ads_profiling": "#56B4E9",
    "private_stated_not_used": "#009E73",
    "unclear": "#999999",
}
#: One colour per category group (Paul Tol's "muted" scheme, colour-blind safe): 8 stay told apart where
#: 19 could not, and none is one of the exposure colours above.
GROUP_COLOURS = {
    "content": "#332288", "responses": "#CC6677", "messages": "#44AA99", "ai": "#AA4499",
    "people": "#88CCEE", "searches": "#999933", "ads": "#DDCC77", "account": "#882255",
}
GROUP_LABELS = {key: words for key, words, _members in CATEGORY_GROUPS}
GROUP_MEMBERS = {key: members for key, _words, members in CATEGORY_GROUPS}
CATEGORY_COLOURS = {c: GROUP_COLOURS[GROUP_OF[c]] for c in CATEGORIES}

PLATFORM_LABELS = PLATFORM


def _hex(colour: QColor) -> str:
    return colour.name(QColor.NameFormat.HexRgb)


class ChartCanvas(FigureCanvasQTAgg):
    """The canvas, with a file name to propose when the chart is saved ("facebook-timeline-2024.png")."""

    def __init__(self, figure: Figure, name: Callable[[], str]) -> None:
        super().__init__(figure)
        self._name = name
        self._draw_when_shown = False

    def draw_idle(self) -> None:
        """A chart on a hidden tab is drawn when it is shown, not now: a draw is 100-200 ms on the
        GUI thread, and the hidden one would be drawn again at its real size anyway."""
        if not self.isVisible():
            self._draw_when_shown = True
            return
        super().draw_idle()

    def wheelEvent(self, event) -> None:  # noqa: N802 - Qt's name
        """The wheel scrolls the page the chart is on (matplotlib's canvas kept it: over a chart, the
        Overview did not scroll). No chart here zooms with the wheel."""
        event.ignore()

    def showEvent(self, event) -> None:  # noqa: N802 - Qt's name
        super().showEvent(event)
        if self._draw_when_shown:
            self._draw_when_shown = False
            super().draw_idle()

    def get_default_filename(self) -> str:
        return f"{self._name()}.{self.get_default_filetype()}"

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        """Small, so a scrolling page sizes to its window: the layout stretches the chart to fill it
        (matplotlib's hint, the figure's 640x480 px, made the Overview scroll at 1280x800)."""
        return QSize(320, 200)


class ChartToolbar(NavigationToolbar2QT):
    """Home, Back, Forward, Pan, Zoom and Save; no coordinate readout, no subplot or figure options."""

    toolitems = [t for t in NavigationToolbar2QT.toolitems if t[0] not in ("Subplots", "Customize")]

    def __init__(self, canvas: FigureCanvasQTAgg, parent: QWidget) -> None:
        super().__init__(canvas, parent, coordinates=False)


def _compact(value: float, _position: int = 0) -> str:
    """Axis numbers that fit: 1,500 -> "1.5k", 200,000 -> "200k", 3,000,000 -> "3M"."""
    for size, unit in ((1e6, "M"), (1e3, "k")):
        if abs(value) >= size:
            return f"{value / size:.3g}{unit}"
    return f"{value:.0f}"


_COMPACT = FuncFormatter(_compact)


def _slug(text: str) -> str:
    return "-".join("".join(c if c.isalnum() else " " for c in text.lower()).split())


class ChartWidget(QWidget):
    """Base class: a Figure, its Qt canvas and toolbar; subclasses implement `draw()`."""

    picked = Signal(dict)  # an Items-tab filter: {"platform": ..., "category": ..., ...}
    name = "chart"  # the chart's part of a saved file's name

    def __init__(self, parent: QWidget | None = None, *, toolbar: bool = True) -> None:
        super().__init__(parent)
        self.figure = Figure(layout="constrained")
        self.canvas = ChartCanvas(self.figure, self.file_stem)
        self.canvas.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.toolbar = ChartToolbar(self.canvas, self) if toolbar else None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        if self.toolbar is not None:
            layout.addWidget(self.toolbar)
        layout.addWidget(self.canvas)
        self._targets: dict[Artist, dict[str, Any]] = {}
        self._labels: dict[Artist, str] = {}
        self.canvas.mpl_connect("pick_event", self._on_pick)
        self.canvas.mpl_connect("motion_notify_event", self._on_motion)

    # ---- template ------------------------------------------------------------------------------
    def draw(self) -> None:
        """Subclasses plot onto `self.figure` here."""

    def file_stem(self) -> str:
        """The name Save proposes, without extension (subclasses add the export's platform and years)."""
        return _slug(self.name)

    def changeEvent(self, event: QEvent) -> None:
        """A new palette (View > Theme, or the desktop turned dark): draw again in its colours."""
        if event.type() == QEvent.Type.PaletteChange:
            self.redraw()
        super().changeEvent(event)

    def redraw(self) -> None:
        self.figure.clear()
        self._targets.clear()
        self._labels.clear()
        self._style_figure()
        with matplotlib.rc_context(self._rc()):
            self.draw()
        self.canvas.draw_idle()

    # ---- picking ----------------------------------------------------------------------------
    def pickable(self, artist: Artist, target: dict[str, Any], label: str = "") -> None:
        """Clicking `artist` lists the items of `target`; hovering shows `label`."""
        artist.set_picker(True)
        self._targets[artist] = target
        if label:
            self._labels[artist] = label

    def target_for(self, artist: Artist) -> dict[str, Any] | None:
        return self._targets.get(artist)

    def artists_for(self, **target: Any) -> list[Artist]:
        """The pickable artists whose filter includes `target` (used by tests and tooltips)."""
        return [a for a, t in self._targets.items() if all(t.get(k) == v for k, v in target.items())]

    def _on_pick(self, event: PickEvent) -> None:
        target = self._targets.get(event.artist)
        if target is not None:
            self.picked.emit(self.refine_pick(dict(target), event))

    def refine_pick(self, target: dict[str, Any], event: PickEvent) -> dict[str, Any]:
        """Hook: add what the click position says (e.g. the month on a timeline)."""
        return target

    # ---- hover ------------------------------------------------------------------------------
    def _on_motion(self, event) -> None:
        text = ""
        for artist in self._targets:
            if artist.get_visible() and artist.contains(event)[0]:
                text = self.describe(artist, event)
                break
        if text != self.canvas.toolTip():
            self.canvas.setToolTip(text)

    def describe(self, artist: Artist, event) -> str:
        """Hook: the hover text of a pickable artist."""
        label = self._labels.get(artist, "")
        return f"{label}\nClick to list these items." if label else "Click to list these items."

    # ---- palette -----------------------------------------------------------------------------
    def palette_colours(self) -> dict[str, str]:
        pal = self.palette()
        return {
            "background": _hex(pal.color(QPalette.ColorRole.Window)),
            "base": _hex(pal.color(QPalette.ColorRole.Base)),
            "text": _hex(pal.color(QPalette.ColorRole.WindowText)),
            "mid": _hex(pal.color(QPalette.ColorRole.Mid)),
        }

    def is_dark(self) -> bool:
        return self.palette().color(QPalette.ColorRole.Window).lightness() < 128

    def _rc(self) -> dict[str, Any]:
        c = self.palette_colours()
        return {
            "text.color": c["text"], "axes.labelcolor": c["text"], "xtick.color": c["text"],
            "ytick.color": c["text"], "axes.edgecolor": c["mid"], "axes.facecolor": c["base"],
            "legend.facecolor": c["base"], "legend.edgecolor": c["mid"], "legend.labelcolor": c["text"],
            "font.size": 9, "axes.titlesize": 10, "axes.titleweight": "bold", "grid.color": c["mid"],
            "grid.alpha": 0.35,
        }

    def _style_figure(self) -> None:
        self.figure.set_facecolor(self.palette_colours()["background"])

    def message(self, text: str) -> None:
        """An empty-state note in the middle of the figure."""
        self.figure.text(0.5, 0.5, text, ha="center", va="center", color=self.palette_colours()["text"],
                         wrap=True)


class ItemsChart(ChartWidget):
    """A chart of the audit's items frame: `set_items` redraws it; no items, a note instead."""

    def __init__(self, parent: QWidget | None = None, *, toolbar: bool = True) -> None:
        super().__init__(parent, toolbar=toolbar)
        self.items: pd.DataFrame | None = None

    def set_items(self, items: pd.DataFrame) -> None:
        self.items = items
        self.redraw()

    def shown_platform(self) -> str | None:
        """The one platform the chart shows, if it shows one."""
        if self.items is None or not len(self.items):
            return None
        present = [p for p, n in self.items["platform"].value_counts().items() if n]
        return str(present[0]) if len(present) == 1 else None

    def file_stem(self) -> str:
        """"facebook-timeline-2024": the platform shown (or all), the chart, the years of the items."""
        platform = self.shown_platform()
        parts = [platform or "all-platforms", self.name]
        if self.items is not None and len(self.items):
            stamps = self.items["timestamp"].dropna()
            if len(stamps):
                first, last = stamps.min().year, stamps.max().year
                parts.append(str(last) if first == last else f"{first}-{last}")
        return _slug(" ".join(parts))

    def draw(self) -> None:
        if self.items is None or len(self.items) == 0:
            self.message("No items yet.")
            return
        self.draw_items(self.items)

    def draw_items(self, items: pd.DataFrame) -> None:
        """Draw a non-empty items frame (subclasses)."""
        raise NotImplementedError


class CategoryChart(ItemsChart):
    """Items per category, horizontal bars stacked by platform."""

    name = "categories"

    def draw_items(self, items: pd.DataFrame) -> None:
        table = counts_by(items, "category", "platform")
        cats = ordered(table.index, CATEGORIES)[::-1]  # first category at the top
        table = table.loc[cats]
        ax: Axes = self.figure.add_subplot()
        y = np.arange(len(cats))
        left = np.zeros(len(cats))
        for platform in ordered(table.columns, PLATFORMS):
            values = table[platform].to_numpy()
            bars = ax.barh(y, values, left=left, color=PLATFORM_COLOURS.get(platform, "#777777"),
                           label=PLATFORM_LABELS.get(platform, platform), height=0.7)
            for bar, category, value in zip(bars, cats, values):
                if value:
                    self.pickable(bar, {"platform": platform, "category": category},
                                  f"{PLATFORM_LABELS.get(platform, platform)} · {CATEGORY_LABELS.get(category, category)}"
                                  f": {int(value):,} items")
            left += values
        for yy, total in zip(y, left):
            ax.annotate(f"{int(total):,}", (total, yy), xytext=(3, 0), textcoords="offset points",
                        va="center", fontsize=8)
        ax.set_yticks(y, [CATEGORY_LABELS.get(c, c) for c in cats])
        ax.set_title("Items per category")
        ax.set_xlim(0, max(left.max(), 1) * 1.12)
        ax.xaxis.set_major_formatter(_COMPACT)
        ax.grid(axis="x")
        ax.set_axisbelow(True)
        ax.spines[["top", "right"]].set_visible(False)
        legend = ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.09), ncols=3, frameon=False)
        for handle, text in zip(legend.legend_handles, legend.get_texts()):
            platform = next((p for p, lbl in PLATFORM_LABELS.items() if lbl == text.get_text()), text.get_text())
            label = f"Everything from {PLATFORM_LABELS.get(platform, platform)}"
            self.pickable(handle, {"platform": platform}, label)
            self.pickable(text, {"platform": platform}, label)


class ExposureChart(ItemsChart):
    """Items per exposure level (one horizontal bar each), coloured from most to least exposed."""

    name = "exposure"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent, toolbar=False)

    def draw_items(self, items: pd.DataFrame) -> None:
        counts = items["exposure"].value_counts()
        levels = [lvl for lvl in EXPOSURE_LEVELS if counts.get(lvl, 0)][::-1]
        ax: Axes = self.figure.add_subplot()
        values = [int(counts[lvl]) for lvl in levels]
        bars = ax.barh(np.arange(len(levels)), values, color=[EXPOSURE_COLOURS[lvl] for lvl in levels], height=0.7)
        for bar, level, value in zip(bars, levels, values):
            self.pickable(bar, {"exposure": level}, f"{EXPOSURE_LABELS[level]}: {value:,} items")
            ax.annotate(f"{value:,}", (value, bar.get_y() + bar.get_height() / 2), xytext=(3, 0),
                        textcoords="offset points", va="center", fontsize=8)
        ax.set_yticks(np.arange(len(levels)), [EXPOSURE_SHORT[lvl] for lvl in levels])
        ax.set_xlim(0, max(values + [1]) * 1.18)
        ax.xaxis.set_major_formatter(_COMPACT)
        ax.xaxis.set_major_locator(MaxNLocator(4, integer=True))
        ax.set_title("Items per level")  # the box around it says what the levels are
        ax.spines[["top", "right"]].set_visible(False)
        ax.tick_params(axis="x", labelsize=8)


class TimelineChart(ItemsChart):
    """Items per month, stacked by category or by exposure, for one platform or all."""

    name = "timeline"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.by = "category"
        self.platform: str | None = None
        self.months: pd.DatetimeIndex | None = None
        self.table: pd.DataFrame | None = None

    def set_view(self, by: str, platform: str | None) -> None:
        self.by, self.platform = by, platform
        self.redraw()

    def draw_items(self, frame: pd.DataFrame) -> None:
        mask = filter_mask(frame, ItemFilter(platforms=frozenset([self.platform]))) if self.platform else None
        table = monthly(frame, self.by, mask)
        if table.empty:
            self.message("No dated items for this selection.")
            return
        if self.by == "category":  # the categories in their groups: 8 colours told apart, not 19
            table = table.T.groupby(lambda c: GROUP_OF.get(c, "account"), sort=False).sum().T
            order, colours, labels = tuple(GROUP_COLOURS), GROUP_COLOURS, GROUP_LABELS
        else:
            order, colours, labels = EXPOSURE_LEVELS, EXPOSURE_COLOURS, EXPOSURE_SHORT
        columns = ordered(table.columns, order)
        self.months = table.index
        self.table = table
        ax: Axes = self.figure.add_subplot()
        x = np.arange(len(table) + 1)  # step edges: month i spans [i, i+1)
        bottom = np.zeros(len(table))
        for key in columns:
            values = table[key].to_numpy().astype(float)
            top = bottom + values
            poly = ax.fill_between(x, np.append(bottom, bottom[-1]), np.append(top, top[-1]), step="post",
                                   color=colours.get(key, "#777777"), label=labels.get(key, key), linewidth=0)
            self.pickable(poly, self._target(key), labels.get(key, key))
            bottom = top
        ax.set_xlim(0, len(table))
        ax.set_ylim(0, max(bottom.max(), 1) * 1.05)
        ticks = self._year_ticks(table.index)
        ax.set_xticks([t for t, _ in ticks], [lbl for _, lbl in ticks])
        ax.set_ylabel("items per month")
        ax.yaxis.set_major_formatter(_COMPACT)
        platform = PLATFORM_LABELS.get(self.platform or "", "all platforms")
        ax.set_title(f"Monthly activity by {'category' if self.by == 'category' else 'exposure'} ({platform})")
        ax.spines[["top", "right"]].set_visible(False)
        ax.grid(axis="y")
        ax.set_axisbelow(True)
        legend = ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=8, frameon=False)
        for handle, text, key in zip(legend.legend_handles, legend.get_texts(), columns):
            target = self._target(key)
            self.pickable(handle, target, labels.get(key, key))
            self.pickable(text, target, labels.get(key, key))

    def _target(self, key: str) -> dict[str, Any]:
        """What a band lists: a category group's categories, or one exposure level (and the platform)."""
        target: dict[str, Any] = ({"group": key, "categories": GROUP_MEMBERS[key]} if self.by == "category"
                                  else {"exposure": key})
        return target | ({"platform": self.platform} if self.platform else {})

    def shown_platform(self) -> str | None:
        return self.platform or super().shown_platform()

    def describe(self, artist: Artist, event) -> str:
        """A band: its label, the month under the pointer and that month's count."""
        label = self._labels.get(artist, "")
        target = self._targets.get(artist, {})
        key = target.get("group" if self.by == "category" else "exposure")
        if (self.table is not None and key in self.table.columns and event.xdata is not None
                and artist not in self._legend_artists()):
            i = int(np.floor(event.xdata))
            if 0 <= i < len(self.table):
                count = int(self.table[key].iloc[i])
                return f"{label}, {self.table.index[i]:%B %Y}: {count:,} items\nClick to list them."
        return super().describe(artist, event)

    @staticmethod
    def _year_ticks(months: pd.DatetimeIndex) -> list[tuple[float, str]]:
        """Month ticks for spans up to 14 months, quarters up to 4 years, then Januaries (~12 labels).
        A tick sits in the middle of its month; the year is written under January and the first tick."""
        if len(months) <= 48:
            step = 1 if len(months) <= 14 else 3
            ticks = [(i, m) for i, m in enumerate(months) if (m.month - 1) % step == 0]
            return [(i + 0.5, f"{m:%b}\n{m.year}" if (m.month == 1 or n == 0) else f"{m:%b}")
                    for n, (i, m) in enumerate(ticks)]
        years = [(i, str(m.year)) for i, m in enumerate(months) if m.month == 1] or [(0, str(months[0].year))]
        step = max(1, -(-len(years) // 12))
        return years[::step]

    def refine_pick(self, target: dict[str, Any], event: PickEvent) -> dict[str, Any]:
        """A click on a band narrows the filter to the month under the pointer."""
        x = getattr(event.mouseevent, "xdata", None)
        if self.months is not None and x is not None and event.artist not in self._legend_artists():
            i = int(np.floor(x))
            if 0 <= i < len(self.months):
                start = self.months[i].tz_localize("UTC")
                target["start"] = start
                target["end"] = start + pd.offsets.MonthBegin(1)
        return target

    def _legend_artists(self) -> set[Artist]:
        legend_artists: set[Artist] = set()
        for ax in self.figure.axes:
            legend = ax.get_legend()
            if legend is not None:
                legend_artists.update(legend.legend_handles)
                legend_artists.update(legend.get_texts())
        return legend_artists
