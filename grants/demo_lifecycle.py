"""Demo step: leave the seed series ready for a walk-through of the lifecycle pages.

One executive officer resigned three days before today (his 10-day window of (11)2 is open, so an
exercise can be tried) and one died five days before today (awaiting an heir, (11)3). Idempotent.
"""

from datetime import timedelta

from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import transaction

from equityplan.clock import today
from holders import services as holder_services
from holders.models import Holder, Position

from . import services
from .models import Allotment, Series

DEPARTING = "Officer J Madeup (fictional)"
DECEASED = "Officer I Madeup (fictional)"
# Fictional amount per right, used only when no valuation app sets the real one.
DEMO_AMOUNT_PER_RIGHT_YEN = 251_401
# The departing officer's own sign-in (docs/domain.md reading R54). Public like the other demo
# passwords: the demo never runs in production (R45).
DEMO_HOLDER_USERNAME = "holder"
DEMO_HOLDER_PASSWORD = "holder-demo-pass"


@transaction.atomic
def load_demo_lifecycle(*, users: dict, series: Series) -> None:
    legal = users["legal"]
    on = today()
    departing = Holder.objects.filter(name=DEPARTING).first()
    if departing is not None and departing.died_on is None:
        for position in Position.objects.filter(holder=departing, ended_on__isnull=True):
            holder_services.position_end(
                position=position,
                ended_on=on - timedelta(days=3),
                reason=Position.EndReason.RESIGNED,
                actor=legal,
            )
    # Created only when no user of that name exists: an existing user is never changed (R45).
    if departing is not None and not get_user_model().objects.filter(username=DEMO_HOLDER_USERNAME).exists():
        holder_services.holder_login_create(
            holder=departing, username=DEMO_HOLDER_USERNAME, password=DEMO_HOLDER_PASSWORD, actor=legal
        )
    deceased = Holder.objects.filter(name=DECEASED).first()
    if deceased is not None and deceased.died_on is None:
        services.death_record(holder=deceased, died_on=on - timedelta(days=5), actor=legal)
    # The valuations app determines the amount from its valuation; without it, a fictional figure.
    if (
        not apps.is_installed("valuations")
        and Allotment.objects.filter(series=series, amount_paid_per_right_yen__isnull=True).exists()
    ):
        services.allotment_set_amount_paid(
            series=series,
            amount_paid_per_right_yen=DEMO_AMOUNT_PER_RIGHT_YEN,
            actor=legal,
            reference="Demo figure (fictional)",
        )
