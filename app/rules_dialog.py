"""Why an exposure level: the rules behind it for this audit, as the inventory CSV has them
(platform x category, rationale, source, policy date), opened from the Overview's exposure list."""
from __future__ import annotations

import html

import pandas as pd
from PySide6.QtWidgets import QDialog, QLabel, QWidget

from parsers.contract import CATEGORY_LABELS, EXPOSURE_LABELS, EXPOSURE_SHORT

from .charts import PLATFORM_LABELS
from .links import LinkLabel, text_dialog_layout
from .words import plural


def rules_html(level: str, rows: pd.DataFrame) -> str:
    """One paragraph per platform x category of `level`: its items, the rationale, source and date."""
    parts = [f"<p><b>{html.escape(EXPOSURE_LABELS.get(level, level))}.</b></p>"]
    if rows.empty:
        parts.append("<p>No items of this audit are at this level.</p>")
    for row in rows.itertuples(index=False):
        where = (f"{PLATFORM_LABELS.get(str(row.platform), str(row.platform))} · "
                 f"{CATEGORY_LABELS.get(str(row.category), str(row.category))}")
        source = str(row.source or "")
        links = " ".join(f"<a href='{html.escape(url)}'>{html.escape(url)}</a>" for url in source.split() if url)
        parts.append(
            f"<h4 style='margin-bottom:2px'>{html.escape(where)}: {plural(int(row.items), 'item')}</h4>"
            f"<p style='margin-top:0'>{html.escape(str(row.rationale or 'No rationale recorded.'))}<br>"
            f"<small>Policy date: {html.escape(str(row.policy_date or 'not recorded'))}"
            + (f" · Source: {links}" if links else "") + "</small></p>")
    return "".join(parts)


class RulesDialog(QDialog):
    def __init__(self, level: str, rows: pd.DataFrame, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.level = level
        self.setWindowTitle(f"Why “{EXPOSURE_SHORT.get(level, level)}”")
        self.text = LinkLabel(rules_html(level, rows))
        self.text.setContentsMargins(6, 6, 6, 6)
        note = QLabel("The same rationale, source and date are in the inventory CSV (Export CSV…).")
        note.setWordWrap(True)
        text_dialog_layout(self, self.text, note)
        self.resize(640, 480)
