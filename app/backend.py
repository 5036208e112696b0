"""The app's one door to the audit library (summaries, CSV export, pseudonym key, objection route).

The GUI calls only these functions, so the parsers' API can move without touching widgets. Where
the library does not provide a piece (yet), the fallback here is deliberately minimal and says so.
"""
from __future__ import annotations

import html
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from parsers.contract import EXPOSURE_LABELS, EXPOSURE_LEVELS
from parsers.scan import Audit

from .views import date_span

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
    """The five numbers at the top of the Overview tab (parsers.summaries.headline when present)."""
    status = audit.files["status"] if len(audit.files) else pd.Series([], dtype="object")
    not_understood = int(status.isin(["unknown", "failed"]).sum())
    try:
        from parsers.summaries import headline as summarise
    except ImportError:
        summarise = None
    if summarise is not None:
        h = summarise(audit)
        return Headline(h["items"], tuple(h["platforms"]), h["first"], h["last"], h["media_bytes"], not_understood)
    items = audit.items
    span = date_span(items)
    platforms = tuple(sorted(items["platform"].astype("object").dropna().unique().tolist()))
    return Headline(len(items), platforms, span[0] if span else None, span[1] if span else None,
                    int(items["media_bytes"].sum()), not_understood)


def exposure_levels(items: pd.DataFrame | None = None) -> list[tuple[str, str, str]]:
    """(level, plain words, policy dates) per exposure level.

    The dates are those of the rules in the exposure table for the platforms and categories
    present in `items` (all rules when no items are given).
    """
    dates: dict[str, list[str]] = {}
    try:
        from parsers.exposure import rules_frame
    except ImportError:
        rules_frame = None
    if rules_frame is not None:
        rules = rules_frame()
        if items is not None and len(items):
            present_platforms = set(items["platform"].astype("object").dropna().unique())
            present_categories = set(items["category"].astype("object").dropna().unique())
            keep = (rules["platform"].isin(present_platforms | {"*"})
                    & rules["category"].isin(present_categories | {"*"}))
            rules = rules[keep]
        for level, group in rules.groupby("level"):
            dates[str(level)] = sorted({d for d in group["policy_date"] if d})
    out = []
    for level in EXPOSURE_LEVELS:
        found = dates.get(level, [])
        note = ("Policy " + ("dates" if len(found) > 1 else "date") + ": " + ", ".join(found)) if found else ""
        out.append((level, EXPOSURE_LABELS[level], note))
    return out


def apply_exposure(audit: Audit, jurisdiction: str | None) -> pd.Series:
    from parsers.exposure import apply_exposure as apply

    return apply(audit.items, audit.accounts, jurisdiction)


def objection_route(jurisdiction: str) -> str:
    """Rich text about objecting to AI training where the person lives."""
    try:
        from parsers.exposure import objection_route as route
    except ImportError:
        return ("The objection route for your jurisdiction is not available in this build. "
                "Check Meta's privacy centre for an objection form.")
    r = route(jurisdiction)
    if isinstance(r, str):
        return html.escape(r)
    parts = [f"<p><b>{html.escape(r.get('summary', ''))}</b></p>"]
    if r.get("effect"):
        parts.append(f"<p>{html.escape(r['effect'])}</p>")
    forms = r.get("forms") or []
    if forms:
        links = ", ".join(f"<a href='{html.escape(f['url'])}'>{html.escape(PLATFORM_NAMES.get(f['platform'], f['platform']))} form</a>"
                          for f in forms)
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
    """Write the inventory or the items as an Excel-friendly CSV (parsers.export when present).

    `force` replaces an existing file: the GUI asked the person before (the save dialog).
    """
    frame = audit.items if items is None else items
    try:
        from parsers import export as library
    except ImportError:
        library = None
    if library is None:
        rows = (_fallback_inventory(frame, path) if what == "inventory" else
                _fallback_items(frame, path, pseudonymize=pseudonymize, include_text=include_text))
        return ExportResult(path, rows, "")
    if what == "inventory":
        result = library.write_inventory_csv(audit, path, force=force)
    else:
        result = library.write_items_csv(frame, path, pseudonymize=pseudonymize, include_text=include_text,
                                         force=force, owner_names=library.owner_names(audit))
    return ExportResult(Path(result.path), int(result.rows), result.notice or "")


# ---- minimal fallbacks while parsers.export is absent ------------------------------------------

def keyring_notice() -> str:
    """The notice to show before exporting with pseudonyms when no system keyring is available.

    Only looks at which keyring backend is active; it neither reads nor creates the key.
    """
    try:
        import keyring
        from keyring.backends import fail, null

        from parsers.pseudonym import NO_KEYRING_NOTICE
    except ImportError:
        return ""
    backend = keyring.get_keyring()
    return NO_KEYRING_NOTICE if isinstance(backend, (fail.Keyring, null.Keyring)) else ""


def _fallback_inventory(frame: pd.DataFrame, path: Path) -> int:
    grouped = frame.groupby(["platform", "category"], observed=True)
    table = grouped.agg(items=("kind", "size"), first=("timestamp", "min"), last=("timestamp", "max"),
                        media_bytes=("media_bytes", "sum")).reset_index()
    table.to_csv(path, index=False, encoding="utf-8-sig", date_format="%Y-%m-%dT%H:%M:%SZ")
    return len(table)


def _fallback_items(frame: pd.DataFrame, path: Path, *, pseudonymize: bool, include_text: bool) -> int:
    out = frame.copy()
    if pseudonymize:
        codes, _ = pd.factorize(out["counterpart"])
        out["counterpart"] = [f"person-{c + 1}" if c >= 0 else "" for c in codes]
    if not include_text:
        out = out.drop(columns=["text"])
    out.to_csv(path, index=False, encoding="utf-8-sig", date_format="%Y-%m-%dT%H:%M:%SZ")
    return len(out)
