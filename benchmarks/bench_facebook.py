"""Facebook scan throughput on a synthetic message-heavy 2024 export (tests/builder/facebook.py).

Run: /work/venv/bin/python benchmarks/facebook_scan.py [messages]  (default 200000; the brief's
large case is 1000000). Message files hold 10k messages each, as Meta writes them. Prints the
target next to the measured figure. Not part of the test suite (timings depend on the machine).
"""
from __future__ import annotations

import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from builder.facebook import build_facebook  # noqa: E402

from parsers.scan import scan  # noqa: E402

TARGET_MESSAGES_PER_SECOND = 50_000
TARGET_BASE_MB = 150  # interpreter, pandas and the app modules
TARGET_PEAK_MB_PER_MILLION = 1_000  # on top: items frame and a message file in flight


def measure(path: Path) -> dict:
    """Scan in this process; its peak RSS is then the scan's own (the export was built elsewhere)."""
    started = time.perf_counter()
    audit = scan([path])
    seconds = time.perf_counter() - started
    return {"seconds": seconds, "items": len(audit.items), "files": len(audit.files),
            "messages": int((audit.items["category"] == "messages").sum()),
            "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


def main(messages: int = 200_000) -> None:
    started = time.perf_counter()
    tree = build_facebook("2024", seed=1, messages=messages, threads=max(4, messages // 25_000), posts=200,
                          photos=50, media_size=1_000)
    with tempfile.TemporaryDirectory() as folder:
        path = tree.write_zip(Path(folder) / "facebook-bench-2024-01-01-abcdefgh.zip")
        del tree
        built = time.perf_counter() - started
        size_mb = path.stat().st_size / 1e6
        child = subprocess.run([sys.executable, __file__, "--scan", str(path)], capture_output=True, text=True,
                               check=True)
    result = json.loads(child.stdout)
    rate = result["messages"] / result["seconds"]
    print(f"synthetic 2024 export: {messages:,} messages, {size_mb:.1f} MB zip, {result['files']:,} members, "
          f"{result['items']:,} items (built in {built:.1f} s)")
    print(f"{'measure':<34}{'target':>14}{'measured':>14}")
    print(f"{'message items per second':<34}{'>= ' + format(TARGET_MESSAGES_PER_SECOND, ','):>14}{rate:>14,.0f}")
    print(f"{'scan seconds':<34}{'':>14}{result['seconds']:>14.2f}")
    target_mb = TARGET_BASE_MB + TARGET_PEAK_MB_PER_MILLION * messages / 1e6
    print(f"{'peak RSS of the scan process (MB)':<34}{'<= ' + format(target_mb, ',.0f'):>14}"
          f"{result['rss_mb']:>14,.0f}")


if __name__ == "__main__":
    if len(sys.argv) > 2 and sys.argv[1] == "--scan":
        print(json.dumps(measure(Path(sys.argv[2]))))
    else:
        main(int(sys.argv[1]) if len(sys.argv) > 1 else 200_000)
