"""The Overview's "What you can do" panel: the actions of the person's region, ranked by how much of
their exposed content each covers, with the counts from their own audit (parsers.actions via the
backend), where to find each, what it changes, and the date of the rules.
"""
from __future__ import annotations

import html

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGroupBox, QLabel, QVBoxLayout, QWidget

from parsers.actions import PlannedAction
from parsers.scan import Audit

from .. import backend
from .common import keep_whole_height

_E = html.escape


class ActionsPanel(QGroupBox):
    """A group box holding one rich-text label (links open in the browser, on the person's click only)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("What you can do", parent)
        self.planned: list[PlannedAction] = []
        self.text = QLabel()
        self.text.setWordWrap(True)
        self.text.setTextFormat(Qt.TextFormat.RichText)
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextBrowserInteraction)
        self.text.setOpenExternalLinks(True)
        self.text.setAlignment(Qt.AlignmentFlag.AlignTop)
        layout = QVBoxLayout(self)
        layout.addWidget(keep_whole_height(self.text))  # at its whole height, under the charts: the Overview page scrolls
        self.setMinimumWidth(300)
        self.text.setText("No export yet.")

    def set_audit(self, audit: Audit, prepared: tuple[list[PlannedAction], str, list[str]] | None = None) -> None:
        """Plan for the audit's region (its items' exposure must already be for that region); with
        `prepared` (backend.action_plan, computed in the scan worker) no pandas work is done here."""
        self.planned, region_label, notes = prepared if prepared is not None else backend.action_plan(audit)
        self.text.setText(self.render(self.planned, region_label, backend.rules_as_of(), notes))

    @staticmethod
    def render(planned: list[PlannedAction], region_label: str, rules_as_of: str, notes: list[str] = ()) -> str:
        """The panel's rich text: the acts numbered, then the reassurances, then the region's notes."""
        acts = [p for p in planned if p.kind != "info"]
        info = [p for p in planned if p.kind == "info"]
        rows = [f"<p style='margin:0 0 6px 0'><small>For {_E(region_label)}, most of your exposed content first. "
                f"Rules as of {_E(rules_as_of)}.</small></p>"]
        for number, p in enumerate(acts, 1):
            count = f": {_E(p.count_text)}" if p.count_text else ""
            links = " ".join(f"<a href='{_E(link['url'])}'>{_E(link['label'])}</a>" for link in p.links)
            caveat = f" <i>{_E(p.caveat)}</i>" if p.caveat else ""
            rows.append(f"<p style='margin:0 0 8px 0'><b>{number}. {_E(p.title)}</b>{count}<br>"
                        f"<small>{_E(p.where)}</small><br><small>{_E(p.effect)}{caveat}</small>"
                        + (f"<br><small>{links}</small>" if links else "") + "</p>")
        if info:
            rows.append("<p style='margin:6px 0 2px 0'><b>Nothing to do</b></p>")
            rows += [f"<p style='margin:0 0 4px 0'><small>{_E(p.headline)}. {_E(p.effect)}"
                     + (f" <i>{_E(p.caveat)}</i>" if p.caveat else "") + "</small></p>" for p in info]
        if notes:
            rows.append("<p style='margin:6px 0 2px 0'><b>Worth knowing where you live</b></p>")
            rows += [f"<p style='margin:0 0 4px 0'><small>{_E(note)}</small></p>" for note in notes]
        return "".join(rows) if planned else "Nothing to do: the export holds no items."
