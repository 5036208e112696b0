"""What the app remembers between runs (QSettings, organisation and app name ExportAuditor).

An INI file in the user scope, so tests can redirect it with QSettings.setPath. Only small GUI
state lives here: geometry, last folder, recent exports and the export options. No secrets.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings

from .words import PLATFORM

ORGANISATION = APPLICATION = "ExportAuditor"
RECENT_LIMIT = 8
THEMES = ("system", "light", "dark")


@dataclass(frozen=True)
class RecentEntry:
    """One audit in Open recent: every export read together, and the platforms they held."""

    paths: tuple[str, ...]
    platforms: tuple[str, ...] = ()

    @classmethod
    def parse(cls, raw: str) -> "RecentEntry | None":
        """A stored entry: JSON, or the older newline-joined paths."""
        try:
            value = json.loads(raw)
        except ValueError:
            paths = tuple(p for p in raw.split("\n") if p)
            return cls(paths) if paths else None
        if not isinstance(value, dict) or not value.get("paths"):
            return None
        return cls(tuple(map(str, value["paths"])), tuple(map(str, value.get("platforms") or ())))

    def dump(self) -> str:
        return json.dumps({"paths": list(self.paths), "platforms": list(self.platforms)})

    @property
    def title(self) -> str:
        """"Facebook · facebook-2024.zip · ~/Downloads" for one export (two in one folder stay apart);
        "Facebook, Instagram (2 exports) · ~/Downloads" for a set."""
        name = Path(self.paths[0]).name
        platforms = ", ".join(PLATFORM.get(p, p) for p in self.platforms)
        folders = list(dict.fromkeys(str(Path(p).parent) for p in self.paths))
        where = _home_relative(folders[0]) + (f" and {len(folders) - 1} more" if len(folders) > 1 else "")
        if len(self.paths) > 1:
            return f"{platforms or name} ({len(self.paths)} exports) · {where}"
        return f"{platforms} · {name} · {where}" if platforms else f"{name} · {where}"


def _home_relative(folder: str) -> str:
    home = str(Path.home())
    return "~" + folder[len(home):] if folder == home or folder.startswith(home + "/") else folder


class Settings:
    def __init__(self) -> None:
        self.qsettings = QSettings(QSettings.Format.IniFormat, QSettings.Scope.UserScope,
                                   ORGANISATION, APPLICATION)

    # ---- geometry ---------------------------------------------------------------------------
    def geometry(self) -> QByteArray | None:
        value = self.qsettings.value("window/geometry")
        return value if isinstance(value, QByteArray) else None

    def set_geometry(self, value: QByteArray) -> None:
        self.qsettings.setValue("window/geometry", value)

    # ---- folders and recent exports -----------------------------------------------------------
    def last_folder(self) -> str:
        folder = str(self.qsettings.value("paths/last_folder", "") or "")
        return folder if folder and Path(folder).is_dir() else str(Path.home())

    def set_last_folder(self, folder: str | Path) -> None:
        self.qsettings.setValue("paths/last_folder", str(folder))

    def recent(self) -> list[RecentEntry]:
        """Recent audits, newest first; each is the whole set of exports read together (and still there)."""
        entries = [RecentEntry.parse(raw) for raw in self._recent_raw()]
        return [e for e in entries if e is not None and all(Path(p).exists() for p in e.paths)]

    def add_recent(self, paths: list[str], platforms: list[str] | tuple[str, ...] = ()) -> None:
        entry = RecentEntry(tuple(str(p) for p in paths), tuple(platforms))
        kept = [raw for raw in self._recent_raw() if (RecentEntry.parse(raw) or entry).paths != entry.paths]
        self.qsettings.setValue("paths/recent", [entry.dump()] + kept[: RECENT_LIMIT - 1])

    def clear_recent(self) -> None:
        self.qsettings.setValue("paths/recent", [])

    def _recent_raw(self) -> list[str]:
        raw = self.qsettings.value("paths/recent", []) or []
        return [raw] if isinstance(raw, str) else [str(r) for r in raw if r]

    # ---- options ------------------------------------------------------------------------------
    def option(self, name: str, default: bool) -> bool:
        value = self.qsettings.value(f"options/{name}", default)
        if isinstance(value, str):
            return value.lower() in ("true", "1", "yes")
        return bool(value)

    def set_option(self, name: str, value: bool) -> None:
        self.qsettings.setValue(f"options/{name}", bool(value))

    def export_kind(self) -> str:
        """What the export dialog selects first: the kind exported last ("inventory" at first)."""
        return str(self.qsettings.value("options/export_kind", "inventory") or "inventory")

    def set_export_kind(self, kind: str) -> None:
        self.qsettings.setValue("options/export_kind", kind)

    def theme(self) -> str:
        value = str(self.qsettings.value("view/theme", "system") or "system")
        return value if value in THEMES else "system"

    def set_theme(self, value: str) -> None:
        self.qsettings.setValue("view/theme", value if value in THEMES else "system")

    def jurisdiction(self) -> str | None:
        value = self.qsettings.value("options/jurisdiction", "")
        return str(value) if value else None

    def set_jurisdiction(self, value: str) -> None:
        self.qsettings.setValue("options/jurisdiction", value)

    def sync(self) -> None:
        self.qsettings.sync()
