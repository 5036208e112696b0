"""Exposure rules: which items Meta says it uses, or may use, to train its generative AI.

The rules are data, not code: `RULES` is one table (platform x category x kind -> level) where
every row carries its plain-words rationale, the date of the policy it reflects and a source URL
(from shared/reference/ai-training-exposure.md). `classify` resolves the table once per distinct
(platform, category, kind) and maps the answer onto the items with a merge, so it costs the same
at a million items as at a thousand. A few refinements then use what the export says about its
owner (`AccountContext`): an Instagram account that was private, an owner under 18, and the
Facebook privacy jurisdiction, which picks the objection route shown to the user.

Levels never depend on the jurisdiction: Meta says it trains on public adult content in every
region named in the sources; what differs is whether you can object, and from when.
"""
from __future__ import annotations

import datetime as dt
import unicodedata
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from .contract import EXPOSURE_LEVELS, AccountContext

ANY = "*"

# ---- sources (shared/reference/ai-training-exposure.md section 6) ----------------------------
S1_UK = "https://about.fb.com/news/2024/09/building-ai-technology-for-the-uk-in-a-responsible-and-transparent-way/"
S3_EU = "https://www.channelnewsasia.com/business/meta-use-public-posts-ai-interactions-train-models-eu-5065376"
S4_DPC = "https://www.dataprotection.ie/en/news-media/latest-news/dpc-statement-meta-ai"
S7_AU = "https://www.abc.net.au/news/2024-09-11/facebook-scraping-photos-data-no-opt-out/104336170"
S8_US = ("https://petapixel.com/2024/09/27/no-this-viral-goodbye-meta-ai-post-wont-protect-your-photos-data-"
         "instagram-facebook-mark-zuckerberg/")
S9_BR = ("https://www.thehindu.com/sci-tech/technology/meta-to-inform-brazilians-how-it-uses-their-personal-"
         "data-to-train-ai/article68603786.ece/amp/")
S12_ADS = "https://www.macrumors.com/2025/10/01/meta-ai-ad-targeting/"
S13_WA = "https://bgr.com/tech/i-dont-want-meta-ai-in-whatsapp-even-if-it-doesnt-snoop-on-my-texts/"
S14_PUBLIC = "https://m.facebook.com/help/www/203805466323736"
S15_IG = "https://about.instagram.com/blog/announcements/giving-young-people-a-safer-more-private-experience"
S19_SEARCH = "https://jang.com.pk/en/12951-is-meta-using-your-social-media-posts-to-train-ai-news"

FORM_FACEBOOK = "https://www.facebook.com/help/contact/712876720715583"
FORM_INSTAGRAM = "https://help.instagram.com/contact/767264225370182"
FORM_WHATSAPP = "https://www.whatsapp.com/contact/forms/382532939919295/"


@dataclass(frozen=True)
class ExposureRule:
    """One row of the rule table. `platform`/`kind` may be ANY; `category` is always named.

    `confidence`: "primary" (Meta or a regulator says so), "secondary" (press reporting what Meta
    said) or "inferred" (follows from Meta's definition of public, not named by Meta).
    """

    platform: str
    category: str
    kind: str
    level: str
    rationale: str
    policy_date: str
    source: str
    confidence: str = "primary"

    @property
    def rule_id(self) -> str:
        return f"{self.platform}/{self.category}/{self.kind}"


_PUBLIC_NO_AUDIENCE = ("The export does not record who could see each item, so it may be public. Meta says it "
                       "trains on public posts, comments, photos and captions of adults, never on what was shared "
                       "only with friends.")
_NOT_NAMED = ("Used for ads and personalisation. Meta's list of what it trains on (public posts, comments, "
              "photos, captions, AI chats) does not include it.")
_PRIVATE_MESSAGES = "Meta says it does not use private messages with friends and family to train its AI."
_AI_CHATS = ("Meta says it uses what you send to and create with its AI features (Meta AI chats, prompts, "
             "AI stickers) to improve its AI; outside the EU, UK and South Korea also for ads from 2025-12-16.")
_NO_STATEMENT = "No statement from Meta either way."

R = ExposureRule
#: The rule table. Resolution order: exact platform+kind, exact kind, exact platform, wildcards
#: (see `_SPECIFICITY`). Categories not listed read "unclear".
RULES: tuple[ExposureRule, ...] = (
    # public content (T-PUB)
    R(ANY, "posts", ANY, "training_if_public", _PUBLIC_NO_AUDIENCE, "2024-09-13", S1_UK),
    R(ANY, "photos_videos", ANY, "training_if_public",
      "Public photos and their captions are named by Meta as training data. " + _PUBLIC_NO_AUDIENCE,
      "2024-09-13", S1_UK),
    R(ANY, "stories_reels", ANY, "training_if_public",
      "Stories and reels are not named one by one, but fall under 'public content shared by adults' when "
      "their audience was public. " + _PUBLIC_NO_AUDIENCE, "2025-04-14", S3_EU, "secondary"),
    R(ANY, "comments", ANY, "training_if_public",
      "Public comments are named by Meta as training data. A comment on someone else's public post is public; "
      "the export does not say who could see the post, so it may be public.", "2024-09-13", S1_UK),
    R(ANY, "profile", ANY, "unclear",
      "Your name, profile and cover photo and username are always public on Facebook, but Meta does not name "
      "profile fields as training data; other fields follow their audience setting.", "2024-09-13", S14_PUBLIC,
      "inferred"),
    R(ANY, "profile", "profile_photo", "training_if_public",
      "Profile and cover photos are always public on Facebook, and Meta trains on public photos of adults.",
      "2024-09-13", S14_PUBLIC, "inferred"),
    R(ANY, "profile", "cover_photo", "training_if_public",
      "Profile and cover photos are always public on Facebook, and Meta trains on public photos of adults.",
      "2024-09-13", S14_PUBLIC, "inferred"),
    # own content that is no longer (or not yet) visible to others
    *(R(ANY, category, kind, "unclear",
        "Hidden from others now (archived, deleted or awaiting approval). Whether it was used while it was "
        "public is not stated; Meta says hiding or deleting keeps content out of future training only.",
        "2024-09-11", S7_AU, "secondary")
      for category, kind in (("posts", "archived_post"), ("photos_videos", "archived_post"),
                             ("stories_reels", "archived_post"), ("posts", "deleted_post"),
                             ("photos_videos", "deleted_media"), ("posts", "pending_group_post"))),
    # interactions filed with content: signals, not content
    *(R(ANY, category, kind, "ads_profiling",
        "A vote or reaction, not content you wrote; it feeds recommendations and ads. Meta does not name it "
        "as AI training data.", "2024-09-13", S1_UK)
      for category, kind in (("posts", "poll_vote"), ("stories_reels", "story_reaction"),
                             ("stories_reels", "story_activity"))),
    # groups: posts and comments depend on the group's privacy, which the export does not record
    R(ANY, "groups_pages_events", ANY, "ads_profiling",
      "Group, page and event memberships are interest signals for ads. " + _NOT_NAMED, "2024-09-13", S1_UK),
    *(R(ANY, category, kind, "training_if_public",
        "Posts and comments in public groups and on Pages are public and may be used; in private groups they "
        "are not public. The export does not record the group's privacy.", "2024-09-13", S14_PUBLIC)
      for category in ("groups_pages_events", "posts", "comments")
      for kind in ("group_post", "group_comment")),
    # private messages (PRIV) and what is sent to Meta AI (T-AI)
    R(ANY, "messages", ANY, "private_stated_not_used", _PRIVATE_MESSAGES, "2024-09-13", S1_UK),
    R("whatsapp", "messages", ANY, "private_stated_not_used",
      "WhatsApp personal messages are end-to-end encrypted; Meta says it does not use messages with friends "
      "and family, and Meta AI only sees what is sent to it.", "2023-09-29", S13_WA, "secondary"),
    R(ANY, "messages", "ai_message", "training_ai_interactions",
      "A message sent to Meta AI (for example '@Meta AI' in a chat) is processed by Meta like any AI prompt. "
      + _AI_CHATS, "2025-04-14", S3_EU, "secondary"),
    R(ANY, "messages", "ai_sticker", "training_ai_interactions",
      "AI stickers are generated from your prompt by Meta's AI. " + _AI_CHATS, "2025-04-14", S3_EU, "secondary"),
    R(ANY, "ai_interactions", ANY, "training_ai_interactions", _AI_CHATS, "2025-04-14", S3_EU, "secondary"),
    R(ANY, "ai_interactions", "ai_interest", "ads_profiling",
      "Interests Meta's AI inferred about you: a profiling output for ads, not your AI chats.",
      "2024-09-13", S1_UK, "inferred"),
    # ads and personalisation (ADS)
    R(ANY, "reactions", ANY, "ads_profiling",
      "Likes and reactions feed recommendations and ads. Meta does not name them as AI training data.",
      "2024-09-13", S1_UK),
    R(ANY, "connections", ANY, "ads_profiling",
      "Friends and followers are a social-graph signal for ads and suggestions. " + _NOT_NAMED,
      "2024-09-13", S1_UK),
    R("whatsapp", "connections", ANY, "unclear",
      "WhatsApp contacts and groups are account metadata. " + _NO_STATEMENT, "2023-09-29", S13_WA, "secondary"),
    R("whatsapp", "groups_pages_events", ANY, "unclear",
      "WhatsApp groups and channels: " + _NO_STATEMENT, "2023-09-29", S13_WA, "secondary"),
    R(ANY, "search_history", ANY, "ads_profiling",
      "Searches are used for personalisation and not named as training data. Searches typed into the Meta AI "
      "search bar become AI chats and are listed with them.", "2024-05-30", S19_SEARCH, "secondary"),
    R(ANY, "search_history", "ai_search", "training_ai_interactions",
      "A search that became a Meta AI chat is an AI interaction. " + _AI_CHATS, "2025-04-14", S3_EU, "secondary"),
    R(ANY, "location", ANY, "ads_profiling", "Locations feed ads. " + _NOT_NAMED, "2024-09-13", S1_UK),
    R(ANY, "location", "privacy_jurisdiction", "unclear",
      "The privacy regime Meta applies to your account: a setting, not content. " + _NO_STATEMENT,
      "2024-09-13", S1_UK),
    R(ANY, "ads_interests", ANY, "ads_profiling", "Ad interests are profiling outputs. " + _NOT_NAMED,
      "2024-09-13", S1_UK),
    R(ANY, "off_platform_activity", ANY, "ads_profiling",
      "Activity on other apps and websites is an ad measurement and targeting signal. " + _NOT_NAMED,
      "2024-09-13", S1_UK),
    R(ANY, "activity_log", ANY, "ads_profiling", "Views, visits and notifications shape what you are shown. "
      + _NOT_NAMED, "2024-09-13", S1_UK, "inferred"),
    # no statement (NS)
    R(ANY, "marketplace_shopping", ANY, "unclear", "No statement from Meta on Marketplace and AI training.",
      "2024-09-13", S1_UK),
    R(ANY, "security_login", ANY, "unclear", "Logins and devices: " + _NO_STATEMENT, "2024-09-13", S1_UK),
    R(ANY, "settings", ANY, "unclear", "Settings: " + _NO_STATEMENT, "2024-09-13", S1_UK),
    R(ANY, "other", ANY, "unclear", _NO_STATEMENT, "2024-09-13", S1_UK),
)

#: Refinements from the export's own context; same shape as a rule, keyed by a name.
REFINEMENTS: dict[str, ExposureRule] = {
    "instagram_private": R("instagram", ANY, ANY, "private_stated_not_used",
                           "Posted while your Instagram account was private: only approved followers saw it. "
                           "Meta says it trains on public content only.", "2021-07-27", S15_IG),
    "instagram_public": R("instagram", ANY, ANY, "training_if_public",
                          "Posted while your Instagram account was public, so it was public; Meta says it trains on "
                          "public posts, photos and captions of adults.", "2024-09-13", S1_UK),
    "under_18": R(ANY, ANY, ANY, "private_stated_not_used",
                  "Your account belongs to someone under 18; Meta says it does not use content from under-18 "
                  "accounts.", "2024-09-13", S1_UK),
    "posted_as_minor": R(ANY, ANY, ANY, "unclear",
                         "Posted before you turned 18. Meta excludes under-18 accounts, but says nothing about "
                         "content posted as a minor by accounts that are now adult.", "2024-09-11", S7_AU,
                         "secondary"),
}
UNMATCHED = R(ANY, ANY, ANY, "unclear", "No rule for this category: " + _NO_STATEMENT, "", "", "inferred")

#: Categories whose visibility follows the Instagram account's privacy (own content, not comments).
INSTAGRAM_ACCOUNT_VISIBILITY = ("posts", "photos_videos", "stories_reels", "profile")

#: Resolution passes, most specific first: (match platform exactly?, match kind exactly?). A kind
#: rule beats a platform rule: "a message to Meta AI" says more than "a WhatsApp message".
_SPECIFICITY = ((True, True), (False, True), (True, False), (False, False))


def _all_rules() -> dict[str, ExposureRule]:
    table = {rule.rule_id: rule for rule in RULES}
    table.update({f"refine:{name}": rule for name, rule in REFINEMENTS.items()})
    table["unmatched"] = UNMATCHED
    return table


RULES_BY_ID: dict[str, ExposureRule] = _all_rules()


def rules_frame() -> pd.DataFrame:
    """The whole table (rules and refinements) as a frame indexed by rule id: for the GUI and the CSV."""
    rows = [{"rule": rule_id, "platform": r.platform, "category": r.category, "kind": r.kind, "level": r.level,
             "rationale": r.rationale, "policy_date": r.policy_date, "source": r.source,
             "confidence": r.confidence} for rule_id, r in RULES_BY_ID.items()]
    return pd.DataFrame(rows).set_index("rule")


# ---- applying the table -----------------------------------------------------------------------

def apply_exposure(items: pd.DataFrame, accounts: dict[str, AccountContext], jurisdiction: str | None) -> pd.Series:
    """Exposure level per item (the scan calls this once on the whole items frame)."""
    return classify(items, accounts)["exposure"]


def classify(items: pd.DataFrame, accounts: dict[str, AccountContext] | None = None,
             *, today: dt.date | None = None) -> pd.DataFrame:
    """Exposure level and the id of the rule that decided it, per item (index aligned with `items`)."""
    accounts = accounts or {}
    if items.empty:
        empty = pd.Series([], index=items.index, dtype="object")
        return pd.DataFrame({"exposure": empty, "rule": empty})
    keys = items[["platform", "category", "kind"]]
    codes = keys.groupby(list(keys.columns), observed=True, sort=False, dropna=False).ngroup()
    first = codes.drop_duplicates()  # one row per distinct (platform, category, kind)
    distinct = keys.loc[first.index].astype("object").fillna("").astype(str)
    lookup = pd.Series(_resolve(distinct), index=first.to_numpy())
    rule = pd.Series(lookup.reindex(codes.to_numpy()).to_numpy(), index=items.index, dtype="object")
    rule = _refine(items, rule, accounts, today or dt.date.today())
    levels = {rule_id: r.level for rule_id, r in RULES_BY_ID.items()}
    return pd.DataFrame({"exposure": rule.map(levels), "rule": rule}, index=items.index)


def _resolve(combos: pd.DataFrame) -> np.ndarray:
    """Rule id per distinct (platform, category, kind): merge with the table, most specific pass first."""
    table = pd.DataFrame([(r.platform, r.category, r.kind, r.rule_id) for r in RULES],
                         columns=["platform", "category", "kind", "rule"])
    combos = combos.reset_index(drop=True)
    found = pd.Series(pd.NA, index=combos.index, dtype="object")
    for exact_platform, exact_kind in _SPECIFICITY:
        subset = table[((table["platform"] != ANY) == exact_platform) & ((table["kind"] != ANY) == exact_kind)]
        on = ["category"] + (["platform"] if exact_platform else []) + (["kind"] if exact_kind else [])
        merged = combos.merge(subset[on + ["rule"]], on=on, how="left")  # left order kept, keys unique
        found = found.fillna(merged["rule"])
    return found.fillna("unmatched").to_numpy()


def _refine(items: pd.DataFrame, rule: pd.Series, accounts: dict[str, AccountContext],
            today: dt.date) -> pd.Series:
    """Adjust `training_if_public` items with what the export says about its owner."""
    levels = {rid: r.level for rid, r in RULES_BY_ID.items()}
    platform = items["platform"].astype("object").to_numpy()
    timestamps = items["timestamp"]
    for name, account in accounts.items():
        mine = (rule.map(levels) == "training_if_public").to_numpy() & (platform == name)
        if not mine.any():
            continue
        if name == "instagram":
            own = mine & items["category"].astype("object").isin(INSTAGRAM_ACCOUNT_VISIBILITY).to_numpy()
            state = instagram_public_at(timestamps[own], account)
            rule.loc[state.index[state.eq(True).fillna(False).to_numpy(bool)]] = "refine:instagram_public"
            rule.loc[state.index[state.eq(False).fillna(False).to_numpy(bool)]] = "refine:instagram_private"
            mine = (rule.map(levels) == "training_if_public").to_numpy() & (platform == name)
        adult_from = adulthood(account.birth_date)
        if adult_from is None:
            continue
        if adult_from > today:
            rule.loc[mine] = "refine:under_18"
        else:
            cutoff = pd.Timestamp(adult_from, tz="UTC")
            rule.loc[mine & (timestamps < cutoff).to_numpy()] = "refine:posted_as_minor"
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

JURISDICTIONS = ("eu", "uk", "br", "us", "other")

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


_AI_CHATS_ROUTE = ("No opt-out for what you send to Meta AI, other than not using it; outside the EU, UK and "
                   "South Korea those chats also shape ads from 2025-12-16.")
_FORMS = [{"platform": "facebook", "url": FORM_FACEBOOK}, {"platform": "instagram", "url": FORM_INSTAGRAM},
          {"platform": "whatsapp", "url": FORM_WHATSAPP}]

OBJECTION_ROUTES: dict[str, dict[str, Any]] = {
    "eu": {"label": "EU / EEA", "has_form": True, "forms": _FORMS,
           "summary": "You can object with Meta's right-to-object form. Training on public content of adults "
                      "started on 2025-05-27.",
           "effect": "An objection stops future use only; what was public before may already be in models. One "
                     "objection covers the accounts in the same Accounts Center.",
           "policy_date": "2025-04-14", "source": S3_EU},
    "uk": {"label": "United Kingdom", "has_form": True, "forms": _FORMS[:2],
           "summary": "You can object at any time with Meta's objection form (training resumed from 2024-09-13).",
           "effect": "An objection stops future use only; earlier use is not undone.",
           "policy_date": "2024-09-13", "source": S1_UK},
    "br": {"label": "Brazil", "has_form": True, "forms": _FORMS[:2],
           "summary": "You can object; Meta sent notices from 2024-09-03 and started about 30 days later.",
           "effect": "An objection stops future use only; earlier use is not undone.",
           "policy_date": "2024-09-03", "source": S9_BR},
    "us": {"label": "United States", "has_form": False, "forms": [],
           "summary": "No opt-out: Meta offers no form to stop training on public posts.",
           "effect": "Only making posts non-public, making an Instagram account private or deleting content "
                     "keeps it out of future training; none of these undoes past use.",
           "policy_date": "2024-09-27", "source": S8_US},
    "other": {"label": "Other countries", "has_form": False, "forms": [],
              "summary": "No opt-out in most countries: Meta said the EU form answered a specific legal framework.",
              "effect": "Only making posts non-public or deleting them keeps them out of future training; Meta "
                        "said it has used public posts back to 2007.",
              "policy_date": "2024-09-11", "source": S7_AU},
}


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
    route["ai_interactions_source"] = S12_ADS
    route["forms"] = [dict(form) for form in route["forms"]]
    return route


def level_order() -> pd.CategoricalDtype:
    """Levels as an ordered categorical, most exposed first (for sorting and 'most exposed')."""
    return pd.CategoricalDtype(list(EXPOSURE_LEVELS), ordered=True)


__all__ = ["ANY", "ExposureRule", "RULES", "REFINEMENTS", "RULES_BY_ID", "JURISDICTIONS", "apply_exposure",
           "classify", "rules_frame", "rationale_for", "objection_route", "normalise_jurisdiction",
           "resolve_jurisdiction", "instagram_public_at", "adulthood", "level_order"]
