"""Audit workload at scale: exposure rules, summaries and CSV export on a synthetic items frame.

Run: /work/venv/bin/python benchmarks/bench_audit.py [items]   (default 1,000,000)
Prints each step with its target next to the measured time. Not run by the test suite.
"""
from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from parsers import export, summaries  # noqa: E402
from parsers.contract import (ACTORS, CATEGORIES, ITEM_COLUMNS, ITEM_DTYPES, PLATFORMS,  # noqa: E402
                              AccountContext)
from parsers.exposure import classify  # noqa: E402
from parsers.pseudonym import KeyInfo  # noqa: E402

#: step -> target seconds at 1,000,000 items
TARGETS = {"classify (exposure rules)": 2.0, "by_category": 1.0, "by_exposure": 0.5, "timeline (month)": 1.0,
           "top_counterparts": 1.0, "inventory": 3.0, "items CSV": 20.0, "items CSV, pseudonymised": 40.0}


def synthetic(n: int, seed: int = 1) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    people = np.array([f"Person {i} Name{i}" for i in range(2000)] + [""])
    words = np.array("hello photo trip beach coffee party family weekend dinner music".split())
    texts = [" ".join(rng.choice(words, 6)) + " " + people[i % 2000] for i in range(n)]
    frame = pd.DataFrame({
        "platform": rng.choice(PLATFORMS, n), "category": rng.choice(CATEGORIES, n),
        "kind": rng.choice(["post", "message", "comment", "ai_message", "photo"], n),
        "timestamp": pd.to_datetime(rng.integers(1.2e9, 1.75e9, n), unit="s", utc=True),
        "actor": rng.choice(ACTORS, n), "counterpart": rng.choice(people, n), "text": texts,
        "text_chars": rng.integers(0, 200, n), "media_count": rng.integers(0, 3, n),
        "media_bytes": rng.integers(0, 5_000_000, n), "exposure": "unclear",
        "source_file": rng.choice([f"messages/inbox/thread_{i}/message_1.json" for i in range(500)], n),
    }, columns=list(ITEM_COLUMNS))
    return frame.astype(ITEM_DTYPES)


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    scale = n / 1_000_000
    items = synthetic(n)
    accounts = {"instagram": AccountContext(privacy_changes=[(1.5e9, "private"), (1.6e9, "public")]),
                "facebook": AccountContext(birth_date="1995-04-01")}
    from parsers.scan import Audit
    from parsers.contract import files_frame, problems_frame
    results: list[tuple[str, float]] = []

    def timed(name, function):
        start = time.perf_counter()
        value = function()
        results.append((name, time.perf_counter() - start))
        return value

    items["exposure"] = timed("classify (exposure rules)", lambda: classify(items, accounts))["exposure"] \
        .astype(ITEM_DTYPES["exposure"])
    timed("by_category", lambda: summaries.by_category(items))
    timed("by_exposure", lambda: summaries.by_exposure(items))
    timed("timeline (month)", lambda: summaries.timeline(items))
    timed("top_counterparts", lambda: summaries.top_counterparts(items, 20))
    audit = Audit(items, files_frame([]), problems_frame([]), [], accounts, None)
    timed("inventory", lambda: export.inventory(audit))
    key = KeyInfo(b"k" * 32, True)
    with tempfile.TemporaryDirectory() as folder:
        timed("items CSV", lambda: export.write_items_csv(items, Path(folder) / "a.csv"))
        timed("items CSV, pseudonymised",
              lambda: export.write_items_csv(items, Path(folder) / "b.csv", pseudonymize=True, key=key))
    print(f"{n:,} items (targets scale with the item count)")
    print(f"{'step':<28} {'target s':>9} {'measured s':>11}  ok")
    for name, seconds in results:
        target = TARGETS[name] * scale
        print(f"{name:<28} {target:>9.2f} {seconds:>11.2f}  {'yes' if seconds <= target else 'NO'}")


if __name__ == "__main__":
    main()
