"""Write parsers/whatsapp_strings.json from the language tables of the WhatsApp format reference.

The strings WhatsApp writes into an exported chat ("<Media omitted>", "This message was deleted",
"{X} added {Y}", AM/PM words) differ per phone language. They are data, not code: this script reads
the tables of shared/reference/whatsapp-formats.md section 1.5a (WhatsApp's own Android and iOS
resource strings, real exports, other parsers' tables, CLDR day periods) and writes them, per
language, to the JSON file the reader loads (parsers/whatsapp_wording.py). Newer wordings the
tables list only in prose are added from EXTRA below, each with its source.

Run from the project root when the reference changes:
    /work/venv/bin/python tools/whatsapp_strings.py ../shared/reference/whatsapp-formats.md
"""
from __future__ import annotations

import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "parsers" / "whatsapp_strings.json"

#: table title -> {column index (after Lang) -> field}; "ignore" columns are skipped
TABLES = {
    "Table 1.5a-A": {0: "media_omitted", 1: "file_attached", 2: "ios_omitted", 3: "ios_omitted", 4: "ios_omitted",
                     5: "ios_omitted", 6: "ios_omitted", 7: "ios_omitted", 8: "ios_attached"},
    "Table 1.5a-B": {0: "deleted", 1: "deleted", 2: "edited", 3: "e2e", 4: "e2e", 5: "location", 6: "location"},
    "Table 1.5a-C1": {0: "system", 1: "system", 2: "system", 3: "system", 4: "system", 5: "system", 6: "system"},
    "Table 1.5a-C2": {0: "system", 1: "system", 2: "system", 3: "system", 4: "system", 5: "system", 6: "system"},
}
LANG_KEYS = {"zh-Hant (TW)": "zh-Hant"}

#: Wordings the reference gives in prose ("Newer wording", §1.4, §1.5) or that the old reader knew.
EXTRA: dict[str, dict[str, list[str]]] = {
    "en": {
        "media_omitted": ["<Media omitted>", "<Video message omitted>", "<Video note omitted>"],
        "ios_omitted": ["Contact card omitted", "video note omitted", "photo omitted"],
        "deleted": ["Message deleted", "This message was deleted.", "You deleted this message."],
        "e2e": ["Messages and calls are end-to-end encrypted", "Messages to this group are now secured",
                "Messages you send to this group are now secured", "Messages you send to this chat are now secured",
                "This business uses a secure service", "This chat is with a business account",
                "Your security code with"],
        "system": ["You changed the subject from \"{A}\" to \"{Z}\"", "{X} changed the subject from \"{A}\" to \"{Z}\"",
                   "You changed the group name from \"{A}\" to \"{Z}\"", "You changed the group name to \"{Z}\"",
                   "{X} changed the group name from \"{A}\" to \"{Z}\"", "{X} changed the group name to \"{Z}\"",
                   "You created this group", "{X} created this group", "{X} left the group", "{Y} were added",
                   "{Y} was added", "{Y} was removed", "{X} changed their phone number to a new number",
                   "{X} changed to {Y}", "{X} deleted this group's icon", "You deleted this group's icon",
                   "{X} changed the group description", "You changed the group description",
                   "{X} turned on disappearing messages", "{X} turned off disappearing messages",
                   "You turned on disappearing messages", "You turned off disappearing messages"],
        "location": ["live location shared", "Location: {URL}"],
        "poll": ["POLL:"],
    },
    "de": {
        "media_omitted": ["<Medien ausgeschlossen>", "<Videonachricht weggelassen>"],
        "ios_omitted": ["Kontaktkarte ausgelassen", "Kontaktkarte weggelassen"],
        "deleted": ["Diese Nachricht wurde gelöscht.", "Du hast diese Nachricht gelöscht."],
        "e2e": ["Nachrichten und Anrufe sind Ende-zu-Ende-verschlüsselt", "Dein Sicherheitscode für"],
        "system": ["Du hast die Gruppe \"{Z}\" erstellt.", "Du hast diese Gruppe erstellt", "{X} hat die Gruppe {Z} erstellt.",
                   "Du hast den Gruppennamen von \"{A}\" zu \"{Z}\" geändert.",
                   "{X} hat den Gruppennamen von \"{A}\" zu \"{Z}\" geändert.",
                   "{X} hat den Gruppennamen zu \"{Z}\" geändert.", "Du hast {Y} hinzugefügt.", "{X} hat {Y} hinzugefügt.",
                   "Du hast {Y} entfernt.", "{X} hat {Y} entfernt.", "{X} hat die Gruppe verlassen.",
                   "Du hast das Gruppenbild geändert.", "{X} ist beigetreten"],
        "location": ["Live-Standort wird geteilt.", "Live-Standort wird geteilt"],
        "edited": ["<Diese Nachricht wurde bearbeitet>"],
        "poll": ["UMFRAGE:"],
    },
    "pt-BR": {
        "media_omitted": ["<Mídia oculta>", "<Mídia omitida>"],
        "e2e": ["As mensagens e", "As mensagens e ligações são protegidas com a criptografia de ponta a ponta"],
        "system": ["Você criou este grupo", "{Y} foi adicionado(a)", "Você adicionou {Y}", "Você removeu {Y}",
                   "Você atualizou a duração das mensagens temporárias", "{X} atualizou a duração das mensagens temporárias"],
        "edited": ["<Mensagem editada>"],
        "poll": ["ENQUETE:"],
    },
    "es": {"media_omitted": ["<Multimedia omitido>", "<Multimedia omitida>"], "deleted": ["Se eliminó este mensaje."],
           "file_attached": ["{F} (archivo adjunto)"], "ios_omitted": ["Tarjeta de contacto omitida"],
           "edited": ["<Se editó este mensaje.>"], "location": ["Ubicación en tiempo real compartida"],
           "poll": ["ENCUESTA:"]},
    "fr": {"ios_omitted": ["Fiche contact manquante"], "edited": ["<Ce message a été modifié>"], "poll": ["SONDAGE:"]},
    "it": {"edited": ["<Questo messaggio è stato modificato>"], "poll": ["SONDAGGIO:"]},
    "nl": {"edited": ["<Dit bericht is bewerkt>"], "poll": ["PEILING:"]},
    "he": {"media_omitted": ["<המדיה הושמטה>"]},
    "zh-Hans": {"e2e": ["消息和通话已进行端到端加密"], "deleted": ["这条消息已删除"], "ios_attached": ["<已附加: {F}>", "<附件: {F}>"]},
    "zh-Hant": {"e2e": ["訊息與通話已受端對端加密保護"], "deleted": ["此訊息已刪除"]},
    "ru": {"poll": ["ОПРОС:"]},
}

#: AM/PM words seen in exports or parser tests (reference §1.2 and the meridiem table, column 2).
SEEN_MERIDIEMS = {
    "en": (["AM", "am", "a.m.", "a. m."], ["PM", "pm", "p.m.", "p. m."]),
    "es": (["a. m.", "a.m."], ["p. m.", "p.m."]),
    "ar": (["ص"], ["م"]),
    "ja": (["午前"], ["午後"]),
    "ko": (["오전"], ["오후"]),
    "zh-Hans": (["上午"], ["下午"]),
    "zh-Hant": (["上午"], ["下午"]),
}

CODE = re.compile(r"`([^`]*)`")


def unescape(text: str) -> str:
    return re.sub(r"\\u([0-9a-fA-F]{4})", lambda m: chr(int(m.group(1), 16)), text)


def cells(line: str) -> list[str]:
    return [c.strip() for c in line.strip().strip("|").split("|")]


def table_rows(lines: list[str], title: str) -> list[list[str]]:
    start = next(i for i, line in enumerate(lines) if line.startswith("####") and title in line)
    rows, seen_header = [], False
    for line in lines[start + 1:]:
        if line.startswith("|"):
            if not seen_header:
                seen_header = True
                continue
            if line.startswith("|---"):
                continue
            rows.append(cells(line))
        elif seen_header:
            break
    return rows


def meridiems(lines: list[str]) -> dict[str, tuple[list[str], list[str]]]:
    """am and pm words per locale from the meridiem table (abbreviated and wide forms, not narrow)."""
    start = next(i for i, line in enumerate(lines) if line.startswith("| Locale | Seen"))
    found: dict[str, tuple[list[str], list[str]]] = {}
    for line in lines[start + 2:]:
        if not line.startswith("|"):
            break
        row = cells(line)
        lang = row[0].split(" ")[0]
        lang = {"pt": "pt-BR", "fil": "tl"}.get(lang, lang)
        am, pm = found.setdefault(LANG_KEYS.get(row[0], lang), ([], []))
        for cell in row[2:4]:
            for part in cell.split(";"):
                if "narrow" in part:
                    continue
                pair = CODE.findall(part)
                if len(pair) == 2:
                    for words, word in ((am, pair[0]), (pm, pair[1])):
                        word = unescape(word)
                        if word not in words:
                            words.append(word)
    return found


def main(reference: str) -> None:
    lines = Path(reference).read_text(encoding="utf-8").splitlines()
    languages: dict[str, dict[str, list[str]]] = {}
    for title, columns in TABLES.items():
        for row in table_rows(lines, title):
            lang = LANG_KEYS.get(row[0], row[0])
            entry = languages.setdefault(lang, {})
            for index, name in columns.items():
                if index + 1 >= len(row):
                    continue
                for text in CODE.findall(row[index + 1]):
                    text = unescape(text).strip()
                    if not text or text.startswith("values") or text == "—":
                        continue
                    values = entry.setdefault(name, [])
                    if text not in values:
                        values.append(text)
    for lang, (am, pm) in meridiems(lines).items():
        entry = languages.setdefault(lang, {})
        entry["am"], entry["pm"] = am, pm
    for source in (EXTRA, {k: {"am": v[0], "pm": v[1]} for k, v in SEEN_MERIDIEMS.items()}):
        for lang, fields in source.items():
            entry = languages.setdefault(lang, {})
            for name, values in fields.items():
                known = entry.setdefault(name, [])
                known.extend(v for v in values if v not in known)
    languages["mt"] = {"note": ["WhatsApp has no Maltese interface (reference table 1.5a-A): Maltese phones "
                                "export in English, which the 'en' entry covers"]}
    data = {
        "_about": ("Strings WhatsApp writes into exported chats, per phone language. Generated by "
                   "tools/whatsapp_strings.py from shared/reference/whatsapp-formats.md section 1.5a (WhatsApp's "
                   "Android 2017-18 and iOS 22.24.81 resource strings, real exports, other parsers' tables, CLDR day "
                   "periods). Placeholders: {X} actor, {Y} person acted on, {Z} group name, {A} old group name, "
                   "{F} file name, {URL} a map link. Compared case-folded, marks and one trailing full stop ignored."),
        "languages": dict(sorted(languages.items())),
    }
    OUT.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {OUT.relative_to(ROOT)}: {len(languages)} languages", file=sys.stderr)


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else str(ROOT.parent / "shared" / "reference" / "whatsapp-formats.md"))
