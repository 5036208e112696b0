"""Hostile members at full size: peak RSS and wall of a whole scan per class, each in a fresh child process.

Run: /work/venv/bin/python benchmarks/bench_hostile_inputs.py [--small] [CLASS ...]   (Linux: reads /proc)

The archive classes (bombs, lies, links, inner zips, 100,000 members) are in bench_hostile_archive.py; this
script covers what is inside the members: one JSON string of 64 MB and of 1 GB (ijson alone: 20 s, and
never ending), 40,000 and 10,000,000 nested arrays (ijson alone: 3.9 GB for 40,000), a Messenger page
decoded at once (orjson) holding a 60 MB message, a million records dated before Facebook existed,
a wrong-typed value and a bare-string document. Each input is a small Facebook export (tests/crafted.py
GOOD) plus the hostile member, stored (not deflated, so the compression-ratio guard does not stop it
first), cached under benchmarks/_work/hostile/. The child and its figures are bench_hostile_archive's:
"added" is the scan's own peak RSS above the imports. Target: no class adds more than 200 MB, every
class ends with the hostile member failed (or, for the dates, counted in one problem) and GOOD parsed.
`--small` shrinks the 1 GB string and the 10,000,000 levels to 128 MB and 1,000,000. Not part of the suite.
"""
from __future__ import annotations

import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "benchmarks"))

import crafted  # noqa: E402
from bench_hostile_archive import WORK, print_table  # noqa: E402

MiB = crafted.MiB
COMMENTS = "your_facebook_activity/comments_and_reactions/comments.json"
THREAD = "your_facebook_activity/messages/inbox/bo_100000000002/message_1.json"


def stored_zip(path: Path, name: str, pieces) -> Path:
    """GOOD plus one stored member written piece by piece (a 1 GB member never sits in memory)."""
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_STORED, allowZip64=True) as archive:
        for good, content in crafted.GOOD.items():
            archive.writestr(good, content)
        with archive.open(name, "w", force_zip64=True) as stream:
            for piece in pieces:
                stream.write(piece)
    return path


def long_string(size: int):
    def pieces():
        yield b'{"comments_v2": [{"timestamp": 1600000000, "title": "'
        for _ in range(size // MiB):
            yield b"a" * MiB
        yield b'"}]}'
    return lambda path: stored_zip(path, COMMENTS, pieces())


def deep(levels: int):
    def pieces():
        for start in range(0, levels, MiB):
            yield b"[" * min(MiB, levels - start)
        for start in range(0, levels, MiB):
            yield b"]" * min(MiB, levels - start)
    return lambda path: stored_zip(path, COMMENTS, pieces())


def thread_page(size: int):
    head = (b'{"participants": [{"name": "Ana"}, {"name": "Bo"}], "title": "Bo", "messages": ['
            b'{"sender_name": "Bo", "timestamp_ms": 1600000000000, "content": "hi"}, '
            b'{"sender_name": "Bo", "timestamp_ms": 1600000001000, "content": "')
    return lambda path: stored_zip(path, THREAD, [head, b"x" * size, b'"}]}'])


def old_dates(count: int):
    def pieces():
        yield b'{"comments_v2": ['
        for n in range(0, count, 10_000):
            step = min(10_000, count - n)
            yield b",".join(b'{"timestamp": 631152000, "title": "in 1990"}' for _ in range(step)) \
                + (b"," if n + step < count else b"")
        yield b"]}"
    return lambda path: stored_zip(path, COMMENTS, pieces())


def one_member(name: str, content: bytes):
    return lambda path: stored_zip(path, name, [content])


def classes(small: bool) -> dict[str, tuple[str, callable]]:
    big, levels = (128 * MiB, 1_000_000) if small else (1024 * MiB, 10_000_000)
    return {
        "string_64mb": ("one JSON string of 64 MB (ijson alone: 20 s)", long_string(64 * MiB)),
        f"string_{big // MiB}mb": (f"one JSON string of {big // MiB:,} MB (ijson alone: never ends)", long_string(big)),
        "deep_40k": ("40,000 nested arrays (ijson alone: 3.9 GB)", deep(40_000)),
        f"deep_{levels // 1000}k": (f"{levels:,} nested arrays", deep(levels)),
        "page_60mb_message": ("a Messenger page (orjson, < 64 MB) with a 60 MB message", thread_page(60 * MiB)),
        "dates_1m": ("1,000,000 comments dated 1990", old_dates(1_000_000)),
        "wrong_type": ("a message whose content is a number",
                       one_member(THREAD, b'{"participants": [{"name": "Bo"}], "title": "Bo", "messages": '
                                          b'[{"sender_name": "Bo", "timestamp_ms": 1600000000000, "content": 5}]}')),
        "bare_string": ("a comments file that is one JSON string", one_member(COMMENTS, b'"comments"')),
    }


def input_path(name: str, small: bool) -> Path:
    return WORK / f"inputs-{name}.zip"


def main(argv: list[str]) -> None:
    print_table(argv, classes, input_path, ("problems", lambda result: result["problems"]), good_kept=True)


if __name__ == "__main__":
    main(sys.argv[1:])
