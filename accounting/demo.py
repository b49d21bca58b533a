"""Demo step: the year-end figures need a service period, an exercise and lapses (docs/domain.md §7).

The 3rd series' service period runs from the allotment date to the next ordinary general meeting,
2014-06-30: the demo's assumption, not the issuer's. Two fictional executive officers leave office:
one on 2013-07-19, who exercises 2 of his 4 rights in his window of (11)2 and lets the other 2 lapse
before vesting; one on 2014-07-31, after vesting, whose 4 rights lapse. Through the real services;
idempotent.
"""

from __future__ import annotations

from datetime import date

from django.db import transaction

from equityplan.clock import today
from grants import services
from grants.models import ExerciseRequest, Holding, Lot, Series
from holders import services as holder_services
from holders.models import Holder, Position

SERVICE_END = date(2014, 6, 30)
SERVICE_BASIS = "Demo's assumption: to the next ordinary general meeting, 30 June 2014"
EARLY_LEAVER = "Officer H Madeup (fictional)"
EARLY_LEFT_ON = date(2013, 7, 19)
EXERCISE_REQUESTED_ON, EXERCISED_ON, EXERCISED_RIGHTS = date(2013, 7, 22), date(2013, 7, 24), 2
LATE_LEAVER = "Officer G Madeup (fictional)"
LATE_LEFT_ON = date(2014, 7, 31)


def _leave(holder: Holder, on: date, actor) -> None:
    for position in Position.objects.filter(holder=holder, ended_on__isnull=True):
        holder_services.position_end(
            position=position, ended_on=on, reason=Position.EndReason.RESIGNED, actor=actor
        )


def _lapse_rest(holding: Holding, actor) -> None:
    for lot in Lot.objects.filter(holding=holding, rights__gt=0):
        services.rights_lapse(
            lot=lot, reason=services.LapseReason.DEPARTURE_WINDOW_ENDED, as_of=today(), actor=actor
        )


@transaction.atomic
def load_demo_accounting(*, users: dict, series: Series) -> None:
    legal = users["legal"]
    series = Series.objects.get(pk=series.pk)  # as stored: an earlier step may have changed it
    if not series.service_period:
        services.series_set_service_period(
            series=series,
            kind=Series.ServicePeriod.PERIOD,
            start=series.allotment_date,
            end=SERVICE_END,
            basis=SERVICE_BASIS,
            actor=legal,
        )
    early = Holder.objects.filter(name=EARLY_LEAVER).first()
    if early is not None:
        holding = Holding.objects.get(series=series, holder=early)
        if not ExerciseRequest.objects.filter(holding=holding).exists():
            _leave(early, EARLY_LEFT_ON, legal)
            request = services.exercise_request(
                holding=holding, rights=EXERCISED_RIGHTS, requested_on=EXERCISE_REQUESTED_ON, actor=legal
            )
            services.exercise_confirm_payment(request=request, received_on=EXERCISED_ON, actor=legal)
            _lapse_rest(holding, legal)
    late = Holder.objects.filter(name=LATE_LEAVER).first()
    if late is not None and not Position.objects.filter(holder=late, ended_on__isnull=False).exists():
        _leave(late, LATE_LEFT_ON, legal)
        _lapse_rest(Holding.objects.get(series=series, holder=late), legal)
