"""Instagram scan throughput and memory on a synthetic 2025 export (tests/builder/instagram.py).

Run: /work/venv/bin/python benchmarks/bench_instagram.py [scale]. Prints the target next to the
measured figure. Not part of the test suite (timings depend on the machine).
"""
from __future__ import annotations

import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from builder.instagram import build_instagram  # noqa: E402

from parsers.scan import scan  # noqa: E402

TARGET_ITEMS_PER_SECOND = 20_000
TARGET_PEAK_MB = 200


def main(scale: int = 200) -> None:
    built = build_instagram("2025", seed=1, scale=scale)
    with tempfile.TemporaryDirectory() as folder:
        path = built.write_zip(Path(folder) / "instagram-bench.zip")
        size_mb = path.stat().st_size / 1e6
        started = time.perf_counter()
        audit = scan([path])
        seconds = time.perf_counter() - started
        tracemalloc.start()  # a second run for memory: tracing slows Python down several times
        scan([path])
        _current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    items = len(audit.items)
    rate = items / seconds
    print(f"synthetic 2025 export, scale {scale}: {size_mb:.1f} MB zip, {len(audit.files)} members, {items} items")
    print(f"{'measure':<28}{'target':>14}{'measured':>14}")
    print(f"{'items per second':<28}{'>= ' + str(TARGET_ITEMS_PER_SECOND):>14}{rate:>14,.0f}")
    print(f"{'scan seconds':<28}{'':>14}{seconds:>14.2f}")
    print(f"{'peak Python memory (MB)':<28}{'<= ' + str(TARGET_PEAK_MB):>14}{peak / 1e6:>14.1f}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 200)
