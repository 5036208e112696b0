"""Synthetic Instagram exports, one per layout generation, faithful to the shapes documented in
../shared/reference/meta-export-formats.md (sections 6-8) and the fixtures in ../shared/fixtures/instagram.

`build_instagram(layout, seed)` returns an `InstagramExport`: the `ExportTree` plus what was built
(`expected` counts per (category, kind), the owner's names, private status, privacy switches,
media bytes), so a test compares a scan with the truth instead of with numbers copied from a run.

Generations: "2020" (flat files, ISO dates), "2022" (per-category folders at the root, wrapped
string_list_data / string_map_data records, optional Danish labels), "2024" (sections,
followers_1.json bare, post_comments_1.json bare), "2025" (content/ -> media/,
story_interactions/, bare lists of label_values records, Threads, Meta AI, AI interest categories).
"""
from __future__ import annotations

import random
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

from . import ExportTree, Names

LAYOUTS = ("2020", "2022", "2024", "2025")

#: Danish labels as 2021-22 exports wrote them (meta-export-formats.md 10), for `language="da"`.
DANISH = {"Time": "Tidspunkt", "Author": "Forfatter", "Saved on": "Gemt den", "Username": "Brugernavn",
          "Name": "Navn", "Private Account": "Privat konto", "Search": "Søgning", "Interest": "Interesse",
          "Date of birth": "Fødselsdato"}

START = 1_500_000_000  # 2017-07-14
DAY = 86_400


@dataclass
class InstagramExport(ExportTree):
    """An export tree plus the truth about what it holds."""

    layout: str = ""
    username: str = ""
    full_name: str = ""
    private: bool = False
    birth_date: str = "1990-04-02"
    privacy_changes: list[tuple[float, str]] = field(default_factory=list)
    expected: Counter = field(default_factory=Counter)
    self_messages: int = 0
    media_bytes: Counter = field(default_factory=Counter)  # category -> bytes of media it references
    people: dict[str, str] = field(default_factory=dict)  # username -> full name of everyone it may name

    def expect(self, category: str, kind: str, count: int = 1) -> None:
        self.expected[(category, kind)] += count

    def category_counts(self) -> Counter:
        counts: Counter = Counter()
        for (category, _kind), count in self.expected.items():
            counts[category] += count
        return counts


def iso(seconds: float) -> str:
    return datetime.fromtimestamp(seconds, tz=timezone.utc).isoformat()


class _Builder:
    def __init__(self, layout: str, seed: int, scale: int, private: bool, language: str,
                 birth_date: str = "1990-04-02") -> None:
        if layout not in LAYOUTS:
            raise ValueError(f"layout must be one of {LAYOUTS}")
        self.layout, self.scale, self.language = layout, scale, language
        self.names = Names(seed)
        self.rng = random.Random(seed)
        self.out = InstagramExport(layout=layout, private=private, birth_date=birth_date)
        self.clock = START + self.rng.randint(0, 300) * DAY
        self.friend_names = self.names.people(12)
        self.friends = [self._username(p) for p in self.friend_names]
        self.out.full_name = "Radosław Sørensen"  # mojibake-prone on purpose
        self.out.username = "radek_" + str(seed)

    # ---- small helpers -------------------------------------------------------------------------
    def _username(self, person: str) -> str:
        ascii_name = unicodedata.normalize("NFKD", person.lower()).encode("ascii", "ignore").decode()
        return "".join(ch for ch in ascii_name if ch.isalnum())[:14] + str(self.rng.randint(1, 99))

    def tick(self) -> int:
        self.clock += self.rng.randint(60, max(120, 9 * DAY // self.scale))  # stays within a few years at any scale
        return self.clock

    def n(self, base: int) -> int:
        return base * self.scale

    def label(self, english: str) -> str:
        return DANISH.get(english, english) if self.language == "da" else english

    def smd(self, **labels: tuple[str, int]) -> dict:
        """string_map_data: label -> {href, value, timestamp} (value "" / timestamp 0 are fillers)."""
        return {self.label(name.replace("_", " ")): {"href": "", "value": value, "timestamp": ts}
                for name, (value, ts) in labels.items()}

    def sld_record(self, value: str, ts: int, title: str = "", href: str = "") -> dict:
        return {"title": title, "media_list_data": [],
                "string_list_data": [{"href": href, "value": value, "timestamp": ts}]}

    def lv_record(self, ts: int, entries: list[dict], fbid: str = "") -> dict:
        return {"timestamp": ts, "media": [], "label_values": entries, "fbid": fbid or str(self.rng.randint(10**16, 10**17))}

    def owner_lv(self, username: str) -> dict:
        return {"dict": [{"dict": [{"label": "URL", "value": ""}, {"label": "Name", "value": username.title()},
                                   {"label": "Username", "value": username}], "title": ""}], "title": "Owner"}

    def media(self, folder: str, ts: int, ext: str = "jpg", category: str = "posts") -> dict:
        month = datetime.fromtimestamp(ts, tz=timezone.utc).strftime("%Y%m")
        uri = f"media/{folder}/{month}/{self.rng.randint(10**8, 10**9)}_{ts}.{ext}"
        size = self.rng.randint(2_000, 9_000)
        self.out.add_media(uri, size)
        self.out.media_bytes[category] += size
        return {"uri": uri, "creation_timestamp": ts, "title": ""}

    @property
    def yia(self) -> str:
        return "" if self.layout == "2022" else "your_instagram_activity/"

    @property
    def content(self) -> str:
        return {"2022": "content/", "2024": "your_instagram_activity/content/"}.get(self.layout,
                                                                                   "your_instagram_activity/media/")

    # ---- generations ---------------------------------------------------------------------------
    def build(self) -> InstagramExport:
        if self.layout == "2020":
            self.flat_2020()
        else:
            self.profile()
            self.posts()
            self.stories_reels()
            self.comments()
            self.likes()
            self.story_interactions()
            self.saved()
            self.threads_dm()
            self.connections()
            self.searches()
            self.ads()
            self.security()
            self.settings()
            self.empty_categories()
            self.privacy()  # last: its switches fall between the posts built above
            if self.layout == "2025":
                self.ai()
                self.threads_app()
        self.out.people = dict(zip(self.friends, self.friend_names))
        self.out.people[self.out.username] = self.out.full_name
        return self.out

    # ---- 2023+ / 2021-22 shapes ------------------------------------------------------------------
    def profile(self) -> None:
        path = {"2022": "personal_information/personal_information.json"}.get(
            self.layout, "personal_information/personal_information/personal_information.json")
        # the label's capitalisation drifted: "Private Account" (2021-24), "Private account" (2025)
        private_label = "Private_account" if self.layout == "2025" else "Private_Account"
        photo = self.media("profile", self.tick(), category="profile")
        record = {"title": "User Information", "media_map_data": {"Profile Photo": photo},
                  "string_map_data": self.smd(Email=("radek@example.com", 0), Username=(self.out.username, 0),
                                              Name=(self.out.full_name, 0), Bio=("Café ☕ and 🎉 naïve", 0),
                                              Date_of_birth=(self.out.birth_date, 0),
                                              **{private_label: ("True" if self.out.private else "False", 0)})}
        self.out.add_json(path, {"profile_user": [record]})
        self.out.expect("profile", "profile")

    def privacy(self) -> None:
        """profile_privacy_changes.json. The real labels were not sampled; 2022 records say the new
        state in words, 2024+ records carry only the time (the parser infers the direction)."""
        folder = "login_and_account_creation/" if self.layout == "2022" else \
            "security_and_login_information/login_and_profile_creation/"
        name = "account_privacy_changes.json" if self.layout == "2022" else "profile_privacy_changes.json"
        switches = 3 if self.out.private else 2
        # the last switch ends in the current state; each earlier one in the opposite of the next
        states = [self.out.private if (switches - 1 - i) % 2 == 0 else not self.out.private for i in range(switches)]
        records = []
        times = sorted(self.rng.sample(range(START, self.clock), switches))
        for state, ts in zip(states, times):
            self.out.privacy_changes.append((float(ts), "private" if state else "public"))
            labels: dict[str, tuple[str, int]] = {"Time": ("", ts)}
            if self.layout == "2022":
                labels["Changed_to"] = ("Private" if state else "Public", 0)
            records.append({"title": "", "media_map_data": {}, "string_map_data": self.smd(**labels)})
        self.out.add_json(folder + name, {"account_history_account_privacy_history": records})
        self.out.expect("security_login", "privacy_change", switches)

    def posts(self) -> None:
        records = []
        for index in range(self.n(6)):
            ts = self.tick()
            if index % 3 == 0:  # a carousel: caption on the post, two media
                records.append({"media": [self.media("posts", ts), self.media("posts", ts + 1, "mp4")],
                                "title": self.names.sentence(), "creation_timestamp": ts + 2})
            else:  # single media: caption on the media
                media = self.media("posts", ts)
                media["title"] = self.names.sentence()
                records.append({"media": [media]})
        self.out.add_json(self.content + "posts_1.json", records)
        self.out.expect("posts", "post", len(records))
        archived = [{"media": [self.media("archived_posts", self.tick(), category="posts")]}
                    for _ in range(2)]
        self.out.add_json(self.content + "archived_posts.json", {"ig_archived_post_media": archived})
        self.out.expect("posts", "archived_post", 2)
        photos = [dict(self.media("profile", self.tick(), category="photos_videos"), is_profile_picture=True)]
        self.out.add_json(self.content + "profile_photos.json", {"ig_profile_picture": photos})
        self.out.expect("photos_videos", "profile_photo", 1)

    def stories_reels(self) -> None:
        stories = [dict(self.media("stories", self.tick(), "mp4" if i % 2 else "jpg", "stories_reels"),
                        title=self.names.sentence() if i % 3 else "") for i in range(self.n(5))]
        self.out.add_json(self.content + "stories.json", {"ig_stories": stories})
        self.out.expect("stories_reels", "story", len(stories))
        reels = [{"media": [dict(self.media("reels", self.tick(), "mp4", "stories_reels"),
                                 title=self.names.sentence())]} for _ in range(self.n(2))]
        self.out.add_json(self.content + "reels.json", {"ig_reels_media": reels})
        self.out.expect("stories_reels", "reel", len(reels))
        igtv = [{"media": [self.media("igtv", self.tick(), "mp4", "stories_reels")]}]
        self.out.add_json(self.content + "igtv_videos.json", {"ig_igtv_media": igtv})
        self.out.expect("stories_reels", "igtv", 1)

    def comments(self) -> None:
        count = self.n(5)
        if self.layout == "2022":  # {comments_media_comments: [{title: owner, string_list_data: [{value: text}]}]}
            records = [self.sld_record(self.names.sentence(), self.tick(), self.rng.choice(self.friends))
                       for _ in range(count)]
            self.out.add_json("comments/post_comments.json", {"comments_media_comments": records})
        else:  # bare list, string_map_data Comment / Media Owner / Time
            records = [{"media_list_data": [{"uri": ""}],
                        "string_map_data": {"Comment": {"value": self.names.sentence()},
                                            "Media Owner": {"value": self.rng.choice(self.friends)},
                                            "Time": {"timestamp": self.tick()}}} for _ in range(count)]
            self.out.add_json(self.yia + "comments/post_comments_1.json", records)
            reels = [{"media_list_data": [{"uri": ""}],
                      "string_map_data": {"Comment": {"value": self.names.sentence()},
                                          "Media Owner": {"value": self.rng.choice(self.friends)},
                                          "Time": {"timestamp": self.tick()}}}]
            self.out.add_json(self.yia + "comments/reels_comments.json", {"comments_reels_comments": reels})
            self.out.expect("comments", "reel_comment", 1)
        self.out.expect("comments", "comment", count)

    def likes(self) -> None:
        count = self.n(7)
        if self.layout == "2025":  # v1: bare list of label_values records with an Owner dict
            records = [self.lv_record(self.tick(), [
                {"label": "URL", "value": f"https://www.instagram.com/p/{i}/", "href": f"https://www.instagram.com/p/{i}/"},
                self.owner_lv(self.rng.choice(self.friends))]) for i in range(count)]
            self.out.add_json(self.yia + "likes/liked_posts.json", records)
        else:  # v0: title = owner, value = 👍
            records = [self.sld_record("👍", self.tick(), self.rng.choice(self.friends),
                                       "https://www.instagram.com/p/x/") for _ in range(count)]
            self.out.add_json(self.yia + "likes/liked_posts.json", {"likes_media_likes": records})
        self.out.expect("reactions", "like", count)
        comment_likes = [self.sld_record("👍", self.tick(), self.rng.choice(self.friends)) for _ in range(2)]
        self.out.add_json(self.yia + "likes/liked_comments.json", {"likes_comment_likes": comment_likes})
        self.out.expect("reactions", "comment_like", 2)

    def story_interactions(self) -> None:
        folder = self.yia + ("story_interactions/" if self.layout == "2025" else "story_sticker_interactions/")
        for name, key in (("polls", "story_activities_polls"), ("quizzes", "story_activities_quizzes"),
                          ("emoji_sliders", "story_activities_emoji_sliders"),
                          ("questions", "story_activities_questions")):
            records = [self.sld_record(self.names.sentence(1, 3), self.tick(), self.rng.choice(self.friends))
                       for _ in range(2)]
            self.out.add_json(folder + f"{name}.json", {key: records})
            self.out.expect("reactions", "story_interaction", 2)
        if self.layout == "2025":
            likes = [self.lv_record(self.tick(), [{"label": "URL", "value": "https://www.instagram.com/stories/x/1"},
                                                   self.owner_lv(self.rng.choice(self.friends))]) for _ in range(3)]
            self.out.add_json(folder + "story_likes.json", likes)
        else:
            likes = [{"title": self.rng.choice(self.friends), "string_list_data": [{"timestamp": self.tick()}]}
                     for _ in range(3)]
            self.out.add_json(folder + "story_likes.json", {"story_activities_story_likes": likes})
        self.out.expect("reactions", "story_like", 3)

    def saved(self) -> None:
        records = [{"title": self.rng.choice(self.friends),
                    "string_map_data": {self.label("Saved on"): {"href": "https://www.instagram.com/p/s/",
                                                                 "timestamp": self.tick()}}} for _ in range(self.n(3))]
        self.out.add_json(self.yia + "saved/saved_posts.json", {"saved_saved_media": records})
        self.out.expect("other", "saved", len(records))

    def threads_dm(self) -> None:
        """Message threads in inbox/ and message_requests/, newest first, with reactions and photos."""
        me = self.out.username
        for index in range(self.n(3)):
            friend = self.friends[index % len(self.friends)]
            folder = f"{self.yia}messages/inbox/{friend}_{1000 + index}"
            messages = []
            for m in range(6):
                mine = m % 2 == 0
                message: dict[str, Any] = {"sender_name": me if mine else friend,
                                           "timestamp_ms": self.tick() * 1000, "content": self.names.sentence(),
                                           "is_geoblocked_for_viewer": False}
                if m == 3:
                    ts = self.clock
                    uri = f"{folder}/photos/{ts}_{index}.jpg"
                    self.out.add_media(uri, 1234)
                    self.out.media_bytes["messages"] += 1234
                    message["photos"] = [{"uri": uri, "creation_timestamp": ts}]
                    del message["content"]
                    self.out.expect("messages", "message_photo")
                else:
                    self.out.expect("messages", "message")
                if m == 1:
                    message["reactions"] = [{"reaction": "❤", "actor": me, "timestamp": self.clock}]
                    self.out.expect("messages", "message_reaction")
                    self.out.self_messages += 1  # the owner's reaction
                self.out.self_messages += mine
                messages.append(message)
            messages.reverse()  # newest first, as Meta writes them
            thread = {"participants": [{"name": friend}, {"name": me}], "messages": messages, "title": friend,
                      "is_still_participant": True, "thread_path": f"inbox/{friend}_{1000 + index}",
                      "magic_words": []}
            self.out.add_json(f"{folder}/message_1.json", thread)
        request = {"participants": [{"name": "spam_account"}, {"name": me}],
                   "messages": [{"sender_name": "spam_account", "timestamp_ms": self.tick() * 1000,
                                 "content": "Win a prize!!!"}], "title": "spam_account", "is_still_participant": False,
                   "thread_path": "message_requests/spam_account_99", "magic_words": []}
        self.out.add_json(f"{self.yia}messages/message_requests/spam_account_99/message_1.json", request)
        self.out.expect("messages", "message")

    def connections(self) -> None:
        base = "followers_and_following/" if self.layout == "2022" else "connections/followers_and_following/"
        followers = [self.sld_record(u, self.tick(), "", f"https://www.instagram.com/{u}") for u in self.friends[:self.n(5)]]
        if self.layout == "2022":
            self.out.add_json(base + "followers.json", {"relationships_followers": followers})
        else:
            self.out.add_json(base + "followers_1.json", followers)
        self.out.expect("connections", "follower", len(followers))
        if self.layout == "2025":  # 2026 shape: title = username, no value
            following = [{"title": u, "string_list_data": [{"href": f"https://www.instagram.com/_u/{u}",
                                                            "timestamp": self.tick()}]} for u in self.friends[3:9]]
        else:
            following = [self.sld_record(u, self.tick()) for u in self.friends[3:9]]
        self.out.add_json(base + "following.json", {"relationships_following": following})
        self.out.expect("connections", "following", len(following))
        self.out.add_json(base + "close_friends.json",
                          {"relationships_close_friends": [self.sld_record(self.friends[0], self.tick())]})
        self.out.expect("connections", "close_friend")
        blocked_name = "blocked_accounts.json" if self.layout == "2022" else "blocked_profiles.json"
        self.out.add_json(base + blocked_name, {"relationships_blocked_users": [self.sld_record("troll", self.tick())]})
        self.out.expect("connections", "blocked")

    def searches(self) -> None:
        folder = "recent_searches/" if self.layout == "2022" else "logged_information/recent_searches/"
        profiles = [self.sld_record(u, self.tick()) for u in self.friends[:3]]
        self.out.add_json(folder + ("account_searches.json" if self.layout == "2022" else "profile_searches.json"),
                          {"searches_user": profiles})
        words = [{"title": "", "media_map_data": {},
                  "string_map_data": self.smd(Search=(self.names.sentence(1, 3), 0), Time=("", self.tick()))}
                 for _ in range(2)]
        self.out.add_json(folder + "word_or_phrase_searches.json", {"searches_keyword": words})
        self.out.expect("search_history", "search", 5)
        if self.layout != "2022":
            links = [self.lv_record(self.tick(), [
                {"label": "Website link that you visited", "value": "https://example.com/a"},
                {"label": "Title of website page that you visited", "value": "Example – Ärticle"}]) for _ in range(2)]
            self.out.add_json("logged_information/link_history/link_history.json", links)
            self.out.expect("activity_log", "link_visit", 2)

    def ads(self) -> None:
        if self.layout == "2022":
            folder = "ads_and_topics/"
            seen = [{"string_map_data": self.smd(Author=(self.rng.choice(self.friends), 0), Time=("", self.tick()))}
                    for _ in range(self.n(4))]
            self.out.add_json(folder + "ads_viewed.json", {"impressions_history_ads_seen": seen})
            self.out.add_json(folder + "posts_viewed.json", {"impressions_history_posts_seen": seen[:2]})
            interests = [{"string_map_data": self.smd(Interest=(self.names.sentence(1, 2), 0))} for _ in range(3)]
            self.out.add_json("information_about_you/ads_interests.json", {"inferred_data_ig_interest": interests})
            self.out.expect("ads_interests", "ad_interest", 3)
        else:
            folder = "ads_information/ads_and_topics/"
            if self.layout == "2025":
                seen = [self.lv_record(self.tick(), [{"label": "URL", "value": "https://www.instagram.com/p/ad/"},
                                                     self.owner_lv("brand")]) for _ in range(self.n(4))]
                self.out.add_json(folder + "ads_viewed.json", seen)
                self.out.add_json(folder + "posts_viewed.json", seen[:2])
            else:
                seen = [{"string_map_data": {"Author": {"value": "brand"}, "Time": {"timestamp": self.tick()}}}
                        for _ in range(self.n(4))]
                self.out.add_json(folder + "ads_viewed.json", {"impressions_history_ads_seen": seen})
                self.out.add_json(folder + "posts_viewed.json", {"impressions_history_posts_seen": seen[:2]})
            businesses = "ads_information/instagram_ads_and_businesses/"
            self.out.add_json(businesses + "advertisers_using_your_activity_or_information.json", {
                "ig_custom_audiences_all_types": [
                    {"advertiser_name": name, "has_data_file_custom_audience": True,
                     "has_remarketing_custom_audience": False, "has_in_person_store_visit": False}
                    for name in ("Shop Ø", "Brand B", "Café C")]})
            self.out.expect("ads_interests", "advertiser", 3)
            self.out.add_json(businesses + "other_categories_used_to_reach_you.json", {
                "ent_name": "", "fbid": "1", "media": [],
                "label_values": [{"label": "Name", "vec": [{"value": "Frequent traveller"},
                                                           {"value": "Uses a mobile device (25+ months)"}]}]})
            self.out.expect("ads_interests", "ad_category", 2)
            off = "apps_and_websites_off_of_instagram/apps_and_websites/your_activity_off_meta_technologies.json"
            if self.layout == "2025":  # 2026 shape: bare list of label_values records
                self.out.add_json(off, [{"title": "shop.example", "fbid": "9", "media": [], "label_values": [
                    {"label": "Events", "vec": [{"dict": [{"label": "Event", "value": "PURCHASE"},
                                                          {"label": "Received on", "timestamp_value": self.tick()}]}
                                                for _ in range(3)]}]}])
            else:
                self.out.add_json(off, {"apps_and_websites_off_meta_activity": [
                    {"name": "shop.example", "events": [{"id": 1, "type": "PAGE_VIEW", "timestamp": self.tick()}
                                                        for _ in range(3)]}]})
            self.out.expect("off_platform_activity", "off_platform_event", 3)
        self.out.expect("ads_interests", "ad_viewed", self.n(4))
        self.out.expect("activity_log", "post_viewed", 2)

    def security(self) -> None:
        folder = "login_and_account_creation/" if self.layout == "2022" else \
            "security_and_login_information/login_and_profile_creation/"
        logins = []
        for _ in range(self.n(4)):
            ts = self.tick()
            logins.append({"title": iso(ts), "media_map_data": {},
                           "string_map_data": self.smd(IP_address=("192.0.2.7", 0), Time=("", ts))})
        self.out.add_json(folder + "login_activity.json", {"account_history_login_history": logins})
        self.out.expect("security_login", "login", len(logins))
        devices_path = "device_information/devices.json" if self.layout == "2022" else \
            "personal_information/device_information/devices.json"
        self.out.add_json(devices_path, {"devices_devices": [
            {"title": "", "media_map_data": {}, "string_map_data": {
                "Last login": {"href": "", "value": "", "timestamp": self.tick()},
                "User agent": {"href": "", "value": "Instagram 300.0 Android", "timestamp": 0}}}]})
        self.out.expect("security_login", "device")

    def settings(self) -> None:
        path = "comments_settings/comments_allowed_from.json" if self.layout == "2022" else \
            "preferences/media_settings/comments_allowed_from.json"
        self.out.add_json(path, {"settings_allow_comments_from": [
            {"title": "", "media_map_data": {}, "string_map_data": {"Comments allowed from": {"value": "Everyone"}}}]})
        self.out.expect("settings", "setting")

    def empty_categories(self) -> None:
        self.out.add("your_instagram_activity/monetization/no-data.txt" if self.layout != "2022"
                     else "monetization/no-data.txt", "No data\n")

    def ai(self) -> None:
        """Meta AI chats. Labels inside were not sampled anywhere (meta-export-formats.md 4.5):
        one label_values record per conversation, its messages as vec groups."""
        conversations = []
        for index in range(2):
            groups = []
            for m in range(4):
                mine = m % 2 == 0
                groups.append({"dict": [{"label": "Sender", "value": self.out.username if mine else "Meta AI"},
                                        {"label": "Message", "value": self.names.sentence()},
                                        {"label": "Sent", "timestamp_value": self.tick()}]})
                self.out.expect("ai_interactions", "ai_message")
            conversations.append({"timestamp": self.clock, "title": f"Chat {index} ✨", "fbid": str(index),
                                  "media": [], "label_values": [{"label": "Messages", "vec": groups}]})
        self.out.add_json("your_instagram_activity/messages/ai_conversations.json", conversations)
        self.out.add_json("your_instagram_activity/ai/interest_categories.json", [
            self.lv_record(self.tick(), [{"label": "Interest", "value": topic},
                                         {"label": "Last updated time", "timestamp_value": self.clock}])
            for topic in ("Cooking", "Travel", "Guitars")])
        self.out.expect("ads_interests", "ai_interest_category", 3)

    def threads_app(self) -> None:
        posts = [{"media": [{"uri": "", "creation_timestamp": self.tick(), "title": self.names.sentence()}]}
                 for _ in range(2)]
        self.out.add_json("your_instagram_activity/threads/threads_and_replies.json",
                          {"text_post_app_text_posts": posts})
        self.out.expect("posts", "threads_post", 2)

    # ---- 2018-2020 flat files --------------------------------------------------------------------
    def flat_2020(self) -> None:
        me = self.out.username
        self.out.add_json("profile.json", {"username": me, "name": self.out.full_name, "biography": "Café ☕",
                                           "email": "radek@example.com", "private_account": self.out.private,
                                           "date_joined": iso(START)})
        self.out.expect("profile", "profile")
        media: dict[str, list] = {"photos": [], "videos": [], "stories": [], "profile": []}
        kinds = {"photos": ("posts", "photo", "jpg"), "videos": ("posts", "video", "mp4"),
                 "stories": ("stories_reels", "story", "jpg"), "profile": ("photos_videos", "profile_photo", "jpg")}
        for key, (category, kind, ext) in kinds.items():
            for _ in range(self.n(3) if key != "profile" else 1):
                ts = self.tick()
                month = datetime.fromtimestamp(ts, tz=timezone.utc).strftime("%Y%m")
                path = f"{key}/{month}/{ts}.{ext}"
                size = self.rng.randint(2_000, 9_000)
                self.out.add_media(path, size)
                self.out.media_bytes[category] += size
                media[key].append({"caption": self.names.sentence(), "taken_at": iso(ts), "path": path})
                self.out.expect(category, kind)
        self.out.add_json("media.json", media)
        comments = [[iso(self.tick()), self.names.sentence(), self.rng.choice(self.friends)] for _ in range(self.n(4))]
        self.out.add_json("comments.json", {"media_comments": comments, "live_comments": [], "story_comments": []})
        self.out.expect("comments", "comment", len(comments))
        self.out.add_json("likes.json", {
            "media_likes": [[iso(self.tick()), self.rng.choice(self.friends)] for _ in range(self.n(5))],
            "comment_likes": [[iso(self.tick()), self.rng.choice(self.friends)] for _ in range(2)]})
        self.out.expect("reactions", "like", self.n(5))
        self.out.expect("reactions", "comment_like", 2)
        self.out.add_json("connections.json", {
            "followers": {u: iso(self.tick()) for u in self.friends[:6]},
            "following": {u: iso(self.tick()) for u in self.friends[4:9]},
            "blocked_users": {"troll": iso(self.tick())}})
        self.out.expect("connections", "follower", 6)
        self.out.expect("connections", "following", 5)
        self.out.expect("connections", "blocked", 1)
        conversations = []
        for friend in self.friends[:self.n(2)]:
            messages = []
            for m in range(5):
                mine = m % 2 == 1
                messages.append({"sender": me if mine else friend, "created_at": iso(self.tick()),
                                 "text": self.names.sentence()})
                self.out.self_messages += mine
            conversations.append({"participants": [friend, me], "conversation": messages})
            self.out.expect("messages", "message", len(messages))
        self.out.add_json("messages.json", conversations)
        searches = [{"search_click": u, "time": iso(self.tick()), "type": "user"} for u in self.friends[:3]]
        self.out.add_json("searches.json", searches)
        self.out.expect("search_history", "search", 3)
        self.out.add_json("saved.json", {"saved_media": [[iso(self.tick()), self.friends[1]]]})
        self.out.expect("other", "saved")
        self.out.add_json("stories_activities.json", {"polls": [[iso(self.tick()), self.friends[2], "Yes"]],
                                                      "emoji_sliders": [[iso(self.tick()), self.friends[3], "0.8"]]})
        self.out.expect("reactions", "story_interaction", 2)
        self.out.add_json("seen_content.json", {"chaining_seen": [{"timestamp": iso(self.tick()),
                                                                   "username": self.friends[5]}]})
        self.out.expect("activity_log", "profile_suggestion_viewed")
        self.out.add_json("account_history.json", {"login_history": [
            {"cookie_name": "x", "ip_address": "192.0.2.1", "timestamp": iso(self.tick()), "user_agent": "Firefox"}
            for _ in range(3)]})
        self.out.expect("security_login", "login", 3)
        self.out.add_json("settings.json", {"allow_comments_from": "everyone", "filtered_keywords": []})
        self.out.expect("settings", "setting")


def build_instagram(layout: str, seed: int = 1, *, scale: int = 1, private: bool = False,
                    language: str = "en", birth_date: str = "1990-04-02") -> InstagramExport:
    """A synthetic Instagram export of one layout generation ("2020", "2022", "2024", "2025").

    `scale` multiplies the number of posts, messages, likes ...; `private` is the account's current
    status (the privacy switches end in it); `language="da"` writes 2021-22 labels in Danish;
    `birth_date` goes into the profile (a teen's account: a date less than 18 years ago).
    """
    return _Builder(layout, seed, scale, private, language, birth_date).build()
