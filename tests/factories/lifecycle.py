"""Lifecycle scenarios built through the services: an allotted series with the seed's terms."""

from dataclasses import dataclass
from datetime import date

from grants import services
from grants.models import AllotmentCategory, Holding, Series
from holders import services as holder_services
from holders.models import Holder, Position

from . import allot, make_holder, make_series

# A fictional amount paid per right (the seed's real figure depends on market data).
AMOUNT_PER_RIGHT_YEN = 251_401


@dataclass
class Scenario:
    series: Series
    director: Holder  # 10 rights
    officer: Holder  # 5 rights
    other: Holder  # 20 rights, stays in office


def allotted_scenario(*, legal, amount: int | None = AMOUNT_PER_RIGHT_YEN, **terms) -> Scenario:
    series = make_series(actor=legal, **terms)
    director = make_holder(actor=legal, name="Director Test (fictional)")
    officer = make_holder(
        actor=legal, name="Officer Test (fictional)", title=Position.Title.EXECUTIVE_OFFICER
    )
    other = make_holder(actor=legal, name="Other Test (fictional)")
    allot(series=series, holder=director, rights=10, actor=legal)
    allot(series=series, holder=officer, rights=5, actor=legal, category=AllotmentCategory.EXECUTIVE_OFFICER)
    allot(series=series, holder=other, rights=20, actor=legal)
    series = services.series_close_allotment(series=series, actor=legal)
    if amount is not None:
        services.allotment_set_amount_paid(series=series, amount_paid_per_right_yen=amount, actor=legal)
    return Scenario(series=series, director=director, officer=officer, other=other)


def holding(series, holder) -> Holding:
    return Holding.objects.get(series=series, holder=holder)


def end_office(holder, *, on: date, actor, reason=Position.EndReason.RESIGNED):
    for position in holder.positions.filter(ended_on__isnull=True):
        holder_services.position_end(position=position, ended_on=on, reason=reason, actor=actor)


def new_person(*, actor, name: str) -> Holder:
    return holder_services.holder_create(
        name=name, address="2-2 Test-cho, Minato-ku, Tokyo", address_from=date(2010, 4, 1), actor=actor
    )
