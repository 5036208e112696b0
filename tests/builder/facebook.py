"""Synthetic Facebook JSON exports, one per layout generation, faithful to the references.

Shapes follow ../shared/reference/meta-export-formats.md (sections 4, 5, 8) and the real files in
../shared/fixtures/facebook (waultar) and ../shared/fixtures/messenger (msgvault):

    "2020"  flat folders, unversioned keys (posts/, photos_and_videos/, comments/, friends/, ...)
    "2021"  flat folders, `*_v2` keys (comments_and_reactions/, friends_and_followers/, search/, ...)
    "2023"  sections: your_activity_across_facebook/, personal_information/, connections/, logged_information/
    "2024"  your_facebook_activity/, label_values files, bare lists and single objects, Meta AI, e2ee_cutover

`build_facebook` returns a `FacebookExport` (an ExportTree) that also records what it put in:
`expected[(category, kind)]` item counts and `expected_bytes[category]` media bytes, so tests compare
the parser's counts with the builder's, not with numbers written twice. Message files hold at most
`messages_per_file` messages (Meta splits at about 10k), written one file at a time, so a million
messages never exist as one Python structure.
"""
from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Iterator

from builder import ExportTree, Names

LAYOUTS = ("2020", "2021", "2023", "2024")
STICKER_URI = "messages/stickers_used/39178562_1505197616293642_5411344281094848512_n.png"
STICKER_SIZE = 1_000
START, END = 1_300_000_000, 1_720_000_000  # 2011-03 .. 2024-07, seconds


@dataclass
class FacebookExport(ExportTree):
    """An ExportTree plus what the builder put in it."""

    layout: str = ""
    owner: str = ""
    expected: Counter = field(default_factory=Counter)
    expected_bytes: Counter = field(default_factory=Counter)
    media_paths: list[str] = field(default_factory=list)
    people: set[str] = field(default_factory=set)  # everyone the export may name (pseudonymisation tests)

    def count(self, category: str) -> int:
        return sum(n for (cat, _kind), n in self.expected.items() if cat == category)


@dataclass(frozen=True)
class Paths:
    """Where one generation keeps each file, and the key suffix of its wrapper objects."""

    act: str        # activity section prefix ("", "your_activity_across_facebook/", "your_facebook_activity/")
    personal: str   # "" or "personal_information/"
    connections: str
    logged: str
    v: str          # "" (2020) or "_v2"
    posts: str
    album_dir: str
    videos: str
    comments: str
    reactions: str
    friends: str
    following: str
    search: str
    ads_interests: str
    offsite: str
    logins: str


def paths_for(layout: str) -> Paths:
    if layout == "2020":
        return Paths("", "", "", "", "", "posts/your_posts_{n}.json", "photos_and_videos/album",
                     "photos_and_videos/your_videos.json", "comments/comments.json",
                     "likes_and_reactions/posts_and_comments.json", "friends/friends.json",
                     "following_and_followers/following.json", "search_history/your_search_history.json",
                     "ads/ads_interests.json", "", "security_and_login_information/logins_and_logouts.json")
    if layout == "2021":
        return Paths("", "", "friends_and_followers/", "", "_v2", "posts/your_posts_{n}.json", "posts/album",
                     "posts/your_videos.json", "comments_and_reactions/comments.json",
                     "comments_and_reactions/posts_and_comments.json", "friends_and_followers/friends.json",
                     "friends_and_followers/who_you_follow.json", "search/your_search_history.json",
                     "ads_information/ads_interests.json",
                     "apps_and_websites_off_of_facebook/your_off-facebook_activity.json",
                     "security_and_login_information/logins_and_logouts.json")
    if layout in ("2023", "2024"):
        act = "your_activity_across_facebook/" if layout == "2023" else "your_facebook_activity/"
        return Paths(act, "personal_information/", "connections/", "logged_information/", "_v2",
                     act + "posts/your_posts__check_ins__photos_and_videos_{n}.json", act + "posts/album",
                     act + "posts/your_videos.json", act + "comments_and_reactions/comments.json",
                     act + "comments_and_reactions/likes_and_reactions_{n}.json",
                     "connections/friends/your_friends.json", "connections/followers/who_you've_followed.json",
                     "logged_information/search/your_search_history.json",
                     "logged_information/other_logged_information/ads_interests.json",
                     "apps_and_websites_off_of_facebook/your_activity_off_meta_technologies.json",
                     "security_and_login_information/logins_and_logouts.json")
    raise ValueError(f"unknown layout {layout!r}; use one of {LAYOUTS}")


class _Gen:
    """The seeded state one export is built from."""

    def __init__(self, layout: str, seed: int, media_size: int) -> None:
        self.rng = random.Random(seed)
        self.names = Names(seed)
        self.layout = layout
        self.p = paths_for(layout)
        self.media_size = media_size
        self.serial = 0

    def when(self) -> int:
        return self.rng.randint(START, END)

    def next_id(self) -> int:
        self.serial += 1
        return 100_000_000_000 + self.serial

    def key(self, base: str) -> str:
        return base + self.p.v


def build_facebook(layout: str, seed: int = 0, *, messages: int = 60, posts: int = 12, threads: int = 4,
                   photos: int = 6, videos: int = 2, comments: int = 8, reactions: int = 10, friends: int = 7,
                   searches: int = 5, logins: int = 4, ad_interests: int = 6, off_platform: int = 5,
                   notifications: int = 4, messages_per_file: int = 10_000, media_size: int = 2_000,
                   stale_prefix: bool = False, message_boxes: tuple[str, ...] | None = None,
                   owner: str | None = None) -> FacebookExport:
    """A Facebook JSON export of one layout generation with the given numbers of items.

    `message_boxes` chooses the thread folders (default inbox, archived_threads, filtered_threads,
    message_requests, and e2ee_cutover from 2023); `()` leaves the messages folder out. With
    `stale_prefix` (2024) media uris carry the old `your_activity_across_facebook/` root while
    the files sit under `your_facebook_activity/` (meta-export-formats.md 4.1 notes).
    """
    g = _Gen(layout, seed, media_size)
    tree = FacebookExport(layout=layout)
    tree.owner = owner or "Søren Ærø Müller"  # non-ASCII: the mojibake must be repaired
    _profile(g, tree)
    _posts(g, tree, posts, stale_prefix)
    _albums(g, tree, photos, videos, stale_prefix)
    _comments(g, tree, comments)
    _reactions(g, tree, reactions)
    _friends(g, tree, friends)
    _searches(g, tree, searches)
    _security(g, tree, logins)
    _ads(g, tree, ad_interests, off_platform)
    _notifications(g, tree, notifications)
    boxes = message_boxes
    if boxes is None:
        boxes = ("inbox", "archived_threads", "filtered_threads", "message_requests")
        if layout in ("2023", "2024"):
            boxes += ("e2ee_cutover",)
    if messages and boxes:
        _messages(g, tree, messages, threads, boxes, messages_per_file, stale_prefix)
    if layout == "2024":
        _newer_files(g, tree)
    # an empty category, as Meta writes it
    tree.add(f"{g.p.act}fundraisers/no-data.txt", "No data\n")
    tree.people = g.names.issued | {tree.owner}
    return tree


# ---- media -------------------------------------------------------------------------------------

def _media(g: _Gen, tree: FacebookExport, path: str, category: str) -> int:
    size = g.media_size + g.rng.randint(0, g.media_size)
    tree.add_media(path, size, seed=g.serial)
    tree.media_paths.append(path)
    tree.expected_bytes[category] += size
    return size


def _uri(g: _Gen, path: str, stale: bool) -> str:
    if stale and path.startswith("your_facebook_activity/"):
        return "your_activity_across_facebook/" + path[len("your_facebook_activity/"):]
    return path


def _media_object(g: _Gen, uri: str, when: int, title: str = "", description: str = "") -> dict:
    obj: dict[str, Any] = {"uri": uri, "creation_timestamp": when,
                           "media_metadata": {"photo_metadata": {"exif_data": [{"upload_ip": "192.0.2.1",
                                                                                "taken_timestamp": when - 60}]}}}
    if title:
        obj["title"] = title
    if description:
        obj["description"] = description
    return obj


# ---- profile -----------------------------------------------------------------------------------

def _profile(g: _Gen, tree: FacebookExport) -> None:
    first, *_middle, last = tree.owner.split()
    profile = {"name": {"full_name": tree.owner, "first_name": first, "middle_name": "", "last_name": last},
               "emails": {"emails": ["owner@example.org"], "previous_emails": [], "pending_emails": [],
                          "ad_account_emails": []},
               "birthday": {"year": 1990, "month": 4, "day": 9},
               "gender": {"gender_option": "FEMALE", "pronoun": "FEMALE"},
               "current_city": {"name": "København", "timestamp": 0},
               "registration_timestamp": 1_250_000_000,
               "username": "owner.example", "profile_uri": "https://www.facebook.com/owner.example"}
    key = "profile" if g.layout == "2020" else "profile_v2"
    tree.add_json(f"{g.p.personal}profile_information/profile_information.json", {key: profile})
    tree.expected[("profile", "profile")] += 1
    updates = [{"timestamp": g.when(), "title": f"{tree.owner} updated their profile picture."} for _ in range(2)]
    tree.add_json(f"{g.p.personal}profile_information/profile_update_history.json",
                  {g.key("profile_updates"): updates})
    tree.expected[("profile", "profile_update")] += len(updates)


# ---- posts -------------------------------------------------------------------------------------

def _posts(g: _Gen, tree: FacebookExport, count: int, stale: bool) -> None:
    """your_posts_1.json: a bare list. Every 3rd post attaches a photo (a media member), every
    4th is a check-in (place attachment), every 5th is backdated (update/backdated_timestamp)."""
    records = []
    for n in range(count):
        when = g.when()
        text = g.names.sentence()
        post: dict[str, Any] = {"timestamp": when, "data": [{"post": text}],
                                "title": f"{tree.owner} updated their status."}
        attachments = []
        if n % 3 == 0:
            path = f"{g.p.act}posts/media/Mobileuploads_{g.next_id()}/{g.next_id()}_n.jpg"
            _media(g, tree, path, "posts")
            attachments.append({"data": [{"media": _media_object(g, _uri(g, path, stale), when, "Mobile uploads",
                                                                 text)}]})
        kind = "post"
        if n % 4 == 1:
            attachments.append({"data": [{"place": {"name": "Café Ørsted", "address": "Nørregade 1",
                                                    "coordinate": {"latitude": 55.68, "longitude": 12.57},
                                                    "url": "https://www.facebook.com/cafe"}}]})
            kind = "check_in"
        if n % 5 == 2:
            post["data"].append({"backdated_timestamp": when - 86_400 * 400})
        if n % 6 == 5:
            attachments.append({"data": [{"external_context": {"url": "https://example.org/article"}}]})
        if attachments:
            post["attachments"] = attachments
        records.append(post)
        tree.expected[("posts", kind)] += 1
    # Meta splits posts over your_posts_1.json, _2, ...; two files when there are many
    half = (len(records) + 1) // 2 if len(records) > 8 else len(records)
    chunks = [records[:half], records[half:]] if half < len(records) else [records]
    for index, chunk in enumerate(chunks, 1):
        tree.add_json(g.p.posts.format(n=index), chunk)


def _albums(g: _Gen, tree: FacebookExport, photos: int, videos: int, stale: bool) -> None:
    """album/0.json `{name, photos:[MEDIA], cover_photo, last_modified_timestamp, description}`
    and your_videos.json `{videos_v2:[MEDIA]}` (2020: `{videos}`), each media a member."""
    media_dir = f"{g.p.act}posts/media" if g.layout != "2020" else "photos_and_videos"
    album_photos = []
    for _ in range(photos):
        when = g.when()
        path = f"{media_dir}/TurtilArhus_{g.serial}/{g.next_id()}_n.jpg"  # Meta ASCII-fies folder names
        _media(g, tree, path, "photos_videos")
        album_photos.append(_media_object(g, _uri(g, path, stale), when, "Tur til Århus", g.names.sentence()))
    if photos:
        tree.add_json(f"{g.p.album_dir}/0.json", {"name": "Tur til Århus", "photos": album_photos,
                                                  "cover_photo": album_photos[0],
                                                  "last_modified_timestamp": g.when(), "description": "Sommer"})
        tree.expected[("photos_videos", "photo")] += photos
        tree.expected[("photos_videos", "album")] += 1
    video_list = []
    for _ in range(videos):
        when = g.when()
        path = f"{media_dir}/videos/{g.next_id()}_n.mp4"
        _media(g, tree, path, "photos_videos")
        video_list.append({"uri": _uri(g, path, stale), "creation_timestamp": when, "description": "Video 🎉",
                           "media_metadata": {"video_metadata": {"exif_data": [{"upload_timestamp": when}]}},
                           "thumbnail": {"uri": f"{media_dir}/videos/thumbnails/{g.serial}.jpg"}})
    if videos:
        tree.add_json(g.p.videos, {("videos" if g.layout == "2020" else "videos_v2"): video_list})
        tree.expected[("photos_videos", "video")] += videos


# ---- comments, reactions -----------------------------------------------------------------------

def _comments(g: _Gen, tree: FacebookExport, count: int) -> None:
    records = []
    for n in range(count):
        when = g.when()
        if n % 4 == 3:  # deleted comment: only timestamp and title remain (waultar fixture)
            records.append({"timestamp": when, "title": f"{tree.owner} commented on a post."})
        else:
            records.append({"timestamp": when, "data": [{"comment": {"timestamp": when, "comment":
                            g.names.sentence(), "author": tree.owner}}],
                            "title": f"{tree.owner} commented on {g.names.person()}'s post."})
    tree.add_json(g.p.comments, {g.key("comments"): records})
    tree.expected[("comments", "comment")] += count


def _reactions(g: _Gen, tree: FacebookExport, count: int) -> None:
    records = [{"timestamp": g.when(), "data": [{"reaction": {"reaction": g.rng.choice(["LIKE", "LOVE", "HAHA"]),
                                                               "actor": tree.owner}}],
                "title": f"{tree.owner} likes {g.names.person()}'s post."} for _ in range(count)]
    if g.layout in ("2020", "2021"):
        tree.add_json(g.p.reactions, {g.key("reactions"): records})
    else:  # likes_and_reactions_1.json, _2, ...: bare lists, old-style records
        half = (count + 1) // 2
        tree.add_json(g.p.reactions.format(n=1), records[:half])
        tree.add_json(g.p.reactions.format(n=2), records[half:])
    tree.expected[("reactions", "reaction")] += count
    if g.layout == "2024":  # the new label_values list next to the old files
        new = [{"timestamp": g.when(), "fbid": str(g.next_id()), "media": [], "ent_name": "likes",
                "label_values": [{"label": "Reaction", "value": "❤️"},
                                 {"label": "Name", "value": g.names.person()},
                                 {"label": "URL", "href": "https://www.facebook.com/x", "value": "x"}]}
               for _ in range(3)]
        tree.add_json(f"{g.p.act}comments_and_reactions/likes_and_reactions.json", new)
        tree.expected[("reactions", "reaction")] += 3


# ---- connections -------------------------------------------------------------------------------

def _friends(g: _Gen, tree: FacebookExport, count: int) -> None:
    people = g.names.people(count + 3)
    tree.add_json(g.p.friends, {g.key("friends"): [{"name": p, "timestamp": g.when()} for p in people[:count]]})
    tree.expected[("connections", "friend")] += count
    following_key = "following" if g.layout == "2020" else ("following_v2" if g.layout == "2021" else "following_v3")
    tree.add_json(g.p.following, {following_key: [{"name": p, "timestamp": g.when()} for p in people[count:]]})
    tree.expected[("connections", "following")] += 3


def _searches(g: _Gen, tree: FacebookExport, count: int) -> None:
    records = []
    for _ in range(count):
        query = g.rng.choice(["smørrebrød", "café near me", "Zoë", "weekend trip"])
        records.append({"timestamp": g.when(), "title": "You searched Facebook", "data": [{"text": query}],
                        "attachments": [{"data": [{"text": f'"{query}"'}]}]})
    tree.add_json(g.p.search, {g.key("searches"): records})
    tree.expected[("search_history", "search")] += count


def _security(g: _Gen, tree: FacebookExport, count: int) -> None:
    records = [{"action": g.rng.choice(["Login", "Logout"]), "timestamp": g.when(), "site": "www.facebook.com",
                "ip_address": "192.0.2.7"} for _ in range(count)]
    tree.add_json(g.p.logins, {g.key("account_accesses"): records})
    tree.expected[("security_login", "login")] += count
    sec = "security_and_login_information/"
    devices = [{"name": "Pixel 7", "created_timestamp": g.when(), "updated_timestamp": g.when(),
                "ip_address": "192.0.2.9", "user_agent": "Mozilla/5.0"} for _ in range(2)]
    tree.add_json(sec + "recognized_devices.json", {g.key("recognized_devices"): devices})
    tree.expected[("security_login", "device")] += 2


def _ads(g: _Gen, tree: FacebookExport, interests: int, off_platform: int) -> None:
    topics = [g.rng.choice(["Fodbold", "Café culture", "Hiking", "Sci-fi", "Rødvin"]) + f" {n}"
              for n in range(interests)]
    tree.add_json(g.p.ads_interests, {("topics" if g.layout == "2020" else "topics_v2"): topics})
    tree.expected[("ads_interests", "ad_interest")] += interests
    if g.layout in ("2023", "2024"):
        advertisers = [{"fbid": str(g.next_id()), "media": [], "ent_name": "advertisers",
                        "label_values": [{"label": "Advertiser", "value": f"Brand Ø {n}"}]} for n in range(3)]
        tree.add_json("ads_information/advertisers_using_your_activity_or_information.json", advertisers)
        tree.expected[("ads_interests", "advertiser")] += 3
    if not g.p.offsite:
        return
    if g.layout == "2024":
        # 2026 shape: a bare list of label_values records, one per business, events in a vec
        businesses = []
        left = off_platform
        while left > 0:
            take = min(left, 2)
            left -= take
            businesses.append({"title": f"Shop {g.next_id()}", "fbid": str(g.serial), "media": [],
                               "label_values": [{"label": "Events", "vec": [
                                   {"dict": [{"label": "Event", "value": "PURCHASE"},
                                             {"label": "Received on", "timestamp_value": g.when()}]}
                                   for _ in range(take)]}]})
        tree.add_json(g.p.offsite, businesses)
    else:
        businesses = []
        left = off_platform
        while left > 0:
            take = min(left, 2)
            left -= take
            businesses.append({"name": f"Shop {g.next_id()}", "events": [
                {"id": g.serial, "type": "PAGE_VIEW", "timestamp": g.when()} for _ in range(take)]})
        tree.add_json(g.p.offsite, {"off_facebook_activity_v2": businesses})
    tree.expected[("off_platform_activity", "off_platform_event")] += off_platform


def _notifications(g: _Gen, tree: FacebookExport, count: int) -> None:
    records = [{"timestamp": g.when(), "unread": False, "href": "https://www.facebook.com/n",
                "text": f"{g.names.person()} commented on your post."} for _ in range(count)]
    tree.add_json(f"{g.p.logged}notifications/notifications.json", {g.key("notifications"): records})
    tree.expected[("activity_log", "notification")] += count


# ---- messages ----------------------------------------------------------------------------------

def _thread_messages(g: _Gen, tree: FacebookExport, owner: str, other: str, folder: str, uri_folder: str,
                     count: int, first_ms: int) -> Iterator[dict]:
    """`count` messages of one thread, oldest first (written newest-first per file)."""
    for n in range(count):
        sender = owner if n % 2 == 0 else other
        message: dict[str, Any] = {"sender_name": sender, "timestamp_ms": first_ms + n * 61_000}
        variant = n % 10
        kind = "message"
        if variant == 3:
            name = f"photos/{g.next_id()}.jpg"
            _media(g, tree, f"{folder}/{name}", "messages")
            message["photos"] = [{"uri": f"{uri_folder}/{name}", "creation_timestamp": message["timestamp_ms"] // 1000}]
            kind = "message_photo"
        elif variant == 5:
            message["sticker"] = {"uri": STICKER_URI}
            tree.expected_bytes["messages"] += STICKER_SIZE  # each use counts the shared member
            kind = "message_sticker"
        elif variant == 7:
            message["share"] = {"link": "https://example.org/x"}
            message["content"] = f"{sender} sent a link."
            kind = "message_share"
        elif variant == 8:
            message["call_duration"] = 42
            message["content"] = f"{sender} called you."
            kind = "call"
        else:
            message["content"] = g.names.sentence()
        if variant == 9 and n % 20 == 19:
            message["is_unsent"] = True
            kind = "unsent_message"
        if g.layout in ("2020", "2021"):
            message["type"] = "Call" if kind == "call" else ("Share" if kind == "message_share" else "Generic")
        if n % 7 == 1:
            message["reactions"] = [{"reaction": "❤", "actor": other if sender == owner else owner}]
            tree.expected[("messages", "message_reaction")] += 1
        tree.expected[("messages", kind)] += 1
        yield message


def _messages(g: _Gen, tree: FacebookExport, total: int, threads: int, boxes: tuple[str, ...],
              per_file: int, stale: bool = False) -> None:
    """messages/<box>/<thread>/message_N.json; one sticker member shared by all threads."""
    root = f"{g.p.act}messages"
    threads = max(1, min(threads, total))
    people = g.names.people(threads + 1)
    people = [p for p in people if p != tree.owner][:threads]
    sticker = f"{root}/stickers_used/{STICKER_URI.rsplit('/', 1)[-1]}"
    tree.add_media(sticker, STICKER_SIZE)
    tree.media_paths.append(sticker)
    base, extra = divmod(total, threads)
    for index, other in enumerate(people):
        count = base + (1 if index < extra else 0)
        box = boxes[index % len(boxes)]
        slug = "".join(ch for ch in other.lower() if ch.isalnum() and ch.isascii()) or "user"
        folder = f"{root}/{box}/{slug}_{g.next_id()}"
        # 2024 uris leave the section out (msgvault json_with_media_alt); older ones are member paths
        uri_folder = folder[len(g.p.act):] if g.layout == "2024" else folder
        if stale:
            uri_folder = _uri(g, folder, True)
        group = index == 0 and threads > 2
        participants = [other, tree.owner] + ([people[1]] if group else [])
        title = f"Gruppe {other.split()[0]} & co" if group else other
        first_ms = g.when() * 1000
        batch: list[dict] = []
        number = 0
        for message in _thread_messages(g, tree, tree.owner, other, folder, uri_folder, count, first_ms):
            batch.append(message)
            if len(batch) == per_file:
                number += 1
                _write_thread(tree, folder, number, participants, batch, title, box)
                batch = []
        if batch or number == 0:
            number += 1
            _write_thread(tree, folder, number, participants, batch, title, box)


def _write_thread(tree: FacebookExport, folder: str, number: int, participants: list[str], batch: list[dict],
                  title: str, box: str) -> None:
    """Meta's key order: participants, messages (newest first), title, ..., thread_path."""
    thread = {"participants": [{"name": p} for p in participants], "messages": batch[::-1], "title": title,
              "is_still_participant": True, "thread_path": f"{box}/{folder.rsplit('/', 1)[-1]}",
              "magic_words": []}
    tree.add_json(f"{folder}/message_{number}.json", thread)


# ---- 2024-only files ---------------------------------------------------------------------------

def _newer_files(g: _Gen, tree: FacebookExport) -> None:
    act = g.p.act
    # check-ins.json: a single label_values object when there is one check-in (the shape flips)
    tree.add_json(f"{act}posts/check-ins.json", {"timestamp": g.when(), "fbid": str(g.next_id()), "media": [],
                                                 "label_values": [{"label": "Message", "value": "Hygge på café"},
                                                                  {"label": "Place tags", "dict": [
                                                                      {"label": "Name", "value": "Café Ø"}]}]})
    tree.expected[("posts", "check_in")] += 1
    # Meta AI conversations: label_values records, one per conversation, messages as vec/dict groups
    conversations = []
    for _ in range(2):
        conversations.append({"timestamp": g.when(), "title": "Meta AI", "fbid": str(g.next_id()), "media": [],
                              "label_values": [{"label": "Messages", "vec": [
                                  {"dict": [{"label": "Sender", "value": tree.owner},
                                            {"label": "Message", "value": "Hvad er hygge?"},
                                            {"label": "Sent", "timestamp_value": g.when()}]},
                                  {"dict": [{"label": "Sender", "value": "Meta AI"},
                                            {"label": "Message", "value": "Hygge er ... 🙂"},
                                            {"label": "Sent", "timestamp_value": g.when()}]}]}]})
    tree.add_json(f"{act}messages/ai_conversations.json", conversations)
    tree.expected[("ai_interactions", "ai_message")] += 4
    # privacy jurisdiction (label_values; the label text is an assumption, the path is real)
    tree.add_json("logged_information/location/your_privacy_jurisdiction.json",
                  {"fbid": str(g.next_id()), "media": [], "timestamp": g.when(),
                   "label_values": [{"label": "Privacy jurisdiction", "value": "European Union"}]})
    tree.expected[("location", "privacy_jurisdiction")] += 1
    # a settings file of the generic record shape
    tree.add_json("preferences/preferences/dark_mode_settings.json",
                  {"fbid": str(g.next_id()), "media": [], "label_values": [{"label": "Dark mode", "value": "On"}]})
    tree.expected[("settings", "setting")] += 1


# ---- the separate end-to-end-encrypted Messenger download -----------------------------------------

def build_e2ee_download(seed: int = 0, *, messages: int = 20, threads: int = 2, owner: str = "Søren Ærø Müller",
                        media_size: int = 1_500) -> FacebookExport:
    """The E2EE download (msgvault e2ee_simple shape): `messages/<Name>_<N>.json`, camelCase,
    `timestamp` in ms, media uris relative to the thread file (`./media/x.jpg`)."""
    g = _Gen("2024", seed, media_size)
    tree = FacebookExport(layout="e2ee", owner=owner)
    root = "your_facebook_activity/messages"
    people = [p for p in g.names.people(threads + 1) if p != owner][:threads]
    base, extra = divmod(messages, threads)
    for index, other in enumerate(people):
        batch = []
        for n in range(base + (1 if index < extra else 0)):
            sender = owner if n % 2 == 0 else other
            message: dict[str, Any] = {"senderName": sender, "text": g.names.sentence(),
                                       "timestamp": (g.when() * 1000), "type": "text", "isUnsent": False,
                                       "media": [], "reactions": []}
            kind = "message"
            if n % 5 == 4:
                name = f"{g.next_id()}.jpg"
                _media(g, tree, f"{root}/media/{name}", "messages")
                message.update(text="", type="media", media=[{"uri": f"./media/{name}"}])
                kind = "message_media"
            if n % 6 == 1:
                message["reactions"] = [{"actor": owner, "reaction": "👍"}]
                tree.expected[("messages", "message_reaction")] += 1
            tree.expected[("messages", kind)] += 1
            batch.append(message)
        slug = other.split()[0]
        tree.add_json(f"{root}/{slug}_{index + 1}.json",
                      {"participants": [owner, other], "threadName": other, "messages": batch})
    return tree
