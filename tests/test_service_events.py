"""Every public service writes exactly the events its change means, recorded by its actor.

One entry per public function of grants.services, holders.services and valuations.services (their
``__all__``): a realistic
set-up built with the factories, one call, and the exact list of ledger and holder events the call
writes, in order. A service added to either ``__all__`` fails this test until it has an entry here.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from types import ModuleType

import pytest

from grants import services
from grants.models import AllotmentCategory, CorporateAction, ExerciseRequest, LedgerEvent, TransferRequest
from holders import services as holder_services
from holders.models import HolderEvent, Position
from tests.factories import CompanyFactory, allot, issuer, make_holder, make_series
from tests.factories.lifecycle import Scenario, allotted_scenario, end_office, holding, new_person
from tests.valuations.conftest import (
    JGB_ROW_0710,
    VALUATION_DATE,
    build_market,
    jgb_csv,
    price_csv,
    small_price_rows,
)
from valuations import services as valuation_services

pytestmark = pytest.mark.django_db

L = LedgerEvent.Type
H = HolderEvent.Type

LOST_OFFICE = date(2020, 6, 30)  # the officer's departure window: 1-10 July 2020, (11)2


@dataclass(frozen=True)
class Case:
    """How to call one service and what it must write.

    ``prepare(legal, secretary)`` builds the set-up (its events are not counted) and returns the call.
    ``actor`` names the user the call passes ("legal" or "secretary": decisions need a second user).
    ``nothing_because`` is required when the call writes no event, and says why.
    """

    prepare: Callable[..., Callable[[], object]]
    ledger: tuple[str, ...] = ()
    holder: tuple[str, ...] = ()
    actor: str = "legal"
    nothing_because: str = ""


# --- set-ups -------------------------------------------------------------------------------------


def _scenario(legal, **terms) -> Scenario:
    return allotted_scenario(legal=legal, **terms)


def _transferee(legal):
    return new_person(actor=legal, name="Transferee (fictional)")


def _transferable(legal) -> Scenario:
    """A series whose allotment terms allow transfers with the board's approval; the seed's forbid them."""
    return _scenario(legal, transfer_prohibited_by_allotment_terms=False)


def _transfer(s: Scenario, legal, transferee=None) -> TransferRequest:
    return services.transfer_request(
        holding=holding(s.series, s.director),
        transferee=transferee or _transferee(legal),
        rights=4,
        requested_on=date(2020, 3, 2),
        actor=legal,
    )


def _approved_transfer(s: Scenario, legal, secretary) -> TransferRequest:
    return services.transfer_approve(
        request=_transfer(s, legal),
        resolution_date=date(2020, 3, 10),
        resolution_reference="Board 2020-03-10",
        notified_on=date(2020, 3, 10),
        notified_how="letter",
        actor=secretary,
    )


def _out_of_office(legal) -> Scenario:
    s = _scenario(legal)
    end_office(s.officer, on=LOST_OFFICE, actor=legal)
    return s


def _exercise(s: Scenario, legal) -> ExerciseRequest:
    return services.exercise_request(
        holding=holding(s.series, s.officer), rights=5, requested_on=date(2020, 7, 3), actor=legal
    )


def _split(s: Scenario, legal) -> CorporateAction:
    return services.corporate_action_record(
        company=s.series.company,
        kind=CorporateAction.Kind.SPLIT,
        ratio_numerator=2,
        ratio_denominator=1,
        record_date=date(2022, 9, 30),
        actor=legal,
    )


def _acquisition(s: Scenario, secretary):
    return services.company_acquisition_resolve(
        series=s.series,
        trigger="share_exchange",
        proposal_approved_on=date(2025, 6, 20),
        acquisition_date=date(2025, 8, 1),
        resolution_date=date(2025, 7, 1),
        resolution_reference="Board 2025-07",
        actor=secretary,
    )


def _designated_case(s: Scenario, legal):
    services.death_record(holder=s.director, died_on=date(2020, 8, 20), actor=legal)
    case = services.inheritance_open(deceased=s.director, actor=legal)
    return services.heir_designate(
        case=case,
        heir=new_person(actor=legal, name="Heir (fictional)"),
        designated_on=date(2020, 8, 25),
        actor=legal,
    )


# --- grants.services -----------------------------------------------------------------------------


def allotment_create(legal, secretary):
    series = make_series(actor=legal)
    holder = make_holder(actor=legal)
    return lambda: services.allotment_create(
        series=series, holder=holder, rights=3, category=AllotmentCategory.DIRECTOR, actor=legal
    )


def allotments_create_many(legal, secretary):
    series = make_series(actor=legal)
    rows = [
        services.AllotmentRow(make_holder(actor=legal), rights, AllotmentCategory.DIRECTOR)
        for rights in (3, 1)
    ]
    return lambda: services.allotments_create_many(series=series, rows=rows, actor=legal)


def allotment_set_amount_paid(legal, secretary):
    s = _scenario(legal, amount=None)
    return lambda: services.allotment_set_amount_paid(
        series=s.series, amount_paid_per_right_yen=1000, actor=legal
    )


def company_acquisition_resolve(legal, secretary):
    s = _scenario(legal)
    return lambda: _acquisition(s, secretary)


def company_acquisition_execute(legal, secretary):
    acquisition = _acquisition(_scenario(legal), secretary)
    return lambda: services.company_acquisition_execute(
        acquisition=acquisition, as_of=date(2025, 8, 1), actor=legal
    )


def company_create(legal, secretary):
    return lambda: services.company_create(
        name="NewCo Holdings (fictional)",
        securities_code="9999",
        effective_date=date(2030, 4, 1),
        actor=legal,
    )


def company_update(legal, secretary):
    company = CompanyFactory(name="Old Name Inc. (fictional)")
    return lambda: services.company_update(
        company=company, name="New Name Inc. (fictional)", effective_date=date(2030, 4, 1), actor=legal
    )


def corporate_action_record(legal, secretary):
    s = _scenario(legal)
    return lambda: _split(s, legal)


def corporate_action_approve(legal, secretary):
    action = _split(_scenario(legal), legal)
    return lambda: services.corporate_action_approve(
        action=action, resolution_date=date(2022, 8, 1), resolution_reference="Board 2022-08", actor=secretary
    )


def corporate_action_reject(legal, secretary):
    action = _split(_scenario(legal), legal)
    return lambda: services.corporate_action_reject(
        action=action, resolution_date=date(2022, 8, 1), resolution_reference="Board 2022-08", actor=secretary
    )


def death_record(legal, secretary):
    s = _scenario(legal, heir_allowed=False)  # the terms allow no heir: the rights lapse at death
    return lambda: services.death_record(holder=s.director, died_on=date(2020, 8, 20), actor=legal)


def exercise_confirm_payment(legal, secretary):
    request = _exercise(_out_of_office(legal), legal)
    return lambda: services.exercise_confirm_payment(
        request=request, received_on=date(2020, 7, 10), actor=legal
    )


def exercise_refusals(legal, secretary):
    s = _scenario(legal)
    return lambda: services.exercise_refusals(
        holding=holding(s.series, s.director), rights=1, on=date(2020, 7, 3)
    )


def exercise_request(legal, secretary):
    s = _out_of_office(legal)
    return lambda: _exercise(s, legal)


def exercise_withdraw(legal, secretary):
    request = _exercise(_out_of_office(legal), legal)
    return lambda: services.exercise_withdraw(request=request, reason="No payment came.", actor=legal)


def heir_designate(legal, secretary):
    s = _scenario(legal)
    services.death_record(holder=s.director, died_on=date(2020, 8, 20), actor=legal)
    case = services.inheritance_open(deceased=s.director, actor=legal)
    heir = new_person(actor=legal, name="Heir (fictional)")
    return lambda: services.heir_designate(
        case=case, heir=heir, designated_on=date(2020, 8, 25), actor=legal, relationship="spouse"
    )


def inheritance_approve(legal, secretary):
    case = _designated_case(_scenario(legal), legal)
    return lambda: services.inheritance_approve(
        case=case,
        succeeded_on=date(2020, 8, 30),
        resolution_date=date(2020, 8, 30),
        resolution_reference="Sec 2020-8",
        actor=secretary,
    )


def inheritance_reject(legal, secretary):
    case = _designated_case(_scenario(legal), legal)
    return lambda: services.inheritance_reject(
        case=case,
        resolution_date=date(2020, 8, 30),
        resolution_reference="Sec 2020-8",
        reason="The family register shows another heir.",
        actor=secretary,
    )


def inheritance_open(legal, secretary):
    s = _scenario(legal)
    services.death_record(holder=s.director, died_on=date(2020, 8, 20), actor=legal)
    return lambda: services.inheritance_open(deceased=s.director, actor=legal)


def restructuring_apply(legal, secretary):
    s = _scenario(legal)
    successor_company = CompanyFactory(name="NewCo Holdings (fictional)")
    return lambda: services.restructuring_apply(
        series=s.series,
        successor_company=successor_company,
        kind="share_transfer",
        effective_date=date(2030, 4, 1),
        successor_number=1,
        shares_per_right=150,
        resolution_date=date(2025, 2, 1),  # resolved in the past, effective later
        resolution_reference="Share transfer plan 2030",
        actor=secretary,
    )


def rights_cancel(legal, secretary):
    s = _scenario(legal)
    services.company_acquisition_execute(
        acquisition=_acquisition(s, secretary), as_of=date(2025, 8, 1), actor=legal
    )
    return lambda: services.rights_cancel(
        series=s.series,
        rights=30,
        cancelled_on=date(2025, 9, 1),
        resolution_date=date(2025, 8, 20),
        resolution_reference="Board 2025-08",
        actor=legal,
    )


def rights_lapse(legal, secretary):
    s = _out_of_office(legal)
    return lambda: services.rights_lapse(
        lot=holding(s.series, s.officer).lots.get(),
        reason=services.LapseReason.DEPARTURE_WINDOW_ENDED,
        as_of=date(2020, 7, 11),
        actor=legal,
    )


def series_change_allotment_date(legal, secretary):
    series = make_series(actor=legal)
    return lambda: services.series_change_allotment_date(
        series=series,
        allotment_date=date(2013, 7, 10),
        payment_date=date(2013, 7, 10),
        resolution_date=date(2013, 7, 1),
        resolution_reference="Board 2013-07-01",
        actor=secretary,
    )


def series_close_allotment(legal, secretary):
    series = make_series(actor=legal)
    services.allotment_create(
        series=series,
        holder=make_holder(actor=legal),
        rights=3,
        category=AllotmentCategory.DIRECTOR,
        actor=legal,
    )
    return lambda: services.series_close_allotment(series=series, actor=legal)


def series_create(legal, secretary):
    company = CompanyFactory()
    return lambda: make_series(actor=legal, company=company, resolve=False)


def series_resolve(legal, secretary):
    series = make_series(actor=legal, resolve=False)
    return lambda: services.series_resolve(
        series=series,
        resolution_date=date(2013, 6, 26),
        resolution_reference="Board 2013-06-26",
        actor=secretary,
    )


def transfer_approve(legal, secretary):
    request = _transfer(_transferable(legal), legal)
    return lambda: services.transfer_approve(
        request=request,
        resolution_date=date(2020, 3, 10),
        resolution_reference="Board 2020-03-10",
        notified_on=date(2020, 3, 11),
        notified_how="letter",
        actor=secretary,
    )


def transfer_deem_approved(legal, secretary):
    _transfer(_transferable(legal), legal)  # decision due by 16 March 2020 (Art 266)
    return lambda: services.transfer_deem_approved(as_of=date(2020, 3, 17), actor=legal)


def transfer_register(legal, secretary):
    request = _approved_transfer(_transferable(legal), legal, secretary)
    return lambda: services.transfer_register(request=request, registered_on=date(2020, 3, 11), actor=legal)


def transfer_reject(legal, secretary):
    request = _transfer(_transferable(legal), legal)
    return lambda: services.transfer_reject(
        request=request,
        resolution_date=date(2020, 3, 10),
        resolution_reference="Board 2020-03-10",
        notified_on=date(2020, 3, 11),
        notified_how="email",
        actor=secretary,
        reason="The transferee is not a director or executive officer.",
    )


def evidence_attach(legal, secretary):
    request = _transfer(_transferable(legal), legal)
    pdf = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
    return lambda: services.evidence_attach(
        subject=request, kind="board_minutes", data=pdf, filename="minutes.pdf", actor=secretary
    )


HOLDERS_CSV = (
    b"name,name_kana,address,email,position,since,rights\n"
    b"Bulk Person (fictional),,1-1 Otemachi,,director,2024-04-01,2\n"
)


def _holder_import(legal):
    series = make_series(actor=legal)
    return services.holder_import_read(
        data=HOLDERS_CSV, filename="h.csv", company=series.company, series=series, actor=legal
    )


def holder_import_read(legal, secretary):
    series = make_series(actor=legal)
    return lambda: services.holder_import_read(
        data=HOLDERS_CSV, filename="h.csv", company=series.company, series=series, actor=legal
    )


def holder_import_claim(legal, secretary):
    batch = _holder_import(legal)
    return lambda: services.holder_import_claim(batch=batch)


def holder_import_run(legal, secretary):
    batch = _holder_import(legal)
    services.holder_import_claim(batch=batch)
    return lambda: services.holder_import_run(batch=batch, actor=legal)


def transfer_request(legal, secretary):
    s = _transferable(legal)
    transferee = _transferee(legal)
    return lambda: _transfer(s, legal, transferee)


def series_set_service_period(legal, secretary):
    s = _scenario(legal)
    return lambda: services.series_set_service_period(
        series=s.series, kind="period", start=s.series.allotment_date, end=date(2014, 6, 30), actor=legal
    )


GRANTS: dict[str, Case] = {
    "allotment_create": Case(allotment_create, ledger=(L.ALLOTTED,)),
    "allotments_create_many": Case(allotments_create_many, ledger=(L.ALLOTTED, L.ALLOTTED)),
    "holder_import_read": Case(
        holder_import_read, nothing_because="a preview: the rows are shown, nothing is recorded"
    ),
    "holder_import_claim": Case(
        holder_import_claim, nothing_because="marks the preview as queued; the run writes the events"
    ),
    "holder_import_run": Case(
        holder_import_run, ledger=(L.ALLOTTED,), holder=(H.CREATED, H.POSITION_STARTED)
    ),  # per row the events of the forms: holder created, office taken, rights allotted
    "evidence_attach": Case(evidence_attach, ledger=(L.EVIDENCE_ATTACHED,), actor="secretary"),
    "allotment_set_amount_paid": Case(allotment_set_amount_paid, ledger=(L.AMOUNT_DETERMINED,)),
    "company_acquisition_execute": Case(
        company_acquisition_execute, ledger=(L.ACQUIRED_BY_COMPANY,) * 3
    ),  # one per holder with rights (three in the scenario)
    "company_acquisition_resolve": Case(
        company_acquisition_resolve, ledger=(L.ACQUISITION_RESOLVED,), actor="secretary"
    ),
    "company_create": Case(company_create, ledger=(L.COMPANY_CREATED,)),
    "company_update": Case(company_update, ledger=(L.COMPANY_CHANGED,)),
    "corporate_action_approve": Case(
        corporate_action_approve, ledger=(L.CORPORATE_ACTION_APPROVED, L.ADJUSTED), actor="secretary"
    ),  # the approval, then one adjustment per affected series (one here)
    "corporate_action_record": Case(corporate_action_record, ledger=(L.CORPORATE_ACTION_RECORDED,)),
    "corporate_action_reject": Case(
        corporate_action_reject, ledger=(L.CORPORATE_ACTION_REJECTED,), actor="secretary"
    ),
    "death_record": Case(death_record, ledger=(L.LAPSED,), holder=(H.DIED,)),
    "exercise_confirm_payment": Case(exercise_confirm_payment, ledger=(L.EXERCISED,)),
    "exercise_refusals": Case(
        exercise_refusals, nothing_because="a read: it lists the reasons an exercise would be refused"
    ),
    "exercise_request": Case(exercise_request, ledger=(L.EXERCISE_REQUESTED,)),
    "exercise_withdraw": Case(exercise_withdraw, ledger=(L.REVERSAL,)),
    "heir_designate": Case(heir_designate, ledger=(L.HEIR_DESIGNATED,), holder=(H.HEIR_DESIGNATED,)),
    "inheritance_approve": Case(
        inheritance_approve, ledger=(L.SUCCESSION, L.SUCCESSION), actor="secretary"
    ),  # the deceased's minus, the heir's plus
    "inheritance_reject": Case(inheritance_reject, ledger=(L.INHERITANCE_REJECTED,), actor="secretary"),
    "inheritance_open": Case(inheritance_open, ledger=(L.INHERITANCE_OPENED,)),
    "restructuring_apply": Case(
        restructuring_apply,
        ledger=(L.SERIES_CREATED,) + (L.RESTRUCTURED,) * 6 + (L.SERIES_CLOSED,),
        actor="secretary",
    ),  # the successor series, a minus and a plus per holder, the original series closed
    "rights_cancel": Case(rights_cancel, ledger=(L.CANCELLED,)),
    "rights_lapse": Case(rights_lapse, ledger=(L.LAPSED,)),
    "series_change_allotment_date": Case(
        series_change_allotment_date, ledger=(L.ALLOTMENT_DATE_CHANGED,), actor="secretary"
    ),
    "series_close_allotment": Case(series_close_allotment, ledger=(L.SERIES_ALLOTMENT_CLOSED,)),
    "series_create": Case(series_create, ledger=(L.SERIES_CREATED,)),
    "series_resolve": Case(series_resolve, ledger=(L.SERIES_RESOLVED,), actor="secretary"),
    "series_set_service_period": Case(series_set_service_period, ledger=(L.SERVICE_PERIOD_SET,)),
    "transfer_approve": Case(transfer_approve, ledger=(L.TRANSFER_APPROVED,), actor="secretary"),
    "transfer_deem_approved": Case(transfer_deem_approved, ledger=(L.TRANSFER_DEEMED_APPROVED,)),
    "transfer_register": Case(
        transfer_register, ledger=(L.TRANSFER_REGISTERED, L.TRANSFER_REGISTERED)
    ),  # the transferor's minus, the transferee's plus
    "transfer_reject": Case(transfer_reject, ledger=(L.TRANSFER_REJECTED,), actor="secretary"),
    "transfer_request": Case(transfer_request, ledger=(L.TRANSFER_REQUESTED,)),
}


# --- holders.services ----------------------------------------------------------------------------


def heir_record(legal, secretary):
    deceased = make_holder(actor=legal)
    holder_services.holder_record_death(holder=deceased, died_on=date(2020, 8, 20), actor=legal)
    heir = new_person(actor=legal, name="Heir (fictional)")
    return lambda: holder_services.heir_record(
        deceased=deceased, heir=heir, designated_on=date(2020, 8, 25), actor=legal, relationship="child"
    )


def holder_change_address(legal, secretary):
    holder = make_holder(actor=legal)
    return lambda: holder_services.holder_change_address(
        holder=holder, address="2-2 New-cho, Minato-ku, Tokyo", valid_from=date(2015, 1, 1), actor=legal
    )


def holder_create(legal, secretary):
    return lambda: holder_services.holder_create(
        name="New Holder (fictional)", address="1-1 Test-cho", address_from=date(2013, 4, 1), actor=legal
    )


def holders_create_many(legal, secretary):
    people = [
        holder_services.NewHolder(
            name=f"New {i} (fictional)",
            address="1-1 Test-cho",
            address_from=date(2013, 4, 1),
            title=Position.Title.DIRECTOR,
            started_on=date(2013, 4, 1),
        )
        for i in range(2)
    ]
    return lambda: holder_services.holders_create_many(people=people, company=issuer(), actor=legal)


def holder_login_create(legal, secretary):
    holder = make_holder(actor=legal)
    return lambda: holder_services.holder_login_create(
        holder=holder, username="own_view", password="a long first password 42", actor=legal
    )


def holder_record_death(legal, secretary):
    holder = make_holder(actor=legal)
    return lambda: holder_services.holder_record_death(holder=holder, died_on=date(2020, 8, 20), actor=legal)


def holder_update_details(legal, secretary):
    holder = make_holder(actor=legal)
    return lambda: holder_services.holder_update_details(
        holder=holder, effective_date=date(2021, 4, 1), actor=legal, email="new@example.invalid"
    )


def position_end(legal, secretary):
    position = make_holder(actor=legal).positions.get()
    return lambda: holder_services.position_end(
        position=position, ended_on=date(2014, 6, 30), reason=Position.EndReason.TERM_EXPIRED, actor=legal
    )


def position_start(legal, secretary):
    holder = make_holder(actor=legal)
    return lambda: holder_services.position_start(
        holder=holder,
        company=issuer(),
        title=Position.Title.EXECUTIVE_OFFICER,
        started_on=date(2014, 6, 27),
        actor=legal,
    )


def holder_my_number_set(legal, secretary):
    holder = make_holder(actor=legal)
    return lambda: holder_services.holder_my_number_set(holder=holder, number="123456789018", actor=legal)


def holder_my_number_read(legal, secretary):
    holder = make_holder(actor=legal)
    holder_services.holder_my_number_set(holder=holder, number="123456789018", actor=legal)
    return lambda: holder_services.holder_my_number_read(holder=holder, purpose="annual report", actor=legal)


HOLDERS: dict[str, Case] = {
    "heir_record": Case(heir_record, holder=(H.HEIR_DESIGNATED,)),
    "holder_change_address": Case(holder_change_address, holder=(H.ADDRESS_CHANGED,)),
    "holder_create": Case(holder_create, holder=(H.CREATED,)),
    "holders_create_many": Case(
        holders_create_many, holder=(H.CREATED, H.POSITION_STARTED, H.CREATED, H.POSITION_STARTED)
    ),
    "holder_login_create": Case(holder_login_create, holder=(H.LOGIN_GRANTED,)),
    "holder_my_number_read": Case(holder_my_number_read, holder=(H.MY_NUMBER_READ,)),
    "holder_my_number_set": Case(holder_my_number_set, holder=(H.MY_NUMBER_SET,)),
    "holder_record_death": Case(holder_record_death, holder=(H.DIED,)),  # positions end: on the same event
    "holder_update_details": Case(holder_update_details, holder=(H.DETAILS_CHANGED,)),
    "position_end": Case(position_end, holder=(H.POSITION_ENDED,)),
    "position_start": Case(position_start, holder=(H.POSITION_STARTED,)),
}


# --- valuations ---------------------------------------------------------------------------------


def _valuation(legal, secretary, *, final=True):
    market = build_market(legal=legal, secretary=secretary)
    return valuation_services.valuation_run(
        series=market["series"], valuation_date=VALUATION_DATE, actor=legal, final=final
    )


def valuation_run(legal, secretary):
    series = build_market(legal=legal, secretary=secretary)["series"]
    return lambda: valuation_services.valuation_run(series=series, valuation_date=VALUATION_DATE, actor=legal)


def valuation_finalize(legal, secretary):
    valuation = _valuation(legal, secretary, final=False)
    return lambda: valuation_services.valuation_finalize(valuation=valuation, actor=legal)


def valuation_approve(legal, secretary):
    valuation = _valuation(legal, secretary)
    allot(series=valuation.series, holder=make_holder(actor=legal), rights=5, actor=legal)
    return lambda: valuation_services.valuation_approve(
        valuation=valuation, actor=secretary, resolution_date=VALUATION_DATE, resolution_reference="Board"
    )


def valuation_reject(legal, secretary):
    valuation = _valuation(legal, secretary)
    return lambda: valuation_services.valuation_reject(
        valuation=valuation, actor=secretary, reason="The close was a misprint"
    )


def import_share_prices(legal, secretary):
    company = CompanyFactory()
    data = price_csv(small_price_rows(end=date(2012, 8, 31)))
    return lambda: valuation_services.import_share_prices(
        company=company, data=data, filename="p.csv", actor=legal
    )


def import_dividends(legal, secretary):
    company = CompanyFactory()
    data = b"fiscal_year_end,dividend_per_share_yen\n2013-03-31,12.5\n"
    return lambda: valuation_services.import_dividends(
        company=company, data=data, filename="d.csv", actor=legal
    )


def import_jgb_yields(legal, secretary):
    data = jgb_csv([JGB_ROW_0710])
    return lambda: valuation_services.import_jgb_yields(data=data, filename="jgbcm.csv", actor=legal)


SATURDAY = date(2021, 5, 8)


def calendar_override_set(legal, secretary):
    return lambda: valuation_services.calendar_override_set(
        day=SATURDAY, is_open=True, note="special session", actor=legal
    )


def calendar_override_delete(legal, secretary):
    valuation_services.calendar_override_set(day=SATURDAY, is_open=True, note="special session", actor=legal)
    return lambda: valuation_services.calendar_override_delete(day=SATURDAY, actor=legal)


VALUATIONS: dict[str, Case] = {
    "calendar_override_delete": Case(calendar_override_delete, ledger=(L.CALENDAR_CHANGED,)),
    "calendar_override_set": Case(calendar_override_set, ledger=(L.CALENDAR_CHANGED,)),
    "import_dividends": Case(import_dividends, ledger=(L.MARKET_DATA_IMPORTED,)),
    "import_jgb_yields": Case(import_jgb_yields, ledger=(L.MARKET_DATA_IMPORTED,)),
    "import_share_prices": Case(import_share_prices, ledger=(L.MARKET_DATA_IMPORTED,)),
    "valuation_approve": Case(
        valuation_approve, ledger=(L.VALUATION, L.AMOUNT_DETERMINED), actor="secretary"
    ),
    "valuation_finalize": Case(valuation_finalize, ledger=(L.VALUATION,)),
    "valuation_reject": Case(valuation_reject, ledger=(L.VALUATION,), actor="secretary"),
    "valuation_run": Case(valuation_run, ledger=(L.VALUATION,)),
}


# --- the tests -----------------------------------------------------------------------------------


def public_services(module: ModuleType) -> set[str]:
    return {name for name in module.__all__ if inspect.isfunction(getattr(module, name))}


def test_every_public_service_has_an_entry():
    assert set(GRANTS) == public_services(services)
    assert set(HOLDERS) == public_services(holder_services)
    assert set(VALUATIONS) == public_services(valuation_services)


def test_an_entry_that_writes_nothing_says_why():
    for name, case in {**GRANTS, **HOLDERS, **VALUATIONS}.items():
        assert bool(case.ledger or case.holder) != bool(case.nothing_because), name


CASES = (
    [("grants", name, case) for name, case in sorted(GRANTS.items())]
    + [("holders", name, case) for name, case in sorted(HOLDERS.items())]
    + [("valuations", name, case) for name, case in sorted(VALUATIONS.items())]
)


@pytest.mark.parametrize("app, name, case", CASES, ids=[f"{app}.{name}" for app, name, _ in CASES])
def test_service_writes_exactly_its_events_with_the_actor(app, name, case, legal, secretary):
    actor = {"legal": legal, "secretary": secretary}[case.actor]
    call = case.prepare(legal, secretary)
    last_ledger = LedgerEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    last_holder = HolderEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    call()
    ledger = list(LedgerEvent.objects.filter(pk__gt=last_ledger).order_by("pk"))
    people = list(HolderEvent.objects.filter(pk__gt=last_holder).order_by("pk"))
    assert [e.event_type for e in ledger] == list(case.ledger)
    assert [e.event_type for e in people] == list(case.holder)
    assert {e.recorded_by for e in ledger + people} <= {actor}
