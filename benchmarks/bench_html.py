"""HTML thread speed and memory: one 200 MB message_1.html (about 500,000 messages).

Run: /work/venv/bin/python benchmarks/bench_html.py [messages]  (default 500000, ~200 MB).
Writes a Facebook 2024+ section-card thread page (meta-html-format.md section 4; texts, photos,
reactions, shares, newest first) into a temporary export folder with a timezone.html, then
measures in child processes, so each peak RSS (VmHWM) is that step's own:

* parse:  parsers.meta_html_thread.thread_messages over the page (the page reader alone), and
* scan:   parsers.scan.scan of the export (detection, the table, items, the frame), and
* lxml:   lxml.etree.iterparse of the same page, record elements cleared as they end: what building
          the tree alone costs on this machine in this run (the reference the reader is measured by).

Prints the targets next to the measured figures (messages per CPU-second; wall-clock is inflated
by other load on a shared machine, so CPU time is the figure). Not part of the test suite.
"""
from __future__ import annotations

import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

TARGET_MESSAGES_PER_SECOND = 100_000
TARGET_PEAK_MB = 250
THREAD = "your_facebook_activity/messages/inbox/samexample_30112233445566778"

HEAD = ('<html><head><meta http-equiv="Content-Type" content="text/html; charset=UTF-8" />'
        '<base href="../../../../" /><style type="text/css" nonce="x">._a6-g{margin:8px 0}</style>'
        '<title>Sam Example</title></head><body class="_5vb_ _2yq _a7o5"><div class="_li"><div class="_a705">'
        '<header class="_as-_ _a709"><div class="_a70d"><h1>Sam Example</h1></div></header>'
        '<main class="_a706" role="main">')
TAIL = "</main></div></div></body></html>"
WORDS = ("see you at seven then, I will bring the tickets and the snacks", "on my way, ten minutes",
         "did you get the tickets for saturday or should I buy them online?", "haha &amp; that too, obviously",
         "Here&#039;s the address: 12 Example Street, second floor, ring twice", "café later? the one by the park",
         "👍", "sounds good to me, bring the good cheese and the bread from the market",
         "I will call you when I am at the station, the train is late again and it is raining")
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def _time(seconds: int) -> str:
    moment = time.gmtime(seconds)
    hour = moment.tm_hour % 12 or 12
    return (f"{MONTHS[moment.tm_mon - 1]} {moment.tm_mday:02d}, {moment.tm_year} {hour}:{moment.tm_min:02d}:"
            f"{moment.tm_sec:02d} {'am' if moment.tm_hour < 12 else 'pm'}")


def write_page(path: Path, messages: int) -> None:
    """The page, newest message first, written in blocks."""
    rng = random.Random(7)
    when = 1_750_000_000
    people = ("Sam Example", "Test User")
    with path.open("w", encoding="utf-8") as out:
        out.write(HEAD)
        block = []
        for index in range(messages):
            when -= rng.randint(5, 400)
            sender = people[index % 2]
            roll = index % 20
            if roll == 3:
                part = (f'<div><a target="_blank" href="{THREAD}/photos/{index}.jpg"><img src="{THREAD}/photos/'
                        f'{index}.jpg" class="_a6_o _3-96" /></a></div>')
            elif roll == 7:
                part = (f'<div><div><div>A shared story</div><div><a target="_blank" href="https://example.org/'
                        f'{index}">https://example.org/{index}</a></div></div></div>')
            else:
                extra = f" {WORDS[(index * 5 + 1) % len(WORDS)]}" if index % 4 == 0 else ""
                part = f"<div>{WORDS[index % len(WORDS)]}. {WORDS[(index * 7 + 3) % len(WORDS)]}{extra} #{index}</div>"
            reactions = ('<div><ul class="_a6-q"><li><span>❤ Test User</span></li></ul></div>'
                         if roll == 11 else "<div></div>")
            block.append(f'<section class="_3-95 _a6-g" aria-labelledby="u_0_{index:x}_Fx"><h2 class="_2ph_ _a6-h '
                         f'_a6-i" id="u_0_{index:x}_Fx">{sender}</h2>'
                         f'<div class="_2ph_ _a6-p"><div><div></div>{part}<div></div>{reactions}</div></div>'
                         f'<footer class="_3-94 _a6-o"><div class="_a72d">{_time(when)}</div></footer></section>')
            if len(block) >= 10_000:
                out.write("".join(block))
                block = []
        out.write("".join(block))
        out.write(TAIL)


def write_export(folder: Path, messages: int) -> Path:
    page = folder / THREAD / "message_1.html"
    page.parent.mkdir(parents=True)
    write_page(page, messages)
    zone = folder / "logged_information" / "location" / "timezone.html"
    zone.parent.mkdir(parents=True)
    zone.write_text('<html><head><base href="../../" /></head><body><main role="main"><section class="_3-95 '
                    '_a6-g"><div class="_2pi8 _2pic _a6-p"><table><tr><td class="_a6_q">Time zone</td>'
                    '<td class="_2piu _a6_r">Europe/Amsterdam</td></tr></table></div></section></main></body></html>',
                    encoding="utf-8")
    return page


def _peak_mb() -> float:
    """VmHWM of this process (ru_maxrss would include the parent's peak across fork+exec)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def child_parse(page: Path) -> dict:
    from parsers import meta_html, meta_html_thread
    from parsers.meta_html_time import Clock, zone_named

    clock = Clock(zone_named("Europe/Amsterdam"), "bench")
    read = clock.reader(lambda text: None)
    base_mb = _peak_mb()
    cpu, wall = _cpu(), time.perf_counter()
    count = dated = 0
    relpath = str(page.relative_to(page.parents[5]))
    with page.open("rb") as stream:
        for message in meta_html_thread.thread_messages(stream, relpath, meta_html_thread.Thread(meta_html.Page(relpath)), read):
            count += 1
            dated += message["timestamp_ms"] is not None
    return {"messages": count, "dated": dated, "cpu": _cpu() - cpu, "wall": time.perf_counter() - wall,
            "rss_mb": _peak_mb(), "base_mb": base_mb}


def child_lxml(page: Path) -> dict:
    from lxml import etree

    base_mb = _peak_mb()
    cpu, wall = _cpu(), time.perf_counter()
    count = 0
    for _event, element in etree.iterparse(str(page), events=("end",), tag="section", html=True, huge_tree=True):
        count += 1
        element.clear()
        while element.getprevious() is not None:
            del element.getparent()[0]
    return {"messages": count, "cpu": _cpu() - cpu, "wall": time.perf_counter() - wall, "rss_mb": _peak_mb(),
            "base_mb": base_mb}


def child_scan(folder: Path) -> dict:
    import pandas  # noqa: F401 - imported before the clock starts, as the app has it loaded

    from parsers.scan import scan

    base_mb = _peak_mb()
    cpu, wall = _cpu(), time.perf_counter()
    audit = scan([folder])
    messages = int((audit.items["kind"].astype(str) != "message_reaction").sum())
    return {"messages": messages, "items": len(audit.items), "cpu": _cpu() - cpu, "wall": time.perf_counter() - wall,
            "rss_mb": _peak_mb(), "base_mb": base_mb,
            "statuses": audit.files["status"].astype(str).tolist()}


def main(messages: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "facebook-html-bench"
        started = time.perf_counter()
        page = write_export(folder, messages)
        size_mb = page.stat().st_size / 1e6
        print(f"message_1.html: {messages:,} messages, {size_mb:.0f} MB (written in {time.perf_counter() - started:.0f} s)")
        results = {}
        for step, target in (("parse", page), ("scan", folder), ("lxml", page)):
            done = subprocess.run([sys.executable, __file__, f"--{step}", str(target)], capture_output=True,
                                  text=True, check=True)
            results[step] = json.loads(done.stdout.strip().splitlines()[-1])
    print(f"{'measure':<44}{'target':>12}{'measured':>12}")
    for step, label in (("parse", "page reader (meta_html_thread)"), ("scan", "whole scan (parsers.scan.scan)"),
                        ("lxml", "reference: lxml iterparse, tree only")):
        result = results[step]
        rate = result["messages"] / result["cpu"]
        print(f"{label}")
        print(f"{'  messages':<44}{messages:>12,}{result['messages']:>12,}")
        floor = "" if step == "lxml" else ">= " + format(TARGET_MESSAGES_PER_SECOND, ",")
        print(f"{'  messages per CPU-second':<44}{floor:>12}{rate:>12,.0f}")
        print(f"{'  CPU seconds / wall seconds':<44}{'':>12}{result['cpu']:>6.1f}/{result['wall']:<5.1f}")
        ceiling = "" if step == "lxml" else "< " + str(TARGET_PEAK_MB)
        print(f"{'  peak RSS of the process (MB)':<44}{ceiling:>12}{result['rss_mb']:>12,.0f}")
        print(f"{'  of which before reading (MB)':<44}{'':>12}{result['base_mb']:>12,.0f}")
    reference = results["lxml"]["messages"] / results["lxml"]["cpu"]
    print(f"{'page reader / lxml tree-only rate (same run)':<44}{'':>12}"
          f"{results['parse']['messages'] / results['parse']['cpu'] / reference:>12.2f}")


if __name__ == "__main__":
    if len(sys.argv) > 2 and sys.argv[1] == "--parse":
        print(json.dumps(child_parse(Path(sys.argv[2]))))
    elif len(sys.argv) > 2 and sys.argv[1] == "--lxml":
        print(json.dumps(child_lxml(Path(sys.argv[2]))))
    elif len(sys.argv) > 2 and sys.argv[1] == "--scan":
        print(json.dumps(child_scan(Path(sys.argv[2]))))
    else:
        main(int(sys.argv[1]) if len(sys.argv) > 1 else 500_000)
