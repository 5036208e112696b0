"""The app's one vocabulary: every key the parsers write (statuses, actors, kinds, problem kinds,
reasons) -> the words a person reads, and plurals. The CSVs keep the keys; only the screen says words.

No Qt and no pandas here: the start screen imports it before anything heavy is loaded.
"""
from __future__ import annotations


def plural(n: int, word: str, many: str | None = None) -> str:
    """plural(1, "file") -> "1 file"; plural(2_000, "file") -> "2,000 files"."""
    return f"{n:,} {word if n == 1 else (many or word + 's')}"


def count_words(n: int, word: str, many: str | None = None) -> str:
    """Just the noun in the right number (for "1 file" written as a number and a caption)."""
    return word if n == 1 else (many or word + "s")


#: Platforms (items and files frames `platform`).
PLATFORM = {"facebook": "Facebook", "instagram": "Instagram", "whatsapp": "WhatsApp"}

#: What an export was recognised as (Detection.platform, .format), for the list of exports on screen.
SOURCE_PLATFORM = {"facebook": "Facebook", "instagram": "Instagram", "whatsapp_chat": "WhatsApp chat",
                   "whatsapp_account": "WhatsApp account information"}
SOURCE_FORMAT = {"json": "JSON", "html": "HTML", "txt": "text"}
CHAT_PHONE = {"android": "from an Android phone", "ios": "from an iPhone", "legacy": "from a 2012-14 phone"}


def source_words(platform: str, fmt: str, layout: str, generation: str) -> str:
    """ "Facebook, JSON, 2024+ layout"; "WhatsApp chat from an iPhone"; "not an export this app knows".

    `generation` is the layout in words (parsers.detect.LAYOUTS), passed in so this module stays light."""
    if platform not in SOURCE_PLATFORM:
        return "not an export this app knows"
    if platform == "whatsapp_chat":
        return " ".join(filter(None, (SOURCE_PLATFORM[platform], CHAT_PHONE.get(layout, ""))))
    words = [SOURCE_PLATFORM[platform], SOURCE_FORMAT.get(fmt, fmt)]
    if generation:
        words.append(f"{generation} layout")
    return ", ".join(words)


#: File statuses (files frame `status`).
STATUS = {
    "parsed": "Read",
    "ignored": "Known, skipped",
    "unknown": "Not a file this app knows",
    "failed": "Could not be read",
}
#: Statuses counted as "not understood": one definition for the Overview card and the Files tab.
NOT_UNDERSTOOD = ("unknown", "failed")

#: Who did an item (items frame `actor`).
ACTOR = {
    "self": "You",
    "other": "Someone else",
    "system": "The service",
    "unknown": "Not known",
}

#: Problem kinds (problems frame `kind`), from the parsers and the archive reader.
PROBLEM = {
    "unreadable": "Could not be read",
    "unreadable_lines": "Lines it could not read",
    "unreadable_folder": "Folder it could not read",
    "not_recognised": "Not an export this app knows",
    "not_a_chat": "Not a WhatsApp chat",
    "notice": "Good to know",
    "missing_part": "A part of the export is missing",
    "missing": "File missing",
    "html_export": "Downloaded as HTML, not JSON",
    "duplicate_name": "Two files with one name",
    "duplicate_export": "The same export twice",
    "bad_dates": "Impossible dates",
    "ambiguous_date_order": "Date order uncertain",
    "unknown_section": "A section this app does not know",
    "unexpected_shape": "Laid out differently than expected",
    "backslash_path": "Windows-style file name",
    "bad_zip": "Damaged zip",
    "empty_file": "Empty file",
    "empty_folder": "Empty folder",
    "empty_zip": "Empty zip",
    "encrypted": "Protected by a password",
    "link_not_followed": "Link not followed",
    "nested_zip": "Zip inside a zip",
    "not_a_zip": "Not a zip",
    "not_regular_file": "Not a regular file",
    "too_large": "Too large to read",
    "too_many_members": "Too many files",
    "truncated_member": "File cut off",
    "truncated_zip": "Download cut off",
}

#: Item kinds the parsers write (items frame `kind`); others are put into words by `kind_words`.
KIND = {
    "post": "Post", "photo": "Photo", "video": "Video", "album": "Album", "story": "Story", "reel": "Reel",
    "igtv": "IGTV video", "comment": "Comment", "reaction": "Reaction", "like": "Like",
    "message": "Message", "text": "Message", "media": "Media in a message", "deleted": "Deleted message",
    "edited": "Edited message", "location": "Location shared", "poll": "Poll", "system": "System message",
    "system_message": "System message", "unsent_message": "Unsent message", "call": "Call",
    "message_sticker": "Sticker in a message", "message_photo": "Photo in a message",
    "message_video": "Video in a message", "message_audio": "Voice or audio message",
    "message_file": "File in a message", "message_gif": "GIF in a message", "message_share": "Link in a message",
    "message_reaction": "Reaction to a message", "ai_message": "Message with Meta AI",
    "ai_sticker": "Meta AI sticker", "ai_interest_category": "Interest Meta AI inferred",
    "search": "Search", "login": "Login", "device": "Device", "profile": "Profile",
    "profile_photo": "Profile photo", "profile_update": "Profile change", "setting": "Setting",
    "privacy_change": "Privacy change", "privacy_jurisdiction": "Where your account is governed",
    "friend": "Friend", "follower": "Follower", "following": "Account you follow", "blocked": "Blocked account",
    "close_friend": "Close friend", "ad_interest": "Ad interest", "ad_category": "Ad category",
    "ad_viewed": "Ad you saw", "advertiser": "Advertiser", "off_platform_event": "Activity off Facebook",
    "link_visit": "Link you opened", "notification": "Notification", "check_in": "Check-in",
    "saved": "Saved item", "saved_collection": "Saved collection", "archived_post": "Archived post",
    "post_viewed": "Post you viewed", "threads_post": "Threads post", "story_interaction": "Story interaction",
    "story_like": "Story like", "comment_like": "Comment like", "reel_comment": "Comment on a reel",
    "post_by_other": "Post by someone else", "deleted_post": "Deleted post", "group_post": "Post in a group",
    "pending_group_post": "Pending group post", "app_post": "Post by an app", "group_comment": "Comment in a group",
    "active_day": "Day you were active", "autofill_entry": "Autofill entry", "record": "Record",
    "file": "File", "folder": "Folder",
}


def kind_words(key: str) -> str:
    """An item kind in words: the table, else "message_x" -> "X in a message", else the key spelled out."""
    if key in KIND:
        return KIND[key]
    if key.startswith("message_"):
        return f"{key[8:].replace('_', ' ').capitalize()} in a message"
    return key.replace("_", " ").capitalize()


def problem_words(key: str) -> str:
    return PROBLEM.get(key) or key.replace("_", " ").capitalize()


def status_words(key: str) -> str:
    return STATUS.get(key, key)


def actor_words(key: str) -> str:
    return ACTOR.get(key, key)


#: Reasons in the files frame that read like keys or jargon, in words.
_REASONS = {
    "not in the handler table for this export format": "Not a file this app knows (not in its table for this export)",
    "export not recognised": "Not a file this app knows: the export around it was not recognised",
}

def reason_words(reason: str) -> str:
    """A files-frame reason as a sentence (most already are; a few are spelled out)."""
    if not reason:
        return ""
    from parsers.handlers import partly_read_percent  # only once an audit is shown (pandas is loaded)

    percent = partly_read_percent(reason)
    if percent is not None:
        return f"Read {percent}% of it: the scan was cancelled there; the items before that point are kept"
    text = _REASONS.get(reason, reason)
    return text[:1].upper() + text[1:]
