"""Instagram export: the handler table, readable as documentation of the format.

Four layout generations share one table, because their record shapes are the same and their paths
differ only by a section folder in front (meta-export-formats.md section 6):

* 2018-2020: flat files at the root (media.json, comments.json, connections.json, messages.json ...),
  ISO date strings, media folders photos/YYYYMM/, videos/, stories/, direct/, profile/.
* 2021-22: one folder per category at the root (content/, comments/, likes/, followers_and_following/,
  account_information/ -> personal_information/, login_and_account_creation/, ...).
* 2023-24: the same folders grouped into sections (your_instagram_activity/, connections/,
  personal_information/personal_information/, logged_information/, ads_information/,
  security_and_login_information/, preferences/).
* 2025-26: content/ -> media/, story_sticker_interactions/ -> story_interactions/, threads/ (the
  Threads app), Meta AI conversations, ai/interest_categories; several files become bare lists of
  label_values records instead of wrapped string_map_data records.

So a pattern names the optional section prefix (`(?:your_instagram_activity/)?`) and the renamed
folder alternatives (`(?:content|media)/`) once, and every record goes through one flattening
(`flatten`) that reads string_map_data, string_list_data, media_map_data, label_values and the
2018 plain objects alike, with localised labels of older exports translated to English.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any, Iterable, Iterator

import ijson

from . import instagram_html, meta_common
from .archive import Member
from .common import fix_mojibake, to_epoch_seconds
from .contract import AccountContext, Item, Problem
from .detect import Detection
from .handlers import MEDIA_EXTENSIONS, Handler, HandlerResult, HandlerTable, ParseContext, handle, ignore
from .meta_html_records import meta_table
from .people import fill_owner_author

PLATFORM = "instagram"

# =================================================================================================
# Streaming: every record of a member, whatever its wrapping
# =================================================================================================

#: Keys that mark a top-level object as *one record* rather than a wrapper of record lists
#: (ad_preferences.json is a single label_values object; personal files may be too).
RECORD_KEYS = frozenset({"label_values", "string_map_data", "string_list_data", "media_map_data",
                         "media_list_data", "fbid", "ent_name", "timestamp", "title", "media",
                         "uri", "participants", "messages"})


#: Files up to this size have each top-level value built by ijson's C backend at once; larger ones
#: are walked record by record (flat memory). Almost every Instagram file is small.
WHOLE_VALUE_LIMIT = meta_common.WHOLE_VALUE_LIMIT


def records_of(member: Member, *, split_maps: bool = False) -> Iterator[tuple[str, Any]]:
    """(wrapper key, record) of a member (`meta_common.keyed_records`): the key says what a record
    is in files holding several lists (2018 media.json `photos`/`videos`, comments.json
    `media_comments`/`live_comments`); an object whose first key is one of RECORD_KEYS is one
    record; `split_maps` gives a wrapped object as (name, value) pairs (2018 connections.json)."""
    return meta_common.keyed_records(member, maps="pairs" if split_maps else "whole", skip_blank=False,
                                     record_keys=RECORD_KEYS, first_key_whole=True, whole_limit=WHOLE_VALUE_LIMIT)


# =================================================================================================
# Record shapes -> one flat view
# =================================================================================================

#: Localised labels of 2021-22 exports (and the Dutch ones d3i still checks) -> the English label,
#: lower-cased. Only labels whose meaning this module uses. Sources: meta-export-formats.md 10
#: (Danish Forfatter/Tidspunkt, Dutch Auteur/Tijd/Opmerking/Media-eigenaar/Opgeslagen op/Naam/
#: Gebruikersnaam/Interesse); the others are Instagram's own UI words in those languages.
LABEL_TRANSLATIONS: dict[str, str] = {
    # time
    "tidspunkt": "time", "tijd": "time", "zeit": "time", "hora": "time", "heure": "time",
    # author (seen content, ads)
    "forfatter": "author", "auteur": "author", "autor": "author",
    # comment
    "kommentar": "comment", "opmerking": "comment", "reactie": "comment", "comentario": "comment",
    "commentaire": "comment",
    # media owner
    "medieejer": "media owner", "media-eigenaar": "media owner", "medieninhaber": "media owner",
    "propietario del contenido": "media owner", "propriétaire du contenu": "media owner",
    # saved
    "gemt den": "saved on", "opgeslagen op": "saved on", "gespeichert am": "saved on",
    "guardado el": "saved on", "enregistré le": "saved on",
    # profile
    "brugernavn": "username", "gebruikersnaam": "username", "benutzername": "username",
    "nombre de usuario": "username", "nom d'utilisateur": "username",
    "navn": "name", "naam": "name", "nombre": "name", "nom": "name",
    "privat konto": "private account", "privéaccount": "private account",
    "privé-account": "private account", "privates konto": "private account",
    "cuenta privada": "private account", "compte privé": "private account",
    "fødselsdato": "date of birth", "geboortedatum": "date of birth", "geburtsdatum": "date of birth",
    "fecha de nacimiento": "date of birth", "date de naissance": "date of birth",
    # searches
    "søgning": "search", "zoekopdracht": "search", "suche": "search", "búsqueda": "search",
    "recherche": "search",
    # interests
    "interesse": "interest", "interés": "interest", "intérêt": "interest",
}

#: Boolean words, for "Private Account" values in any of the languages above.
TRUE_WORDS = frozenset({"true", "yes", "sand", "ja", "waar", "wahr", "verdadero", "sí", "si", "vrai", "oui"})
FALSE_WORDS = frozenset({"false", "no", "falsk", "nej", "onwaar", "nee", "falsch", "nein", "falso", "faux", "non"})

#: Words that say which way an account privacy switch went (profile_privacy_changes.json).
PRIVATE_WORDS = ("private", "privat", "privé", "prive", "privado", "privada", "privé")
PUBLIC_WORDS = ("public", "offentlig", "openbaar", "öffentlich", "oeffentlich", "público", "publico", "pública")


def label_key(label: Any) -> str:
    """A label as a lookup key: repaired, lower-cased, translated to English."""
    text = str(fix_mojibake(label or "")).strip().lower()
    return LABEL_TRANSLATIONS.get(text, text)


@dataclass
class Fields:
    """One record seen flat: labels -> values, with the record's time and media uris.

    Keys are `label_key`s; nested label_values dicts become dotted keys ("owner.username").
    `title` is also stored as the key "title" so a rule can name it like any label.
    """

    timestamp: float | None = None
    values: dict[str, str] = field(default_factory=dict)
    times: dict[str, float] = field(default_factory=dict)
    uris: list[str] = field(default_factory=list)

    def get(self, *keys: str) -> str:
        for key in keys:
            value = self.values.get(key)
            if value:
                return value
        return ""

    def put(self, key: str, value: Any = None, href: Any = None, timestamp: Any = None) -> None:
        if value not in (None, "") and not isinstance(value, (dict, list)):
            text = fix_mojibake(value) if isinstance(value, str) else str(value)
            self.values.setdefault(key, text)
        if href:
            self.values.setdefault(key + ".href", fix_mojibake(href))
        seconds = to_epoch_seconds(timestamp)
        if seconds is not None:
            self.times.setdefault(key, seconds)

    @property
    def when(self) -> float | None:
        """The record's own timestamp, else its "time" label, else its first dated label."""
        if self.timestamp is not None:
            return self.timestamp
        if "time" in self.times:
            return self.times["time"]
        return next(iter(self.times.values()), None)


def flatten(record: Any) -> Fields:
    """Read any Instagram record shape into `Fields` (see module docstring)."""
    fields = Fields()
    if not isinstance(record, dict):
        if isinstance(record, str):
            fields.put("title", record)
        return fields
    fields.timestamp = (to_epoch_seconds(record.get("timestamp") or record.get("creation_timestamp"))
                        or iso_seconds(record.get("timestamp")))  # 2018-2020: ISO strings
    title = record.get("title")
    if isinstance(title, str) and title:
        fields.put("title", title)
        if fields.timestamp is None:
            fields.timestamp = iso_seconds(title)  # login_activity: title is the ISO login time
    string_map = record.get("string_map_data")
    if isinstance(string_map, dict):
        for label, entry in string_map.items():
            if isinstance(entry, dict):
                fields.put(label_key(label), entry.get("value"), entry.get("href"), entry.get("timestamp"))
    string_list = record.get("string_list_data")
    if isinstance(string_list, list):
        for entry in string_list:
            if isinstance(entry, dict):
                fields.put("value", entry.get("value"), entry.get("href"), entry.get("timestamp"))
    label_values = record.get("label_values")
    if isinstance(label_values, list):
        _walk_label_values(fields, label_values, "")
    media_map = record.get("media_map_data")
    if isinstance(media_map, dict):
        fields.uris.extend(_uris(media_map.values()))
    for key in ("media_list_data", "media"):
        if isinstance(record.get(key), list):
            fields.uris.extend(_uris(record[key]))
    # 2018-2020 plain objects: their keys are the labels.
    for key, value in record.items():
        if key not in _SHAPED_KEYS and not isinstance(value, (dict, list)):
            dated = isinstance(value, (int, float)) and ("time" in key or "date" in key)
            fields.put(label_key(key.replace("_", " ")), value, timestamp=value if dated else None)
            if fields.timestamp is None and isinstance(value, str) and key in _LEGACY_TIME_KEYS:
                fields.timestamp = iso_seconds(value)
    if fields.timestamp is None:
        for key in _LEGACY_TIME_KEYS:
            if isinstance(record.get(key), (int, float)):
                fields.timestamp = to_epoch_seconds(record[key])
                break
    return fields


_SHAPED_KEYS = frozenset({"title", "timestamp", "creation_timestamp", "string_map_data", "string_list_data",
                          "label_values", "media_map_data", "media_list_data", "media", "fbid"})
_LEGACY_TIME_KEYS = ("taken_at", "created_at", "date", "time", "timestamp", "last_login", "date_joined")


def _walk_label_values(fields: Fields, entries: list[Any], prefix: str) -> None:
    """label_values: {label, value|href|timestamp_value}, {label, vec: [...]}, {title, dict: [{dict: [...]}]}."""
    for entry in entries:
        if not isinstance(entry, dict):
            continue
        name = label_key(entry.get("label") or entry.get("title") or "")
        key = prefix + name
        if isinstance(entry.get("vec"), list):
            for element in entry["vec"]:
                if isinstance(element, dict) and isinstance(element.get("dict"), list):
                    _walk_label_values(fields, element["dict"], key + ".")
                elif isinstance(element, dict):
                    fields.put(key, element.get("value"), element.get("href"), element.get("timestamp_value"))
        elif isinstance(entry.get("dict"), list):
            for element in entry["dict"]:
                if isinstance(element, dict) and isinstance(element.get("dict"), list):
                    _walk_label_values(fields, element["dict"], key + "." if name else prefix)
                elif isinstance(element, dict):
                    _walk_label_values(fields, [element], key + "." if name else prefix)
        else:
            fields.put(key, entry.get("value"), entry.get("href"), entry.get("timestamp_value"))
            if isinstance(entry.get("media"), list):
                fields.uris.extend(_uris(entry["media"]))


def _uris(media: Iterable[Any]) -> list[str]:
    return [m["uri"] for m in media if isinstance(m, dict) and isinstance(m.get("uri"), str) and m["uri"]]


def iso_seconds(text: Any) -> float | None:
    """ISO-8601 strings of 2018-2020 files and login titles -> epoch seconds (naive = UTC)."""
    if not isinstance(text, str) or len(text) < 10 or not text[:4].isdigit() or text[4] != "-":
        return None
    try:
        moment = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.timestamp()


def as_bool(value: str) -> bool | None:
    word = value.strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    return None


# =================================================================================================
# Handler factories
# =================================================================================================

@dataclass(frozen=True)
class Spec:
    """How a record of one file becomes an item: which labels hold the text and the other party."""

    category: str
    kind: str
    actor: str = "self"
    text: tuple[str, ...] = ()
    who: tuple[str, ...] = ()
    kinds_by_key: tuple[tuple[str, str], ...] = ()  # wrapper key -> kind (files holding several lists)
    #: the `who` label names a person: True (a follower, a contact), "accounts" (the owner of a post,
    #: a story: a person when it is a username, while a spaced display name may be a brand's)
    people: bool | str = False

    def item(self, fields: Fields, ctx: ParseContext, kind: str | None = None) -> Item:
        count, size = ctx.media_bytes(fields.uris)
        who = fields.get(*self.who)
        if who and (self.people is True or (self.people == "accounts" and not any(c.isspace() for c in who))):
            ctx.account.people.add(who)
        text = fields.get(*self.text)
        if not text and self.text:  # none of the labels it names: the record's first other value
            text = next((v for k, v in fields.values.items() if v != who and not k.endswith(".href")), "")
        return Item(self.category, kind or self.kind, fields.when, self.actor, who, text, count, size)


def records(category: str, kind: str, *, actor: str = "self", text: Iterable[str] = (),
            who: Iterable[str] = (), kinds: dict[str, str] | None = None, people: bool | str = False) -> Handler:
    """The generic handler: one item per record, text and counterpart taken from named labels
    (`people`: the counterpart names a person)."""
    spec = Spec(category, kind, actor, tuple(text), tuple(who), tuple((kinds or {}).items()), people)

    def handler(member: Member, ctx: ParseContext) -> HandlerResult:
        by_key = dict(spec.kinds_by_key)
        for key, record in records_of(member):
            yield spec.item(flatten(record), ctx, by_key.get(key))

    handler.__name__ = f"records_{category}_{kind}"
    handler.__doc__ = f"{category}/{kind}: one item per record"
    return handler


# Labels used again and again.
WHO_OWNER = ("owner.username", "owner.name", "media owner", "author", "title", "value")
WHO_LISTED = ("value", "title", "username", "name")
WHO_AUTHOR = ("owner.username", "owner.name", "author")  # seen content and ads: "Title" is the ad's own


def relation(kind: str, actor: str = "self") -> Handler:
    """followers/following/blocked/... rows: the username is the string_list value or the title."""
    return records("connections", kind, actor=actor, who=WHO_LISTED, people=kind != "hashtag_followed")


def settings_records(member: Member, ctx: ParseContext) -> HandlerResult:
    """Settings files: one item per record, its labels and values as the text."""
    for _key, record in records_of(member):
        fields = flatten(record)
        text = "; ".join(f"{k}: {v}" for k, v in fields.values.items() if not k.endswith(".href"))
        count, size = ctx.media_bytes(fields.uris)
        yield Item("settings", "setting", fields.when, "self", "", text, count, size)


# ---- media: posts, stories, reels, IGTV, archived, profile photos, Threads posts -----------------

#: Wrapper keys of media files -> (category, kind). The same keys appear in the mixed Waultar sample.
MEDIA_KEYS: dict[str, tuple[str, str]] = {
    "ig_stories": ("stories_reels", "story"),
    "ig_reels_media": ("stories_reels", "reel"),
    "ig_igtv_media": ("stories_reels", "igtv"),
    "ig_profile_picture": ("photos_videos", "profile_photo"),
    "ig_archived_post_media": ("posts", "archived_post"),
    "ig_other_media": ("photos_videos", ""),
    "ig_recently_deleted_media": ("photos_videos", "deleted_media"),
    "text_post_app_text_posts": ("posts", "threads_post"),
}

VIDEO_EXTENSIONS = frozenset({"mp4", "mov", "m4v", "3gp", "webm", "avi", "mkv"})


def _photo_or_video(uri: str) -> str:
    name = uri.rsplit("/", 1)[-1]
    return "video" if "." in name and name.rsplit(".", 1)[-1].lower() in VIDEO_EXTENSIONS else "photo"


def _media_item(record: dict, category: str, kind: str, ctx: ParseContext) -> Item:
    """A post-like record {media: [MEDIA], title?, creation_timestamp?} or a bare MEDIA {uri, title}."""
    media = record.get("media") if isinstance(record.get("media"), list) else [record]
    media = [m for m in media if isinstance(m, dict)]
    uris = _uris(media)
    caption = record.get("title") or next((m.get("title") for m in media if m.get("title")), "") or ""
    when = to_epoch_seconds(record.get("creation_timestamp") or record.get("timestamp"))
    if when is None:
        when = next((t for t in (to_epoch_seconds(m.get("creation_timestamp")) for m in media) if t), None)
    count, size = ctx.media_bytes(uris)
    if not kind:
        kind = _photo_or_video(uris[0]) if uris else "media"
    return Item(category, kind, when, "self", "", fix_mojibake(caption) if isinstance(caption, str) else "",
                count, size)


def media_records(category: str, kind: str) -> Handler:
    """Media files: one item per post/story/reel; a record wrapping another media list (the mixed
    2021 samples put `{"ig_profile_picture": [...]}` inside posts_1.json) counts under that kind."""

    def handler(member: Member, ctx: ParseContext) -> HandlerResult:
        for key, record in records_of(member):
            if not isinstance(record, dict):
                yield Problem(member.path, "unexpected_shape", f"{member.path}: a media record is not an object")
                continue
            category_here, kind_here = MEDIA_KEYS.get(key, (category, kind))
            nested = [k for k in record if k in MEDIA_KEYS and isinstance(record[k], list)]
            if nested:
                for inner_key in nested:
                    inner_category, inner_kind = MEDIA_KEYS[inner_key]
                    for inner in record[inner_key]:
                        if isinstance(inner, dict):
                            yield _media_item(inner, inner_category, inner_kind, ctx)
                continue
            yield _media_item(record, category_here, kind_here, ctx)

    handler.__doc__ = f"{category}/{kind}: one item per media record"
    return handler


def saved_collections(member: Member, ctx: ParseContext) -> HandlerResult:
    """saved_collections.json: a collection header row ("Name", "Creation Time") followed by its
    saved posts ("Name" = the post's owner with the post's link, "Added Time")."""
    for _key, record in records_of(member):
        fields = flatten(record)
        header = "creation time" in fields.times or "update time" in fields.times
        yield Item("other", "saved_collection" if header else "saved", fields.when, "self", fields.get("name"))


def vec_values(category: str, kind: str, actor: str = "system") -> Handler:
    """Records that list their values in a label_values `vec` (other_categories_used_to_reach_you:
    one record, a vec of category names): one item per value; a record without a vec is one item."""

    def handler(member: Member, ctx: ParseContext) -> HandlerResult:
        for _key, record in records_of(member):
            values = [fix_mojibake(str(v["value"])) for entry in _label_values(record)
                      if isinstance(entry.get("vec"), list)
                      for v in entry["vec"] if isinstance(v, dict) and v.get("value") not in (None, "")]
            fields = flatten(record)
            if not values:
                values = [fields.get("name", "value", "title")]
            for value in values:
                yield Item(category, kind, fields.when, actor, "", value)

    handler.__doc__ = f"{category}/{kind}: one item per value of a label_values vec"
    return handler


def _label_values(record: Any) -> list[dict]:
    entries = record.get("label_values") if isinstance(record, dict) else None
    return [e for e in entries if isinstance(e, dict)] if isinstance(entries, list) else []


# ---- comments (2021: string_list_data value = the comment; 2023+: "Comment"/"Media Owner") -------

def comments(kind: str) -> Handler:
    return records("comments", kind, text=("comment", "value"), who=("media owner", "owner.username", "title"),
                   people="accounts")


# ---- messages --------------------------------------------------------------------------------------

THREAD_FILE = re.compile(r"(?:your_instagram_activity/)?messages/(?:[^/]+/)?[^/]+/message_\d+\.json", re.IGNORECASE)


def message_thread(member: Member, ctx: ParseContext) -> HandlerResult:
    """message_N.json: the Messenger thread format, shared with Facebook (parsers.meta_common).

    When no profile file named the owner, the one participant of every thread is the owner.
    """
    yield from meta_common.iter_thread_messages(member, ctx, owner_from=_thread_paths)


def _thread_paths(ctx: ParseContext) -> Iterator[str]:
    """Lazy: called for every thread, but only walked while the owner is still unknown."""
    return (m.path for m in ctx.source.members if THREAD_FILE.fullmatch(m.path))


def ai_conversations(member: Member, ctx: ParseContext) -> HandlerResult:
    """Meta AI chats (ai_conversations.json, 2025+): label_values records, one per conversation.

    The labels inside are not documented (meta-export-formats.md 4.5, "UNCERTAIN"), so each
    conversation is read as its repeated label groups: a group holding a message-like label is one
    message, and its sender-like label says self or other. A conversation without such groups is
    one item holding all its values.
    """
    for _key, record in records_of(member):
        fields = flatten(record)
        title = fields.get("title")
        groups = [{label_key(k): v for k, v in g.items()} for g in meta_common.label_groups(record)]
        messages = [g for g in groups if _first(g, AI_TEXT_LABELS)]
        if not messages:
            text = "; ".join(v for k, v in fields.values.items() if k != "title" and not k.endswith(".href"))
            yield Item("ai_interactions", "ai_message", fields.when, "unknown", title or "Meta AI", text)
            continue
        for group in messages:
            sender = _first(group, AI_SENDER_LABELS)
            actor = "self" if sender.lower() in ("you", "user") else meta_common.actor_of(sender, ctx)
            when = meta_common.first_timestamp_value(group) or fields.when
            yield Item("ai_interactions", "ai_message", when, actor, title or "Meta AI",
                       _first(group, AI_TEXT_LABELS), author="" if sender.lower() in ("you", "user") else sender)


AI_TEXT_LABELS = ("message", "content", "text", "prompt", "response", "answer", "question")
AI_SENDER_LABELS = ("sender", "author", "from", "sender name", "role")


def _first(group: dict[str, Any], labels: Iterable[str]) -> str:
    for label in labels:
        value = group.get(label)
        if isinstance(value, str) and value:
            return value
    return ""


def secret_conversations(member: Member, ctx: ParseContext) -> HandlerResult:
    """{ig_secret_conversations: {armadillo_devices: [...]}}: device metadata only, no messages."""
    for _key, record in records_of(member):
        lists = [v for v in record.values() if isinstance(v, list)] if isinstance(record, dict) else []
        for devices in lists:
            for device in devices:
                fields = flatten(device)
                when = fields.times.get("last active time") or fields.when
                yield Item("security_login", "device", when, "self", "",
                           fields.get("device model", "device type", "device manufacturer"))


# ---- off-Meta activity: 2025 {name, events: [...]}, 2026 label_values "Events" vec --------------

def off_meta_activity(member: Member, ctx: ParseContext) -> HandlerResult:
    """One item per event a business sent about you; the business is the counterpart."""
    for _key, record in records_of(member):
        if not isinstance(record, dict):
            continue
        if isinstance(record.get("events"), list):
            name = fix_mojibake(record.get("name") or "")
            for event in record["events"]:
                if isinstance(event, dict):
                    yield Item("off_platform_activity", "off_platform_event",
                               to_epoch_seconds(event.get("timestamp")), "other", name,
                               fix_mojibake(str(event.get("type") or "")))
            continue
        name = fix_mojibake(record.get("title") or "")
        groups = [{label_key(k): v for k, v in g.items()} for g in meta_common.label_groups(record)]
        if not groups:
            fields = flatten(record)
            yield Item("off_platform_activity", "off_platform_event", fields.when, "other", name,
                       fields.get("event"))
        for group in groups:
            yield Item("off_platform_activity", "off_platform_event", meta_common.first_timestamp_value(group),
                       "other", name, _first(group, ("event", "type")))


# ---- account context: owner names, private account, privacy switches -----------------------------

def profile(member: Member, ctx: ParseContext) -> HandlerResult:
    """personal_information.json (profile_user) and 2018 profile.json: the owner's names and whether
    the account is private. One profile item per record, the bio as its text."""
    for record in _profile_records(member):
        fields = flatten(record)
        _learn_owner(ctx.account, fields)
        count, size = ctx.media_bytes(fields.uris)
        yield Item("profile", "profile", fields.when if fields.timestamp else None, "self", "",
                   fields.get("bio", "biography"), count, size)


def _profile_records(member: Member) -> list[Any]:
    """A profile file is small: read it whole. {profile_user: [record]}, a bare list, or (2018
    profile.json) one plain object {username, name, private_account, ...}."""
    if member.path.lower().endswith((".html", ".htm")):  # the page's label/value table
        return [record for _key, record in records_of(member)]
    with member.open() as stream:
        top = next(ijson.items(stream, "", use_float=True), None)
    if isinstance(top, list):
        return top
    if isinstance(top, dict) and len(top) == 1 and isinstance(next(iter(top.values())), list):
        return next(iter(top.values()))
    return [top] if isinstance(top, dict) else []


def _learn_owner(account: AccountContext, fields: Fields) -> None:
    """Owner names, date of birth (for the adult-content rules) and the private-account flag."""
    for key in ("username", "name"):
        value = fields.get(key)
        if value:
            account.owner_names.add(value)
    account.owner_name = account.owner_name or fields.get("name", "username")
    born = fields.get("date of birth")
    if born and iso_seconds(born) is not None and not born.startswith("1919-01-01"):  # 1919-01-01: unset
        account.birth_date = born[:10]
    private = fields.get("private account")
    if private:
        flag = as_bool(private)
        if flag is not None:
            account.private_account = flag


def privacy_changes(member: Member, ctx: ParseContext) -> HandlerResult:
    """profile_privacy_changes.json: the account's public <-> private switches.

    The direction is read from the record's words (any label, value or title that says private or
    public, in the languages above). Where a record does not say, `finish` infers it by walking
    back from the current status: the last switch led to it, the one before to the opposite.
    """
    for _key, record in records_of(member):
        fields = flatten(record)
        when = fields.when
        words = " ".join([*fields.values.keys(), *fields.values.values()]).lower()
        private_at, public_at = _last_said(words, PRIVATE_WORDS), _last_said(words, PUBLIC_WORDS)
        direction = "private" if private_at > public_at else "public" if public_at > private_at else ""
        if when is not None:
            ctx.account.privacy_changes.append((when, direction))
        yield Item("security_login", "privacy_change", when, "self", "", direction)
    ctx.account.privacy_changes.sort(key=lambda change: change[0])


def _last_said(words: str, vocabulary: Iterable[str]) -> int:
    """Position of the last word of `vocabulary` in `words`: "changed from public to private" -> private."""
    return max((words.rfind(w) for w in vocabulary), default=-1)


def finish(frame: Any, account: AccountContext) -> Any:
    """Settle privacy switches whose direction the file did not state (see `privacy_changes`); the
    owner's own items get the owner's name as author."""
    changes = account.privacy_changes
    if any(direction == "" for _when, direction in changes):
        if account.private_account is None:
            account.notices.append("Instagram privacy switches without a direction were left out: "
                                   "the export does not say whether the account is private now.")
            account.privacy_changes = [c for c in changes if c[1]]
        else:
            state = "private" if account.private_account else "public"
            settled = []
            for when, direction in reversed(changes):
                settled.append((when, direction or state))
                state = "public" if (direction or state) == "private" else "private"
            account.privacy_changes = sorted(settled)
    return fill_owner_author(frame, PLATFORM, account)


# =================================================================================================
# 2018-2020 flat files
# =================================================================================================

#: Wrapper key of a flat file -> (category, kind, actor). Entries are objects with ISO dates, lists
#: `[ISO date, value, value]` or, in connections.json, {username: ISO date} maps.
LEGACY_KEYS: dict[str, tuple[str, str, str]] = {
    # comments.json
    "media_comments": ("comments", "comment", "self"),
    "live_comments": ("comments", "live_comment", "self"),
    "story_comments": ("comments", "story_comment", "self"),
    # likes.json
    "media_likes": ("reactions", "like", "self"),
    "comment_likes": ("reactions", "comment_like", "self"),
    "story_likes": ("reactions", "story_like", "self"),
    # saved.json
    "saved_media": ("other", "saved", "self"),
    "saved_collections": ("other", "saved_collection", "self"),
    # connections.json
    "followers": ("connections", "follower", "other"),
    "following": ("connections", "following", "self"),
    "blocked_users": ("connections", "blocked", "self"),
    "restricted_users": ("connections", "restricted", "self"),
    "follow_requests_sent": ("connections", "follow_request_sent", "self"),
    "follow_requests_received": ("connections", "follow_request_received", "other"),
    "permanent_follow_requests": ("connections", "follow_request_sent", "self"),
    "following_hashtags": ("connections", "hashtag_followed", "self"),
    "dismissed_suggested_users": ("connections", "removed_suggestion", "self"),
    "close_friends": ("connections", "close_friend", "self"),
    "hide_stories_from": ("connections", "hidden_story_from", "self"),
    # searches.json (list, later wrapped)
    "main_search_history": ("search_history", "search", "self"),
    "shopping_search_history": ("search_history", "search", "self"),
    # seen_content.json
    "chaining_seen": ("activity_log", "profile_suggestion_viewed", "self"),
    "posts_seen": ("activity_log", "post_viewed", "self"),
    "videos_watched": ("activity_log", "video_watched", "self"),
    "ads_seen": ("ads_interests", "ad_viewed", "self"),
    "ads_clicked": ("ads_interests", "ad_clicked", "self"),
    # stories_activities.json
    "polls": ("reactions", "story_interaction", "self"),
    "emoji_sliders": ("reactions", "story_interaction", "self"),
    "questions": ("reactions", "story_interaction", "self"),
    "quizzes": ("reactions", "story_interaction", "self"),
    "countdowns": ("reactions", "story_interaction", "self"),
    # account_history.json
    "login_history": ("security_login", "login", "self"),
    "logout_history": ("security_login", "logout", "self"),
    "registration_info": ("security_login", "account_created", "self"),
    "password_change_history": ("security_login", "password_change", "self"),
    # devices.json, contacts.json
    "devices": ("security_login", "device", "self"),
    "contacts": ("connections", "contact", "self"),
}

LEGACY_TEXT = ("text", "caption", "comment", "search click", "answer", "response", "value", "user agent")
LEGACY_WHO = ("media owner", "author", "username", "user", "sender", "owner")


def legacy_file(category: str, kind: str) -> Handler:
    """A 2018-2020 flat file: each wrapped list (or the bare list) is read by LEGACY_KEYS."""

    def handler(member: Member, ctx: ParseContext) -> HandlerResult:
        for key, record in records_of(member, split_maps=True):
            category_here, kind_here, actor = LEGACY_KEYS.get(key, (category, kind or key or "record", "self"))
            if isinstance(record, tuple):  # {username: date} of connections.json
                name, value = record
                if category_here == "connections" and kind_here != "hashtag_followed":
                    ctx.account.people.add(fix_mojibake(name))
                yield Item(category_here, kind_here, iso_seconds(value) or to_epoch_seconds(value), actor,
                           fix_mojibake(name))
            elif isinstance(record, list):  # [date, text, owner] / [date, username]
                strings = [fix_mojibake(v) for v in record if isinstance(v, str)]
                when = next((t for t in map(iso_seconds, strings) if t is not None), None)
                rest = [s for s in strings if iso_seconds(s) is None]
                who = rest[-1] if rest else ""
                text = rest[0] if len(rest) > 1 else ""
                yield Item(category_here, kind_here, when, actor, who, text)
            elif isinstance(record, dict):
                fields = flatten(record)
                yield Item(category_here, kind_here, fields.when, actor, fields.get(*LEGACY_WHO),
                           fields.get(*LEGACY_TEXT))
            elif record not in (None, ""):  # settings.json: {setting: value}
                yield Item(category_here, kind_here, None, actor, "", f"{key}: {fix_mojibake(record)}")

    handler.__doc__ = f"2018-2020 flat file ({category}/{kind})"
    return handler


#: media.json wrapper keys -> (category, kind).
LEGACY_MEDIA = {"photos": ("posts", "photo"), "videos": ("posts", "video"), "stories": ("stories_reels", "story"),
                "profile": ("photos_videos", "profile_photo"), "direct": ("messages", "direct_media")}


def legacy_media(member: Member, ctx: ParseContext) -> HandlerResult:
    """2018-2020 media.json: {photos: [{caption, taken_at, path}], videos, stories, profile, direct}."""
    for key, record in records_of(member):
        if not isinstance(record, dict):
            continue
        category, kind = LEGACY_MEDIA.get(key, ("photos_videos", key or "media"))
        path = record.get("path") or ""
        count, size = ctx.media_bytes([path] if path else [])
        yield Item(category, kind, iso_seconds(record.get("taken_at")), "self", "",
                   fix_mojibake(record.get("caption") or ""), count, size)


def legacy_messages(member: Member, ctx: ParseContext) -> HandlerResult:
    """2018-2020 messages.json: [{participants: [usernames], conversation: [{sender, created_at, text}]}].

    Streamed event by event: one conversation can hold a hundred thousand messages.
    """
    participants: list[str] = []
    with member.open() as stream:
        events = ((p, e, v) for p, e, v in ijson.parse(stream, use_float=True))
        for prefix, event, value in events:
            if prefix == "item" and event == "start_map":
                participants = []
            elif prefix == "item.participants.item" and event == "string":
                participants.append(fix_mojibake(value))
            elif prefix == "item.conversation.item" and event == "start_map":
                message = meta_common.build_value(event, value, ((e, v) for _p, e, v in events))
                sender = fix_mojibake(message.get("sender") or "")
                others = [p for p in participants if p != sender and not ctx.account.is_owner(p)]
                actor = meta_common.actor_of(sender, ctx)
                counterpart = ", ".join(others) if actor == "self" else sender
                media = [message[k] for k in ("media", "voice_media") if isinstance(message.get(k), str)]
                count, size = ctx.media_bytes(m for m in media if "://" not in m)
                ctx.account.people.update(participants)
                yield Item("messages", "message", iso_seconds(message.get("created_at")), actor, counterpart,
                           fix_mojibake(message.get("text") or ""), max(count, len(media)), size, sender)


# =================================================================================================
# The table
# =================================================================================================

YIA = r"(?:your_instagram_activity/)?"  # 2023+: the activity section; 2021-22: folders at the root
CONTENT = YIA + r"(?:content|media)/"  # content/ (2021-24) became media/ (2025)
STORY_ACT = YIA + r"(?:story_sticker_interactions|story_interactions)/"  # renamed 2025
FOLLOW = r"(?:connections/)?followers_and_following/"  # under connections/ from 2023
PERSONAL = r"(?:account_information/|personal_information/(?:personal_information/)?)"  # 2021 / 2022 / 2024+
ABOUT_YOU = r"(?:personal_information/)?information_about_you/"
DEVICES = r"(?:personal_information/)?device_information/"
LOGGED = r"(?:logged_information/)?"
ADS = r"(?:ads_information/)?(?:ads_and_topics|ads_and_content|instagram_ads_and_businesses|ads_and_businesses)/"
LOGIN = r"(?:security_and_login_information/)?(?:login_and_profile_creation|login_and_account_creation)/"
PREFS = r"(?:preferences/)?"
OFF_META = r"(?:apps_and_websites_off_of_instagram/)?apps_and_websites/"
JSON = r"\.json"
PAGED = r"(?:_\d+)?\.json"  # posts_1.json, followers_1.json ... natural-sorted by the runner

MEDIA_REASON = "media file: its bytes are counted with the item that uses it"
_MEDIA_EXT = "|".join(sorted(MEDIA_EXTENSIONS))

RULES = [
    # ---- media members first: counted through the records that reference them -------------------
    ignore(rf".*\.(?:{_MEDIA_EXT})", MEDIA_REASON),
    # Media without an extension (media/stories/202209/FQIoAkMz..._17904857999576778); 2018 folders.
    ignore(r"media/(?:posts|stories|reels|profile|other|archived_posts|igtv|recently_deleted|[^/]+)/\d{6}/[^/.]+",
           MEDIA_REASON),
    ignore(r"(?:photos|videos|stories|direct|profile|media)/\d{6}/[^/]+", MEDIA_REASON),
    ignore(YIA + r"messages/(?:[^/]+/)*(?:photos|videos|audio|gifs|files)/[^/]+", MEDIA_REASON),
    # ---- empty categories and the HTML pages of an HTML export --------------------------------------
    ignore(r"(?:.*/)?no-data\.txt", "the export says this category holds no data"),
    ignore(r"(?:.*/)?(?:start_here|index)\.html|files/.*", "page of the export's HTML viewer, no data of its own"),

    # ---- account context, read before everything else ----------------------------------------------
    handle(PERSONAL + r"personal_information" + JSON, profile, "profile", first=True),
    handle(r"profile" + JSON, profile, "profile", first=True),  # 2018-2020
    handle(LOGIN + r"(?:profile|account)_privacy_changes" + JSON, privacy_changes, "security_login", first=True),

    # ---- posts, stories, reels, IGTV, archived, profile photos (content/ -> media/) ---------------
    handle(CONTENT + r"posts" + PAGED, media_records("posts", "post"), "posts"),
    handle(CONTENT + r"archived_posts" + JSON, media_records("posts", "archived_post"), "posts"),
    handle(CONTENT + r"stories" + JSON, media_records("stories_reels", "story"), "stories_reels"),
    handle(CONTENT + r"reels" + JSON, media_records("stories_reels", "reel"), "stories_reels"),
    handle(CONTENT + r"igtv_videos" + JSON, media_records("stories_reels", "igtv"), "stories_reels"),
    handle(CONTENT + r"profile_photos" + JSON, media_records("photos_videos", "profile_photo"), "photos_videos"),
    handle(CONTENT + r"other_content" + JSON, media_records("photos_videos", ""), "photos_videos"),
    handle(CONTENT + r"recently_deleted_content" + JSON, media_records("photos_videos", "deleted_media"),
           "photos_videos"),
    handle(CONTENT + r"[^/]+" + JSON, media_records("photos_videos", ""), "photos_videos"),

    # ---- comments: post comments (2021 wrapped, 2023+ bare list), reels, stories ("hype") ----------
    handle(YIA + r"comments/post_comments" + PAGED, comments("comment"), "comments"),
    handle(YIA + r"comments/reels_comments" + PAGED, comments("reel_comment"), "comments"),
    handle(YIA + r"comments/hype" + JSON, comments("story_comment"), "comments"),
    handle(YIA + r"comments/[^/]+" + JSON, comments("comment"), "comments"),

    # ---- likes: posts and comments (v0 string_list_data with title = owner, v1 label_values) ------
    handle(YIA + r"likes/liked_posts" + PAGED, records("reactions", "like", who=WHO_OWNER, people="accounts"), "reactions"),
    handle(YIA + r"likes/liked_comments" + PAGED, records("reactions", "comment_like", who=WHO_OWNER, people="accounts"), "reactions"),
    handle(YIA + r"likes/[^/]+" + JSON, records("reactions", "like", who=WHO_OWNER, people="accounts"), "reactions"),

    # ---- story interactions (story_sticker_interactions/ -> story_interactions/) ------------------
    handle(STORY_ACT + r"story_likes" + JSON, records("reactions", "story_like", who=WHO_OWNER, people="accounts"), "reactions"),
    handle(STORY_ACT + r"(?:emoji_story_reactions|avatar_story_reactions|story_reaction_sticker_reactions)" + JSON,
           records("reactions", "story_reaction", who=WHO_OWNER, text=("value",), people="accounts"), "reactions"),
    # polls, quizzes, emoji sliders, questions, countdowns ...: title = the story's owner, value = the answer
    handle(STORY_ACT + r"[^/]+" + JSON,
           records("reactions", "story_interaction", who=("title", "owner.username", "author"),
                   text=("value", "answer", "response"), people="accounts"), "reactions"),

    # ---- saved ---------------------------------------------------------------------------------
    handle(YIA + r"saved/saved_posts" + JSON, records("other", "saved", who=("title", "saved on"), people="accounts"), "other"),
    handle(YIA + r"saved/saved_collections" + JSON, saved_collections, "other"),
    handle(YIA + r"saved/[^/]+" + JSON, records("other", "saved", who=("title", "name"), people="accounts"), "other"),

    # ---- messages: threads (same format as Messenger), Meta AI, reports, device metadata ---------
    handle(YIA + r"messages/(?:[^/]+/)?[^/]+/message_\d+" + JSON, message_thread, "messages"),
    ignore(YIA + r"messages/(?:[^/]+/)?[^/]+/replies_\d+" + JSON,
           "reply links between messages already counted in message_N.json", "messages"),
    handle(YIA + r"messages/ai_conversations(?:_\d+)?" + JSON, ai_conversations, "ai_interactions"),
    handle(YIA + r"messages/ai_conversations/.*" + JSON, ai_conversations, "ai_interactions"),
    handle(YIA + r"messages/secret_conversations" + JSON, secret_conversations, "security_login"),
    handle(YIA + r"messages/reported_conversations" + JSON,
           records("messages", "reported_conversation", who=("reportee", "reporter")), "messages"),
    handle(YIA + r"messages/[^/]+" + JSON, settings_records, "settings"),  # chat settings, notifications

    # ---- Threads app (2025+) ----------------------------------------------------------------------
    handle(YIA + r"threads/threads_and_replies" + JSON, media_records("posts", "threads_post"), "posts"),
    handle(YIA + r"threads/liked_threads" + JSON, records("reactions", "threads_like", who=WHO_OWNER, people="accounts"), "reactions"),
    handle(YIA + r"threads/threads_viewed" + JSON,
           records("activity_log", "threads_viewed", who=WHO_OWNER), "activity_log"),
    handle(YIA + r"threads/followers" + JSON, relation("threads_follower", "other"), "connections"),
    handle(YIA + r"threads/following" + JSON, relation("threads_following"), "connections"),
    handle(YIA + r"threads/(?:pending_follow_requests|follow_requests_you've_received|recently_unfollowed_profiles"
           r"|blocked_profiles|restricted_profiles)" + JSON, relation("threads_relation"), "connections"),
    handle(YIA + r"threads/personal_information" + JSON,
           records("profile", "threads_profile", text=("bio",)), "profile"),
    handle(YIA + r"threads/[^/]+" + JSON, settings_records, "settings"),  # feeds, home deck, settings

    # ---- Meta AI interest inferences (2025+) -------------------------------------------------------
    handle(YIA + r"ai/interest_categories" + JSON,
           records("ads_interests", "ai_interest_category", actor="system", text=("interest", "name", "value", "title")),
           "ads_interests"),
    handle(YIA + r"ai/[^/]+" + JSON, ai_conversations, "ai_interactions"),

    # ---- smaller activity folders (2025+: shopping/, events/, edits/, other_activity/ ...) ---------
    handle(YIA + r"shopping/recently_viewed_items" + JSON,
           records("marketplace_shopping", "product_viewed", text=("product name", "name", "title"),
                   who=("merchant name", "merchant")), "marketplace_shopping"),
    handle(YIA + r"shopping/wishlist_items" + JSON,
           records("marketplace_shopping", "wishlist_item", text=("product name", "name", "title"),
                   who=("merchant name", "merchant")), "marketplace_shopping"),
    handle(YIA + r"shopping/[^/]+" + JSON, records("marketplace_shopping", "shopping", text=("name", "title")),
           "marketplace_shopping"),
    handle(YIA + r"events/[^/]+" + JSON, records("activity_log", "event_reminder", text=("title", "name")),
           "activity_log"),
    handle(YIA + r"edits/[^/]+" + JSON, records("profile", "profile_change", text=("title",)), "profile"),
    handle(YIA + r"monetization/[^/]+" + JSON, records("other", "monetization", text=("title",)), "other"),
    handle(YIA + r"subscriptions/[^/]+" + JSON, records("other", "subscription", who=WHO_LISTED), "other"),
    handle(YIA + r"avatars_store/[^/]+" + JSON, records("other", "avatar", text=("title",)), "other"),
    handle(YIA + r"(?:other_activity|fundraisers|gifts|live|reports)/[^/]+" + JSON,
           records("activity_log", "activity", text=("title",)), "activity_log"),

    # ---- followers and following (followers.json {relationships_followers} -> bare followers_N) ---
    handle(FOLLOW + r"followers" + PAGED, relation("follower", "other"), "connections"),
    handle(FOLLOW + r"following" + PAGED, relation("following"), "connections"),
    handle(FOLLOW + r"close_friends" + JSON, relation("close_friend"), "connections"),
    handle(FOLLOW + r"blocked_(?:profiles|accounts|users)" + JSON, relation("blocked"), "connections"),
    handle(FOLLOW + r"restricted_(?:profiles|accounts|users)" + JSON, relation("restricted"), "connections"),
    handle(FOLLOW + r"(?:pending_follow_requests|recent_follow_requests)" + JSON,
           relation("follow_request_sent"), "connections"),
    handle(FOLLOW + r"follow_requests_you(?:'|_)ve_received" + JSON,
           relation("follow_request_received", "other"), "connections"),
    handle(FOLLOW + r"recently_unfollowed_(?:profiles|accounts)" + JSON, relation("unfollowed"), "connections"),
    handle(FOLLOW + r"following_hashtags" + JSON, relation("hashtag_followed"), "connections"),
    handle(FOLLOW + r"removed_suggestions" + JSON, relation("removed_suggestion"), "connections"),
    handle(FOLLOW + r"hide_story_from" + JSON, relation("hidden_story_from"), "connections"),
    handle(FOLLOW + r"profiles_you(?:'|_)ve_favorited" + JSON, relation("favorite"), "connections"),
    handle(FOLLOW + r"[^/]+" + JSON, relation("relation"), "connections"),
    handle(r"(?:connections/)?contacts/[^/]+" + JSON,
           records("connections", "contact", who=("first name", "name", "contact information"), people=True),
           "connections"),

    # ---- personal information --------------------------------------------------------------------
    handle(PERSONAL + r"(?:profile_changes|account_changes)" + JSON,
           records("profile", "profile_change", text=("changed", "new value", "value", "title")), "profile"),
    handle(PERSONAL + r"[^/]+" + JSON, records("profile", "profile_info", text=("title",)), "profile"),
    handle(ABOUT_YOU + r"(?:ads_interests|your_topics)" + JSON,  # 2021-22 {inferred_data_ig_interest}
           records("ads_interests", "ad_interest", actor="system", text=("interest", "name", "value", "title")),
           "ads_interests"),
    handle(ABOUT_YOU + r"(?:profile_based_in|locations_of_interest|account_based_in)" + JSON,
           records("location", "inferred_location", actor="system", text=("city name", "location", "name", "value",
                                                                            "locations of interest")), "location"),
    handle(ABOUT_YOU + r"[^/]+" + JSON, records("profile", "inferred_info", actor="system",
                                                text=("value", "title")), "profile"),
    handle(DEVICES + r"devices" + JSON, records("security_login", "device", text=("user agent", "device")),
           "security_login"),
    handle(DEVICES + r"[^/]+" + JSON, records("security_login", "device_info", text=("title",)), "security_login"),
    handle(r"(?:personal_information/)?autofill_information/[^/]+" + JSON, settings_records, "settings"),

    # ---- logged information: searches, link history, insights, policy notices ---------------------
    handle(LOGGED + r"recent_searches/(?:word_or_phrase|keyword)_searches" + JSON,
           records("search_history", "search", text=("search", "value", "title")), "search_history"),
    handle(LOGGED + r"recent_searches/[^/]+" + JSON,  # profile_searches, tag_searches, place_searches, ...
           records("search_history", "search", text=("value", "title", "search")), "search_history"),
    handle(LOGGED + r"link_history/[^/]+" + JSON,
           records("activity_log", "link_visit", text=("website link that you visited", "url", "value"),
                   who=("title of website page that you visited",)), "activity_log"),
    handle(LOGGED + r"past_instagram_insights/[^/]+" + JSON,
           records("activity_log", "insight", actor="system", text=("title",)), "activity_log"),
    handle(LOGGED + r"policy_updates_and_permissions/[^/]+" + JSON,
           records("activity_log", "policy_notice", actor="system", text=("title",)), "activity_log"),

    # ---- ads: viewed, clicked, seen content, advertisers, categories, interests --------------------
    handle(ADS + r"ads_viewed" + JSON, records("ads_interests", "ad_viewed", who=WHO_AUTHOR, text=("title",)),
           "ads_interests"),
    handle(ADS + r"ads_clicked" + JSON, records("ads_interests", "ad_clicked", who=WHO_AUTHOR, text=("title",)),
           "ads_interests"),
    handle(ADS + r"posts_viewed" + JSON, records("activity_log", "post_viewed", who=WHO_AUTHOR, people="accounts"), "activity_log"),
    handle(ADS + r"videos_watched" + JSON, records("activity_log", "video_watched", who=WHO_AUTHOR, people="accounts"), "activity_log"),
    handle(ADS + r"suggested_(?:profiles|accounts)_viewed" + JSON,
           records("activity_log", "profile_suggestion_viewed", who=WHO_AUTHOR, people="accounts"), "activity_log"),
    handle(ADS + r"(?:posts|profiles|accounts)_you(?:'|_)re_not_interested_in" + JSON,
           records("activity_log", "not_interested", who=WHO_AUTHOR), "activity_log"),
    handle(ADS + r"advertisers_using_your_activity_or_information" + JSON,
           records("ads_interests", "advertiser", actor="system", who=("advertiser name", "name", "title")),
           "ads_interests"),
    handle(ADS + r"other_categories_used_to_reach_you" + JSON, vec_values("ads_interests", "ad_category"),
           "ads_interests"),
    handle(ADS + r"(?:ads_interests|your_topics)" + JSON,
           records("ads_interests", "ad_interest", actor="system", text=("interest", "name", "value", "title")),
           "ads_interests"),
    handle(ADS + r"information_you(?:'|_)ve_submitted_to_advertisers" + JSON,
           records("ads_interests", "lead_form", text=("title",)), "ads_interests"),
    handle(ADS + r"[^/]+" + JSON, records("ads_interests", "ad_preference", text=("title",)), "ads_interests"),

    # ---- off-Meta activity --------------------------------------------------------------------------
    handle(OFF_META + r"your_activity_off_meta_technologies_settings" + JSON, settings_records, "settings"),
    handle(OFF_META + r"[^/]+" + JSON, off_meta_activity, "off_platform_activity"),

    # ---- logins, devices, profile creation ----------------------------------------------------------
    handle(LOGIN + r"login_activity" + JSON, records("security_login", "login"), "security_login"),
    handle(LOGIN + r"logout_activity" + JSON, records("security_login", "logout"), "security_login"),
    handle(LOGIN + r"(?:signup_details|signup_information)" + JSON,
           records("security_login", "account_created"), "security_login"),
    handle(LOGIN + r"password_change_activity" + JSON, records("security_login", "password_change"),
           "security_login"),
    handle(LOGIN + r"last_known_location" + JSON,
           records("location", "last_known_location", actor="system", text=("imprecise location", "city", "value")),
           "location"),
    handle(LOGIN + r"[^/]+" + JSON, records("security_login", "account_history"), "security_login"),

    # ---- preferences: settings, topics ------------------------------------------------------------
    handle(PREFS + r"your_topics/[^/]+" + JSON,
           records("ads_interests", "topic", actor="system", text=("name", "value", "title")), "ads_interests"),
    handle(PREFS + r"(?:settings|media_settings|comments_settings|privacy_settings)/[^/]+" + JSON,
           settings_records, "settings"),
    handle(r"preferences/[^/]+/[^/]+" + JSON, settings_records, "settings"),

    # ---- 2018-2020 flat files at the root --------------------------------------------------------
    handle(r"media" + JSON, legacy_media, "posts"),
    handle(r"messages" + JSON, legacy_messages, "messages"),
    handle(r"comments" + JSON, legacy_file("comments", "comment"), "comments"),
    handle(r"likes" + JSON, legacy_file("reactions", "like"), "reactions"),
    handle(r"saved" + JSON, legacy_file("other", "saved"), "other"),
    handle(r"connections" + JSON, legacy_file("connections", "relation"), "connections"),
    handle(r"searches" + JSON, legacy_file("search_history", "search"), "search_history"),
    handle(r"seen_content" + JSON, legacy_file("activity_log", "seen"), "activity_log"),
    handle(r"stories_activities" + JSON, legacy_file("reactions", "story_interaction"), "reactions"),
    handle(r"account_history" + JSON, legacy_file("security_login", "account_history"), "security_login"),
    handle(r"devices" + JSON, legacy_file("security_login", "device"), "security_login"),
    handle(r"contacts" + JSON, legacy_file("connections", "contact"), "connections"),
    handle(r"(?:settings|autofill|checkout|information_about_you|uploaded_contacts|fundraisers|shopping)" + JSON,
           legacy_file("settings", "setting"), "settings"),
]

#: Sections of the export (and folders of the activity section): a JSON file in one that no rule
#: above names is read by the generic record reader, in the section's category. Files outside
#: every section stay unknown.
SECTIONS = [
    (CONTENT[:-1], "posts"), (YIA + "comments", "comments"), (YIA + "likes", "reactions"),
    (STORY_ACT[:-1], "reactions"), (YIA + "saved", "other"), (YIA + "messages", "messages"),
    (YIA + "threads", "posts"), (YIA + "ai", "ai_interactions"), (YIA + "shopping", "marketplace_shopping"),
    (YIA + "(?:events|other_activity|fundraisers|gifts|live|reports)", "activity_log"), (YIA + "edits", "profile"),
    (YIA + "(?:monetization|subscriptions|avatars_store)", "other"),
    (r"(?:connections|followers_and_following|contacts)", "connections"),
    (r"(?:personal_information|account_information|information_about_you|device_information|"
     r"autofill_information)", "profile"),
    (r"(?:logged_information|recent_searches|link_history|past_instagram_insights|policy_updates_and_permissions)",
     "activity_log"),
    (r"(?:ads_information|ads_and_topics|ads_and_content|instagram_ads_and_businesses|ads_and_businesses)",
     "ads_interests"),
    (r"(?:apps_and_websites_off_of_instagram|apps_and_websites)", "off_platform_activity"),
    (r"(?:security_and_login_information|login_and_profile_creation|login_and_account_creation)", "security_login"),
    (r"(?:preferences|settings|media_settings|comments_settings|privacy_settings|your_topics)", "settings"),
]

#: One table for JSON and HTML exports: every `.json` rule also takes the `.html` page of that name
#: (parsers.meta_html_records); instagram_html adds the shapers of pages shaped unlike their twin.
TABLE = meta_table(PLATFORM, meta_common.mark_generic(RULES) + meta_common.generic_sections(SECTIONS),
                   shapers=instagram_html.shapers(YIA), json_only=instagram_html.JSON_ONLY)


def table_for(detection: Detection) -> HandlerTable:
    """One table for every generation: the patterns carry the generations' differences."""
    return TABLE
