"""Decide what an export is (platform, format, layout generation) and say on what evidence.

Detection is cheap: it looks at member paths, and peeks at most a few KB of a handful of
members (the first JSON keys of one or two files, the first lines of a chat .txt). The rules
follow meta-export-formats.md 1.3, 4.1, 6.1, 9 and whatsapp-formats.md 1.2, 2.
"""
from __future__ import annotations

import io
import re
from dataclasses import dataclass, replace
from typing import Callable

import ijson

from .archive import Member, Source
from .common import top_level_shape
from .contract import Problem

PEEK_BYTES = 16 * 1024  # JSON head read to find its first keys
SNIFF_BYTES = 4 * 1024  # chat .txt head read to find WhatsApp message headers
SNIFF_FILES = 5  # at most this many .txt members are sniffed

#: layout key -> the generation it names, per platform (Detection.layout holds the key).
LAYOUTS = {
    "facebook": {"2017": "2017 and earlier, HTML only", "2018": "2018-2020 flat", "2021": "2021 _v2",
                 "2022": "2022-23", "2024": "2024+"},
    "instagram": {"2018": "2018-2020 flat", "2021": "2021-22", "2023": "2023-24", "2025": "2025+"},
    "whatsapp_account": {"2018": "2018 access.html + portability.json", "2022": "2022 whatsapp_connections/",
                         "2024": "2024+ index.html + json/html pairs"},
    "whatsapp_chat": {"android": "Android (date, time - author)", "ios": "iPhone ([date, time] author)",
                      "legacy": "2012-14 (date time: author)"},
}


@dataclass(frozen=True)
class Detection:
    platform: str  # facebook | instagram | whatsapp_chat | whatsapp_account | unknown
    format: str  # json | html | txt | unknown
    layout: str  # layout generation key (see LAYOUTS), "" when it cannot be told
    evidence: tuple[str, ...] = ()  # the paths (and peeks) the decision rests on
    variant: str = ""  # "messenger" (Messenger-only download), "messenger_e2ee" (the separate E2EE download)
    problems: tuple[Problem, ...] = ()  # e.g. html_export: tell the user JSON is needed for full detail

    @property
    def recognised(self) -> bool:
        return self.platform != "unknown"

    @property
    def generation(self) -> str:
        """The layout in words, e.g. "2021 _v2"."""
        return LAYOUTS.get(self.platform, {}).get(self.layout, self.layout)


UNKNOWN = Detection("unknown", "unknown", "")

LOOKED_FOR = (
    "a Facebook export (folders such as your_facebook_activity/, your_activity_across_facebook/, "
    "personal_information/profile_information/, or profile_information/ and posts/your_posts_1.json "
    "at the top, or a Messenger download with messages/), "
    "an Instagram export (your_instagram_activity/, personal_information/personal_information.json, "
    "account_information/, content/ or media.json and profile.json at the top), "
    "a WhatsApp chat (a .txt whose first lines look like '12/07/2017, 22:35 - Name: text' or "
    "'[12/07/2017, 22:35:10] Name: text', alone or in a 'WhatsApp Chat - Name.zip'), "
    "or a WhatsApp account report (index.html with user_information, whatsapp_connections/, "
    "portability.json or access.html). Exports can be zips, several zip parts or extracted folders"
)


# ---- a cheap view of the paths ------------------------------------------------------------------

class _View:
    """Paths of a source, indexed for the questions detection asks."""

    def __init__(self, source: Source) -> None:
        self.source = source
        self.paths = {m.path for m in source.members}
        self.lower = {p.lower(): p for p in self.paths}
        self.tops = {p.split("/", 1)[0] for p in self.paths if "/" in p}
        self.files_at_root = {p for p in self.paths if "/" not in p}
        self.dirs = {p.rsplit("/", 1)[0] for p in self.paths if "/" in p}
        self.dirs |= {d.rsplit("/", i)[0] for d in list(self.dirs) for i in range(1, d.count("/") + 1)}

    def has(self, path: str) -> bool:
        return path.lower() in self.lower

    def has_dir(self, path: str) -> bool:
        return path in self.dirs

    def first(self, *paths: str) -> str | None:
        return next((p for p in paths if self.has(p) or self.has_dir(p)), None)

    def any_stem(self, stems: tuple[str, ...], folder: str = "") -> str | None:
        """The first member `<folder><stem>.json|.html` that exists."""
        for stem in stems:
            for ext in (".json", ".html"):
                if self.has(folder + stem + ext):
                    return self.lower[(folder + stem + ext).lower()]
        return None

    def member(self, path: str) -> Member | None:
        return self.source.get(self.lower.get(path.lower(), path))


# ---- peeks --------------------------------------------------------------------------------------

def _head(member: Member | None, size: int) -> bytes:
    if member is None:
        return b""
    try:
        with member.open() as stream:
            return stream.read(size)
    except Exception:  # noqa: BLE001 - an unreadable member is no evidence; the scan reports it
        return b""


def first_key(member: Member | None) -> str | None:
    """The first top-level key of a JSON member, from its first few KB (None for a list or an error)."""
    head = _head(member, PEEK_BYTES)
    if not head:
        return None
    try:
        kind, key = top_level_shape(io.BytesIO(head))
    except Exception:  # noqa: BLE001 - broken JSON: no evidence
        return None
    return key if kind == "map" else None


def top_keys(member: Member | None, limit: int = 8) -> list[str]:
    """Top-level keys met in the first few KB of a JSON member."""
    keys: list[str] = []
    try:
        for prefix, event, value in ijson.parse(io.BytesIO(_head(member, PEEK_BYTES))):
            if event == "map_key" and prefix == "":
                keys.append(value)
                if len(keys) >= limit:
                    break
    except Exception:  # noqa: BLE001 - the head ends mid-document: keep what was read
        pass
    return keys


_DATE = r"\d{1,4}[./-]\d{1,2}[./-]\d{1,4}"
_MERIDIEM_WORD = r"(?:上午|下午|午前|午後|오전|오후)"
_TIME = rf"(?:{_MERIDIEM_WORD}\s?)?\d{{1,2}}[:.]\d{{2}}(?:[:.]\d{{2}})?"
_AMPM = rf"(?:[\s\u202f\u00a0]*(?:[AaPp]\.?[\s\u00a0]?[Mm]\.?|{_MERIDIEM_WORD}))?"
_JOIN = r",?\s+(?:à\s|klo\s|um\s)?"
CHAT_HEADERS = {
    "ios": re.compile(rf"^\[{_DATE}{_JOIN}{_TIME}{_AMPM}\]\s"),
    "android": re.compile(rf"^{_DATE}{_JOIN}{_TIME}{_AMPM}\s+[-–]\s"),
    "legacy": re.compile(rf"^{_DATE}{_JOIN}{_TIME}{_AMPM}:\s"),
}
_INVISIBLE = "\ufeff\u200e\u200f\u202a\u202b\u202c\u202d\u202e "


def chat_header_style(text: str) -> str | None:
    """"ios", "android" or "legacy" when the first lines of `text` are WhatsApp message headers."""
    lines = [line.lstrip(_INVISIBLE) for line in text.splitlines()]
    lines = [line for line in lines if line.strip()][:8]
    if not lines:
        return None
    hits = [next((style for style, rx in CHAT_HEADERS.items() if rx.match(line)), None) for line in lines]
    styles = [h for h in hits if h]
    if hits[0] or len(styles) >= 2:
        return max(set(styles), key=styles.count)
    return None


def sniff_chat(member: Member) -> str | None:
    """The header style of a chat .txt, from its first few KB."""
    return chat_header_style(_head(member, SNIFF_BYTES).decode("utf-8", errors="replace"))


# ---- rules --------------------------------------------------------------------------------------

def _format(view: _View) -> str:
    """json or html: which of the two the export's own files mostly are (assets and media aside)."""
    json_count = html_count = 0
    for path in view.paths:
        lower = path.lower()
        if lower.endswith(".json"):
            json_count += 1
        elif lower.endswith((".html", ".htm")) and not lower.startswith("files/"):
            html_count += 1
    if html_count > json_count:
        return "html"
    return "json" if json_count else "unknown"


def _whatsapp_account(view: _View) -> Detection | None:
    if "whatsapp_connections" in view.tops:
        return Detection("whatsapp_account", _format(view), "2022", ("whatsapp_connections/",))
    old = [p for p in ("portability.json", "access.html") if view.has(p)]
    if old:
        return Detection("whatsapp_account", "json" if view.has("portability.json") else "html", "2018", tuple(old))
    pairs = ("user_information", "registration_information", "registration_info", "account_settings",
             "avatars_information", "terms_of_service")
    found = view.any_stem(pairs)
    if view.has("index.html") and found:
        return Detection("whatsapp_account", _format(view), "2024", ("index.html", found))
    return None


_IG_PROFILES = (
    ("personal_information/personal_information/instagram_profile_information.json", "2025"),
    ("personal_information/personal_information/personal_information.json", "2023"),
    ("personal_information/personal_information.json", "2021"),
    ("account_information/personal_information.json", "2021"),
)


def _instagram(view: _View) -> Detection | None:
    evidence: list[str] = []
    layout = ""
    if "your_instagram_activity" in view.tops:
        newer = view.first("your_instagram_activity/media", "your_instagram_activity/story_interactions",
                           "personal_information/personal_information/instagram_profile_information.json")
        layout = "2025" if newer else "2023"
        evidence = ["your_instagram_activity/"] + ([newer] if newer else [])
    else:
        profile = next(((p, era) for p, era in _IG_PROFILES if view.has(p) or view.has(p[:-5] + ".html")), None)
        folders = [f for f in ("account_information", "content", "followers_and_following", "login_and_account_creation",
                               "story_sticker_interactions", "apps_and_websites_off_of_instagram")
                   if f in view.tops]
        flat = [p for p in ("media.json", "profile.json", "connections.json", "searches.json") if view.has(p)]
        if profile and profile[1] == "2025":
            layout, evidence = "2025", [profile[0]]
        elif profile and profile[1] == "2023":
            layout, evidence = "2023", [profile[0]]
        elif folders or profile:
            layout, evidence = "2021", ([profile[0]] if profile else []) + [f + "/" for f in folders]
        elif len(flat) >= 2:
            layout, evidence = "2018", flat
        elif view.tops == {"media"} and any(view.has_dir(f"media/{d}") for d in ("posts", "stories", "reels")):
            layout, evidence = "", ["media/posts|stories|reels/ only (a part of a split export?)"]
        else:
            return None
    fmt = _format(view)
    return Detection("instagram", fmt, layout, tuple(evidence), problems=_html_problem(view, fmt, "Instagram"))


_FB_2021_FOLDERS = ("comments_and_reactions", "friends_and_followers", "apps_and_websites_off_of_facebook",
                    "your_interactions_on_facebook", "facebook_gaming", "activity_messages", "news_feed",
                    "saved_items_and_collections", "other_logged_information", "your_topics", "search")
_FB_2018_FOLDERS = ("about_you", "likes_and_reactions", "friends", "following_and_followers", "apps_and_websites",
                    "search_history", "saved_items", "payment_history", "comments", "ads")
_FB_FLAT_MARKERS = ("profile_information/profile_information.json", "profile_information/profile_information.html",
                    "posts/your_posts_1.json", "posts/your_posts_1.html", "photos_and_videos")


def _facebook(view: _View) -> Detection | None:
    fmt = _format(view)
    if "your_activity_across_facebook" in view.tops and "your_facebook_activity" not in view.tops:
        evidence, layout = ["your_activity_across_facebook/"], "2022"
    elif "your_facebook_activity" in view.tops or view.has_dir("personal_information/profile_information"):
        evidence = [p for p in ("your_facebook_activity/", "personal_information/profile_information/")
                    if view.has_dir(p.rstrip("/"))]
        layout = "2024"
    else:
        flat = [p for p in _FB_FLAT_MARKERS if view.has(p) or view.has_dir(p)]
        new_folders = [f for f in _FB_2021_FOLDERS if f in view.tops]
        old_folders = [f for f in _FB_2018_FOLDERS if f in view.tops]
        messages = view.has_dir("messages/inbox") or view.has_dir("messages")
        if not (flat or new_folders or old_folders or messages):
            if view.has("index.htm") or view.has("html/messages.htm"):
                found = tuple(p for p in ("index.htm", "html/messages.htm") if view.has(p))
                return Detection("facebook", "html", "2017", found, problems=_html_problem(view, "html", "Facebook"))
            return _messenger_e2ee(view, "")
        layout, evidence = _facebook_flat_generation(view, flat, new_folders, old_folders)
    variant = _messenger_variant(view)
    if variant == "messenger_e2ee":  # the E2EE download: its own camelCase schema, no generation of its own
        return _messenger_e2ee(view, layout if layout in ("2022", "2024") else "")
    return Detection("facebook", fmt, layout, tuple(evidence), variant, _html_problem(view, fmt, "Facebook"))


def _facebook_flat_generation(view: _View, flat: list[str], new_folders: list[str],
                              old_folders: list[str]) -> tuple[str, list[str]]:
    """2018 or 2021: the 2021 files wrap their records in `*_v2` keys; peek at one or two files."""
    candidates = ["profile_information/profile_information.json", "comments_and_reactions/comments.json",
                  "comments/comments.json", "friends_and_followers/friends.json", "friends/friends.json"]
    candidates += sorted(p for p in view.paths if p.endswith(".json") and not p.startswith(("messages/", "posts/"))
                         and p.count("/") == 1)[:2]
    peeked = 0
    for path in dict.fromkeys(candidates):
        if not view.has(path) or peeked >= 3:
            continue
        peeked += 1
        key = first_key(view.member(path))
        if key is None:
            continue
        versioned = re.search(r"_v\d+$", key) is not None
        return ("2021" if versioned else "2018"), flat + [f"{path}: first key {key!r}"]
    if new_folders and len(new_folders) >= len(old_folders):
        return "2021", flat + [f + "/" for f in new_folders]
    if flat or old_folders:
        return "2018", flat + [f + "/" for f in old_folders]
    return "2018", ["messages/ at the top, as in the 2018-2021 layouts"]


def _messenger_variant(view: _View) -> str:
    """"messenger" when every file sits under a messages/ folder, "messenger_e2ee" for the E2EE download."""
    if not view.paths or not all("messages/" in p or p.startswith("media/") for p in view.paths):
        return ""
    if any("/inbox/" in p or p.startswith("inbox/") for p in view.paths):
        return "messenger"
    return "messenger_e2ee" if _e2ee_thread(view) else "messenger"


_E2EE_THREAD = re.compile(r"(?:^|/)(?:messages/)?[^/]+_\d+\.json$")


def _e2ee_thread(view: _View) -> str | None:
    """A flat `<Name>_<N>.json` thread with the camelCase E2EE keys (participants, threadName)."""
    for path in sorted(p for p in view.paths if _E2EE_THREAD.search(p) and "/inbox/" not in p)[:2]:
        keys = top_keys(view.member(path))
        if "participants" in keys and ("threadName" in keys or "messages" in keys):
            return f"{path}: keys {', '.join(keys[:3])}"
    return None


def _messenger_e2ee(view: _View, layout: str) -> Detection | None:
    found = _e2ee_thread(view)
    if found is None:
        return None
    return Detection("facebook", "json", layout, (found,), "messenger_e2ee")


def _whatsapp_chat(view: _View) -> Detection | None:
    texts = sorted((p for p in view.paths if p.lower().endswith(".txt")),
                   key=lambda p: (not ("whatsapp" in p.lower() or p.endswith("_chat.txt")), p.count("/"), p))
    for path in texts[:SNIFF_FILES]:
        style = sniff_chat(view.source.get(path))  # type: ignore[arg-type]
        if style:
            others = len(texts) - 1
            evidence = (path, f"first lines are WhatsApp {style} message headers")
            if others:
                evidence += (f"{others} more .txt file(s)",)
            return Detection("whatsapp_chat", "txt", style, evidence)
    return None


def _html_problem(view: _View, fmt: str, platform: str) -> tuple[Problem, ...]:
    """An HTML export is read from its pages; say what the pages do not hold that JSON would."""
    if fmt != "html":
        return ()
    label = view.source.label
    return (Problem(label, "html_export",
                    f"{label} is {'an' if platform[0] in 'AEIOU' else 'a'} {platform} export in HTML format: it is read from its pages. HTML pages show "
                    f"times without a time zone and leave out some of what the JSON files hold (exact "
                    f"timestamps, some reaction and media details); pages that cannot be itemised are "
                    f"listed with the reason. For the fullest audit, a JSON download (Download your "
                    f"information > Format: JSON) can be requested as well."),)


def html_platform(view: _View) -> str | None:
    """instagram / facebook from the head of one or two HTML pages (the logo, the links), None
    when the pages do not say: classes are shared by both platforms, links and logos are not."""
    pages = sorted((p for p in view.paths if p.lower().endswith(".html") and not p.startswith("files/")),
                   key=lambda p: (p.count("/"), p))[:2]
    for path in pages:
        head = _head(view.member(path), PEEK_BYTES).lower()
        if b"instagram-logo" in head or b"instagram.com" in head:
            return "instagram"
        if b"facebook.com" in head or b"_4t5n" in head:
            return "facebook"
    return None


def _html_instagram(view: _View) -> Detection | None:
    """An Instagram HTML export whose folders alone look like another platform's (2021-22 pages sit
    in messages/, likes/ ... at the root, as Facebook's flat folders do) or like nothing known."""
    if _format(view) != "html" or html_platform(view) != "instagram":
        return None
    layout = "2025" if view.has_dir("your_instagram_activity/media") else \
        "2023" if "your_instagram_activity" in view.tops or "security_and_login_information" in view.tops else "2021"
    return Detection("instagram", "html", layout, ("HTML pages with Instagram's logo or links",),
                     problems=_html_problem(view, "html", "Instagram"))


def _meta_sections(view: _View) -> Detection | None:
    """2022+ Facebook sections decide first: a Facebook export can hold a linked Instagram account's
    your_instagram_activity/ and instagram_profile_information.json (seen in donated structures,
    real-paths/facebook_paths_keys.tsv). The platform with more files under its activity folder wins."""
    fb_folder = next((f for f in ("your_facebook_activity", "your_activity_across_facebook") if f in view.tops), None)
    if fb_folder is None and not view.has_dir("personal_information/profile_information"):
        return None
    fb_files = sum(1 for p in view.paths if p.startswith(f"{fb_folder}/")) if fb_folder else 0
    ig_files = sum(1 for p in view.paths if p.startswith("your_instagram_activity/"))
    if ig_files > fb_files:
        found = _instagram(view)
        other = f"also holds {fb_files} files under {fb_folder}/" if fb_folder else ""
    else:
        found = _facebook(view)
        other = f"also holds {ig_files} files under your_instagram_activity/ (a linked account)" if ig_files else ""
    if found is not None and other:
        found = replace(found, evidence=found.evidence + (other,))
    return found


RULES: tuple[Callable[[_View], Detection | None], ...] = (_whatsapp_account, _meta_sections, _instagram,
                                                         _html_instagram, _facebook, _whatsapp_chat)


def detect(source: Source) -> Detection:
    """Platform, format and layout of one export, with the evidence; `UNKNOWN` when nothing fits."""
    if not source.members:
        return UNKNOWN
    view = _View(source)
    for rule in RULES:
        found = rule(view)
        if found is not None:
            return found
    return UNKNOWN
