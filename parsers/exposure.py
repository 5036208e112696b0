"""Exposure rules: which items Meta says it uses, or may use, to train its generative AI.

The rules are data, not code: parsers/rules.toml holds the table (platform x category x kind x
region -> level), every row with its plain-words rationale, the date of the policy it reflects and
its sources (parsers.rules loads and checks it). `classify` resolves the table once per distinct
(platform, category, kind) and maps the answer onto the items with a merge, so it costs the same
at a million items as at a thousand. A few refinements then use what the export says about its
owner (`AccountContext`): an Instagram account that was private, an owner under 18, and the
Facebook privacy jurisdiction, which picks the region's rows and the objection route.

Levels hardly depend on the region: Meta says it trains on public adult content in every region
named in the sources; what differs is whether you can object, and what else is done with it
(Facebook's AI Mode in the US, Meta AI personalisation in the EU).
"""
from __future__ import annotations

import datetime as dt
import unicodedata
from typing import Any

import numpy as np
import pandas as pd

from .contract import EXPOSURE_LEVELS, AccountContext
from .rules import ANY, ExposureRule, table

_TABLE = table()
RULES_AS_OF: str = _TABLE.reviewed
#: The rule table (rows expanded per category, kind and region). Resolution order: see `_SPECIFICITY`.
RULES: tuple[ExposureRule, ...] = _TABLE.rules
#: Refinements from the export's own context, by name (the last one, "unmatched", is the fallback).
REFINEMENTS: dict[str, ExposureRule] = {k: r for k, r in _TABLE.refinements.items() if k != "unmatched"}
UNMATCHED = _TABLE.refinements["unmatched"]

#: Categories whose visibility follows the Instagram account's privacy (own content, not comments).
INSTAGRAM_ACCOUNT_VISIBILITY = ("posts", "photos_videos", "stories_reels", "profile")

#: Resolution passes, most specific first: (match platform exactly?, match kind exactly?). A kind
#: rule beats a platform rule: "a message to Meta AI" says more than "a WhatsApp message". Within a
#: pass, a row for the person's region beats a row for every region.
_SPECIFICITY = ((True, True), (False, True), (True, False), (False, False))


def _all_rules() -> dict[str, ExposureRule]:
    table = {rule.rule_id: rule for rule in RULES}
    table.update({f"refine:{name}": rule for name, rule in REFINEMENTS.items()})
    table["unmatched"] = UNMATCHED
    return table


RULES_BY_ID: dict[str, ExposureRule] = _all_rules()
_LEVELS: dict[str, str] = {rule_id: r.level for rule_id, r in RULES_BY_ID.items()}


def rules_frame() -> pd.DataFrame:
    """The whole table (rules and refinements) as a frame indexed by rule id: for the GUI and the CSV."""
    rows = [{"rule": rule_id, "platform": r.platform, "category": r.category, "kind": r.kind, "region": r.region,
             "level": r.level, "rationale": r.rationale, "policy_date": r.policy_date, "source": r.source,
             "sources": " ".join(s.url for s in r.sources if s.url), "confidence": r.confidence,
             "caveat": r.caveat} for rule_id, r in RULES_BY_ID.items()]
    return pd.DataFrame(rows).set_index("rule")


# ---- applying the table -----------------------------------------------------------------------

def apply_exposure(items: pd.DataFrame, accounts: dict[str, AccountContext], jurisdiction: str | None) -> pd.Series:
    """Exposure level per item (the scan calls this once on the whole items frame), as a categorical
    of EXPOSURE_LEVELS built from rule codes (no string per row).

    The region is the export's own Facebook privacy jurisdiction when it states one, else `jurisdiction`."""
    region, _origin = resolve_jurisdiction(accounts, jurisdiction)
    if items.empty:
        return classify(items, accounts, region=region)["exposure"]
    codes = _rule_codes(items, accounts or {}, normalise_jurisdiction(region), dt.date.today())
    levels = pd.CategoricalDtype(list(EXPOSURE_LEVELS))
    level_codes = levels.categories.get_indexer([_LEVELS[r] for r in _RULE_IDS]).astype(np.int8)  # -1: missing
    return pd.Series(pd.Categorical.from_codes(level_codes[codes], dtype=levels), index=items.index)


def classify(items: pd.DataFrame, accounts: dict[str, AccountContext] | None = None, *,
             region: str | None = None, today: dt.date | None = None) -> pd.DataFrame:
    """Exposure level and the id of the rule that decided it, per item (index aligned with `items`).

    `region` (eu, uk, br, us, other; None: unknown) brings in the rows for that region."""
    accounts = accounts or {}
    if items.empty:
        empty = pd.Series([], index=items.index, dtype="object")
        return pd.DataFrame({"exposure": empty, "rule": empty})
    codes = _rule_codes(items, accounts, normalise_jurisdiction(region), today or dt.date.today())
    ids = np.array(_RULE_IDS, dtype=object)
    levels = np.array([_LEVELS[r] for r in _RULE_IDS], dtype=object)
    return pd.DataFrame({"exposure": levels[codes], "rule": ids[codes]}, index=items.index)


#: Every rule id (table rows, refinements, "unmatched"); rules are handled as codes into this list.
_RULE_IDS: list[str] = list(RULES_BY_ID)
_RULE_CODE: dict[str, int] = {rule_id: code for code, rule_id in enumerate(_RULE_IDS)}


def _rule_codes(items: pd.DataFrame, accounts: dict[str, AccountContext], region: str | None,
                today: dt.date) -> np.ndarray:
    """The deciding rule per item, as codes into _RULE_IDS: the table resolved once per distinct
    (platform, category, kind), then the refinements."""
    keys = items[["platform", "category", "kind"]]
    groups = keys.groupby(list(keys.columns), observed=True, sort=False, dropna=False).ngroup().to_numpy()
    first = pd.Series(groups).drop_duplicates()  # one row per distinct (platform, category, kind)
    distinct = keys.iloc[first.index.to_numpy()].astype("object").fillna("").astype(str)
    lookup = np.zeros(int(groups.max()) + 1 if len(groups) else 1, dtype=np.int32)
    lookup[first.to_numpy()] = [_RULE_CODE[r] for r in _resolve(distinct, region)]
    return _refine(items, lookup[groups], accounts, today)


def _resolve(combos: pd.DataFrame, region: str | None) -> np.ndarray:
    """Rule id per distinct (platform, category, kind): merge with the table, most specific pass first."""
    table = pd.DataFrame([(r.platform, r.category, r.kind, r.region, r.rule_id) for r in RULES],
                         columns=["platform", "category", "kind", "region", "rule"])
    combos = combos.reset_index(drop=True)
    found = pd.Series(pd.NA, index=combos.index, dtype="object")
    regions = ([region] if region else []) + [ANY]
    for exact_platform, exact_kind in _SPECIFICITY:
        for in_region in regions:
            subset = table[((table["platform"] != ANY) == exact_platform) & ((table["kind"] != ANY) == exact_kind)
                           & (table["region"] == in_region)]
            on = ["category"] + (["platform"] if exact_platform else []) + (["kind"] if exact_kind else [])
            merged = combos.merge(subset[on + ["rule"]], on=on, how="left")  # left order kept, keys unique
            found = found.fillna(merged["rule"])
    return found.fillna("unmatched").to_numpy()


def _refine(items: pd.DataFrame, rule: np.ndarray, accounts: dict[str, AccountContext],
            today: dt.date) -> np.ndarray:
    """Adjust items with what the export says about its owner: public items of a private Instagram
    account, of an owner under 18 or posted before 18; AI chats of an owner under 18 (still used).
    `rule`: codes into _RULE_IDS (changed in place and returned)."""
    level_of = np.array([_LEVELS[r] for r in _RULE_IDS], dtype=object)
    if_public = level_of == "training_if_public"
    ai_chats = level_of == "training_ai_interactions"
    timestamps = items["timestamp"]
    for name, account in accounts.items():
        platform = (items["platform"] == name).to_numpy(dtype=bool)
        level_public, level_ai = if_public[rule], ai_chats[rule]
        mine = level_public & platform
        if name == "instagram" and mine.any():
            own = mine & items["category"].isin(INSTAGRAM_ACCOUNT_VISIBILITY).to_numpy(dtype=bool)
            where = np.flatnonzero(own)
            state = instagram_public_at(timestamps.iloc[where], account)
            rule[where[state.eq(True).fillna(False).to_numpy(bool)]] = _RULE_CODE["refine:instagram_public"]
            rule[where[state.eq(False).fillna(False).to_numpy(bool)]] = _RULE_CODE["refine:instagram_private"]
            mine = if_public[rule] & platform
        adult_from = adulthood(account.birth_date)
        if adult_from is None:
            continue
        if adult_from > today:
            rule[mine] = _RULE_CODE["refine:under_18"]
            rule[level_ai & platform] = _RULE_CODE["refine:under_18_ai_chats"]
        else:
            cutoff = pd.Timestamp(adult_from, tz="UTC")
            rule[mine & (timestamps < cutoff).to_numpy(dtype=bool)] = _RULE_CODE["refine:posted_as_minor"]
    return rule


def instagram_public_at(timestamps: pd.Series, account: AccountContext) -> pd.Series:
    """Was the Instagram account public when each item was posted? True/False, or NA when unknown.

    From the privacy-change history (the state after the last switch before the item; before the
    first switch, the opposite of that switch), else the account's current setting.
    """
    result = pd.Series(pd.NA, index=timestamps.index, dtype="boolean")
    current = None if account.private_account is None else not account.private_account
    changes = sorted((float(t), state) for t, state in account.privacy_changes if state in ("public", "private"))
    if not changes:
        if current is not None:
            result[:] = current
        return result
    times = np.array([t for t, _ in changes])
    after = np.array([state == "public" for _, state in changes])
    before_first = not after[0]
    dated = timestamps.notna().to_numpy()
    seconds = timestamps.to_numpy(dtype="datetime64[ns]").astype("int64") / 1e9
    position = np.searchsorted(times, seconds, side="right")
    state = np.where(position == 0, before_first, after[np.maximum(position - 1, 0)])
    result[dated] = state[dated]
    if current is None:
        current = bool(after[-1])
    result[~dated] = current
    return result


def adulthood(birth_date: str | None) -> dt.date | None:
    """The owner's 18th birthday from an ISO birth date (YYYY-MM-DD or YYYY), or None when unknown."""
    if not birth_date:
        return None
    try:
        born = dt.date.fromisoformat(str(birth_date)[:10])
    except ValueError:
        try:
            born = dt.date(int(str(birth_date)[:4]), 12, 31)  # year only: assume the latest birthday
        except ValueError:
            return None
    try:
        return born.replace(year=born.year + 18)
    except ValueError:  # 29 February
        return born.replace(year=born.year + 18, day=28)


def rationale_for(rule_ids: pd.Series) -> pd.DataFrame:
    """Rationale, policy date, source and confidence for rule ids (aligned with the input)."""
    table = rules_frame()[["rationale", "policy_date", "source", "confidence"]]
    return table.reindex(rule_ids.astype("object").to_numpy()).set_axis(rule_ids.index)


# ---- jurisdiction and the objection route -------------------------------------------------------

JURISDICTIONS: tuple[str, ...] = tuple(_TABLE.regions)

_EU_EEA = {
    "eu", "eea", "european union", "european economic area", "austria", "belgium", "bulgaria", "croatia",
    "cyprus", "czechia", "czech republic", "denmark", "estonia", "finland", "france", "germany", "greece",
    "hungary", "ireland", "italy", "latvia", "lithuania", "luxembourg", "malta", "netherlands", "poland",
    "portugal", "romania", "slovakia", "slovenia", "spain", "sweden", "iceland", "liechtenstein", "norway",
    "at", "be", "bg", "hr", "cy", "cz", "dk", "ee", "fi", "fr", "de", "gr", "hu", "ie", "it", "lv", "lt", "lu",
    "mt", "nl", "pl", "pt", "ro", "sk", "si", "es", "se", "is", "li", "no", "meta platforms ireland limited",
    "meta platforms ireland ltd.", "meta platforms ireland ltd",
}
_ALIASES = {
    **{name: "eu" for name in _EU_EEA},
    "uk": "uk", "gb": "uk", "united kingdom": "uk", "great britain": "uk", "england": "uk", "scotland": "uk",
    "wales": "uk", "northern ireland": "uk",
    "br": "br", "brazil": "br", "brasil": "br",
    "us": "us", "usa": "us", "united states": "us", "united states of america": "us",
    "meta platforms, inc.": "us", "meta platforms inc.": "us", "meta platforms, inc": "us",
    "other": "other",
}


def normalise_jurisdiction(value: Any) -> str | None:
    """Map what the export or the user says ('Ireland', 'EU', 'United States', 'uk') to a key, or None."""
    if value is None:
        return None
    text = unicodedata.normalize("NFKC", str(value)).strip().casefold()
    if not text:
        return None
    if text in _ALIASES:
        return _ALIASES[text]
    for alias, key in _ALIASES.items():  # "European Union (EU)", "Meta Platforms Ireland Ltd. (EU)"
        if len(alias) > 3 and alias in text:
            return key
    return "other"


def resolve_jurisdiction(accounts: dict[str, AccountContext], chosen: str | None) -> tuple[str | None, str]:
    """(jurisdiction, where it came from): the Facebook privacy-jurisdiction file wins over the choice."""
    facebook = accounts.get("facebook")
    from_export = normalise_jurisdiction(facebook.jurisdiction) if facebook is not None else None
    if from_export is not None:
        return from_export, "export"
    chosen_key = normalise_jurisdiction(chosen)
    return (chosen_key, "chosen") if chosen_key else (None, "none")


_AI_CHATS_ROUTE = ("No opt-out for what you send to Meta AI, other than not using it (or Incognito Chat, which is "
                   "not stored); outside the EU, UK and South Korea those chats also shape ads from 2025-12-16.")


def _route(key: str) -> dict[str, Any]:
    region = _TABLE.regions[key]
    portal = None
    if region.portal:
        portal = {"label": region.portal["label"], "url": region.portal["url"]}
    return {"label": region.label, "has_form": region.objection, "forms": [dict(f) for f in region.forms],
            "summary": region.summary, "effect": region.effect, "policy_date": region.policy_date,
            "source": next((s.url for s in region.sources if s.url), ""),
            "sources": [{"title": s.title, "url": s.url, "date": s.date} for s in region.sources],
            "portal": portal, "notes": [note["text"] for note in region.notes]}


OBJECTION_ROUTES: dict[str, dict[str, Any]] = {key: _route(key) for key in JURISDICTIONS}


def objection_route(jurisdiction: str | None) -> dict[str, Any]:
    """What the user can do where they live: form(s) and their forward-only effect, or 'no opt-out'.

    Unknown or missing jurisdiction reads as 'other' with `known` False, so the GUI can ask.
    """
    key = normalise_jurisdiction(jurisdiction)
    route = dict(OBJECTION_ROUTES[key if key in OBJECTION_ROUTES else "other"])
    route["jurisdiction"] = key if key in OBJECTION_ROUTES else "other"
    route["known"] = key in OBJECTION_ROUTES
    route["ai_interactions"] = _AI_CHATS_ROUTE
    route["ai_interactions_policy_date"] = "2025-10-01"
    route["ai_interactions_source"] = _TABLE.sources["S12"].url
    route["forms"] = [dict(form) for form in route["forms"]]
    route["notes"] = list(route["notes"])
    route["portal"] = dict(route["portal"]) if route["portal"] else None
    route["rules_as_of"] = RULES_AS_OF
    return route


def level_order() -> pd.CategoricalDtype:
    """Levels as an ordered categorical, most exposed first (for sorting and 'most exposed')."""
    return pd.CategoricalDtype(list(EXPOSURE_LEVELS), ordered=True)


__all__ = ["ANY", "ExposureRule", "RULES", "RULES_AS_OF", "REFINEMENTS", "RULES_BY_ID", "JURISDICTIONS", "apply_exposure",
           "classify", "rules_frame", "rationale_for", "objection_route", "normalise_jurisdiction",
           "resolve_jurisdiction", "instagram_public_at", "adulthood", "level_order"]
