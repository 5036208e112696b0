"""One regression test per class of hostile member the fuzzer (test_fuzz.py) and issue 11 name.

JSON past the limits (one long string, deep nesting; the orjson page path too), members that give no
items (empty categories against damage), records that are not objects, dates no export can hold,
names that are not UTF-8 in every output, and a stdout closed early.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pandas as pd
import pytest

import crafted
from parsers.common import safe_json, safe_strings, safe_text
from parsers.contract import Item
from parsers.export import write_items_csv
from parsers.limits import MAX_JSON_DEPTH, MAX_JSON_STRING
from parsers.member_checks import EMPTY_CATEGORY, NOTHING_COUNTED
from parsers.scan import scan

ROOT = Path(__file__).resolve().parents[1]
COMMENTS = "your_facebook_activity/comments_and_reactions/comments.json"
THREAD = "your_facebook_activity/messages/inbox/ana_100000000001/message_1.json"


def scanned(tmp_path: Path, extra: dict[str, bytes], *, stored: bool = True):
    path = crafted.write_zip(tmp_path / "fb.zip", extra,
                             compression=zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED)
    audit = scan([path], jobs=1)
    rows = {row.path: row for row in audit.files.itertuples()}
    for name in crafted.GOOD:  # the rest of the export is still read
        assert rows[name].status == "parsed" and rows[name].items == 1
    return audit, rows


def problems_of(audit, path: str) -> list[tuple[str, str]]:
    return [(p.kind, p.message) for p in audit.problems.itertuples() if p.file == path]


# ---- JSON limits ----------------------------------------------------------------------------------

def test_a_string_past_the_limit_fails_its_member_quickly(tmp_path):
    body = b'{"comments_v2": [{"timestamp": 1600000000, "title": "' + b"a" * (MAX_JSON_STRING + 1) + b'"}]}'
    started = time.process_time()
    audit, rows = scanned(tmp_path, {COMMENTS: body})
    assert time.process_time() - started < 10  # ijson alone: quadratic (a 64 MB string took 20 s)
    assert rows[COMMENTS].status == "failed"
    assert rows[COMMENTS].reason == "a text value longer than 16 MB"
    assert problems_of(audit, COMMENTS)[0][0] == "over_limit"


def test_nesting_past_the_limit_fails_its_member_in_flat_memory(tmp_path):
    depth = 40_000  # ijson alone: 3.9 GB
    audit, rows = scanned(tmp_path, {COMMENTS: b"[" * depth + b"]" * depth}, stored=False)
    assert (rows[COMMENTS].status, rows[COMMENTS].reason) == ("failed", f"nested deeper than {MAX_JSON_DEPTH} levels")


def test_nesting_at_the_limit_is_read(tmp_path):
    inner = b"[" * (MAX_JSON_DEPTH - 3) + b"1" + b"]" * (MAX_JSON_DEPTH - 3)
    audit, rows = scanned(tmp_path, {COMMENTS: b'{"comments_v2": [{"timestamp": 1600000000, "x": ' + inner + b"}]}"})
    assert rows[COMMENTS].status == "parsed" and rows[COMMENTS].items == 1


@pytest.mark.parametrize("damage", ["long", "deep"])
def test_the_whole_page_thread_path_keeps_the_limits(tmp_path, damage):
    """A Messenger page under WHOLE_THREAD_LIMIT is decoded by orjson in one call: the guard sees it first."""
    content = b'"' + b"x" * (MAX_JSON_STRING + 1) + b'"' if damage == "long" else b"[" * 300 + b"]" * 300
    page = (b'{"participants": [{"name": "Ana"}, {"name": "Bo"}], "messages": [{"sender_name": "Bo", '
            b'"timestamp_ms": 1600000000000, "content": ' + content + b'}], "title": "Bo"}')
    audit, rows = scanned(tmp_path, {THREAD: page})
    assert rows[THREAD].status == "failed"
    assert rows[THREAD].reason == ("a text value longer than 16 MB" if damage == "long"
                                   else f"nested deeper than {MAX_JSON_DEPTH} levels")


# ---- members that give no items -------------------------------------------------------------------

@pytest.mark.parametrize("body, status, reason", [
    (b"  \n", "parsed", "empty: the file is blank"),
    (b"{}", "parsed", EMPTY_CATEGORY),
    (b"[]", "parsed", EMPTY_CATEGORY),
    (b'{"comments_v2": []}', "parsed", EMPTY_CATEGORY),
    (b'{"comme', "failed", "the JSON ends early or is broken"),
    (b"42", "failed", "the file holds a single number value, not records"),
    (b'"hello"', "failed", "the file holds a single text value, not records"),
    (b'{"comments_v2": [1, 2, "x"]}', "failed", "its records are not objects ('comments_v2' holds number, text values)"),
    (b'[1, 2]', "failed", "its records are not objects (number values)"),
    (b'{"comments_v2": "[{\\"timestamp\\": 1}]"}', "failed", "'comments_v2' holds a text value where a list of records belongs"),
])
def test_a_member_without_items_says_why(tmp_path, body, status, reason):
    audit, rows = scanned(tmp_path, {COMMENTS: body})
    assert rows[COMMENTS].status == status
    assert rows[COMMENTS].reason.startswith(reason)
    assert bool(problems_of(audit, COMMENTS)) == (status == "failed")


def test_records_none_of_which_is_read_carry_a_problem(tmp_path):
    thread = b'{"participants": [{"name": "Ana"}], "title": "Ana"}'  # a thread that lost its messages
    audit, rows = scanned(tmp_path, {THREAD: thread})
    assert rows[THREAD].reason == NOTHING_COUNTED
    assert [kind for kind, _ in problems_of(audit, THREAD)] == ["no_items"]


@pytest.mark.parametrize("path, body, what", [
    (COMMENTS, b'{"comments_v2": [{"timestamp": 1600000000, "title": "a"}, 5, null]}', "2 records"),
    (THREAD, b'{"participants": [{"name": "Ana"}], "title": "T", "messages": [{"sender_name": "Ana", '
             b'"timestamp_ms": 1600000000000, "content": "hi", "reactions": [7]}, "oops"]}', "1 message"),
])
def test_records_that_are_not_objects_are_told(tmp_path, path, body, what):
    audit, rows = scanned(tmp_path, {path: body})
    messages = [message for kind, message in problems_of(audit, path) if kind == "not_records"]
    assert any(message.startswith(what) and "not a JSON object" in message for message in messages), messages
    assert rows[path].status == "parsed" and rows[path].items >= 1  # the good records are still read


# ---- dates --------------------------------------------------------------------------------------

def test_implausible_dates_are_kept_and_counted_once_per_file(tmp_path):
    records = [{"timestamp": 900_000_000, "title": "1998"}, {"timestamp": 1_000_000_000, "title": "2001"},
               {"timestamp": 4_000_000_000, "title": "2096"}, {"timestamp": 1_600_000_000, "title": "fine"}]
    audit, rows = scanned(tmp_path, {COMMENTS: json.dumps({"comments_v2": records}).encode()})
    assert rows[COMMENTS].items == 4  # kept
    [(kind, message)] = problems_of(audit, COMMENTS)
    assert kind == "implausible_dates"
    assert "2 dated before Facebook existed (2004) and 1 dated in the future" in message
    assert problems_of(audit, crafted.POSTS) == []


# ---- names that are not UTF-8 -------------------------------------------------------------------

def test_safe_text_replaces_lone_surrogates_only():
    assert safe_text("café 😀") == "café 😀"
    assert safe_text("caf\udce9.json") == "caf\ufffd.json"  # os.fsdecode of a latin-1 byte
    assert safe_text("a\ud83db") == "a\ufffdb"  # half a pair from a JSON escape
    assert safe_json({"k\udcff": ["x\udc80", 1, None]}) == {"k\ufffd": ["x\ufffd", 1, None]}
    clean = pd.Series(["a", "é"], dtype="string")
    assert safe_strings(clean) is clean
    assert safe_strings(pd.Series(["a\udce9", None], dtype="object")).tolist() == ["a\ufffd", None]
    assert safe_strings(pd.Series(["x\udce9", "y"], dtype="category")).tolist() == ["x\ufffd", "y"]


def test_items_csv_with_lone_surrogates_is_written(tmp_path):
    from builder import items_frame

    frame = items_frame([("facebook", Item("comments", "comment", 1.6e9, "self", "B\udce9", "t\ud800x"),
                          "caf\udce9/comments.json")])
    written = write_items_csv(frame, tmp_path / "items.csv")
    text = written.path.read_text(encoding="utf-8-sig")
    assert "B\ufffd" in text and "t\ufffdx" in text and "caf\ufffd/comments.json" in text


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX file names")
@pytest.mark.parametrize("encoding", ["utf-8:strict", "ascii:strict"])
def test_scan_json_of_a_non_utf8_name_on_a_strict_stdout(tmp_path, encoding):
    folder = tmp_path / "export"
    for name, content in crafted.GOOD.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(content)
    odd = os.fsencode(folder / "your_facebook_activity" / "comments_and_reactions") + b"/caf\xe9.json"
    os.makedirs(os.path.dirname(odd), exist_ok=True)
    with open(odd, "wb") as stream:
        stream.write(b"not json")
    done = subprocess.run([sys.executable, "-m", "app", "scan", str(folder), "--json"], cwd=ROOT,
                          capture_output=True, timeout=120,
                          env={**os.environ, "PYTHONIOENCODING": encoding, "LC_ALL": "C"})
    assert done.returncode == 0, done.stderr.decode("utf-8", "replace")
    report = json.loads(done.stdout.decode("ascii" if encoding.startswith("ascii") else "utf-8"))
    assert any("caf\ufffd.json" in p["file"] for p in report["problems"])


# ---- a closed stdout --------------------------------------------------------------------------------

def test_scan_json_into_a_closed_pipe_ends_quietly(tmp_path):
    path = crafted.write_zip(tmp_path / "fb.zip")
    child = subprocess.Popen([sys.executable, "-m", "app", "scan", str(path), "--json"], cwd=ROOT,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    child.stdout.close()  # `| head` that has read enough
    _out, err = child.communicate(timeout=120)
    assert child.returncode == 141
    assert b"Traceback" not in err and b"BrokenPipe" not in err, err.decode("utf-8", "replace")
