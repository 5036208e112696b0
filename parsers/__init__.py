"""Export Auditor's Qt-free library: open exports, recognise files, stream records, audit, export."""
from .scan import Audit, scan

__all__ = ["Audit", "scan"]
__version__ = "0.1.0"
