"""Rights as lots: the conditions of exercise travel with the lot, not the person (11).

The case legal departments meet: director Keiko, in office with 15 rights of her own, inherits
Ichiro's 25. The heir's six months bind only the inherited 25; her own 15 keep (11)2.
"""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from grants import services
from grants.models import LedgerEvent, Lot
from grants.selectors import lot_window, register_as_of, series_rights_balance
from jobs.actors import system_user
from jobs.sweep import daily_sweep
from tests.factories import allot, make_holder, make_series

pytestmark = pytest.mark.django_db

DIED = date(2020, 8, 20)
SUCCEEDED = date(2020, 8, 30)  # heir's window 31 Aug 2020 - 28 Feb 2021 (Civil Code Art 143)


@pytest.fixture
def heir_case(legal, secretary):
    series = make_series(actor=legal, heir_window_shift="next_business_day")
    keiko = make_holder(actor=legal, name="Keiko Heir (fictional)")
    ichiro = make_holder(actor=legal, name="Ichiro Deceased (fictional)")
    allot(series=series, holder=keiko, rights=15, actor=legal)
    allot(series=series, holder=ichiro, rights=25, actor=legal)
    services.series_close_allotment(series=series, actor=legal)
    services.allotment_set_amount_paid(series=series, amount_paid_per_right_yen=1000, actor=legal)
    services.death_record(holder=ichiro, died_on=DIED, actor=legal)
    case = services.inheritance_open(deceased=ichiro, actor=legal)
    services.heir_designate(case=case, heir=keiko, designated_on=DIED, relationship="child", actor=legal)
    services.inheritance_approve(
        case=case,
        succeeded_on=SUCCEEDED,
        resolution_date=SUCCEEDED,
        resolution_reference="Board 2020-08-30",
        actor=secretary,
    )
    return series, keiko, ichiro, case


def _lots(keiko):
    own = Lot.objects.get(holding__holder=keiko, origin=Lot.Origin.ALLOTTED)
    inherited = Lot.objects.get(holding__holder=keiko, origin=Lot.Origin.SUCCEEDED)
    return own, inherited


def test_the_heirs_holding_is_two_lots_with_their_own_conditions(heir_case):
    series, keiko, ichiro, case = heir_case
    own, inherited = _lots(keiko)
    assert (own.rights, own.allottee, own.acquired_on) == (15, keiko, series.allotment_date)
    assert (inherited.rights, inherited.allottee, inherited.inheritance_case, inherited.acquired_on) == (
        25,
        ichiro,
        case,
        SUCCEEDED,
    )
    assert keiko.holdings.get(series=series).rights == 40
    assert lot_window(own).kind == "in_office"
    heir = lot_window(inherited)
    assert (heir.kind, heir.first, heir.last) == (
        "heir",
        date(2020, 8, 31),
        date(2021, 3, 1),
    )  # 28 Feb is a Sunday


def test_the_exercise_refuses_the_own_lot_and_accepts_the_inherited_one(heir_case, legal):
    series, keiko, _ichiro, _case = heir_case
    own, inherited = _lots(keiko)
    holding = keiko.holdings.get(series=series)
    with pytest.raises(ValidationError) as refused:
        services.exercise_request(
            holding=holding, lot=own, rights=15, requested_on=date(2020, 9, 1), actor=legal
        )
    assert any("holds office at the issuer" in m for m in refused.value.messages)
    with pytest.raises(ValidationError) as ambiguous:
        services.exercise_request(holding=holding, rights=25, requested_on=date(2020, 9, 1), actor=legal)
    assert ambiguous.value.error_dict["lot"][0].code == "lot_required"
    request = services.exercise_request(
        holding=holding, lot=inherited, rights=25, requested_on=date(2020, 9, 1), actor=legal
    )
    services.exercise_confirm_payment(request=request, received_on=date(2020, 9, 2), actor=legal)
    own.refresh_from_db()
    inherited.refresh_from_db()
    assert (own.rights, inherited.rights, holding.lots.count()) == (15, 0, 2)
    # The register takes the exercised rights from the inherited lot, not the older own one.
    (row,) = register_as_of(as_of=date(2020, 9, 2), series=series)
    assert (row.rights, row.lots) == (15, (("allotted", series.allotment_date, 15),))
    series.refresh_from_db()
    balance = series_rights_balance(series=series)
    assert balance["balanced"], balance


def test_the_heirs_window_ending_lapses_only_the_inherited_lot(heir_case):
    series, keiko, _ichiro, _case = heir_case
    own, inherited = _lots(keiko)
    before = {
        row.holder.name: (row.rights, row.lots)
        for row in register_as_of(as_of=date(2021, 3, 1), series=series)
    }
    assert before == {
        "Keiko Heir (fictional)": (
            40,
            (("allotted", series.allotment_date, 15), ("succeeded", SUCCEEDED, 25)),
        )
    }
    result = daily_sweep(as_of=date(2021, 3, 2), actor=system_user())
    assert [(r["lot_id"], r["rights"], r["reason"], r["effective_date"]) for r in result["lapsed"]] == [
        (inherited.pk, 25, "heir_window_ended", "2021-03-02")
    ]
    after = {
        row.holder.name: (row.rights, row.lots)
        for row in register_as_of(as_of=date(2021, 3, 2), series=series)
    }
    assert after == {"Keiko Heir (fictional)": (15, (("allotted", series.allotment_date, 15),))}
    # As of the day before, the register still reads as it did: the lapse is dated the day after the window.
    assert register_as_of(as_of=date(2021, 3, 1), series=series)[0].rights == 40
    own.refresh_from_db()
    assert own.rights == 15
    assert daily_sweep(as_of=date(2021, 3, 3), actor=system_user())["lapsed"] == []  # idempotent


def test_the_heirs_death_lapses_the_inherited_lot_and_leaves_her_own_to_her_heir(heir_case, legal):
    series, keiko, _ichiro, _case = heir_case
    own, inherited = _lots(keiko)
    services.death_record(holder=keiko, died_on=date(2020, 10, 1), actor=legal)
    lapsed = LedgerEvent.objects.get(event_type=LedgerEvent.Type.LAPSED, holder=keiko)
    assert (lapsed.rights_delta, lapsed.payload["lot_id"], lapsed.payload["reason"]) == (
        -25,
        inherited.pk,
        "heir_died",
    )
    own.refresh_from_db()
    assert own.rights == 15
    assert services.inheritance_open(deceased=keiko, actor=legal).deceased == keiko  # her own rights pass


def test_a_transferees_lot_keeps_the_original_holders_conditions(legal):
    """(11): the transferee exercises only when the original holder's conditions allow, not for
    the rest of the exercise period."""
    from tests.factories.lifecycle import allotted_scenario, end_office, holding, new_person

    s = allotted_scenario(
        legal=legal, transfer_prohibited_by_allotment_terms=False, transfer_requires_board_approval=False
    )
    taker = new_person(actor=legal, name="Taker (fictional)")
    request = services.transfer_request(
        holding=holding(s.series, s.director),
        transferee=taker,
        rights=4,
        requested_on=date(2020, 3, 2),
        actor=legal,
    )
    services.transfer_register(request=request, registered_on=date(2020, 3, 2), actor=legal)
    lot = Lot.objects.get(holding__holder=taker)
    assert (lot.origin, lot.allottee, lot.rights, lot.transfer_request, lot.source.allottee) == (
        Lot.Origin.TRANSFERRED,
        s.director,
        4,
        request,
        s.director,
    )
    taker_holding = holding(s.series, taker)
    with pytest.raises(ValidationError) as refused:  # the director is still in office
        services.exercise_request(holding=taker_holding, rights=4, requested_on=date(2020, 3, 3), actor=legal)
    assert any("original holder still holds office" in m for m in refused.value.messages)
    end_office(s.director, on=date(2020, 6, 30), actor=legal)
    window = lot_window(lot)
    assert (window.kind, window.first, window.last) == ("departure", date(2020, 7, 1), date(2020, 7, 10))
    services.exercise_request(holding=taker_holding, rights=4, requested_on=date(2020, 7, 2), actor=legal)


def test_the_register_page_shows_the_heirs_two_lots(heir_case, client, legal):
    from django.urls import reverse

    series, _keiko, _ichiro, _case = heir_case
    client.force_login(legal)
    page = client.get(reverse("papers:register"), {"as_of": "2020-09-01"}).content.decode()
    assert "15 allotted" in page and "25 succeeded" in page
