"""Callbacks that higher apps register to learn of changes in grants, without grants importing them.

Each callable on ``after_series_resolved`` takes ``series=`` and runs inside the resolving
transaction, so whatever it writes (a schedule, an outbox row) commits or rolls back with the
resolution itself.
"""

after_series_resolved: list = []
after_allotment_date_changed: list = []
# Called with ``request=`` inside the confirming transaction of an exercise (the holder's mail, jobs).
after_exercise_confirmed: list = []


def series_resolved(*, series) -> None:
    for callback in after_series_resolved:
        callback(series=series)


def allotment_date_changed(*, series) -> None:
    for callback in after_allotment_date_changed:
        callback(series=series)


def exercise_confirmed(*, request) -> None:
    for callback in after_exercise_confirmed:
        callback(request=request)


# Matters awaiting the board secretary that a higher app owns (valuations to approve): each callable
# takes no argument and returns a list of ``grants.selectors.decisions.Decision``; the queue reads them.
pending_decision_sources: list = []

# Deadlines a higher app owns (the year end, the filing of the report on exercises): each callable
# takes ``as_of=`` and ``until=`` and returns ``grants.selectors.deadlines.Deadline`` rows, which
# `upcoming_deadlines` adds to the dashboard's list.
upcoming_deadline_sources: list = []

# Panels of the series page from apps that may not import grants' views (papers reads only): each
# callable takes (series=, on=) and returns context with the templates to include under "panels",
# like ``grants.views.series.SeriesDetailView.extra_context_providers``.
series_page_panels: list = []

# Who runs a large holders file in the background: each callable takes (batch=, actor=) and queues
# ``grants.services.bulk_import.holder_import_run`` (the jobs app registers the outbox). With none,
# the confirming request imports the file itself.
holder_import_enqueue: list = []
