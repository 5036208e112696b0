"""Pseudonym key in the keyring (with graceful fallback) and stable name replacement."""
from __future__ import annotations

import re
import unicodedata

import keyring
import pandas as pd
from keyring.backends import fail
from keyring.errors import PasswordSetError
from memory_keyring import MemoryKeyring

from parsers import pseudonym
from parsers.pseudonym import (KEYRING_SERVICE, KEYRING_USERNAME, NO_KEYRING_NOTICE, Pseudonymizer, folder_slugs,
                               load_key)

KEY = bytes(range(32))


def test_key_is_created_once_and_kept_in_the_keyring(memory_keyring):
    first = load_key()
    second = load_key()
    assert first.persistent and first.notice is None
    assert second.key == first.key and len(first.key) == 32
    assert memory_keyring.store[(KEYRING_SERVICE, KEYRING_USERNAME)] == first.key.hex()


def test_no_keyring_gives_a_session_key_and_a_notice():
    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    pseudonym._session_key = None
    try:
        first, second = load_key(), load_key()
    finally:
        keyring.set_keyring(previous)
        pseudonym._session_key = None
    assert not first.persistent
    assert first.notice is not None and first.notice.startswith(NO_KEYRING_NOTICE)
    assert "different pseudonym" in first.notice
    assert second.key == first.key  # stable for the session


class ReadOnlyKeyring(MemoryKeyring):
    def set_password(self, service: str, username: str, password: str) -> None:
        raise PasswordSetError("locked")


def test_a_keyring_that_refuses_to_store_falls_back_to_a_session_key():
    previous = keyring.get_keyring()
    keyring.set_keyring(ReadOnlyKeyring())
    pseudonym._session_key = None
    try:
        info = load_key()
    finally:
        keyring.set_keyring(previous)
        pseudonym._session_key = None
    assert not info.persistent and info.notice


def test_a_corrupt_stored_key_is_not_overwritten(memory_keyring):
    memory_keyring.store[(KEYRING_SERVICE, KEYRING_USERNAME)] = "not hex"
    info = load_key()
    assert not info.persistent and info.notice
    assert memory_keyring.store[(KEYRING_SERVICE, KEYRING_USERNAME)] == "not hex"


def test_pseudonyms_are_stable_per_key_and_spelling_insensitive():
    one, same, other = Pseudonymizer(KEY), Pseudonymizer(KEY), Pseudonymizer(b"x" * 32)
    name = "Zoë  Sørensen"
    decomposed = unicodedata.normalize("NFD", "zoë sørensen")
    assert re.fullmatch(r"person_[0-9a-f]{10}", one.pseudonym(name))
    assert one.pseudonym(name) == same.pseudonym(name) == one.pseudonym(decomposed)
    assert one.pseudonym(name) != other.pseudonym(name)
    assert one.pseudonym(name) != one.pseudonym("Zoë Sorensen")
    assert one.pseudonym("") == ""
    assert one.pseudonym("Meta AI") == "Meta AI"  # not a person


def test_a_names_column_maps_each_person_and_keeps_titles_and_empty():
    p = Pseudonymizer(KEY, ["Ana García", "Lars Hansen"])
    values = pd.Series(["Ana García", "", "ana  garcía", "Lars Hansen", "Trip 2022", "Meta AI"], dtype="string")
    out = p.names_column(values)
    assert out[0] == out[2] == p.pseudonym("Ana García")
    assert out[1] == ""
    assert out[3] == p.pseudonym("Lars Hansen") != out[0]
    assert out[4] == "Trip 2022" and out[5] == "Meta AI"


def test_names_in_text_are_whole_words_in_any_case_and_accent_longest_first():
    p = Pseudonymizer(KEY, ["Ana García", "Meta AI"])
    code = p.pseudonym("Ana García")
    text = pd.Series(["ana garcía said hi to Ana and to Banana; Meta AI replied", "GARCIA!", "Garcia,ANA", ""],
                     dtype="string")
    out = p.replace(text)
    # one person: the full name, each part and the folded spellings all become that person's pseudonym
    assert out[0] == f"{code} said hi to {code} and to Banana; Meta AI replied"
    assert out[1] == f"{code}!" and out[2] == f"{code},{code}" and out[3] == ""


def test_a_part_two_people_share_gets_the_pseudonym_of_the_part():
    p = Pseudonymizer(KEY, ["Ana García", "Ana Rossi", "Ana"])
    out = p.replace_strings(["Ana met Rossi", "ana rossi"])
    assert out[0] == f"{p.pseudonym('ana')} met {p.pseudonym('Ana Rossi')}"
    assert out[1] == p.pseudonym("Ana Rossi")


def test_one_pseudonym_per_person_across_short_name_full_name_and_folder_slug():
    p = Pseudonymizer(KEY, ["Ana Rossi", "Ana", "Søren Müller"])
    code, soren = p.pseudonym("Ana Rossi"), p.pseudonym("Søren Müller")
    out = p.replace_strings(["Ana", "Ana Rossi", "inbox/anarossi_123/message_1.json", "srenmller_9/x.json",
                             "sorenmuller", "SØREN", "Soren", "søren müller"])
    assert out == [code, code, f"inbox/{code}_123/message_1.json", f"{soren}_9/x.json", soren, soren, soren, soren]
    assert p.names_column(pd.Series(["Ana"])).tolist() == [code]


def test_names_in_paths_include_folder_spellings_but_not_other_words():
    p = Pseudonymizer(KEY, ["Ana García", "Chloé Çelik"])
    paths = pd.Series(["messages/inbox/anagarcia_10158/message_1.json", "WhatsApp Chat with Ana García.txt",
                       "media/bananas.jpg", "archived_threads/chloelik_100000000062/message_1.json",
                       "messages/inbox/anagarca_1/message_1.json"], dtype="category")
    out = p.replace(paths)
    code, chloe = p.pseudonym("Ana García"), p.pseudonym("Chloé Çelik")
    assert list(out) == [f"messages/inbox/{code}_10158/message_1.json", f"WhatsApp Chat with {code}.txt",
                         "media/bananas.jpg", f"archived_threads/{chloe}_100000000062/message_1.json",
                         f"messages/inbox/{code}_1/message_1.json"]
    assert isinstance(out.dtype, pd.CategoricalDtype)


def test_folder_slugs_follow_meta():
    assert "srenmller" in folder_slugs("Søren Müller") and "sorenmuller" in folder_slugs("Søren Müller")
    assert "chloelik" in folder_slugs("Chloé Çelik")
    assert "obrien" in folder_slugs("O'Brien")


def test_ordinary_words_survive_and_particles_are_not_names():
    p = Pseudonymizer(KEY, ["Ana de la Cruz", "Mallory", "Lars Hansen"])
    kept = "trip family café https://www.example.org/ana-path?q=1 de la plage Banana"
    out = p.replace_text(kept + " Cruz Mallory")
    assert out.startswith("trip family café https://www.example.org/")
    assert " de la plage Banana " in out
    assert "Cruz" not in out and "Mallory" not in out


def test_no_names_means_nothing_changes():
    p = Pseudonymizer(KEY)
    assert p.replace(pd.Series(["hello"])).tolist() == ["hello"]
