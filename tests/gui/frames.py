"""Synthetic audits built straight as frames (vectorised), for GUI tests and the GUI benchmark.

The real pipeline is exercised by the demo-export tests; this builds frames of any size fast,
with the contract dtypes, so a test can know exactly what went in.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from parsers.contract import (CATEGORIES, EXPOSURE_LEVELS, FILE_DTYPES, FILE_COLUMNS, ITEM_COLUMNS, ITEM_DTYPES,
                              PLATFORMS, AccountContext, problems_frame, Problem)
from parsers.scan import Audit, SourceReport

KINDS = ("post", "photo", "comment", "reaction", "message", "ai_message", "search", "login")
#: Authors of other people's items: accents and letters NFKD keeps (ø), to test the search.
AUTHORS = ("Chloé Dubois", "Søren Müller", "Zoë Ng", "Lars Berg")


def synthetic_items(n: int, seed: int = 7, *, start: str = "2016-01-01", years: int = 8) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    t0 = pd.Timestamp(start, tz="UTC").value
    span = int(years * 365.25 * 86400 * 1e9)
    stamps = pd.to_datetime(t0 + rng.integers(0, span, n), utc=True).astype("datetime64[ns, UTC]")
    stamps = pd.Series(stamps)
    stamps[rng.random(n) < 0.02] = pd.NaT  # a few undated items
    people = np.array([f"Person {i}" for i in range(200)], dtype=object)
    words = np.array(["hello", "beach", "café", "naïve", "party", "=SUM(A1)", "🙂", "dinner"], dtype=object)
    text = pd.Series(words[rng.integers(0, len(words), n)], dtype=object) + " " + pd.Series(
        np.arange(n).astype(str), dtype=object)
    actors = np.array(["self", "other"])[rng.integers(0, 2, n)]
    authors = np.array(AUTHORS, dtype=object)
    frame = pd.DataFrame({
        "platform": np.array(PLATFORMS)[rng.choice(3, n, p=[0.5, 0.3, 0.2])],
        "category": np.array(CATEGORIES)[rng.integers(0, 12, n)],
        "kind": np.array(KINDS)[rng.integers(0, len(KINDS), n)],
        "timestamp": stamps,
        "actor": actors,
        "author": np.where(actors == "self", "Ana Rossi", authors[rng.integers(0, len(authors), n)]),
        "counterpart": people[rng.integers(0, len(people), n)],
        "text": text,
        "text_chars": text.str.len(),
        "media_count": rng.integers(0, 3, n),
        "media_bytes": rng.integers(0, 3, n) * 150_000,
        "exposure": np.array(EXPOSURE_LEVELS)[rng.integers(0, len(EXPOSURE_LEVELS), n)],
        "source_file": np.array(["a/posts.json", "b/messages/inbox/x/message_1.json", "c/chat.txt"])[
            rng.integers(0, 3, n)],
    }, columns=list(ITEM_COLUMNS))
    return frame.astype(ITEM_DTYPES)


def synthetic_audit(n: int = 2000, seed: int = 7) -> Audit:
    items = synthetic_items(n, seed)
    files = pd.DataFrame.from_records([
        ("a/posts.json", "facebook", "posts", "parsed", "", 12_000, 3_000, "fb.zip", n // 2),
        ("a/unknown_thing.json", "facebook", None, "unknown", "not in the handler table", 500, 200, "fb.zip", 0),
        ("a/broken.json", "facebook", "comments", "failed", "the JSON ends early or is broken", 90, 60, "fb.zip", 0),
        ("a/photos/1.jpg", "facebook", "photos_videos", "ignored", "media file (counted from the zip directory)",
         150_000, 150_000, "fb.zip", 0),
    ], columns=list(FILE_COLUMNS)).astype(FILE_DTYPES)
    problems = problems_frame([Problem("a/broken.json", "unreadable", "a/broken.json could not be read: the JSON "
                                       "ends early or is broken")])
    sources = [SourceReport("fb.zip", "fb.zip", "facebook", "json", "2024", 1, (), 4, 162_590)]
    return Audit(items, files, problems, sources, {"facebook": AccountContext()}, None, False)
