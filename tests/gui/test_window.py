"""The real main window, offscreen: demo scan through the worker, chart clicks, cancel, export, drop."""
from __future__ import annotations

import time

import pandas as pd
import pytest
from matplotlib.backend_bases import MouseEvent, PickEvent
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication

from app.export_dialog import ExportDialog, ExportOptions
from app.views import human_bytes
from parsers.handlers import is_media
from app.workers import running_workers
from parsers.scan import scan

SCAN_TIMEOUT = 60_000


def _pick(chart, artist, xdata=None):
    """Simulate matplotlib's pick event for `artist`, as a click on it would fire it."""
    canvas = chart.canvas
    mouse = MouseEvent("button_press_event", canvas, 10, 10, button=1)
    mouse.xdata = xdata
    canvas.callbacks.process("pick_event", PickEvent("pick_event", canvas, mouse, artist))


def _scan_in_window(qtbot, window, paths, **kwargs):
    with qtbot.waitSignal(window.audit_shown, timeout=SCAN_TIMEOUT) as blocker:
        worker = window.scan_paths(paths, **kwargs)
        assert worker is not None
    return blocker.args[0]


# ---- the demo, through the worker ------------------------------------------------------------------

def test_demo_scans_in_the_worker_and_headline_matches_frames(qtbot, window, demo_paths):
    finished = []  # what the worker's finished signal carried (plain data: a ScanResult)
    window.scan_started.connect(lambda worker: worker.signals.finished.connect(finished.append))
    with qtbot.waitSignal(window.audit_shown, timeout=SCAN_TIMEOUT) as blocker:
        window.open_demo()
        assert window.worker is not None and window.scan_panel.isVisible()
        assert not window.open_action.isEnabled()  # no second scan while one runs
    audit = blocker.args[0]
    # the test's own slot is queued behind the window's: let the event loop deliver it
    qtbot.waitUntil(lambda: len(finished) == 1, timeout=5000)
    assert len(finished) == 1 and finished[0].audit is audit and not finished[0].cancelled
    assert window.worker is None and not window.scan_panel.isVisible()
    qtbot.waitUntil(lambda: running_workers() == 0, timeout=5000)  # its strong reference is released at the end
    # one source per demo zip; the WhatsApp zip holds two chat zips, each its own source
    assert {s.label.split("/")[0] for s in audit.sources} == {p.name for p in demo_paths}
    items, files = audit.items, audit.files
    assert len(items) > 0
    cards = window.overview.cards
    assert cards["items"].value.text() == f"{len(items):,}"
    platforms = items["platform"].astype("object").dropna().unique()
    assert cards["platforms"].value.text() == str(len(platforms)) == "3"  # one export per platform
    media_files = audit.files[audit.files["path"].map(is_media)]
    assert cards["media"].value.text() == human_bytes(int(media_files["size"].sum()))
    not_understood = int(files["status"].isin(["unknown", "failed"]).sum())
    assert cards["not_understood"].value.text() == f"{not_understood:,}"
    first, last = items["timestamp"].min(), items["timestamp"].max()
    assert cards["span"].value.text() == f"{first.year}–{last.year}"
    # the other tabs hold the same frames
    assert window.items.model.rowCount() == len(items)
    assert window.items.showing.text() == f"showing {len(items):,} of {len(items):,}"
    assert window.files.model.rowCount() == len(files)
    for status in ("parsed", "ignored", "unknown"):
        window.files.set_status_filter(status)
        assert window.files.model.rowCount() == int((files["status"] == status).sum())
    window.files.set_status_filter(None)
    # the Facebook demo states an EU jurisdiction: the combo is preset from the export
    assert window.overview.current_jurisdiction() == "eu"
    assert "Preset" in window.overview.jurisdiction_note.text()
    assert "object" in window.overview.route.text().lower()


def test_the_pandas_work_of_showing_a_scan_runs_in_the_worker(qtbot, window, demo_paths, monkeypatch):
    """Summaries, exposure words and file counts are computed in the worker; the GUI thread only draws."""
    import threading

    from app import backend
    from parsers import exposure, summaries

    main = threading.main_thread()
    where: dict[str, list[bool]] = {}

    def on_gui_thread(module, name):
        real = getattr(module, name)

        def spy(*args, **kwargs):
            where.setdefault(name, []).append(threading.current_thread() is main)
            return real(*args, **kwargs)

        monkeypatch.setattr(module, name, spy)

    for module, name in ((summaries, "headline"), (exposure, "rules_frame"), (exposure, "apply_exposure"),
                         (backend, "file_counts"), (backend, "undated_count")):
        on_gui_thread(module, name)
    finished = []
    window.scan_started.connect(lambda worker: worker.signals.finished.connect(finished.append))
    audit = _scan_in_window(qtbot, window, demo_paths)
    qtbot.waitUntil(lambda: len(finished) == 1, timeout=5000)
    prepared = finished[0].prepared
    assert isinstance(prepared, backend.Prepared)
    assert set(where) == {"headline", "rules_frame", "apply_exposure", "file_counts", "undated_count"}
    assert not any(any(calls) for calls in where.values()), where  # none of them ran on the GUI thread
    # what the worker computed is what the widgets show, and what the frames say
    assert prepared.jurisdiction == audit.jurisdiction == window.overview.current_jurisdiction() == "eu"
    assert prepared.headline == backend.headline(audit)
    assert prepared.exposure_counts == {k: int(v) for k, v in audit.items["exposure"].value_counts().items()}
    assert prepared.file_counts["parsed"] == int((audit.files["status"] == "parsed").sum()) > 0
    assert window.overview.cards["items"].value.text() == f"{len(audit.items):,}"
    shown = window.overview.exposure_words.text()
    for level, n in prepared.exposure_counts.items():
        assert (f"<b>{n:,}</b>" in shown) == (n > 0), level


def test_a_prepared_text_index_is_used_at_once_and_kept_for_the_same_frame(qtbot, window):
    from frames import synthetic_audit

    from app import backend
    from app.views import ItemFilter

    from dataclasses import replace

    from app.views import TextIndex

    audit = synthetic_audit(backend.TEXT_INDEX_FROM + 1000, seed=3)
    window.settings.set_jurisdiction("eu")
    prepared = backend.prepare(audit, "eu")
    assert prepared.text_index is None  # the scan worker does not build it: the first search does
    prepared = replace(prepared, text_index=TextIndex(audit.items))
    assert prepared.jurisdiction == audit.jurisdiction == "eu"
    window.show_audit(audit, prepared)
    tab = window.items
    assert tab.text_index_ready() and tab._text_index.result() is prepared.text_index
    tab.set_filter(ItemFilter(text="beach"))
    expected = int(audit.items["text"].str.contains("beach", regex=False).sum())
    assert tab.model.rowCount() == expected > 0
    window.overview.jurisdiction.setCurrentIndex(window.overview.jurisdiction.findData("us"))
    assert audit.jurisdiction == "us"
    assert tab._text_index.result() is prepared.text_index  # exposure changed, the text did not


def test_a_prepared_audit_for_another_jurisdiction_is_prepared_again(qtbot, window, synthetic):
    """The person chose another jurisdiction while the scan ran: the shown exposure follows the choice."""
    from app import backend

    prepared = backend.prepare(synthetic, "br")
    window.settings.set_jurisdiction("uk")
    window.show_audit(synthetic, prepared)
    assert synthetic.jurisdiction == "uk" == window.overview.current_jurisdiction()
    expected = backend.exposure_column(synthetic, "uk")
    assert (synthetic.items["exposure"] == expected).all()


def test_jurisdiction_choice_updates_route_and_is_remembered(qtbot, window, synthetic):
    window.show_audit(synthetic)
    combo = window.overview.jurisdiction
    before = window.overview.route.text()
    combo.setCurrentIndex(combo.findData("us"))
    assert window.overview.route.text() != before
    assert "no opt-out" in window.overview.route.text().lower()
    assert window.settings.jurisdiction() == "us"
    assert window.audit.jurisdiction == "us"


# ---- chart clicks open the Items tab filtered ----------------------------------------------------

def test_click_on_a_category_bar_filters_the_items_table(qtbot, window, synthetic):
    window.show_audit(synthetic)
    chart = window.overview.category_chart
    [bar] = chart.artists_for(platform="instagram", category="comments")
    _pick(chart, bar)
    assert window.tabs.currentWidget() is window.items
    items = synthetic.items
    expected = int(((items["platform"] == "instagram") & (items["category"] == "comments")).sum())
    assert expected > 0 and window.items.model.rowCount() == expected
    shown = window.items.visible_items()
    assert set(shown["platform"].astype(str)) == {"instagram"}
    assert set(shown["category"].astype(str)) == {"comments"}
    assert window.items.platform.currentData() == "instagram"
    assert window.items.category.currentData() == "comments"
    assert window.items.showing.text() == f"showing {expected:,} of {len(items):,}"


def test_click_on_a_legend_entry_filters_by_platform(qtbot, window, synthetic):
    window.show_audit(synthetic)
    chart = window.overview.category_chart
    legend = chart.figure.axes[0].get_legend()
    handle = next(h for h, t in zip(legend.legend_handles, legend.get_texts()) if t.get_text() == "WhatsApp")
    _pick(chart, handle)
    expected = int((synthetic.items["platform"] == "whatsapp").sum())
    assert window.items.model.rowCount() == expected
    assert window.items.category.currentData() is None


def test_click_on_an_exposure_bar_and_a_timeline_band(qtbot, window, synthetic):
    window.show_audit(synthetic)
    items = synthetic.items
    [bar] = window.overview.exposure_chart.artists_for(exposure="ads_profiling")
    _pick(window.overview.exposure_chart, bar)
    assert window.items.model.rowCount() == int((items["exposure"] == "ads_profiling").sum())

    timeline = window.timeline.chart
    [band] = [a for a in timeline.artists_for(group="content") if a not in timeline._legend_artists()]
    month = timeline.months[5]
    _pick(timeline, band, xdata=5.5)
    start = month.tz_localize("UTC")
    end = start + pd.offsets.MonthBegin(1)
    group = ["posts", "photos_videos", "stories_reels"]  # the band is a category group
    expected = int((items["category"].isin(group) & (items["timestamp"] >= start)
                    & (items["timestamp"] < end)).sum())
    assert window.tabs.currentWidget() is window.items
    assert window.items.model.rowCount() == expected
    assert window.items.use_dates.isChecked()
    assert window.items.category.currentData() == tuple(group)  # the group's entry in the category list


def test_timeline_switches_between_category_and_exposure_and_platform(qtbot, window, synthetic):
    window.show_audit(synthetic)
    tab = window.timeline
    tab.by.setCurrentIndex(tab.by.findData("exposure"))
    tab.platform.setCurrentIndex(tab.platform.findData("facebook"))
    assert tab.chart.by == "exposure" and tab.chart.platform == "facebook"
    assert "Facebook" in tab.chart.figure.axes[0].get_title()
    # every band is an exposure level, and the stacked total equals Facebook's dated items
    targets = [tab.chart.target_for(a) for a in tab.chart.artists_for(platform="facebook")]
    assert targets and all("exposure" in t for t in targets)
    fb = synthetic.items[synthetic.items["platform"] == "facebook"]
    top = tab.chart.figure.axes[0].get_ylim()[1]
    assert top >= 1 and fb["timestamp"].notna().sum() > 0


# ---- items table: filters and sorting ------------------------------------------------------------

def test_items_filters_search_and_header_sort(qtbot, window, synthetic):
    window.show_audit(synthetic)
    tab = window.items
    tab.exposure.setCurrentIndex(tab.exposure.findData("training_if_public"))
    tab.search.setText("beach")
    qtbot.waitUntil(lambda: tab.spec.text == "beach", timeout=2000)  # debounced
    items = synthetic.items
    expected = items[(items["exposure"] == "training_if_public")
                     & items["text"].str.contains("beach", case=False, regex=False)]
    assert tab.model.rowCount() == len(expected) > 0
    tab.view.sortByColumn(0, Qt.SortOrder.DescendingOrder)  # "When (UTC)"
    shown = tab.visible_items()["timestamp"].dropna()
    assert shown.is_monotonic_decreasing and shown.iloc[0] == expected["timestamp"].max()
    tab.clear.click()
    assert tab.model.rowCount() == len(items)


# ---- export ------------------------------------------------------------------------------------

def test_export_dialog_defaults():
    dialog = ExportDialog("/tmp")
    assert dialog.pseudonymize.isChecked()
    assert not dialog.include_text.isChecked() and not dialog.include_text.isEnabled()
    dialog.items.setChecked(True)
    assert dialog.include_text.isEnabled()
    assert dialog.options().what == "items" and dialog.options().path.name == "export-auditor-items.csv"


def test_items_csv_export_reads_back_pseudonymised_without_text(qtbot, window, demo_paths, tmp_path, monkeypatch):
    import keyring
    from keyring.backends import fail

    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())  # no keyring: the export must say its pseudonyms are session-only
    try:
        audit = _scan_in_window(qtbot, window, demo_paths)
        target = tmp_path / "items.csv"
        result = window.write_export(ExportOptions("items", target, pseudonymize=True, include_text=False,
                                                   only_visible=False))
    finally:
        keyring.set_keyring(previous)
    assert result is not None and result.path == target
    assert target.read_bytes()[:3] == b"\xef\xbb\xbf"  # UTF-8 BOM for Excel
    back = pd.read_csv(target, encoding="utf-8-sig", keep_default_na=False)
    assert len(back) == len(audit.items)
    assert "text" not in back.columns
    assert (back["category"].value_counts().sort_index()
            == audit.items["category"].astype(str).value_counts().sort_index()).all()
    people = audit.items[audit.items["category"] == "messages"]  # chats with (synthetic) people
    names = set(people["author"].dropna().astype(str)) - {""}  # chat titles ("Family") are not people
    assert names and not names & (set(back["counterpart"]) | set(back["author"]))
    assert str(target) in window.statusBar().currentMessage()
    box = window._message_box
    assert box is not None and str(target) in box.text()
    assert "keyring" in box.text().lower()


def test_inventory_export_and_filtered_items_export(qtbot, window, synthetic, tmp_path):
    window.show_audit(synthetic)
    inventory = tmp_path / "inventory.csv"
    window.write_export(ExportOptions("inventory", inventory, pseudonymize=True, include_text=False,
                                      only_visible=False))
    back = pd.read_csv(inventory, encoding="utf-8-sig")
    assert back["items"].sum() == len(synthetic.items)
    window.items.apply_pick({"platform": "facebook"})
    filtered = tmp_path / "facebook.csv"
    window.write_export(ExportOptions("items", filtered, pseudonymize=False, include_text=True, only_visible=True))
    rows = pd.read_csv(filtered, encoding="utf-8-sig", keep_default_na=False)
    assert len(rows) == int((synthetic.items["platform"] == "facebook").sum())
    assert set(rows["platform"]) == {"facebook"} and "text" in rows.columns
    assert window.settings.option("include_text", False) is True  # options remembered


# ---- drag and drop, add export, settings ------------------------------------------------------

def test_dropping_a_zip_scans_it_and_a_second_drop_adds_to_the_audit(qtbot, window, demo_paths):
    facebook, instagram = demo_paths[0], demo_paths[1]

    def drop(path):
        mime = QMimeData()
        mime.setUrls([QUrl.fromLocalFile(str(path))])
        enter = QDragEnterEvent(QPointF(window.rect().center()), Qt.DropAction.CopyAction, mime,
                                Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
        QApplication.sendEvent(window, enter)
        assert enter.isAccepted()
        event = QDropEvent(QPointF(window.rect().center()), Qt.DropAction.CopyAction, mime,
                           Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
        with qtbot.waitSignal(window.audit_shown, timeout=SCAN_TIMEOUT) as blocker:
            QApplication.sendEvent(window, event)
        return blocker.args[0]

    first = drop(facebook)
    assert [s.label for s in first.sources] == [facebook.name]
    assert set(first.items["platform"].astype(str)) == {"facebook"}
    n_facebook = len(first.items)
    second = drop(instagram)
    assert [s.label for s in second.sources] == [facebook.name, instagram.name]
    assert set(second.items["platform"].astype(str)) == {"facebook", "instagram"}
    n_instagram = len(scan([instagram]).items)
    assert len(second.items) == n_facebook + n_instagram
    assert window.audit_paths == [str(facebook), str(instagram)]
    assert window.overview.cards["platforms"].value.text() == "2"


def test_drop_of_non_file_urls_is_refused(qtbot, window):
    mime = QMimeData()
    mime.setUrls([QUrl("https://example.org/export.zip")])
    enter = QDragEnterEvent(QPointF(window.rect().center()), Qt.DropAction.CopyAction, mime,
                            Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(window, enter)
    assert not enter.isAccepted()


def test_recent_exports_last_folder_and_geometry_are_remembered(qtbot, window, demo_paths):
    from app.settings import Settings
    from app.window import MainWindow

    _scan_in_window(qtbot, window, [demo_paths[2]])
    window.resize(700, 500)  # inside the offscreen screen (800x600), so restoring does not clamp
    saved = (window.width(), window.height())
    assert saved != (1280, 800)
    window.close()
    settings = Settings()
    assert settings.recent()[0].paths == (str(demo_paths[2]),)
    assert settings.recent()[0].platforms == ("whatsapp",)
    assert settings.last_folder() == str(demo_paths[2].parent)
    again = MainWindow()
    qtbot.addWidget(again)
    assert (again.width(), again.height()) == saved
    assert again.start.recent.count() == 1
    recent = again.recent_menu.actions()[0]
    assert recent.text().startswith("WhatsApp · ") and demo_paths[2].parent.name in recent.text()
    with qtbot.waitSignal(again.audit_shown, timeout=SCAN_TIMEOUT) as blocker:
        recent.trigger()
    assert {s.label.split("/")[0] for s in blocker.args[0].sources} == {demo_paths[2].name}


def test_menus_and_shortcuts(window):
    assert window.open_action.shortcut().toString() == "Ctrl+O"
    assert window.export_action.shortcut().toString() == "Ctrl+E"
    assert window.quit_action.shortcut().toString() == "Ctrl+Q"
    assert not window.export_action.isEnabled()  # nothing to export before an audit


@pytest.mark.parametrize("argv", [["--demo"], ["some.zip"]])
def test_command_line_is_parsed(argv):
    from app.gui import build_parser

    options, _ = build_parser().parse_known_args(argv)
    assert options.demo == (argv == ["--demo"]) and options.paths == ([] if options.demo else ["some.zip"])


def test_double_click_shows_the_whole_item(qtbot, window, synthetic):
    window.show_audit(synthetic)
    tab = window.items
    tab.apply_pick({"platform": "instagram", "category": "messages"})
    index = tab.model.index(3, 0)
    detail = tab.show_detail(index)
    expected = tab.visible_items().iloc[3]
    assert detail.text.toPlainText() == expected["text"]
    assert detail.values["Platform"] == "Instagram" and detail.values["Category"] == "Messages"
    assert detail.values["With / where"] == expected["counterpart"]


def test_the_first_search_of_a_large_audit_builds_the_index_in_the_background(qtbot, window):
    """Showing a large audit builds no search index; the first search does, off the GUI thread, and
    its result replaces the rows when the index is there (issue 13: Finishing after a cancel)."""
    from frames import synthetic_audit

    from app import backend
    from app.views import ItemFilter

    audit = synthetic_audit(backend.TEXT_INDEX_FROM + 5000, seed=4)
    prepared = backend.prepare(audit, None)
    window.show_audit(audit, prepared)
    tab = window.items
    assert tab._text_index is None and not tab.text_index_ready()
    tab.set_filter(ItemFilter(text="beach"))
    expected = int(audit.items["text"].str.contains("beach", regex=False).sum())
    if not tab.text_index_ready():  # still building: the rows stay, the count line says why
        assert tab.model.rowCount() == len(audit.items)
        assert tab.showing.text().startswith("preparing the search")
    qtbot.waitUntil(lambda: tab.model.rowCount() == expected, timeout=20_000)
    assert tab.text_index_ready() and tab.showing.text().startswith(f"showing {expected:,} of")
    # a narrow filter searches its few rows at once, without the index
    tab._drop_index()
    import pandas as pd

    month = (pd.Timestamp("2019-03-01", tz="UTC"), pd.Timestamp("2019-04-01", tz="UTC"))  # ~1% of 8 years
    tab.set_filter(ItemFilter(start=month[0], end=month[1], text="beach"))
    stamps = audit.items["timestamp"]
    narrow = int(((stamps >= month[0]) & (stamps < month[1])
                  & audit.items["text"].str.contains("beach", regex=False)).sum())
    assert tab.model.rowCount() == narrow > 0 and tab.showing.text().startswith("showing")


def test_a_new_audit_drops_the_index_of_the_previous_one(qtbot, window):
    from frames import synthetic_audit

    from app import backend
    from app.views import ItemFilter

    first = synthetic_audit(backend.TEXT_INDEX_FROM + 1000, seed=5)
    window.show_audit(first, backend.prepare(first, None))
    window.items.set_filter(ItemFilter(text="beach"))
    building = window.items._text_index
    second = synthetic_audit(backend.TEXT_INDEX_FROM + 2000, seed=6)
    window.show_audit(second, backend.prepare(second, None))
    assert window.items._text_index is None and building.stop.is_set()
    window.items.set_filter(ItemFilter(text="beach"))
    expected = int(second.items["text"].str.contains("beach", regex=False).sum())
    qtbot.waitUntil(lambda: window.items.model.rowCount() == expected, timeout=20_000)


def test_prepare_does_not_classify_again_for_the_region_the_scan_used(monkeypatch):
    from frames import synthetic_audit

    from app import backend

    calls = []
    real = backend.exposure_column
    monkeypatch.setattr(backend, "exposure_column", lambda audit, j: calls.append(j) or real(audit, j))
    audit = synthetic_audit(500, seed=2)
    from app.workers import scan_jurisdiction

    audit.jurisdiction = scan_jurisdiction(None)  # what the window scans with when nothing was chosen
    assert backend.prepare(audit, None).jurisdiction == "other" and calls == []
    audit.jurisdiction = None  # scanned with no region: "other" brings in other rules, so classify again
    backend.prepare(audit, None)
    assert calls == ["other"]


def test_a_scan_builds_the_tabs_one_per_turn_after_importing_them_off_the_gui_thread(qtbot, window, demo_paths):
    """The tabs' modules (pandas, matplotlib) import in a thread during the scan; the GUI thread then
    builds one tab per timer turn, so the progress bar keeps moving (issue 14: no stall over 100 ms)."""
    from concurrent.futures import Future

    seen = []
    window._tab_timer.timeout.connect(lambda: seen.append(len(window._built)))
    window.scan_paths([str(p) for p in demo_paths], remember=False)
    assert isinstance(window._tab_import, Future)
    qtbot.waitUntil(lambda: window.audit is not None, timeout=60_000)
    assert [t.__class__.__name__ for t in window._built] == ["OverviewTab", "TimelineTab", "ItemsTab", "FilesTab"]
    assert window.overview is window._built[0] and window.files is window._built[3]
    staged = [n for n in seen if n]
    assert all(b - a <= 1 for a, b in zip(staged, staged[1:])), staged  # never two tabs in one turn
    assert not window._tab_timer.isActive()


def test_a_chart_on_a_hidden_tab_is_drawn_when_it_is_shown(qtbot, window, synthetic):
    from unittest.mock import patch

    window.show_audit(synthetic)
    qtbot.wait(50)
    canvas = window.timeline.chart.canvas
    assert not canvas.isVisible()
    with patch.object(type(canvas), "draw", autospec=True) as draw:
        window.timeline.chart.redraw()
        qtbot.wait(50)
        assert draw.call_count == 0 and canvas._draw_when_shown
        window.tabs.setCurrentWidget(window.timeline)
        qtbot.waitUntil(lambda: draw.call_count >= 1, timeout=5000)
