"""The benefit at exercise and its income category (docs/domain.md readings R33, R34)."""

from datetime import date
from decimal import Decimal

import pytest

from accounting.domain import tax
from accounting.domain.movements import movements
from accounting.domain.periods import Period
from accounting.domain.schedule import EXERCISED, LAPSED, RightsChange

CLOSES = [
    (date(2013, 7, 22), Decimal("2110")),
    (date(2013, 7, 23), Decimal("2095")),
    (date(2013, 7, 26), Decimal("2150")),
]


def test_price_is_the_close_that_day_else_the_nearest_earlier_close():
    assert tax.price_on(CLOSES, date(2013, 7, 23)) == tax.MarketPrice(
        date(2013, 7, 23), Decimal("2095"), True
    )
    # 24 and 25 July have no close here: the 23rd's
    assert tax.price_on(CLOSES, date(2013, 7, 25)) == tax.MarketPrice(
        date(2013, 7, 23), Decimal("2095"), False
    )
    assert tax.price_on(CLOSES, date(2013, 7, 21)) is None


def test_benefit_of_a_one_yen_option():
    assert (
        tax.economic_benefit_yen(
            market_price_yen=Decimal("2095"), exercise_price_yen=Decimal("1"), shares=400
        )
        == 837_600
    )
    assert (
        tax.economic_benefit_yen(market_price_yen=Decimal("100.5"), exercise_price_yen=Decimal("1"), shares=3)
        == 298
    )
    assert (
        tax.economic_benefit_yen(market_price_yen=Decimal("1"), exercise_price_yen=Decimal("5"), shares=3)
        == 0
    )
    with pytest.raises(TypeError):
        tax.economic_benefit_yen(market_price_yen=2095.0, exercise_price_yen=Decimal("1"), shares=1)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "heir,transferee,after_leaving,expected",
    [
        (True, False, True, (tax.REVIEW, tax.HEIR)),
        (False, True, True, (tax.REVIEW, tax.TRANSFEREE)),
        (False, False, True, (tax.RETIREMENT, tax.ONLY_AFTER_LEAVING_OFFICE)),
        (False, False, False, (tax.EMPLOYMENT, tax.WHILE_IN_OFFICE)),
    ],
)
def test_income_category(heir, transferee, after_leaving, expected):
    assert (
        tax.income_category(by_heir=heir, by_transferee=transferee, only_after_leaving_office=after_leaving)
        == expected
    )


FY2014 = Period(date(2013, 4, 1), date(2014, 3, 31))
FY2015 = Period(date(2014, 4, 1), date(2015, 3, 31))
VEST = date(2014, 6, 30)


def test_movements_in_the_year_of_grant_and_the_year_of_vesting():
    changes = [
        RightsChange(date(2013, 7, 24), EXERCISED, 2),
        RightsChange(date(2013, 7, 30), LAPSED, 2),
        RightsChange(date(2014, 8, 11), LAPSED, 4),
    ]
    first = movements(granted_on=date(2013, 7, 11), granted=135, vest_on=VEST, changes=changes, year=FY2014)
    assert (first.unvested_open, first.granted, first.forfeited, first.vested, first.unvested_close) == (
        0,
        135,
        2,
        2,
        131,
    )
    assert (first.vested_open, first.exercised, first.lapsed, first.unexercised_close) == (0, 2, 0, 0)
    second = movements(granted_on=date(2013, 7, 11), granted=135, vest_on=VEST, changes=changes, year=FY2015)
    assert (second.unvested_open, second.vested, second.unvested_close) == (131, 131, 0)
    assert (second.vested_open, second.exercised, second.lapsed, second.unexercised_close) == (0, 0, 4, 127)
    assert second.outstanding_open == first.outstanding_close == 131
    assert second.scaled(200).unexercised_close == 25_400
