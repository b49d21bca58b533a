"""Corporate actions (3), company acquisition (8), cancellation (Art 276), restructuring (9), lapse, amount (12)."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from grants import services
from grants.models import Allotment, CompanyHeldRights, CorporateAction, LedgerEvent, Series
from grants.selectors import register_shares_per_right, series_rights_balance, upcoming_deadlines
from tests.factories import CompanyFactory, make_series
from tests.factories.lifecycle import allotted_scenario, end_office, holding

pytestmark = pytest.mark.django_db


@pytest.fixture
def scenario(legal):
    return allotted_scenario(legal=legal, transfer_prohibited_by_allotment_terms=False)  # (11)4 off


def _apply(company, legal, secretary, **kw):
    action = services.corporate_action_record(company=company, actor=legal, **kw)
    return action, services.corporate_action_approve(
        action=action, resolution_date=date(2012, 5, 1), resolution_reference="Board 2012-05", actor=secretary
    )


def test_split_applies_from_day_after_sunday_record_date(scenario, legal, secretary):
    # A real 1:200 split had Sunday 2012-09-30 as record date, effective 2012-10-01; here 1:2 after allotment.
    action, created = _apply(
        scenario.series.company,
        legal,
        secretary,
        kind="split",
        ratio_numerator=2,
        ratio_denominator=1,
        record_date=date(2022, 9, 30),
    )
    assert action.applies_from == date(2022, 10, 1)
    series = scenario.series
    assert series.shares_per_right_on(date(2022, 9, 30)) == 200
    assert series.shares_per_right_on(date(2022, 10, 1)) == 400
    event = LedgerEvent.objects.get(event_type=LedgerEvent.Type.ADJUSTED)
    assert event.payload["shares_per_right"] == {"before": 200, "after": 400}
    assert event.approved_by == secretary and event.effective_date == date(2022, 10, 1)
    assert event.payload["record_date"] == "2022-09-30" and event.payload["ratio"] == "2/1"
    approved = LedgerEvent.objects.get(event_type=LedgerEvent.Type.CORPORATE_ACTION_APPROVED)
    assert (approved.series, approved.approved_by, approved.recorded_by) == (None, secretary, secretary)
    assert (approved.effective_date, approved.resolution_reference) == (date(2022, 10, 1), "Board 2012-05")
    assert approved.payload == {
        "corporate_action_id": action.pk,
        "company_id": series.company_id,
        "kind": "split",
        "ratio": [2, 1],
        "record_date": "2022-09-30",
        "effective_date": None,
        "meeting_closed_on": None,
        "applies_from": "2022-10-01",
        "known_from": None,
        "series_ids": [series.pk],
    }
    # The request's page lists these: the record, the board's approval, then its effect on each series.
    assert list(
        LedgerEvent.objects.filter(payload__corporate_action_id=action.pk)
        .order_by("pk")
        .values_list("event_type", flat=True)
    ) == [
        LedgerEvent.Type.CORPORATE_ACTION_RECORDED,
        LedgerEvent.Type.CORPORATE_ACTION_APPROVED,
        LedgerEvent.Type.ADJUSTED,
    ]


def test_an_approved_split_affecting_no_series_is_still_on_the_ledger(legal, secretary):
    # A split before the company had any series: no shares per right change, but the board decided.
    company = CompanyFactory()
    action, created = _apply(
        company,
        legal,
        secretary,
        kind="split",
        ratio_numerator=200,
        ratio_denominator=1,
        record_date=date(2012, 9, 30),
    )
    assert created == []
    action.refresh_from_db()
    assert action.status == CorporateAction.Status.APPLIED
    assert not LedgerEvent.objects.filter(event_type=LedgerEvent.Type.ADJUSTED).exists()
    approved = LedgerEvent.objects.get(event_type=LedgerEvent.Type.CORPORATE_ACTION_APPROVED)
    assert approved.effective_date == date(2012, 10, 1) and approved.approved_by == secretary
    assert approved.resolution_date == date(2012, 5, 1)
    assert approved.payload["series_ids"] == [] and approved.payload["company_id"] == company.pk
    assert approved.payload["ratio"] == [200, 1]


def test_consolidation_rounds_down_and_applies_on_effective_date(scenario, legal, secretary):
    _apply(
        scenario.series.company,
        legal,
        secretary,
        kind="consolidation",
        ratio_numerator=1,
        ratio_denominator=3,
        effective_date=date(2021, 10, 1),
    )
    assert scenario.series.shares_per_right_on(date(2021, 9, 30)) == 200
    assert scenario.series.shares_per_right_on(date(2021, 10, 1)) == 66  # floor(200/3)


def test_conditional_split_applies_retroactively_and_is_known_after_the_meeting(scenario, legal, secretary):
    """Notice (3): from the day after the meeting closes, retroactively from the day after the record date."""
    action, (adjustment,) = _apply(
        scenario.series.company,
        legal,
        secretary,
        kind="conditional_split",
        ratio_numerator=3,
        ratio_denominator=2,
        record_date=date(2021, 3, 31),
        meeting_closed_on=date(2021, 6, 25),
    )
    assert (action.applies_from, action.known_from) == (date(2021, 4, 1), date(2021, 6, 26))
    assert (adjustment.applies_from, adjustment.known_from) == (date(2021, 4, 1), date(2021, 6, 26))
    series = Series.objects.get(pk=scenario.series.pk)
    # Asked on 1 May 2021, before the meeting: the old number; asked after it: the new one.
    assert series.shares_per_right_on(date(2021, 5, 1), known_on=date(2021, 5, 1)) == 200
    assert series.shares_per_right_on(date(2021, 5, 1), known_on=date(2021, 6, 25)) == 200
    assert series.shares_per_right_on(date(2021, 5, 1), known_on=date(2021, 7, 1)) == 300
    # As known today (everything recorded), from the day after the record date.
    assert series.shares_per_right_on(date(2021, 4, 1)) == 300
    assert series.shares_per_right_on(date(2021, 3, 31)) == 200
    assert register_shares_per_right(series, date(2021, 5, 1), known_on=date(2021, 5, 1)) == 200
    assert register_shares_per_right(series, date(2021, 5, 1), known_on=date(2021, 7, 1)) == 300
    assert register_shares_per_right(series, date(2021, 4, 1)) == 300
    approved = LedgerEvent.objects.get(event_type=LedgerEvent.Type.CORPORATE_ACTION_APPROVED)
    assert (approved.payload["applies_from"], approved.payload["known_from"]) == ("2021-04-01", "2021-06-26")
    adjusted = LedgerEvent.objects.get(event_type=LedgerEvent.Type.ADJUSTED)
    assert adjusted.effective_date == date(2021, 4, 1) and adjusted.payload["known_from"] == "2021-06-26"
    assert adjusted.payload["shares_per_right"] == {"before": 200, "after": 300}


def test_a_conditional_split_needs_its_record_date(scenario, legal):
    with pytest.raises(ValidationError) as refused:
        services.corporate_action_record(
            company=scenario.series.company,
            actor=legal,
            kind="conditional_split",
            ratio_numerator=2,
            ratio_denominator=1,
            meeting_closed_on=date(2021, 6, 25),
        )
    assert "record_date" in refused.value.error_dict


def test_an_ordinary_split_is_known_from_the_day_it_applies(scenario, legal, secretary):
    _action, (adjustment,) = _apply(
        scenario.series.company,
        legal,
        secretary,
        kind="split",
        ratio_numerator=2,
        ratio_denominator=1,
        record_date=date(2021, 3, 31),
    )
    assert adjustment.known_from is None
    series = Series.objects.get(pk=scenario.series.pk)
    assert series.shares_per_right_on(date(2021, 5, 1), known_on=date(2021, 5, 1)) == 400


def test_reasonable_adjustment_and_every_series_of_the_company(scenario, legal, secretary):
    second = make_series(
        actor=legal,
        company=scenario.series.company,
        number=4,
        allotment_date=date(2014, 7, 11),
        payment_date=date(2014, 7, 11),
        exercise_period_start=date(2014, 7, 12),
    )
    other_company = make_series(actor=legal, company=CompanyFactory())
    _, created = _apply(
        scenario.series.company,
        legal,
        secretary,
        kind="reasonable_adjustment",
        ratio_numerator=5,
        ratio_denominator=4,
        effective_date=date(2023, 4, 1),
        description="Merger with X",
    )
    assert {a.series_id for a in created} == {scenario.series.pk, second.pk}
    assert other_company.shares_per_right_on(date(2023, 4, 1)) == 200
    assert second.shares_per_right_on(date(2023, 4, 1)) == 250


def test_corporate_action_checks(scenario, legal, secretary):
    with pytest.raises(ValidationError):
        services.corporate_action_record(
            company=scenario.series.company,
            kind="split",
            ratio_numerator=1,
            ratio_denominator=2,
            record_date=date(2022, 1, 1),
            actor=legal,
        )
    with pytest.raises(ValidationError):
        services.corporate_action_record(
            company=scenario.series.company,
            kind="consolidation",
            ratio_numerator=1,
            ratio_denominator=2,
            actor=legal,
        )
    action = services.corporate_action_record(
        company=scenario.series.company,
        kind="split",
        ratio_numerator=2,
        ratio_denominator=1,
        record_date=date(2022, 1, 1),
        actor=legal,
    )
    with pytest.raises(ValidationError):
        services.corporate_action_approve(
            action=action, resolution_date=date(2021, 12, 1), resolution_reference="B", actor=legal
        )
    services.corporate_action_reject(
        action=action, resolution_date=date(2021, 12, 1), resolution_reference="B", actor=secretary
    )
    action.refresh_from_db()
    assert action.status == CorporateAction.Status.REJECTED
    assert not LedgerEvent.objects.filter(event_type=LedgerEvent.Type.ADJUSTED).exists()
    recorded = LedgerEvent.objects.get(event_type=LedgerEvent.Type.CORPORATE_ACTION_RECORDED)
    assert recorded.recorded_by == legal and recorded.effective_date == date(2022, 1, 2)
    assert recorded.payload["ratio"] == [2, 1] and recorded.payload["corporate_action_id"] == action.pk
    rejected = LedgerEvent.objects.get(event_type=LedgerEvent.Type.CORPORATE_ACTION_REJECTED)
    assert (rejected.approved_by, rejected.resolution_reference) == (secretary, "B")


def test_acquisition_then_cancellation_keeps_the_balance(scenario, legal, secretary):
    acquisition = services.company_acquisition_resolve(
        series=scenario.series,
        trigger="share_exchange",
        proposal_approved_on=date(2025, 6, 20),
        acquisition_date=date(2025, 8, 1),
        resolution_date=date(2025, 7, 1),
        resolution_reference="Board 2025-07",
        actor=secretary,
    )
    resolved = LedgerEvent.objects.get(event_type=LedgerEvent.Type.ACQUISITION_RESOLVED)
    assert (resolved.series, resolved.approved_by, resolved.effective_date) == (
        scenario.series,
        secretary,
        date(2025, 7, 1),
    )
    assert resolved.payload["acquisition_date"] == "2025-08-01"
    with pytest.raises(ValidationError):
        services.company_acquisition_execute(acquisition=acquisition, as_of=date(2025, 7, 31), actor=legal)
    services.company_acquisition_execute(acquisition=acquisition, as_of=date(2025, 8, 1), actor=legal)
    held = CompanyHeldRights.objects.get(series=scenario.series)
    assert held.rights == 35
    events = LedgerEvent.objects.filter(event_type=LedgerEvent.Type.ACQUIRED_BY_COMPANY)
    assert sorted(e.rights_delta for e in events) == [-20, -10, -5]
    assert all(e.approved_by == secretary and e.payload["consideration_yen"] == 0 for e in events)
    services.rights_cancel(
        series=scenario.series,
        rights=30,
        cancelled_on=date(2025, 9, 1),
        resolution_date=date(2025, 8, 20),
        resolution_reference="Board 2025-08",
        actor=legal,
    )
    held.refresh_from_db()
    assert (held.rights, held.cancelled_rights) == (5, 30)
    cancel = LedgerEvent.objects.get(event_type=LedgerEvent.Type.CANCELLED)
    assert cancel.payload["rights"] == 30 and cancel.payload["company_held_after"] == 5
    with pytest.raises(ValidationError):
        services.rights_cancel(
            series=scenario.series,
            rights=6,
            cancelled_on=date(2025, 9, 1),
            resolution_date=date(2025, 8, 20),
            resolution_reference="B",
            actor=legal,
        )
    balance = series_rights_balance(series=scenario.series)
    assert (balance["held_by_company"], balance["cancelled"], balance["held_by_holders"]) == (5, 30, 0)
    assert balance["balanced"]


def test_restructuring_successor_series(scenario, legal, secretary):
    successor_company = CompanyFactory(name="NewCo Holdings")
    record = services.restructuring_apply(
        series=scenario.series,
        successor_company=successor_company,
        kind="share_transfer",
        effective_date=date(2012, 1, 1) if False else date(2030, 4, 1),
        successor_number=1,
        shares_per_right=150,
        resolution_date=date(2025, 2, 1),  # resolved in the past, effective later
        resolution_reference="Share transfer plan 2030",
        actor=secretary,
    )
    successor = record.successor_series
    assert successor.company == successor_company and successor.status == Series.Status.ALLOTTED
    assert (successor.max_rights, successor.allotted_rights) == (35, 35)
    assert successor.exercise_period_start == date(2030, 4, 1)  # the later of the two
    assert successor.exercise_period_end == scenario.series.exercise_period_end
    assert successor.shares_per_right_on(date(2030, 4, 1)) == 150
    assert successor.exercise_price_per_share_yen == Decimal("1")
    assert (
        holding(successor, scenario.director).rights == 10
        and holding(scenario.series, scenario.director).rights == 0
    )
    assert set(
        Allotment.objects.filter(series=successor).values_list("amount_paid_per_right_yen", flat=True)
    ) == {251_401}
    scenario.series.refresh_from_db()
    assert scenario.series.status == Series.Status.CLOSED
    assert LedgerEvent.objects.filter(event_type=LedgerEvent.Type.RESTRUCTURED).count() == 6
    # The successor is built like any series: its creation, then the rights delivered into it.
    assert (
        list(LedgerEvent.objects.filter(series=successor).order_by("pk").values_list("event_type", flat=True))
        == [LedgerEvent.Type.SERIES_CREATED] + [LedgerEvent.Type.RESTRUCTURED] * 3
    )
    created = LedgerEvent.objects.get(series=successor, event_type=LedgerEvent.Type.SERIES_CREATED)
    assert (created.recorded_by, created.effective_date) == (secretary, date(2025, 2, 1))
    assert created.payload["shares_per_right"] == 150 and created.payload["max_rights"] == 35
    assert successor.share_adjustments.get().resolution_reference == "Share transfer plan 2030"
    closed = LedgerEvent.objects.get(event_type=LedgerEvent.Type.SERIES_CLOSED)
    assert (closed.series, closed.recorded_by, closed.effective_date) == (
        scenario.series,
        secretary,
        date(2030, 4, 1),
    )
    assert closed.payload == {
        "status": {"before": "allotted", "after": "closed"},
        "restructuring_id": record.pk,
        "successor_series_id": successor.pk,
    }
    assert holding(successor, scenario.director).acquired_on == date(2030, 4, 1)
    assert sorted(Allotment.objects.filter(series=successor).values_list("rights", flat=True)) == [5, 10, 20]
    assert series_rights_balance(series=scenario.series)["balanced"]
    assert series_rights_balance(series=successor)["balanced"]
    with pytest.raises(ValidationError):
        services.restructuring_apply(
            series=scenario.series,
            successor_company=successor_company,
            kind="merger",
            effective_date=date(2030, 4, 1),
            successor_number=2,
            shares_per_right=150,
            resolution_date=date(2025, 2, 1),
            resolution_reference="x",
            actor=secretary,
        )


def test_restructuring_period_starts_at_original_start_when_later(legal, secretary):
    s = allotted_scenario(legal=legal, exercise_period_start=date(2016, 7, 12))
    record = services.restructuring_apply(
        series=s.series,
        successor_company=CompanyFactory(),
        kind="merger",
        effective_date=date(2015, 1, 1),
        successor_number=1,
        shares_per_right=200,
        resolution_date=date(2014, 12, 1),
        resolution_reference="M",
        actor=secretary,
    )
    assert record.successor_series.exercise_period_start == date(2016, 7, 12)


def test_lapse_after_departure_window_idempotent(scenario, legal):
    end_office(scenario.officer, on=date(2020, 6, 30), actor=legal)
    lot = holding(scenario.series, scenario.officer).lots.get()
    with pytest.raises(ValidationError):
        services.rights_lapse(
            lot=lot,
            reason="departure_window_ended",
            as_of=date(2020, 7, 10),
            actor=legal,
        )
    event = services.rights_lapse(
        lot=lot, reason="departure_window_ended", as_of=date(2020, 7, 11), actor=legal
    )
    assert (event.rights_delta, event.effective_date) == (-5, date(2020, 7, 11))
    assert event.payload["lot_id"] == lot.pk
    assert (
        services.rights_lapse(
            lot=lot,
            reason="departure_window_ended",
            as_of=date(2020, 7, 12),
            actor=legal,
        )
        is None
    )
    assert LedgerEvent.objects.filter(event_type=LedgerEvent.Type.LAPSED).count() == 1


def test_lapse_at_end_of_exercise_period(scenario, legal):
    h = holding(scenario.series, scenario.other)
    with pytest.raises(ValidationError):
        services.rights_lapse(
            lot=h.lots.get(rights__gt=0), reason="exercise_period_ended", as_of=date(2043, 7, 11), actor=legal
        )
    event = services.rights_lapse(
        lot=h.lots.get(rights__gt=0), reason="exercise_period_ended", as_of=date(2043, 7, 12), actor=legal
    )
    assert event.effective_date == date(2043, 7, 12)


def test_upcoming_deadlines_lists_windows_and_transfer_decisions(scenario, legal):
    end_office(scenario.officer, on=date(2020, 6, 30), actor=legal)
    services.transfer_request(
        holding=holding(scenario.series, scenario.director),
        transferee=scenario.other,
        rights=1,
        requested_on=date(2020, 7, 1),
        actor=legal,
    )
    rows = upcoming_deadlines(as_of=date(2020, 7, 2), days=30)
    assert [(r.kind, r.due_on) for r in rows] == [
        ("departure_window", date(2020, 7, 10)),
        ("transfer_decision", date(2020, 7, 15)),
    ]
    assert rows[0].holder == scenario.officer and rows[0].url


def test_amount_set_once(legal):
    s = allotted_scenario(legal=legal, amount=None)
    assert (
        services.allotment_set_amount_paid(series=s.series, amount_paid_per_right_yen=1000, actor=legal) == 3
    )
    event = LedgerEvent.objects.get(event_type=LedgerEvent.Type.AMOUNT_DETERMINED)
    assert event.payload == {
        "amount_paid_per_right_yen": 1000,
        "allotments": 3,
        "rights": 35,
        "total_yen": 35_000,
    }
    with pytest.raises(ValidationError) as exc:
        services.allotment_set_amount_paid(series=s.series, amount_paid_per_right_yen=1000, actor=legal)
    assert exc.value.code == "already_set"
    assert set(Allotment.objects.values_list("amount_paid_per_right_yen", flat=True)) == {1000}


def test_executing_an_acquisition_when_no_holder_has_rights_left_is_on_the_ledger(legal, secretary):
    # An exercise period that ended in the past, so the board's resolution afterwards is not in the future.
    scenario = allotted_scenario(legal=legal, exercise_period_end=date(2023, 7, 11))
    for h in scenario.series.holdings.all():
        services.rights_lapse(
            lot=h.lots.get(rights__gt=0), reason="exercise_period_ended", as_of=date(2023, 7, 12), actor=legal
        )
    acquisition = services.company_acquisition_resolve(
        series=scenario.series,
        trigger="merger",
        proposal_approved_on=date(2023, 7, 20),
        acquisition_date=date(2023, 8, 1),
        resolution_date=date(2023, 7, 25),
        resolution_reference="Board 2023-07",
        actor=secretary,
    )
    services.company_acquisition_execute(acquisition=acquisition, as_of=date(2023, 8, 1), actor=legal)
    acquisition.refresh_from_db()
    assert (acquisition.status, acquisition.rights_acquired) == ("executed", 0)
    event = LedgerEvent.objects.get(event_type=LedgerEvent.Type.ACQUIRED_BY_COMPANY)
    assert (event.series, event.holder, event.rights_delta) == (scenario.series, None, 0)
    assert (event.recorded_by, event.approved_by, event.effective_date) == (
        legal,
        secretary,
        date(2023, 8, 1),
    )
    assert event.payload == {
        "company_acquisition_id": acquisition.pk,
        "rights": 0,
        "trigger": "merger",
        "consideration_yen": 0,
    }
    assert series_rights_balance(series=scenario.series)["balanced"]


def test_the_register_shows_what_was_known_then_and_what_is_known_now(scenario, legal, secretary, client):
    """A conditional split recorded 2021-03-31, meeting closed 2021-06-25: the register as of 1 May 2021
    reads 200 shares per right as known on 1 May, and 300 as known today (notice (3))."""
    from django.urls import reverse

    from grants.selectors import register_as_of

    _apply(
        scenario.series.company,
        legal,
        secretary,
        kind="conditional_split",
        ratio_numerator=3,
        ratio_denominator=2,
        record_date=date(2021, 3, 31),
        meeting_closed_on=date(2021, 6, 25),
    )
    on = date(2021, 5, 1)
    assert {r.shares_per_right for r in register_as_of(as_of=on, known_on=date(2021, 5, 1))} == {200}
    assert {r.shares_per_right for r in register_as_of(as_of=on)} == {300}
    client.force_login(legal)
    then = client.get(reverse("papers:register"), {"as_of": "2021-05-01", "known_on": "2021-05-01"})
    now = client.get(reverse("papers:register"), {"as_of": "2021-05-01"})
    assert {r.shares_per_right for r in then.context["rows"]} == {200}
    assert {r.shares_per_right for r in now.context["rows"]} == {300}
    assert 'data-testid="known-on"' in then.content.decode()
