"""CSV export: round trip, Excel-friendly bytes, formula injection, atomic writes, pseudonyms."""
from __future__ import annotations

import csv
import random
import unicodedata
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from builder import ExportTree, Names, items_frame

from parsers import export
from parsers.contract import AccountContext, Item, files_frame, problems_frame
from parsers.exposure import classify
from parsers.pseudonym import KeyInfo
from parsers.scan import Audit, scan

HOSTILE = ["=cmd|' /C calc'!A0", "+1+1", "-2+3", "@SUM(A1:A9)", "\t=1+1", "\r=1+1",
           '=HYPERLINK("http://evil.example","click")', "'already quoted"]
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def sample_items() -> pd.DataFrame:
    rows = [
        ("facebook", Item("posts", "post", 1_600_000_000.0, "self", "", "plain, with \"quotes\"\nand a newline"),
         "your_facebook_activity/posts/your_posts_1.json"),
        ("facebook", Item("messages", "message", 1_600_000_000.25, "other", "Zoë Müller", "café 🙂 naïve"),
         "your_facebook_activity/messages/inbox/zoemuller_123/message_1.json"),
        ("instagram", Item("comments", "comment", None, "self", "", ""), "comments/post_comments_1.json"),
        ("whatsapp", Item("messages", "media", 1_700_000_000.5, "unknown", "Lars", "", 2, 12345), "chat.txt"),
    ]
    rows += [("whatsapp", Item("messages", "text", 1_650_000_000.0 + n, "other", text, text), f"{text[:2]}.txt")
             for n, text in enumerate(HOSTILE)]
    return items_frame(rows)


def read_cells(path: Path) -> list[list[str]]:
    with open(path, encoding="utf-8-sig", newline="") as stream:
        return list(csv.reader(stream))


# ---- round trip and bytes ----------------------------------------------------------------------

def test_items_csv_reads_back_equal_to_the_frame(tmp_path):
    items = sample_items()
    result = export.write_items_csv(items, tmp_path / "items.csv")
    assert result.rows == len(items) and not result.pseudonymized
    back = export.read_items_csv(tmp_path / "items.csv")
    expected = items.assign(timestamp=items["timestamp"].dt.round("ms"))  # the CSV keeps milliseconds
    pd.testing.assert_frame_equal(back, expected)


def test_items_csv_is_excel_friendly_with_iso_utc_times(tmp_path):
    export.write_items_csv(sample_items(), tmp_path / "items.csv")
    raw = (tmp_path / "items.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # UTF-8 byte order mark
    assert raw[3:].split(b"\r\n", 1)[0] == b",".join(c.encode() for c in export.ITEM_COLUMNS)
    cells = read_cells(tmp_path / "items.csv")
    stamp = cells[0].index("timestamp")
    assert [row[stamp] for row in cells[1:5]] == ["2020-09-13T12:26:40Z", "2020-09-13T12:26:40.250Z", "",
                                                  "2023-11-14T22:13:20.500Z"]


def test_no_text_leaves_the_text_column_out(tmp_path):
    export.write_items_csv(sample_items(), tmp_path / "items.csv", include_text=False)
    cells = read_cells(tmp_path / "items.csv")
    assert "text" not in cells[0] and "text_chars" in cells[0]
    assert "café 🙂 naïve" not in (tmp_path / "items.csv").read_text(encoding="utf-8-sig")


# ---- formula injection ----------------------------------------------------------------------------

def test_hostile_cells_are_neutralised_in_every_csv(tmp_path):
    items = sample_items()
    export.write_items_csv(items, tmp_path / "items.csv")
    files = files_frame([(f"{text}.json", "facebook", "posts", "parsed", text, 1, 1, "=part.zip", 1)
                         for text in HOSTILE])
    export.write_files_csv(files, tmp_path / "files.csv")
    for name in ("items.csv", "files.csv"):
        cells = read_cells(tmp_path / name)
        assert all(not cell.startswith(FORMULA_START) for row in cells for cell in row), name
    texts = [row[6] for row in read_cells(tmp_path / "items.csv")[1:]]
    assert texts[-len(HOSTILE):] == ["'" + text for text in HOSTILE]  # one apostrophe in front, nothing lost
    assert items["text"].iloc[-1] == "'already quoted"  # the frame in memory is untouched


def test_neutralise_and_restore_are_inverse():
    values = pd.Series(HOSTILE + ["fine", "", "''two"], dtype="string")
    assert export.restore(export.neutralise(values)).tolist() == values.tolist()
    categories = pd.Series(HOSTILE, dtype="category")
    assert export.neutralise(categories).astype(str).str.startswith("'").all()


# ---- atomic writes and --force -------------------------------------------------------------------

def test_existing_file_is_kept_without_force_and_replaced_with_it(tmp_path):
    target = tmp_path / "items.csv"
    target.write_text("precious")
    with pytest.raises(FileExistsError):
        export.write_items_csv(sample_items(), target)
    assert target.read_text() == "precious"
    export.write_items_csv(sample_items(), target, force=True)
    assert target.read_text(encoding="utf-8-sig").startswith("platform,")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["items.csv"]  # no temp file left


def test_a_failed_write_leaves_the_old_file_and_no_temp_file(tmp_path, monkeypatch):
    target = tmp_path / "items.csv"
    target.write_text("precious")

    def broken(self, *args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(pd.DataFrame, "to_csv", broken)
    with pytest.raises(OSError, match="disk full"):
        export.write_items_csv(sample_items(), target, force=True)
    assert target.read_text() == "precious"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["items.csv"]


def test_missing_folder_is_an_error(tmp_path):
    with pytest.raises(FileNotFoundError):
        export.write_items_csv(sample_items(), tmp_path / "nope" / "items.csv")


# ---- inventory ----------------------------------------------------------------------------------

def test_inventory_has_one_row_per_platform_category_level_with_rationale(tmp_path):
    items = sample_items()
    audit = Audit(items, files_frame([]), problems_frame([]), [], {}, None)
    result = export.write_inventory_csv(audit, tmp_path / "inventory.csv")
    table = pd.read_csv(tmp_path / "inventory.csv", encoding="utf-8-sig")
    assert result.rows == len(table) == 4  # fb posts, fb messages, ig comments, wa messages (one level each)
    assert list(table.columns) == list(export.INVENTORY_COLUMNS)
    assert table["items"].sum() == len(items)
    assert table["rationale"].str.len().gt(20).all()
    assert table["source"].str.startswith("https://").all()
    wa = table[table["platform"] == "whatsapp"].iloc[0]
    assert (wa["items"], wa["media_bytes"], wa["exposure"]) == (1 + len(HOSTILE), 12345, "private_stated_not_used")


def test_inventory_names_the_refinement_that_decided(tmp_path):
    items = items_frame([("instagram", Item("posts", "post", 1.5e9, "self"), "p.json"),
                   ("instagram", Item("posts", "post", 1.7e9, "self"), "p.json")])
    account = AccountContext(privacy_changes=[(1.6e9, "private")])
    items["exposure"] = pd.Categorical(classify(items, {"instagram": account})["exposure"],
                                       dtype=items["exposure"].dtype)
    table = export.inventory(Audit(items, files_frame([]), problems_frame([]), [], {"instagram": account}, None))
    private = table[table["exposure"] == "private_stated_not_used"].iloc[0]
    assert "private" in private["rationale"] and private["policy_date"] == "2021-07-27"


# ---- pseudonyms -----------------------------------------------------------------------------------

def name_forms(name: str) -> set[str]:
    """The spellings a name can take in an export: as is, case-folded, ASCII, without spaces."""
    folded = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    forms = {name.casefold(), folded.casefold()}
    return forms | {form.replace(" ", "") for form in forms}


def assert_no_names(paths: list[Path], names: set[str]) -> None:
    for path in paths:
        text = path.read_text(encoding="utf-8-sig").casefold()
        for name in names:
            for form in name_forms(name):
                assert form not in text, f"{form!r} from {name!r} leaked into {path.name}"


def named_items(seed: int) -> tuple[pd.DataFrame, list[str], str]:
    """An items frame full of names: counterparts, group titles, names in text and in folder names."""
    names = Names(seed)
    people = names.people(12)
    owner = people.pop()
    rng = random.Random(seed)
    rows = []
    for n in range(300):
        person, other = rng.sample(people, 2)
        folder = person.casefold().replace(" ", "").replace("'", "")
        text = f"{names.sentence()} {rng.choice([person, person.upper(), other])} {names.sentence()} {owner}"
        sender = rng.choice([person, owner])
        rows.append(("facebook", Item("messages", "message", 1.6e9 + n * 3600, "self" if sender == owner else "other",
                                      rng.choice([person, f"{person}, {other} and {owner}"]), text, author=sender),
                     f"your_facebook_activity/messages/inbox/{folder}_{n % 7}/message_1.json"))
        rows.append(("whatsapp", Item("messages", "text", 1.6e9 + n, "other", person, f"{other}: hi", author=other),
                     f"WhatsApp Chat with {person}.txt"))
    return items_frame(rows), people, owner


def test_pseudonymised_csvs_hold_no_name_and_pseudonyms_are_stable(tmp_path, memory_keyring):
    items, people, owner = named_items(seed=5)
    files = files_frame([(path, "facebook", "messages", "parsed", "", 1, 1, f"facebook-{owner}.zip", 1)
                         for path in items["source_file"].astype(str).unique()])
    first = export.write_items_csv(items, tmp_path / "a.csv", pseudonymize=True, owner_names=[owner])
    export.write_files_csv(files, tmp_path / "files.csv", pseudonymize=True,
                           names=set(people) | {owner})
    assert first.pseudonymized and first.notice is None
    assert_no_names([tmp_path / "a.csv", tmp_path / "files.csv"], set(people) | {owner})
    # a second export with the same key (from the keyring) maps each name to the same pseudonym
    second_items, _, _ = named_items(seed=5)
    export.write_items_csv(second_items.sample(frac=1.0, random_state=3), tmp_path / "b.csv", pseudonymize=True,
                           owner_names=[owner])
    a = pd.read_csv(tmp_path / "a.csv", encoding="utf-8-sig", keep_default_na=False)
    b = pd.read_csv(tmp_path / "b.csv", encoding="utf-8-sig", keep_default_na=False)
    mapping_a = dict(zip(items["counterpart"].astype(str), a["counterpart"]))
    mapping_b = dict(zip(second_items.sample(frac=1.0, random_state=3)["counterpart"].astype(str), b["counterpart"]))
    assert mapping_a == mapping_b
    assert len(set(mapping_a.values())) == len(mapping_a)  # distinct names, distinct pseudonyms
    assert a["text_chars"].tolist() == items["text_chars"].tolist()


def test_a_different_key_gives_different_pseudonyms(tmp_path):
    items, _, owner = named_items(seed=6)
    one = KeyInfo(b"1" * 32, True)
    two = KeyInfo(b"2" * 32, True)
    export.write_items_csv(items, tmp_path / "one.csv", pseudonymize=True, owner_names=[owner], key=one)
    export.write_items_csv(items, tmp_path / "two.csv", pseudonymize=True, owner_names=[owner], key=two)
    a = pd.read_csv(tmp_path / "one.csv", encoding="utf-8-sig")["counterpart"]
    b = pd.read_csv(tmp_path / "two.csv", encoding="utf-8-sig")["counterpart"]
    assert (a != b).all()


def whatsapp_export(tmp_path: Path, seed: int) -> tuple[Path, str, set[str]]:
    """A zip of WhatsApp chats (Android format) plus an attachment, full of names.

    Two one-to-one chats and a group chat whose title is not a name; messages mention the
    participants by full name and by first name.
    """
    names = Names(seed)
    people = names.people(5)
    owner, friends = people[0], people[1:]
    chats = {f"WhatsApp Chat with {friends[0]}.txt": [owner, friends[0]],
             f"WhatsApp Chat with {friends[1]}.txt": [owner, friends[1]],
             "WhatsApp Chat with Ski trip.txt": [owner, friends[2], friends[3]]}
    tree = ExportTree()
    for file_name, members in chats.items():
        lines = []
        for n in range(30):
            author = members[n % len(members)]
            mention = members[(n + 1) % len(members)]
            mention = mention.split()[0] if n % 3 == 0 else mention
            lines.append(f"{(n % 28) + 1:02d}/03/2021, 14:{n:02d} - {author}: {names.sentence()} {mention}")
        tree.add(file_name, "\n".join(lines) + "\n")
    tree.add_media("IMG-20210301-WA0001.jpg", 2000)
    return tree.write_zip(tmp_path / "whatsapp.zip"), owner, set(people)


def test_a_scanned_export_leaves_no_name_in_pseudonymised_csvs(tmp_path, memory_keyring):
    path, owner, people = whatsapp_export(tmp_path, seed=11)
    with zipfile.ZipFile(path) as archive:
        raw = " ".join(archive.read(n).decode("utf-8") for n in archive.namelist() if n.endswith(".txt"))
    assert all(name in raw for name in people)  # the export really is full of names
    audit = scan([path], owner=owner)
    if audit.items.empty:
        pytest.skip("the WhatsApp chat parser yields no items yet")
    names = export.audit_names(audit)  # only what the audit itself knows
    export.write_items_csv(audit.items, tmp_path / "items.csv", pseudonymize=True, owner_names=names)
    export.write_files_csv(audit.files, tmp_path / "files.csv", pseudonymize=True, names=names)
    assert_no_names([tmp_path / "items.csv", tmp_path / "files.csv"], people)
    first_names = {name.split()[0].casefold() for name in people}
    texts = pd.read_csv(tmp_path / "items.csv", encoding="utf-8-sig", keep_default_na=False)["text"]
    words = {word.casefold() for text in texts for word in text.split()}
    assert not words & first_names


def test_titles_that_are_not_people_keep_their_words():
    frame = items_frame([("facebook", Item("messages", "message", 1.6e9, "other", "Ana García, Lars Hansen and Zoë",
                                           author="Lars Hansen"), "x.json"),
                         ("whatsapp", Item("messages", "text", 1.6e9, "other", "Family", "hi", author="Zoë"), "c.txt")])
    p, _ = export.make_pseudonymizer(["Ana García"], KeyInfo(b"k" * 32, True))
    p.add_names(export.people_in_items(frame))
    out = export.pseudonymize_items(frame, p)
    assert out["counterpart"].tolist() == [f"{p.pseudonym('Ana García')}, {p.pseudonym('Lars Hansen')} and "
                                           f"{p.pseudonym('Zoë')}", "Family"]
    assert out["author"].tolist() == [p.pseudonym("Lars Hansen"), p.pseudonym("Zoë")]


def test_read_back_of_a_pseudonymised_csv_is_still_a_contract_frame(tmp_path):
    items, _, owner = named_items(seed=8)
    export.write_items_csv(items, tmp_path / "p.csv", pseudonymize=True, owner_names=[owner],
                           key=KeyInfo(b"k" * 32, True))
    back = export.read_items_csv(tmp_path / "p.csv")
    expected = items.drop(columns=["author", "counterpart", "text", "source_file"])
    pd.testing.assert_frame_equal(back.drop(columns=["author", "counterpart", "text", "source_file"]), expected)
