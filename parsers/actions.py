"""What a person can do about their exposed content, ranked by how much of it each action covers.

The actions are data (parsers/rules.toml, [actions.*]): each names the regions where it exists, the
platforms it works on, what it covers (exposure level x categories), where to find it and what it
changes. This module only counts: it groups the items once by platform x category x kind x level
(a few hundred rows even for a million items) and matches every action against those groups.

API:
    plan(items, region) -> list[PlannedAction]     ranked for the region (None: as "other")
    plan_for_audit(audit) -> list[PlannedAction]   the audit's own region (export first, then chosen)
    action_titles(items, region) -> frame          platform x category x exposure -> "title; title"
    as_json(planned) -> list[dict]                 the `actions` list of scan --json
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from .rules import ANY, Action, table

if TYPE_CHECKING:
    from .scan import Audit

#: Levels at which Meta says it uses the content for AI: what "exposed" means when ranking.
EXPOSED_LEVELS = ("training_if_public", "training_ai_interactions")
PLATFORM_NAMES = {"facebook": "Facebook", "instagram": "Instagram", "whatsapp": "WhatsApp"}
_KIND_ORDER = {"act": 0, "companion": 1, "info": 3}


@dataclass(frozen=True)
class PlannedAction:
    """One action for this person: the data's words plus the counts from their own audit."""

    key: str
    title: str
    kind: str
    platforms: tuple[str, ...]
    items: int  # items it covers
    exposed: int  # of which Meta says it uses for AI
    count_text: str  # "1,240 posts and photos that may be public" ("" when it counts nothing)
    where: str
    effect: str
    caveat: str
    links: tuple[dict[str, str], ...]
    sources: tuple[dict[str, str], ...]

    @property
    def headline(self) -> str:
        """'Limit past posts: 1,240 posts and photos that may be public'."""
        return f"{self.title}: {self.count_text}" if self.count_text else self.title


def _groups(items: pd.DataFrame) -> pd.DataFrame:
    """Item counts per platform x category x kind x exposure (the only pass over the items)."""
    keys = ["platform", "category", "kind", "exposure"]
    if items.empty:
        return pd.DataFrame(columns=[*keys, "n"])
    counts = items.groupby(keys, observed=True, sort=False).size()
    out = counts.reset_index(name="n")
    for column in keys:
        out[column] = out[column].astype("object")
    return out[out["n"] > 0].reset_index(drop=True)


def _covered(action: Action, groups: pd.DataFrame) -> np.ndarray:
    """Mask over `groups`: the rows the action covers."""
    mask = np.zeros(len(groups), dtype=bool)
    for cover in action.covers:
        hit = np.ones(len(groups), dtype=bool)
        if cover.level != ANY:
            hit &= (groups["exposure"] == cover.level).to_numpy()
        if ANY not in cover.categories:
            hit &= groups["category"].isin(cover.categories).to_numpy()
        platforms = [p for p in cover.platforms if p != ANY] or list(action.platforms)
        hit &= groups["platform"].isin([p for p in platforms if p in action.platforms]).to_numpy()
        if cover.exclude_kinds:
            hit &= ~groups["kind"].isin(cover.exclude_kinds).to_numpy()
        mask |= hit
    return mask


def _region_key(region: str | None) -> str:
    from .exposure import normalise_jurisdiction

    key = normalise_jurisdiction(region)
    return key if key in table().regions else "other"


def _links(action: Action, region: str, platforms: tuple[str, ...]) -> tuple[dict[str, str], ...]:
    if action.links != "forms":
        return ()
    described = table().regions[region]
    links = [{"label": f"{PLATFORM_NAMES.get(f['platform'], f['platform'])} objection form", "url": f["url"]}
             for f in described.forms if f["platform"] in platforms]
    if described.portal:
        links.append({"label": described.portal["label"], "url": described.portal["url"]})
    return tuple(links)


def plan(items: pd.DataFrame, region: str | None) -> list[PlannedAction]:
    """The actions that exist in `region` and apply to these items, ranked.

    Ranked: actions by how many exposed items (Meta says it uses them for AI) they cover, then by
    how many items; the companions (keep your download); advice that counts nothing in the export
    (camera roll); last the reassurances (private, no statement). An action whose platform is not
    in the audit, or that covers none of its items, is left out.
    """
    key = _region_key(region)
    groups = _groups(items)
    present = set(groups["platform"]) if len(groups) else set()
    exposed_rows = groups["exposure"].isin(EXPOSED_LEVELS).to_numpy() if len(groups) else np.zeros(0, bool)
    ranked: list[tuple[tuple, PlannedAction]] = []
    for order, action in enumerate(table().actions_for(key)):
        if action.covers:
            mask = _covered(action, groups)
            count = int(groups["n"].to_numpy()[mask].sum()) if len(groups) else 0
            if not count:
                continue
            exposed = int(groups["n"].to_numpy()[mask & exposed_rows].sum())
            platforms = tuple(p for p in action.platforms if p in set(groups.loc[mask, "platform"]))
            text = f"{count:,} {action.unit[0] if count == 1 else action.unit[1]}"
            rank = (_KIND_ORDER[action.kind], -exposed, -count, order)
        else:
            platforms = tuple(p for p in action.platforms if p in present)
            if not platforms:
                continue
            count = exposed = 0
            text = ""
            rank = (2, 0, 0, order)
        sources = tuple({"title": s.title, "url": s.url, "date": s.date} for s in action.sources)
        ranked.append((rank, PlannedAction(action.key, action.title, action.kind, platforms, count, exposed, text,
                                           action.where, action.effect, action.caveat,
                                           _links(action, key, platforms), sources)))
    return [planned for _rank, planned in sorted(ranked, key=lambda pair: pair[0])]


def audit_region(audit: "Audit") -> str:
    """The audit's region: the export's own Facebook jurisdiction, else the person's choice, else other."""
    from .exposure import resolve_jurisdiction

    region, _origin = resolve_jurisdiction(audit.accounts, audit.jurisdiction)
    return _region_key(region)


def plan_for_audit(audit: "Audit") -> list[PlannedAction]:
    return plan(audit.items, audit_region(audit))


def action_titles(items: pd.DataFrame, region: str | None) -> pd.DataFrame:
    """platform, category, exposure -> the titles of the actions covering that row ("; "-joined),
    in the ranked order: the inventory CSV's `actions` column."""
    ranked = plan(items, region)
    groups = _groups(items)
    columns = ["platform", "category", "exposure", "actions"]
    if groups.empty:
        return pd.DataFrame(columns=columns)
    actions = table().actions
    titles = [[] for _ in range(len(groups))]
    for planned in ranked:
        for row in np.flatnonzero(_covered(actions[planned.key], groups)):
            titles[row].append(planned.title)
    groups = groups.assign(actions=titles)
    joined = groups.groupby(["platform", "category", "exposure"], sort=False)["actions"].agg(
        lambda lists: "; ".join(dict.fromkeys(t for titles in lists for t in titles)))
    return joined.reset_index()[columns]


def as_json(planned: list[PlannedAction]) -> list[dict[str, Any]]:
    """The `actions` list of scan --json (README contract)."""
    return [{"action": p.key, "title": p.title, "kind": p.kind, "platforms": list(p.platforms), "items": p.items,
             "exposed": p.exposed, "count_text": p.count_text, "where": p.where, "effect": p.effect,
             "caveat": p.caveat, "links": [dict(link) for link in p.links],
             "sources": [s["url"] for s in p.sources if s["url"]]} for p in planned]


__all__ = ["EXPOSED_LEVELS", "PlannedAction", "action_titles", "as_json", "audit_region", "plan", "plan_for_audit"]
