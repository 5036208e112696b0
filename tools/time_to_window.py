"""Seconds from the command to a visible main window, measured from outside the app (Xvfb + xdotool).

    python tools/time_to_window.py [--runs 5] [COMMAND...]

COMMAND defaults to the frozen build (dist/export-auditor/export-auditor). Each run starts the
command with no arguments on a fresh Xvfb display, waits until X reports a mapped window named
"Export Auditor" (xdotool search --sync --onlyvisible), records the time and closes the app. Prints
each run, the median and the machine's load, since wall times on a shared machine drift with it.
"""
from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]
DEFAULT = PROJECT / "dist" / "export-auditor" / "export-auditor"


def _free_display() -> int:
    return next(n for n in range(170, 400) if not Path(f"/tmp/.X11-unix/X{n}").exists()
                and not Path(f"/tmp/.X{n}-lock").exists())


def one_run(command: list[str], display: str, env: dict[str, str], timeout: float = 120) -> float:
    started = time.perf_counter()
    app = subprocess.Popen(command, env={**env, "DISPLAY": display}, stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL)
    try:
        found = subprocess.run(["xdotool", "search", "--sync", "--onlyvisible", "--name", "^Export Auditor$"],
                               env={**env, "DISPLAY": display}, capture_output=True, text=True, timeout=timeout)
        took = time.perf_counter() - started
        if found.returncode != 0:
            raise RuntimeError(f"no window appeared: {found.stderr.strip()}")
        return took
    finally:
        app.terminate()
        try:
            app.wait(timeout=20)
        except subprocess.TimeoutExpired:
            app.kill()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("command", nargs="*", default=[str(DEFAULT)])
    options = parser.parse_args(argv)
    for tool in ("Xvfb", "xdotool"):
        if shutil.which(tool) is None:
            raise SystemExit(f"{tool} is needed (apt-get install xvfb xdotool)")
    number = _free_display()
    server = subprocess.Popen(["Xvfb", f":{number}", "-screen", "0", "1280x800x24", "-nolisten", "tcp"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        time.sleep(1.0)
        with tempfile.TemporaryDirectory() as home:  # fresh settings: the first start a person gets
            env = {key: value for key, value in os.environ.items() if key not in {"QT_QPA_PLATFORM", "WAYLAND_DISPLAY"}}
            env.update(XDG_CONFIG_HOME=f"{home}/config", XDG_CACHE_HOME=f"{home}/cache", XDG_DATA_HOME=f"{home}/data")
            times = []
            for run in range(1, options.runs + 1):
                times.append(one_run(options.command, f":{number}", env))
                print(f"run {run}: {times[-1]:.2f} s", flush=True)
    finally:
        server.terminate()
        server.wait(timeout=10)
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"time to first window: median {statistics.median(times):.2f} s, best {min(times):.2f} s "
          f"over {len(times)} runs of {' '.join(options.command)} (load average {load:.1f} on {os.cpu_count()} cores)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
