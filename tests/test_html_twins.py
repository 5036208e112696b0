"""The builder's HTML twins against their JSON exports, generation by generation.

For each layout the builder writes a JSON export and its HTML twin (tests/builder/html_twin.py:
the same records in the generation's page markup, zone and time precision). The audits must agree
per category on item counts, actors, exposure, media counts and bytes, and timestamps once both are cut to
the precision the pages show. What HTML does not carry is named where it is compared:

* the album's last-modified time (the album page shows its photos' times only);
* the kinds the JSON spells out and the page does not (a check-in's place, a sticker, a call).
"""
from __future__ import annotations

import pandas as pd
import pytest

from builder.facebook import build_facebook
from builder.html_twin import GENERATIONS, html_twin
from builder.instagram import build_instagram
from parsers.scan import scan

CASES = sorted(GENERATIONS)


def _build(platform: str, layout: str):
    if platform == "facebook":
        tree = build_facebook(layout, seed=21)
        if layout == "2024":  # the zone page of the twin has its JSON twin in a real export
            tree.add_json("logged_information/location/timezone.json", {"timezone_v2": "Europe/Copenhagen"})
        act = {"2023": "your_activity_across_facebook/", "2024": "your_facebook_activity/"}.get(layout, "")
        when = 1_600_000_000
        # groups, events, saved items, stories: the builder's core export has none
        tree.add_json(act + "groups/your_group_membership_activity.json", {"groups_joined_v2": [
            {"timestamp": when + n, "title": f"You joined Hiking Club {n}.", "data": [{"name": f"Hiking Club {n}"}]}
            for n in range(3)]})
        tree.add_json(act + "events/your_event_responses.json", {"event_responses_v2": {"events_joined": [
            {"name": "Midsommer", "start_timestamp": when + 99, "end_timestamp": 0}]}})
        tree.add_json(act + "saved_items_and_collections/your_saved_items.json", {"saves_v2": [
            {"timestamp": when + 7, "title": "You saved a link.", "attachments": [
                {"data": [{"external_context": {"name": "An article", "source": "example.org"}}]}]}]})
        return tree
    return build_instagram(layout, seed=21)


@pytest.fixture(scope="module", params=CASES, ids=lambda case: "-".join(case))
def pair(request, tmp_path_factory):
    platform, layout = request.param
    tree = _build(platform, layout)
    folder = tmp_path_factory.mktemp(f"{platform}{layout}")
    json_audit = scan([tree.write_folder(folder / "json")])
    html_audit = scan([html_twin(tree, platform, layout).write_folder(folder / "html")])
    return platform, layout, json_audit, html_audit


def _by_category(items: pd.DataFrame, precision: int) -> dict[str, dict]:
    items = items[items["kind"].astype(str) != "album"]  # its time is not on the page
    out = {}
    for category, group in items.groupby("category", observed=True):
        seconds = group["timestamp"].dropna().astype("int64") // 10**9
        out[str(category)] = {
            "count": len(group),
            "actors": sorted(group["actor"].astype(str)),
            "exposure": sorted(group["exposure"].astype(str)),
            "times": sorted((seconds // precision).tolist()),
            "undated": int(group["timestamp"].isna().sum()),
            "media": int(group["media_count"].sum()),
            "bytes": int(group["media_bytes"].sum()),
        }
    return out


def test_the_twin_is_detected_as_an_html_export_of_the_same_platform(pair):
    platform, layout, json_audit, html_audit = pair
    (json_source,), (html_source,) = json_audit.sources, html_audit.sources
    assert (html_source.platform, html_source.format) == (platform, "html")
    assert json_source.format == "json"
    assert html_source.layout == json_source.layout


def test_every_page_is_read(pair):
    _platform, _layout, _json_audit, html_audit = pair
    files = html_audit.files
    pages = files[files["path"].str.endswith(".html")]
    assert set(pages["status"].astype(str)) <= {"parsed", "ignored"}
    ignored = pages[pages["status"].astype(str) == "ignored"]
    assert ignored["path"].str.endswith("start_here.html").all()  # the viewer's entry page only
    assert not (html_audit.problems["kind"] == "unparsed_time").any()
    assert not (html_audit.problems["kind"] == "unreadable").any()


@pytest.mark.parametrize("field", ["count", "actors", "exposure", "times", "undated", "media", "bytes"])
def test_each_category_gives_the_same_items_as_json(pair, field):
    platform, layout, json_audit, html_audit = pair
    precision = GENERATIONS[(platform, layout)][1]
    from_json = _by_category(json_audit.items, precision)
    from_html = _by_category(html_audit.items, precision)
    assert set(from_html) == set(from_json)
    for category in from_json:
        assert from_html[category][field] == from_json[category][field], category


def test_the_audit_says_which_zone_the_times_were_read_in(pair):
    platform, layout, _json_audit, html_audit = pair
    notices = " ".join(html_audit.accounts[platform].notices)
    expected = {"2024": "Europe/Copenhagen", "2023": "UTC+01:00"}.get(layout, "UTC") if platform == "facebook" \
        else "UTC-08:00"
    assert f"read as {expected}" in notices


def test_the_owner_is_known_from_the_profile_page(pair):
    platform, _layout, json_audit, html_audit = pair
    assert html_audit.accounts[platform].owner_names == json_audit.accounts[platform].owner_names != set()


# ---- mixed exports -------------------------------------------------------------------------------

def test_a_json_export_with_a_few_html_pages_reads_the_pages_without_twins(tmp_path):
    tree = build_facebook("2024", seed=22)
    twin = html_twin(tree, "facebook", "2024")
    page = "your_facebook_activity/posts/album/0.html"  # a lone page in a JSON export (timelinize#154)
    del tree.files["your_facebook_activity/posts/album/0.json"]
    tree.files[page] = twin.files[page]
    tree.files["your_facebook_activity/comments_and_reactions/comments.html"] = \
        twin.files["your_facebook_activity/comments_and_reactions/comments.html"]  # beside its JSON twin
    audit = scan([tree.write_folder(tmp_path / "mixed")])
    assert audit.sources[0].format == "json"
    files = audit.files.set_index("path")
    assert files.loc[page, "status"] == "parsed" and files.loc[page, "items"] == tree.expected[("photos_videos", "photo")] + 1
    twin_row = files.loc["your_facebook_activity/comments_and_reactions/comments.html"]
    assert twin_row["status"] == "ignored" and "HTML twin of" in twin_row["reason"]
    assert twin_row["category"] == "comments"
    assert (audit.items["category"] == "comments").sum() == tree.count("comments")


def test_an_html_export_split_in_parts_resolves_media_across_parts(tmp_path):
    tree = build_facebook("2024", seed=23)
    twin = html_twin(tree, "facebook", "2024")
    whole = scan([twin.write_folder(tmp_path / "whole")])
    parts = scan(twin.write_parts(tmp_path / "parts", "facebook-owner-2024", 3))
    assert parts.items["media_bytes"].sum() == whole.items["media_bytes"].sum() > 0
    assert len(parts.items) == len(whole.items)


def test_a_page_no_reader_itemises_stays_in_the_inventory_with_its_reason(tmp_path):
    tree = build_facebook("2024", seed=24)
    twin = html_twin(tree, "facebook", "2024")
    twin.add("your_facebook_activity/messages/autofill_information.html",
             '<html><body><main role="main"><section class="_a6-g"><table><tr><td class="_a6_q">FULL_NAME</td>'
             '<td class="_a6_r">Someone</td></tr></table></section></main></body></html>')
    audit = scan([twin.write_folder(tmp_path / "html")])
    row = audit.files.set_index("path").loc["your_facebook_activity/messages/autofill_information.html"]
    assert row["status"] == "ignored" and row["reason"].startswith("not itemised:")
    assert row["category"] == "profile"


@pytest.mark.parametrize("platform, layout", [("facebook", "2024"), ("instagram", "2025")])
def test_an_html_export_scans_the_same_in_parallel(tmp_path, monkeypatch, platform, layout):
    from parsers import parallel
    from test_parallel import assert_same_audit

    monkeypatch.setattr(parallel, "MIN_MEMBER_SIZE", 1)  # the twin's pages are small: pool them all
    monkeypatch.setattr(parallel, "MIN_POOL_BYTES", 1)
    twin = html_twin(_build(platform, layout), platform, layout)
    path = twin.write_zip(tmp_path / f"{platform}-html.zip")
    assert_same_audit(scan([path], jobs=1), scan([path], jobs=2))
