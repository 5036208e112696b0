"""Decide what an export is (platform, format, layout generation) and say on what evidence."""
from __future__ import annotations

from dataclasses import dataclass

from .archive import Source


@dataclass(frozen=True)
class Detection:
    platform: str  # facebook | instagram | whatsapp_chat | whatsapp_account | unknown
    format: str  # json | html | txt | unknown
    layout: str  # layout generation, e.g. "2024", "2021", "2018"; "" when not applicable
    evidence: tuple[str, ...] = ()

    @property
    def recognised(self) -> bool:
        return self.platform != "unknown"


LOOKED_FOR = (
    "Facebook (personal_information/, your_facebook_activity/, posts/your_posts_1.json, ...), "
    "Instagram (your_instagram_activity/, media/, personal_information/personal_information.json, ...), "
    "a WhatsApp chat (a .txt with dated message lines) or a WhatsApp account report "
    "(index.html with user_information, whatsapp_connections/, portability.json)"
)


def detect(source: Source) -> Detection:
    paths = {m.path for m in source.members}
    tops = {p.split("/", 1)[0] for p in paths}
    if "your_instagram_activity" in tops or any("instagram" in p for p in paths if p.startswith("personal_information/")):
        return Detection("instagram", _format(paths), "", ("your_instagram_activity/ or instagram profile files",))
    if "your_facebook_activity" in tops or "your_activity_across_facebook" in tops or "profile_information" in tops:
        return Detection("facebook", _format(paths), "", ("facebook section folders",))
    if any(p.endswith(".txt") for p in paths):
        return Detection("whatsapp_chat", "txt", "", ("a .txt file",))
    return Detection("unknown", "unknown", "", ())


def _format(paths: set[str]) -> str:
    if any(p.endswith(".json") for p in paths):
        return "json"
    if any(p.endswith(".html") for p in paths):
        return "html"
    return "unknown"
