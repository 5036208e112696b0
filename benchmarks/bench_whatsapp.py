"""A 1,000,000-message WhatsApp chat: parse time and peak memory, next to targets from the peers.

Run: /work/venv/bin/python benchmarks/bench_whatsapp.py [messages] [--keep DIR]
Each variant runs in its own process (peak RSS = that process's ru_maxrss). Not run by the tests.

Targets come from shared/reference/whatsapp-formats.md section 5 (same shape of input: one
Android `dd/mm/yyyy, HH:MM - ` chat, 1,000,000 messages, ~80 MiB, 2 vCPU):
* whatstk 0.9.1 with an explicit header format: 11.4 s, 1,486 MiB; auto-detect: 28.2 s;
  chat-miner 0.6.0: 67.6 s, 1,378 MiB.
* a bare reference (regex per line, join, DataFrame, vectorised to_datetime, no classification):
  7.2 s, 811 MiB.
Target: the full scan (detection, classification, items frame) at least as fast as the fastest
library (whatstk with the format given, 11.4 s) and no more memory than the bare reference
(811 MiB, ~10x the file). The reader alone should match the bare reference's time (7.2 s).
"""
from __future__ import annotations

import json
import resource
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

#: variant -> (target seconds, target peak MiB) at 1,000,000 messages
TARGETS = {
    "read lines only (floor)": (None, None),
    "reader: parse_chat -> batch": (7.2, 811),
    "full scan -> items frame": (11.4, 811),
}


def build(path: Path, messages: int) -> dict:
    from builder.whatsapp import KIND_WEIGHTS, ChatFormat, ChatWriter, write_chat

    fmt = ChatFormat()  # Android dd/mm/yyyy, HH:MM - (as in the reference benchmark)
    writer = ChatWriter(42, fmt, authors=5, chat="Benchmark")
    start = time.perf_counter()
    write_chat(path, writer.messages(messages, start=datetime(2015, 1, 13), kinds=KIND_WEIGHTS, max_gap=600), fmt)
    return {"seconds": time.perf_counter() - start, "bytes": path.stat().st_size}


def run_variant(name: str, path: str) -> dict:
    """Runs inside the child process."""
    start = time.perf_counter()
    if name.startswith("read lines"):
        count = 0
        with open(path, encoding="utf-8") as lines:
            for _ in lines:
                count += 1
    elif name.startswith("reader"):
        from parsers.contract import AccountContext, ColumnBatch
        from parsers.whatsapp_chat import parse_chat
        count = 0
        with open(path, "rb") as stream:
            for value in parse_chat(stream, path, "Benchmark", AccountContext()):
                count += len(value) if isinstance(value, ColumnBatch) else 0  # one column-wise batch per chat
    else:
        from parsers.scan import scan
        audit = scan([path])
        count = len(audit.items)
        assert audit.sources[0].platform == "whatsapp_chat", audit.sources[0]
    seconds = time.perf_counter() - start
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return {"seconds": seconds, "cpu": usage.ru_utime + usage.ru_stime, "peak_mib": usage.ru_maxrss / 1024,
            "rows": count}


def main() -> None:
    if len(sys.argv) > 2 and sys.argv[1] == "--child":
        print(json.dumps(run_variant(sys.argv[2], sys.argv[3])))
        return
    argv = sys.argv[1:]
    keep = None
    if "--keep" in argv:
        at = argv.index("--keep")
        keep = argv[at + 1]
        del argv[at:at + 2]
    messages = int(argv[0]) if argv else 1_000_000
    folder = Path(keep) if keep else Path(tempfile.mkdtemp(prefix="bench_whatsapp_"))
    path = folder / "WhatsApp Chat with Benchmark.txt"
    if not path.exists():
        made = build(path, messages)
        print(f"built {messages:,} messages, {made['bytes'] / 2**20:.1f} MiB in {made['seconds']:.1f} s", file=sys.stderr)
    size = path.stat().st_size
    scale = messages / 1_000_000
    print(f"WhatsApp chat benchmark: {messages:,} messages, {size / 2**20:.1f} MiB file, "
          f"Python {sys.version.split()[0]}")
    print(f"{'variant':32} {'rows':>10} {'wall s':>8} {'cpu s':>7} {'target':>8} {'peak MiB':>9} {'target':>8}  verdict")
    for name, (target_s, target_mib) in TARGETS.items():
        out = subprocess.run([sys.executable, __file__, "--child", name, str(path)], capture_output=True, text=True,
                             check=True)
        result = json.loads(out.stdout.strip().splitlines()[-1])
        ts = f"{target_s * scale:.1f}" if target_s else "-"
        tm = f"{target_mib * max(scale, 0.1):.0f}" if target_mib else "-"
        ok = (target_s is None or result["seconds"] <= target_s * scale) and \
             (target_mib is None or result["peak_mib"] <= target_mib * max(scale, 0.1))
        print(f"{name:32} {result['rows']:>10,} {result['seconds']:>8.2f} {result['cpu']:>7.2f} {ts:>8} "
              f"{result['peak_mib']:>9.0f} {tm:>8}  "
              f"{'ok' if ok else 'MISSED'}")


if __name__ == "__main__":
    main()
