"""Pseudonyms for people's names: HMAC-SHA256 with a per-user key kept in the OS keyring.

The same key gives the same pseudonym for the same name in every export, so a user can compare
two CSVs without either showing a name. The key lives in the keyring (never in a settings file);
when no keyring backend works (headless Linux without Secret Service), a session-only key is used
and `KeyInfo.notice` says so, because pseudonyms will then differ next time.
"""
from __future__ import annotations

import functools
import hashlib
import hmac
import itertools
import re
import secrets
import unicodedata
from dataclasses import dataclass
from typing import Callable, Iterable

import numpy as np
import pandas as pd

KEYRING_SERVICE = "export-auditor"
KEYRING_USERNAME = "pseudonym-key"
PREFIX = "person_"
DIGEST_CHARS = 10  # 40 bits: collisions are negligible for the people of one export

NO_KEYRING_NOTICE = ("No system keyring is available, so the pseudonym key lives only for this session: the same "
                     "name will get a different pseudonym in exports made after you close the app.")

#: Counterparts that are not people: kept as they are, and their words never replaced in text.
NOT_PEOPLE = frozenset({"meta ai", "facebook user", "instagram user", "whatsapp", "you"})

_session_key: bytes | None = None


@dataclass(frozen=True)
class KeyInfo:
    key: bytes
    persistent: bool
    notice: str | None = None


def load_key() -> KeyInfo:
    """The user's pseudonym key from the keyring (created on first use), or a session key + notice."""
    import keyring
    from keyring.errors import KeyringError

    try:
        stored = keyring.get_password(KEYRING_SERVICE, KEYRING_USERNAME)
        if stored:
            return KeyInfo(bytes.fromhex(stored), True)
        key = secrets.token_bytes(32)
        keyring.set_password(KEYRING_SERVICE, KEYRING_USERNAME, key.hex())
        return KeyInfo(key, True)
    except (KeyringError, ValueError, RuntimeError) as error:  # ValueError: a corrupt stored key
        detail = f" ({type(error).__name__})" if not isinstance(error, KeyringError) else ""
        return KeyInfo(session_key(), False, NO_KEYRING_NOTICE + detail)


def session_key() -> bytes:
    """A random key that lives as long as the process: consistent within one session only."""
    global _session_key
    if _session_key is None:
        _session_key = secrets.token_bytes(32)
    return _session_key


def normalise_name(name: str) -> str:
    """One spelling per person: Unicode NFC, case-folded, inner whitespace collapsed."""
    return " ".join(unicodedata.normalize("NFC", name).casefold().split())


# ---- folding: one character for one character, so positions in the folded text are the text's --

#: Letters NFKD does not take apart, with the letter they are read as.
_SPECIAL_FOLDS = {"ø": "o", "ł": "l", "đ": "d", "ħ": "h", "ı": "i", "ŧ": "t", "ŀ": "l", "ð": "d"}
#: Letters written as two in ASCII; a name holding one also gets the two-letter spelling.
_EXPANSIONS = {"ß": "ss", "æ": "ae", "œ": "oe", "þ": "th", "ĳ": "ij"}
#: Apostrophes, hyphens and spaces as names are written with them, read as one of each.
_PUNCT_FOLDS = {"’": "'", "`": "'", "´": "'", "‐": "-", "‑": "-", "–": "-", "\t": " ", "\u00a0": " ",
                "\u202f": " ", "\u2009": " "}


def _fold_table() -> dict[int, str]:
    """str.translate table: each letter to its lower-case base letter (É -> e, Ø -> o, Ж -> ж),
    always one character for one, so a match in the folded text is a match at the same place."""
    table: dict[int, str] = {}
    for code in range(0x3000):
        char = chr(code)
        lower = char.lower()
        if len(lower) != 1:
            continue
        base = _SPECIAL_FOLDS.get(lower) or "".join(
            c for c in unicodedata.normalize("NFKD", lower) if not unicodedata.combining(c))
        if len(base) != 1 or (code < 0x250 <= ord(base)):
            base = lower
        if base != char:
            table[code] = base
    table.update({ord(k): v for k, v in _PUNCT_FOLDS.items()})
    return table


_SPACES = re.compile(r" +")


@functools.cache
def _fold_tables() -> tuple[dict[int, str], np.ndarray]:
    """(the str.translate fold table, the same as an array over the code points below U+3000).
    Built on first use (12,288 code points through unicodedata), not at import: `scan --json`
    never pseudonymises, and every CLI start imports this module."""
    table = _fold_table()
    array = np.arange(0x3000, dtype=np.uint32)
    for code, base in table.items():
        array[code] = ord(base)
    array[0x130] = ord("i")  # İ: the one letter whose lower case is two characters
    return table, array


def fold_text(text: str) -> str:
    """`text` folded for matching (lower case, accents off), exactly as long as `text`: a table
    lookup over its code points, vectorised."""
    if text.isascii():
        return text.lower()
    codes = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)
    low = codes < 0x3000
    folded = codes.copy()
    folded[low] = _fold_tables()[1][codes[low]]
    return folded.tobytes().decode("utf-32-le")


def fold_key(text: str) -> str:
    """A name as matching sees it: NFC, lower case, accents off (ø -> o), spaces as one space."""
    folded = fold_text(unicodedata.normalize("NFC", text))
    return _SPACES.sub(" ", "".join(c for c in folded if not unicodedata.combining(c)).strip())


def _spellings(key: str) -> set[str]:
    """A folded form and its two-letter ASCII spelling (Strauß: strauß, strauss)."""
    spelled = key
    for letter, two in _EXPANSIONS.items():
        spelled = spelled.replace(letter, two)
    return {key, spelled}


#: Particles written in lower case inside a name ("Ana de la Cruz") are not replaced on their own.
PARTICLES = frozenset("de la las los del da das do dos di du van von der den ter le el al bin ibn y e of".split())
_LETTER_RUNS = re.compile(r"[^\W\d_]+")
_HANDLE = re.compile(r"[\d._@]")


def name_parts(name: str) -> list[str]:
    """The words of a name that identify its person: letter runs of 2+ letters, except lower-case
    particles. A handle ("ana.rossi_92") has no parts: its words are not known to be names."""
    if " " not in name.strip() and _HANDLE.search(name):
        return []
    return [run for run in _LETTER_RUNS.findall(unicodedata.normalize("NFC", name))
            if len(run) >= 2 and not (run.islower() and run in PARTICLES)]


def folder_slugs(name: str, limit: int = 64) -> set[str]:
    """Meta's folder slug of a name (lower case, everything but [a-z0-9] dropped: "Søren Müller"
    -> srenmller), also with accented letters kept as their base letter (sorenmuller) and the
    mixes of both, up to `limit` spellings (then the two extremes)."""
    lower = unicodedata.normalize("NFC", name).lower()
    options: list[tuple[str, ...]] = []
    for char in lower:
        if char.isascii():
            if char.isalnum():
                options.append((char,))
        elif (folded := char.translate(_fold_tables()[0])).isascii() and folded.isalnum():
            options.append(("", folded))
        elif char in _EXPANSIONS:
            options.append(("", _EXPANSIONS[char]))
        else:
            base = "".join(c for c in unicodedata.normalize("NFKD", char) if c.isascii() and c.isalnum())
            options.append(("", base) if base else ("",))
    choices = sum(1 for o in options if len(o) > 1)
    if 2 ** choices <= limit:
        slugs = {""}
        for option in options:
            slugs = {s + o for s in slugs for o in option}
    else:
        slugs = {"".join(o[0] for o in options), "".join(o[-1] for o in options)}
    return {s for s in slugs if len(s) >= 3}


# ---- the pseudonymiser -------------------------------------------------------------------------

class Pseudonymizer:
    """Stable pseudonyms for the people of an export, and their names removed from any text.

    One pseudonym per person: the full name, each of its name parts that no other person shares,
    Meta's folder slug of it, and a single-word name that is a part of exactly one fuller name
    ("Ana" next to "Ana Rossi") all become the pseudonym of that person. A part shared by several
    people becomes the pseudonym of the part. Matching ignores case and accents, and a name is
    replaced only as a whole word (not inside another word: "Ana" stays in "Banana").
    """

    def __init__(self, key: bytes, names: Iterable[str] = ()) -> None:
        self.key = key
        self._cache: dict[str, str] = {}
        self._names: dict[str, str] = {}  # normalise_name -> the name as given
        self._pattern: re.Pattern[str] | None = None
        self._variants: dict[str, str] = {}  # fold_key of a form -> pseudonym
        self._persons: dict[str, str] = {}  # fold_key of a full name -> pseudonym
        self.add_names(names)

    def pseudonym(self, name: str) -> str:
        """'person_<10 hex>' for a non-empty name; empty stays empty, NOT_PEOPLE stay as they are."""
        norm = normalise_name(name or "")
        if not norm:
            return ""
        if norm in NOT_PEOPLE:
            return name
        found = self._cache.get(norm)
        if found is None:
            digest = hmac.new(self.key, norm.encode("utf-8"), hashlib.sha256).hexdigest()
            found = self._cache[norm] = PREFIX + digest[:DIGEST_CHARS]
        return found

    def add_names(self, names: Iterable[str]) -> None:
        """Register people's names (each full name is one person)."""
        for name in names:
            norm = normalise_name(name or "")
            if norm and norm not in self._names and norm not in NOT_PEOPLE:
                self._names[norm] = " ".join(str(name).split())
                self._pattern = None

    @property
    def names(self) -> frozenset[str]:
        return frozenset(self._names)

    # ---- building the forms ---------------------------------------------------------------------
    def _build(self) -> None:
        """Every form of every person -> its pseudonym, indexed by the form's first letter run (and
        a regex for the few forms that start with no letter, such as phone numbers)."""
        people = list(self._names.values())
        owners_of_part: dict[str, set[str]] = {}
        for name in people:
            for part in name_parts(name):
                for form in _spellings(fold_key(part)):
                    owners_of_part.setdefault(form, set()).add(name)
        # a one-word name that is a part of exactly one longer name is that person ("Ana" -> "Ana Rossi")
        person_of: dict[str, str] = {}
        for name in people:
            longer = {p for p in owners_of_part.get(fold_key(name), ()) if p != name and " " in p}
            person_of[name] = next(iter(longer)) if " " not in name and len(longer) == 1 else name
        pseudo = {name: self.pseudonym(person_of[name]) for name in people}
        variants: dict[str, str] = {}
        for form, owners in owners_of_part.items():
            persons = {person_of[o] for o in owners}
            variants[form] = self.pseudonym(persons.pop()) if len(persons) == 1 else self.pseudonym(form)
        persons: dict[str, str] = {}
        for name in people:
            for form in _spellings(fold_key(name)):
                persons[form] = pseudo[name]
            for slug in folder_slugs(name):
                variants.setdefault(slug, pseudo[name])
        variants.update(persons)  # a full name wins over a part or slug spelled the same
        self._variants, self._persons = variants, persons
        self._starts, loose = _token_index(variants)
        self._pattern = _alternation(loose)

    # ---- replacing ------------------------------------------------------------------------------
    def replace_strings(self, texts: list[str]) -> list[str]:
        """Each text with every known form of every person replaced, CHUNK texts at a time."""
        if self._pattern is None:
            self._build()
        if not self._variants or not texts:
            return list(texts)
        out: list[str] = []
        for start in range(0, len(texts), CHUNK):
            out.extend(self._replace_chunk(texts[start:start + CHUNK]))
        return out

    def _replace_chunk(self, texts: list[str]) -> list[str]:
        """The texts joined, folded (same length), cut into letter runs and what lies between
        (C speed); only the runs that start a known form are looked at in Python."""
        joined = unicodedata.normalize("NFC", _SEPARATOR.join(texts))
        if joined.count(_SEPARATOR) != len(texts) - 1:  # a text holds the separator: one at a time
            return [self._replace_chunk([t])[0] if _SEPARATOR not in t else t for t in texts]
        folded = fold_text(joined)
        parts = _WORDS.split(folded)
        starts = self._starts
        spans: list[tuple[int, int, str, int]] = []  # (first part, part after the form, pseudonym, tail)
        next_free = 0
        for word in itertools.compress(itertools.count(), map(starts.__contains__, parts[1::2])):
            at = 2 * word + 1
            if at < next_free:
                continue
            for rest, tail, code in starts[parts[at]]:
                end = at + len(rest)
                if end >= len(parts) or any(parts[at + 1 + k] != piece for k, piece in enumerate(rest)):
                    continue
                if tail:
                    after = parts[end + 1] if end + 1 < len(parts) else ""
                    if not after.startswith(tail) or (len(after) == len(tail) and end + 2 < len(parts)):
                        continue
                spans.append((at, end + 1, code, len(tail)))
                next_free = end + 1
                break
        if spans:
            offsets = [0, *itertools.accumulate(map(len, parts))]
            pieces: list[str] = []
            last = 0
            for first, after, code, tail in spans:
                pieces.append(joined[last:offsets[first]])
                pieces.append(code)
                last = offsets[after] + tail
            pieces.append(joined[last:])
            joined = "".join(pieces)
        result = joined
        if self._pattern.pattern != _NOTHING:  # forms that do not start with a letter (phone numbers)
            result = self._pattern.sub(lambda m: self._variants.get(fold_key(m.group(0)), PREFIX + "name"), result)
        return result.split(_SEPARATOR)

    def replace_text(self, text: str) -> str:
        return self.replace_strings([text])[0] if text else text

    def replace(self, values: pd.Series) -> pd.Series:
        """Replace known names in a column of free text or paths (categoricals: their categories)."""
        return _map_distinct(values, self.replace_strings, distinct=False)

    def names_column(self, values: pd.Series) -> pd.Series:
        """A column of names or titles (author, counterpart): a value that is a person becomes that
        person's pseudonym; any other value (a chat title, a page) keeps its words except the
        known names inside it ("Trip with Ana" -> "Trip with person_...")."""
        if self._pattern is None:
            self._build()

        def convert(texts: list[str]) -> list[str]:
            out = self.replace_strings(texts)
            for index, text in enumerate(texts):
                whole = self._persons.get(fold_key(text))
                if whole is not None and normalise_name(text) not in NOT_PEOPLE:
                    out[index] = whole
            return out

        return _map_distinct(values, convert)


_SEPARATOR = "\x00"
#: Texts joined and replaced in one go; bounds the memory of the joined copies.
CHUNK = 50_000
_WORDS = re.compile(r"([^\W\d_]+)")
_NOTHING = r"(?!x)x"

Starts = dict[str, list[tuple[tuple[str, ...], str, str]]]


def _token_index(variants: dict[str, str]) -> tuple[Starts, dict[str, str]]:
    """Forms by their first letter run: run -> [(the pieces that must follow it, the start of the
    piece after them, pseudonym)], longest first ("ana rossi" -> "ana": ((" ", "rossi"), "", code);
    "radek_2024" -> "radek": ((), "_2024", code)). Forms that do not start with a letter are
    returned apart, for a regex."""
    starts: Starts = {}
    loose: dict[str, str] = {}
    for form, code in variants.items():
        parts = _WORDS.split(form)
        if len(parts) < 2 or parts[0]:
            loose[form] = code
            continue
        *rest, tail = parts[2:] if len(parts) > 2 else [""]
        starts.setdefault(parts[1], []).append((tuple(rest), tail, code))
    for entries in starts.values():
        entries.sort(key=lambda entry: (-len(entry[0]), -len(entry[1])))
    return starts, loose


def _alternation(variants: dict[str, str]) -> re.Pattern[str]:
    """One regex for all (folded) forms, matched against folded text, built as a prefix tree.

    A flat alternation of thousands of names makes `re` try each in turn at every position; the
    tree shares prefixes, so matching costs about the length of the longest name. Optional
    branches are greedy, so the longest form wins ("Ana García" before "Ana"). A form matches
    only where no letter touches it on either side (digits, '_' and '/' may: `anarossi_123`).
    """
    if not variants:
        return re.compile(_NOTHING)  # matches nothing
    trie: dict[str, dict] = {}
    for variant in variants:
        node = trie
        for char in variant:
            node = node.setdefault(char, {})
        node[""] = {}
    return re.compile(r"(?<![^\W\d_])" + _trie_regex(trie) + r"(?![^\W\d_])")


def _unit_regex(unit: str) -> str:
    return " +" if unit == " " else re.escape(unit)


def _trie_regex(node: dict[str, dict]) -> str:
    branches = [_unit_regex(char) + _trie_regex(child) for char, child in sorted(node.items()) if char]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    return f"(?:{body})?" if "" in node else body


def _map_distinct(values: pd.Series, function: Callable[[list[str]], list[str]], *,
                  distinct: bool = True) -> pd.Series:
    """Apply `function` to the non-empty strings of a column: each distinct one once (categoricals
    and name columns), or all in one call (`distinct=False`: free text, mostly unique anyway)."""
    if isinstance(values.dtype, pd.CategoricalDtype):
        categories = [str(c) for c in values.cat.categories]
        renamed = function(categories)
        if len(set(renamed)) == len(renamed):
            return values.cat.rename_categories(renamed)
        return values.astype("object").map(dict(zip(values.cat.categories, renamed))).astype("category")
    strings = values.astype("string")
    if not distinct:
        missing = strings.isna().to_numpy(bool)
        out = pd.Series(function(strings.fillna("").tolist()), index=values.index, dtype="string")
        if missing.any():
            out[missing] = pd.NA
        return out
    present = strings.fillna("")
    found = [t for t in pd.unique(present) if t]
    if not found:
        return strings
    mapping = dict(zip(found, function(found)))
    out = strings.copy()
    mask = (present.str.len() > 0).to_numpy(bool)
    out[mask] = present[mask].map(mapping)
    return out
