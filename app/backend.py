"""The app's one door to the audit library (summaries, CSV export, pseudonym keyring, objection route).

Widgets call only these functions, so a change in the parsers' API is absorbed here. Everything
below delegates to parsers.summaries / parsers.export / parsers.exposure / parsers.pseudonym and
only shapes the result for display.
"""
from __future__ import annotations

import html
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from parsers import export, exposure, summaries
from parsers.contract import EXPOSURE_LABELS, EXPOSURE_LEVELS
from parsers.scan import Audit

PLATFORM_NAMES = {"facebook": "Facebook", "instagram": "Instagram", "whatsapp": "WhatsApp"}

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
    not_understood = int(status.isin(["unknown", "failed"]).sum()) if len(status) else 0
    return Headline(h["items"], tuple(h["platforms"]), h["first"], h["last"], h["media_bytes"], not_understood)


def exposure_levels(items: pd.DataFrame | None = None) -> list[tuple[str, str, str]]:
    """(level, plain words, policy dates) per exposure level.

    The dates are those of the rules in the exposure table for the platforms and categories
    present in `items` (all rules when no items are given).
    """
    rules = exposure.rules_frame()
    if items is not None and len(items):
        platforms = set(items["platform"].astype("object").dropna().unique()) | {exposure.ANY}
        categories = set(items["category"].astype("object").dropna().unique()) | {exposure.ANY}
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
    if r.get("ai_interactions"):
        parts.append(f"<p>Meta AI chats: {html.escape(r['ai_interactions'])}</p>")
    if r.get("policy_date"):
        parts.append(f"<p><small>As Meta stated it on {html.escape(r['policy_date'])}.</small></p>")
    return "".join(parts)


@dataclass(frozen=True)
class ExportResult:
    path: Path
    rows: int
    notice: str  # e.g. "no keyring available: pseudonyms will differ next time"


def export_csv(audit: Audit, path: Path, *, what: str, pseudonymize: bool, include_text: bool,
               items: pd.DataFrame | None = None, force: bool = True) -> ExportResult:
    """Write the inventory or the items as an Excel-friendly CSV with parsers.export.

    `items` narrows the item list (the Items tab's filtered rows). `force` replaces an existing
    file: the GUI asked the person first (the save dialog, or the export dialog's question).
    """
    if what == "inventory":
        result = export.write_inventory_csv(audit, path, force=force)
    else:
        result = export.write_items_csv(audit.items if items is None else items, path, pseudonymize=pseudonymize,
                                        include_text=include_text, force=force,
                                        owner_names=export.owner_names(audit))
    return ExportResult(Path(result.path), int(result.rows), result.notice or "")


def keyring_notice() -> str:
    """The notice to show before exporting with pseudonyms when no system keyring is available.

    Only looks at which keyring backend is active; it neither reads nor creates the key.
    """
    import keyring
    from keyring.backends import fail, null

    from parsers.pseudonym import NO_KEYRING_NOTICE

    backend = keyring.get_keyring()
    return NO_KEYRING_NOTICE if isinstance(backend, (fail.Keyring, null.Keyring)) else ""
