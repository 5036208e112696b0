"""The exposure rule table, its vectorised application, the refinements and the objection routes."""
from __future__ import annotations

import datetime as dt
import itertools
import re

import pandas as pd
import pytest

from parsers.contract import CATEGORIES, EXPOSURE_LEVELS, PLATFORMS, AccountContext, Item, ItemsBuilder
from parsers.exposure import (ANY, JURISDICTIONS, OBJECTION_ROUTES, REFINEMENTS, RULES, RULES_BY_ID,
                              apply_exposure, classify, instagram_public_at, normalise_jurisdiction,
                              objection_route, resolve_jurisdiction, rules_frame)

TODAY = dt.date(2025, 6, 1)


def frame(*rows: tuple) -> pd.DataFrame:
    """rows: (platform, category, kind, timestamp seconds or None)."""
    builder = ItemsBuilder()
    for platform, category, kind, stamp in rows:
        builder.add(platform, Item(category, kind, stamp, "self"), "x.json")
    return builder.frame()


def seconds(day: str) -> float:
    return pd.Timestamp(day, tz="UTC").timestamp()


# ---- the table itself ------------------------------------------------------------------------

def test_every_rule_is_sourced_dated_and_uses_a_contract_level():
    assert len({rule.rule_id for rule in RULES}) == len(RULES), "duplicate platform/category/kind rows"
    for rule in [*RULES, *REFINEMENTS.values()]:
        assert rule.level in EXPOSURE_LEVELS
        assert rule.rationale and len(rule.rationale) > 20
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", rule.policy_date), rule
        assert rule.source.startswith("https://"), rule  # at least one source with a link
        assert rule.confidence in ("primary", "secondary", "inferred")
        assert rule.platform in (ANY, *PLATFORMS)
        assert rule.category in (ANY, *CATEGORIES)


def test_every_category_has_a_wildcard_rule_so_nothing_known_is_unmatched():
    wildcards = {rule.category for rule in RULES if rule.platform == ANY and rule.kind == ANY}
    assert wildcards == set(CATEGORIES)


def test_rules_frame_lists_rules_and_refinements():
    table = rules_frame()
    assert len(table) == len(RULES_BY_ID) == len(RULES) + len(REFINEMENTS) + 1  # + "unmatched"
    assert table.loc["*/messages/*", "level"] == "private_stated_not_used"


# ---- resolution --------------------------------------------------------------------------------

def reference_rule(platform: str, category: str, kind: str, region: str | None) -> str:
    """The resolution order written the slow, obvious way, to check the vectorised merge against.

    Most specific first; an exact kind beats an exact platform; within that, the region's row
    beats the row for every region."""
    for exact_platform, exact_kind in ((True, True), (False, True), (True, False), (False, False)):
        for wanted_region in ([region] if region else []) + [ANY]:
            for rule in RULES:
                if rule.category != category or rule.region != wanted_region:
                    continue
                if (rule.platform == platform) if exact_platform else (rule.platform == ANY):
                    if (rule.kind == kind) if exact_kind else (rule.kind == ANY):
                        return rule.rule_id
    return "unmatched"


@pytest.mark.parametrize("region", [None, *JURISDICTIONS])
def test_vectorised_resolution_matches_the_reference_for_every_combination(region):
    kinds = sorted({rule.kind for rule in RULES if rule.kind != ANY} | {"post", "message", "whatever"})
    rows = [(p, c, k, 1.6e9) for p, c, k in itertools.product(PLATFORMS, CATEGORIES, kinds)]
    items = frame(*rows).sample(frac=1.0, random_state=7)  # shuffled, index no longer 0..n
    got = classify(items, {}, region=region)
    expected = [reference_rule(p, c, k, region)
                for p, c, k in zip(items["platform"], items["category"], items["kind"])]
    assert got["rule"].tolist() == expected
    assert got.index.equals(items.index)
    assert got["exposure"].tolist() == [RULES_BY_ID[r].level for r in expected]


@pytest.mark.parametrize("platform, category, kind, level", [
    ("facebook", "posts", "post", "training_if_public"),
    ("instagram", "comments", "comment", "training_if_public"),
    ("facebook", "messages", "message", "private_stated_not_used"),
    ("whatsapp", "messages", "text", "private_stated_not_used"),
    ("facebook", "messages", "ai_message", "training_ai_interactions"),
    ("whatsapp", "messages", "ai_message", "training_ai_interactions"),
    ("instagram", "ai_interactions", "ai_message", "training_ai_interactions"),
    ("instagram", "ai_interactions", "ai_interest", "ads_profiling"),
    ("facebook", "reactions", "reaction", "ads_profiling"),
    ("facebook", "off_platform_activity", "off_platform_event", "ads_profiling"),
    ("facebook", "groups_pages_events", "group_post", "training_if_public"),
    ("facebook", "groups_pages_events", "group_membership", "ads_profiling"),
    ("whatsapp", "connections", "contact", "unclear"),
    ("facebook", "connections", "friend", "ads_profiling"),
    ("facebook", "marketplace_shopping", "listing", "unclear"),
    ("facebook", "profile", "email", "unclear"),
    ("facebook", "profile", "profile_photo", "training_if_public"),
    ("instagram", "posts", "archived_post", "unclear"),
    ("facebook", "posts", "deleted_post", "unclear"),
    ("facebook", "posts", "pending_group_post", "unclear"),
    ("facebook", "posts", "post_by_other", "training_if_public"),
    ("instagram", "stories_reels", "story_reaction", "ads_profiling"),
    ("instagram", "search_history", "ai_search", "training_ai_interactions"),
])
def test_levels_follow_the_reference_table(platform, category, kind, level):
    assert classify(frame((platform, category, kind, 1.6e9)))["exposure"].iat[0] == level


def test_apply_exposure_keeps_the_scan_signature_and_index():
    items = frame(("facebook", "posts", "post", 1.6e9), ("facebook", "messages", "message", None))
    items.index = [10, 20]
    levels = apply_exposure(items, {}, "eu")
    assert levels.to_dict() == {10: "training_if_public", 20: "private_stated_not_used"}
    assert apply_exposure(items.iloc[:0], {}, None).empty


def test_levels_do_not_depend_on_the_jurisdiction():
    items = frame(("facebook", "posts", "post", 1.6e9), ("instagram", "ai_interactions", "ai_message", 1.7e9))
    assert apply_exposure(items, {}, "eu").tolist() == apply_exposure(items, {}, "us").tolist()


# ---- refinements from the export's own context --------------------------------------------------

def test_instagram_items_posted_while_private_are_not_public():
    # switched to private on 2020-01-01, back to public on 2022-01-01
    account = AccountContext(privacy_changes=[(seconds("2022-01-01"), "public"), (seconds("2020-01-01"), "private")])
    items = frame(("instagram", "posts", "post", seconds("2019-06-01")),        # before: public
                  ("instagram", "photos_videos", "photo", seconds("2021-06-01")),  # private
                  ("instagram", "stories_reels", "story", seconds("2020-01-01")),  # at the switch: private
                  ("instagram", "posts", "post", seconds("2023-06-01")),        # public again
                  ("instagram", "comments", "comment", seconds("2021-06-01")),  # host post decides: unchanged
                  ("instagram", "messages", "message", seconds("2021-06-01")),
                  ("instagram", "posts", "post", None))                         # undated: current state (public)
    got = classify(items, {"instagram": account}, today=TODAY)
    assert got["rule"].tolist() == ["refine:instagram_public", "refine:instagram_private",
                                    "refine:instagram_private", "refine:instagram_public", "*/comments/*",
                                    "instagram/messages/*", "refine:instagram_public"]
    assert got["exposure"].tolist() == ["training_if_public", "private_stated_not_used", "private_stated_not_used",
                                        "training_if_public", "training_if_public", "private_stated_not_used",
                                        "training_if_public"]


def test_instagram_current_setting_is_used_without_history():
    items = frame(("instagram", "posts", "post", seconds("2019-06-01")))
    private = classify(items, {"instagram": AccountContext(private_account=True)}, today=TODAY)
    unknown = classify(items, {"instagram": AccountContext()}, today=TODAY)
    assert private["exposure"].iat[0] == "private_stated_not_used"
    assert unknown["rule"].iat[0] == "*/posts/*"  # nothing known: the base "may be public" rule


def test_instagram_public_at_handles_an_empty_selection():
    out = instagram_public_at(pd.Series([], dtype="datetime64[ns, UTC]"), AccountContext(private_account=False))
    assert out.empty


def test_facebook_rows_are_never_refined_by_instagram_privacy():
    items = frame(("facebook", "posts", "post", seconds("2021-06-01")))
    got = classify(items, {"instagram": AccountContext(private_account=True), "facebook": AccountContext()})
    assert got["exposure"].iat[0] == "training_if_public"


def test_an_account_under_18_is_excluded_and_content_posted_as_a_minor_is_unclear():
    items = frame(("facebook", "posts", "post", seconds("2015-03-01")),
                  ("facebook", "posts", "post", seconds("2021-03-01")),
                  ("facebook", "messages", "message", seconds("2015-03-01")),
                  ("facebook", "ai_interactions", "ai_message", seconds("2024-03-01")))
    minor = classify(items, {"facebook": AccountContext(birth_date="2010-02-03")}, today=TODAY)
    assert minor["exposure"].tolist() == ["private_stated_not_used", "private_stated_not_used",
                                          "private_stated_not_used", "training_ai_interactions"]
    assert minor["rule"].iat[0] == "refine:under_18"
    adult = classify(items, {"facebook": AccountContext(birth_date="2000-05-10")}, today=TODAY)  # 18 on 2018-05-10
    assert adult["exposure"].tolist() == ["unclear", "training_if_public", "private_stated_not_used",
                                          "training_ai_interactions"]
    assert adult["rule"].iat[0] == "refine:posted_as_minor"


def test_a_birth_date_given_as_a_year_or_garbage_is_handled():
    items = frame(("facebook", "posts", "post", seconds("2020-06-01")))
    year_only = classify(items, {"facebook": AccountContext(birth_date="2003")}, today=TODAY)
    assert year_only["exposure"].iat[0] == "unclear"  # born by 2003-12-31: 18 only from 2021-12-31
    garbage = classify(items, {"facebook": AccountContext(birth_date="unknown")}, today=TODAY)
    assert garbage["exposure"].iat[0] == "training_if_public"


# ---- jurisdiction and objection routes ---------------------------------------------------------

@pytest.mark.parametrize("value, key", [
    ("Ireland", "eu"), ("EU", "eu"), ("Meta Platforms Ireland Ltd.", "eu"), ("Norway", "eu"),
    ("United Kingdom", "uk"), ("GB", "uk"), ("Brasil", "br"), ("United States", "us"), ("us", "us"),
    ("Japan", "other"), ("other", "other"), ("", None), (None, None),
])
def test_normalise_jurisdiction(value, key):
    assert normalise_jurisdiction(value) == key


def test_the_facebook_jurisdiction_file_wins_over_the_choice():
    assert resolve_jurisdiction({"facebook": AccountContext(jurisdiction="Ireland")}, "us") == ("eu", "export")
    assert resolve_jurisdiction({"facebook": AccountContext()}, "uk") == ("uk", "chosen")
    assert resolve_jurisdiction({}, None) == (None, "none")


def test_objection_routes_say_form_and_forward_only_or_no_opt_out():
    for key in JURISDICTIONS:
        route = objection_route(key)
        assert route["jurisdiction"] == key and route["known"]
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", route["policy_date"])
        assert route["source"].startswith("https://")
        assert route["has_form"] == bool(route["forms"])
    eu = objection_route("eu")
    assert eu["has_form"] and "future" in eu["effect"]
    assert {form["platform"] for form in eu["forms"]} == {"facebook", "instagram", "whatsapp"}
    assert not objection_route("us")["has_form"] and "No opt-out" in objection_route("us")["summary"]
    assert "No opt-out" in objection_route("other")["summary"]
    unknown = objection_route(None)
    assert unknown["jurisdiction"] == "other" and not unknown["known"]


def test_objection_route_returns_a_copy():
    objection_route("eu")["forms"].clear()
    assert OBJECTION_ROUTES["eu"]["forms"]


def test_apply_exposure_from_rule_codes_equals_classify_with_refinements():
    # the scan's categorical path and classify's strings give the same levels, on any index
    account = AccountContext(privacy_changes=[(seconds("2020-01-01"), "private")], birth_date="2001-02-03")
    items = frame(("instagram", "posts", "post", seconds("2019-06-01")), ("instagram", "posts", "post", seconds("2021-06-01")),
                  ("instagram", "messages", "message", None), ("facebook", "posts", "post", seconds("2018-06-01")),
                  ("facebook", "ai_interactions", "ai_message", seconds("2024-03-01")),
                  ("whatsapp", "messages", "text", seconds("2024-03-01")))
    items.index = [7, 3, 9, 1, 5, 2]
    accounts = {"instagram": account, "facebook": AccountContext(birth_date="2001-02-03")}
    levels = apply_exposure(items, accounts, "eu")
    assert isinstance(levels.dtype, pd.CategoricalDtype) and list(levels.index) == [7, 3, 9, 1, 5, 2]
    expected = classify(items, accounts, region="eu")["exposure"]
    assert levels.astype(object).tolist() == expected.tolist()
    assert "refine:posted_as_minor" in classify(items, accounts, region="eu")["rule"].tolist()
