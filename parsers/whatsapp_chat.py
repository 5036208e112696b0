"""WhatsApp "Export chat" text files: format detection from evidence, streaming read, bulk timestamps.

A chat export is a plain-text log whose line format follows the phone's platform, locale and clock
settings (see shared/reference/whatsapp-formats.md section 1). The reader works in three steps:

1. Detect the line format (brackets or not, date separator, header ending) from a sample of the
   first lines, then compile one regex for it. Nothing is guessed per line.
2. Stream the file line by line. A header line starts a message; other lines continue it, unless
   they look like a header in another shape, in which case they are counted in a problem row
   instead of being merged into someone else's message. Per message only compact fields are kept:
   the raw date-time text, an author code, the body, a kind code.
3. Convert all date-time strings at once (one vectorised pass). The day/month order is decided from
   the whole file: a field over 12 decides; otherwise the order whose dates run forwards wins;
   otherwise the likelier order is chosen and a problem says so.

Timestamps: WhatsApp prints local wall-clock time without a zone ("times as shown on the phone").
They are stored as if that wall-clock time were UTC, so the hour the user saw is the hour shown.
"""
from __future__ import annotations

import re
import unicodedata
from array import array
from dataclasses import dataclass, field
from itertools import chain, islice
from typing import IO, Callable, Iterable, Iterator

import numpy as np
import pandas as pd

from .common import iter_text_lines
from .contract import AccountContext, Item, Problem
from .handlers import UntilCancelled

# ---- characters ----------------------------------------------------------------------------------

#: Direction marks, isolates and BOMs: noise in headers and author names (kept inside bodies).
INVISIBLE = "\u200e\u200f\ufeff\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
_INVISIBLE_RE = re.compile(f"[{INVISIBLE}]")
_SPACES = "\u00a0\u202f"
_LEAD = f"[{INVISIBLE}]*"
#: Meridiem words: AM/PM in any case, with dots and (no-break) spaces, and the CJK words.
_CJK_MER = "上午|下午|午前|午後|오전|오후"
_MERIDIEM = rf"(?:[AaPp]\.?[ {_SPACES}]?[Mm]\.?|{_CJK_MER})"

# ---- line formats ----------------------------------------------------------------------------------


def _datetime_pattern(sep: str) -> str:
    """The date-time span of a header with the date separator `sep` (a regex character class)."""
    return (rf"\d{{1,4}}{sep}\d{{1,2}}{sep}\d{{1,4}}"
            rf"(?:,?[ {_SPACES}](?:à |klo )?|,)"           # joiner: ", " or " " or " à " or " klo "
            rf"(?:(?:{_CJK_MER}) ?)?"                        # CJK meridiem before the time
            rf"\d{{1,2}}[:.]\d{{2}}(?:[:.]\d{{2}})?"         # time, ':' or '.', seconds optional
            rf"(?:[ {_SPACES}]*{_MERIDIEM})?")


#: Header endings: Android " - ", iOS "] ", legacy (2012-14) ": ".
ENDINGS = {"android": rf"[ {_SPACES}]*-(?: |$)", "ios": rf"\][ {_SPACES}]?", "legacy": ": "}

#: Any header shape at all, to sample which one a file uses.
_ANY_HEADER = re.compile(
    rf"{_LEAD}(?P<br>\[)?(?:\d{{1,4}}(?P<sep>[./-])\d{{1,2}}(?P=sep)\d{{1,4}}).*?"
    rf"(?(br)(?P<ios>\])|(?:(?P<android>[ {_SPACES}]*- )|(?P<legacy>: )))")
_ANY_HEADER_STRICT = {
    sep: re.compile(rf"{_LEAD}(?P<br>\[)?{_datetime_pattern(re.escape(sep))}"
                    rf"(?(br)(?P<ios>\])|(?:(?P<android>[ {_SPACES}]*-(?: |$))|(?P<legacy>: )))")
    for sep in "./-"
}

#: A line that starts like a header (date, time, an ending) but not in the file's format: such a
#: line cannot be a continuation of the message before it.
_HEADER_LIKE = re.compile(
    rf"{_LEAD}\[?\d{{1,4}}[./-]\d{{1,2}}[./-]\d{{1,4}},?[ {_SPACES}]\S*?\d{{1,2}}[:.]\d{{2}}\S*"
    rf"[ {_SPACES}]*(?:- |\] ?|: )")


@dataclass(frozen=True)
class LineFormat:
    """What the sample showed: brackets, date separator, header ending."""

    bracket: bool
    sep: str
    ending: str  # android | ios | legacy

    @property
    def regex(self) -> re.Pattern[str]:
        open_ = r"\[" if self.bracket else ""
        ending = ENDINGS["ios"] if self.bracket else ENDINGS[self.ending]
        return re.compile(rf"{_LEAD}{open_}(?P<dt>{_datetime_pattern(re.escape(self.sep))}){ending}(?P<rest>.*)",
                          re.DOTALL)

    def describe(self) -> str:
        shape = "[date, time]" if self.bracket else f"date, time {'-' if self.ending == 'android' else ':'}"
        return f"{shape} with '{self.sep}' between date fields"


def detect_line_format(sample: Iterable[str]) -> LineFormat | None:
    """The most common header shape among the sample's header lines (None when there is none)."""
    votes: dict[LineFormat, int] = {}
    for line in sample:
        if not line[:1].isdigit() and line[:1] not in f"[{INVISIBLE}":
            continue
        shape = _ANY_HEADER.match(line)
        if shape is None:
            continue
        strict = _ANY_HEADER_STRICT[shape["sep"]].match(line)
        if strict is None:
            continue
        ending = "ios" if strict["br"] else ("android" if strict["android"] is not None else "legacy")
        key = LineFormat(bool(strict["br"]), shape["sep"], ending)
        votes[key] = votes.get(key, 0) + 1
    if not votes:
        return None
    return max(votes.items(), key=lambda kv: kv[1])[0]


# ---- bodies ----------------------------------------------------------------------------------------

KINDS = ("text", "media", "deleted", "edited", "location", "poll", "system")
TEXT, MEDIA, DELETED, EDITED, LOCATION, POLL, SYSTEM = range(len(KINDS))

#: "<Media omitted>" as Android writes it without media, per language (compared case-folded).
MEDIA_OMITTED = frozenset(s.casefold() for s in (
    "<Media omitted>", "<Medien ausgeschlossen>", "<Medien weggelassen>", "<Multimedia omitido>",
    "<Archivo omitido>", "<Multimedia omitida>", "<Médias omis>", "<Fichier omis>", "<Media omessi>",
    "<Media weggelaten>", "<Mídia omitida>", "<Mídia oculta>", "<Multimédia omitido>", "<Без медиафайлов>",
    "<Медиафайл отсутствует>", "<メディアなし>", "<省略多媒体文件>", "<省略影音>", "<미디어 파일 생략>",
    "<Medya dahil edilmedi>", "<Media dihilangkan>", "<Pominięto multimedia>", "<Media utelatt>",
    "<Media utelämnad>", "<Media udeladt>", "<Media jätetty pois>", "<Μέσα παραλείφθηκαν>",
    "<Média elhagyva>", "<Média vynechána>", "<Media omise>", "<Медіа пропущено>", "<الوسائط محذوفة>",
    "<המדיה לא נכללה>", "<मीडिया छोड़ दिया गया>", "<Media tidak disertakan>", "<Bỏ qua tệp phương tiện>",
    "<ไม่รวมสื่อ>",
))
#: iOS writes one placeholder per media type ("image omitted"), usually after an LRM.
_IOS_OMITTED = re.compile(
    r"(?:image|video|audio|sticker|GIF|document|Contact card|photo) omitted"
    r"|(?:Bild|Video|Audio|Sticker|GIF|Dokument|Kontaktkarte) weggelassen"
    r"|(?:imagen|video|audio|sticker|GIF|documento) omitid[oa]|tarjeta de contacto omitida"
    r"|(?:image|vidéo|audio|autocollant|GIF|document) absente?|(?:imagem|vídeo|áudio|figurinha|GIF|documento) ocultad[oa]"
    r"|(?:immagine|video|audio|sticker|GIF|documento) omess[oa]|(?:afbeelding|video|audio|sticker|GIF|document) weggelaten"
    r"|.{0,40} omitted",
    re.IGNORECASE)
#: Android with media: "IMG-20210428-WA0001.jpg (file attached)" and its translations.
_ANDROID_ATTACHED = re.compile(
    r"(?P<name>[^\n]+?) \((?:file attached|Datei angehängt|arquivo anexado|archivo adjunto|fichier joint"
    r"|file allegato|bestand bijgevoegd|файл прикреплен|dosya ekli|plik załączony|fil vedhæftet"
    r"|fil bifogad|fil vedlagt|tiedosto liitetty|fișier atașat|soubor připojen|fájl csatolva|αρχείο επισυνάφθηκε"
    r"|ملف مرفق|קובץ מצורף|file terlampir|tệp đính kèm|ファイル添付|附件|파일 첨부)\)",
    re.IGNORECASE)
#: iOS with media: "<attached: 00000042-PHOTO-2020-06-07-15-13-20.jpg>" and translations; pre-2017 "<attached>".
_IOS_ATTACHED = re.compile(
    r"<\s*(?:attached|Anhang|adjunto|allegato|anexo|anexado|pièce jointe|joint|bijlage|вложение|ek|załącznik"
    r"|bilaga|vedlegg|vedhæftet|liite|添付ファイル|附件|첨부)\s*:\s*(?P<name>[^>\n]+?)\s*>"
    r"|(?P<old>[^\n<]+?) <attached>", re.IGNORECASE)
_DELETED = frozenset(s.casefold() for s in (
    "This message was deleted", "This message was deleted.", "You deleted this message",
    "You deleted this message.", "Diese Nachricht wurde gelöscht.", "Diese Nachricht wurde gelöscht",
    "Du hast diese Nachricht gelöscht.", "Du hast diese Nachricht gelöscht",
    "Se eliminó este mensaje.", "Eliminaste este mensaje.", "Este mensaje fue eliminado.",
    "Ce message a été supprimé.", "Ce message a été supprimé", "Vous avez supprimé ce message.",
    "Vous avez supprimé ce message", "Questo messaggio è stato eliminato.", "Questo messaggio è stato eliminato",
    "Hai eliminato questo messaggio.", "Hai eliminato questo messaggio",
    "Mensagem apagada", "Esta mensagem foi apagada", "Você apagou esta mensagem", "Você apagou esta mensagem.",
    "Dit bericht is verwijderd", "Dit bericht is verwijderd.", "Je hebt dit bericht verwijderd",
    "Je hebt dit bericht verwijderd.", "Это сообщение удалено", "Данное сообщение удалено",
    "Вы удалили это сообщение", "Bu mesaj silindi", "Bu mesajı sildiniz",
))
_EDITED = re.compile(
    r"[ \u200e]*<(?:This message was edited|Diese Nachricht wurde bearbeitet|Se editó este mensaje\.?"
    r"|Mensagem editada|Ce message a été modifié|Questo messaggio è stato modificato"
    r"|Dit bericht is bewerkt|Сообщение изменено|Bu mesaj düzenlendi)>$", re.IGNORECASE)
_LOCATION = re.compile(
    r"(?:location|Standort|Ubicación|Localização|Localisation|Posizione|Locatie|Местоположение|Konum)"
    r": https?://\S+|live location shared|Live-Standort wird geteilt\.?|Ubicación en tiempo real compartida"
    r"|Localização em tempo real compartilhada", re.IGNORECASE)
_POLL = ("POLL:", "UMFRAGE:", "ENCUESTA:", "ENQUETE:", "SONDAGE:", "SONDAGGIO:", "PEILING:", "ОПРОС:")

#: System notices whatever sits in the author slot (end-to-end notices, business notices).
_SYSTEM_NOTICE = re.compile(
    r"Messages and calls are end-to-end encrypted|Messages to this group are now secured"
    r"|Messages you send to this (?:group|chat) are now secured|This business uses a secure service"
    r"|This chat is with a business account|Nachrichten und Anrufe sind Ende-zu-Ende-verschlüsselt"
    r"|Los mensajes y las llamadas están cifrados de extremo a extremo"
    r"|As mensagens e (?:as )?(?:ligações|chamadas) são protegidas com a criptografia de ponta a ponta"
    r"|Les messages et les appels sont chiffrés de bout en bout"
    r"|I messaggi e le chiamate sono crittografati end-to-end|Berichten en gesprekken zijn end-to-end versleuteld",
    re.IGNORECASE)
#: iOS puts the acting person in the author slot and repeats the name in the text:
#: "~ AK: ~ AK created this group". What may follow the name for the line to be a notice.
_SYSTEM_AFTER_NAME = re.compile(
    r" (?:created (?:this )?group|created group|added|removed|left|joined using this group's invite link"
    r"|changed (?:the subject|the group name|this group's icon|the group description|their phone number|to)"
    r"|deleted this group's icon|was added|was removed|changed the group|turned (?:on|off) disappearing"
    r"|hast den Gruppennamen|hat den Gruppennamen|hast die Gruppe|hat die Gruppe|hat .* hinzugefügt|hat die Gruppe verlassen|ist beigetreten|hat .* entfernt"
    r"|creó el grupo|añadió|salió|se unió|criou o grupo|adicionou|saiu|entrou|a créé le groupe|a ajouté|est parti"
    r"|ha creato il gruppo|ha aggiunto|è uscito)", re.IGNORECASE)


#: Locations and system notices start the body: one anchored regex call tells them apart.
_ANCHORED = re.compile(f"(?P<location>{_LOCATION.pattern})|(?P<notice>{_SYSTEM_NOTICE.pattern})", re.IGNORECASE)
_OMIT_ENDINGS = ("omitted", "weggelassen", "omitido", "omitida", "absent", "absente", "ocultado", "ocultada",
                 "omesso", "omessa", "weggelaten")


def classify(author: str | None, body: str, chat: str) -> tuple[int, str, str | None]:
    """(kind, text, attachment name) for one message body. `author` None means a system line.

    Leading direction marks are header noise and leave the text; on iOS they also mark system
    notices, which is why the body arrives here with them.
    """
    head = body.lstrip(INVISIBLE) if body[:1] in INVISIBLE and body else body
    marked = head is not body
    if author is None:
        return SYSTEM, head, None
    if not head:
        return TEXT, head, None
    first = head.split("\n", 1)[0]
    if len(first) < 64:
        folded = first.strip().casefold()
        if folded in MEDIA_OMITTED or (folded.endswith(_OMIT_ENDINGS) and _IOS_OMITTED.fullmatch(folded)):
            return MEDIA, head, ""
        if folded in _DELETED:
            return DELETED, head, None
    if "(" in first:
        attached = _ANDROID_ATTACHED.match(first)
        if attached:
            return MEDIA, head, attached["name"].strip(INVISIBLE + " ")
    if "<" in first:
        attached = _IOS_ATTACHED.search(first)
        if attached:
            return MEDIA, head, (attached["name"] or attached["old"] or "").strip(INVISIBLE + " ")
    if head.startswith(_POLL):
        return POLL, head, None
    anchored = _ANCHORED.match(head)
    if anchored is not None:
        return (LOCATION if anchored.lastgroup == "location" else SYSTEM), head, None
    if head.endswith(">"):
        edited = _EDITED.search(head)
        if edited:
            return EDITED, head[:edited.start()], None
    if head.startswith(author) and _SYSTEM_AFTER_NAME.match(head, len(author)):
        return SYSTEM, head, None
    if marked and author == chat:
        return SYSTEM, head, None  # iOS: the group's own name in the author slot, LRM-marked text
    return TEXT, head, None


def clean_name(name: str) -> str:
    """An author as shown in the header: invisible marks removed, no-break spaces made plain."""
    if name.isascii():
        return name.strip()
    name = _INVISIBLE_RE.sub("", name).replace("\u202f", " ").replace("\u00a0", " ")
    return unicodedata.normalize("NFC", name).strip()


# ---- chat names --------------------------------------------------------------------------------------

_CHAT_NAME = re.compile(
    r"(?:WhatsApp[ _]Chat[ _](?:with|mit|-)|Chat[ _]de[ _]WhatsApp[ _]con|Chat[ _]WhatsApp[ _]con"
    r"|Conversa[ _]do[ _]WhatsApp[ _]com|Conversa[ _]no[ _]WhatsApp[ _]com|Discussion[ _]WhatsApp[ _]avec"
    r"|WhatsApp[ _]Chat[ _]met|Czat[ _]WhatsApp[ _]z|WhatsApp[ _]sohbeti:?|Чат[ _]WhatsApp[ _]с)[ _]+(?P<name>.+)"
    r"|与(?P<zh>.+)的 ?WhatsApp ?聊天|與(?P<zht>.+)的 ?WhatsApp ?對話", re.IGNORECASE)
_GENERIC_NAMES = frozenset({"_chat", "chat", "whatsapp chat", "whatsapp"})


def chat_name(path: str, label: str = "") -> str:
    """The chat's name from the file name, else from its folder or zip, else the file stem."""
    parts = [p for p in path.split("/") if p]
    outer = [p for p in label.replace("\\", "/").split("/") if p]  # a nested zip: "outer.zip/inner.zip"
    candidates = [parts[-1]] + parts[-2::-1] + outer[::-1]
    for candidate in candidates:
        stem = re.sub(r"\.(txt|zip)$", "", candidate, flags=re.IGNORECASE)
        found = _CHAT_NAME.fullmatch(stem)
        if found:
            return (found["name"] or found["zh"] or found["zht"]).strip()
    for candidate in candidates:
        stem = re.sub(r"\.(txt|zip)$", "", candidate, flags=re.IGNORECASE).strip()
        if stem.casefold() not in _GENERIC_NAMES and stem:
            return stem
    return parts[-1] if parts else label


# ---- reading -----------------------------------------------------------------------------------------

SAMPLE_LINES = 2000


@dataclass
class ChatColumns:
    """What one pass over a chat keeps: compact per-message fields, no per-message objects."""

    stamps: list[str] = field(default_factory=list)       # raw date-time text of each header
    authors: array = field(default_factory=lambda: array("i"))  # index into names, -1 = no author
    bodies: list[str] = field(default_factory=list)
    names: list[str] = field(default_factory=list)
    anomalies: int = 0
    first_anomaly: tuple[int, str] | None = None


def read_lines(lines: Iterator[str], fmt: LineFormat) -> ChatColumns:
    """Split a stream of lines into messages (header + continuation lines)."""
    out = ChatColumns()
    match = fmt.regex.match
    header_like = _HEADER_LIKE.match
    stamps, authors, bodies = out.stamps, out.authors, out.bodies
    codes: dict[str, int] = {}
    extra: list[str] | None = None  # continuation lines of the current message
    for number, line in enumerate(lines, 1):
        if line.endswith("\n"):
            line = line[:-1]
        found = match(line)
        if found is None:
            if bodies and not header_like(line):
                if extra is None:
                    extra = [bodies[-1]]
                extra.append(line)
                continue
            if not line.strip(INVISIBLE + " \t\r"):
                continue  # an empty line before the first message
            out.anomalies += 1
            if out.first_anomaly is None:
                out.first_anomaly = (number, line[:80])
            continue
        if extra is not None:
            bodies[-1] = _join(extra)
            extra = None
        rest = found["rest"]
        cut = rest.find(": ")
        if cut > 0:
            author, body = rest[:cut], rest[cut + 2:]
            if ('"' in author or "“" in author) and _SYSTEM_AFTER_NAME.search(author):
                author, body = None, rest  # 'You changed the subject from "Plans: 2024" to ...'
        elif rest.endswith(":"):
            author, body = rest[:-1], ""  # an empty body: view-once or unsupported content
        elif rest.endswith(":.") and " " not in rest[-3:]:
            author, body = rest[:-2], ""  # chat-miner's "self-destroying message" marker
        else:
            author, body = None, rest
        stamps.append(found["dt"])
        if author is None:
            authors.append(-1)
        else:
            code = codes.get(author)
            if code is None:
                code = codes[author] = len(codes)
            authors.append(code)
        bodies.append(body)
    if extra is not None:
        bodies[-1] = _join(extra)
    out.names = [clean_name(name) for name in codes]
    return out


def _join(lines: list[str]) -> str:
    """A multi-line body; blank lines at its end (the file's trailing newline) are not content."""
    while len(lines) > 1 and not lines[-1].strip():
        lines.pop()
    return "\n".join(lines)


# ---- timestamps --------------------------------------------------------------------------------------

#: Meridiem marks in a date-time string (after the header regex matched, nothing else has these).
_AM_MARKS = tuple(ord(c) for c in "Aa上前전")
_PM_MARKS = tuple(ord(c) for c in "Pp下後후")
FIELDS = ("a", "b", "c", "H", "M", "S")


def split_fields(texts: np.ndarray, chunk: int = 1 << 16) -> tuple[dict[str, np.ndarray], np.ndarray, np.ndarray]:
    """Date-time strings -> their six digit runs (a, b, c, hour, minute, second) and meridiem flags.

    Vectorised over the characters' columns: the strings become one fixed-width code array and each
    column updates every row at once, so a million headers cost a few dozen numpy operations per
    chunk. Chunks keep the temporary arrays small.
    """
    if len(texts) <= chunk:
        return _split_chunk(texts)
    parts = [_split_chunk(texts[start:start + chunk]) for start in range(0, len(texts), chunk)]
    num = {name: np.concatenate([p[0][name] for p in parts]) for name in FIELDS}
    return num, np.concatenate([p[1] for p in parts]), np.concatenate([p[2] for p in parts])


def _split_chunk(texts: np.ndarray) -> tuple[dict[str, np.ndarray], np.ndarray, np.ndarray]:
    arr = np.asarray(texts, dtype=str)
    n = len(arr)
    width = max(arr.dtype.itemsize // 4, 1)
    chars = arr.view(np.uint32).reshape(n, width) if n else np.zeros((0, width), dtype=np.uint32)
    digit = chars.astype(np.int32) - 48
    is_digit = (digit >= 0) & (digit <= 9)
    values = np.zeros((len(FIELDS) + 1, n))  # one spare row takes digits beyond the sixth run
    field = np.full(n, -1)
    previous = np.zeros(n, dtype=bool)
    rows = np.arange(n)
    for column in range(width):
        current = is_digit[:, column]
        field += current & ~previous
        target = np.clip(field, 0, len(FIELDS))
        old = values[target, rows]
        values[target, rows] = np.where(current, old * 10 + digit[:, column], old)
        previous = current
    found = field + 1
    num = {name: np.where(found > index, values[index], np.nan) for index, name in enumerate(FIELDS)}
    pm = np.isin(chars, _PM_MARKS).any(axis=1)
    has_meridiem = pm | np.isin(chars, _AM_MARKS).any(axis=1)
    return num, has_meridiem, pm


ORDERS = {"dmy": "day/month/year", "mdy": "month/day/year", "ymd": "year/month/day", "ydm": "year/day/month"}


@dataclass
class Timestamps:
    seconds: np.ndarray  # float64 epoch seconds, NaN where the date is impossible
    order: str
    evidence: str
    ambiguous: bool = False
    invalid: int = 0


def convert_stamps(stamps: list[str]) -> Timestamps:
    """All header date-times of one file -> epoch seconds, in one vectorised pass.

    Unique strings are converted once (chats have bursts within one minute). They are found with a
    dict in a Python loop rather than pd.factorize or np.fromiter: over 400,000 strings either is
    one C call that holds the GIL for 0.4-0.8 s and freezes the GUI thread while a worker scans.
    """
    index: dict[str, int] = {}
    number = index.setdefault
    codes = np.array([number(stamp, len(index)) for stamp in stamps], dtype=np.intp)
    uniques = list(index)
    num, has_meridiem, pm = split_fields(np.asarray(uniques, dtype=object))
    order, evidence, ambiguous = _choose_order(num, codes, bool(has_meridiem.any()))
    year, month, day = _ymd(num, order)
    hour = np.where(has_meridiem, np.mod(num["H"], 12) + np.where(pm, 12, 0), num["H"])
    seconds = _epoch(year, month, day, hour, num["M"], np.nan_to_num(num["S"], nan=0.0))
    full = seconds[codes] if len(codes) else np.array([], dtype="float64")
    return Timestamps(full, order, evidence, ambiguous, int(np.isnan(full).sum()))


def _ymd(num: dict[str, np.ndarray], order: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    a, b, c = num["a"], num["b"], num["c"]
    year, month, day = {"dmy": (c, b, a), "mdy": (c, a, b), "ymd": (a, b, c), "ydm": (a, c, b)}[order]
    return np.where(year < 100, year + 2000, year), month, day


def _epoch(year: np.ndarray, month: np.ndarray, day: np.ndarray, hour: np.ndarray, minute: np.ndarray,
           second: np.ndarray) -> np.ndarray:
    """Calendar fields -> epoch seconds (NaN for impossible dates such as 31/02), vectorised."""
    valid = ~(np.isnan(year) | np.isnan(month) | np.isnan(day) | np.isnan(hour) | np.isnan(minute))
    valid &= (month >= 1) & (month <= 12) & (day >= 1) & (day <= 31) & (hour <= 24) & (minute < 60)
    frame = pd.DataFrame({"year": np.where(valid, year, 2000), "month": np.where(valid, month, 1),
                          "day": np.where(valid, day, 1)}).astype("int64")
    dates = pd.to_datetime(frame, errors="coerce")
    days = (dates.to_numpy(dtype="datetime64[s]").astype("int64")).astype("float64")
    nat = dates.isna().to_numpy()
    seconds = days + hour * 3600 + minute * 60 + second
    return np.where(valid & ~nat, seconds, np.nan)


def _choose_order(num: dict[str, np.ndarray], codes: np.ndarray, meridiem: bool) -> tuple[str, str, bool]:
    """Day/month order from the whole file: a field over 12 decides; forward-running dates break ties."""
    a, b, c = num["a"], num["b"], num["c"]
    if len(a) == 0:
        return "dmy", "no dates", False
    year_first = bool(np.nanmax(a) > 31)
    first, second = (b, c) if year_first else (a, b)
    names = ("ymd", "ydm") if year_first else ("mdy", "dmy")  # (second field is day, first is day)
    first_over, second_over = int(np.sum(first > 12)), int(np.sum(second > 12))
    if first_over and not second_over:
        return names[1], f"{first_over} dates have a first field over 12", False
    if second_over and not first_over:
        return names[0], f"{second_over} dates have a second field over 12", False
    if first_over and second_over:
        pick = names[1] if first_over >= second_over else names[0]
        return pick, f"both fields exceed 12 in places ({first_over} vs {second_over}): dates contradict", True
    backwards = {}
    for order in names:
        year, month, day = _ymd(num, order)
        stamp = (year * 10000 + month * 100 + day)[codes]
        steps = np.diff(stamp)
        backwards[order] = int(np.sum(steps < 0))
    if backwards[names[0]] != backwards[names[1]]:
        pick = min(names, key=lambda o: backwards[o])
        return pick, f"no field exceeds 12; dates run forwards as {ORDERS[pick]} ({backwards})", False
    likelier = names[0] if year_first or meridiem else names[1]
    why = ("year-first dates are month-first by convention" if year_first else
           "12-hour clocks go with month-first dates" if meridiem else "day-first is the commoner order")
    return likelier, f"no field exceeds 12 and both orders run forwards equally; chose {ORDERS[likelier]} ({why})", True


# ---- the handler ---------------------------------------------------------------------------------------

#: attachment name -> its size in bytes when the export holds it, else None
MediaResolver = Callable[[str], "int | None"]


def parse_chat(stream: IO[bytes], path: str, chat: str, account: AccountContext,
               media: MediaResolver | None = None) -> Iterator[Item | Problem]:
    """Items for one chat text; problems for lines and dates it could not read.

    Timestamps are the phone's wall-clock time (WhatsApp writes no zone) stored as if it were UTC:
    epoch seconds of the naive time, so 22:35 in the file is 22:35 in the app.
    """
    # UTF-8, BOM tolerated, a bad byte becomes U+FFFD; universal newlines. A cancel inside the file ends
    # the lines quietly: the messages read so far are still yielded, then the cancel goes on.
    reader = UntilCancelled(iter_text_lines(stream))
    sample = list(islice(reader, SAMPLE_LINES))
    fmt = detect_line_format(sample)
    if fmt is None:
        yield Problem(path, "not_a_chat", f"{path} has no WhatsApp message lines in its first "
                                          f"{len(sample)} lines; it was not read as a chat.")
        reader.reraise()
        return
    columns = read_lines(chain(sample, reader), fmt)
    del sample
    if columns.anomalies:
        line_no, text = columns.first_anomaly or (0, "")
        lines, they = ("1 line", "it looks") if columns.anomalies == 1 else (f"{columns.anomalies} lines", "they look")
        yield Problem(path, "unreadable_lines",
                      f"{lines} of {path} could not be read: {they} like message headers in another format than "
                      f"the file's ({fmt.describe()}) (first at line {line_no}: {text!r}).")
    times = convert_stamps(columns.stamps)
    columns.stamps = []
    if times.ambiguous:
        yield Problem(path, "ambiguous_date_order", f"{path}: the date order is uncertain: {times.evidence}.")
    if times.invalid:
        yield Problem(path, "bad_dates", f"{times.invalid} messages of {path} have impossible dates "
                                         f"as {ORDERS[times.order]}; their time is left empty.")
    yield from _items(columns, times, chat, account, path, media)
    reader.reraise()


def _items(columns: ChatColumns, times: Timestamps, chat: str, account: AccountContext, path: str,
           media: MediaResolver | None) -> Iterator[Item]:
    names = columns.names
    owners = account.owner_names
    author_actor = ["self" if n in owners else ("other" if owners else "unknown") for n in names]
    chats = account.extra.setdefault("whatsapp_chats", [])
    chats.append({"file": path, "chat": chat, "authors": names,
                  "codes": np.frombuffer(columns.authors, dtype=np.int32).copy(), "kinds": None})
    kinds = array("b")
    seconds = times.seconds.tolist()
    bodies = columns.bodies
    for index, code in enumerate(columns.authors):
        author = names[code] if code >= 0 else None
        kind, text, attachment = classify(author, bodies[index], chat)
        kinds.append(kind)
        count = size = 0
        if attachment is not None:
            count = 1
            if attachment and media is not None:
                size = media(attachment) or 0
        stamp = seconds[index]
        yield Item("messages", KINDS[kind], None if stamp != stamp else stamp,
                   "system" if kind == SYSTEM else author_actor[code], chat, text, count, size, "" if kind == SYSTEM else author or "")
        bodies[index] = ""  # the builder holds the text now; free ours as we go
    chats[-1]["kinds"] = np.frombuffer(kinds, dtype=np.int8).copy()
