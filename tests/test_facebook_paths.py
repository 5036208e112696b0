"""Every path of ../shared/reference/real-paths/facebook_paths_keys.tsv is known to the table.

A skeleton export is built from the TSV: each path gets minimal content of the shape its keys
say (a label_values record, a post list, a thread, an album, or a wrapper object around one
record). Then no file may be unknown or failed, except the Instagram files the merged
donated-structure inventory also lists (they belong to the Instagram table).
"""
from __future__ import annotations

from pathlib import Path

import pytest

from builder import ExportTree
from parsers.scan import scan

TSV = Path(__file__).resolve().parents[2] / "shared" / "reference" / "real-paths" / "facebook_paths_keys.tsv"

#: Instagram files listed in the merged FB/IG inventory; they would make the skeleton an Instagram
#: export (your_instagram_activity/, IG profile files) and belong to the Instagram table.
INSTAGRAM_ONLY = ("your_instagram_activity/", "personal_information/personal_information/",
                  "apps_and_websites_off_of_instagram/")

#: wrapper keys whose value is not a record list (meta-export-formats.md 4.2, 4.3, 8.3)
SHAPED = {
    "autofill_information_v2": {"FULL_NAME": ["Ana Brown"]},
    "last_activity_v2": {"last_activity_time": {"Website": {"activity_by_day": [1_600_000_000]}}},
}
ENTRY_KEYS = {"recently_viewed", "visited_things_v2", "language_and_locale_v2", "controls", "people_and_friends_v2"}
#: files the table ignores on purpose, with the reason checked
IGNORED = {"secret_conversations.json": "no messages"}

LV_KEYS = {"fbid", "label_values", "media", "ent_name", "timestamp", "title", "bcts"}
POST_KEYS = {"attachments", "data", "timestamp", "title"}


def _content(keys: list[str]) -> object:
    """Minimal content of the right shape for a file whose top-level keys are `keys`."""
    key_set = set(keys)
    if "messages" in key_set:
        return {"participants": [{"name": "Ana Brown"}, {"name": "Søren Müller"}],
                "messages": [{"sender_name": "Ana Brown", "timestamp_ms": 1_600_000_000_000, "content": "hej"}],
                "title": "Ana Brown", "is_still_participant": True, "thread_path": "inbox/anabrown_1",
                "magic_words": []}
    if key_set == POST_KEYS:
        return [{"timestamp": 1_600_000_000, "title": "x", "data": [{"post": "hej"}], "attachments": []}]
    if "photos" in key_set and "cover_photo" in key_set:
        return {"name": "Album", "photos": [{"uri": "x.jpg", "creation_timestamp": 1_600_000_000}],
                "cover_photo": {"uri": "x.jpg"}, "last_modified_timestamp": 1_600_000_000, "description": ""}
    record = {"fbid": "1", "media": [], "timestamp": 1_600_000_000,
              "label_values": [{"label": "Name", "value": "x"}]}
    wrappers = [k for k in keys if k not in LV_KEYS]
    if not wrappers:
        return record
    content = {k: v for k, v in record.items() if k in key_set}
    for key in wrappers:
        if key in SHAPED:
            content[key] = SHAPED[key]
        elif key in ENTRY_KEYS:
            content[key] = [{"name": "x", "description": "", "entries": [{"timestamp": 1_600_000_000,
                                                                         "data": {"name": "x"}}]}]
        else:
            content[key] = [{"name": "x", "timestamp": 1_600_000_000}]
    return content


def _rows() -> list[tuple[str, list[str]]]:
    rows = []
    for line in TSV.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        path, keys, _seen = line.split("\t")
        rows.append((path.replace("$USERNAME", "anabrown_123"), [k.strip() for k in keys.split(",")]))
    return rows


@pytest.fixture(scope="module")
def skeleton(tmp_path_factory):
    if not TSV.is_file():
        pytest.skip("../shared/reference is not present")
    tree = ExportTree()
    rows = _rows()
    for path, keys in rows:
        if not path.startswith(INSTAGRAM_ONLY):
            tree.add_json(path, _content(keys))
    audit = scan([tree.write_zip(tmp_path_factory.mktemp("skeleton") / "facebook-skeleton.zip")])
    return rows, tree, audit


def test_skeleton_is_a_facebook_export(skeleton):
    _rows_, _tree, audit = skeleton
    assert [(s.platform, s.format) for s in audit.sources] == [("facebook", "json")]


def test_every_real_path_is_known(skeleton):
    rows, tree, audit = skeleton
    assert len(audit.files) == len(tree.files) > 200
    bad = audit.files[audit.files["status"].isin(["unknown", "failed"])]
    assert bad["path"].tolist() == []
    skipped = [p for p, _ in rows if p.startswith(INSTAGRAM_ONLY)]
    assert len(skipped) == 11  # the Instagram rows of the TSV (counted with grep)


def test_every_skeleton_file_gives_its_record(skeleton):
    """Each skeleton file holds one record (a thread: one message; an album: album + photo)."""
    _rows_, _tree, audit = skeleton
    files = audit.files.set_index("path")
    ignored = files[files["status"] == "ignored"]
    assert len(ignored) == 2  # secret_conversations.json, in two section folders
    for path, row in ignored.iterrows():
        assert IGNORED[path.rsplit("/", 1)[-1]] in row["reason"]
    files = files[files["status"] != "ignored"]
    assert (files["status"] == "parsed").all()
    items = files["items"]
    albums = items[items.index.str.contains("/album/")]
    assert (albums == 2).all() and len(albums) == 5
    assert (items[~items.index.str.contains("/album/")] >= 1).all()


def test_skeleton_categories_follow_the_sections(skeleton):
    _rows_, _tree, audit = skeleton
    files = audit.files.set_index("path")
    category = files["category"].astype(str)
    assert category["security_and_login_information/logins_and_logouts.json"] == "security_login"
    assert category["your_facebook_activity/messages/ai_conversations.json"] == "ai_interactions"
    assert category["ads_information/advertisers_using_your_activity_or_information.json"] == "ads_interests"
    assert category["apps_and_websites_off_of_facebook/your_activity_off_meta_technologies.json"] == \
        "off_platform_activity"
    assert category["your_facebook_activity/comments_and_reactions/likes_and_reactions.json"] == "reactions"
    assert category["preferences/preferences/privacy_settings.json"] == "settings"
    assert category["your_activity_across_facebook/anabrown_123/message_1.json"] == "messages"
