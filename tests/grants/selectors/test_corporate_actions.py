"""Approved splits and consolidations as market data reads them: the ex-rights date and the ratio."""

from datetime import date
from fractions import Fraction

import pytest

from grants import services
from grants.selectors.corporate_actions import (
    PriceBasisChange,
    company_price_basis_changes,
    price_basis_changes,
)
from tests.factories import CompanyFactory

pytestmark = pytest.mark.django_db

UNTIL = date(2030, 12, 31)


def record(company, legal, **terms):
    return services.corporate_action_record(company=company, actor=legal, **terms)


def approve(action, secretary):
    services.corporate_action_approve(
        action=action, resolution_date=date(2012, 8, 1), resolution_reference="Board minutes", actor=secretary
    )
    action.refresh_from_db()
    return action


def test_the_seed_split_changes_basis_on_its_ex_rights_date(legal, secretary):
    company = CompanyFactory()
    split = approve(
        record(
            company,
            legal,
            kind="split",
            ratio_numerator=200,
            ratio_denominator=1,
            record_date=date(2012, 9, 30),
        ),
        secretary,
    )
    assert split.applies_from == date(2012, 10, 1)  # the shares per right: the day after the record date
    assert price_basis_changes(company=company, after=None, until=UNTIL) == [
        PriceBasisChange(
            corporate_action_id=split.pk,
            basis_from=date(2012, 9, 26),
            ratio=Fraction(200),
            kind="split",
            holders_fixed_on=date(2012, 9, 30),
        )
    ]


@pytest.mark.parametrize(
    ("terms", "basis_from"),
    [
        # no record date: the ex-rights date of the day before it takes effect (T+2: 2021-03-30)
        (
            {
                "kind": "consolidation",
                "ratio_numerator": 1,
                "ratio_denominator": 10,
                "effective_date": date(2021, 4, 1),
            },
            date(2021, 3, 30),
        ),
        (
            {
                "kind": "consolidation",
                "ratio_numerator": 1,
                "ratio_denominator": 5,
                "record_date": date(2019, 9, 30),
                "effective_date": date(2019, 10, 1),
            },
            date(2019, 9, 27),
        ),
        # conditional on a meeting: prices change basis at the record date, before the meeting closes
        (
            {
                "kind": "conditional_split",
                "ratio_numerator": 2,
                "ratio_denominator": 1,
                "record_date": date(2014, 3, 31),
                "meeting_closed_on": date(2014, 6, 20),
            },
            date(2014, 3, 27),
        ),
    ],
)
def test_basis_date_by_kind(legal, secretary, terms, basis_from):
    company = CompanyFactory()
    action = approve(record(company, legal, **terms), secretary)
    (change,) = price_basis_changes(company=company, after=None, until=UNTIL)
    assert change.corporate_action_id == action.pk
    assert change.basis_from == basis_from
    assert change.ratio == Fraction(terms["ratio_numerator"], terms["ratio_denominator"])
    assert change.kind == terms["kind"]


def test_only_approved_price_changing_actions_of_the_company_count(legal, secretary):
    company = CompanyFactory()
    record(
        company, legal, kind="split", ratio_numerator=2, ratio_denominator=1, record_date=date(2015, 3, 31)
    )
    rejected = record(
        company, legal, kind="split", ratio_numerator=3, ratio_denominator=1, record_date=date(2016, 3, 31)
    )
    services.corporate_action_reject(
        action=rejected, resolution_date=date(2016, 2, 1), resolution_reference="Board", actor=secretary
    )
    approve(
        record(
            company,
            legal,
            kind="reasonable_adjustment",
            ratio_numerator=3,
            ratio_denominator=2,
            effective_date=date(2017, 4, 1),
        ),
        secretary,
    )
    other = CompanyFactory()
    approve(
        record(
            other, legal, kind="split", ratio_numerator=2, ratio_denominator=1, record_date=date(2018, 3, 31)
        ),
        secretary,
    )
    assert price_basis_changes(company=company, after=None, until=UNTIL) == []
    assert len(price_basis_changes(company=other, after=None, until=UNTIL)) == 1


def test_window_is_after_exclusive_until_inclusive_and_in_date_order(
    legal, secretary, django_assert_num_queries
):
    company = CompanyFactory()
    later = approve(
        record(
            company,
            legal,
            kind="split",
            ratio_numerator=2,
            ratio_denominator=1,
            record_date=date(2020, 3, 31),
        ),
        secretary,
    )
    earlier = approve(
        record(
            company,
            legal,
            kind="split",
            ratio_numerator=200,
            ratio_denominator=1,
            record_date=date(2012, 9, 30),
        ),
        secretary,
    )
    with django_assert_num_queries(1):
        changes = price_basis_changes(company=company, after=None, until=UNTIL)
    assert [c.corporate_action_id for c in changes] == [earlier.pk, later.pk]
    assert price_basis_changes(company=company, after=date(2012, 9, 26), until=UNTIL) == changes[1:]
    assert (
        price_basis_changes(company=company, after=date(2012, 9, 25), until=date(2012, 9, 26)) == changes[:1]
    )
    assert price_basis_changes(company=company, after=None, until=date(2012, 9, 25)) == []


def test_calendar_overrides_move_the_basis_date(legal, secretary):
    company = CompanyFactory()
    approve(
        record(
            company,
            legal,
            kind="split",
            ratio_numerator=2,
            ratio_denominator=1,
            record_date=date(2020, 3, 31),
        ),
        secretary,
    )
    (change,) = price_basis_changes(
        company=company, after=None, until=UNTIL, overrides={date(2020, 3, 31): False}
    )
    assert change.basis_from == date(2020, 3, 27)


def test_several_companies_in_one_query(legal, secretary, django_assert_num_queries):
    first, second, none = CompanyFactory(), CompanyFactory(), CompanyFactory()
    for company in (first, second):
        approve(
            record(
                company,
                legal,
                kind="split",
                ratio_numerator=2,
                ratio_denominator=1,
                record_date=date(2020, 3, 31),
            ),
            secretary,
        )
    with django_assert_num_queries(1):
        by_company = company_price_basis_changes(companies=[first, second, none])
    assert set(by_company) == {first.pk, second.pk}
    assert by_company[first.pk][0].basis_from == date(2020, 3, 30)
