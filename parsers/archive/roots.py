"""What the paths of an export say: where an export starts (its root), which files are OS junk or media.

Pure functions of member paths; no member is read.
"""
from __future__ import annotations

from typing import Iterable

#: Top-level folders and files that mark the root of an export (meta-export-formats.md 1.3, 4.1, 6.1;
#: whatsapp-formats.md 2). A folder with one of these among its children is an export root.
META_ROOT_MARKERS = frozenset(
    {
        # Facebook and Instagram sections, 2022 onwards
        "personal_information", "your_facebook_activity", "your_instagram_activity",
        "your_activity_across_facebook", "connections", "logged_information", "ads_information",
        "apps_and_websites_off_of_facebook", "apps_and_websites_off_of_instagram", "preferences",
        "security_and_login_information", "media",
        # Facebook 2018-2021 flat folders
        "profile_information", "posts", "messages", "comments_and_reactions", "comments",
        "likes_and_reactions", "photos_and_videos", "friends", "friends_and_followers", "about_you",
        "search_history", "search", "your_topics", "location", "your_places", "other_activity",
        "facebook_gaming", "your_interactions_on_facebook",
        # Instagram 2021-22 per-category folders and 2018-20 flat files
        "account_information", "content", "followers_and_following", "likes",
        "login_and_account_creation", "recent_searches", "story_sticker_interactions",
        "information_about_you", "device_information", "ads_and_topics", "ads_and_businesses",
        "media.json", "profile.json", "connections.json", "searches.json",
        # HTML exports and the end-to-end-encrypted Messenger download
        "start_here.html", "index.html", "index.htm",
    }
)
WHATSAPP_ACCOUNT_MARKERS = frozenset({"whatsapp_connections", "portability.json", "access.html"})
ROOT_MARKERS = META_ROOT_MARKERS | WHATSAPP_ACCOUNT_MARKERS

#: Files that operating systems add when a folder is zipped or browsed: never export content.
JUNK_REASONS = {
    "__MACOSX": "macOS resource-fork copy (__MACOSX/), added when the archive was re-zipped on a Mac; "
                "not export content",
    ".DS_Store": "macOS folder-view settings (.DS_Store); not export content",
    "._": "macOS resource-fork file (._name); not export content",
    "Thumbs.db": "Windows thumbnail cache (Thumbs.db); not export content",
    "desktop.ini": "Windows folder settings (desktop.ini); not export content",
}


#: File name extensions of media members: never decompressed, their bytes come from the directory.
MEDIA_EXTENSIONS = frozenset(
    "jpg jpeg png gif webp heic heif bmp tif tiff mp4 mov m4v 3gp webm avi mkv "
    "mp3 m4a aac ogg opus wav amr pdf vcf srt".split()
)


def is_media(path: str) -> bool:
    name = path.rsplit("/", 1)[-1]
    if "." not in name:
        return False
    return name.rsplit(".", 1)[-1].lower() in MEDIA_EXTENSIONS


# ---- paths -------------------------------------------------------------------------------------

def normalise(name: str) -> str:
    """`/` separators, no leading slash, no `.` or empty components."""
    if "\\" not in name and "//" not in name and "./" not in name and not name.startswith("/") \
            and not name.endswith(("/", "/.")) and name != ".":
        return name  # already normal: keep the same string object (no copy per member)
    parts = [p for p in name.replace("\\", "/").split("/") if p not in ("", ".")]
    return "/".join(parts)


def junk_reason(path: str) -> str | None:
    """Why a path is operating-system junk, or None for export content."""
    parts = path.split("/")
    if "__MACOSX" in parts[:-1]:
        return JUNK_REASONS["__MACOSX"]
    name = parts[-1]
    if name in JUNK_REASONS:
        return JUNK_REASONS[name]
    if name.startswith("._"):
        return JUNK_REASONS["._"]
    return None


def parent(path: str) -> str:
    return path.rsplit("/", 1)[0] if "/" in path else ""


def ancestors(path: str) -> Iterable[str]:
    """Folders above a file path, deepest first, ending with "" (the container itself)."""
    folder = parent(path)
    while folder:
        yield folder
        folder = parent(folder)
    yield ""


def find_roots(paths: Iterable[str]) -> list[str]:
    """Export roots among file paths: marker roots (shallowest), then chat-.txt folders outside them."""
    marker_roots, txt_roots = split_roots(paths)
    return sorted(marker_roots | txt_roots, key=lambda r: (r.count("/") if r else -1, r))


def split_roots(paths: Iterable[str]) -> tuple[frozenset[str], frozenset[str]]:
    """(marker roots, chat-folder roots): the shallowest folders holding a marker; .txt folders outside them."""
    paths = list(paths)
    candidates: set[str] = set()
    for path in paths:
        parts = path.split("/")
        for depth, part in enumerate(parts):
            if part in ROOT_MARKERS:
                candidates.add("/".join(parts[:depth]))
    roots: set[str] = set()
    for candidate in sorted(candidates, key=lambda c: (c.count("/") if c else -1, c)):
        if not any(within(candidate, root) for root in roots):
            roots.add(candidate)
    # a .txt outside every marker root (a WhatsApp chat, perhaps): its folder is a root of its own
    txt_roots = {parent(p) for p in paths
                 if p.lower().endswith(".txt") and not any(within(p, root) for root in roots)}
    return frozenset(roots), frozenset(txt_roots - roots)


def within(path: str, root: str) -> bool:
    return root == "" or path == root or path.startswith(root + "/")


def strip_root(paths: Iterable[str]) -> str:
    """The export root of a single-export listing: the shallowest marker root, else chat folder ("" when none)."""
    marker_roots, txt_roots = split_roots(paths)
    roots = sorted(marker_roots or txt_roots, key=lambda r: (r.count("/") if r else -1, r))
    return roots[0] if roots else ""
