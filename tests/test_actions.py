"""What a person can do (parsers/actions.py on the [actions] of rules.toml): every action reachable in
each region that has it and absent where it does not apply, counts from the audit, ranking."""
from __future__ import annotations

import itertools

import pandas as pd
import pytest
from builder.facebook import build_facebook
from builder.instagram import build_instagram

from parsers.actions import EXPOSED_LEVELS, action_titles, as_json, plan, plan_for_audit
from parsers.contract import CATEGORIES, PLATFORMS, Item, ItemsBuilder
from parsers.exposure import RULES, REFINEMENTS, classify
from parsers.rules import ANY, table
from parsers.scan import scan

REGIONS = tuple(table().regions)


def everything(region: str) -> pd.DataFrame:
    """One item of every platform x category x kind the rules name (and one they do not), classified
    for `region`, plus one item at each refinement's level: every level the audit can hold."""
    kinds = sorted({r.kind for r in RULES if r.kind != ANY} | {"whatever"})
    builder = ItemsBuilder()
    for platform, category, kind in itertools.product(PLATFORMS, CATEGORIES, kinds):
        builder.add(platform, Item(category, kind, 1.7e9, "self"), "x.json")
    items = builder.frame()
    items["exposure"] = pd.Categorical(classify(items, {}, region=region)["exposure"],
                                       dtype=items["exposure"].dtype)
    return items


@pytest.mark.parametrize("region", REGIONS)
def test_every_action_is_reachable_in_each_region_that_has_it_and_absent_elsewhere(region):
    got = {p.key for p in plan(everything(region), region)}
    for action in table().actions.values():
        if ANY in action.regions or region in action.regions:
            assert action.key in got, (action.key, region)
        else:
            assert action.key not in got, (action.key, region)


@pytest.mark.parametrize("region", REGIONS)
def test_every_category_and_level_the_audit_can_hold_has_an_action(region):
    titles = action_titles(everything(region), region)
    assert len(titles) > 0
    bare = titles[titles["actions"] == ""]
    assert bare.empty, bare.to_string()


def test_levels_reached_by_refinements_only_are_covered_too():
    levels = {r.level for r in REFINEMENTS.values()}
    covered = {c.level for a in table().actions.values() for c in a.covers}
    assert levels <= covered


def test_objection_is_offered_in_the_eu_uk_and_brazil_only_with_their_forms():
    items = everything("eu")
    eu = {p.key: p for p in plan(items, "eu")}["object"]
    assert {link["url"] for link in eu.links} >= {"https://www.facebook.com/help/contact/712876720715583",
                                                  "https://help.instagram.com/contact/767264225370182",
                                                  "https://help.meta.com/support/privacy/"}
    uk = {p.key: p for p in plan(everything("uk"), "uk")}["object"]
    assert "https://help.meta.com/support/privacy/" not in {link["url"] for link in uk.links}
    for region in ("us", "other", None):
        assert "object" not in {p.key for p in plan(everything("us"), region)}


def test_an_unknown_region_gets_the_actions_of_other_countries():
    items = everything("other")
    assert [p.key for p in plan(items, None)] == [p.key for p in plan(items, "other")]


def test_an_action_is_absent_when_the_audit_has_nothing_it_covers(tmp_path):
    audit = scan([build_facebook("2023").write_zip(tmp_path / "fb.zip")], jurisdiction="us", jobs=1)
    keys = {p.key for p in plan_for_audit(audit)}
    assert "make_instagram_private" not in keys and "whatsapp_advanced_chat_privacy" not in keys
    assert {"limit_past_posts", "delete_items", "camera_roll_off"} <= keys


def test_counts_come_from_the_audit_and_the_plan_is_ranked(tmp_path):
    ig = build_instagram("2025").write_zip(tmp_path / "ig.zip")
    fb = build_facebook("2023").write_zip(tmp_path / "fb.zip")
    audit = scan([ig, fb], jurisdiction="uk", jobs=1)
    items = audit.items
    planned = plan_for_audit(audit)
    by_key = {p.key: p for p in planned}
    public = items["exposure"] == "training_if_public"
    facebook_own = ((items["platform"] == "facebook") & items["category"].isin(["posts", "photos_videos",
                                                                                 "stories_reels"])
                    & ~items["kind"].isin(["group_post", "group_comment"]))
    assert by_key["limit_past_posts"].items == (public & facebook_own).sum() > 0
    assert by_key["limit_past_posts"].count_text.startswith(f"{(public & facebook_own).sum():,} posts and photos")
    assert by_key["object"].items == by_key["delete_items"].items == public.sum()
    ai = (items["exposure"] == "training_ai_interactions").sum()
    assert by_key["delete_ai_chats"].items == ai > 0
    assert by_key["nothing_needed"].items == (items["exposure"] == "private_stated_not_used").sum()
    acts = [p for p in planned if p.kind == "act" and p.items]
    assert [p.exposed for p in acts] == sorted((p.exposed for p in acts), reverse=True)
    assert planned[-1].kind == "info"
    assert all(p.exposed <= p.items for p in planned)
    assert all(p.exposed == 0 for p in planned if not (set(EXPOSED_LEVELS) & {c.level for c in
                                                                              table().actions[p.key].covers}))
    rows = as_json(planned)
    assert rows[0]["action"] == planned[0].key and rows[0]["items"] == planned[0].items
    assert {"action", "platforms", "items", "where", "effect"} <= set(rows[0])


def test_an_empty_audit_plans_nothing():
    assert plan(ItemsBuilder().frame(), "eu") == []
    assert action_titles(ItemsBuilder().frame(), "eu").empty


def test_scan_json_lists_the_actions_and_the_inventory_csv_has_an_actions_column(tmp_path):
    import io
    import json

    from app.cli import run_cli

    fb = build_facebook("2023").write_zip(tmp_path / "fb.zip")
    inventory = tmp_path / "inventory.csv"
    out, err = io.StringIO(), io.StringIO()
    assert run_cli(["scan", str(fb), "--json", "--jurisdiction", "us", "--inventory", str(inventory), "--jobs", "1"],
                   stdout=out, stderr=err) == 0
    result = json.loads(out.getvalue())
    assert result["rules_as_of"] == table().reviewed
    keys = [row["action"] for row in result["actions"]]
    assert "limit_past_posts" in keys and "object" not in keys
    limit = result["actions"][keys.index("limit_past_posts")]
    assert limit["platforms"] == ["facebook"] and limit["items"] > 0 and limit["where"] and limit["effect"]
    csv = pd.read_csv(inventory, encoding="utf-8-sig", keep_default_na=False)
    assert set(csv["rules_as_of"]) == {table().reviewed}
    posts = csv[(csv["category"] == "posts") & (csv["exposure"] == "training_if_public")]
    assert "Limit past posts" in posts["actions"].iat[0]
    assert (csv["actions"] != "").all()
    messages = csv[csv["category"] == "messages"]
    assert set(messages["actions"]) == {"Nothing needed: private, not used"}


def test_the_plain_summary_lists_what_you_can_do(tmp_path):
    import io

    from app.cli import run_cli

    fb = build_facebook("2023").write_zip(tmp_path / "fb.zip")
    out = io.StringIO()
    assert run_cli(["scan", str(fb), "--jurisdiction", "uk", "--jobs", "1"], stdout=out, stderr=io.StringIO()) == 0
    text = out.getvalue()
    assert f"What you can do (rules as of {table().reviewed}" in text
    assert "1. Object to AI training: " in text and "Limit past posts: " in text
    assert "Nothing needed" not in text  # the reassurances are for the page and the app
