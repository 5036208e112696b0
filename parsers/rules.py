"""The rule table as data: parsers/rules.toml loaded, checked and turned into plain records.

Policy lives in rules.toml (what Meta says, per platform x category x kind x region, with sources and
dates, and the actions a person has); this module only reads it. Every check runs on load, so a
broken table fails loudly at start-up (and in tests/test_rules.py) with every problem listed,
instead of silently classifying with half a rule.

API:
    table() -> RuleTable                 the packaged table (loaded once)
    load(text) -> RuleTable              a table from TOML text (for tests and tools)
    RuleError                            raised with every schema problem found
"""
from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

from .contract import CATEGORIES, EXPOSURE_LEVELS, PLATFORMS

ANY = "*"
CONFIDENCES = ("primary", "secondary", "inferred")
SOURCE_KINDS = ("primary", "secondary")
ACTION_KINDS = ("act", "companion", "info")
REFINEMENT_NAMES = ("instagram_private", "instagram_public", "under_18", "under_18_ai_chats", "posted_as_minor",
                    "unmatched")
#: The keys each kind of record may have: a misspelt key is a problem, not a silently missing field.
_KEYS = {
    "source": {"title", "url", "date", "kind", "note"},
    "rule": {"platform", "category", "kind", "regions", "level", "rationale", "confidence", "sources", "policy_date",
             "caveat"},
    "refinement": {"level", "rationale", "confidence", "sources", "policy_date", "caveat"},
    "region": {"label", "objection", "summary", "effect", "policy_date", "sources", "forms", "portal", "notes"},
    "action": {"title", "kind", "regions", "platforms", "where", "effect", "caveat", "unit", "links", "covers",
               "sources"},
    "cover": {"level", "categories", "platforms", "exclude_kinds"},
}
_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
_DATE = re.compile(r"\d{4}(?:-\d{2}(?:-\d{2})?)?")


class RuleError(ValueError):
    """rules.toml does not match its schema; the message lists every problem."""


@dataclass(frozen=True)
class Source:
    key: str
    title: str
    url: str
    date: str
    kind: str  # primary / secondary
    note: str = ""


@dataclass(frozen=True)
class ExposureRule:
    """One row of the table (lists in the file are expanded: one row per category, kind and region).

    `confidence`: "primary" (Meta or a regulator says so), "secondary" (press reporting what Meta
    said) or "inferred" (follows from Meta's definition of public, not named by Meta).
    """

    platform: str
    category: str
    kind: str
    level: str
    rationale: str
    policy_date: str
    sources: tuple[Source, ...] = ()
    confidence: str = "primary"
    region: str = ANY
    caveat: str = ""
    name: str = ""  # refinements: their name, which is also their id

    @property
    def rule_id(self) -> str:
        if self.name:
            return "unmatched" if self.name == "unmatched" else f"refine:{self.name}"
        return f"{self.platform}/{self.category}/{self.kind}" + ("" if self.region == ANY else f"@{self.region}")

    @property
    def source(self) -> str:
        """The first source with a URL ("" when none has one): the link shown next to the rule."""
        return next((s.url for s in self.sources if s.url), "")


@dataclass(frozen=True)
class Cover:
    """Which items an action covers: a level ("*" for any) in some categories (and platforms)."""

    level: str
    categories: tuple[str, ...]  # (ANY,) for all
    platforms: tuple[str, ...] = (ANY,)
    exclude_kinds: tuple[str, ...] = ()


@dataclass(frozen=True)
class Action:
    key: str
    title: str
    kind: str  # act / companion / info
    regions: tuple[str, ...]
    platforms: tuple[str, ...]
    where: str
    effect: str
    caveat: str
    unit: tuple[str, str]  # (one, many)
    covers: tuple[Cover, ...]
    sources: tuple[Source, ...]
    links: str = ""  # "forms": the region's objection forms


@dataclass(frozen=True)
class Region:
    key: str
    label: str
    objection: bool
    summary: str
    effect: str
    policy_date: str
    sources: tuple[Source, ...]
    forms: tuple[dict[str, str], ...]
    portal: dict[str, Any] | None
    notes: tuple[dict[str, Any], ...]


@dataclass(frozen=True)
class RuleTable:
    reviewed: str
    reviewed_against: str
    regions: dict[str, Region]
    sources: dict[str, Source]
    rules: tuple[ExposureRule, ...]
    refinements: dict[str, ExposureRule]
    actions: dict[str, Action] = field(default_factory=dict)

    def actions_for(self, region: str | None) -> list[Action]:
        """The actions that exist where the person lives (unknown region: the ones everywhere)."""
        return [a for a in self.actions.values() if ANY in a.regions or (region is not None and region in a.regions)]


# ---- loading --------------------------------------------------------------------------------------

@cache
def table() -> RuleTable:
    """The packaged rules.toml, loaded and checked once."""
    try:
        text = resources.files("parsers").joinpath("rules.toml").read_text(encoding="utf-8")
    except OSError as error:
        raise RuleError(f"rules.toml could not be read from the parsers package ({error.strerror or error}); "
                        "the installation is incomplete: install Export Auditor again") from None
    return load(text)


def load(text: str) -> RuleTable:
    """A checked RuleTable from TOML text; RuleError lists every problem."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise RuleError(f"rules.toml is not valid TOML: {error}") from None
    check = _Checker()
    head = data.get("table", {})
    reviewed = check.day(head.get("reviewed"), "table.reviewed")
    region_keys = tuple(head.get("regions") or ())
    if not region_keys:
        check.fail("table.regions is missing")
    sources = {key: check.source(key, value) for key, value in data.get("sources", {}).items()}
    check.sources, check.region_keys = sources, region_keys
    rules = tuple(rule for index, raw in enumerate(data.get("rules", [])) for rule in check.rule(index, raw))
    refinements = {name: check.refinement(name, raw) for name, raw in data.get("refinements", {}).items()}
    regions = {key: check.region(key, raw) for key, raw in data.get("regions", {}).items()}
    actions = {key: check.action(key, raw) for key, raw in data.get("actions", {}).items()}
    check.whole(rules, refinements, regions, actions, region_keys, reviewed)
    if check.problems:
        raise RuleError("rules.toml: " + "; ".join(check.problems))
    return RuleTable(reviewed, str(head.get("reviewed_against", "")), regions, sources, rules, refinements, actions)


def _listed(value: Any) -> tuple[str, ...]:
    if isinstance(value, str):
        return (value,)
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return tuple(value)
    return ()


class _Checker:
    """Collects schema problems while building records, so one run reports them all."""

    def __init__(self) -> None:
        self.problems: list[str] = []
        self.sources: dict[str, Source] = {}
        self.region_keys: tuple[str, ...] = ()

    def fail(self, message: str) -> None:
        self.problems.append(message)

    def keys(self, raw: Any, record: str, where: str) -> dict:
        if not isinstance(raw, dict):
            self.fail(f"{where} must be a table")
            return {}
        unknown = sorted(set(raw) - _KEYS[record])
        if unknown:
            self.fail(f"{where} has unknown keys {unknown}")
        return raw

    def text(self, value: Any, where: str, *, empty: bool = False) -> str:
        if not isinstance(value, str) or (not empty and not value.strip()):
            self.fail(f"{where} must be {'text' if empty else 'non-empty text'}")
            return ""
        return value

    def day(self, value: Any, where: str, *, empty: bool = False) -> str:
        if empty and value == "":
            return ""
        if not isinstance(value, str) or not _DAY.fullmatch(value):
            self.fail(f"{where} must be a date YYYY-MM-DD, not {value!r}")
            return ""
        return value

    def one_of(self, value: Any, allowed: tuple[str, ...], where: str) -> str:
        if value not in allowed:
            self.fail(f"{where} is {value!r}; use one of {', '.join(allowed)}")
            return ""
        return value

    def source(self, key: str, raw: dict) -> Source:
        where = f"sources.{key}"
        raw = self.keys(raw, "source", where)
        url = raw.get("url", None)
        note = raw.get("note", "")
        if not isinstance(url, str) or (url and not url.startswith("https://")):
            self.fail(f"{where}.url must be an https:// URL (or \"\" with a note)")
        elif not url and not note:
            self.fail(f"{where} has no URL and no note saying why")
        date = raw.get("date")
        if date != "undated" and not (isinstance(date, str) and _DATE.fullmatch(date)):
            self.fail(f"{where}.date must be YYYY, YYYY-MM, YYYY-MM-DD or 'undated', not {date!r}")
        return Source(key, self.text(raw.get("title"), f"{where}.title"), url or "", str(date),
                      self.one_of(raw.get("kind"), SOURCE_KINDS, f"{where}.kind"), str(note))

    def cited(self, value: Any, where: str, *, required: bool = True) -> tuple[Source, ...]:
        keys = _listed(value)
        if value is not None and not keys and value != []:
            self.fail(f"{where}.sources must be a list of source ids")
        missing = [k for k in keys if k not in self.sources]
        if missing:
            self.fail(f"{where} cites unknown sources {missing}")
        if required and not keys:
            self.fail(f"{where} cites no source")
        return tuple(self.sources[k] for k in keys if k in self.sources)

    def regions(self, value: Any, where: str) -> tuple[str, ...]:
        keys = _listed(value if value is not None else [ANY])
        bad = [k for k in keys if k != ANY and k not in self.region_keys]
        if not keys or bad:
            self.fail(f"{where}.regions must list region keys or '*' (bad: {bad or value!r})")
        return keys

    def _level_fields(self, raw: dict, where: str, *, sourced: bool = True) -> dict[str, Any]:
        return dict(level=self.one_of(raw.get("level"), EXPOSURE_LEVELS, f"{where}.level"),
                    rationale=self.text(raw.get("rationale"), f"{where}.rationale"),
                    policy_date=self.day(raw.get("policy_date"), f"{where}.policy_date", empty=not sourced),
                    sources=self.cited(raw.get("sources"), where, required=sourced),
                    confidence=self.one_of(raw.get("confidence"), CONFIDENCES, f"{where}.confidence"),
                    caveat=self.text(raw.get("caveat", ""), f"{where}.caveat", empty=True))

    def rule(self, index: int, raw: dict) -> list[ExposureRule]:
        where = f"rules[{index}]"
        raw = self.keys(raw, "rule", where)
        platform = raw.get("platform")
        if platform != ANY:
            self.one_of(platform, PLATFORMS, f"{where}.platform")
        categories, kinds = _listed(raw.get("category")), _listed(raw.get("kind"))
        bad = [c for c in categories if c not in CATEGORIES]
        if not categories or bad:
            self.fail(f"{where}.category must be categories of the contract (bad: {bad or raw.get('category')!r})")
        if not kinds:
            self.fail(f"{where}.kind must be '*', a kind or a list of kinds")
        regions = self.regions(raw.get("regions"), where)
        fields = self._level_fields(raw, where)
        return [ExposureRule(str(platform), category, kind, region=region, **fields)
                for category in categories for kind in kinds for region in regions]

    def refinement(self, name: str, raw: dict) -> ExposureRule:
        where = f"refinements.{name}"
        raw = self.keys(raw, "refinement", where)
        if name not in REFINEMENT_NAMES:
            self.fail(f"{where}: parsers/exposure.py applies no refinement of that name")
        return ExposureRule(ANY, ANY, ANY, name=name, **self._level_fields(raw, where, sourced=name != "unmatched"))

    def region(self, key: str, raw: dict) -> Region:
        where = f"regions.{key}"
        raw = self.keys(raw, "region", where)
        forms = raw.get("forms", [])
        if not isinstance(forms, list) or any(
                not isinstance(f, dict) or f.get("platform") not in PLATFORMS
                or not str(f.get("url", "")).startswith("https://") for f in forms):
            self.fail(f"{where}.forms must be a list of {{platform, url}}")
            forms = []
        objection = raw.get("objection")
        if not isinstance(objection, bool) or objection != bool(forms):
            self.fail(f"{where}.objection must be true exactly when there are forms")
        portal = raw.get("portal")
        if portal is not None:
            if not str(portal.get("url", "")).startswith("https://"):
                self.fail(f"{where}.portal.url must be an https:// URL")
            portal = dict(portal, sources=self.cited(portal.get("sources"), f"{where}.portal"))
        notes = []
        for n, note in enumerate(raw.get("notes", [])):
            notes.append({"text": self.text(note.get("text"), f"{where}.notes[{n}].text"),
                          "sources": self.cited(note.get("sources"), f"{where}.notes[{n}]")})
        return Region(key, self.text(raw.get("label"), f"{where}.label"), bool(objection),
                      self.text(raw.get("summary"), f"{where}.summary"), self.text(raw.get("effect"), f"{where}.effect"),
                      self.day(raw.get("policy_date"), f"{where}.policy_date"), self.cited(raw.get("sources"), where),
                      tuple(dict(f) for f in forms), portal, tuple(notes))

    def action(self, key: str, raw: dict) -> Action:
        where = f"actions.{key}"
        raw = self.keys(raw, "action", where)
        kind = self.one_of(raw.get("kind"), ACTION_KINDS, f"{where}.kind")
        platforms = _listed(raw.get("platforms"))
        if not platforms or any(p not in PLATFORMS for p in platforms):
            self.fail(f"{where}.platforms must list platforms")
        unit = _listed(raw.get("unit"))
        covers = tuple(self.cover(c, f"{where}.covers[{n}]") for n, c in enumerate(raw.get("covers", [])))
        if len(unit) != 2 or (covers and not all(unit)):
            self.fail(f"{where}.unit must be [one, many] (what the count counts)")
            unit = ("item", "items")
        links = raw.get("links", "")
        if links not in ("", "forms"):
            self.fail(f"{where}.links must be 'forms' or absent")
        needs_where = kind != "info"
        return Action(key, self.text(raw.get("title"), f"{where}.title"), kind, self.regions(raw.get("regions"), where),
                      platforms, self.text(raw.get("where", ""), f"{where}.where", empty=not needs_where),
                      self.text(raw.get("effect"), f"{where}.effect"),
                      self.text(raw.get("caveat", ""), f"{where}.caveat", empty=True), (unit[0], unit[1]), covers,
                      self.cited(raw.get("sources"), where), links)

    def cover(self, raw: dict, where: str) -> Cover:
        raw = self.keys(raw, "cover", where)
        level = raw.get("level")
        if level != ANY:
            self.one_of(level, EXPOSURE_LEVELS, f"{where}.level")
        categories = _listed(raw.get("categories"))
        if not categories or any(c != ANY and c not in CATEGORIES for c in categories):
            self.fail(f"{where}.categories must be '*' or categories of the contract")
        platforms = _listed(raw.get("platforms", ANY))
        if any(p != ANY and p not in PLATFORMS for p in platforms):
            self.fail(f"{where}.platforms must be platforms")
        return Cover(str(level), categories, platforms, _listed(raw.get("exclude_kinds", [])))

    def whole(self, rules: tuple[ExposureRule, ...], refinements: dict[str, ExposureRule], regions: dict[str, Region],
              actions: dict[str, Action], region_keys: tuple[str, ...], reviewed: str) -> None:
        """Checks across rows: unique ids, every category covered, every region described, dates."""
        ids = [r.rule_id for r in rules]
        twins = sorted({i for i in ids if ids.count(i) > 1})
        if twins:
            self.fail(f"rules repeat platform/category/kind/region: {twins}")
        wildcards = {r.category for r in rules if r.platform == ANY and r.kind == ANY and r.region == ANY}
        if set(CATEGORIES) - wildcards:
            self.fail(f"categories without a '*'/'*' rule for every region: {sorted(set(CATEGORIES) - wildcards)}")
        if set(REFINEMENT_NAMES) - set(refinements):
            self.fail(f"refinements missing: {sorted(set(REFINEMENT_NAMES) - set(refinements))}")
        if set(regions) != set(region_keys):
            self.fail(f"regions described {sorted(regions)} differ from table.regions {sorted(region_keys)}")
        dated = [*rules, *refinements.values()]
        late = sorted({r.rule_id for r in dated if r.policy_date and reviewed and r.policy_date > reviewed})
        if late:
            self.fail(f"rules dated after the review date {reviewed}: {late}")
        if not actions:
            self.fail("no actions")


__all__ = ["ANY", "Action", "Cover", "ExposureRule", "Region", "RuleError", "RuleTable", "Source", "load", "table"]
