"""Exposure rules: platform x category x kind -> exposure level (filled in by the audit issue)."""
from __future__ import annotations

import pandas as pd

from .contract import AccountContext


def apply_exposure(items: pd.DataFrame, accounts: dict[str, AccountContext], jurisdiction: str | None) -> pd.Series:
    """Exposure level per item. Placeholder until the rule table lands: everything reads 'unclear'."""
    return pd.Series("unclear", index=items.index)
