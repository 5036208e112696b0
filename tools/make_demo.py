"""Build the demo exports in assets/demo/ from the synthetic-export builder (deterministic seed).

    python tools/make_demo.py [--out assets/demo] [--seed 2024]

Each platform builder module may offer `demo_export(seed) -> ExportTree`; when it does, that is
used. Until it does, a small composition below (made with the same builder core, in the shapes
the platform parsers read) stands in. All people, texts and media are synthetic and the files
are labelled so in their names. Each zip stays well under 300 KB.
"""
from __future__ import annotations

import argparse
import importlib
import random
import sys
import zipfile
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any, Callable

PROJECT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(PROJECT / "tests"))

from builder import ExportTree, Names  # noqa: E402

OWNER = "Ana Andersen"
START = datetime(2017, 3, 1, tzinfo=timezone.utc)
SPAN_DAYS = 7 * 365


def _stamps(rng: random.Random, count: int) -> list[int]:
    """`count` sorted epoch seconds spread over the demo's seven years."""
    return sorted(int((START + timedelta(seconds=rng.randint(0, SPAN_DAYS * 86400))).timestamp())
                  for _ in range(count))


# ---- Facebook (2024 layout) ---------------------------------------------------------------------

def facebook_demo(seed: int) -> ExportTree:
    rng, names = random.Random(seed), Names(seed)
    friends = names.people(14)
    tree = ExportTree()
    A = "your_facebook_activity/"
    tree.add_json("personal_information/profile_information/profile_information.json",
                  {"profile_v2": {"name": {"full_name": OWNER, "first_name": "Ana", "last_name": "Andersen"},
                                  "registration_timestamp": 1488326400, "birthday": {"year": 1990, "month": 5,
                                                                                     "day": 17}}})
    tree.add_json("logged_information/location/your_privacy_jurisdiction.json",
                  {"privacy_jurisdiction_v2": {"value": "EU"}})
    posts = []
    for n, ts in enumerate(_stamps(rng, 40)):
        post: dict[str, Any] = {"timestamp": ts, "data": [{"post": names.sentence(3, 14)}],
                                "title": f"{OWNER} updated her status."}
        if n % 4 == 0:
            uri = f"{A}posts/media/Album_{n}/photo_{n}.jpg"
            tree.add_media(uri, rng.randint(1500, 4000), seed)
            post["attachments"] = [{"data": [{"media": {"uri": uri, "creation_timestamp": ts, "title": ""}}]}]
        posts.append(post)
    tree.add_json(A + "posts/your_posts__check_ins__photos_and_videos_1.json", posts)
    tree.add_json(A + "comments_and_reactions/comments.json", {"comments_v2": [
        {"timestamp": ts, "data": [{"comment": {"timestamp": ts, "comment": names.sentence(2, 9), "author": OWNER}}],
         "title": f"{OWNER} commented on {rng.choice(friends)}'s post."} for ts in _stamps(rng, 45)]})
    tree.add_json(A + "comments_and_reactions/likes_and_reactions_1.json", [
        {"timestamp": ts, "data": [{"reaction": {"reaction": rng.choice(["LIKE", "LOVE", "HAHA"]), "actor": OWNER}}],
         "title": f"{OWNER} liked {rng.choice(friends)}'s post."} for ts in _stamps(rng, 80)])
    for t, friend in enumerate(friends[:4]):
        stamps = _stamps(rng, 30)
        tree.add_json(f"{A}messages/inbox/{friend.split()[0].lower()}_{t}/message_1.json", {
            "participants": [{"name": friend}, {"name": OWNER}],
            "messages": [{"sender_name": rng.choice([friend, OWNER]), "timestamp_ms": ts * 1000,
                          "content": names.sentence()} for ts in reversed(stamps)],
            "title": friend, "is_still_participant": True, "thread_path": f"inbox/{friend.split()[0].lower()}_{t}"})
    tree.add_json(A + "messages/ai_conversations.json", [
        {"timestamp": ts, "title": "Meta AI", "label_values": [{"label": "Messages", "vec": [
            {"dict": [{"label": "Sender", "value": OWNER}, {"label": "Message", "value": names.sentence()},
                      {"label": "Timestamp", "timestamp_value": ts}]},
            {"dict": [{"label": "Sender", "value": "Meta AI"}, {"label": "Message", "value": names.sentence()},
                      {"label": "Timestamp", "timestamp_value": ts + 5}]}]}]}
        for ts in _stamps(rng, 6)])
    tree.add_json("connections/friends/your_friends.json",
                  {"friends_v2": [{"name": f, "timestamp": ts} for f, ts in zip(friends, _stamps(rng, len(friends)))]})
    tree.add_json("logged_information/search/your_search_history.json", {"searches_v2": [
        {"timestamp": ts, "data": [{"text": names.sentence(1, 3)}], "title": "You searched Facebook"}
        for ts in _stamps(rng, 25)]})
    tree.add_json("ads_information/ads_interests.json",
                  {"topics_v2": [w for w in ("Travel", "Coffee", "Music", "Hiking", "Photography", "Cooking")]})
    tree.add_json("apps_and_websites_off_of_facebook/your_activity_off_meta_technologies.json",
                  {"off_facebook_activity_v2": [
                      {"name": site, "events": [{"id": n, "type": "PAGE_VIEW", "timestamp": ts}
                                                for n, ts in enumerate(_stamps(rng, 5))]}
                      for site in ("shop.example", "news.example", "travel.example")]})
    tree.add("your_facebook_activity/pages/no-data.txt", "No data")
    tree.add("unrecognised_section/mystery_file.json", '{"something": "new"}')
    return tree


# ---- Instagram (2024 layout) --------------------------------------------------------------------

def instagram_demo(seed: int) -> ExportTree:
    rng, names = random.Random(seed + 1), Names(seed + 1)
    people = names.people(10)
    handles = [p.split()[0].lower() + str(rng.randint(1, 99)) for p in people]
    tree = ExportTree()
    Y = "your_instagram_activity/"
    tree.add_json("personal_information/personal_information/personal_information.json", {"profile_user": [
        {"string_map_data": {"Username": {"value": "ana.andersen"}, "Name": {"value": OWNER}}}]})
    tree.add_json("security_and_login_information/login_and_profile_creation/instagram_profile_information.json",
                  {"profile_account_insights": [{"string_map_data": {"Private account": {"value": "False"}}}]})
    posts = []
    for n, ts in enumerate(_stamps(rng, 30)):
        uri = f"media/posts/{datetime.fromtimestamp(ts, timezone.utc):%Y%m}/photo_{n}.jpg"
        tree.add_media(uri, rng.randint(1500, 4000), seed)
        posts.append({"media": [{"uri": uri, "creation_timestamp": ts, "title": names.sentence(2, 10)}]})
    tree.add_json(Y + "content/posts_1.json", posts)
    stories = []
    for n, ts in enumerate(_stamps(rng, 12)):
        uri = f"media/stories/{datetime.fromtimestamp(ts, timezone.utc):%Y%m}/story_{n}.jpg"
        tree.add_media(uri, rng.randint(1000, 3000), seed)
        stories.append({"uri": uri, "creation_timestamp": ts, "title": ""})
    tree.add_json(Y + "content/stories.json", {"ig_stories": stories})
    tree.add_json(Y + "comments/post_comments_1.json", [
        {"string_map_data": {"Comment": {"value": names.sentence(2, 8)},
                             "Media Owner": {"value": rng.choice(handles)}, "Time": {"timestamp": ts}}}
        for ts in _stamps(rng, 35)])
    tree.add_json(Y + "likes/liked_posts.json", {"likes_media_likes": [
        {"title": rng.choice(handles), "string_list_data": [{"href": "https://www.instagram.com/p/x/",
                                                             "value": "\U0001f44d", "timestamp": ts}]}
        for ts in _stamps(rng, 60)]})
    for t, (person, handle) in enumerate(list(zip(people, handles))[:3]):
        stamps = _stamps(rng, 25)
        tree.add_json(f"{Y}messages/inbox/{handle}_{t}/message_1.json", {
            "participants": [{"name": person}, {"name": OWNER}],
            "messages": [{"sender_name": rng.choice([person, OWNER]), "timestamp_ms": ts * 1000,
                          "content": names.sentence()} for ts in reversed(stamps)],
            "title": person, "thread_path": f"inbox/{handle}_{t}"})
    tree.add_json("connections/followers_and_following/followers_1.json", [
        {"title": "", "string_list_data": [{"href": f"https://www.instagram.com/{h}", "value": h, "timestamp": ts}]}
        for h, ts in zip(handles, _stamps(rng, len(handles)))])
    tree.add_json("connections/followers_and_following/following.json", {"relationships_following": [
        {"title": h, "string_list_data": [{"href": f"https://www.instagram.com/{h}", "timestamp": ts}]}
        for h, ts in zip(handles[:7], _stamps(rng, 7))]})
    tree.add_json("logged_information/recent_searches/word_or_phrase_searches.json", {"searches_keyword": [
        {"string_map_data": {"Search": {"value": names.sentence(1, 2)}, "Time": {"timestamp": ts}}}
        for ts in _stamps(rng, 15)]})
    tree.add_json("ads_information/ads_and_topics/ads_viewed.json", {"impressions_history_ads_seen": [
        {"string_map_data": {"Author": {"value": f"brand{n}"}, "Time": {"timestamp": ts}}}
        for n, ts in enumerate(_stamps(rng, 20))]})
    return tree


# ---- WhatsApp (a chat exported from the phone, with media) -------------------------------------

def whatsapp_demo(seed: int) -> ExportTree:
    from builder.whatsapp import ChatFormat, ChatWriter, chat_tree

    fmt = ChatFormat()
    writer = ChatWriter(seed, fmt, authors=3, chat="Weekend trip", with_media=True,
                        people=[OWNER, *Names(seed + 2).people(2)])
    messages = list(writer.messages(150, start=datetime(2021, 3, 14, 9, 30), max_gap=5 * 86400))
    return chat_tree(messages, fmt, "Weekend trip")


DEMOS: dict[str, tuple[str, Callable[[int], ExportTree]]] = {
    "facebook": ("synthetic-facebook.zip", facebook_demo),
    "instagram": ("synthetic-instagram.zip", instagram_demo),
    "whatsapp": ("synthetic-whatsapp-chat.zip", whatsapp_demo),
}


def demo_tree(platform: str, seed: int) -> ExportTree:
    """The platform builder's own `demo_export(seed)` when it has one, else the composition above."""
    try:
        module = importlib.import_module(f"builder.{platform}")
    except ImportError:
        module = None
    made = getattr(module, "demo_export", None) if module is not None else None
    return made(seed) if made is not None else DEMOS[platform][1](seed)


def normalise_zip(path: Path, stamp: tuple[int, ...] = (2024, 1, 1, 0, 0, 0)) -> Path:
    """Rewrite `path` with one fixed modification time per member, so reruns are byte-identical."""
    with zipfile.ZipFile(path) as source:
        members = [(info, source.read(info)) for info in source.infolist()]
    with zipfile.ZipFile(path, "w") as target:
        for info, content in members:
            fixed = zipfile.ZipInfo(info.filename, date_time=stamp)
            fixed.compress_type = info.compress_type
            fixed.external_attr = 0o644 << 16
            target.writestr(fixed, content)
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=PROJECT / "assets" / "demo")
    parser.add_argument("--seed", type=int, default=2024)
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    for platform, (name, _) in DEMOS.items():
        path = normalise_zip(demo_tree(platform, args.seed).write_zip(args.out / name))
        print(f"{path.relative_to(PROJECT) if path.is_relative_to(PROJECT) else path}: {path.stat().st_size:,} bytes")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
