"""The rule table as data (parsers/rules.toml): it validates, and each 2026 change of the reference's
section 0 holds on the builder's exports (a teen account's AI chats, an Instagram DM, a US public post)."""
from __future__ import annotations

import datetime as dt
import re

import pytest
from builder.facebook import build_facebook
from builder.instagram import build_instagram

from parsers import rules
from parsers.actions import plan_for_audit
from parsers.contract import CATEGORIES, EXPOSURE_LEVELS
from parsers.exposure import RULES_AS_OF, RULES_BY_ID, classify, objection_route
from parsers.scan import scan

PACKAGED = rules.table()


# ---- the data file validates -------------------------------------------------------------------

def test_the_packaged_table_loads_and_every_rule_is_sourced_and_dated():
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", PACKAGED.reviewed)
    assert RULES_AS_OF == PACKAGED.reviewed
    for rule in [*PACKAGED.rules, *(r for k, r in PACKAGED.refinements.items() if k != "unmatched")]:
        assert rule.level in EXPOSURE_LEVELS
        assert rule.sources, rule.rule_id
        assert any(s.url.startswith("https://") for s in rule.sources), rule.rule_id
        assert rule.policy_date <= PACKAGED.reviewed
    for source in PACKAGED.sources.values():
        assert source.kind in ("primary", "secondary")
        assert source.url.startswith("https://") or source.note, source.key


def test_every_category_has_a_rule_for_every_region():
    for region in PACKAGED.regions:
        got = classify(_one_per_category(), {}, region=region)
        assert "unmatched" not in set(got["rule"]), region


def _one_per_category():
    from parsers.contract import Item, ItemsBuilder

    builder = ItemsBuilder()
    for category in CATEGORIES:
        builder.add("facebook", Item(category, "whatever", 1.7e9, "self"), "x.json")
    return builder.frame()


def _packaged_text() -> str:
    from importlib import resources

    return resources.files("parsers").joinpath("rules.toml").read_text(encoding="utf-8")


@pytest.mark.parametrize("broken, complaint, said", [
    ('level = "training_if_public"', 'level = "sometimes"', "'sometimes'"),
    ('sources = ["S1", "S6"]', 'sources = ["S1", "NOPE"]', "unknown sources ['NOPE']"),
    ('policy_date = "2024-09-13"', 'policy_date = "13/09/2024"', "'13/09/2024'"),
    ('reviewed = "', 'reviewed = "x', "table.reviewed"),
    ('kind = "primary"', 'kind = "blog"', "'blog'"),
    ('rationale = "The export', 'rationle = "The export', "unknown keys ['rationle']"),
    ('covers = [{ level = "training_if_public", categories = "*" }]', 'covers = [{ level = "training_if_public" }]',
     "actions.object.covers[0].categories"),
    ('regions = ["us"]', 'regions = ["ca"]', "'ca'"),
])
def test_a_broken_table_is_refused_with_the_problem_named(broken, complaint, said):
    text = _packaged_text().replace(broken, complaint, 1)
    assert text != _packaged_text()
    with pytest.raises(rules.RuleError) as error:
        rules.load(text)
    assert str(error.value).startswith("rules.toml") and said in str(error.value)


def test_a_duplicate_row_and_a_missing_category_are_refused():
    text = _packaged_text()
    start = text.index("\n[[rules]]\n")
    first = text[start:text.index("\n[[rules]]\n", start + 1)]
    with pytest.raises(rules.RuleError, match="repeat"):
        rules.load(text + "\n" + first)
    other = text.index('category = "other"')
    with pytest.raises(rules.RuleError, match="other"):
        rules.load(text[:other] + 'category = "settings"\nregions = ["us"]' + text[other + len('category = "other"'):])
    with pytest.raises(rules.RuleError, match="not valid TOML"):
        rules.load("[table\n")


# ---- the 2026 changes on the builder's exports ---------------------------------------------------------

def _teen_birth_date() -> str:
    today = dt.date.today()
    return f"{today.year - 15:04d}-01-15"


def test_a_teen_accounts_ai_chats_are_used_and_its_public_posts_are_not(tmp_path):
    export = build_instagram("2025", birth_date=_teen_birth_date())
    audit = scan([export.write_zip(tmp_path / "teen.zip")], jobs=1)
    assert audit.accounts["instagram"].birth_date == _teen_birth_date()
    ruled = classify(audit.items, audit.accounts)
    ai = audit.items["category"] == "ai_interactions"
    assert ai.sum() == export.expected[("ai_interactions", "ai_message")] > 0
    assert set(ruled.loc[ai, "rule"]) == {"refine:under_18_ai_chats"}
    assert set(audit.items.loc[ai, "exposure"]) == {"training_ai_interactions"}
    assert "minors included" in RULES_BY_ID["refine:under_18_ai_chats"].rationale
    public_kinds = audit.items["category"].isin(["posts", "comments"]) & (audit.items["kind"] != "archived_post")
    assert set(ruled.loc[public_kinds, "rule"]) <= {"refine:under_18", "refine:instagram_private"}
    assert "public content only" in RULES_BY_ID["refine:under_18"].rationale
    # and the plan says what to do about the teen's AI chats
    assert "delete_ai_chats" in {p.key for p in plan_for_audit(audit)}


def test_an_instagram_dm_is_not_used_but_readable_by_meta(tmp_path):
    export = build_instagram("2025")
    audit = scan([export.write_zip(tmp_path / "ig.zip")], jobs=1)
    ruled = classify(audit.items, audit.accounts)
    dms = (audit.items["category"] == "messages") & (audit.items["kind"] == "message")
    assert dms.sum() > 0
    assert set(ruled.loc[dms, "rule"]) == {"instagram/messages/*"}
    assert set(audit.items.loc[dms, "exposure"]) == {"private_stated_not_used"}
    rule = RULES_BY_ID["instagram/messages/*"]
    assert "no longer end-to-end encrypted" in rule.rationale and "2026-05-08" in rule.rationale
    assert "readable by Meta" in rule.caveat
    assert rule.policy_date == "2026-05-08"


def test_a_us_public_post_may_appear_in_facebook_ai_mode_answers(tmp_path):
    export = build_facebook("2023")  # no privacy-jurisdiction file: the choice decides
    path = export.write_zip(tmp_path / "fb.zip")
    us = scan([path], jurisdiction="us", jobs=1)
    eu = scan([path], jurisdiction="eu", jobs=1)
    posts = us.items["kind"] == "post"
    assert posts.sum() > 0
    us_rules = classify(us.items, us.accounts, region="us")
    eu_rules = classify(eu.items, eu.accounts, region="eu")
    assert set(us_rules.loc[posts, "rule"]) == {"facebook/posts/*@us"}
    assert set(eu_rules.loc[posts, "rule"]) == {"*/posts/*"}
    assert set(us.items.loc[posts, "exposure"]) == set(eu.items.loc[posts, "exposure"]) == {"training_if_public"}
    rule = RULES_BY_ID["facebook/posts/*@us"]
    assert "AI Mode" in rule.rationale and "AI Mode" in rule.caveat
    check_ins = us.items["kind"] == "check_in"
    assert set(us_rules.loc[check_ins, "rule"]) == {"facebook/posts/*@us"}
    comments = us.items["category"] == "comments"
    assert set(us_rules.loc[comments, "rule"]) == {"facebook/comments/*@us"}
    for named in ("facebook/groups_pages_events/group_post@us", "facebook/stories_reels/reel@us",
                  "facebook/marketplace_shopping/marketplace_listing@us"):
        assert "AI Mode" in RULES_BY_ID[named].rationale


def test_incognito_ai_chats_are_not_stored_and_offered_as_an_action(tmp_path):
    assert "Incognito" in RULES_BY_ID["*/ai_interactions/*"].rationale
    assert "not stored" in RULES_BY_ID["*/ai_interactions/*"].rationale
    audit = scan([build_instagram("2025").write_zip(tmp_path / "ig.zip")], jurisdiction="uk", jobs=1)
    incognito = {p.key: p for p in plan_for_audit(audit)}["incognito_ai_chat"]
    assert "not stored" in incognito.effect
    assert incognito.items == (audit.items["exposure"] == "training_ai_interactions").sum()


def test_the_eu_objection_route_keeps_the_three_ai_forms_and_names_the_privacy_portal():
    route = objection_route("eu")
    assert {f["platform"] for f in route["forms"]} == {"facebook", "instagram", "whatsapp"}
    assert route["portal"]["url"] == "https://help.meta.com/support/privacy/"
    assert "2026-07-23" in route["portal"]["label"]
    for key in ("uk", "br", "us", "other"):
        assert objection_route(key)["portal"] is None


def test_camera_roll_cloud_processing_is_said_live_in_the_us_and_canada():
    assert any("camera-roll" in note.lower() for note in objection_route("us")["notes"])
    assert any("Canada" in note for note in objection_route("other")["notes"])
    for key in ("eu", "uk", "br"):
        assert not any("camera" in note.lower() for note in objection_route(key)["notes"])
