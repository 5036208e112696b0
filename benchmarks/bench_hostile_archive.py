"""Hostile archives at full size: peak RSS and wall of a whole scan, per class, each in a fresh child process.

Run: /work/venv/bin/python benchmarks/bench_hostile_archive.py [--small] [CLASS ...]   (Linux: reads /proc)

The inputs come from tests/crafted.py (the same builders the tests use, here at their worst-case
sizes) and are cached under benchmarks/_work/hostile/ (git-ignored). Each scan runs in a fresh
`python -c` child that reports `scan()`'s wall time and its own peak RSS (VmHWM), plus the peak after the
imports (pandas alone is ~100 MB), so "added" is what the scan itself costs. The worst case for inner
zips is the issue's: 100 deflated inner chat zips of 60 MB each (6 GB if they were held in memory);
`--small` scales it to 10 x 6 MB for a quick look. Not part of the test suite.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
WORK = ROOT / "benchmarks" / "_work" / "hostile"
sys.path.insert(0, str(ROOT / "tests"))

import crafted  # noqa: E402  (tests/crafted.py: the builders of the crafted archives)

MiB = crafted.MiB
TARGET_ADDED_MB = 200.0  # what one scan of any class may add to the process's peak RSS

CHILD = r"""
import json, sys, time
from parsers.scan import scan
def peak_mb():  # VmHWM: this process's own peak (ru_maxrss would start from the parent's at fork)
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) for line in status if line.startswith("VmHWM:")) / 1024
base = peak_mb()
started = time.perf_counter()
audit = scan([sys.argv[1]])
seconds = time.perf_counter() - started
peak = peak_mb()
files = audit.files["status"].value_counts().to_dict()
print(json.dumps({"seconds": seconds, "base": base, "peak": peak, "sources": len(audit.sources),
                  "items": len(audit.items), "files": files, "problems": len(audit.problems),
                  "complete": audit.complete}))
"""


def classes(small: bool) -> dict[str, tuple[str, callable]]:
    """class name -> (what the worst case is, builder of its input at `path`)."""
    inner_count, inner_size = (10, 6 * MiB) if small else (100, 60 * MiB)
    return {
        "inner_zips": (f"{inner_count} deflated inner chat zips of {inner_size // MiB} MB",
                       lambda p: crafted.inner_chat_zips(p, inner_count, inner_size)),
        "deep_path": ("names of 32,000 folders (64 KB) and of 65,000 characters",
                      lambda p: crafted.deep_names(p, depth=32_000, length=65_000)),
        "no_directory_bomb": ("1 GiB of zeros deflated to ~1 MB, zip directory cut off",
                              lambda p: crafted.bomb_without_directory(p, size=1024 * MiB)),
        "nameless": ("members named '' and '\\x00evil.json'", crafted.nameless_members),
        "size_lie": ("a stored photo claiming 3 GB in a 1 KB zip", crafted.size_lie),
        "zip64_lie": ("sizes set to the zip64 marker with no zip64 record", crafted.zip64_lie),
        "bad_crc": ("a member whose bytes no longer match its CRC", crafted.bad_crc),
        "zip_symlink": ("a symlink entry pointing at /etc/passwd", crafted.zip_symlink),
        "zipcrypto": ("a ZipCrypto-flagged member", crafted.encrypted_flag),
        "many_members": ("100,000 members", lambda p: crafted.many_members(p, 100_000)),
        "bomb_with_directory": ("1 GiB of zeros deflated, with its directory", _bomb_with_directory),
        "hostile_folder": ("a folder with a link out, a link to a folder, a FIFO, a non-UTF-8 name",
                           lambda p: crafted.hostile_folder(p, p.parent / "outside.txt")),
    }


def _bomb_with_directory(path: Path) -> Path:
    import zipfile

    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, content in crafted.GOOD.items():
            archive.writestr(name, content)
        with archive.open("your_facebook_activity/zeros.json", "w") as stream:
            for _ in range(1024):
                stream.write(bytes(MiB))
    return path


def build(path: Path, builder) -> Path:
    """The input at `path`, built by `builder` once (the worst cases take minutes)."""
    if not path.exists():
        WORK.mkdir(parents=True, exist_ok=True)
        started = time.perf_counter()
        builder(path)
        print(f"built {path.name} in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    return path


def input_path(name: str, small: bool) -> Path:
    suffix = "-small" if small and name == "inner_zips" else ""
    return WORK / (f"{name}{suffix}" if name == "hostile_folder" else f"{name}{suffix}.zip")


def measure(path: Path) -> dict:
    done = subprocess.run([sys.executable, "-c", CHILD, str(path)], capture_output=True, text=True, cwd=ROOT,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})
    if done.returncode != 0:
        raise SystemExit(done.stderr)
    return json.loads(done.stdout)


def print_table(argv: list[str], classes, input_path, last: tuple[str, callable], good_kept: bool) -> None:
    """One row per class (all, or those named in `argv`); `last` is the heading and the value of the column
    before "ok", from the child's figures. A row is ok when the scan added less than TARGET_ADDED_MB and,
    with `good_kept` (each export is crafted.GOOD plus a hostile part), GOOD was still parsed."""
    small = "--small" in argv
    wanted = [a for a in argv if not a.startswith("--")]
    heading, value = last
    print(f"| class | worst case | wall | peak RSS | added by the scan | files | {heading} | ok |")
    print("|---|---|---|---|---|---|---|---|")
    for name, (what, builder) in classes(small).items():
        if wanted and name not in wanted:
            continue
        path = build(input_path(name, small), builder)
        size = sum(f.stat().st_size for f in path.rglob("*") if f.is_file()) if path.is_dir() else path.stat().st_size
        result = measure(path)
        added = result["peak"] - result["base"]
        files = ", ".join(f"{count} {status}" for status, count in sorted(result["files"].items()))
        held = not good_kept or result["files"].get("parsed", 0) >= len(crafted.GOOD)
        print(f"| {name} | {what} ({size / MiB:,.0f} MB on disk) | {result['seconds']:.2f} s | "
              f"{result['peak']:.0f} MB | {added:.0f} MB | {files} | {value(result)} | "
              f"{'yes' if added < TARGET_ADDED_MB and held else 'NO'} |", flush=True)


def main(argv: list[str]) -> None:
    print_table(argv, classes, input_path, ("complete", lambda result: result["complete"]), good_kept=False)


if __name__ == "__main__":
    main(sys.argv[1:])
