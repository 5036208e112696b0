"""Export Auditor: the PySide6 desktop app and the CLI on top of `parsers`."""
from parsers import __version__

__all__ = ["__version__"]
