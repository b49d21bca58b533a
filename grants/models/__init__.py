"""grants models, one module per concept, re-exported here."""

from .allotment import Allotment, Holding
from .company import Company
from .ledger import LedgerEvent
from .series import AllotmentCategory, PlannedAllotment, Series, ShareAdjustment

__all__ = [
    "Allotment",
    "AllotmentCategory",
    "Company",
    "Holding",
    "LedgerEvent",
    "PlannedAllotment",
    "Series",
    "ShareAdjustment",
]
