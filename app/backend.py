"""The app's one door to the audit library (summaries, CSV export, pseudonym keyring, objection route).

Widgets call only these functions, so a change in the parsers' API is absorbed here. Everything
below delegates to parsers.summaries / parsers.export / parsers.exposure / parsers.pseudonym and
only shapes the result for display.
"""
from __future__ import annotations

import html
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from parsers import export, exposure, summaries
from parsers.contract import EXPOSURE_LABELS, EXPOSURE_LEVELS, FILE_STATUSES
from parsers.handlers import NOT_READ_CANCELLED
from parsers.scan import Audit

from .views import TextIndex, undated_count
from .words import NOT_UNDERSTOOD, PLATFORM

PLATFORM_NAMES = PLATFORM

JURISDICTIONS = {
    "eu": "EU / EEA",
    "uk": "United Kingdom",
    "br": "Brazil",
    "us": "United States",
    "other": "Somewhere else",
}


@dataclass(frozen=True)
class Headline:
    items: int
    platforms: tuple[str, ...]
    first: pd.Timestamp | None
    last: pd.Timestamp | None
    media_bytes: int
    files_not_understood: int  # unknown + failed members


def headline(audit: Audit) -> Headline:
    """The five numbers at the top of the Overview tab (from parsers.summaries.headline)."""
    h = summaries.headline(audit)
    status = audit.files["status"]
    not_understood = int(status.isin(list(NOT_UNDERSTOOD)).sum()) if len(status) else 0
    return Headline(h["items"], tuple(h["platforms"]), h["first"], h["last"], h["media_bytes"], not_understood)


def _present(column: pd.Series) -> set[str]:
    """The values a column holds; for a categorical one counted on its codes (a million rows in ~1 ms)."""
    if isinstance(column.dtype, pd.CategoricalDtype):
        codes = column.cat.codes.to_numpy()
        counts = np.bincount(codes[codes >= 0], minlength=len(column.cat.categories))
        return {str(c) for c, n in zip(column.cat.categories, counts) if n}
    return set(column.astype("object").dropna().unique())


def exposure_levels(items: pd.DataFrame | None = None, region: str | None = None) -> list[tuple[str, str, str]]:
    """(level, plain words, policy dates) per exposure level.

    The dates are those of the rules in the exposure table for the platforms and categories
    present in `items` (all rules when no items are given), for every region and for `region`.
    """
    rules = exposure.rules_frame()
    rules = rules[rules["region"].isin([exposure.ANY, region])]
    if items is not None and len(items):
        platforms = _present(items["platform"]) | {exposure.ANY}
        categories = _present(items["category"]) | {exposure.ANY}
        rules = rules[rules["platform"].isin(platforms) & rules["category"].isin(categories)]
    dates = {str(level): sorted({d for d in group["policy_date"] if d}) for level, group in rules.groupby("level")}
    out = []
    for level in EXPOSURE_LEVELS:
        found = dates.get(level, [])
        note = ("Policy " + ("dates" if len(found) > 1 else "date") + ": " + ", ".join(found)) if found else ""
        out.append((level, EXPOSURE_LABELS[level], note))
    return out


def apply_exposure(audit: Audit, jurisdiction: str | None) -> pd.Series:
    return exposure.apply_exposure(audit.items, audit.accounts, jurisdiction)


def stated_jurisdiction(audit: Audit) -> str | None:
    """The jurisdiction the export itself states (normalised), or None when it does not say."""
    key, origin = exposure.resolve_jurisdiction(audit.accounts, None)
    return key if origin == "export" else None


def objection_route(jurisdiction: str) -> str:
    """Rich text about objecting to AI training where the person lives."""
    r = exposure.objection_route(jurisdiction)
    parts = [f"<p><b>{html.escape(r.get('summary', ''))}</b></p>"]
    if r.get("effect"):
        parts.append(f"<p>{html.escape(r['effect'])}</p>")
    forms = r.get("forms") or []
    if forms:
        links = ", ".join(f"<a href='{html.escape(f['url'])}'>{html.escape(PLATFORM_NAMES.get(f['platform'], f['platform']))}"
                          " form</a>" for f in forms)
        parts.append(f"<p>Objection forms: {links} (they open in your browser).</p>")
    if r.get("portal"):
        parts.append(f"<p><a href='{html.escape(r['portal']['url'])}'>{html.escape(r['portal']['label'])}</a></p>")
    if r.get("ai_interactions"):
        parts.append(f"<p>Meta AI chats: {html.escape(r['ai_interactions'])}</p>")
    if r.get("policy_date"):
        parts.append(f"<p><small>As Meta stated it on {html.escape(r['policy_date'])}.</small></p>")
    return "".join(parts)


def action_plan(audit: Audit) -> tuple[list, str, list[str]]:
    """(the ranked actions for the audit's region, the region's label, the region's notes) for the
    Overview's panel."""
    from parsers import actions

    region = actions.audit_region(audit)
    notes = exposure.objection_route(region)["notes"]
    return actions.plan(audit.items, region), JURISDICTIONS.get(region, region), notes


def rules_as_of() -> str:
    """The date the rule table was last reviewed ("Rules as of ...")."""
    return exposure.RULES_AS_OF


@dataclass(frozen=True)
class Prepared:
    """Everything the tabs show of an audit that takes pandas work, as plain data.

    Built by `prepare` in the scan worker, so the GUI thread only fills widgets and draws charts.
    """

    jurisdiction: str
    preset_from_export: bool  # the export states where its owner lives
    headline: Headline
    exposure_counts: dict[str, int]
    exposure_levels: list[tuple[str, str, str]]
    undated: int
    file_counts: dict[str, int]  # status -> members
    files_unread: int  # members a cancelled scan did not read
    text_index: TextIndex | None  # for the Items tab's search (None: the tab builds it on the first search)
    actions: tuple[list, str, list[str]] | None = None  # action_plan(audit): the Overview's "What you can do"


#: From this many items on, the Items tab searches a joined-text index instead of the column.
TEXT_INDEX_FROM = 50_000


def prepare(audit: Audit, chosen_jurisdiction: str | None) -> Prepared:
    """Settle the audit's jurisdiction (the export's own, else the person's choice, else "other"),
    re-applying the exposure rules when the region they were applied for changes, and compute what
    the tabs show. The search index is not built here: the Items tab builds it on the first search,
    so a scan (or a cancel) is not kept waiting for a search nobody may make.

    Mutates `audit` (items["exposure"], jurisdiction): call it before the GUI holds the audit.
    """
    stated = stated_jurisdiction(audit)
    jurisdiction = stated or chosen_jurisdiction or "other"
    if jurisdiction != audit.jurisdiction:
        applied, _origin = exposure.resolve_jurisdiction(audit.accounts, audit.jurisdiction)
        if applied != jurisdiction:  # the scan classified for another region (the export's own wins there)
            audit.items["exposure"] = exposure_column(audit, jurisdiction)
        audit.jurisdiction = jurisdiction
    return Prepared(jurisdiction, stated is not None, headline(audit), exposure_counts(audit.items),
                    exposure_levels(audit.items, jurisdiction), undated_count(audit.items), *file_counts(audit.files),
                    None, actions=action_plan(audit))


def exposure_column(audit: Audit, jurisdiction: str) -> pd.Categorical:
    """The items' exposure levels for `jurisdiction`, in the column's categorical dtype."""
    return pd.Categorical(apply_exposure(audit, jurisdiction), dtype=audit.items["exposure"].dtype)


def exposure_counts(items: pd.DataFrame) -> dict[str, int]:
    counts = items["exposure"].value_counts()
    return {level: int(counts.get(level, 0)) for level in EXPOSURE_LEVELS}


def partly_read(files: pd.DataFrame) -> tuple[list[tuple[str, int]], int]:
    """After a cancel: ([(member path, percent read)] of the members cut inside, members not reached)."""
    from parsers.handlers import PARTLY_READ, partly_read_percent

    if not len(files):
        return [], 0
    reasons = files["reason"].astype("object").fillna("")
    cut = files[reasons.str.startswith(PARTLY_READ.split("{")[0])]
    found = [(str(path), partly_read_percent(str(reason))) for path, reason in zip(cut["path"], cut["reason"])]
    return [(path, pct) for path, pct in found if pct is not None], int((reasons == NOT_READ_CANCELLED).sum())


def file_counts(files: pd.DataFrame) -> tuple[dict[str, int], int]:
    """(members per status, members a cancelled scan did not read)."""
    counts = files["status"].value_counts()
    unread = int((files["reason"] == NOT_READ_CANCELLED).sum()) if len(files) else 0
    return {s: int(counts.get(s, 0)) for s in FILE_STATUSES}, unread


@dataclass(frozen=True)
class ExportResult:
    path: Path
    rows: int
    notice: str  # e.g. "no keyring available: pseudonyms will differ next time"


def export_csv(audit: Audit, path: Path, *, what: str, pseudonymize: bool, include_text: bool,
               items: pd.DataFrame | None = None, force: bool = True) -> ExportResult:
    """Write the inventory, the items or the files as an Excel-friendly CSV with parsers.export, or
    the action plan page (`what="report"`, parsers.report).

    `items` narrows the item list (the Items tab's filtered rows). `force` replaces an existing
    file: the GUI asked the person first (the save dialog, or the export dialog's question).
    The inventory holds counts, not names: it is never pseudonymised.
    """
    if what == "report":
        from parsers.report import write_report

        return ExportResult(write_report(audit, path, force=force), len(audit.items), "")
    if what == "inventory":
        result = export.write_inventory_csv(audit, path, force=force)
    elif what == "files":
        result = export.write_files_csv(audit.files, path, pseudonymize=pseudonymize, force=force,
                                        names=export.audit_names(audit))
    else:
        result = export.write_items_csv(audit.items if items is None else items, path, pseudonymize=pseudonymize,
                                        include_text=include_text, force=force,
                                        owner_names=export.audit_names(audit))
    return ExportResult(Path(result.path), int(result.rows), result.notice or "")


def inventory_rows(audit: Audit, level: str) -> pd.DataFrame:
    """The inventory CSV's rows of one exposure level (platform x category, rationale, source, date)."""
    frame = export.inventory(audit)
    return frame[frame["exposure"].astype("object") == level].reset_index(drop=True)


def keyring_notice() -> str:
    """The notice to show before exporting with pseudonyms when no system keyring is available.

    Only looks at which keyring backend is active; it neither reads nor creates the key.
    """
    import keyring
    from keyring.backends import fail, null

    from parsers.pseudonym import NO_KEYRING_NOTICE

    backend = keyring.get_keyring()
    return NO_KEYRING_NOTICE if isinstance(backend, (fail.Keyring, null.Keyring)) else ""
