"""The PyInstaller build behaves as the source checkout: same --json, the window opens, workers start.

These run the built binary. They build it first when EXPORT_AUDITOR_BUILD=1 (what .ci/run sets; a
build takes minutes), reuse dist/ when it holds a build of exactly these sources (tools/build_app.py
writes a digest of them), and skip otherwise, so the everyday test run stays fast.
"""
from __future__ import annotations

import importlib.util
import json
import os
import re
import subprocess
import sys
import tarfile
import time
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.frozen


def _load_build_app():
    spec = importlib.util.spec_from_file_location("build_app", PROJECT / "tools" / "build_app.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


build_app = _load_build_app()


@pytest.fixture(scope="session")
def frozen() -> dict:
    """The build stamp (paths and sizes) of an up-to-date build, building it when asked to."""
    stamp = build_app.current_build()
    if stamp is None:
        if os.environ.get("EXPORT_AUDITOR_BUILD") != "1":
            pytest.skip("dist/ holds no build of these sources: run python tools/build_app.py "
                        "(or set EXPORT_AUDITOR_BUILD=1 to build here, a few minutes)")
        stamp = build_app.build()
    return stamp


@pytest.fixture
def clean_env(tmp_path) -> dict[str, str]:
    """The frozen app's environment: its own settings folders, no display unless a test adds one."""
    env = {key: value for key, value in os.environ.items()
           if key not in {"DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM", "PYTHONPATH"}}
    for name in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME"):
        env[name] = str(tmp_path / name.lower())
    return env


def _run(args: list, env: dict[str, str], timeout: float = 300, cwd: Path | None = None):
    return subprocess.run([str(a) for a in args], env=env, capture_output=True, text=True, timeout=timeout,
                          cwd=cwd)


def _bundled_demo(stamp: dict) -> list[Path]:
    return sorted((Path(stamp["app"]) / "_internal" / "assets" / "demo").glob("synthetic-*"))


def test_frozen_scan_json_of_the_bundled_demo_equals_the_source_checkout(frozen, clean_env, tmp_path):
    demo = _bundled_demo(frozen)
    checkout = sorted((PROJECT / "assets" / "demo").glob("synthetic-*"))
    assert [p.name for p in demo] == [p.name for p in checkout] and len(demo) == 3
    assert all(a.read_bytes() == b.read_bytes() for a, b in zip(demo, checkout))

    frozen_run = _run([frozen["executable"], "scan", *demo, "--json"], clean_env, cwd=tmp_path)
    assert frozen_run.returncode == 0, frozen_run.stderr
    source_env = {**clean_env, "PYTHONPATH": str(PROJECT)}
    source_run = _run([sys.executable, "-m", "app", "scan", *demo, "--json"], source_env, cwd=PROJECT)
    assert source_run.returncode == 0, source_run.stderr
    frozen_json, source_json = json.loads(frozen_run.stdout), json.loads(source_run.stdout)
    assert frozen_json["totals"]["items"] > 0 and len(frozen_json["sources"]) == 4
    assert frozen_json == source_json


def test_frozen_items_csv_equals_the_source_checkout(frozen, clean_env, tmp_path):
    """The pandas, CSV and pseudonym paths of the bundle (--items --pseudonymize writes through all three)."""
    demo = _bundled_demo(frozen)
    outputs = {}
    for label, command, cwd in (("frozen", [frozen["executable"]], tmp_path),
                                ("source", [sys.executable, "-m", "app"], PROJECT)):
        target = tmp_path / f"{label}.csv"
        env = {**clean_env, "PYTHONPATH": str(PROJECT)} if label == "source" else clean_env
        result = _run([*command, "scan", *demo, "--items", target, "--no-text"], env, cwd=cwd)
        assert result.returncode == 0, result.stderr
        outputs[label] = target.read_bytes()
    assert outputs["frozen"].count(b"\n") > 100
    assert outputs["frozen"] == outputs["source"]


def test_frozen_self_test_opens_the_demo_offscreen_and_exits_0(frozen, clean_env):
    result = _run([frozen["executable"], "--self-test"], {**clean_env, "QT_QPA_PLATFORM": "offscreen"})
    assert result.returncode == 0, result.stdout + result.stderr
    assert "platform offscreen" in result.stdout
    assert re.search(r"demo scanned in the window: 4 exports, [\d,]+ items", result.stdout)


def test_frozen_app_without_a_display_exits_3_with_the_message(frozen, clean_env):
    result = _run([frozen["executable"]], clean_env, timeout=60)
    assert result.returncode == 3, (result.returncode, result.stderr)
    assert "Export Auditor cannot open its window: there is no display" in result.stderr
    assert "export-auditor scan" in result.stderr


def _children(pid: int) -> list[str]:
    """Command lines of the processes whose parent is `pid` (Linux /proc)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            if int(fields[1]) == pid:
                found.append((stat.parent / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace"))
        except (OSError, ValueError, IndexError):
            continue
    return found


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="watches child processes in /proc")
def test_frozen_parallel_scan_starts_workers_and_gives_the_serial_result(frozen, clean_env, tmp_path):
    """Large enough for the pool (members >= 1 MiB, >= 16 MiB in all): the frozen executable must become
    a fork server / worker when started so (multiprocessing.freeze_support), not a second app."""
    from builder.facebook import build_facebook

    tree = build_facebook("2024", seed=8, messages=60_000, threads=4, messages_per_file=5_000, posts=20)
    export = tree.write_zip(tmp_path / "facebook-me-2024-01-01.zip")
    serial = _run([frozen["executable"], "scan", export, "--json", "--jobs", "1"], clean_env)
    assert serial.returncode == 0, serial.stderr

    process = subprocess.Popen([frozen["executable"], "scan", str(export), "--json", "--jobs", "2"],
                               env=clean_env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    seen: set[str] = set()
    while process.poll() is None:
        seen.update(_children(process.pid))
        time.sleep(0.02)
    out, err = process.communicate(timeout=300)
    assert process.returncode == 0, err
    assert any("forkserver" in line or "multiprocessing" in line for line in seen), seen
    assert json.loads(out) == json.loads(serial.stdout)
    assert json.loads(out)["totals"]["items"] > 60_000


def test_the_bundle_holds_what_the_app_needs_and_not_what_it_does_not(frozen):
    internal = Path(frozen["app"]) / "_internal"
    plugins = internal / "PySide6" / "Qt" / "plugins"
    assert {p.name for p in (plugins / "platforms").iterdir()} >= {"libqxcb.so", "libqoffscreen.so"}
    assert not (plugins / "platforms" / "libqwayland.so").exists()
    assert (plugins / "iconengines" / "libqsvgicon.so").is_file()
    assert not list(internal.rglob("*WebEngine*")) and not list(internal.rglob("libQt6Qml*"))
    assert not (internal / "PySide6" / "Qt" / "translations").exists()
    assert not (internal / "tests").exists() and not (internal / "pytest").exists()
    # every data file of the parsers package is bundled beside its modules
    data_files = [p.relative_to(PROJECT) for p in (PROJECT / "parsers").rglob("*")
                  if p.is_file() and p.suffix not in {".py", ".pyc"} and "__pycache__" not in p.parts]
    for relative in data_files:
        assert (internal / relative).is_file(), f"{relative} is not in the bundle"
    try:
        import lxml  # noqa: F401
    except ImportError:
        pass
    else:  # the HTML readers use lxml: it must not be excluded
        assert (internal / "lxml").is_dir()
    assert (internal / "assets" / "icon.svg").is_file()


def test_the_unpacked_app_stays_under_250_mb(frozen):
    assert frozen["unpacked_bytes"] == build_app.tree_size(Path(frozen["app"]))
    assert frozen["unpacked_bytes"] < 250_000_000, f"{frozen['unpacked_bytes'] / 1e6:.0f} MB"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the .tar.gz is the Linux package")
def test_the_tarball_installs_into_local_share_and_uninstalls(frozen, clean_env, tmp_path):
    with tarfile.open(frozen["tarball"]) as tar:
        names = tar.getnames()
        top = names[0].split("/")[0]
        for needed in ("install.sh", "export-auditor.desktop", "export-auditor.svg", "export-auditor/export-auditor"):
            assert f"{top}/{needed}" in names
        tar.extractall(tmp_path / "unpacked", filter="tar")
    home = tmp_path / "home"
    env = {**clean_env, "HOME": str(home)}
    env.pop("XDG_DATA_HOME")
    result = _run(["sh", tmp_path / "unpacked" / top / "install.sh"], env)
    assert result.returncode == 0, result.stderr
    share = home / ".local" / "share"
    entry = (share / "applications" / "export-auditor.desktop").read_text()
    assert f'Exec="{share}/export-auditor/export-auditor" %F' in entry and "Icon=export-auditor" in entry
    assert (share / "icons" / "hicolor" / "scalable" / "apps" / "export-auditor.svg").is_file()
    launcher = home / ".local" / "bin" / "export-auditor"
    version = _run([launcher, "--version"], env)
    assert version.returncode == 0 and version.stdout.strip() == f"export-auditor {frozen['version']}"
    assert "cannot open its window" in result.stderr  # install.sh ran --check: no display in this test
    removed = _run(["sh", tmp_path / "unpacked" / top / "install.sh", "--uninstall"], env)
    assert removed.returncode == 0
    assert not (share / "export-auditor").exists() and not launcher.exists()
    assert not (share / "applications" / "export-auditor.desktop").exists()
