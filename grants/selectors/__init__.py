"""Reads of the grants app, one module per concept: each page's data in a fixed, small number of queries
(never one per row). The names other apps read are gathered here."""

from .deadlines import Deadline, upcoming_deadlines
from .decisions import Decision, pending_decisions
from .holders import deaths_without_heir, holder_lifecycle_context, holder_page_context, holder_recent_events
from .register import RegisterRow, register_as_of, register_shares_per_right
from .series import (
    holders_for_allotment,
    series_detail,
    series_holdings,
    series_lifecycle_context,
    series_lifecycle_panel,
    series_list,
    series_recent_events,
    series_rights_balance,
)
from .windows import ExerciseWindow, exercise_window, lot_window, lots_with_windows, open_windows

__all__ = [
    "Deadline",
    "Decision",
    "ExerciseWindow",
    "RegisterRow",
    "deaths_without_heir",
    "exercise_window",
    "holder_lifecycle_context",
    "holder_page_context",
    "holder_recent_events",
    "holders_for_allotment",
    "lot_window",
    "lots_with_windows",
    "open_windows",
    "pending_decisions",
    "register_as_of",
    "register_shares_per_right",
    "series_detail",
    "series_holdings",
    "series_lifecycle_context",
    "series_lifecycle_panel",
    "series_list",
    "series_recent_events",
    "series_rights_balance",
    "upcoming_deadlines",
]
