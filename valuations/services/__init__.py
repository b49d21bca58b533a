"""Every write of market data and valuations, notice (12).

imports: the three market-data imports; valuation: compute, finalize, approve, reject; calendar: staff's
overrides of the trading calendar. The reads a valuation is derived from are in
valuations.selectors.inputs.
"""

from .calendar import calendar_override_delete, calendar_override_set
from .imports import ImportReport, import_dividends, import_jgb_yields, import_share_prices
from .valuation import valuation_approve, valuation_finalize, valuation_reject, valuation_run

__all__ = [
    "ImportReport",
    "calendar_override_delete",
    "calendar_override_set",
    "import_dividends",
    "import_jgb_yields",
    "import_share_prices",
    "valuation_approve",
    "valuation_finalize",
    "valuation_reject",
    "valuation_run",
]
