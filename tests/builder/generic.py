"""Files a Facebook or Instagram table does not know by name, inside sections it knows.

Real exports hold such files (avatars, device information, notes, new suggestions files, new
settings files); each shape the generic record reader must read is here once per platform:
label_values, string_map_data, string_list_data and a plain list of dated objects, wrapped or
bare. `UNLISTED[platform]` maps path -> (content, category, records, dated records);
`OUTSIDE[platform]` is a file outside every section (it must stay unknown).
"""
from __future__ import annotations

from typing import Any

from builder import ExportTree

T = 1_650_000_000
LABEL_VALUES = [{"timestamp": T, "fbid": "1", "media": [], "label_values": [
    {"label": "Avatar style", "value": "Curly hair"}, {"label": "Updated", "timestamp_value": T + 5}]}]
STRING_MAP = {"device_information_v2": [{"title": "Pixel 9", "string_map_data": {
    "Device": {"value": "Pixel 9", "timestamp": 0}, "Last used": {"value": "", "timestamp": T + 60}}}]}
STRING_LIST = {"suggestions_v2": [{"title": "", "string_list_data": [{"value": "hiking club", "timestamp": T + k}]}
                                  for k in range(3)]}
PLAIN_LIST = [{"note": "buy milk", "created_timestamp": T + k} for k in range(4)]
SETTING = {"fbid": "9", "media": [], "label_values": [{"label": "Reduce motion", "value": "On"}]}

UNLISTED: dict[str, dict[str, tuple[Any, str, int, int]]] = {
    "facebook": {
        "personal_information/avatars/your_avatar_2026.json": (LABEL_VALUES, "profile", 1, 1),
        "personal_information/device_information_2026.json": (STRING_MAP, "profile", 1, 1),
        "connections/suggestions/new_suggestions.json": (STRING_LIST, "connections", 3, 3),
        "your_facebook_activity/posts/album/notes_2026.json": (PLAIN_LIST, "posts", 4, 4),
        "preferences/accessibility_settings_2026.json": (SETTING, "settings", 1, 0),
        "logged_information/brand_new_folder/things.json": (PLAIN_LIST, "activity_log", 4, 4),
    },
    "instagram": {
        "personal_information/avatars_2026.json": (LABEL_VALUES, "profile", 1, 1),
        "personal_information/device_information/camera_information.json": (STRING_MAP, "security_login", 1, 1),
        "connections/followers_and_following/new_suggestions.json": (STRING_LIST, "connections", 3, 3),
        "your_instagram_activity/media/notes/notes.json": (PLAIN_LIST, "posts", 4, 4),
        "preferences/accessibility_settings_2026.json": (SETTING, "settings", 1, 0),
        "ads_information/brand_new_ad_file.json": (PLAIN_LIST, "ads_interests", 4, 4),
    },
}
OUTSIDE = {"facebook": "your_facebook_activity/a_section_from_the_future/x.json",
           "instagram": "your_instagram_activity/a_section_from_the_future/x.json"}


def add_unlisted(tree: ExportTree, platform: str) -> None:
    for path, (content, _category, _records, _dated) in UNLISTED[platform].items():
        tree.add_json(path, content)
    tree.add_json(OUTSIDE[platform], PLAIN_LIST)
