"""Every write to grants goes through one of these functions (STYLE.md habit 1)."""

from .allotment import allotment_create
from .ledger import ledger_record
from .series import series_close_allotment, series_create, series_resolve

__all__ = [
    "allotment_create",
    "ledger_record",
    "series_close_allotment",
    "series_create",
    "series_resolve",
]
