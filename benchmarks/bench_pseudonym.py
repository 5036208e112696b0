"""Pseudonymising a million-row items frame whose text names the people of a large export.

Run: /work/venv/bin/python benchmarks/bench_pseudonym.py [items] [people]   (default 1,000,000 and 2,000)

The frame: every row has an author (one of `people` accented full names), a counterpart (a person
or a chat title), a text of ~8 words of which one in three rows names someone (full name, first
name, surname in capitals or without accents), and a thread folder slug in source_file. Prints
`measure | target | measured | ok`. Not run by the test suite.
"""
from __future__ import annotations

import random
import sys
import time
import unicodedata
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from parsers import export  # noqa: E402
from parsers.contract import ITEM_COLUMNS, ITEM_DTYPES  # noqa: E402
from parsers.pseudonym import KeyInfo, Pseudonymizer  # noqa: E402

TARGETS = {"build the index of forms": 2.0, "text column": 5.0, "whole frame (author, counterpart, text, source_file)": 8.0}
SYLLABLES = "an ar be bjö ca chlo da dé el em fa gö ha in jo ka la li ma mü na no ø ol pa ri ro sa sø ta to ur ve zo".split()
WORDS = "hello photo trip beach coffee party family weekend dinner music café naïve garden winter".split()


def names(count: int, rng: random.Random) -> list[str]:
    def word() -> str:
        return "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 3))).capitalize()

    found: dict[str, None] = {}
    while len(found) < count:
        found[f"{word()} {word()}"] = None
    return list(found)


def frame(n: int, people: list[str], rng: random.Random) -> pd.DataFrame:
    np_rng = np.random.default_rng(1)
    picks = np_rng.integers(0, len(people), n)
    words = np.array(WORDS)

    def mention(person: str, i: int) -> str:
        first, last = person.split()
        return [person, first, last.upper(), unicodedata.normalize("NFKD", person).encode("ascii", "ignore").decode()][i % 4]

    texts = [" ".join(words[np_rng.integers(0, len(words), 7)]) + (f" {mention(people[p], i)}" if i % 3 == 0 else "")
             for i, p in enumerate(picks)]
    slugs = ["".join(c for c in person.lower() if c.isascii() and c.isalnum()) for person in people]
    data = {
        "platform": "facebook", "category": "messages", "kind": "message", "timestamp": pd.Timestamp("2024-01-01", tz="UTC"),
        "actor": "other", "author": [people[p] for p in picks],
        "counterpart": [people[p] if i % 2 else "Trip 2022" for i, p in enumerate(picks)], "text": texts,
        "text_chars": 0, "media_count": 0, "media_bytes": 0, "exposure": "unclear",
        "source_file": [f"your_facebook_activity/messages/inbox/{slugs[p % 500]}_{p}/message_1.json" for p in picks],
    }
    return pd.DataFrame(data, columns=list(ITEM_COLUMNS)).astype(ITEM_DTYPES)


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    count = int(sys.argv[2]) if len(sys.argv) > 2 else 2_000
    rng = random.Random(7)
    people = names(count, rng)
    items = frame(n, people, rng)
    key = KeyInfo(b"k" * 32, True)
    results = []

    def timed(name, function):
        start, cpu = time.perf_counter(), time.process_time()
        value = function()
        results.append((name, time.perf_counter() - start, time.process_time() - cpu))
        return value

    pseudonymizer = Pseudonymizer(key.key, people)
    timed("build the index of forms", lambda: pseudonymizer.replace_text("warm-up"))
    text = timed("text column", lambda: pseudonymizer.replace(items["text"]))
    whole = timed("whole frame (author, counterpart, text, source_file)",
                  lambda: export.pseudonymize_items(items, Pseudonymizer(key.key, people)))
    left = sum(any(p in t for p in people[:50]) for t in text.head(20000))
    assert left == 0 and whole["author"].str.startswith("person_").all()
    scale = n / 1_000_000
    print(f"{n:,} items, {count:,} people; a third of the texts name someone")
    print("the target is for CPU seconds (process time); wall time is shown too, it grows on a loaded machine")
    print(f"{'measure':<55} {'target s':>9} {'CPU s':>7} {'wall s':>7}  ok")
    for name, seconds, cpu in results:
        target = TARGETS[name] * (scale if name != "build the index of forms" else 1)
        print(f"{name:<55} {target:>9.2f} {cpu:>7.2f} {seconds:>7.2f}  {'yes' if cpu <= target else 'NO'}")


if __name__ == "__main__":
    main()
