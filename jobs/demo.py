"""load_demo's reminders step: the day's reminders recorded and queued, so that `make run` sends them
(to the console, or to the mail catcher the README names)."""

from equityplan.clock import today

from .services import reminders_send_due


def reminders_demo_step(*, users, series) -> None:
    """Idempotent: the reminders of a day are recorded once (their unique key, docs/domain.md reading R52)."""
    reminders_send_due(as_of=today())
