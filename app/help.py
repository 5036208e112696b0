"""Help: "How do I get my data?" (the steps per platform, as the README gives them), About, and the
dialog for a file that is not an export (what it is, what the app opens, where to get an export)."""
from __future__ import annotations

import html
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QMessageBox, QVBoxLayout, QWidget

from parsers import __version__

from .links import APP_SCHEME, LinkLabel, text_dialog_layout
from .words import plural

#: (platform, where to click, what to choose), from the README's "What it reads and where to get it".
STEPS = (
    ("Facebook", "Settings → Accounts Center → Your information and permissions → Download your information.",
     "Choose <b>JSON</b> (the fullest audit; an HTML export you already have is read too) and <b>All time</b>. "
     "Large accounts arrive as several zips: open them together."),
    ("Instagram", "Settings → Accounts Center → Your information and permissions → Download your information.",
     "Choose <b>JSON</b> for exact times; an HTML export you already have is read too."),
    ("WhatsApp chats", "In a chat: ⋮ or the contact's name → More → Export chat (with or without media).",
     "You get <i>WhatsApp Chat with X.txt</i> or a zip that holds it; open either."),
    ("WhatsApp account", "Settings → Account → Request account info.",
     "A few days later you can download a report zip; open it as it is."),
)

OPENS = ("a Facebook or Instagram export: its zip, all the parts of a multi-part export at once, or the "
         "unzipped folder; a WhatsApp chat (.txt, or the zip that holds it); a WhatsApp account report zip.")

PRIVACY = ("Everything runs on this computer; nothing is sent anywhere. The app makes no network calls (no "
           "telemetry, no update checks). It writes only the files you export and its own settings. Exported "
           "CSVs replace people's names with pseudonyms unless you untick it.")


def steps_html() -> str:
    rows = "".join(f"<h3>{name}</h3><p>{where}</p><p>{what}</p>" for name, where, what in STEPS)
    return (f"<p>Each platform lets you download a copy of your data. It takes from minutes to a few days; "
            f"you get an e-mail or a notification when it is ready.</p>{rows}"
            f"<p>Then choose <b>Open export…</b> or drop the files on the window. The app opens {OPENS}</p>")


class HelpDialog(QDialog):
    """How do I get my data?"""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("How do I get my data?")
        self.text = LinkLabel(steps_html())
        self.text.setContentsMargins(8, 8, 8, 8)
        text_dialog_layout(self, self.text)
        self.resize(600, 520)


def about_html() -> str:
    return (f"<h3>Export Auditor {html.escape(__version__)}</h3>"
            "<p>Shows what your Facebook, Instagram and WhatsApp data exports contain and which parts Meta says "
            "it uses, or may use, to train its AI.</p>"
            f"<p><b>Privacy.</b> {PRIVACY}</p>"
            "<p>Licence: MIT. The exposure rules cite their sources and the date of the policy they reflect.</p>")


def about_box(parent: QWidget) -> QMessageBox:
    box = QMessageBox(QMessageBox.Icon.NoIcon, "About Export Auditor", about_html(),
                      QMessageBox.StandardButton.Close, parent)
    box.setTextFormat(Qt.TextFormat.RichText)
    box.open()
    return box


def describe_input(path: str, files: list[str], damaged: str = "") -> str:
    """What a path that is not an export is, in words: "a zip of 2 files (readme.md, todo.txt)"."""
    p = Path(path)
    names = ", ".join(Path(f).name for f in files[:3]) + (", …" if len(files) > 3 else "")
    listing = f" ({names})" if names else ""
    if damaged:  # the scan's incomplete reason: "The download looks cut off: x.zip ends early ... again ..."
        said = damaged.split(": ", 1)[-1].rstrip(".")
        return f"damaged or cut off: {said}"
    if p.is_dir():
        return f"a folder of {plural(len(files), 'file')}{listing}"
    suffix = p.suffix.lower()
    if suffix == ".zip":
        return f"a zip archive of {plural(len(files), 'file')}{listing}" if files else "an empty zip archive"
    if suffix == ".txt":
        return "a text file whose first lines are not WhatsApp chat messages"
    if not p.exists():
        return "not there any more (it was moved or deleted)"
    return f"a {suffix[1:].upper()} file" if suffix else "a file of a kind this app does not read"


class NotAnExport(QDialog):
    """Shown instead of an empty audit: the audit on screen stays as it was."""

    help_requested = Signal()

    def __init__(self, described: list[tuple[str, str]], kept: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Not an export")
        what = "".join(f"<p><b>{html.escape(name)}</b> is {html.escape(text.rstrip('.'))}.</p>"
                       for name, text in described)
        stays = ("The audit on screen stays as it was." if kept else "Nothing was opened.")
        self.text = LinkLabel(
            f"{what}<p>The app found no Facebook, Instagram or WhatsApp export in it. {stays}</p>"
            f"<p>This app opens {html.escape(OPENS)}</p>"
            f"<p><a href='{APP_SCHEME}help'>How do I get my data?</a> (the steps for each platform)</p>",
            internal=lambda _target: self.help_requested.emit())
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok)
        buttons.accepted.connect(self.accept)
        layout = QVBoxLayout(self)
        layout.addWidget(self.text)
        layout.addWidget(buttons)
        self.setMinimumWidth(460)
