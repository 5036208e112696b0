"""First start: can Qt open a window here? If not, say what is missing in words, not with Qt's abort.

On a stock Linux desktop without Qt's xcb libraries (libxcb-cursor0 and friends), or in a session
without a display (ssh, a server), Qt prints a plugin error and aborts the process (exit 134). The
people this app is for cannot act on that. So before the QApplication exists, `window_problem()`
looks at what Qt's platform plugin will need: a display, the system libraries (probed by soname,
as the dynamic loader would find them), the plugin itself loading, and the X server answering.
Whatever it misses, `guard_qt_fatal()` catches: Qt's fatal "no platform plugin" message is turned
into the same message and exit code instead of an abort.

`SYSTEM_LIBRARIES` is also the list the .deb declares (tools/build_app.py) and the install line
in the README, so the three never disagree.
"""
from __future__ import annotations

import ctypes
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

#: Exit code when no window can be opened (the CLI's codes are 0, 1, 2 and 130).
EXIT_NO_WINDOW = 3


@dataclass(frozen=True)
class SystemLibrary:
    """A shared library Qt loads from the system on Linux, and the package that brings it."""

    soname: str
    debian: str  # Debian and Ubuntu package
    fedora: str  # Fedora package


#: What Qt's xcb platform plugin and its GUI libraries load from the system (the DT_NEEDED names of
#: libqxcb.so and the Qt libraries beside it that a distribution does not always install, checked by
#: tests/test_startup.py against the installed plugin). Order: the ones a desktop most often lacks first.
SYSTEM_LIBRARIES: tuple[SystemLibrary, ...] = (
    SystemLibrary("libxcb-cursor.so.0", "libxcb-cursor0", "xcb-util-cursor"),
    SystemLibrary("libxkbcommon-x11.so.0", "libxkbcommon-x11-0", "libxkbcommon-x11"),
    SystemLibrary("libxcb-icccm.so.4", "libxcb-icccm4", "xcb-util-wm"),
    SystemLibrary("libxcb-image.so.0", "libxcb-image0", "xcb-util-image"),
    SystemLibrary("libxcb-keysyms.so.1", "libxcb-keysyms1", "xcb-util-keysyms"),
    SystemLibrary("libxcb-render-util.so.0", "libxcb-render-util0", "xcb-util-renderutil"),
    SystemLibrary("libxcb-util.so.1", "libxcb-util1", "xcb-util"),
    SystemLibrary("libxcb-randr.so.0", "libxcb-randr0", "libxcb"),
    SystemLibrary("libxcb-shape.so.0", "libxcb-shape0", "libxcb"),
    SystemLibrary("libxcb-xfixes.so.0", "libxcb-xfixes0", "libxcb"),
    SystemLibrary("libxcb-sync.so.1", "libxcb-sync1", "libxcb"),
    SystemLibrary("libxcb-shm.so.0", "libxcb-shm0", "libxcb"),
    SystemLibrary("libxcb-render.so.0", "libxcb-render0", "libxcb"),
    SystemLibrary("libxcb-xkb.so.1", "libxcb-xkb1", "libxcb"),
    SystemLibrary("libxcb-glx.so.0", "libxcb-glx0", "libxcb"),
    SystemLibrary("libxcb.so.1", "libxcb1", "libxcb"),
    SystemLibrary("libX11-xcb.so.1", "libx11-xcb1", "libX11-xcb"),
    SystemLibrary("libX11.so.6", "libx11-6", "libX11"),
    SystemLibrary("libxkbcommon.so.0", "libxkbcommon0", "libxkbcommon"),
    SystemLibrary("libEGL.so.1", "libegl1", "libglvnd-egl"),
    SystemLibrary("libGL.so.1", "libgl1", "libglvnd-glx"),
    SystemLibrary("libfontconfig.so.1", "libfontconfig1", "fontconfig"),
    SystemLibrary("libfreetype.so.6", "libfreetype6", "freetype"),
    SystemLibrary("libglib-2.0.so.0", "libglib2.0-0", "glib2"),
    SystemLibrary("libgthread-2.0.so.0", "libglib2.0-0", "glib2"),
    SystemLibrary("libdbus-1.so.3", "libdbus-1-3", "dbus-libs"),
)

#: Not a library, but without any font Qt draws no text: the .deb and the install lines bring one.
FONT_PACKAGES = {"debian": "fonts-dejavu-core", "fedora": "dejavu-sans-fonts"}

#: Platform plugins that need neither a display nor X libraries.
HEADLESS_PLATFORMS = frozenset({"offscreen", "minimal", "minimalegl", "vnc", "linuxfb", "eglfs", "vkkhrdisplay"})


@dataclass
class WindowProblem:
    """Why no window can be opened; each part is said in the message."""

    no_display: str | None = None  # why there is no display to open a window on
    missing: list[SystemLibrary] = field(default_factory=list)
    detail: str | None = None  # the loader's or Qt's own words, when they add something

    def message(self) -> str:
        return problem_message(self)


def install_lines(libraries: list[SystemLibrary] | tuple[SystemLibrary, ...] = SYSTEM_LIBRARIES,
                  fonts: bool = True) -> tuple[str, str]:
    """The one-line install commands for Debian/Ubuntu and Fedora, each package once, in order."""
    debian = list(dict.fromkeys(lib.debian for lib in libraries))
    fedora = list(dict.fromkeys(lib.fedora for lib in libraries))
    if fonts:
        debian.append(FONT_PACKAGES["debian"])
        fedora.append(FONT_PACKAGES["fedora"])
    return "sudo apt install " + " ".join(debian), "sudo dnf install " + " ".join(fedora)


def problem_message(problem: WindowProblem) -> str:
    """One message: what is missing, how to install it, and that the command line needs no window."""
    reasons = []
    if problem.missing:
        names = ", ".join(lib.debian for lib in problem.missing)
        plural = "ies" if len(problem.missing) > 1 else "y"
        reasons.append(f"the system librar{plural} that Qt needs for a window {'are' if len(problem.missing) > 1 else 'is'} "
                       f"missing ({names})")
    if problem.no_display:
        reasons.append(problem.no_display)
    if not reasons:
        reasons.append("Qt could not start its window system")
    lines = ["Export Auditor cannot open its window: " + "; and ".join(reasons) + "."]
    if problem.detail:
        lines.append(f"  ({problem.detail})")
    if problem.missing or not problem.no_display:
        apt, dnf = install_lines(problem.missing or SYSTEM_LIBRARIES, fonts=not problem.missing)
        lines += ["Install what the window needs, then start it again:",
                  f"  Debian/Ubuntu:  {apt}",
                  f"  Fedora:         {dnf}"]
    if problem.no_display and not problem.missing:
        lines.append("Start it from a desktop session (over ssh: ssh -X), or use the command line.")
    lines.append("The command line works without a window: export-auditor scan PATH... [--json] "
                 "(export-auditor scan --help)")
    return "\n".join(lines)


# ---- the checks -----------------------------------------------------------------------------------

def _platforms(environ: dict[str, str]) -> list[str]:
    """The platform plugins Qt will try, in order (QT_QPA_PLATFORM, else what the session suggests)."""
    chosen = environ.get("QT_QPA_PLATFORM", "").strip()
    if chosen:
        return [name.split(":", 1)[0].strip().lower() for name in chosen.split(";") if name.strip()]
    if environ.get("WAYLAND_DISPLAY"):
        return ["wayland", "xcb"]
    return ["xcb"]


def probe_library(soname: str) -> bool:
    """Whether the dynamic loader finds and loads `soname` (as Qt's plugin would need it)."""
    try:
        ctypes.CDLL(soname)
    except OSError:
        return False
    return True


def _plugin_folder() -> Path | None:
    try:
        from PySide6.QtCore import QLibraryInfo
    except ImportError:
        return None
    return Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.PluginsPath)) / "platforms"


def _load_plugin(name: str) -> str | None:
    """None when the platform plugin's shared object loads, else the loader's words (or its absence)."""
    folder = _plugin_folder()
    if folder is None:
        return None
    plugin = folder / f"libq{name}.so"
    if not plugin.is_file():
        return f"Qt's {name} platform plugin is not part of this installation"
    try:
        ctypes.CDLL(str(plugin))
    except OSError as error:
        return str(error).replace(str(folder) + os.sep, "")
    return None


def _x_server_answers(display: str) -> str | None:
    """None when the X server of `display` accepts a connection, else why not (libxcb's own connect)."""
    try:
        xcb = ctypes.CDLL("libxcb.so.1")
    except OSError:
        return None  # reported as a missing library
    xcb.xcb_connect.restype = ctypes.c_void_p
    xcb.xcb_connect.argtypes = [ctypes.c_char_p, ctypes.POINTER(ctypes.c_int)]
    xcb.xcb_connection_has_error.argtypes = [ctypes.c_void_p]
    xcb.xcb_disconnect.argtypes = [ctypes.c_void_p]
    connection = xcb.xcb_connect(display.encode(), None)
    try:
        failed = xcb.xcb_connection_has_error(connection) if connection else 1
    finally:
        if connection:
            xcb.xcb_disconnect(connection)
    if failed:
        return f"the display {display} does not answer (is the desktop session still running?)"
    return None


def window_problem(environ: dict[str, str] | None = None,
                   probe: Callable[[str], bool] = probe_library,
                   platform: str = sys.platform,
                   load_plugin: Callable[[str], str | None] | None = None,
                   x_server: Callable[[str], str | None] | None = None) -> WindowProblem | None:
    """None when Qt can be expected to open a window, else what stands in the way.

    Only Linux (and other X11 systems) is checked: Windows and macOS always have their window system.
    """
    environ = dict(os.environ) if environ is None else environ
    if platform.startswith(("win", "darwin")):
        return None
    candidates = _platforms(environ)
    if any(name in HEADLESS_PLATFORMS for name in candidates):
        return None
    if "xcb" not in candidates and "wayland" not in candidates:
        return None  # an unusual plugin: Qt's own fatal message is caught by guard_qt_fatal
    if "wayland" in candidates and environ.get("WAYLAND_DISPLAY"):
        return None  # Qt falls back to xcb by itself, and the guard catches the rest
    missing = [lib for lib in SYSTEM_LIBRARIES if not probe(lib.soname)]
    display = environ.get("DISPLAY", "")
    problem = WindowProblem(missing=missing)
    if not display:
        problem.no_display = ("there is no display (DISPLAY is not set: a session without a desktop, "
                              "such as ssh or a server)")
    if not missing:  # the libraries are there: does the plugin load, does the X server answer?
        problem.detail = (load_plugin or _load_plugin)("xcb")
        if problem.detail is None and display:
            problem.no_display = (x_server or _x_server_answers)(display)
    if problem.missing or problem.no_display or problem.detail:
        return problem
    return None


def import_problem(error: ImportError, probe: Callable[[str], bool] = probe_library) -> WindowProblem:
    """Qt's libraries did not load at all: the missing system libraries and the loader's words."""
    return WindowProblem(missing=[lib for lib in SYSTEM_LIBRARIES if not probe(lib.soname)], detail=str(error))


# ---- Qt's own fatal message ------------------------------------------------------------------------

#: Words of Qt's fatal messages that mean "no platform plugin could start".
_PLATFORM_FATAL = ("platform plugin", "could not connect to display", "qt.qpa")


@dataclass
class _Guard:
    seen: list[str] = field(default_factory=list)


def _fatal_handler(guard: _Guard, write: Callable[[str], None], exit_: Callable[[int], None]):
    from PySide6.QtCore import QtMsgType

    def handler(kind, _context, text: str) -> None:
        if kind == QtMsgType.QtFatalMsg and any(words in text.lower() for words in _PLATFORM_FATAL):
            problem = window_problem() or WindowProblem()
            first_line = next((line for line in guard.seen if "needed" in line or "could not" in line.lower()),
                              text.splitlines()[0] if text else "")
            problem.detail = problem.detail or first_line.strip() or None
            write(problem_message(problem) + "\n")
            exit_(EXIT_NO_WINDOW)  # Qt aborts when the handler returns: leave first, with our code
            return
        guard.seen.append(text)
        write(text + "\n")  # what Qt's default handler would print

    return handler


class guard_qt_fatal:
    """Context manager around QApplication(): Qt's fatal platform error becomes our message and exit 3.

    The handler is removed again on leaving, so the rest of the app keeps Qt's default messages.
    """

    def __init__(self, write: Callable[[str], None] | None = None,
                 exit_: Callable[[int], None] | None = None) -> None:
        self._write = write or (lambda text: (sys.stderr.write(text), sys.stderr.flush()))
        self._exit = exit_ or _hard_exit
        self._guard = _Guard()

    def __enter__(self) -> "guard_qt_fatal":
        from PySide6.QtCore import qInstallMessageHandler

        qInstallMessageHandler(_fatal_handler(self._guard, self._write, self._exit))
        return self

    def __exit__(self, *exc: object) -> None:
        from PySide6.QtCore import qInstallMessageHandler

        qInstallMessageHandler(None)


def _hard_exit(code: int) -> None:
    sys.stderr.flush()
    sys.stdout.flush()
    os._exit(code)  # inside Qt's fatal path: no Python unwinding back into Qt


def report(problem: WindowProblem, stream=None) -> int:
    """Print the message for `problem` and return the exit code."""
    print(problem_message(problem), file=stream or sys.stderr)
    return EXIT_NO_WINDOW
