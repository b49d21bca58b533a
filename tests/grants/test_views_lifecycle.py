from datetime import date, timedelta

import pytest
from django.urls import reverse

from equityplan import clock
from grants import services
from grants.models import ExerciseRequest, InheritanceCase, LedgerEvent, TransferRequest
from holders.models import HolderEvent
from tests.factories import make_series
from tests.factories.lifecycle import allotted_scenario, end_office, holding, new_person

pytestmark = pytest.mark.django_db


@pytest.fixture
def scenario(legal):
    return allotted_scenario(legal=legal)


@pytest.fixture
def transferable(legal):
    """A series whose allotment terms allow transfers with the board's approval; the seed's forbid them."""
    return allotted_scenario(legal=legal, transfer_prohibited_by_allotment_terms=False)


@pytest.fixture
def transfer(transferable, legal):
    return services.transfer_request(
        holding=holding(transferable.series, transferable.director),
        transferee=transferable.other,
        rights=3,
        requested_on=date(2020, 3, 2),
        actor=legal,
    )


def test_departure_then_exercise_through_pages(client, scenario, legal):
    client.force_login(legal)
    url = reverse("grants:position_end", args=[scenario.officer.pk])
    position = scenario.officer.positions.get()
    response = client.post(url, {"position": position.pk, "ended_on": "2020-06-30", "reason": "resigned"})
    assert response.status_code == 302
    page = client.get(scenario.officer.get_absolute_url())
    assert "2020-07-01 – 2020-07-10" in page.content.decode()
    h = holding(scenario.series, scenario.officer)
    refused = client.post(
        reverse("grants:exercise_request", args=[h.pk]), {"rights": 5, "requested_on": "2020-07-11"}
    )
    assert refused.status_code == 200 and "outside the holder&#x27;s window" in refused.content.decode()
    assert not ExerciseRequest.objects.exists()
    response = client.post(
        reverse("grants:exercise_request", args=[h.pk]), {"rights": 5, "requested_on": "2020-07-03"}
    )
    request = ExerciseRequest.objects.get()
    assert response["Location"] == request.get_absolute_url()
    assert client.get(reverse("grants:exercise_confirm", args=[request.pk])).status_code == 405
    response = client.post(
        reverse("grants:exercise_confirm", args=[request.pk]),
        {"received_on": "2020-07-06", "status": "withdrawn"},
    )
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.status == ExerciseRequest.Status.EXERCISED
    assert LedgerEvent.objects.get(event_type="exercised").recorded_by == legal
    detail = client.get(request.get_absolute_url()).content.decode()
    assert "629,003" in detail


# Full-width digits read as the digits they show (docs/domain.md R49): "１" is 1, "１，０００" is "1,000".
@pytest.mark.parametrize("rights", ["0", "-1", "1.5", "１，０００", "1,000", "99999999999", "", "٣"])
def test_bad_rights_give_form_errors(client, scenario, legal, rights):
    end_office(scenario.officer, on=date(2020, 6, 30), actor=legal)
    client.force_login(legal)
    h = holding(scenario.series, scenario.officer)
    response = client.post(
        reverse("grants:exercise_request", args=[h.pk]), {"rights": rights, "requested_on": "2020-07-03"}
    )
    assert response.status_code == 200
    assert not ExerciseRequest.objects.exists()


def test_transfer_decision_by_secretary(client, transfer, secretary, legal):
    client.force_login(secretary)
    page = client.get(transfer.get_absolute_url()).content.decode()
    assert "2020-03-16" in page and 'data-testid="due-passed"' in page  # today is long after it
    assert 'data-testid="terms-warning"' not in page
    url = reverse("grants:transfer_approve", args=[transfer.pk])
    assert client.get(url).status_code == 405
    response = client.post(
        url,
        {
            "resolution_date": "2020-03-10",
            "resolution_reference": "Board #7",
            "notified_on": "2020-03-12",
            "notified_how": "email",
            "status": "registered",
            "decided_by": legal.pk,
        },
    )
    assert response.status_code == 302
    transfer.refresh_from_db()
    assert (transfer.status, transfer.decided_by) == (TransferRequest.Status.APPROVED, secretary)
    assert (transfer.notified_on, transfer.notified_how) == (date(2020, 3, 12), "email")
    page = client.get(transfer.get_absolute_url()).content.decode()
    assert "2020-03-12 · by e-mail" in page


def test_transfer_decision_notified_late_refused_on_page(client, transfer, secretary):
    client.force_login(secretary)
    response = client.post(
        reverse("grants:transfer_reject", args=[transfer.pk]),
        {
            "resolution_date": "2020-03-10",
            "resolution_reference": "Board #7",
            "notified_on": "2020-03-17",
            "notified_how": "letter",
        },
    )
    assert response.status_code == 200
    assert "approval is deemed given from 2020-03-17" in response.content.decode()
    transfer.refresh_from_db()
    assert transfer.status == TransferRequest.Status.REQUESTED
    assert not LedgerEvent.objects.filter(event_type=LedgerEvent.Type.TRANSFER_REJECTED).exists()


def test_transfer_decision_needs_the_notification(client, transfer, secretary):
    client.force_login(secretary)
    response = client.post(
        reverse("grants:transfer_approve", args=[transfer.pk]),
        {"resolution_date": "2020-03-10", "resolution_reference": "Board #7"},
    )
    assert response.status_code == 200
    assert set(response.context["forms"]["approve"].errors) == {"notified_on", "notified_how"}
    transfer.refresh_from_db()
    assert transfer.status == TransferRequest.Status.REQUESTED


def test_request_page_shows_whether_the_due_date_passed(client, transferable, legal):
    from equityplan.clock import today

    t = services.transfer_request(
        holding=holding(transferable.series, transferable.director),
        transferee=transferable.other,
        rights=1,
        requested_on=today(),
        actor=legal,
    )
    client.force_login(legal)
    page = client.get(t.get_absolute_url()).content.decode()
    assert 'data-testid="due-open"' in page and 'data-testid="due-passed"' not in page


def test_transfer_request_for_a_forbidden_series_refused_on_page(client, scenario, legal):
    """The seed's terms forbid transfer (11)4: the holder page offers no transfer, and a posted request
    is refused with the reason, writing nothing."""
    client.force_login(legal)
    holder_page = client.get(scenario.director.get_absolute_url()).content.decode()
    assert 'data-testid="transfer-prohibited"' in holder_page
    assert 'data-testid="request-transfer"' not in holder_page
    h = holding(scenario.series, scenario.director)
    url = reverse("grants:transfer_request", args=[h.pk])
    assert "(11)4" in client.get(url).content.decode()
    events_before = LedgerEvent.objects.count()
    response = client.post(
        url, {"transferee": scenario.other.pk, "rights": "3", "requested_on": "2020-03-02"}
    )
    assert response.status_code == 200
    errors = response.context["form"].non_field_errors()
    assert len(errors) == 1 and "(11)4" in errors[0]
    assert 'data-testid="form-errors"' in response.content.decode()
    assert not TransferRequest.objects.exists()
    assert LedgerEvent.objects.count() == events_before


def test_transfer_request_through_the_page(client, transferable, legal):
    client.force_login(legal)
    holder_page = client.get(transferable.director.get_absolute_url()).content.decode()
    assert 'data-testid="request-transfer"' in holder_page
    h = holding(transferable.series, transferable.director)
    url = reverse("grants:transfer_request", args=[h.pk])
    future = client.post(
        url, {"transferee": transferable.other.pk, "rights": "3", "requested_on": "2099-01-01"}
    )
    assert future.status_code == 200 and "after today" in future.content.decode()
    assert not TransferRequest.objects.exists()
    response = client.post(
        url, {"transferee": transferable.other.pk, "rights": "3", "requested_on": "2020-03-02"}
    )
    t = TransferRequest.objects.get()
    assert response.status_code == 302 and response["Location"] == t.get_absolute_url()
    assert LedgerEvent.objects.get(event_type=LedgerEvent.Type.TRANSFER_REQUESTED).recorded_by == legal


def test_requester_cannot_decide_and_legal_cannot_reach(client, transfer, legal, auditor):
    client.force_login(legal)
    url = reverse("grants:transfer_approve", args=[transfer.pk])
    decision = {
        "resolution_date": "2020-03-10",
        "resolution_reference": "B",
        "notified_on": "2020-03-10",
        "notified_how": "letter",
    }
    assert client.post(url, decision).status_code == 403
    client.force_login(auditor)
    assert client.post(url, decision).status_code == 403
    assert client.get(transfer.get_absolute_url()).status_code == 200
    assert (
        client.post(
            reverse("grants:transfer_register", args=[transfer.pk]), {"registered_on": "2020-03-11"}
        ).status_code
        == 403
    )
    transfer.refresh_from_db()
    assert transfer.status == TransferRequest.Status.REQUESTED


def test_same_user_decision_refused_on_page(client, transferable, legal):
    from django.contrib.auth.models import Group

    legal.groups.add(Group.objects.get(name="Board secretary"))
    t = services.transfer_request(
        holding=holding(transferable.series, transferable.director),
        transferee=transferable.other,
        rights=1,
        requested_on=date(2020, 3, 2),
        actor=legal,
    )
    client.force_login(legal)
    response = client.post(
        reverse("grants:transfer_approve", args=[t.pk]),
        {
            "resolution_date": "2020-03-10",
            "resolution_reference": "B",
            "notified_on": "2020-03-10",
            "notified_how": "letter",
        },
    )
    assert response.status_code == 403 and "other than the one" in response.content.decode()
    t.refresh_from_db()
    assert t.status == TransferRequest.Status.REQUESTED


def test_missing_ids_are_404(client, secretary, legal):
    client.force_login(secretary)
    assert client.get(reverse("grants:transfer_detail", args=[999])).status_code == 404
    assert client.post(reverse("grants:transfer_approve", args=[999]), {}).status_code == 404
    client.force_login(legal)
    assert client.get(reverse("grants:exercise_request", args=[999])).status_code == 404


def test_a_death_dated_after_today_is_refused_on_its_field(client, scenario, legal):
    client.force_login(legal)
    tomorrow = clock.today() + timedelta(days=1)
    ledger, trail = LedgerEvent.objects.count(), HolderEvent.objects.count()
    response = client.post(
        reverse("grants:death_record", args=[scenario.director.pk]), {"died_on": tomorrow.isoformat()}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["died_on"] == [
        f"{tomorrow.isoformat()} is after today ({clock.today().isoformat()}): "
        "only what has already happened can be recorded."
    ]
    scenario.director.refresh_from_db()
    assert scenario.director.died_on is None
    assert (LedgerEvent.objects.count(), HolderEvent.objects.count()) == (ledger, trail)


def test_death_heir_approval_through_pages(client, scenario, legal, secretary):
    client.force_login(legal)
    assert (
        client.post(
            reverse("grants:death_record", args=[scenario.director.pk]), {"died_on": "2020-08-20"}
        ).status_code
        == 302
    )
    response = client.post(reverse("grants:inheritance_open", args=[scenario.director.pk]))
    case = InheritanceCase.objects.get()
    assert response["Location"] == case.get_absolute_url()
    both = client.post(
        reverse("grants:heir_designate", args=[case.pk]),
        {"heir": scenario.other.pk, "new_name": "X", "designated_on": "2020-08-25"},
    )
    assert both.status_code == 200 and "one of the two" in both.content.decode()
    response = client.post(
        reverse("grants:heir_designate", args=[case.pk]),
        {
            "new_name": "Heir Person",
            "new_address": "Tokyo",
            "designated_on": "2020-08-25",
            "relationship": "child",
        },
    )
    assert response.status_code == 302
    client.force_login(secretary)
    queue = client.get(reverse("grants:decision_queue")).content.decode()
    assert "Heir Person to succeed" in queue
    response = client.post(
        reverse("grants:inheritance_approve", args=[case.pk]),
        {"succeeded_on": "2020-08-30", "resolution_date": "2020-08-30", "resolution_reference": "Sec 1"},
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == InheritanceCase.Status.APPROVED
    heir_page = client.get(case.heir.get_absolute_url()).content.decode()
    # Six months end on Sunday 28 February 2021; the silent terms move it to Monday (Art 142).
    assert "2020-08-31 – 2021-03-01" in heir_page


def test_decision_queue_oldest_first_and_query_count(
    client, transferable, legal, secretary, django_assert_max_num_queries
):
    scenario = transferable
    for i in range(3):
        person = new_person(actor=legal, name=f"T{i}")
        services.transfer_request(
            holding=holding(scenario.series, [scenario.director, scenario.officer, scenario.other][i]),
            transferee=person,
            rights=1,
            requested_on=date(2020, 3, 2 + i),
            actor=legal,
        )
    services.corporate_action_record(
        company=scenario.series.company,
        kind="split",
        ratio_numerator=2,
        ratio_denominator=1,
        record_date=date(2021, 1, 1),
        actor=legal,
    )
    client.force_login(secretary)
    # Fixed whatever the rows: the queue also reads draft series, valuations awaiting approval (the
    # valuations hook), the series' own deadlines and the year-end deadlines (the accounting hook);
    # + per request: session renewal, second-factor check, company access.
    with django_assert_max_num_queries(25):
        response = client.get(reverse("grants:decision_queue"))
    rows = response.context["decisions"]
    assert [r.kind for r in rows] == ["transfer", "transfer", "transfer", "corporate_action"]
    assert rows[0].deadline == date(2020, 3, 16)


def test_decision_queue_includes_draft_series_with_who_created_them(client, legal, secretary):
    draft = make_series(actor=legal, resolve=False)
    client.force_login(secretary)
    rows = client.get(reverse("grants:decision_queue")).context["decisions"]
    assert [(r.kind, r.subject, r.requested_by, r.deadline) for r in rows] == [
        ("series", draft, legal, draft.allotment_date)
    ]


def test_holder_and_series_pages_query_counts(client, scenario, legal, django_assert_max_num_queries):
    end_office(scenario.officer, on=date(2020, 6, 30), actor=legal)
    client.force_login(legal)
    with django_assert_max_num_queries(30):
        assert client.get(scenario.officer.get_absolute_url()).status_code == 200
    with django_assert_max_num_queries(40):
        page = client.get(scenario.series.get_absolute_url())
    assert page.status_code == 200 and "Register balance" in page.content.decode()


def test_corporate_action_pages(client, scenario, legal, secretary):
    client.force_login(legal)
    response = client.post(
        reverse("grants:corporate_action_create", args=[scenario.series.pk]),
        {"kind": "split", "ratio_numerator": "2", "ratio_denominator": "1", "record_date": ""},
    )
    assert response.status_code == 200 and "required" in response.content.decode()
    response = client.post(
        reverse("grants:corporate_action_create", args=[scenario.series.pk]),
        {"kind": "split", "ratio_numerator": "2", "ratio_denominator": "1", "record_date": "2022-09-30"},
    )
    assert response.status_code == 302
    client.force_login(secretary)
    action_url = response["Location"]
    pk = int(action_url.rstrip("/").split("/")[-1])
    response = client.post(
        reverse("grants:corporate_action_approve", args=[pk]),
        {"resolution_date": "2022-08-01", "resolution_reference": "Board 8/1"},
    )
    assert response.status_code == 302
    assert scenario.series.shares_per_right_on(date(2022, 10, 1)) == 400


def test_a_conditional_split_shows_when_it_became_known(client, scenario, legal, secretary):
    client.force_login(legal)
    response = client.post(
        reverse("grants:corporate_action_create", args=[scenario.series.pk]),
        {
            "kind": "conditional_split",
            "ratio_numerator": "3",
            "ratio_denominator": "2",
            "record_date": "2021-03-31",
            "meeting_closed_on": "2021-06-25",
        },
    )
    assert response.status_code == 302
    client.force_login(secretary)
    pk = int(response["Location"].rstrip("/").split("/")[-1])
    response = client.post(
        reverse("grants:corporate_action_approve", args=[pk]),
        {"resolution_date": "2021-06-25", "resolution_reference": "AGM 2021"},
    )
    assert response.status_code == 302
    page = client.get(reverse("grants:corporate_action_detail", args=[pk])).content.decode()
    assert 'data-testid="applies-from">2021-04-01' in page and 'data-testid="known-from">2021-06-26' in page
    assert "known from 2021-06-26" in client.get(scenario.series.get_absolute_url()).content.decode()


def test_an_exercise_dated_before_the_allotment_is_refused_on_its_field(client, scenario, legal):
    """docs/domain.md R51: the form knows the series and refuses a day before the rights existed."""
    end_office(scenario.officer, on=date(2020, 6, 30), actor=legal)
    client.force_login(legal)
    h = holding(scenario.series, scenario.officer)
    before = scenario.series.allotment_date - timedelta(days=1)
    response = client.post(
        reverse("grants:exercise_request", args=[h.pk]), {"rights": "1", "requested_on": before.isoformat()}
    )
    assert response.status_code == 200
    assert "cannot be requested before the allotment date" in response.content.decode()
    assert not ExerciseRequest.objects.exists()
