"""The register as of a date with the company's own rights: acquired under notice (8), cancelled under
Art 276, each entry and each series' total computed from the ledger as of that date."""

from datetime import date

import pytest

from grants import services
from grants.models import CompanyHeldRights, LedgerEvent
from grants.selectors.register import Register, RegisterSeriesTotal, register_with_totals_as_of
from tests.factories import CompanyFactory
from tests.factories.lifecycle import allotted_scenario, end_office, holding

pytestmark = pytest.mark.django_db

ALLOTTED_ON = date(2013, 7, 11)
ACQUIRED_ON = date(2025, 8, 1)
CANCELLED_ON = date(2025, 9, 1)
HEAD_OFFICE = "1-1 Marunouchi, Chiyoda-ku, Tokyo"


@pytest.fixture
def acquired(legal, secretary):
    """Officer's 5 rights exercised on 2025-07-03; the director's 10 and the other holder's 20 acquired
    by the company on 2025-08-01; 12 of the company's 30 cancelled on 2025-09-01."""
    company = CompanyFactory(name="Example Issuer Inc.", name_ja="株式会社例示", address=HEAD_OFFICE)
    s = allotted_scenario(legal=legal, company=company)
    end_office(s.officer, on=date(2025, 6, 30), actor=legal)
    request = services.exercise_request(
        holding=holding(s.series, s.officer), rights=5, requested_on=date(2025, 7, 3), actor=legal
    )
    services.exercise_confirm_payment(request=request, received_on=date(2025, 7, 3), actor=legal)
    acquisition = services.company_acquisition_resolve(
        series=s.series,
        trigger="share_exchange",
        proposal_approved_on=date(2025, 6, 20),
        acquisition_date=ACQUIRED_ON,
        resolution_date=date(2025, 7, 1),
        resolution_reference="Board 2025-07",
        actor=secretary,
    )
    services.company_acquisition_execute(acquisition=acquisition, as_of=ACQUIRED_ON, actor=legal)
    services.rights_cancel(
        series=s.series,
        rights=12,
        cancelled_on=CANCELLED_ON,
        resolution_date=date(2025, 8, 20),
        resolution_reference="Board 2025-08",
        actor=legal,
    )
    return s


def _entries(register: Register) -> list[tuple]:
    return [(r.holder_name, r.company_held, r.rights, r.acquired_on, r.address) for r in register.rows]


def _total(register: Register, s) -> RegisterSeriesTotal:
    (total,) = register.totals
    assert total.series == s.series
    return total


def _figures(total: RegisterSeriesTotal) -> dict[str, int]:
    return {
        "allotted": total.allotted,
        "held_by_holders": total.held_by_holders,
        "held_by_company": total.held_by_company,
        "exercised": total.exercised,
        "lapsed": total.lapsed,
        "cancelled": total.cancelled,
        "restructured": total.restructured,
    }


def test_the_day_before_the_acquisition_the_holders_hold_and_the_company_nothing(acquired):
    register = register_with_totals_as_of(as_of=date(2025, 7, 31))
    address = acquired.director.address_on(ALLOTTED_ON)
    assert _entries(register) == [
        ("Director Test (fictional)", False, 10, ALLOTTED_ON, address),
        ("Other Test (fictional)", False, 20, ALLOTTED_ON, address),
    ]
    total = _total(register, acquired)
    assert _figures(total) == {
        "allotted": 35,
        "held_by_holders": 30,
        "held_by_company": 0,
        "exercised": 5,
        "lapsed": 0,
        "cancelled": 0,
        "restructured": 0,
    }
    assert total.balanced and total.holders == 2 and total.rights == 30 and total.shares == 6000


def test_on_the_acquisition_date_the_company_holds_the_rights_as_one_entry(acquired):
    register = register_with_totals_as_of(as_of=ACQUIRED_ON)
    (entry,) = register.rows
    assert entry.company_held and entry.holder is None
    assert (entry.holder_name, entry.address) == ("Example Issuer Inc.", HEAD_OFFICE)
    assert (entry.rights, entry.acquired_on, entry.shares_per_right, entry.shares) == (
        30,
        ACQUIRED_ON,
        200,
        6000,
    )
    assert (entry.series, entry.share_class, entry.certificate_numbers) == (
        acquired.series,
        "common stock",
        "",
    )
    total = _total(register, acquired)
    assert _figures(total) == {
        "allotted": 35,
        "held_by_holders": 0,
        "held_by_company": 30,
        "exercised": 5,
        "lapsed": 0,
        "cancelled": 0,
        "restructured": 0,
    }
    assert total.balanced and total.holders == 0 and total.rights == 30
    assert register.holders == [] and register.total_rights == 30


def test_between_the_acquisition_and_the_cancellation_nothing_changes(acquired):
    register = register_with_totals_as_of(as_of=date(2025, 8, 31))
    assert _entries(register) == [("Example Issuer Inc.", True, 30, ACQUIRED_ON, HEAD_OFFICE)]
    assert _figures(_total(register, acquired))["held_by_company"] == 30


def test_the_cancellation_reduces_the_companys_entry_from_its_date(acquired):
    for on in (CANCELLED_ON, date(2030, 1, 1)):
        register = register_with_totals_as_of(as_of=on)
        assert _entries(register) == [("Example Issuer Inc.", True, 18, ACQUIRED_ON, HEAD_OFFICE)]
        total = _total(register, acquired)
        assert _figures(total) == {
            "allotted": 35,
            "held_by_holders": 0,
            "held_by_company": 18,
            "exercised": 5,
            "lapsed": 0,
            "cancelled": 12,
            "restructured": 0,
        }
        assert total.balanced and total.accounted == 35 and total.shares == 3600
    # The register as of today agrees with the projection the services keep.
    held = CompanyHeldRights.objects.get(series=acquired.series)
    assert (held.rights, held.cancelled_rights) == (18, 12)


def test_cancelling_the_rest_takes_the_company_off_the_register(acquired, legal):
    services.rights_cancel(
        series=acquired.series,
        rights=18,
        cancelled_on=date(2025, 10, 1),
        resolution_date=date(2025, 9, 20),
        resolution_reference="Board 2025-09",
        actor=legal,
    )
    assert [r.rights for r in register_with_totals_as_of(as_of=date(2025, 9, 30)).rows] == [18]
    register = register_with_totals_as_of(as_of=date(2025, 10, 1))
    assert register.rows == []
    total = _total(register, acquired)
    assert (total.rights, total.cancelled, total.exercised, total.balanced) == (0, 30, 5, True)


def test_the_companys_entry_follows_the_series_it_belongs_to(acquired, legal):
    """Restricted to another series, the company's rights in this one are not shown."""
    other = allotted_scenario(legal=legal)
    assert register_with_totals_as_of(as_of=CANCELLED_ON, series=other.series).totals[0].held_by_company == 0
    rows = register_with_totals_as_of(as_of=CANCELLED_ON, series=acquired.series).rows
    assert [(r.company_held, r.rights) for r in rows] == [(True, 18)]


def test_rights_leaving_before_they_came_are_owed_by_the_line(acquired, legal, secretary):
    """A cancellation dated before the acquisition: the company's line is the sum of its events on
    every date (not shown while that sum is negative), so the register meets the ledger afterwards."""
    other = allotted_scenario(legal=legal)
    acquisition = services.company_acquisition_resolve(
        series=other.series,
        trigger="merger",
        proposal_approved_on=date(2026, 1, 5),
        acquisition_date=date(2026, 3, 1),
        resolution_date=date(2026, 1, 10),
        resolution_reference="Board 2026-01",
        actor=secretary,
    )
    services.company_acquisition_execute(acquisition=acquisition, as_of=date(2026, 3, 1), actor=legal)
    services.rights_cancel(
        series=other.series,
        rights=5,
        cancelled_on=date(2026, 2, 1),
        resolution_date=date(2026, 1, 20),
        resolution_reference="B",
        actor=legal,
    )
    assert LedgerEvent.objects.filter(series=other.series, event_type=LedgerEvent.Type.CANCELLED).count() == 1
    early = register_with_totals_as_of(as_of=date(2026, 2, 15), series=other.series)
    assert [(r.holder_name, r.rights) for r in early.rows] == [
        ("Director Test (fictional)", 10),
        ("Officer Test (fictional)", 5),
        ("Other Test (fictional)", 20),
    ]
    assert not early.totals[0].balanced  # 5 cancelled that the company did not hold on that date
    late = register_with_totals_as_of(as_of=date(2026, 3, 1), series=other.series)
    assert [(r.company_held, r.rights, r.acquired_on) for r in late.rows] == [(True, 30, date(2026, 3, 1))]
    assert late.totals[0].balanced
