"""A small issuer with the seed's terms: 35 rights allotted on 11 Jul 2013 at 251,401 yen each, a
service period to 30 Jun 2014, one exercise before vesting, a forfeiture and a lapse after vesting,
and a few closes around the exercise."""

from dataclasses import dataclass
from datetime import date

from grants import services
from grants.models import Lot, Series
from holders.models import Holder
from tests.factories.lifecycle import Scenario, allotted_scenario, end_office, holding
from valuations import services as valuation_services

EXERCISED_ON = date(2013, 7, 24)
PRICES = b"date,close,base_price\n2013-07-22,2110,2100\n2013-07-23,2095,2110\n2013-07-26,2150,2095\n"


@dataclass
class Books:
    scenario: Scenario
    legal: object
    secretary: object

    @property
    def series(self) -> Series:
        return Series.objects.get(pk=self.scenario.series.pk)

    @property
    def company(self):
        return self.series.company


def lapse_all(holder: Holder, series: Series, actor) -> None:
    for lot in Lot.objects.filter(holding=holding(series, holder), rights__gt=0):
        services.rights_lapse(
            lot=lot, reason=services.LapseReason.DEPARTURE_WINDOW_ENDED, as_of=date(2026, 1, 1), actor=actor
        )


def build_books(legal, secretary) -> Books:
    s = allotted_scenario(legal=legal)
    services.series_set_service_period(
        series=s.series,
        kind="period",
        start=date(2013, 7, 11),
        end=date(2014, 6, 30),
        basis="test",
        actor=legal,
    )
    valuation_services.import_share_prices(
        company=s.series.company, data=PRICES, filename="p.csv", actor=legal
    )
    # the officer leaves on 19 Jul 2013, exercises 2 of 5 rights on the 25th (no close: the 23rd's) and
    # lets 3 lapse before vesting; the director leaves after vesting and lets his 10 lapse
    end_office(s.officer, on=date(2013, 7, 19), actor=legal)
    request = services.exercise_request(
        holding=holding(s.series, s.officer), rights=2, requested_on=date(2013, 7, 22), actor=legal
    )
    services.exercise_confirm_payment(request=request, received_on=date(2013, 7, 25), actor=legal)
    lapse_all(s.officer, s.series, legal)
    end_office(s.director, on=date(2014, 7, 31), actor=legal)
    lapse_all(s.director, s.series, legal)
    return Books(scenario=s, legal=legal, secretary=secretary)
