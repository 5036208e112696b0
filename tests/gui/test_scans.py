"""What a person sees when a scan is not perfect: cancelled (between files, inside one big file, while
adding, while finishing), a damaged download, something that is not an export; and Open recent.

Scans that must be cancelled are held at a chosen progress report (GatedScan) until the test has
clicked Cancel, so none of them can finish first on a loaded machine.
"""
from __future__ import annotations

import re
import shutil
import threading
import zipfile

import pytest

from app.workers import running_workers
from parsers.handlers import NOT_READ_CANCELLED, partly_read_percent
from parsers.scan import scan

SCAN_TIMEOUT = 60_000


class GatedScan:
    """parsers.scan.scan, held at the first progress report `hold(args)` accepts until `release()`."""

    def __init__(self, hold=lambda args: True) -> None:
        self.hold = hold
        self.reached = threading.Event()
        self._go = threading.Event()

    def __call__(self, paths, **kwargs):
        progress = kwargs["progress"]

        def gated(*args):
            progress(*args)
            if not self.reached.is_set() and self.hold(args):
                self.reached.set()
                self._go.wait(30)

        return scan(paths, **{**kwargs, "progress": gated})

    def release(self) -> None:
        self._go.set()


@pytest.fixture
def gate(window):
    made: list[GatedScan] = []

    def make(hold=lambda args: True) -> GatedScan:
        made.append(GatedScan(hold))
        window.scan_function = made[-1]
        return made[-1]

    yield make
    for g in made:  # never leave a pool thread waiting
        g.release()


def _scan_in_window(qtbot, window, paths, **kwargs):
    with qtbot.waitSignal(window.audit_shown, timeout=SCAN_TIMEOUT) as blocker:
        assert window.scan_paths(paths, **kwargs) is not None
    return blocker.args[0]


def _cancel_when_held(qtbot, window, gated: GatedScan, worker):
    """Wait until the scan is held, click Cancel, let it go on, wait for its end on the GUI thread."""
    with qtbot.waitSignal(worker.signals.finished, timeout=SCAN_TIMEOUT):
        qtbot.waitUntil(gated.reached.is_set, timeout=SCAN_TIMEOUT)
        window.scan_panel.cancel.click()
        assert worker.cancel_requested
        gated.release()
    qtbot.waitUntil(lambda: window.worker is None and running_workers() == 0, timeout=10_000)


# ---- cancel -------------------------------------------------------------------------------------

def test_cancel_mid_scan_keeps_a_partial_audit(qtbot, window, demo_paths, gate):
    gated = gate(lambda args: args[0] >= 3)  # after the third file
    with qtbot.waitSignal(window.audit_shown, timeout=SCAN_TIMEOUT) as shown:
        worker = window.scan_paths(demo_paths)
        _cancel_when_held(qtbot, window, gated, worker)
    audit = shown.args[0]
    assert audit.partial
    unread = audit.files["reason"] == NOT_READ_CANCELLED  # listed, never dropped, but not read
    assert len(audit.files) == sum(s.files for s in audit.sources)
    assert 0 < int(unread.sum()) < len(audit.files)
    assert int(audit.files.loc[unread, "items"].sum()) == 0
    n = int(unread.sum())
    assert f"{n:,} files of the skipped were not read" in window.files.summary.text()
    assert window.overview.partial.isVisible()
    assert f"did not reach {n:,} files" in window.overview.partial.text()
    assert "Cancelled" in window.statusBar().currentMessage()
    assert "(partial)" in window.windowTitle()
    assert window.items.model.rowCount() == len(audit.items) > 0


def _big_chat(tmp_path, messages: int = 40_000):
    from builder.whatsapp import ChatFormat, ChatWriter, write_chat

    fmt = ChatFormat()
    return write_chat(tmp_path / "WhatsApp Chat with Zed.txt",
                      ChatWriter(4, fmt, chat="Zed").messages(messages), fmt)


def test_cancel_inside_one_big_file_keeps_its_items_and_says_how_far(qtbot, window, tmp_path, gate):
    """A 3.4 MB chat, cancelled at its second MiB: the messages read so far stay, with "read N% of"."""
    chat = _big_chat(tmp_path)
    size = chat.stat().st_size
    gated = gate(lambda args: args[4].endswith(chat.name) and args[2] >= 2 * 2**20)
    with qtbot.waitSignal(window.audit_shown, timeout=SCAN_TIMEOUT) as shown:
        worker = window.scan_paths([chat])
        _cancel_when_held(qtbot, window, gated, worker)
    audit = shown.args[0]
    assert audit.partial and 0 < len(audit.items) < 40_000  # not 0: what was read is kept
    [reason] = audit.files["reason"].tolist()
    percent = partly_read_percent(reason)
    assert percent is not None and 100 * 2 * 2**20 // size <= percent < 100
    text = window.overview.partial.text()
    assert f"read {percent}% of {chat.name}" in text
    assert re.search(r"read \d+% of WhatsApp Chat with Zed\.txt", text)
    assert window.overview.cards["items"].value.text() == f"{len(audit.items):,}"
    assert window.items.model.rowCount() == len(audit.items)
    row = window.files.model.index(0, 2)  # "Why", in words
    assert f"Read {percent}% of it" in window.files.model.data(row)


def test_cancel_is_not_offered_while_finishing(qtbot, window, demo_paths, gate):
    """Once every file is read the button is disabled, and a late cancel does not mark the audit partial."""
    gated = gate(lambda args: args[0] >= args[1] and not args[4])  # the final report: "Finishing"
    with qtbot.waitSignal(window.audit_shown, timeout=SCAN_TIMEOUT) as shown:
        worker = window.scan_paths(demo_paths)
        qtbot.waitUntil(gated.reached.is_set, timeout=SCAN_TIMEOUT)
        qtbot.waitUntil(lambda: not window.scan_panel.cancel.isEnabled(), timeout=10_000)
        assert window.scan_panel.current.text().startswith("Finishing")
        worker.cancel()  # as a click that slipped through would
        gated.release()
    audit = shown.args[0]
    assert not audit.partial and not window.overview.partial.isVisible()
    assert "(partial)" not in window.windowTitle()


def test_cancelling_an_added_export_keeps_the_audit_as_it_was(qtbot, window, demo_paths, gate):
    facebook, instagram = demo_paths[0], demo_paths[1]
    before = _scan_in_window(qtbot, window, [facebook])
    qtbot.waitUntil(lambda: running_workers() == 0, timeout=10_000)  # the first worker is released first
    gated = gate(lambda args: args[0] >= 2)
    worker = window.scan_paths([instagram], add=True)
    assert worker.paths == (str(facebook), str(instagram))  # the audit's exports are read again with the new one
    _cancel_when_held(qtbot, window, gated, worker)
    assert window.audit is before and window.audit_paths == [str(facebook)]
    assert "as it was before" in window.statusBar().currentMessage()
    assert window.overview.cards["items"].value.text() == f"{len(before.items):,}"


def test_a_worker_is_released_on_the_gui_thread_after_its_last_signal(qtbot, window, demo_paths):
    """The worker's signals object lives on the GUI thread and goes only after `ended` was delivered."""
    ended = []
    window.scan_started.connect(lambda worker: worker.signals.ended.connect(lambda: ended.append(1)))
    for paths in ([demo_paths[2]], [demo_paths[0]]):  # twice in a row: the second starts as the first ends
        _scan_in_window(qtbot, window, paths)
    qtbot.waitUntil(lambda: len(ended) == 2 and running_workers() == 0, timeout=10_000)


# ---- damaged downloads and wrong files ----------------------------------------------------------

def test_a_cut_off_download_shows_a_banner_with_the_reason(qtbot, window, demo_paths, tmp_path):
    cut = tmp_path / "facebook-cut.zip"
    data = demo_paths[0].read_bytes()
    cut.write_bytes(data[: len(data) * 6 // 10])  # the download stopped at 60%
    audit = _scan_in_window(qtbot, window, [cut])
    assert not audit.complete and audit.incomplete_reason
    banner = window.overview.incomplete
    assert banner.isVisible()
    assert "cut off" in banner.text() and "Download it again" in banner.text()
    assert audit.incomplete_reason.split(":")[0] in banner.text()
    assert banner.y() < window.overview.cards["items"].mapTo(banner.parentWidget(),
                                                             window.overview.cards["items"].rect().topLeft()).y()
    assert "incomplete" in window.statusBar().currentMessage()


def _odd_zip(tmp_path):
    odd = tmp_path / "holiday-photos.zip"
    with zipfile.ZipFile(odd, "w") as archive:
        archive.writestr("notes/readme.md", "not an export")
        archive.writestr("notes/todo.txt", "- buy milk")
    return odd


def test_opening_a_non_export_keeps_the_audit_says_what_it_is_and_is_not_recent(qtbot, window, demo_paths,
                                                                                 tmp_path):
    before = _scan_in_window(qtbot, window, [demo_paths[0]])
    odd = _odd_zip(tmp_path)
    with qtbot.waitSignal(window.not_an_export, timeout=SCAN_TIMEOUT) as blocker:
        window.scan_paths([odd])
    dialog = blocker.args[0]
    text = dialog.text.text()
    assert "holiday-photos.zip" in text and "a zip archive of 2 files (readme.md, todo.txt)" in text
    assert "stays as it was" in text and "WhatsApp chat" in text  # what the app can open
    assert window.audit is before and window.stack.currentWidget() is window.tabs
    assert [e.paths for e in window.settings.recent()] == [(str(demo_paths[0]),)]  # not added to Open recent
    dialog.text.linkActivated.emit("app:help")  # the link to how to download each platform's data
    assert window.dialog.windowTitle() == "How do I get my data?"


def test_adding_a_non_export_keeps_the_audit_too(qtbot, window, demo_paths, tmp_path):
    before = _scan_in_window(qtbot, window, [demo_paths[0]])
    (tmp_path / "report.pdf").write_bytes(b"%PDF-1.4 not an export")
    with qtbot.waitSignal(window.not_an_export, timeout=SCAN_TIMEOUT) as blocker:
        window.scan_paths([tmp_path / "report.pdf"], add=True)
    assert "a PDF file" in blocker.args[0].text.text()
    assert window.audit is before and window.audit_paths == [str(demo_paths[0])]


def test_a_non_export_on_the_start_screen_leaves_the_start_screen(qtbot, window, tmp_path):
    with qtbot.waitSignal(window.not_an_export, timeout=SCAN_TIMEOUT) as blocker:
        window.scan_paths([_odd_zip(tmp_path)])
    assert "Nothing was opened" in blocker.args[0].text.text()
    assert window.audit is None and window.stack.currentWidget() is window.start
    assert not window.export_action.isEnabled()


# ---- Open recent ----------------------------------------------------------------------------------

def test_open_recent_records_the_whole_set_and_reopens_it_on_one_click(qtbot, window, demo_paths, tmp_path):
    folder = tmp_path / "Downloads"
    folder.mkdir()
    facebook, instagram = (shutil.copy(p, folder / p.name) for p in demo_paths[:2])
    _scan_in_window(qtbot, window, [facebook])
    _scan_in_window(qtbot, window, [instagram], add=True)
    [entry, older] = window.settings.recent()
    assert entry.paths == (str(facebook), str(instagram)) and older.paths == (str(facebook),)
    assert entry.platforms == ("facebook", "instagram")
    assert window.start.recent.item(0).text() == "Facebook, Instagram (2 exports) · " + str(folder)
    window.close_audit()
    assert window.stack.currentWidget() is window.start and window.audit is None
    assert not any(a.isEnabled() for a in window.view_actions)  # Ctrl+1..4 do nothing on the start screen
    item = window.start.recent.item(0)
    with qtbot.waitSignal(window.audit_shown, timeout=SCAN_TIMEOUT) as shown:
        rect = window.start.recent.visualItemRect(item)
        from PySide6.QtCore import Qt
        from PySide6.QtTest import QTest

        QTest.mouseClick(window.start.recent.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert [s.label for s in shown.args[0].sources] == [facebook.name, instagram.name]
    window.start.clear_button.click()
    assert window.settings.recent() == [] and window.start.recent.count() == 0
    assert not window.recent_menu.isEnabled()


def test_a_recent_single_export_shows_its_file_name_so_two_in_one_folder_differ():
    from app.settings import RecentEntry

    first = RecentEntry(("/data/exports/facebook-2023.zip",), ("facebook",))
    second = RecentEntry(("/data/exports/facebook-2024.zip",), ("facebook",))
    assert first.title == "Facebook · facebook-2023.zip · /data/exports"
    assert first.title != second.title
    assert RecentEntry(("/data/chat.txt",)).title == "chat.txt · /data"
