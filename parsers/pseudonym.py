"""Pseudonyms for people's names: HMAC-SHA256 with a per-user key kept in the OS keyring.

The same key gives the same pseudonym for the same name in every export, so a user can compare
two CSVs without either showing a name. The key lives in the keyring (never in a settings file);
when no keyring backend works (headless Linux without Secret Service), a session-only key is used
and `KeyInfo.notice` says so, because pseudonyms will then differ next time.
"""
from __future__ import annotations

import hashlib
import hmac
import re
import secrets
import unicodedata
from dataclasses import dataclass
from typing import Iterable

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


def ascii_fold(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")


class Pseudonymizer:
    """Maps names to stable pseudonyms and removes known names from free text and paths."""

    def __init__(self, key: bytes, names: Iterable[str] = ()) -> None:
        self.key = key
        self._cache: dict[str, str] = {}
        self._names: set[str] = set()
        self._text_pattern: re.Pattern[str] | None = None
        self._path_pattern: re.Pattern[str] | None = None
        self._variants: dict[str, str] = {}
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
        """Register names to replace inside text and paths (full names and their words of 3+ letters)."""
        for name in names:
            norm = normalise_name(name or "")
            if norm and norm not in self._names and norm not in NOT_PEOPLE:
                self._names.add(norm)
                self._text_pattern = self._path_pattern = None

    @property
    def names(self) -> frozenset[str]:
        return frozenset(self._names)

    def series(self, values: pd.Series) -> pd.Series:
        """Pseudonymise a column of names, computing each distinct name once."""
        distinct = pd.unique(values.dropna().astype(str))
        mapping = {value: self.pseudonym(value) for value in distinct}
        return values.map(mapping, na_action="ignore").astype("string")

    # ---- names inside text --------------------------------------------------------------------
    def _build(self) -> None:
        """Compile the patterns: full names (also ASCII-folded and without spaces) for paths and text,
        plus each word of 3+ letters of a name for text only."""
        full: dict[str, str] = {}
        words: dict[str, str] = {}
        for norm in self._names:
            pseudo = self.pseudonym(norm)
            forms = {norm, ascii_fold(norm)}
            forms |= {form.replace(" ", "") for form in forms}  # folder names drop spaces: "anagarcia_123"
            for form in forms:
                if form:
                    full.setdefault(form, pseudo)
            for word in norm.split():
                for form in {word, ascii_fold(word)}:
                    if len(form) >= 3 and form not in NOT_PEOPLE:
                        words.setdefault(form, self.pseudonym(word))
        self._variants = {**words, **full}
        self._text_pattern = _alternation(self._variants, r"(?<!\w)", r"(?!\w)")
        # in paths a name may touch digits, '_' or '-' ("anagarcia_123"), but not other letters
        self._path_pattern = _alternation(full, r"(?<![^\W\d_])", r"(?![^\W\d_])")

    def _sub(self, pattern: re.Pattern[str], text: str) -> str:
        return pattern.sub(lambda m: self._variants.get(m.group(0).casefold(), PREFIX + "name"), text)

    def replace_in_text(self, values: pd.Series) -> pd.Series:
        """Replace every known name (whole words) inside free text."""
        return self._replace(values, "_text_pattern")

    def replace_in_paths(self, values: pd.Series) -> pd.Series:
        """Replace known names anywhere inside member paths (thread folders, 'WhatsApp Chat with X.txt')."""
        return self._replace(values, "_path_pattern")

    def _replace(self, values: pd.Series, which: str) -> pd.Series:
        """Both patterns are built on first use (one pass over the names)."""
        if getattr(self, which) is None:
            self._build()
        pattern: re.Pattern[str] = getattr(self, which)
        return _map_strings(values, lambda text: self._sub(pattern, text))


def _alternation(variants: dict[str, str], before: str, after: str) -> re.Pattern[str]:
    """One case-insensitive regex for all variants, built as a prefix tree.

    A flat alternation of thousands of names makes `re` try each in turn at every position; the
    tree shares prefixes, so matching costs about the length of the longest name. Optional
    branches are greedy, so the longest name wins ("Ana García" before "Ana").
    """
    if not variants:
        return re.compile(r"(?!x)x")  # matches nothing
    trie: dict[str, dict] = {}
    for variant in variants:
        node = trie
        for char in variant:
            node = node.setdefault(char, {})
        node[""] = {}
    return re.compile(f"{before}{_trie_regex(trie)}{after}", re.IGNORECASE)


def _trie_regex(node: dict[str, dict]) -> str:
    branches = [re.escape(char) + _trie_regex(child) for char, child in sorted(node.items()) if char]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    return f"(?:{body})?" if "" in node else body


def _map_strings(values: pd.Series, function) -> pd.Series:
    """Apply `function` to each distinct non-empty string once (categoricals stay cheap)."""
    if isinstance(values.dtype, pd.CategoricalDtype):
        renamed = [function(str(c)) for c in values.cat.categories]
        if len(set(renamed)) == len(renamed):
            return values.cat.rename_categories(renamed)
        return values.astype("object").map(dict(zip(values.cat.categories, renamed))).astype("category")
    strings = values.astype("string")
    mask = strings.fillna("").str.len() > 0
    out = strings.copy()
    out[mask] = [function(text) for text in strings[mask]]
    return out
