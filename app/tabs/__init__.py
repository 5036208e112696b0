"""The four tabs of the main window: Overview, Timeline, Items, Files."""
from __future__ import annotations

from .files import FilesTab
from .items import ItemsTab
from .overview import OverviewTab
from .timeline import TimelineTab

__all__ = ["OverviewTab", "TimelineTab", "ItemsTab", "FilesTab"]
