"""Listing a ~2 GB export (open_sources + detect): wall time and peak resident memory.

Run: /work/venv/bin/python benchmarks/bench_listing.py [gigabytes]   (default 2)

The export is built once and cached under benchmarks/_work/ (git-ignored): a Facebook 2024 layout
that is mostly media members (stored, incompressible: random bytes, 20-200 KB each, as photos and
message attachments) plus some deflated JSON (posts, comments, message threads). The listing runs
in a fresh subprocess so its peak RSS (ru_maxrss) is its own; the subprocess reports the time of
open_sources + detect only, and separately the time and RSS of importing the library (pandas is
imported by the `parsers` package, which is most of the baseline). Not part of the test suite.
"""
from __future__ import annotations

import json
import os
import random
import subprocess
import sys
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
WORK = ROOT / "benchmarks" / "_work"
TARGET_SECONDS = 2.0
TARGET_PEAK_MB = 100.0
BLOCK = 1 << 20

CHILD = r"""
import json, resource, sys, time
started = time.perf_counter()
from parsers.archive import open_sources
from parsers.detect import detect
imported = time.perf_counter() - started
rss_import = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
started = time.perf_counter()
sources = open_sources([sys.argv[1]])
detections = [detect(s) for s in sources]
seconds = time.perf_counter() - started
rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"seconds": seconds, "import_seconds": imported, "rss_import_mb": rss_import, "rss_mb": rss,
                  "members": sum(len(s.members) for s in sources),
                  "bytes": sum(s.total_size for s in sources),
                  "detections": [[d.platform, d.format, d.layout] for d in detections]}))
"""


def build(path: Path, gigabytes: float, seed: int = 7) -> None:
    """Write the synthetic export: random media (stored) until `gigabytes`, plus JSON (deflated)."""
    rng = random.Random(seed)
    blocks = [os.urandom(BLOCK) for _ in range(8)]  # media bytes: random, so incompressible
    target = int(gigabytes * (1 << 30))
    tmp = path.with_suffix(".partial")
    written = 0
    n = 0
    with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        profile = {"profile_v2": {"name": {"full_name": "Bench Mark"}}}
        archive.writestr("personal_information/profile_information/profile_information.json", json.dumps(profile))
        for i in range(40):  # some JSON: posts and comments pages, message threads
            records = [{"timestamp": 1_600_000_000 + j, "data": [{"post": f"post {j} " * 5}]} for j in range(500)]
            archive.writestr(f"your_facebook_activity/posts/your_posts__check_ins__photos_and_videos_{i + 1}.json",
                             json.dumps(records))
        for t in range(300):
            thread = {"participants": [{"name": "A"}, {"name": "B"}],
                      "messages": [{"sender_name": "A", "timestamp_ms": 1_600_000_000_000 + k, "content": "hi " * 10}
                                   for k in range(300)]}
            archive.writestr(f"your_facebook_activity/messages/inbox/friend{t}_{1000 + t}/message_1.json",
                             json.dumps(thread))
        while written < target:
            n += 1
            size = rng.randint(20_000, 200_000)
            offset = rng.randint(0, BLOCK - size)
            data = blocks[n % len(blocks)][offset:offset + size]
            if n % 3:
                name = f"your_facebook_activity/posts/media/Album_{n // 500}/photo_{n}.jpg"
            else:
                name = f"your_facebook_activity/messages/inbox/friend{n % 300}_{1000 + n % 300}/photos/{n}.jpg"
            archive.writestr(zipfile.ZipInfo(name, date_time=(2024, 1, 1, 0, 0, 0)), data,
                             compress_type=zipfile.ZIP_STORED)
            written += size
    tmp.rename(path)


def main(gigabytes: float = 2.0) -> None:
    WORK.mkdir(parents=True, exist_ok=True)
    path = WORK / f"facebook-bench-{gigabytes:g}gb-2024-01-01-abcdefgh.zip"
    if not path.exists():
        started = time.perf_counter()
        build(path, gigabytes)
        print(f"built {path.name} in {time.perf_counter() - started:.0f} s")
    out = subprocess.run([sys.executable, "-c", CHILD, str(path)], capture_output=True, text=True, check=True,
                         cwd=ROOT)
    result = json.loads(out.stdout)
    print(f"export: {path.stat().st_size / 1e9:.2f} GB zip, {result['members']:,} members, "
          f"{result['bytes'] / 1e9:.2f} GB uncompressed; detected {result['detections']}")
    print(f"library import (not counted): {result['import_seconds']:.2f} s, RSS after import "
          f"{result['rss_import_mb']:.0f} MB")
    rows = [("listing wall time (s)", f"< {TARGET_SECONDS:g}", result["seconds"], result["seconds"] < TARGET_SECONDS),
            ("peak RSS (MB)", f"< {TARGET_PEAK_MB:g}", result["rss_mb"], result["rss_mb"] < TARGET_PEAK_MB),
            ("  of which listing (MB)", "", result["rss_mb"] - result["rss_import_mb"], True)]
    print(f"{'measure':<26}{'target':>10}{'measured':>12}{'ok':>6}")
    for measure, target, measured, ok in rows:
        print(f"{measure:<26}{target:>10}{measured:>12.2f}{('yes' if ok else 'NO') if target else '':>6}")


if __name__ == "__main__":
    main(float(sys.argv[1]) if len(sys.argv) > 1 else 2.0)
