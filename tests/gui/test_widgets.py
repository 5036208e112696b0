"""Pieces of the window on their own: chart colours from the palette, the table model, the dialog."""
from __future__ import annotations

import numpy as np
from matplotlib.colors import to_hex
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPalette

from app.charts import CategoryChart
from app.export_dialog import ExportDialog
from app.models import Column, FrameTableModel, format_bytes, format_time
from frames import synthetic_items


def test_chart_text_and_background_follow_a_dark_palette(qtbot):
    chart = CategoryChart()
    qtbot.addWidget(chart)
    palette = chart.palette()
    palette.setColor(QPalette.ColorRole.Window, QColor("#202020"))
    palette.setColor(QPalette.ColorRole.WindowText, QColor("#eeeeee"))
    palette.setColor(QPalette.ColorRole.Base, QColor("#111111"))
    chart.setPalette(palette)
    chart.set_items(synthetic_items(500))
    ax = chart.figure.axes[0]
    assert chart.is_dark()
    assert to_hex(chart.figure.get_facecolor()) == "#202020"
    assert to_hex(ax.get_facecolor()) == "#111111"
    assert {to_hex(t.get_color()) for t in ax.get_yticklabels()} == {"#eeeeee"}
    assert to_hex(ax.title.get_color()) == "#eeeeee"


def test_category_chart_bars_add_up_to_the_counts(qtbot):
    items = synthetic_items(2000, seed=2)
    chart = CategoryChart()
    qtbot.addWidget(chart)
    chart.set_items(items)
    for (category, platform), count in items.groupby(["category", "platform"], observed=True).size().items():
        [bar] = chart.artists_for(category=category, platform=platform)
        assert bar.get_width() == count


def test_table_model_formats_cells_and_sorts_with_a_mask(qapp):
    items = synthetic_items(1000, seed=4)
    columns = [Column("timestamp", "When", format_time), Column("media_bytes", "Size", format_bytes, align_right=True),
               Column("text", "Text", tooltip=True)]
    model = FrameTableModel(columns)
    model.set_frame(items)
    assert model.rowCount() == 1000 and model.columnCount() == 3
    assert model.headerData(1, Qt.Orientation.Horizontal) == "Size"
    first = model.index(0, 0)
    assert model.data(first) == items["timestamp"].iloc[0].strftime("%Y-%m-%d %H:%M")
    assert model.data(model.index(0, 1), Qt.ItemDataRole.TextAlignmentRole) is not None
    assert model.data(model.index(0, 2), Qt.ItemDataRole.ToolTipRole) == items["text"].iloc[0]
    assert model.data(first, Qt.ItemDataRole.DecorationRole) is None
    mask = (items["platform"] == "whatsapp").to_numpy()
    model.set_mask(mask)
    model.sort(1, Qt.SortOrder.DescendingOrder)
    shown = model.visible_frame()
    assert len(shown) == mask.sum()
    assert (shown["platform"] == "whatsapp").all()
    assert np.all(np.diff(shown["media_bytes"].to_numpy()) <= 0)
    model.set_mask(None)  # the sort stays
    assert model.rowCount() == 1000 and model.visible_frame()["media_bytes"].is_monotonic_decreasing


def test_export_dialog_shows_the_keyring_notice_only_with_pseudonyms(qtbot, tmp_path):
    dialog = ExportDialog(str(tmp_path), keyring_notice="No system keyring is available")
    qtbot.addWidget(dialog)
    assert dialog.keyring_notice.isHidden()  # the inventory holds no names
    assert not dialog.pseudonymize.isEnabled()
    dialog.items.setChecked(True)
    assert dialog.pseudonymize.isEnabled() and not dialog.keyring_notice.isHidden()
    dialog.pseudonymize.setChecked(False)
    assert dialog.keyring_notice.isHidden()
    quiet = ExportDialog(str(tmp_path))
    qtbot.addWidget(quiet)
    quiet.items.setChecked(True)
    assert quiet.keyring_notice.isHidden()


def test_keyring_notice_reflects_the_backend():
    import keyring
    from keyring.backends import fail

    from app.backend import keyring_notice

    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    try:
        assert "keyring" in keyring_notice().lower()
    finally:
        keyring.set_keyring(previous)


def test_hovering_a_bar_shows_what_a_click_would_list(qtbot):
    from matplotlib.backend_bases import MouseEvent

    items = synthetic_items(1500, seed=3)
    chart = CategoryChart()
    qtbot.addWidget(chart)
    chart.resize(700, 500)
    chart.show()
    chart.set_items(items)
    chart.canvas.draw()
    [bar] = chart.artists_for(platform="facebook", category="posts")
    x, y = chart.figure.axes[0].transData.transform((bar.get_x() + bar.get_width() / 2,
                                                     bar.get_y() + bar.get_height() / 2))
    chart.canvas.callbacks.process("motion_notify_event", MouseEvent("motion_notify_event", chart.canvas, x, y))
    expected = int(((items["platform"] == "facebook") & (items["category"] == "posts")).sum())
    assert chart.canvas.toolTip().startswith(f"Facebook · Posts: {expected:,} items")
    chart.canvas.callbacks.process("motion_notify_event", MouseEvent("motion_notify_event", chart.canvas, 1, 1))
    assert chart.canvas.toolTip() == ""
