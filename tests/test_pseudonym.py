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
from parsers.pseudonym import (KEYRING_SERVICE, KEYRING_USERNAME, NO_KEYRING_NOTICE, Pseudonymizer, load_key)

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


def test_series_maps_each_name_and_keeps_empty():
    p = Pseudonymizer(KEY)
    values = pd.Series(["Ana García", "", "Ana García", "Lars Hansen"], dtype="string")
    out = p.series(values)
    assert out[0] == out[2] == p.pseudonym("Ana García")
    assert out[1] == ""
    assert out[3] == p.pseudonym("Lars Hansen") != out[0]


def test_names_in_text_are_replaced_as_whole_words_longest_first():
    p = Pseudonymizer(KEY, ["Ana García", "Meta AI"])
    text = pd.Series(["ana garcía said hi to Ana and to Banana; Meta AI replied", "García!", ""], dtype="string")
    out = p.replace_in_text(text)
    assert out[0] == (f"{p.pseudonym('Ana García')} said hi to {p.pseudonym('ana')} and to Banana; Meta AI replied")
    assert out[1] == f"{p.pseudonym('garcía')}!"
    assert out[2] == ""


def test_names_in_paths_include_folder_spellings_but_not_other_words():
    p = Pseudonymizer(KEY, ["Ana García"])
    paths = pd.Series(["messages/inbox/anagarcia_10158/message_1.json", "WhatsApp Chat with Ana García.txt",
                       "media/bananas.jpg"], dtype="category")
    out = p.replace_in_paths(paths)
    code = p.pseudonym("Ana García")
    assert list(out) == [f"messages/inbox/{code}_10158/message_1.json", f"WhatsApp Chat with {code}.txt",
                         "media/bananas.jpg"]
    assert isinstance(out.dtype, pd.CategoricalDtype)


def test_no_names_means_nothing_changes():
    p = Pseudonymizer(KEY)
    assert p.replace_in_text(pd.Series(["hello"])).tolist() == ["hello"]
