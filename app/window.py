"""The main window: start screen, scan progress, the four tabs, menus, drag and drop, settings.

The start screen shows first: the tabs (pandas, matplotlib) are built on first use, so the window
appears within the startup budget (benchmarks/bench_startup.py) and the heavy imports follow.
"""
from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, Qt, QThreadPool, QTimer, QUrl, Signal
from PySide6.QtGui import QAction, QActionGroup, QCloseEvent, QDragEnterEvent, QDropEvent, QIcon, QKeySequence
from PySide6.QtWidgets import (QApplication, QFileDialog, QMainWindow, QMessageBox, QStackedWidget, QTabWidget,
                               QVBoxLayout, QWidget)

from .assets import demo_paths, icon_path
from .settings import Settings
from .start_screen import ScanPanel, StartScreen
from .theme import THEME_TITLES, shared_theme

if TYPE_CHECKING:  # the dialogs and the worker load on first use: not needed for the first paint
    from parsers.scan import Audit

    from . import backend
    from .export_dialog import ExportDialog, ExportOptions
    from .help import HelpDialog
    from .tabs import FilesTab, ItemsTab, OverviewTab, TimelineTab
    from .workers import ScanProgress, ScanResult, ScanWorker

OPEN_FILTER = "Exports (*.zip *.txt);;Zip archives (*.zip);;WhatsApp chats (*.txt);;All files (*)"
APP_NAME = "Export Auditor"
TAB_TITLES = ("Overview", "Timeline", "Items", "Files")


def app_icon() -> QIcon:
    path = icon_path()
    return QIcon(str(path)) if path is not None else QIcon()


def _sources_of(path: str, audit: "Audit") -> list:
    """The sources an opened path became (a zip of chat zips becomes several)."""
    name = Path(path).name
    return [s for s in audit.sources if s.path == name or s.path.startswith(name + "/")]


class MainWindow(QMainWindow):
    """Everything the person sees. Scans run in a ScanWorker; results arrive as plain data."""

    scan_started = Signal(object)  # the ScanWorker, just before it is queued to the thread pool
    audit_shown = Signal(object)   # Audit, after the tabs were filled
    scan_failed = Signal(str)
    not_an_export = Signal(object)  # the NotAnExport dialog, when nothing opened was an export

    def __init__(self, settings: Settings | None = None) -> None:
        super().__init__()
        self.settings = settings or Settings()
        self.audit: Audit | None = None
        self.worker: "ScanWorker | None" = None
        self._adding = False
        self.audit_paths: list[str] = []  # what the shown audit was read from ("Add export..." reads them again)
        self._message_box: QMessageBox | None = None
        self._dialog: "ExportDialog | None" = None
        self.dialog: Any = None  # the last help / not-an-export dialog
        self.last_export: backend.ExportResult | None = None
        self.scan_function = None  # what the worker runs (parsers.scan.scan); tests may slow it down
        self._tabs: QTabWidget | None = None
        self._built: list[QWidget] = []  # the tabs built so far, in TAB_TITLES order
        self._tab_import = None  # the Future of importing app.tabs in a thread (preload_tabs)
        self._tab_timer = QTimer(self, interval=30)
        self._tab_timer.timeout.connect(self._next_staged_tab)
        self.theme = shared_theme(QApplication.instance())
        self.theme.apply(self.settings.theme())
        self.setWindowTitle(APP_NAME)
        self.setWindowIcon(app_icon())
        self.setAcceptDrops(True)

        self.start = StartScreen(app_icon())
        self.start.open_export.connect(self.choose_files)
        self.start.open_folder.connect(self.choose_folder)
        self.start.open_demo.connect(self.open_demo)
        self.start.open_recent.connect(self.scan_paths)
        self.start.clear_recent.connect(self.clear_recent)
        self.start.show_help.connect(self.show_help)

        self.scan_panel = ScanPanel()
        self.scan_panel.cancel_requested.connect(self.cancel_scan)
        self.scan_panel.hide()
        self.stack = QStackedWidget()
        self.stack.addWidget(self.start)
        central = QWidget()
        layout = QVBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.scan_panel)
        layout.addWidget(self.stack, 1)
        self.setCentralWidget(central)

        self._build_menus()
        self.statusBar().showMessage("Everything runs on this computer; nothing is sent anywhere.")
        geometry = self.settings.geometry()
        if geometry is None or not self.restoreGeometry(geometry):
            self.resize(*self.default_size())

    def default_size(self) -> tuple[int, int]:
        """1280x800, or the screen's free area when it is smaller (a 1024x700 screen gets a window that fits)."""
        screen = self.screen() or QApplication.primaryScreen()
        if screen is None:
            return 1280, 800
        free = screen.availableGeometry()
        return min(1280, free.width()), min(800, free.height() - 40)  # room for the title bar

    # ---- the tabs, built on first use --------------------------------------------------------
    def build_tabs(self) -> QTabWidget:
        """All four tabs, now (the first call imports pandas and matplotlib if `preload_tabs` has not)."""
        while self._build_next_tab():
            pass
        assert self._tabs is not None
        return self._tabs

    def preload_tabs(self) -> None:
        """During a scan: import the tabs' modules (pandas, matplotlib: ~1 s) in a thread, then build
        one tab per turn of the event loop, so the progress bar never freezes for long."""
        if self._tabs is not None and len(self._built) == len(TAB_TITLES):
            return
        if self._tab_import is None:
            import importlib
            from concurrent.futures import ThreadPoolExecutor

            pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="tab-import")
            self._tab_import = pool.submit(importlib.import_module, "app.tabs")
            pool.shutdown(wait=False)
        self._tab_timer.start()

    def _next_staged_tab(self) -> None:
        if self._tab_import is not None and not self._tab_import.done():
            return  # the timer comes back (importing here too would wait for the thread's import lock)
        if not self._build_next_tab():
            self._tab_timer.stop()

    def _build_next_tab(self) -> bool:
        """Build the next tab that is missing; False when all four are there."""
        if len(self._built) == len(TAB_TITLES):
            return False
        from . import tabs as modules  # pandas and matplotlib load here (or already did, in preload_tabs)

        if self._tabs is None:
            self._tabs = QTabWidget()
            self._tabs.setDocumentMode(True)
            self.stack.addWidget(self._tabs)
        kind = (modules.OverviewTab, modules.TimelineTab, modules.ItemsTab, modules.FilesTab)[len(self._built)]
        tab = kind()
        self._tabs.addTab(tab, TAB_TITLES[len(self._built)])
        self._built.append(tab)
        if len(self._built) == len(TAB_TITLES):
            self._overview, self._timeline, self._items, self._files = self._built
            self._overview.picked.connect(self.show_items_for)
            self._timeline.picked.connect(self.show_items_for)
            self._overview.jurisdiction_changed.connect(self.set_jurisdiction)
        return True

    @property
    def tabs(self) -> QTabWidget:
        return self.build_tabs()

    @property
    def overview(self) -> "OverviewTab":
        self.build_tabs()
        return self._overview

    @property
    def timeline(self) -> "TimelineTab":
        self.build_tabs()
        return self._timeline

    @property
    def items(self) -> "ItemsTab":
        self.build_tabs()
        return self._items

    @property
    def files(self) -> "FilesTab":
        self.build_tabs()
        return self._files

    # ---- menus -------------------------------------------------------------------------------
    def _action(self, text: str, slot, shortcut: QKeySequence | QKeySequence.StandardKey | str | None = None) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(slot)
        return action

    def _build_menus(self) -> None:
        self.open_action = self._action("&Open export…", self.choose_files, "Ctrl+O")
        self.folder_action = self._action("Open &folder…", self.choose_folder, "Ctrl+Shift+O")
        self.add_action = self._action("&Add export…", self.choose_files_to_add, "Ctrl+Shift+A")
        self.demo_action = self._action("Try the &demo", self.open_demo)
        self.close_action = self._action("&Close audit", self.close_audit, "Ctrl+W")
        self.export_action = self._action("&Export CSV…", self.export_csv, "Ctrl+E")
        self.quit_action = self._action("&Quit", self.close, "Ctrl+Q")
        self.help_action = self._action("&How do I get my data?", self.show_help, "F1")
        self.about_action = self._action("&About Export Auditor", self.about)
        self.clear_recent_action = self._action("C&lear the list", self.clear_recent)
        file_menu = self.menuBar().addMenu("&File")
        for action in (self.open_action, self.folder_action, self.add_action, self.demo_action):
            file_menu.addAction(action)
        self.recent_menu = file_menu.addMenu("Open &recent")
        self._fill_recent()
        file_menu.addAction(self.close_action)
        file_menu.addSeparator()
        file_menu.addAction(self.export_action)
        file_menu.addSeparator()
        file_menu.addAction(self.quit_action)
        view_menu = self.menuBar().addMenu("&View")
        self.view_actions = [self._action(title, lambda _=False, i=i: self._show_tab(i), f"Ctrl+{i + 1}")
                             for i, title in enumerate(TAB_TITLES)]
        for action in self.view_actions:
            view_menu.addAction(action)
        view_menu.addSeparator()
        theme_menu = view_menu.addMenu("&Theme")
        group = QActionGroup(self)
        self.theme_actions: dict[str, QAction] = {}
        for key, title in THEME_TITLES.items():
            action = self._action(title, lambda _=False, key=key: self.set_theme(key))
            action.setCheckable(True)
            action.setChecked(key == self.theme.choice)
            group.addAction(action)
            theme_menu.addAction(action)
            self.theme_actions[key] = action
        help_menu = self.menuBar().addMenu("&Help")
        help_menu.addAction(self.help_action)
        help_menu.addAction(self.about_action)
        self._update_actions()

    def _fill_recent(self) -> None:
        """The recent audits, in the File menu and on the start screen."""
        entries = self.settings.recent()
        self.start.set_recent(entries)
        self.recent_menu.clear()
        for entry in entries:
            action = self.recent_menu.addAction(entry.title)
            action.setToolTip("\n".join(entry.paths))
            action.triggered.connect(lambda _=False, paths=list(entry.paths): self.scan_paths(paths))
        if entries:
            self.recent_menu.addSeparator()
            self.recent_menu.addAction(self.clear_recent_action)
        self.recent_menu.setEnabled(bool(entries))

    def clear_recent(self) -> None:
        self.settings.clear_recent()
        self._fill_recent()

    def _update_actions(self) -> None:
        busy = self.worker is not None
        has_audit = self.audit is not None
        for action in (self.open_action, self.folder_action, self.demo_action):
            action.setEnabled(not busy)
        self.add_action.setEnabled(not busy and has_audit)
        self.close_action.setEnabled(not busy and has_audit)
        self.export_action.setEnabled(has_audit)
        for action in self.view_actions:  # nothing to show on the start screen
            action.setEnabled(has_audit)
        self.start.set_busy(busy)

    def _show_tab(self, index: int) -> None:
        if self.audit is not None:
            self.stack.setCurrentWidget(self.tabs)
            self.tabs.setCurrentIndex(index)

    def set_theme(self, choice: str) -> None:
        self.theme.apply(choice)
        self.settings.set_theme(self.theme.choice)
        self.theme_actions[self.theme.choice].setChecked(True)

    def event(self, event: QEvent) -> bool:
        """An empty status tip (the pointer over a menu) must not wipe a message that matters."""
        if event.type() == QEvent.Type.StatusTip and not event.tip():
            return True
        return super().event(event)

    # ---- opening -----------------------------------------------------------------------------
    def choose_files(self, _checked: bool = False, *, add: bool = False) -> None:
        chosen, _ = QFileDialog.getOpenFileNames(self, "Add export" if add else "Open export",
                                                 self.settings.last_folder(), OPEN_FILTER)
        if chosen:
            self.scan_paths(chosen, add=add)

    def choose_files_to_add(self) -> None:
        self.choose_files(add=True)

    def choose_folder(self) -> None:
        chosen = QFileDialog.getExistingDirectory(self, "Open an unzipped export", self.settings.last_folder())
        if chosen:
            self.scan_paths([chosen])

    def open_demo(self) -> None:
        paths = demo_paths()
        if not paths:
            self.statusBar().showMessage("The demo exports are missing from assets/demo.")
            return
        self.scan_paths([str(p) for p in paths], remember=False)

    def scan_paths(self, paths: list[str | Path], add: bool = False, remember: bool = True) -> "ScanWorker | None":
        """Start scanning `paths` in the background; `add` merges the result into the current audit."""
        if self.worker is not None:
            self.statusBar().showMessage("A scan is already running; wait for it or cancel it first.")
            return None
        paths = [str(p) for p in paths]
        if not paths:
            return None
        if remember:
            self.settings.set_last_folder(Path(paths[0]).parent)
        self._remember = remember
        self._opened = paths
        self._adding = add and self.audit is not None
        if self._adding:
            # read everything again together: owner inference, the encrypted-chat notice and the exposure
            # rules look across all exports, so one scan over all of them is the only honest merge
            paths = list(dict.fromkeys([*self.audit_paths, *paths]))
        from .workers import ScanWorker, prepare_in_worker, scan_jurisdiction

        chosen = self._chosen_jurisdiction()
        worker = ScanWorker(paths, jurisdiction=scan_jurisdiction(chosen), scan_function=self.scan_function,
                            prepare=lambda audit: prepare_in_worker(audit, chosen))
        worker.signals.progress.connect(self._on_progress)
        worker.signals.finished.connect(self._on_finished)
        worker.signals.errored.connect(self._on_error)
        self.worker = worker
        names = ", ".join(Path(p).name for p in paths)
        self.scan_panel.reset(f"{'Adding' if self._adding else 'Reading'} {names}")
        self.scan_panel.show()
        self._update_actions()
        self.statusBar().showMessage(f"Reading {names}…")
        self.scan_started.emit(worker)
        worker.start()
        self.preload_tabs()  # the tabs (matplotlib) load while the scan reads, not after it
        return worker

    def cancel_scan(self) -> None:
        if self.worker is not None:
            self.worker.cancel()
            self.scan_panel.cancel.setEnabled(False)
            self.scan_panel.title.setText("Cancelling… what was read so far stays viewable.")

    def _on_progress(self, p: "ScanProgress") -> None:
        self.scan_panel.update_progress(p.files_done, p.files_total, p.bytes_done, p.bytes_total, p.current)

    def _on_finished(self, result: "ScanResult") -> None:
        self.worker = None
        self.scan_panel.hide()
        audit = result.audit
        if result.cancelled and self._adding and self.audit is not None:
            self.statusBar().showMessage("Adding was cancelled; the audit is as it was before.")
            self._update_actions()
            return
        opened = [p for p in self._opened if p in result.paths]
        exports = [p for p in opened if any(s.platform != "unknown" for s in _sources_of(p, audit))]
        if not exports and not result.cancelled:
            self._update_actions()
            self._not_an_export(opened, audit)
            return
        if self._remember:
            platforms = sorted({s.platform.split("_")[0] for s in audit.sources if s.platform != "unknown"})
            self.settings.add_recent(list(result.paths), platforms)
            self._fill_recent()
        self.audit_paths = list(result.paths)
        self.show_audit(audit, result.prepared)
        n = len(audit.items)
        unrecognised = [Path(p).name for p in opened if p not in exports]
        if result.cancelled:
            self.statusBar().showMessage(f"Cancelled: a partial audit of {n:,} items is shown.")
        elif unrecognised:
            self.statusBar().showMessage(f"The app did not recognise {', '.join(unrecognised)} as a Facebook, "
                                         "Instagram or WhatsApp export; the Files tab lists what it holds.")
        elif not audit.complete:
            self.statusBar().showMessage(f"Read {n:,} items, but the export is incomplete: see the Overview.")
        else:
            what = "Added" if self._adding else "Read"
            self.statusBar().showMessage(f"{what} {n:,} items in {result.seconds:.1f} s. "
                                         "Nothing was sent anywhere.")
        self._update_actions()

    def _not_an_export(self, opened: list[str], audit: "Audit") -> None:
        """Nothing opened was an export: say what it is; the audit on screen (if any) stays."""
        from .help import NotAnExport, describe_input

        described = []
        for path in opened:
            names = [str(f) for f in audit.files["path"]] if len(opened) == 1 else []
            damaged = audit.incomplete_reason if not audit.complete and len(opened) == 1 else ""
            described.append((Path(path).name, describe_input(path, names, damaged)))
        kept = self.audit is not None
        dialog = NotAnExport(described, kept, self)
        dialog.help_requested.connect(self.show_help)
        self.dialog = dialog
        dialog.open()
        names = ", ".join(Path(p).name for p in opened)
        self.statusBar().showMessage(f"{names}: not a Facebook, Instagram or WhatsApp export"
                                     + ("; the audit on screen is as it was." if kept else "."))
        self.not_an_export.emit(dialog)

    def _on_error(self, message: str) -> None:
        self.worker = None
        self.scan_panel.hide()
        self._update_actions()
        self.statusBar().showMessage(message)
        self._show_message(QMessageBox.Icon.Warning, "The scan failed", message)
        self.scan_failed.emit(message)

    # ---- showing -----------------------------------------------------------------------------
    def _chosen_jurisdiction(self) -> str | None:
        return self.settings.jurisdiction()

    def show_audit(self, audit: "Audit", prepared: "backend.Prepared | None" = None) -> None:
        """Fill every tab from `audit` (GUI thread): widgets and charts only.

        `prepared` is the pandas work, done by the scan worker (`backend.prepare`); without it
        (or when the jurisdiction was changed during the scan) it is done here.
        """
        from . import backend

        if prepared is None or (prepared.jurisdiction != (backend.stated_jurisdiction(audit)
                                                          or self.settings.jurisdiction() or "other")):
            index = prepared.text_index if prepared is not None else None  # the text is the same
            prepared = replace(backend.prepare(audit, self.settings.jurisdiction()), text_index=index)
        self.audit = audit
        self.overview.set_audit(audit, prepared.jurisdiction, preset_from_export=prepared.preset_from_export,
                                prepared=prepared)
        self.timeline.set_audit(audit, undated=prepared.undated)
        self.items.set_items(audit.items, text_index=prepared.text_index,
                             span=(prepared.headline.first, prepared.headline.last))
        self.files.set_audit(audit, counts=(prepared.file_counts, prepared.files_unread))
        self.stack.setCurrentWidget(self.tabs)
        self.tabs.setCurrentWidget(self.overview)
        names = ", ".join(s.label or Path(s.path).name for s in audit.sources)
        # the app's name last, once: Qt adds the application display name only when a title lacks it
        self.setWindowTitle(f"{names}{' (partial)' if audit.partial else ''} — {APP_NAME}")
        self._update_actions()
        self.audit_shown.emit(audit)

    def close_audit(self) -> None:
        """File > Close audit: back to the start screen."""
        if self.worker is not None:
            return
        self.audit = None
        self.audit_paths = []
        self.stack.setCurrentWidget(self.start)
        self.setWindowTitle(APP_NAME)
        self.statusBar().showMessage("Everything runs on this computer; nothing is sent anywhere.")
        self._update_actions()

    def set_jurisdiction(self, jurisdiction: str) -> None:
        from . import backend

        self.settings.set_jurisdiction(jurisdiction)
        if self.audit is None:
            return
        self.audit.items["exposure"] = backend.exposure_column(self.audit, jurisdiction)
        self.audit.jurisdiction = jurisdiction
        self.overview.set_items(self.audit)
        self.timeline.set_audit(self.audit)
        self.items.set_items(self.audit.items)

    def show_items_for(self, target: dict) -> None:
        """A chart click: open the Items tab filtered to what was clicked."""
        self.items.apply_pick(target)
        self.stack.setCurrentWidget(self.tabs)
        self.tabs.setCurrentWidget(self.items)

    # ---- export ------------------------------------------------------------------------------
    def export_csv(self) -> "ExportDialog | None":
        if self.audit is None:
            return None
        from . import backend
        from .export_dialog import ExportDialog

        remembered = {kind: self.settings.option(f"pseudonymize_{kind}", True) for kind in ("items", "files")}
        dialog = ExportDialog(self.settings.last_folder(), pseudonymize=remembered,
                              include_text=self.settings.option("include_text", False),
                              filtered=not self.items.spec.is_empty, keyring_notice=backend.keyring_notice(),
                              kind=self.settings.export_kind(), parent=self)
        dialog.accepted.connect(lambda: self.write_export(dialog.options()))
        self._dialog = dialog
        dialog.open()
        return dialog

    def write_export(self, options: "ExportOptions") -> "backend.ExportResult | None":
        """Write one CSV. The pseudonym choice is remembered for its own kind only (the inventory has none)."""
        from . import backend

        assert self.audit is not None
        if options.what in ("items", "files"):
            self.settings.set_option(f"pseudonymize_{options.what}", options.pseudonymize)
        if options.what == "items":
            self.settings.set_option("include_text", options.include_text)
        self.settings.set_last_folder(options.path.parent)
        self.settings.set_export_kind(options.what)  # the next export starts from the same kind
        frame = self.items.visible_items() if options.only_visible else None
        try:
            result = backend.export_csv(self.audit, options.path, what=options.what,
                                        pseudonymize=options.pseudonymize, include_text=options.include_text,
                                        items=frame)
        except OSError as error:
            self.statusBar().showMessage(f"Could not write {options.path}: {error.strerror or error}")
            self._show_message(QMessageBox.Icon.Warning, "Export failed", f"Could not write {options.path}.\n{error}")
            return None
        self.last_export = result
        text = (f"Wrote the action plan to {result.path}" if options.what == "report"
                else f"Wrote {result.rows:,} rows to {result.path}")
        self.statusBar().showMessage(text)
        self._show_message(QMessageBox.Icon.Information, "Export written",
                           text + "." + (f"\n\n{result.notice}" if result.notice else ""))
        return result

    def _show_message(self, icon: QMessageBox.Icon, title: str, text: str) -> None:
        """A window-modal, non-blocking message (tests and the event loop keep running)."""
        box = QMessageBox(icon, title, text, QMessageBox.StandardButton.Ok, self)
        box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self._message_box = box
        box.open()

    # ---- help --------------------------------------------------------------------------------
    def show_help(self) -> "HelpDialog":
        from .help import HelpDialog

        dialog = HelpDialog(self)
        self.dialog = dialog
        dialog.open()
        return dialog

    def about(self) -> QMessageBox:
        from .help import about_box

        self._message_box = about_box(self)
        return self._message_box

    # ---- drag and drop -----------------------------------------------------------------------
    @staticmethod
    def _local_paths(urls: list[QUrl]) -> list[str]:
        return [u.toLocalFile() for u in urls if u.isLocalFile() and u.toLocalFile()]

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasUrls() and self._local_paths(event.mimeData().urls()):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragMoveEvent(self, event) -> None:  # keep accepting over child widgets
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        paths = self._local_paths(event.mimeData().urls())
        if not paths:
            event.ignore()
            return
        event.acceptProposedAction()
        self.scan_paths(paths, add=self.audit is not None)

    # ---- closing -----------------------------------------------------------------------------
    def closeEvent(self, event: QCloseEvent) -> None:
        if self.worker is not None:
            self.worker.cancel()
            QThreadPool.globalInstance().waitForDone(5000)
        self.settings.set_geometry(self.saveGeometry())
        self.settings.sync()
        super().closeEvent(event)
