"""First start without a window system: one clear message and exit 3, never Qt's abort (exit 134)."""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from app import startup
from app.startup import EXIT_NO_WINDOW, SYSTEM_LIBRARIES, window_problem

PROJECT = Path(__file__).resolve().parents[1]


def _desktop(**extra: str) -> dict[str, str]:
    return {"DISPLAY": ":0", **extra}


def _no_plugin_problem(_name: str) -> None:
    return None


def test_a_missing_library_names_its_packages_and_the_command_line():
    lacking = {"libxcb-cursor.so.0", "libxkbcommon-x11.so.0"}
    problem = window_problem(_desktop(), probe=lambda soname: soname not in lacking, platform="linux",
                             load_plugin=_no_plugin_problem, x_server=lambda d: None)
    assert problem is not None
    assert [lib.soname for lib in problem.missing] == ["libxcb-cursor.so.0", "libxkbcommon-x11.so.0"]
    message = problem.message()
    lines = message.splitlines()
    assert lines[0].startswith("Export Auditor cannot open its window")
    assert "libxcb-cursor0, libxkbcommon-x11-0" in lines[0]
    assert "sudo apt install libxcb-cursor0 libxkbcommon-x11-0" in message
    assert "sudo dnf install xcb-util-cursor libxkbcommon-x11" in message
    assert "export-auditor scan" in message
    assert "libxcb-icccm4" not in message  # only what is missing


def test_no_display_says_so_and_points_to_the_command_line():
    problem = window_problem({}, probe=lambda s: True, platform="linux", load_plugin=_no_plugin_problem)
    assert problem is not None and problem.no_display and not problem.missing
    message = problem.message()
    assert "no display" in message and "DISPLAY is not set" in message
    assert "export-auditor scan" in message
    assert "sudo apt" not in message  # nothing to install: the libraries are there


def test_no_display_and_missing_libraries_says_both():
    problem = window_problem({}, probe=lambda s: s != "libEGL.so.1", platform="linux",
                             load_plugin=_no_plugin_problem)
    assert problem is not None
    message = problem.message()
    assert "libegl1" in message and "no display" in message
    assert "sudo apt install libegl1" in message and "sudo dnf install libglvnd-egl" in message


def test_a_display_that_does_not_answer_is_named():
    problem = window_problem(_desktop(DISPLAY=":42"), probe=lambda s: True, platform="linux",
                             load_plugin=_no_plugin_problem, x_server=lambda d: f"the display {d} does not answer")
    assert problem is not None and "the display :42 does not answer" in problem.message()


def test_a_plugin_that_does_not_load_gives_the_loaders_words():
    problem = window_problem(_desktop(), probe=lambda s: True, platform="linux",
                             load_plugin=lambda name: "libfoo.so.1: cannot open shared object file",
                             x_server=lambda d: None)
    assert problem is not None
    assert "libfoo.so.1: cannot open shared object file" in problem.message()
    assert "sudo apt install" in problem.message()


@pytest.mark.parametrize("environ", [{"QT_QPA_PLATFORM": "offscreen"}, {"QT_QPA_PLATFORM": "minimal"},
                                     {"QT_QPA_PLATFORM": "wayland;xcb", "WAYLAND_DISPLAY": "wayland-0"},
                                     {"WAYLAND_DISPLAY": "wayland-0"}])
def test_headless_and_wayland_platforms_are_not_blocked(environ):
    assert window_problem(environ, probe=lambda s: False, platform="linux") is None


@pytest.mark.parametrize("platform", ["win32", "darwin"])
def test_windows_and_macos_are_not_checked(platform):
    assert window_problem({}, probe=lambda s: False, platform=platform) is None


def test_a_healthy_desktop_has_no_problem():
    assert window_problem(_desktop(), probe=lambda s: True, platform="linux", load_plugin=_no_plugin_problem,
                          x_server=lambda d: None) is None


def test_install_lines_hold_each_package_once_with_a_font():
    apt, dnf = startup.install_lines()
    assert apt.startswith("sudo apt install ") and dnf.startswith("sudo dnf install ")
    apt_words, dnf_words = apt.split()[3:], dnf.split()[3:]
    assert len(apt_words) == len(set(apt_words)) and len(dnf_words) == len(set(dnf_words))
    assert {lib.debian for lib in SYSTEM_LIBRARIES} <= set(apt_words)
    assert "fonts-dejavu-core" in apt_words


def test_import_problem_keeps_the_loaders_words():
    problem = startup.import_problem(ImportError("libGL.so.1: cannot open shared object file"),
                                     probe=lambda s: s != "libGL.so.1")
    assert [lib.debian for lib in problem.missing] == ["libgl1"]
    assert "libGL.so.1: cannot open shared object file" in problem.message()


def test_the_fatal_handler_turns_qts_abort_into_the_message_and_exit_3():
    from PySide6.QtCore import QtMsgType

    written, codes = [], []
    handler = startup._fatal_handler(startup._Guard(), written.append, codes.append)
    handler(QtMsgType.QtWarningMsg, None, "qt.qpa.plugin: From 6.5.0, xcb-cursor0 or libxcb-cursor0 is needed")
    assert codes == [] and written == ["qt.qpa.plugin: From 6.5.0, xcb-cursor0 or libxcb-cursor0 is needed\n"]
    handler(QtMsgType.QtFatalMsg, None, "This application failed to start because no Qt platform plugin could be "
                                        "initialized.")
    assert codes == [EXIT_NO_WINDOW]
    assert "Export Auditor cannot open its window" in written[-1]
    assert "export-auditor scan" in written[-1]


def _needed(library: Path) -> set[str]:
    out = subprocess.run(["readelf", "-d", str(library)], capture_output=True, text=True, check=True).stdout
    return set(re.findall(r"\(NEEDED\).*\[(.+?)\]", out))


#: Present on every glibc system with a C++ runtime (never the reason a window fails).
BASE_LIBRARIES = {"ld-linux-x86-64.so.2", "ld-linux-aarch64.so.1", "libc.so.6", "libm.so.6", "libgcc_s.so.1",
                  "libstdc++.so.6", "libz.so.1", "libzstd.so.1", "libpthread.so.0", "libdl.so.2", "librt.so.1"}


@pytest.mark.skipif(not sys.platform.startswith("linux") or shutil.which("readelf") is None,
                    reason="needs Linux and readelf")
def test_the_library_table_covers_what_qts_xcb_plugin_loads():
    from PySide6.QtCore import QLibraryInfo

    plugins = Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.PluginsPath))
    libs = Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.LibrariesPath))
    files = [plugins / "platforms" / "libqxcb.so", *sorted((plugins / "xcbglintegrations").glob("*.so")),
             *[libs / f"libQt6{name}.so.6" for name in ("Core", "Gui", "Widgets", "XcbQpa", "DBus")]]
    needed = set().union(*(_needed(path) for path in files if path.is_file()))
    from_system = {name for name in needed if not name.startswith(("libQt6", "libicu"))} - BASE_LIBRARIES
    assert from_system, "readelf found nothing: the check would pass vacuously"
    assert from_system <= {lib.soname for lib in SYSTEM_LIBRARIES}


# ---- the real entry point, in a child process ------------------------------------------------------

def _run_app(args: list[str], env: dict[str, str], timeout: float = 120) -> subprocess.CompletedProcess:
    environ = {key: value for key, value in os.environ.items()
               if key not in {"DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"}}
    environ.update(env)
    return subprocess.run([sys.executable, "-m", "app", *args], cwd=PROJECT, env=environ, capture_output=True,
                          text=True, timeout=timeout)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Linux window system")
def test_no_display_exits_3_with_the_message_not_qts_abort():
    result = _run_app([], {})
    assert result.returncode == EXIT_NO_WINDOW, result.stderr
    assert "Export Auditor cannot open its window: there is no display" in result.stderr
    assert "export-auditor scan" in result.stderr
    assert "Aborted" not in result.stderr and "core dumped" not in result.stderr


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Linux window system")
def test_a_display_nobody_serves_exits_3():
    result = _run_app(["--check"], {"DISPLAY": ":97"})
    assert result.returncode == EXIT_NO_WINDOW, result.stderr
    assert "the display :97 does not answer" in result.stderr


def test_an_unknown_platform_plugin_is_caught_at_qts_fatal_error():
    result = _run_app(["--check"], {"QT_QPA_PLATFORM": "no-such-platform"})
    assert result.returncode == EXIT_NO_WINDOW, (result.returncode, result.stderr)
    assert result.stderr.count("Export Auditor cannot open its window") == 1
    assert 'Could not find the Qt platform plugin "no-such-platform"' in result.stderr


def test_check_passes_offscreen():
    result = _run_app(["--check"], {"QT_QPA_PLATFORM": "offscreen"})
    assert result.returncode == 0, result.stderr
    assert "can open its window here (Qt platform offscreen)" in result.stdout


def test_self_test_opens_the_window_scans_the_demo_and_exits_0(tmp_path):
    result = _run_app(["--self-test"], {"QT_QPA_PLATFORM": "offscreen", "XDG_CONFIG_HOME": str(tmp_path)})
    assert result.returncode == 0, result.stderr
    assert re.search(r"self-test: window painted \d+\.\d+ s after the process started", result.stdout)
    found = re.search(r"demo scanned in the window: (\d+) exports, ([\d,]+) items", result.stdout)
    assert found and int(found[1]) >= 3 and int(found[2].replace(",", "")) > 0


def test_the_readmes_install_lines_are_the_ones_the_app_prints():
    readme = (PROJECT / "README.md").read_text(encoding="utf-8")
    apt, dnf = startup.install_lines()
    assert apt in readme.splitlines() and dnf in readme.splitlines()
