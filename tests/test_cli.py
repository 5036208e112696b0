"""The `export-auditor scan` CLI: exit codes, the --json contract, outputs, progress, Ctrl-C, keyring."""
from __future__ import annotations

import io
import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from builder import ExportTree, Names

import app.cli as cli
from parsers.contract import EXPOSURE_LEVELS, AccountContext, Item, ItemsBuilder, files_frame, problems_frame
from parsers.exposure import classify
from parsers.pseudonym import NO_KEYRING_NOTICE
from parsers.scan import Audit, SourceReport

JSON_KEYS = {"version", "complete", "incomplete_reason", "sources", "totals", "files", "categories", "unknown_files",
             "problems", "rules_as_of", "actions"}
CATEGORY_KEYS = {"platform", "category", "items", "first", "last", "media_bytes", "exposure"}


def whatsapp_zip(tmp_path: Path, seed: int = 3) -> tuple[Path, list[str]]:
    """Two Android-format chats and one attachment: 3 members."""
    names = Names(seed)
    people = names.people(3)
    tree = ExportTree()
    for friend in people[1:]:
        lines = [f"{day:02d}/04/2022, 09:{day:02d} - {people[0] if day % 2 else friend}: {names.sentence()}"
                 for day in range(1, 21)]
        tree.add(f"WhatsApp Chat with {friend}.txt", "\n".join(lines) + "\n")
    tree.add_media("IMG-20220401-WA0001.jpg", 1500)
    return tree.write_zip(tmp_path / "chats.zip"), people


def fake_audit() -> Audit:
    """A small audit counted by hand, independent of the platform parsers."""
    builder = ItemsBuilder()
    stamp = pd.Timestamp("2021-05-01T10:00:00Z").timestamp()
    builder.add("facebook", Item("posts", "post", stamp, "self", "", "=1+1", 1, 300), "posts/your_posts_1.json")
    builder.add("facebook", Item("posts", "post", stamp + 86400, "self", "", "hi"), "posts/your_posts_1.json")
    builder.add("facebook", Item("messages", "message", stamp, "other", "Ana García", "hola", author="Ana García"),
                "messages/inbox/anagarcia_1/message_1.json")
    builder.add("facebook", Item("messages", "ai_message", None, "self", "Meta AI", "hey"), "messages/ai.json")
    items = builder.frame()
    items["exposure"] = pd.Categorical(classify(items)["exposure"], dtype=items["exposure"].dtype)
    files = files_frame([
        ("posts/your_posts_1.json", "facebook", "posts", "parsed", "", 1000, 400, "fb.zip", 2),
        ("messages/inbox/anagarcia_1/message_1.json", "facebook", "messages", "parsed", "", 500, 200, "fb.zip", 1),
        ("messages/ai.json", "facebook", "messages", "parsed", "", 50, 40, "fb.zip", 1),
        ("messages/inbox/anagarcia_1/photo.jpg", "facebook", None, "ignored", "media", 300, 300, "fb.zip", 0),
        ("misc/anagarcia_notes.json", "facebook", None, "unknown", "not in the table", 20, 20, "fb.zip", 0),
    ])
    problems = problems_frame([])
    source = SourceReport("/exports/fb.zip", "fb.zip", "facebook", "json", "2024", 1, ("x",), 5, 1870)
    account = AccountContext(owner_names={"Sam Owner"}, jurisdiction="Ireland")
    return Audit(items, files, problems, [source], {"facebook": account}, None)


@pytest.fixture
def fake_scan(monkeypatch):
    calls = []

    def scan(paths, **kwargs):
        calls.append((paths, kwargs))
        return fake_audit()

    monkeypatch.setattr(cli, "scan", scan)
    return calls


def run(argv: list[str], stderr: io.StringIO | None = None) -> tuple[int, str, str]:
    out, err = io.StringIO(), stderr or io.StringIO()
    code = cli.run_cli(argv, stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


# ---- usage --------------------------------------------------------------------------------------

@pytest.mark.parametrize("argv", [["scan"], ["scan", "x.zip", "--jurisdiction", "mars"], ["bogus"], []])
def test_usage_errors_exit_2(argv):
    assert run(argv)[0] == 2


def test_help_exits_0(capsys):
    assert run(["scan", "--help"])[0] == 0
    assert "--pseudonymize" in capsys.readouterr().out


def test_existing_output_is_refused_before_scanning(tmp_path, monkeypatch):
    monkeypatch.setattr(cli, "scan", lambda *a, **k: pytest.fail("must not scan"))
    target = tmp_path / "items.csv"
    target.write_text("precious")
    code, out, err = run(["scan", "x.zip", "--items", str(target)])
    assert code == 2 and "--force" in err and out == ""
    assert target.read_text() == "precious"


@pytest.mark.parametrize("extra", [["--items", "{d}/same.csv", "--files", "{d}/same.csv"],
                                   ["--inventory", "{d}/missing/inv.csv"], ["--files", "{d}"]])
def test_bad_output_paths_exit_2(tmp_path, monkeypatch, extra):
    monkeypatch.setattr(cli, "scan", lambda *a, **k: pytest.fail("must not scan"))
    assert run(["scan", "x.zip", *[e.format(d=tmp_path) for e in extra]])[0] == 2


# ---- results ------------------------------------------------------------------------------------

def test_json_follows_the_contract_with_categories(fake_scan):
    code, out, err = run(["scan", "fb.zip", "--json", "--jurisdiction", "us", "--owner", "Sam"])
    assert code == 0
    assert fake_scan[0][1]["jurisdiction"] == "us" and fake_scan[0][1]["owner"] == "Sam"
    # the export's own jurisdiction file (Ireland) wins, and the user is told so
    assert "privacy jurisdiction as 'eu'" in err and "--jurisdiction us" in err
    data = json.loads(out)
    assert set(data) == JSON_KEYS
    assert data["sources"] == [{"path": "/exports/fb.zip", "platform": "facebook", "format": "json",
                                "layout": "2024", "parts": 1}]
    assert data["totals"] == {"items": 4, "files": 5, "bytes": 1870}
    assert data["files"] == {"parsed": 3, "ignored": 1, "unknown": 1, "failed": 0}
    assert data["unknown_files"] == ["misc/anagarcia_notes.json"]
    assert data["problems"] == []
    assert all(set(entry) == CATEGORY_KEYS for entry in data["categories"])
    by_key = {(c["platform"], c["category"], c["exposure"]): c for c in data["categories"]}
    assert set(by_key) == {("facebook", "posts", "training_if_public"),
                           ("facebook", "messages", "training_ai_interactions"),
                           ("facebook", "messages", "private_stated_not_used")}
    posts = by_key[("facebook", "posts", "training_if_public")]
    assert (posts["items"], posts["media_bytes"]) == (2, 300)
    assert (posts["first"], posts["last"]) == ("2021-05-01T10:00:00Z", "2021-05-02T10:00:00Z")
    ai = by_key[("facebook", "messages", "training_ai_interactions")]
    assert ai["first"] is None and ai["last"] is None


def test_plain_summary_on_stdout_names_the_objection_route(fake_scan):
    code, out, _ = run(["scan", "fb.zip"])
    assert code == 0
    assert "4 items in 5 files" in out
    assert "EU / EEA" in out  # the export's jurisdiction file (Ireland) decides
    assert "(mixed)" in out  # facebook messages hold two levels


def test_outputs_are_written_and_pseudonymised(tmp_path, fake_scan, memory_keyring):
    inv, items, files = tmp_path / "inv.csv", tmp_path / "items.csv", tmp_path / "files.csv"
    code, out, err = run(["scan", "fb.zip", "--json", "--pseudonymize", "--inventory", str(inv),
                          "--items", str(items), "--files", str(files)])
    assert code == 0 and NO_KEYRING_NOTICE not in err
    assert len(pd.read_csv(inv, encoding="utf-8-sig")) == 3
    for path in (items, files):
        text = path.read_text(encoding="utf-8-sig").casefold()
        assert "ana" not in text.replace("banana", "") and "garcía" not in text and "anagarcia" not in text
    assert "anagarcia" not in out  # the unknown-file paths in the JSON are pseudonymised too
    assert "'=1+1" in items.read_text(encoding="utf-8-sig")


def test_no_text_and_force(tmp_path, fake_scan):
    items = tmp_path / "items.csv"
    items.write_text("old")
    code, _, _ = run(["scan", "fb.zip", "--items", str(items), "--no-text", "--force"])
    assert code == 0
    header = items.read_text(encoding="utf-8-sig").splitlines()[0].split(",")
    assert "text" not in header and "counterpart" in header


def test_nothing_recognised_exits_1_and_still_reports(tmp_path):
    folder = tmp_path / "stuff"
    folder.mkdir()
    (folder / "notes.bin").write_bytes(b"\x00\x01")
    code, out, err = run(["scan", str(folder), "--json"])
    assert code == 1
    data = json.loads(out)
    assert data["sources"][0]["platform"] == "unknown"
    assert data["files"]["unknown"] == 1
    assert any(p["kind"] == "not_recognised" for p in data["problems"])
    assert "nothing recognised" in err


# ---- progress and Ctrl-C ------------------------------------------------------------------------

class FakeTTY(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_bar_draws_files_and_bytes_and_only_on_a_tty():
    tty = FakeTTY()
    bar = cli.ProgressBar(tty)
    bar(0, 4, 0, 2_000_000, "a")
    bar(4, 4, 2_000_000, 2_000_000, "")
    bar.close()
    drawn = tty.getvalue()
    assert drawn.startswith("\r[") and "4/4 files" in drawn and "2.0 MB / 2.0 MB" in drawn and "100%" in drawn
    assert drawn.endswith("\n")
    pipe = io.StringIO()
    quiet = cli.ProgressBar(pipe)
    quiet(1, 2, 10, 20, "a")
    quiet.close()
    assert pipe.getvalue() == ""


def test_progress_goes_to_stderr_and_stdout_stays_json(tmp_path):
    path, _ = whatsapp_zip(tmp_path)
    err = FakeTTY()
    code, out, _ = run(["scan", str(path), "--json"], stderr=err)
    assert code == 0
    data = json.loads(out)  # nothing but the JSON object on stdout
    assert data["totals"]["files"] == 3  # two chats and one photo
    assert sum(data["files"].values()) == 3
    assert "\r[" in err.getvalue() and "files" in err.getvalue()


def test_ctrl_c_stops_cleanly_with_130_and_writes_nothing(tmp_path, monkeypatch):
    path, _ = whatsapp_zip(tmp_path)
    real_scan = cli.scan

    def interrupted_scan(paths, **kwargs):
        signal.raise_signal(signal.SIGINT)  # as if the user pressed Ctrl-C as the scan starts
        return real_scan(paths, **kwargs)

    monkeypatch.setattr(cli, "scan", interrupted_scan)
    items = tmp_path / "items.csv"
    code, out, err = run(["scan", str(path), "--json", "--items", str(items)])
    assert code == 130
    assert "nothing was written" in err and out == ""
    assert not items.exists()
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler  # handler restored


def test_keyboard_interrupt_inside_the_scan_also_exits_130(monkeypatch):
    def boom(paths, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(cli, "scan", boom)
    assert run(["scan", "x.zip"])[0] == 130


# ---- end to end in a subprocess -------------------------------------------------------------------

def run_subprocess(args: list[str], env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "app", *args], capture_output=True, text=True, timeout=120,
                          env={**os.environ, **(env or {})})


def test_without_a_keyring_the_export_works_and_says_pseudonyms_will_differ(tmp_path):
    path, people = whatsapp_zip(tmp_path)
    items = tmp_path / "items.csv"
    done = run_subprocess(["scan", str(path), "--items", str(items), "--pseudonymize", "--owner", people[0]],
                          env={"PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring"})
    assert done.returncode == 0, done.stderr
    assert NO_KEYRING_NOTICE in done.stderr.replace("\n", " ")
    assert items.exists()
    text = items.read_text(encoding="utf-8-sig")
    assert not any(name in text for name in people)
    assert done.stdout.strip()  # the plain summary


def test_scan_json_in_a_subprocess_is_pure_json(tmp_path):
    path, _ = whatsapp_zip(tmp_path)
    done = run_subprocess(["scan", str(path), "--json"])
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert set(data) == JSON_KEYS and data["sources"][0]["platform"] == "whatsapp_chat"


def test_ctrl_c_after_reading_still_writes_nothing(tmp_path, monkeypatch):
    real_scan = cli.scan

    def late_interrupt(paths, **kwargs):
        audit = real_scan(paths, **kwargs)
        signal.raise_signal(signal.SIGINT)  # pressed while the frames were being built
        return audit

    path, _ = whatsapp_zip(tmp_path)
    monkeypatch.setattr(cli, "scan", late_interrupt)
    items = tmp_path / "items.csv"
    assert run(["scan", str(path), "--items", str(items)])[0] == 130
    assert not items.exists()


def test_nothing_recognised_writes_no_csv(tmp_path):
    (tmp_path / "notes.bin").write_bytes(b"\x00")
    inventory = tmp_path / "inv.csv"
    code, out, err = run(["scan", str(tmp_path / "notes.bin"), "--inventory", str(inventory)])
    assert code == 1 and not inventory.exists() and "no CSV written" in err
    assert out == ""  # the reasons go to stderr


@pytest.mark.shared
def test_scan_json_of_a_real_facebook_export_tree(shared_fixtures):
    """Structure checks on a real (redacted) 2021 Facebook export; counts belong to the Facebook tests."""
    code, out, _ = run(["scan", str(shared_fixtures / "facebook/waultar/export-tree"), "--json"])
    assert code == 0
    data = json.loads(out)
    assert data["sources"][0]["platform"] == "facebook"
    assert sum(c["items"] for c in data["categories"]) == data["totals"]["items"] > 0
    levels = {(c["category"], c["exposure"]) for c in data["categories"]}
    assert ("messages", "private_stated_not_used") in levels
    assert all(c["exposure"] in EXPOSURE_LEVELS for c in data["categories"])
    assert all(c["first"] is None or c["first"].endswith("Z") for c in data["categories"])
