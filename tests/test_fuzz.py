"""Fuzzing the builder's Facebook, Instagram and WhatsApp exports: damage one file, nothing else changes.

Each case takes one of the builder's exports, damages one file of it (truncation at any byte, byte
flips, a JSON value of another type, a deleted key, deep nesting, a long string, bytes that are not
UTF-8, huge numbers, NaN/Infinity, a JSON file that is really HTML, a BOM) and reads the whole export
with its handler table, asserting:

- no exception leaves the run, and detection survives the damaged file;
- the case takes less than CASE_SECONDS;
- every undamaged file yields exactly the items it yields in the undamaged export;
- the damaged file, when it yields fewer items than before, is failed or carries a problem row;
- the worker's peak RSS stays under PEAK_MB (the cases run in a child process that reports it).

FUZZ_CASES (default 2,000) sets the number of cases: `FUZZ_CASES=20000 pytest tests/test_fuzz.py`.
The child is `python -m tests.test_fuzz N`, which prints one JSON line of figures.
"""
from __future__ import annotations

import io
import json
import os
import random
import re
import subprocess
import sys
import time
from dataclasses import dataclass
from functools import lru_cache, partial
from pathlib import Path
from typing import Any, Callable

ROOT = Path(__file__).resolve().parents[1]
for _entry in (ROOT, ROOT / "tests"):  # run as `python -m tests.test_fuzz` too (conftest is not loaded then)
    if str(_entry) not in sys.path:
        sys.path.insert(0, str(_entry))

from hypothesis import HealthCheck, given, seed, settings, strategies as st  # noqa: E402

from parsers.archive import Member, Source  # noqa: E402
from parsers.contract import AccountContext, ItemsBuilder  # noqa: E402
from parsers.detect import detect  # noqa: E402
from parsers.handlers import run_table  # noqa: E402
from parsers.limits import MAX_JSON_DEPTH, MAX_JSON_STRING  # noqa: E402
from parsers.scan import table_for  # noqa: E402
from builder import ExportTree, is_media_name  # noqa: E402
from builder.facebook import build_facebook  # noqa: E402
from builder.instagram import build_instagram  # noqa: E402
from builder.whatsapp import (ChatFormat, ChatWriter, account_report_2022, account_report_current,  # noqa: E402
                                    chat_tree)

CASES = int(os.environ.get("FUZZ_CASES", "2000"))
#: Assert the promise for chat texts too (see check_case): FUZZ_STRICT_CHATS=1.
STRICT_CHATS = os.environ.get("FUZZ_STRICT_CHATS") == "1"
#: One case (one damaged export read whole) on a loaded 2-core machine; a case takes ~20 ms.
CASE_SECONDS = 10.0
#: Peak RSS of the child that runs every case (the interpreter, pandas and the exports: ~150 MB).
PEAK_MB = 600


# ---- the exports ----------------------------------------------------------------------------------

def _chat(fmt: ChatFormat, seed_: int) -> ExportTree:
    return chat_tree(list(ChatWriter(seed_, fmt, chat="Trip", with_media=True).messages(40)), fmt, "Trip")


@lru_cache(maxsize=None)
def exports() -> dict[str, dict[str, bytes]]:
    """name -> member path -> bytes: small exports of every platform and a few layouts."""
    trees = {
        "facebook-2024": build_facebook("2024", messages=40, threads=3, posts=6, photos=3, videos=1,
                                        media_size=64),
        "facebook-2020": build_facebook("2020", messages=20, threads=2, posts=4, photos=2, videos=1,
                                        media_size=64),
        "instagram-2024": build_instagram("2024"),
        "instagram-2020": build_instagram("2020"),
        "whatsapp-android": _chat(ChatFormat(), 3),
        "whatsapp-ios": _chat(ChatFormat(platform="ios", clock=12, meridiem_space="\u202f", pad=False), 4),
        "whatsapp-account": account_report_current(5),
        "whatsapp-account-2022": account_report_2022(6),
    }
    return {name: dict(tree.files) for name, tree in trees.items()}


def source_of(files: dict[str, bytes]) -> Source:
    members = [Member(path, len(data), len(data), "fuzz.zip", partial(io.BytesIO, data))
               for path, data in files.items()]
    return Source("fuzz.zip", ["fuzz.zip"], members)


@dataclass
class Outcome:
    items: dict[str, int]
    status: dict[str, str]
    reason: dict[str, str]
    problem_files: set[str]


def read_export(files: dict[str, bytes], detection=None) -> Outcome:
    """Every file of the export through its handler table, as the scan reads a source."""
    source = source_of(files)
    found = detect(source)  # must survive the damage too
    run = run_table(table_for(detection or found), source, AccountContext(), ItemsBuilder())
    return Outcome({row[0]: row[8] for row in run.file_rows}, {row[0]: row[3] for row in run.file_rows},
                   {row[0]: row[4] for row in run.file_rows}, {p.file for p in run.problems})


@lru_cache(maxsize=None)
def baseline(name: str) -> tuple[Any, Outcome]:
    files = exports()[name]
    detection = detect(source_of(files))
    return detection, read_export(files, detection)


def targets(name: str) -> list[str]:
    """The files worth damaging: everything a handler reads (not media)."""
    _detection, outcome = baseline(name)
    return sorted(path for path, status in outcome.status.items()
                  if status in ("parsed", "failed") and not is_media_name(path))


# ---- damage -------------------------------------------------------------------------------------

JSON_DAMAGE = ("swap_type", "delete_key", "deep", "long_string", "huge_number", "nan", "html")
BYTE_DAMAGE = ("truncate", "flip", "invalid_utf8", "bom")


def _nodes(value: Any, path: tuple = ()) -> list[tuple]:
    """Paths of every value inside a decoded JSON document."""
    found = [path]
    if isinstance(value, dict):
        for key, inner in value.items():
            found.extend(_nodes(inner, path + (key,)))
    elif isinstance(value, list):
        for index, inner in enumerate(value):
            found.extend(_nodes(inner, path + (index,)))
    return found


def _replace(document: Any, path: tuple, new: Any) -> Any:
    if not path:
        return new
    parent = document
    for step in path[:-1]:
        parent = parent[step]
    parent[path[-1]] = new
    return document


def _get(document: Any, path: tuple) -> Any:
    for step in path:
        document = document[step]
    return document


def _other_type(value: Any, rng: random.Random) -> Any:
    # never an empty list or object: a list emptied is an empty category, which no reader can tell from damage
    choices = [rng.randint(-5, 10**6), "text", None, True, 1.5, [1, "x"], {"k": 1}]
    others = [c for c in choices if type(c) is not type(value)]
    return rng.choice(others)


def _dumps(document: Any) -> bytes:
    return json.dumps(document, ensure_ascii=True, indent=1).encode("ascii")


def damage(data: bytes, kind: str, rng: random.Random) -> bytes:
    """`data` damaged one way; a JSON kind on a file that is not JSON damages its bytes instead."""
    if kind in JSON_DAMAGE:
        try:
            document = json.loads(data)
        except ValueError:
            kind = rng.choice(BYTE_DAMAGE)
        else:
            return _json_damage(document, kind, rng)
    if kind == "truncate":  # never to a blank prefix: a blank file is an empty category by design
        cut = rng.randrange(1, len(data))
        return data[:cut] if data[:cut].strip(b" \t\r\n\xef\xbb\xbf") else data[:len(data) // 2 + 1]
    if kind == "flip":
        out = bytearray(data)
        for _ in range(rng.randint(1, 4)):
            at = rng.randrange(len(out))
            out[at] ^= rng.randint(1, 255)
        return bytes(out)
    if kind == "invalid_utf8":
        at = rng.randrange(len(data) + 1)
        return data[:at] + rng.choice([b"\xff", b"\xc3\x28", b"\x80\x80", b"\xed\xa0\x80", b"\xf8\x88\x80\x80"]) + data[at:]
    if kind == "bom":
        return rng.choice([b"\xef\xbb\xbf", b"\xef\xbb\xbf\xef\xbb\xbf", b"\xff\xfe"]) + data
    raise ValueError(kind)


def _in_record(path: tuple) -> bool:
    """A value inside a record (below a list element): where a reader expects a type. A single object's
    fields (a profile, a settings file) are each an item of their own, whatever their type."""
    return any(isinstance(step, int) for step in path)


def _json_damage(document: Any, kind: str, rng: random.Random) -> bytes:
    nodes = _nodes(document)
    inside = [p for p in nodes if _in_record(p)] or [()]  # no records: the document itself
    if kind == "swap_type":
        path = rng.choice(inside)
        return _dumps(_replace(document, path, _other_type(_get(document, path), rng)))
    if kind == "delete_key":
        # a key of a record (an object inside a list): a top-level key or a profile field may be
        # absent from a whole export, but a record that loses its key is damaged
        keyed = [p for p in inside if p and isinstance(p[-1], str)]
        if not keyed:  # a single object's fields may each be absent from a real export
            return damage(_dumps(document), "truncate", rng)
        path = rng.choice(keyed)
        del _get(document, path[:-1])[path[-1]]
        return _dumps(document)
    if kind == "deep":
        target = rng.choice(inside)
        # a record nested deep is damage among its siblings; a whole document nested deep but within the
        # limit is just a different file, so the document itself is nested past the limit
        depth = rng.choice([MAX_JSON_DEPTH - 10, MAX_JSON_DEPTH + 1, 5_000, 50_000] if target else
                           [MAX_JSON_DEPTH + 1, 5_000, 50_000])
        marker = "\u0000deep\u0000"
        text = _dumps(_replace(document, target, marker)).decode("ascii")
        return text.replace(json.dumps(marker), "[" * depth + "1" + "]" * depth, 1).encode("ascii")
    if kind == "long_string":
        strings = [p for p in nodes if isinstance(_get(document, p), str)] or nodes
        # mostly short of the limit (cheap); one case in eight at the limit or just past it (~1 s each)
        length = rng.choice([10_000, 100_000, 1_000_000] * 3 + [MAX_JSON_STRING - 64, MAX_JSON_STRING + 1])
        return _dumps(_replace(document, rng.choice(strings), "\u00e5" * 3 + "x" * length))
    if kind == "huge_number":
        numbers = [p for p in inside if isinstance(_get(document, p), (int, float))
                   and not isinstance(_get(document, p), bool)] or inside
        marker = "\u0000num\u0000"
        text = _dumps(_replace(document, rng.choice(numbers), marker)).decode("ascii")
        big = rng.choice(["1e400", "-1e400", "123456789012345678901234567890123", "1" * 400, "1e-400", "-0"])
        return text.replace(json.dumps(marker), big, 1).encode("ascii")
    if kind == "nan":
        numbers = [p for p in inside if isinstance(_get(document, p), (int, float))
                   and not isinstance(_get(document, p), bool)] or inside
        return _dumps(_replace(document, rng.choice(numbers), rng.choice([float("nan"), float("inf"), float("-inf")])))
    if kind == "html":
        return b"<!DOCTYPE html><html><head><title>Your information</title></head><body><div>" \
               b"<table><tr><td>Posts</td></tr></table></div></body></html>"
    raise ValueError(kind)


# ---- one case -------------------------------------------------------------------------------------

def check_case(name: str, target: str, kind: str, case_seed: int) -> str:
    """Damage `target` of export `name` and assert what the module docstring promises.

    Returns "" or, for a chat text that lost messages in silence (not asserted unless
    STRICT_CHATS), what happened: a chat text has no end marker, so a cut at a message boundary
    cannot be seen, and a header damaged into plain text joins the message before it (the
    chat reader's unreadable-line check, issue 10, is to report those).
    """
    rng = random.Random(case_seed)
    files = dict(exports()[name])
    files[target] = damage(files[target], kind, rng)
    detection, before = baseline(name)
    started = time.perf_counter()
    after = read_export(files, detection)
    elapsed = time.perf_counter() - started
    assert elapsed < CASE_SECONDS, f"{kind} of {target} took {elapsed:.1f} s"
    for path, count in before.items.items():
        if path == target:
            continue
        assert after.items[path] == count, f"{kind} of {target} changed {path}: {count} -> {after.items[path]} items"
    lost = after.items[target] < before.items[target]
    told = after.status[target] == "failed" or target in after.problem_files
    message = (f"{kind} of {target}: {before.items[target]} -> {after.items[target]} items, "
               f"status {after.status[target]} ({after.reason[target]}), no problem row")
    if lost and not told and not target.endswith(".json") and not STRICT_CHATS:
        return "cut" if kind == "truncate" else "merged"
    assert told or not lost, message
    return ""


def fuzz(cases: int) -> dict[str, Any]:
    """Run `cases` hypothesis cases here; the figures of the run."""
    names = sorted(exports())
    for name in names:
        baseline(name)
    kinds: dict[str, int] = {}
    chats = {"cases": 0, "cut": 0, "merged": 0}
    slowest = [0.0, ""]

    @seed(20260112)
    @settings(max_examples=cases, deadline=None, database=None, derandomize=False,
              suppress_health_check=list(HealthCheck))
    @given(st.data())
    def case(data: st.DataObject) -> None:
        name = data.draw(st.sampled_from(names), label="export")
        target = data.draw(st.sampled_from(targets(name)), label="file")
        kind = data.draw(st.sampled_from(JSON_DAMAGE + BYTE_DAMAGE), label="damage")
        case_seed = data.draw(st.integers(0, 2**32 - 1), label="seed")
        started = time.perf_counter()
        silent = check_case(name, target, kind, case_seed)
        took = time.perf_counter() - started
        kinds[kind] = kinds.get(kind, 0) + 1
        if not target.endswith(".json"):
            chats["cases"] += 1
            if silent:
                chats[silent] += 1
        if took > slowest[0]:
            slowest[:] = [took, f"{kind} of {name}/{target}"]

    started = time.perf_counter()
    cpu = time.process_time()
    case()
    return {"cases": sum(kinds.values()), "kinds": kinds, "seconds": round(time.perf_counter() - started, 1),
            "cpu_seconds": round(time.process_time() - cpu, 1), "slowest_case_s": round(slowest[0], 2),
            "slowest_case": slowest[1], "peak_rss_mb": round(peak_rss_mb(), 1),
            "chat_texts": chats}


def peak_rss_mb() -> float:
    """This process's own peak RSS (VmHWM; ru_maxrss where /proc is missing)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    import resource

    scale = 1 if sys.platform == "darwin" else 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * scale / (1 << 20)


# ---- the test -----------------------------------------------------------------------------------

def test_fuzzed_exports_lose_nothing_in_silence():
    done = subprocess.run([sys.executable, "-m", "tests.test_fuzz", str(CASES)], cwd=ROOT, capture_output=True,
                          text=True, timeout=max(600, CASES))
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-6000:]
    figures = json.loads(done.stdout.strip().splitlines()[-1])
    print("fuzz:", figures)
    assert figures["cases"] >= CASES
    assert set(figures["kinds"]) == set(JSON_DAMAGE + BYTE_DAMAGE)
    assert figures["peak_rss_mb"] < PEAK_MB, figures


def test_the_damage_is_real():
    """Each kind of damage changes the bytes (a fuzzer whose damage is a no-op tests nothing)."""
    files = exports()["facebook-2024"]
    path = next(p for p in targets("facebook-2024") if p.endswith(".json"))
    for kind in JSON_DAMAGE + BYTE_DAMAGE:
        assert damage(files[path], kind, random.Random(1)) != files[path], kind


if __name__ == "__main__":
    print(json.dumps(fuzz(int(sys.argv[1]) if len(sys.argv) > 1 else CASES)))
