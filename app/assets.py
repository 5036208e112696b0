"""Where the icon and the demo exports are, in each way the app can be installed.

A checkout (and `pip install -e .`) has them in `assets/` beside `app/`; the PyInstaller build has
them in its bundle folder (`sys._MEIPASS/assets`); a wheel (`pipx install .`) installs them as data
files under `<prefix>/share/export-auditor/`. The first folder that has the file wins.
"""
from __future__ import annotations

import sys
from pathlib import Path

#: Name of the folder under `<prefix>/share` that a wheel installs the assets into (pyproject data-files).
SHARE_NAME = "export-auditor"


def asset_roots() -> list[Path]:
    """The candidate asset folders, most specific first."""
    roots = []
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:  # frozen by PyInstaller
        roots.append(Path(bundle) / "assets")
    roots.append(Path(__file__).resolve().parents[1] / "assets")  # a checkout
    roots.append(Path(sys.prefix) / "share" / SHARE_NAME)  # a wheel's data files (pipx, pip)
    return roots


def asset(name: str) -> Path | None:
    """The first existing `name` (relative, e.g. "icon.svg" or "demo") in the asset folders."""
    for root in asset_roots():
        candidate = root / name
        if candidate.exists():
            return candidate
    return None


def demo_folder() -> Path | None:
    """The folder with the synthetic demo exports, or None when this installation has none."""
    folder = asset("demo")
    return folder if folder is not None and folder.is_dir() else None


def demo_paths() -> list[Path]:
    """The demo exports, in a stable order (empty when the installation has none)."""
    folder = demo_folder()
    return sorted(folder.glob("synthetic-*")) if folder is not None else []


def icon_path() -> Path | None:
    """The app icon, the SVG where present (it scales), else the PNG."""
    return asset("icon.svg") or asset("icon.png")
