"""load_demo's reminders step: the demo holder's own sign-in, and the day's reminders asked for, so
that `make run` sends them (to the console, or to the mail catcher the README names)."""

from django.contrib.auth import get_user_model

from equityplan.clock import today
from grants.demo_lifecycle import DEPARTING
from holders import services as holder_services
from holders.models import Holder

from .services import reminders_send_due

# Public like the other demo passwords: the demo never runs in production (docs/domain.md reading R50).
DEMO_HOLDER_USERNAME = "holder"
DEMO_HOLDER_PASSWORD = "holder-demo-pass"


def reminders_demo_step(*, users, series) -> None:
    """Idempotent: the sign-in is created only when no user of that name exists; the reminders of a
    day are planned once (the outbox and the reminders' unique key)."""
    holder = Holder.objects.filter(name=DEPARTING).first()
    if holder is not None and not get_user_model().objects.filter(username=DEMO_HOLDER_USERNAME).exists():
        holder_services.holder_login_create(
            holder=holder, username=DEMO_HOLDER_USERNAME, password=DEMO_HOLDER_PASSWORD, actor=users["legal"]
        )
    reminders_send_due(as_of=today())
