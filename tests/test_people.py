"""The author column and the people of an export, on the builder's exports.

author: the message sender (Messenger, Instagram DMs, WhatsApp), the reactor, the commenter, the
Meta AI chat sender; the owner's own posts, comments and reactions carry the owner's name; system
lines and records nobody wrote have none. People: thread participants, friends and followers,
names in WhatsApp system lines and Facebook notices; chat titles are not people.
"""
from __future__ import annotations

import json
import zipfile

import pytest
from builder.facebook import build_facebook
from builder.instagram import build_instagram
from builder.people import named_chats

from parsers.people import names_in_notice, names_in_system_line, people_of
from parsers.scan import scan


@pytest.fixture(scope="module")
def facebook(tmp_path_factory):
    tree = build_facebook("2024", seed=31, messages=40, threads=3, notifications=6, friends=5)
    path = tree.write_zip(tmp_path_factory.mktemp("fb") / "facebook.zip")
    return tree, path, scan([path])


def test_facebook_messages_carry_their_sender_and_own_items_the_owner(facebook):
    tree, path, audit = facebook
    items = audit.items
    senders = set()
    with zipfile.ZipFile(path) as archive:
        for name in archive.namelist():
            if name.endswith("message_1.json") and ("/inbox/" in name or "/archived_threads/" in name):
                raw = json.loads(archive.read(name))
                senders |= {m["sender_name"].encode("latin-1").decode("utf-8") for m in raw["messages"]}
    messages = items[(items["category"] == "messages") & items["kind"].isin(["message", "message_photo"])]
    assert set(messages["author"]) <= {tree.owner} | tree.people and senders <= set(messages["author"])
    assert (messages.loc[messages["actor"] == "self", "author"] == tree.owner).all()
    assert (messages.loc[messages["actor"] == "other", "author"] != tree.owner).all()
    for kind in ("post", "comment", "reaction", "message_reaction"):
        rows = items[(items["kind"] == kind) & (items["actor"] == "self")]
        assert len(rows) and (rows["author"] == tree.owner).all(), kind
    ai = items[items["kind"] == "ai_message"]
    assert set(ai["author"]) == {tree.owner, "Meta AI"}
    # records nobody is said to have written: no author
    assert (items.loc[items["category"].isin(["ads_interests", "security_login"]), "author"] == "").all()


def test_facebook_people_come_from_every_place_and_titles_are_not_people(facebook):
    tree, _path, audit = facebook
    people = people_of(audit)
    items = audit.items
    friends = set(items.loc[items["kind"].isin(["friend", "following"]), "counterpart"])
    assert friends and friends <= people
    notices = items.loc[items["kind"] == "notification", "text"]
    assert {text.split(" commented")[0] for text in notices} <= people
    titles = set(items.loc[items["category"] == "messages", "counterpart"]) - tree.people
    assert titles and not titles & people  # "Gruppe X & co" is a title, not a person


def test_instagram_dm_authors_and_owner(tmp_path):
    tree = build_instagram("2025", seed=32)
    audit = scan([tree.write_zip(tmp_path / "ig.zip")])
    dms = audit.items[(audit.items["category"] == "messages") & (audit.items["kind"] == "message")]
    assert set(dms["author"]) <= set(tree.people) | {"spam_account"} and len(set(dms["author"])) > 2
    assert (dms.loc[dms["actor"] == "self", "author"] == tree.username).all()
    comments = audit.items[audit.items["category"] == "comments"]
    assert (comments["author"] == tree.full_name).all()
    assert set(tree.people) - {tree.username} <= people_of(audit)  # the friends, by username


def test_whatsapp_authors_and_the_names_in_system_lines(tmp_path):
    chats = named_chats(seed=33)
    audit = scan([chats.tree.write_zip(tmp_path / "chats.zip")], owner=chats.owner)
    items = audit.items
    assert set(items.loc[items["kind"] != "system", "author"]) <= chats.people
    assert (items.loc[items["kind"] == "system", "author"] == "").all()
    assert chats.people <= people_of(audit)
    assert not {"Trip", "Family"} & people_of(audit)


@pytest.mark.parametrize("line, names", [
    ('Loris created group "Trip"', ["Loris"]),
    ("Loris added Ana Rossi and Lars", ["Loris", "Ana Rossi", "Lars"]),
    ("Ana Rossi left", ["Ana Rossi"]),
    ("You added Mallory", ["Mallory"]),
    ("~\u202fZoë joined using this group's invite link", ["Zoë"]),
    ("Du hast Mallory hinzugefügt.", ["Mallory"]),
    ("Ana añadió a Lars", ["Ana", "Lars"]),
    ("Messages and calls are end-to-end encrypted.", []),
])
def test_names_in_system_lines(line, names):
    assert names_in_system_line(line) == names


@pytest.mark.parametrize("text, names", [
    ("Ana Rossi commented on your post.", ["Ana Rossi"]),
    ("Ana Rossi and Lars Brown reacted to your photo.", ["Ana Rossi", "Lars Brown"]),
    ("Zoë, Émile and 3 others like your post.", ["Zoë", "Émile"]),
    ("Ana's birthday is today.", ["Ana"]),
    ("You have a new friend suggestion.", []),
    ("Facebook: your password was changed.", []),
])
def test_names_in_notices(text, names):
    assert names_in_notice(text) == names
