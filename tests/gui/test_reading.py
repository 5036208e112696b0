"""Finding and reading, privacy in the export dialog, words not keys, links, rules, help and looks."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from PySide6.QtCore import QDate, QEvent, Qt
from PySide6.QtGui import QStatusTipEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from app.export_dialog import ExportDialog

SCAN_TIMEOUT = 60_000


def _scan_in_window(qtbot, window, paths, **kwargs):
    with qtbot.waitSignal(window.audit_shown, timeout=SCAN_TIMEOUT) as blocker:
        assert window.scan_paths(paths, **kwargs) is not None
    return blocker.args[0]


# ---- privacy in the export dialog ---------------------------------------------------------------------

def _export_through_dialog(qtbot, window, kind: str, path, *, untick: bool = False) -> ExportDialog:
    dialog = window.export_csv()
    dialog.kind_buttons[kind].setChecked(True)
    if untick:
        dialog.pseudonymize.setChecked(False)
    dialog.path.setText(str(path))
    with qtbot.waitSignal(dialog.accepted, timeout=5000):
        dialog.accept()
    return dialog


def test_pseudonyms_are_on_by_default_and_the_inventory_does_not_touch_the_items_choice(qtbot, window, synthetic,
                                                                                        tmp_path):
    window.show_audit(synthetic)
    first = window.export_csv()
    first.items.setChecked(True)
    assert first.pseudonymize.isChecked() and first.pseudonymize.isEnabled()
    first.reject()
    _export_through_dialog(qtbot, window, "inventory", tmp_path / "inventory.csv")
    assert window.last_export.path == tmp_path / "inventory.csv"
    second = window.export_csv()  # the next items export after an inventory export
    second.items.setChecked(True)
    assert second.pseudonymize.isChecked()
    assert window.settings.option("pseudonymize_items", True) is True
    second.reject()
    # the person's choice for the items list is remembered for the items list only
    _export_through_dialog(qtbot, window, "items", tmp_path / "items.csv", untick=True)
    assert window.settings.option("pseudonymize_items", True) is False
    third = window.export_csv()
    third.inventory.setChecked(True)
    assert third.pseudonymize.isChecked() and not third.pseudonymize.isEnabled()  # no names in the inventory
    third.files.setChecked(True)
    assert third.pseudonymize.isChecked()  # the files keep their own default
    third.items.setChecked(True)
    assert not third.pseudonymize.isChecked()
    third.reject()


def test_the_export_dialog_starts_from_the_kind_exported_last_with_pseudonyms_on(qtbot, window, synthetic, tmp_path):
    """Exporting the items twice: the second dialog has Items selected and the pseudonyms ticked."""
    window.show_audit(synthetic)
    first = window.export_csv()
    assert first.kind == "inventory"  # the first time
    first.reject()
    _export_through_dialog(qtbot, window, "items", tmp_path / "items1.csv")
    second = window.export_csv()
    assert second.kind == "items" and second.pseudonymize.isChecked() and second.pseudonymize.isEnabled()
    second.reject()
    _export_through_dialog(qtbot, window, "inventory", tmp_path / "inventory.csv")
    assert window.export_csv().kind == "inventory"


def test_the_dialog_offers_the_three_csvs_and_wraps_its_notes(qtbot, window, synthetic, tmp_path):
    window.show_audit(synthetic)
    long_notice = "No system keyring is available: " + "the pseudonyms of this export will differ next time. " * 4
    dialog = ExportDialog(str(tmp_path), keyring_notice=long_notice, parent=window)
    qtbot.addWidget(dialog)
    dialog.show()
    assert set(dialog.kind_buttons) == {"inventory", "items", "files", "report"}  # the CLI's CSVs and the plan
    inventory_label = dialog.findChildren(type(dialog.note))
    assert any("platform × category × exposure" in label.text() for label in inventory_label)
    dialog.items.setChecked(True)
    QApplication.processEvents()
    notice, note, text = dialog.keyring_notice, dialog.note, dialog.include_text
    assert notice.isVisible() and notice.wordWrap() and note.wordWrap()
    # nothing clipped: each label is as tall as its wrapped text needs, and nothing overlaps
    for label in (notice, note):
        assert label.height() >= label.heightForWidth(label.width())
    assert not notice.geometry().intersects(text.geometry()) and not notice.geometry().intersects(note.geometry())
    assert dialog.height() >= dialog.minimumSizeHint().height()
    dialog.files.setChecked(True)
    assert dialog.options().what == "files" and dialog.options().path.name == "export-auditor-files.csv"
    assert dialog.options().pseudonymize


def test_a_pseudonymised_files_csv_holds_no_name(qtbot, window, demo_paths, tmp_path, memory_keyring):
    audit = _scan_in_window(qtbot, window, [demo_paths[0]])
    target = tmp_path / "files.csv"
    _export_through_dialog(qtbot, window, "files", target)
    back = pd.read_csv(target, encoding="utf-8-sig", keep_default_na=False)
    assert len(back) == len(audit.files)
    owner = next(iter(audit.accounts["facebook"].owner_names))
    slug = "".join(c for c in owner.lower() if c.isalnum())
    assert slug and not back["path"].str.lower().str.contains(slug, regex=False).any()


# ---- words, not keys ------------------------------------------------------------------------------------

def test_keys_are_shown_as_words_and_the_counts_agree(qtbot, window, synthetic):
    from app.words import kind_words, plural

    window.show_audit(synthetic)
    files = window.files.model
    statuses = {files.data(files.index(r, 1)) for r in range(files.rowCount())}
    assert statuses == {"Read", "Not a file this app knows", "Could not be read", "Known, skipped"}
    problems = window.files.problems_model
    assert problems.data(problems.index(0, 1)) == "Could not be read"  # kind "unreadable"
    items = window.items.model
    by = {items.data(items.index(r, 4)) for r in range(200)}
    assert by == {"You", "Someone else"}
    assert kind_words("message_sticker") == "Sticker in a message" and kind_words("login") == "Login"
    assert kind_words("message_new_thing") == "New thing in a message"
    # one definition of "not understood": unknown + failed, on the card and in the Files tab
    n = int(synthetic.files["status"].isin(["unknown", "failed"]).sum())
    assert window.overview.cards["not_understood"].value.text() == str(n) == "2"
    assert f"{n} not understood" in window.files.summary.text()
    assert plural(1, "file") == "1 file" and plural(2000, "file") == "2,000 files"


def test_the_list_of_exports_names_them_in_words(qtbot, window, demo_paths):
    from app.words import source_words

    _scan_in_window(qtbot, window, demo_paths)
    text = window.overview.sources.text()
    assert "synthetic-facebook.zip (Facebook, JSON, 2024+ layout)" in text
    assert "WhatsApp Chat - Family.zip (WhatsApp chat from an iPhone)" in text
    for key in ("facebook,", "json", "whatsapp chat", "txt", "ios"):
        assert key not in text
    assert source_words("unknown", "unknown", "", "") == "not an export this app knows"
    assert source_words("whatsapp_account", "html", "2024", "") == "WhatsApp account information, HTML"


def test_problems_none_is_never_shown_next_to_files_not_understood(qtbot, window, synthetic):
    from parsers.contract import problems_frame

    synthetic.problems = problems_frame([])
    window.show_audit(synthetic)
    text = window.files.problems_label.text()
    assert "none" not in text.lower() and "2 files not understood" in text


# ---- a new audit starts clean ----------------------------------------------------------------------

def test_a_new_audit_resets_the_items_and_files_filters(qtbot, window, synthetic):
    from frames import synthetic_audit

    window.show_audit(synthetic)
    tab = window.items
    tab.platform.setCurrentIndex(tab.platform.findData("facebook"))
    tab.use_dates.setChecked(True)
    tab.search.setText("beach")
    qtbot.waitUntil(lambda: tab.spec.text == "beach", timeout=2000)
    window.files.set_status_filter("failed")
    assert tab.model.rowCount() < len(synthetic.items) and window.files.model.rowCount() == 1
    other = synthetic_audit(500, seed=2)
    window.show_audit(other)
    assert tab.spec.is_empty and tab.search.text() == "" and not tab.use_dates.isChecked()
    assert tab.platform.currentIndex() == 0
    assert tab.model.rowCount() == len(other.items)
    assert window.files.status.currentIndex() == 0 and window.files.model.rowCount() == len(other.files)


def test_an_empty_result_says_why_and_offers_clear_filters(qtbot, window, synthetic):
    window.show_audit(synthetic)
    tab = window.items
    window.tabs.setCurrentWidget(tab)
    tab.search.setText("no such words anywhere")
    qtbot.waitUntil(lambda: tab.model.rowCount() == 0, timeout=2000)
    assert tab.empty.isVisible()
    assert f"a filter is on and hides all {len(synthetic.items):,} items" in tab.empty.text()
    tab.empty.linkActivated.emit("app:clear")
    assert tab.model.rowCount() == len(synthetic.items) and not tab.empty.isVisible()


def test_clear_filters_clears_everything(qtbot, window, synthetic):
    window.show_audit(synthetic)
    tab = window.items
    tab.apply_pick({"platform": "instagram", "categories": ("comments", "reactions"),
                    "start": pd.Timestamp("2018-01-01", tz="UTC"), "end": pd.Timestamp("2019-01-01", tz="UTC")})
    tab.search.setText("café")
    tab.clear.click()
    assert tab.spec.is_empty and tab.search.text() == "" and not tab.use_dates.isChecked()
    assert tab.category.currentIndex() == 0 and tab.platform.currentIndex() == 0
    assert tab.model.rowCount() == len(synthetic.items)
    qtbot.wait(400)  # the debounced search must not come back
    assert tab.spec.is_empty


# ---- finding and reading -----------------------------------------------------------------------------

@pytest.mark.parametrize("typed, author", [("chloe", "Chloé Dubois"), ("SOREN MULLER", "Søren Müller"),
                                           ("zoe", "Zoë Ng")])
def test_the_search_finds_authors_whatever_the_case_and_accents(qtbot, window, synthetic, typed, author):
    window.show_audit(synthetic)
    tab = window.items
    assert [c.title for c in tab.model.columns].index("Author") == 5
    tab.search.setText(typed)
    qtbot.waitUntil(lambda: tab.spec.text == typed, timeout=2000)
    expected = int((synthetic.items["author"] == author).sum())
    assert tab.model.rowCount() == expected > 0
    assert set(tab.visible_items()["author"]) == {author}


def test_the_search_index_folds_accents_like_the_small_path():
    from frames import synthetic_items

    from app.views import ItemFilter, TextIndex, filter_mask

    items = synthetic_items(4000, seed=9)
    index = TextIndex(items)
    for needle in ("chloe", "CAFE", "naive", "soren", "person 12"):
        assert np.array_equal(filter_mask(items, ItemFilter(text=needle)),
                              filter_mask(items, ItemFilter(text=needle), text_index=index)), needle
        assert filter_mask(items, ItemFilter(text=needle)).any(), needle


def test_enter_opens_the_selected_item_and_tab_leaves_the_table(qtbot, window, synthetic):
    window.show_audit(synthetic)
    window.tabs.setCurrentWidget(window.items)
    view = window.items.view
    view.setFocus()
    view.selectRow(4)
    QTest.keyClick(view, Qt.Key.Key_Return)
    detail = window.items.detail
    assert detail is not None and detail.isVisible()
    assert detail.text.toPlainText() == window.items.visible_items().iloc[4]["text"]
    detail.close()
    assert not view.tabKeyNavigation()
    view.setFocus()
    QTest.keyClick(view, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is not view


def test_an_inverted_date_range_is_refused(qtbot, window, synthetic):
    window.show_audit(synthetic)
    tab = window.items
    tab.use_dates.setChecked(True)
    tab.end.setDate(QDate(2019, 6, 30))
    tab.start.setDate(QDate(2021, 1, 1))  # after the end: refused (held at the end date)
    assert tab.start.date() <= tab.end.date()
    tab.end.setDate(QDate(2015, 1, 1))
    assert tab.end.date() >= tab.start.date()
    spec = tab.spec
    assert spec.start < spec.end


def test_the_overview_fits_1024_by_700_by_scrolling_not_squeezing(qtbot, window, synthetic):
    synthetic.partial, synthetic.complete = True, False
    synthetic.incomplete_reason = "The download looks cut off: 32 files could not be read. Download it again."
    window.resize(1024, 700)
    window.show_audit(synthetic)
    QApplication.processEvents()
    overview = window.overview
    assert overview.incomplete.isVisible() and overview.partial.isVisible()
    for label in (overview.incomplete, overview.partial, overview.exposure_words, overview.route):
        assert label.height() >= label.heightForWidth(label.width()), label
    assert overview.category_chart.height() >= 400  # the charts keep their height; the page scrolls
    assert overview.scroll.verticalScrollBar().maximum() > 0


# ---- links and rules ----------------------------------------------------------------------------------

def test_objection_links_show_their_address_and_fall_back_to_a_copy_dialog(qtbot, window, synthetic, monkeypatch):
    from app import links

    window.show_audit(synthetic)
    window.overview.jurisdiction.setCurrentIndex(window.overview.jurisdiction.findData("eu"))
    route = window.overview.route
    url = "https://www.facebook.com/help/contact/712876720715583"
    assert url in route.text()
    route.linkHovered.emit(url)
    assert route.toolTip() == url  # the address on hover
    opened = []
    monkeypatch.setattr(links.QDesktopServices, "openUrl", lambda u: opened.append(u.toString()) or False)
    route.linkActivated.emit(url)
    assert opened == [url]
    dialog = links.last_fallback()
    assert dialog is not None and dialog.isVisible() and dialog.address.text() == url
    dialog.copy.click()
    assert QApplication.clipboard().text() == url
    dialog.close()


def test_each_exposure_level_links_to_its_rules_as_the_inventory_has_them(qtbot, window, demo_paths):
    from parsers import export

    audit = _scan_in_window(qtbot, window, demo_paths)
    words = window.overview.exposure_words.text()
    levels = [lvl for lvl, n in audit.items["exposure"].value_counts().items() if n]
    for level in levels:
        assert f"app:{level}" in words
    level = "training_if_public"
    window.overview.exposure_words.linkActivated.emit(f"app:{level}")
    dialog = window.overview.rules_dialog
    assert dialog is not None and dialog.isVisible() and dialog.level == level
    shown = dialog.text.text()
    inventory = export.inventory(audit)
    rows = inventory[inventory["exposure"] == level]
    assert len(rows) > 0
    for row in rows.itertuples():
        assert f"{int(row.items):,} item" in shown
        if row.policy_date:
            assert row.policy_date.split(";")[0] in shown
        for url in str(row.source).split():
            assert url in shown
    dialog.close()


# ---- charts -------------------------------------------------------------------------------------------

def test_the_toolbar_keeps_navigation_and_save_and_proposes_a_name(qtbot, window):
    from frames import synthetic_audit

    audit = synthetic_audit(400, seed=4)
    items = audit.items
    items["platform"] = pd.Categorical(["facebook"] * len(items), dtype=items["platform"].dtype)
    items["timestamp"] = pd.Timestamp("2024-03-01", tz="UTC") + pd.to_timedelta(np.arange(len(items)), unit="h")
    window.show_audit(audit)
    toolbar = window.timeline.chart.toolbar
    texts = [a.text() for a in toolbar.actions() if a.text()]
    assert texts == ["Home", "Back", "Forward", "Pan", "Zoom", "Save"]
    assert not toolbar.coordinates  # no coordinate readout
    assert window.timeline.chart.canvas.get_default_filename() == "facebook-timeline-2024.png"
    assert window.overview.category_chart.canvas.get_default_filename() == "facebook-categories-2024.png"


def test_timeline_note_counts_only_the_platform_shown_and_short_spans_get_months(qtbot, window, synthetic):
    from app.charts import EXPOSURE_COLOURS, GROUP_COLOURS, TimelineChart

    window.show_audit(synthetic)
    tab = window.timeline
    items = synthetic.items
    tab.platform.setCurrentIndex(tab.platform.findData("whatsapp"))
    undated = int((items["timestamp"].isna() & (items["platform"] == "whatsapp")).sum())
    assert undated > 0 and f"{undated:,} items of WhatsApp have no date" in tab.note.text()
    assert len(set(GROUP_COLOURS.values())) == len(GROUP_COLOURS) == 8
    assert not set(GROUP_COLOURS.values()) & set(EXPOSURE_COLOURS.values())
    months = pd.date_range("2023-11-01", periods=6, freq="MS")
    assert [label for _x, label in TimelineChart._year_ticks(months)] == ["Nov\n2023", "Dec", "Jan\n2024", "Feb",
                                                                           "Mar", "Apr"]
    quarters = TimelineChart._year_ticks(pd.date_range("2022-01-01", periods=30, freq="MS"))
    assert [label for _x, label in quarters][:5] == ["Jan\n2022", "Apr", "Jul", "Oct", "Jan\n2023"]


# ---- start, help and looks -------------------------------------------------------------------------

def test_help_is_on_the_start_screen_and_in_the_help_menu_and_about_says_the_promise(qtbot, window):
    window.start.help_button.click()
    assert window.dialog.windowTitle() == "How do I get my data?"
    text = window.dialog.text.text()
    for platform in ("Facebook", "Instagram", "WhatsApp chats", "WhatsApp account"):
        assert f"<h3>{platform}</h3>" in text
    assert "Download your information" in text and "Export chat" in text and "JSON" in text
    window.dialog.close()
    window.help_action.trigger()
    assert window.dialog.isVisible()
    window.dialog.close()
    box = window.about()
    from parsers import __version__

    assert __version__ in box.text() and "MIT" in box.text() and "nothing is sent anywhere" in box.text()
    box.close()


def test_view_theme_dark_light_system(qtbot, window, synthetic):
    from app.theme import is_dark

    assert window.settings.theme() == "system" and window.theme_actions["system"].isChecked()
    window.show_audit(synthetic)
    window.set_theme("dark")
    QApplication.processEvents()
    assert is_dark(QApplication.palette()) and window.settings.theme() == "dark"
    chart = window.overview.category_chart
    assert chart.figure.get_facecolor()[0] < 0.3  # redrawn in the dark palette
    window.set_theme("light")
    QApplication.processEvents()
    assert not is_dark(QApplication.palette()) and chart.figure.get_facecolor()[0] > 0.7
    window.set_theme("system")
    assert window.settings.theme() == "system"


def test_the_title_names_the_app_once_and_status_messages_stay(qtbot, window, synthetic):
    assert window.windowTitle() == "Export Auditor"
    window.show_audit(synthetic)
    assert window.windowTitle().count("Export Auditor") == 1 and window.windowTitle().startswith("fb.zip")
    window.statusBar().showMessage("Wrote 12 rows to /tmp/x.csv")
    QApplication.sendEvent(window, QStatusTipEvent(""))  # the pointer passing over a menu
    assert window.statusBar().currentMessage() == "Wrote 12 rows to /tmp/x.csv"


def test_the_start_screen_comes_first_without_pandas_or_matplotlib():
    """The first paint waits for nothing it does not show: no pandas, charts, dialogs or scan worker."""
    import subprocess
    import sys

    code = ("import sys; from PySide6.QtWidgets import QApplication; app = QApplication([]);"
            "from app.window import MainWindow; w = MainWindow(); w.show(); app.processEvents();"
            "print(sorted(m for m in ('pandas', 'matplotlib', 'numpy', 'app.export_dialog', 'app.help', "
            "'app.workers', 'app.tabs', 'parsers.scan') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120,
                         env={**__import__("os").environ, "QT_QPA_PLATFORM": "offscreen"},
                         cwd=str(__import__("pathlib").Path(__file__).resolve().parents[2]))
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]"


@pytest.mark.parametrize("size", [(1024, 700), (1600, 1000)])
def test_the_actions_panel_and_the_route_read_whole_and_wide_enough(qtbot, window, synthetic, size):
    """Issue 13: "What you can do" was a cramped third column at 1024 px and the route scrolled in a
    small box; both now sit under the charts at their full height, and only the page scrolls."""
    from PySide6.QtWidgets import QScrollArea

    window.resize(*size)
    window.show_audit(synthetic)
    QApplication.processEvents()
    overview = window.overview
    for label in (overview.actions_panel.text, overview.route):
        assert label.height() >= label.heightForWidth(label.width()), label
        scrolls, parent = [], label.parentWidget()
        while parent is not None:
            if isinstance(parent, QScrollArea):
                scrolls.append(parent)
            parent = parent.parentWidget()
        assert scrolls == [overview.scroll], label  # no box of its own that scrolls
    assert overview.actions_panel.width() >= 0.5 * size[0] - 60  # not a narrow column
    assert overview.category_chart.height() >= 400


def test_the_wheel_over_a_chart_scrolls_the_overview(qtbot, window, synthetic):
    from PySide6.QtCore import QPoint, QPointF
    from PySide6.QtGui import QWheelEvent

    window.resize(1024, 700)
    window.show_audit(synthetic)
    QApplication.processEvents()
    canvas = window.overview.category_chart.canvas
    bar = window.overview.scroll.verticalScrollBar()
    assert bar.maximum() > 0 and bar.value() == 0
    centre = QPointF(canvas.width() / 2, canvas.height() / 2)
    wheel = QWheelEvent(centre, QPointF(canvas.mapToGlobal(centre.toPoint())), QPoint(0, 0), QPoint(0, -120),
                        Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier, Qt.ScrollPhase.NoScrollPhase, False)
    QApplication.sendEvent(canvas, wheel)
    # not taken by the chart: Qt hands a real (spontaneous) wheel event on to the page's scroll area
    assert not wheel.isAccepted()
