"""Pseudonymised outputs of whole scans hold no form of any person's name, and keep ordinary words.

Exports whose people are known (the builder's) and the bundled demo are scanned with `scan
--pseudonymize` and every output (items, files and inventory CSVs, the JSON on stdout) is searched
for every name part of every person: as written, in any case, without accents, and as Meta's
folder slug of the full name. The check here folds text on its own (not with parsers.pseudonym).
"""
from __future__ import annotations

import io
import json
import re
import unicodedata
import zipfile
from pathlib import Path

import keyring
import pytest
from builder import FIRST_NAMES, LAST_NAMES
from builder.facebook import build_facebook
from builder.instagram import build_instagram
from builder.people import ORDINARY, named_chats
from memory_keyring import MemoryKeyring

from app.cli import run_cli

PROJECT = Path(__file__).resolve().parents[1]
DEMO = sorted((PROJECT / "assets" / "demo").glob("synthetic-*.zip"))
OUTPUTS = ("items.csv", "files.csv", "inventory.csv", "out.json")


def fold(text: str) -> str:
    """Lower case without accents, the way a reader hunting for a name would search."""
    text = unicodedata.normalize("NFKD", text.lower())
    text = "".join(c for c in text if not unicodedata.combining(c))
    for letter, plain in {"ø": "o", "ł": "l", "đ": "d", "æ": "ae", "ß": "ss", "ı": "i", "ð": "d"}.items():
        text = text.replace(letter, plain)
    return text


def forms(name: str) -> tuple[set[str], set[str]]:
    """(word forms, slug forms) of a person: each name part of 2+ letters (a username as a whole),
    and the full name's folder slugs (Meta's: lower case, only [a-z0-9] kept; and the accent-stripped one)."""
    if " " not in name and re.search(r"[\d._]", name):  # a username: replaced whole, its pieces are not names
        words = {fold(name)}
    else:
        words = {fold(part) for part in re.findall(r"[^\W\d_]+", name) if len(part) >= 2}
    slugs = {re.sub(r"[^a-z0-9]", "", name.lower()), re.sub(r"[^a-z0-9]", "", fold(name))}
    return words, {s for s in slugs if len(s) >= 4}


def leaks(texts: dict[str, str], people: set[str]) -> list[str]:
    found = []
    folded = {name: fold(text) for name, text in texts.items()}
    for person in sorted(people):
        words, slugs = forms(person)
        for output, text in folded.items():
            for word in words:
                hit = re.search(r"(?<![a-z])" + re.escape(word) + r"(?![a-z])", text)
                if hit:
                    found.append(f"{output}: {word!r} of {person!r} in ...{text[max(0, hit.start() - 50):hit.end() + 20]!r}")
            found.extend(f"{output}: slug {slug!r} of {person!r}" for slug in slugs if slug in text)
    return found


def scan_outputs(paths: list[Path], folder: Path, *, pseudonymize: bool) -> dict[str, str]:
    folder.mkdir(parents=True, exist_ok=True)
    out, err = io.StringIO(), io.StringIO()
    argv = ["scan", *map(str, paths), "--json", "--items", str(folder / "items.csv"), "--files",
            str(folder / "files.csv"), "--inventory", str(folder / "inventory.csv")]
    assert run_cli(argv + (["--pseudonymize"] if pseudonymize else []), stdout=out, stderr=err) == 0, err.getvalue()
    (folder / "out.json").write_text(out.getvalue(), encoding="utf-8")
    json.loads(out.getvalue())
    return {name: (folder / name).read_text(encoding="utf-8-sig") for name in OUTPUTS}


def counts(text: str, word: str) -> int:
    return len(re.findall(r"(?<![^\W_])" + re.escape(word) + r"(?![^\W_])", text))


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """Facebook 2024 and 2021, Instagram 2025 and WhatsApp chats, with everyone they name."""
    folder = tmp_path_factory.mktemp("people")
    facebook = build_facebook("2024", seed=21, messages=80, threads=5, notifications=12, friends=9)
    older = build_facebook("2021", seed=22, messages=30, threads=3, notifications=6)
    instagram = build_instagram("2025", seed=23)
    chats = named_chats(seed=24)
    paths = [facebook.write_zip(folder / "facebook-2024.zip"), older.write_zip(folder / "facebook-2021.zip"),
             instagram.write_zip(folder / "instagram.zip"), chats.tree.write_zip(folder / "chats.zip")]
    people = facebook.people | older.people | set(instagram.people) | set(instagram.people.values()) | chats.people
    return paths, people, folder


@pytest.fixture(scope="module")
def outputs(built, tmp_path_factory):
    """The outputs of one plain and one pseudonymised scan of the built exports (one key for both tests)."""
    paths, _people, folder = built
    previous = keyring.get_keyring()
    keyring.set_keyring(MemoryKeyring())
    try:
        return (scan_outputs(paths, folder / "plain", pseudonymize=False),
                scan_outputs(paths, folder / "hidden", pseudonymize=True))
    finally:
        keyring.set_keyring(previous)


def test_no_form_of_any_name_is_left_and_ordinary_words_survive(built, outputs):
    _paths, people, _folder = built
    plain, hidden = outputs
    assert leaks(plain, people), "the exports really are full of names"
    assert leaks(hidden, people) == []
    for word in ORDINARY:
        assert counts(plain["items.csv"], word) > 0, word
        assert counts(hidden["items.csv"], word) == counts(plain["items.csv"], word), word
    # the chat titles are not people: they stay, while the people's chat is renamed
    assert "Trip" in hidden["files.csv"] and "Family" in hidden["files.csv"]


def test_each_person_has_one_pseudonym_as_author_counterpart_and_in_paths(built, outputs):
    import pandas as pd

    _paths, _people, folder = built
    items = pd.read_csv(folder / "hidden" / "items.csv", encoding="utf-8-sig", keep_default_na=False)
    plain = pd.read_csv(folder / "plain" / "items.csv", encoding="utf-8-sig", keep_default_na=False)
    pairs = pd.DataFrame({"name": plain["author"], "code": items["author"]})
    pairs = pairs[pairs["name"] != ""]
    assert pairs["code"].str.fullmatch(r"person_[0-9a-f]{10}|Meta AI").all()
    # one pseudonym per person, and distinct people stay distinct
    assert (pairs.groupby("name")["code"].nunique() == 1).all()
    assert pairs.drop_duplicates()["code"].is_unique
    # a one-to-one Messenger thread: its counterpart, its folder and its author are the same pseudonym
    thread = plain[(plain["platform"] == "facebook") & (plain["kind"] == "message") & (plain["actor"] == "other")]
    row = thread.index[0]
    code = items.at[row, "author"]
    if plain.at[row, "counterpart"] == plain.at[row, "author"]:
        assert items.at[row, "counterpart"] == code
    assert code in items.at[row, "source_file"] or "_" not in plain.at[row, "source_file"]


# ---- the bundled demo ---------------------------------------------------------------------------

#: JSON keys whose string value is a person in Meta's files; label_values labels that hold one
PERSON_KEYS = {"sender_name", "senderName", "author", "actor", "full_name"}
PERSON_LABELS = {"Name", "Username", "Sender"}
PLACE_LABELS = {"Place tags"}  # its "Name" is a place


def _repaired(text: str) -> str:
    try:
        return text.encode("latin-1").decode("utf-8")
    except UnicodeError:
        return text


def demo_people() -> set[str]:
    """Everyone the demo holds, read from its raw files (not with the parsers): the builder's name
    lists the demo was made from, JSON senders, participants, authors, actors and profile names,
    label_values / string_map_data names and usernames, chat authors and names in system lines."""
    people: set[str] = set(FIRST_NAMES) | set(LAST_NAMES)

    def walk(value, key=""):
        if isinstance(value, dict):
            if value.get("label") in PLACE_LABELS:
                return
            if value.get("label") in PERSON_LABELS and isinstance(value.get("value"), str):
                people.add(_repaired(value["value"]))
            for child_key, child in value.items():
                if child_key in PERSON_LABELS and isinstance(child, dict) and isinstance(child.get("value"), str):
                    people.add(_repaired(child["value"]))
                walk(child, child_key)
        elif isinstance(value, list):
            for child in value:
                if key == "participants":
                    name = child.get("name") if isinstance(child, dict) else child
                    if isinstance(name, str):
                        people.add(_repaired(name))
                walk(child, key)
        elif isinstance(value, str) and key in PERSON_KEYS:
            people.add(_repaired(value))

    for path in DEMO:
        with zipfile.ZipFile(path) as archive:
            for info in archive.infolist():
                data = archive.read(info)
                if info.filename.endswith(".json"):
                    walk(json.loads(data))
                elif info.filename.endswith(".zip"):
                    with zipfile.ZipFile(io.BytesIO(data)) as inner:
                        for name in inner.namelist():
                            if name.endswith(".txt"):
                                chat = inner.read(name).decode("utf-8")
                                people.update(re.findall(r"^\S*\[[^\]]+\] ([^:\n]+):", chat, re.M))
                                people.update(re.findall(r"(?:added|removed) ([^\n]+)$", chat, re.M))
    chat_titles = {"Family", "Trip 2022"}  # iOS puts the group's name in the author slot of its notices
    return {p.strip() for p in people if p.strip() and p.strip() not in chat_titles and p != "Meta AI"}


@pytest.mark.skipif(not DEMO, reason="assets/demo is not present")
@pytest.mark.usefixtures("memory_keyring")
def test_the_whole_demo_through_pseudonymize_holds_no_name(tmp_path):
    people = demo_people()
    assert len(people) > 40
    plain = scan_outputs(DEMO, tmp_path / "plain", pseudonymize=False)
    assert leaks(plain, people)
    hidden = scan_outputs(DEMO, tmp_path / "hidden", pseudonymize=True)
    assert leaks(hidden, people) == []
    for word in ("Trip", "Family", "trip", "family", "café", "weekend"):
        assert counts(hidden["items.csv"], word) == counts(plain["items.csv"], word) > 0, word
