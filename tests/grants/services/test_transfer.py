"""Transfers: the terms that forbid them (11)4, the board's decision notified to the requester
(Art 265(2)), the deemed approval of Art 266, dates that have happened (docs/domain.md §2.6, R21, R22)."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from grants import services
from grants.models import LedgerEvent, TransferRequest
from grants.selectors import series_rights_balance
from tests.factories import secretary_user
from tests.factories.lifecycle import allotted_scenario, holding, new_person

pytestmark = pytest.mark.django_db

T = LedgerEvent.Type
S = TransferRequest.Status

REQUESTED_ON = date(2020, 3, 2)  # decision due by 16 March, deemed approved from 17 March (Art 266)
DUE = date(2020, 3, 16)
TODAY = date(2020, 4, 1)


def codes(exc: ValidationError) -> set[str | None]:
    """Every code a refusal carries, on a field or not."""
    if hasattr(exc, "error_dict"):
        return {e.code for errors in exc.error_dict.values() for e in errors}
    return {e.code for e in exc.error_list}


def transfer_events():
    return list(LedgerEvent.objects.filter(event_type__startswith="transfer_").order_by("pk"))


@pytest.fixture
def scenario(legal):
    """A series whose allotment terms allow transfers, with the board's approval, notice (7)."""
    return allotted_scenario(legal=legal, transfer_prohibited_by_allotment_terms=False)


@pytest.fixture
def prohibited(legal):
    """The seed's terms: the allotment agreement forbids transfer, notice (11)4."""
    return allotted_scenario(legal=legal)


@pytest.fixture
def transferee(legal):
    return new_person(actor=legal, name="Transferee (fictional)")


@pytest.fixture
def request_(scenario, legal, transferee):
    return services.transfer_request(
        holding=holding(scenario.series, scenario.director),
        transferee=transferee,
        rights=4,
        requested_on=REQUESTED_ON,
        actor=legal,
        as_of=TODAY,
    )


def decide(service, request, actor, *, resolved=date(2020, 3, 10), notified=date(2020, 3, 11), **extra):
    return service(
        request=request,
        resolution_date=resolved,
        resolution_reference="Board 2020-03-10 #4",
        notified_on=notified,
        notified_how=extra.pop("notified_how", "letter"),
        actor=actor,
        as_of=extra.pop("as_of", TODAY),
        **extra,
    )


# --- the request -----------------------------------------------------------------------------------


def test_request_records_event_and_art_266_deadline(request_, scenario, legal, transferee):
    assert request_.status == S.REQUESTED
    # Two weeks counted from the next day: requested 2 March -> decision due by 16 March (Art 266).
    assert request_.decision_due_on == DUE and request_.deemed_approved_on == date(2020, 3, 17)
    [event] = transfer_events()
    assert (event.event_type, event.recorded_by, event.holder, event.rights_delta) == (
        T.TRANSFER_REQUESTED,
        legal,
        scenario.director,
        0,
    )
    assert event.effective_date == REQUESTED_ON
    assert event.payload == {
        "transfer_request_id": request_.pk,
        "rights": 4,
        "transferor_id": scenario.director.pk,
        "transferee_id": transferee.pk,
        "holding_id": request_.holding_id,
        "transferee": "Transferee (fictional)",
        "requested_on": "2020-03-02",
        "decision_due_on": "2020-03-16",
        "requires_board_approval": True,
    }


@pytest.mark.parametrize(
    "terms, requested_on, field, code, says",
    [
        ({}, REQUESTED_ON, None, "prohibited_by_terms", "(11)4"),  # the seed's terms
        ({"transfer_prohibited_by_allotment_terms": False}, date(2020, 4, 2), "requested_on", "future", ""),
        (
            {"transfer_prohibited_by_allotment_terms": False},
            date(2013, 7, 10),  # the day before the allotment date
            "requested_on",
            "before_allotment",
            "2013-07-11",
        ),
        # No approval needed does not lift the prohibition.
        (
            {"transfer_requires_board_approval": False},
            REQUESTED_ON,
            None,
            "prohibited_by_terms",
            "(11)4",
        ),
    ],
    ids=["prohibited-by-terms", "after-today", "before-allotment", "prohibited-without-approval"],
)
def test_request_refused_writing_nothing(legal, transferee, terms, requested_on, field, code, says):
    s = allotted_scenario(legal=legal, **terms)
    events_before = LedgerEvent.objects.count()
    with pytest.raises(ValidationError) as exc:
        services.transfer_request(
            holding=holding(s.series, s.director),
            transferee=transferee,
            rights=4,
            requested_on=requested_on,
            actor=legal,
            as_of=TODAY,
        )
    assert codes(exc.value) == {code}
    if field is not None:
        assert list(exc.value.error_dict) == [field]
    assert says in " ".join(exc.value.messages)
    assert not TransferRequest.objects.exists()
    assert LedgerEvent.objects.count() == events_before
    assert holding(s.series, s.director).rights == 10


def test_request_dated_today_by_the_clock_is_accepted_and_tomorrow_refused(scenario, legal, transferee):
    from equityplan.clock import today

    h = holding(scenario.series, scenario.director)
    with pytest.raises(ValidationError) as exc:
        services.transfer_request(
            holding=h,
            transferee=transferee,
            rights=1,
            requested_on=date.fromordinal(today().toordinal() + 1),
            actor=legal,
        )
    assert codes(exc.value) == {"future"}
    r = services.transfer_request(
        holding=h, transferee=transferee, rights=1, requested_on=today(), actor=legal
    )
    assert r.requested_on == today()


# --- the board's decision, notified to the requester -------------------------------------------------


def test_approve_then_register_moves_rights(request_, scenario, secretary, legal, transferee):
    decide(services.transfer_approve, request_, secretary, notified_how="email")
    request_.refresh_from_db()
    assert (request_.status, request_.notified_on, request_.notified_how) == (
        S.APPROVED,
        date(2020, 3, 11),
        "email",
    )
    approved = LedgerEvent.objects.get(event_type=T.TRANSFER_APPROVED)
    assert (approved.recorded_by, approved.approved_by, approved.holder) == (
        secretary,
        secretary,
        scenario.director,
    )
    assert approved.resolution_reference == "Board 2020-03-10 #4"
    assert approved.resolution_date == approved.effective_date == date(2020, 3, 10)
    assert approved.payload == {
        "transfer_request_id": request_.pk,
        "rights": 4,
        "transferor_id": scenario.director.pk,
        "transferee_id": transferee.pk,
        "status": {"before": "requested", "after": "approved"},
        "decision_due_on": "2020-03-16",
        "notified_on": "2020-03-11",
        "notified_how": "email",
        "note": "",
    }
    services.transfer_register(request=request_, registered_on=date(2020, 3, 12), actor=legal, as_of=TODAY)
    request_.refresh_from_db()
    assert request_.status == S.REGISTERED
    assert holding(scenario.series, scenario.director).rights == 6
    assert holding(scenario.series, transferee).rights == 4
    assert holding(scenario.series, transferee).acquired_on == date(2020, 3, 12)
    registered = LedgerEvent.objects.filter(event_type=T.TRANSFER_REGISTERED).order_by("pk")
    assert [(e.holder, e.rights_delta, e.effective_date) for e in registered] == [
        (scenario.director, -4, date(2020, 3, 12)),
        (transferee, 4, date(2020, 3, 12)),
    ]
    assert all(e.approved_by == secretary and e.recorded_by == legal for e in registered)
    assert [e.payload for e in registered] == [
        {
            "transfer_request_id": request_.pk,
            "rights": 4,
            "transferor_id": scenario.director.pk,
            "transferee_id": transferee.pk,
            "basis": "board_approval",
            "deemed_approved": False,
            "notified_on": "2020-03-11",
            "side": side,
        }
        for side in ("out", "in")
    ]
    assert series_rights_balance(series=scenario.series)["balanced"]


def test_reject_keeps_rights(request_, scenario, secretary, legal):
    decide(services.transfer_reject, request_, secretary, reason="The holder stays in office.")
    request_.refresh_from_db()
    assert request_.status == S.REJECTED
    rejected = LedgerEvent.objects.get(event_type=T.TRANSFER_REJECTED)
    assert (rejected.recorded_by, rejected.approved_by) == (secretary, None)
    assert rejected.payload["note"] == "The holder stays in office."
    assert rejected.payload["status"] == {"before": "requested", "after": "rejected"}
    assert (rejected.payload["notified_on"], rejected.payload["notified_how"]) == ("2020-03-11", "letter")
    with pytest.raises(ValidationError):
        services.transfer_register(
            request=request_, registered_on=date(2020, 3, 12), actor=legal, as_of=TODAY
        )
    assert holding(scenario.series, scenario.director).rights == 10


@pytest.mark.parametrize("service", [services.transfer_approve, services.transfer_reject])
@pytest.mark.parametrize(
    "resolved, notified, as_of",
    [
        (date(2020, 3, 16), date(2020, 3, 16), date(2020, 3, 16)),  # resolved and notified on the last day
        (date(2020, 3, 10), date(2020, 3, 16), date(2020, 3, 20)),  # notified in time, entered later
        (date(2020, 3, 2), date(2020, 3, 2), date(2020, 3, 2)),  # the day the request was received
    ],
    ids=["last-day", "entered-after-the-due-date", "same-day"],
)
def test_decision_notified_by_the_due_date_is_accepted(
    request_, secretary, service, resolved, notified, as_of
):
    decide(service, request_, secretary, resolved=resolved, notified=notified, as_of=as_of)
    request_.refresh_from_db()
    assert request_.status in (S.APPROVED, S.REJECTED) and request_.notified_on == notified


@pytest.mark.parametrize("service", [services.transfer_approve, services.transfer_reject])
@pytest.mark.parametrize("swept", [False, True], ids=["before-the-sweep", "after-the-sweep"])
@pytest.mark.parametrize(
    "resolved, notified",
    [
        (date(2020, 3, 10), date(2020, 3, 17)),  # resolved in time, notified the day after the due date
        (date(2020, 3, 18), date(2020, 3, 18)),  # resolved and notified after the due date
    ],
    ids=["notified-late", "resolved-late"],
)
def test_decision_notified_after_the_due_date_is_refused(
    request_, legal, secretary, service, swept, resolved, notified
):
    """Art 266: approval is deemed given from 17 March; a later decision has no effect, whether or not
    the sweep has recorded the deemed approval yet."""
    if swept:
        services.transfer_deem_approved(as_of=date(2020, 3, 17), actor=legal)
    status = S.DEEMED_APPROVED if swept else S.REQUESTED
    events_before = transfer_events()
    with pytest.raises(ValidationError) as exc:
        decide(service, request_, secretary, resolved=resolved, notified=notified)
    assert codes(exc.value) == {"deemed_approved"}
    assert "2020-03-17" in exc.value.messages[0] and "Art 266" in exc.value.messages[0]
    request_.refresh_from_db()
    assert (request_.status, request_.notified_on, request_.decided_by) == (status, None, None)
    assert transfer_events() == events_before


@pytest.mark.parametrize("service", [services.transfer_approve, services.transfer_reject])
def test_decision_notified_in_time_replaces_the_sweeps_deemed_approval(request_, legal, secretary, service):
    """The sweep deems approved what was not entered by the due date; a decision notified in time but
    entered later replaces it (reading R21)."""
    services.transfer_deem_approved(as_of=date(2020, 3, 17), actor=legal)
    decide(service, request_, secretary, notified=date(2020, 3, 16), as_of=date(2020, 3, 18))
    request_.refresh_from_db()
    after = S.APPROVED if service is services.transfer_approve else S.REJECTED
    assert request_.status == after
    event = transfer_events()[-1]
    assert event.payload["status"] == {"before": "deemed_approved", "after": after}


@pytest.mark.parametrize(
    "changes, field, code",
    [
        ({"notified": date(2020, 3, 9)}, "notified_on", "before"),  # notified before the resolution
        ({"notified": date(2020, 4, 2)}, "notified_on", "future"),
        ({"resolved": date(2020, 4, 2), "notified": date(2020, 4, 2)}, "resolution_date", "future"),
        ({"resolved": date(2020, 3, 1), "notified": date(2020, 3, 1)}, "resolution_date", None),
        ({"notified_how": " "}, "notified_how", None),  # the shared required-text refusal
        ({"notified_how": "carrier pigeon"}, "notified_how", "invalid"),
    ],
    ids=[
        "notified-before-resolution",
        "notified-after-today",
        "resolved-after-today",
        "resolved-before-request",
        "no-way-of-notice",
        "unknown-way-of-notice",
    ],
)
@pytest.mark.parametrize("service", [services.transfer_approve, services.transfer_reject])
def test_decision_dates_and_notification_refused(request_, secretary, service, changes, field, code):
    with pytest.raises(ValidationError) as exc:
        decide(service, request_, secretary, **changes)
    assert field in exc.value.error_dict
    if code is not None:
        assert codes(exc.value) == {code}
    request_.refresh_from_db()
    assert request_.status == S.REQUESTED
    assert [e.event_type for e in transfer_events()] == [T.TRANSFER_REQUESTED]


def test_the_database_refuses_a_notification_before_the_resolution(request_):
    with pytest.raises(IntegrityError), transaction.atomic():
        TransferRequest.objects.filter(pk=request_.pk).update(
            resolution_date=date(2020, 3, 10), notified_on=date(2020, 3, 9)
        )


def test_decider_must_differ_from_requester(request_, legal):
    with pytest.raises(ValidationError) as exc:
        decide(services.transfer_approve, request_, legal)
    assert exc.value.code == "same_user"
    assert not LedgerEvent.objects.filter(event_type=T.TRANSFER_APPROVED).exists()


def test_reference_required_and_second_decision_refused(request_, secretary):
    with pytest.raises(ValidationError):
        services.transfer_approve(
            request=request_,
            resolution_date=date(2020, 3, 10),
            resolution_reference=" ",
            notified_on=date(2020, 3, 10),
            notified_how="letter",
            actor=secretary,
        )
    decide(services.transfer_approve, request_, secretary)
    with pytest.raises(ValidationError) as exc:
        decide(services.transfer_reject, request_, secretary_user("s2"))
    assert exc.value.code == "invalid_transition"
    assert len(transfer_events()) == 2


# --- Art 266: deemed approval --------------------------------------------------------------------------


def test_deemed_approved_after_two_weeks_idempotent(request_, scenario, legal, transferee):
    assert services.transfer_deem_approved(as_of=DUE, actor=legal) == []  # last day: not yet
    done = services.transfer_deem_approved(as_of=date(2020, 3, 17), actor=legal)
    assert [r.pk for r in done] == [request_.pk]
    request_.refresh_from_db()
    assert request_.status == S.DEEMED_APPROVED
    event = LedgerEvent.objects.get(event_type=T.TRANSFER_DEEMED_APPROVED)
    assert (event.recorded_by, event.approved_by, event.holder, event.effective_date) == (
        legal,
        None,
        scenario.director,
        date(2020, 3, 17),
    )
    assert event.payload == {
        "transfer_request_id": request_.pk,
        "rights": 4,
        "transferor_id": scenario.director.pk,
        "transferee_id": transferee.pk,
        "requested_on": "2020-03-02",
        "decision_due_on": "2020-03-16",
        "basis": "Companies Act Art 266: no decision notified within two weeks",
    }
    assert services.transfer_deem_approved(as_of=date(2020, 4, 1), actor=legal) == []
    assert LedgerEvent.objects.filter(event_type=T.TRANSFER_DEEMED_APPROVED).count() == 1
    with pytest.raises(ValidationError) as exc:  # approval is deemed given from 17 March only
        services.transfer_register(request=request_, registered_on=DUE, actor=legal, as_of=TODAY)
    assert "registered_on" in exc.value.error_dict
    services.transfer_register(request=request_, registered_on=date(2020, 3, 17), actor=legal, as_of=TODAY)
    registered = LedgerEvent.objects.filter(event_type=T.TRANSFER_REGISTERED).order_by("pk")
    assert all(e.approved_by is None and e.recorded_by == legal for e in registered)
    assert [(e.payload["basis"], e.payload["deemed_approved"]) for e in registered] == [
        ("deemed_approval", True)
    ] * 2


# --- the entry in the register -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "registered_on, code",
    [
        (date(2020, 4, 2), "future"),  # after today
        (date(2020, 3, 10), None),  # resolved that day, but notified only on the 11th
    ],
    ids=["after-today", "before-the-notification"],
)
def test_register_refused(request_, secretary, legal, registered_on, code):
    decide(services.transfer_approve, request_, secretary)
    with pytest.raises(ValidationError) as exc:
        services.transfer_register(request=request_, registered_on=registered_on, actor=legal, as_of=TODAY)
    assert "registered_on" in exc.value.error_dict
    if code is not None:
        assert codes(exc.value) == {code}
    request_.refresh_from_db()
    assert request_.status == S.APPROVED
    assert not LedgerEvent.objects.filter(event_type=T.TRANSFER_REGISTERED).exists()


# --- a request the terms forbid, recorded before they were enforced (reading R22) -----------------------


def _legacy(s, legal, transferee, status=S.REQUESTED, **decided):
    """A request as the app accepted it before notice (11)4 was enforced: written straight to the table."""
    return TransferRequest.objects.create(
        holding=holding(s.series, s.director),
        series=s.series,
        transferor=s.director,
        transferee=transferee,
        rights=4,
        requested_on=REQUESTED_ON,
        decision_due_on=DUE,
        requested_by=legal,
        status=status,
        **decided,
    )


def test_legacy_forbidden_request_is_never_deemed_approved_nor_approved(
    prohibited, legal, secretary, transferee
):
    legacy = _legacy(prohibited, legal, transferee)
    assert legacy.deemed_approved_on is None
    assert services.transfer_deem_approved(as_of=date(2020, 4, 1), actor=legal) == []
    with pytest.raises(ValidationError) as exc:
        decide(services.transfer_approve, legacy, secretary)
    assert codes(exc.value) == {"prohibited_by_terms"} and "(11)4" in exc.value.messages[0]
    legacy.refresh_from_db()
    assert legacy.status == S.REQUESTED
    assert transfer_events() == []
    # The board closes it by refusing, even after the two weeks: no approval can have been deemed.
    decide(
        services.transfer_reject, legacy, secretary, resolved=date(2020, 3, 30), notified=date(2020, 3, 30)
    )
    legacy.refresh_from_db()
    assert legacy.status == S.REJECTED
    [event] = transfer_events()
    assert (event.event_type, event.recorded_by) == (T.TRANSFER_REJECTED, secretary)


@pytest.mark.parametrize("status", [S.APPROVED, S.DEEMED_APPROVED])
def test_legacy_forbidden_approval_cannot_be_registered_only_refused(
    prohibited, legal, secretary, transferee, status
):
    decided = (
        {"resolution_date": date(2020, 3, 10), "resolution_reference": "B", "decided_by": secretary}
        if status == S.APPROVED
        else {}
    )
    legacy = _legacy(prohibited, legal, transferee, status=status, **decided)
    with pytest.raises(ValidationError) as exc:
        services.transfer_register(request=legacy, registered_on=date(2020, 3, 20), actor=legal, as_of=TODAY)
    assert codes(exc.value) == {"prohibited_by_terms"}
    assert holding(prohibited.series, prohibited.director).rights == 10
    decide(
        services.transfer_reject, legacy, secretary, resolved=date(2020, 3, 25), notified=date(2020, 3, 25)
    )
    legacy.refresh_from_db()
    assert legacy.status == S.REJECTED
    assert transfer_events()[-1].payload["status"] == {"before": status, "after": "rejected"}


# --- a series whose terms need no approval (Art 260) ---------------------------------------------------


@pytest.fixture
def free(legal):
    return allotted_scenario(
        legal=legal, transfer_prohibited_by_allotment_terms=False, transfer_requires_board_approval=False
    )


def test_no_approval_needed_request_is_registered_directly(free, legal, secretary, transferee):
    r = services.transfer_request(
        holding=holding(free.series, free.director),
        transferee=transferee,
        rights=3,
        requested_on=REQUESTED_ON,
        actor=legal,
        as_of=TODAY,
    )
    assert (r.decision_due_on, r.deemed_approved_on) == (None, None)
    requested = LedgerEvent.objects.get(event_type=T.TRANSFER_REQUESTED)
    assert requested.payload["decision_due_on"] is None
    assert requested.payload["requires_board_approval"] is False
    with pytest.raises(ValidationError) as exc:
        decide(services.transfer_approve, r, secretary)
    assert codes(exc.value) == {"no_approval_needed"}
    assert services.transfer_deem_approved(as_of=date(2020, 4, 1), actor=legal) == []
    with pytest.raises(ValidationError) as exc:
        services.transfer_register(request=r, registered_on=date(2020, 3, 1), actor=legal, as_of=TODAY)
    assert "registered_on" in exc.value.error_dict
    services.transfer_register(request=r, registered_on=REQUESTED_ON, actor=legal, as_of=TODAY)
    registered = LedgerEvent.objects.filter(event_type=T.TRANSFER_REGISTERED).order_by("pk")
    assert [(e.holder, e.rights_delta, e.approved_by, e.payload["basis"]) for e in registered] == [
        (free.director, -3, None, "no_approval_needed"),
        (transferee, 3, None, "no_approval_needed"),
    ]
    assert holding(free.series, transferee).rights == 3


# --- what the request itself may not be -----------------------------------------------------------------


def test_one_open_request_per_holding(request_, scenario, legal):
    other = new_person(actor=legal, name="Second transferee")
    with pytest.raises(ValidationError) as exc:
        services.transfer_request(
            holding=request_.holding, transferee=other, rights=1, requested_on=date(2020, 3, 3), actor=legal
        )
    assert exc.value.code == "open_request"
    # The database refuses it too, whatever the code path.
    with pytest.raises(IntegrityError), transaction.atomic():
        TransferRequest.objects.create(
            holding=request_.holding,
            series=scenario.series,
            transferor=scenario.director,
            transferee=other,
            rights=1,
            requested_on=date(2020, 3, 3),
            decision_due_on=date(2020, 3, 17),
            requested_by=legal,
        )


@pytest.mark.parametrize("rights", [0, -1, 11, 1.5, True])
def test_bad_rights_refused(scenario, legal, rights):
    transferee = new_person(actor=legal, name="T")
    with pytest.raises(ValidationError):
        services.transfer_request(
            holding=holding(scenario.series, scenario.director),
            transferee=transferee,
            rights=rights,
            requested_on=REQUESTED_ON,
            actor=legal,
        )
    assert not TransferRequest.objects.exists()


def test_cannot_transfer_to_self_or_from_deceased(scenario, legal):
    with pytest.raises(ValidationError):
        services.transfer_request(
            holding=holding(scenario.series, scenario.director),
            transferee=scenario.director,
            rights=1,
            requested_on=REQUESTED_ON,
            actor=legal,
        )
    services.death_record(holder=scenario.officer, died_on=date(2020, 1, 5), actor=legal)
    with pytest.raises(ValidationError) as exc:
        services.transfer_request(
            holding=holding(scenario.series, scenario.officer),
            transferee=scenario.other,
            rights=1,
            requested_on=REQUESTED_ON,
            actor=legal,
        )
    assert exc.value.code == "deceased"
