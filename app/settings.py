"""What the app remembers between runs (QSettings, organisation and app name ExportAuditor).

An INI file in the user scope, so tests can redirect it with QSettings.setPath. Only small GUI
state lives here: geometry, last folder, recent exports and the export options. No secrets.
"""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings

ORGANISATION = APPLICATION = "ExportAuditor"
RECENT_LIMIT = 8


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

    def recent(self) -> list[list[str]]:
        """Recent exports, newest first; each entry is the list of paths scanned together."""
        raw = self.qsettings.value("paths/recent", []) or []
        if isinstance(raw, str):
            raw = [raw]
        entries = [entry.split("\n") for entry in raw if entry]
        return [e for e in entries if all(Path(p).exists() for p in e)]

    def add_recent(self, paths: list[str]) -> None:
        key = "\n".join(str(p) for p in paths)
        raw = self.qsettings.value("paths/recent", []) or []
        raw = [raw] if isinstance(raw, str) else list(raw)
        raw = [e for e in raw if e and e != key]
        self.qsettings.setValue("paths/recent", [key] + raw[: RECENT_LIMIT - 1])

    # ---- options ------------------------------------------------------------------------------
    def option(self, name: str, default: bool) -> bool:
        value = self.qsettings.value(f"options/{name}", default)
        if isinstance(value, str):
            return value.lower() in ("true", "1", "yes")
        return bool(value)

    def set_option(self, name: str, value: bool) -> None:
        self.qsettings.setValue(f"options/{name}", bool(value))

    def jurisdiction(self) -> str | None:
        value = self.qsettings.value("options/jurisdiction", "")
        return str(value) if value else None

    def set_jurisdiction(self, value: str) -> None:
        self.qsettings.setValue("options/jurisdiction", value)

    def sync(self) -> None:
        self.qsettings.sync()
