"""The daily sweep and `manage.py sweep`: lapses, deemed approvals (Art 266), deadlines, idempotence."""

from datetime import date

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from grants import services as grant_services
from grants.models import Holding, LedgerEvent, TransferRequest
from jobs.actors import system_user
from jobs.sweep import daily_sweep
from tests.factories.lifecycle import allotted_scenario, end_office, new_person


@pytest.fixture
def scenario(legal):
    s = allotted_scenario(legal=legal, transfer_prohibited_by_allotment_terms=False)  # (11)4 off
    end_office(s.director, on=date(2020, 3, 1), actor=legal)  # window (11)2: 2020-03-02 .. 03-11
    transferee = new_person(actor=legal, name="Transferee (fictional)")
    holding = Holding.objects.get(series=s.series, holder=s.officer)
    s.transfer = grant_services.transfer_request(
        holding=holding, transferee=transferee, rights=2, requested_on=date(2020, 3, 2), actor=legal
    )  # due 2020-03-16, deemed approved 03-17 (Art 266)
    return s


def test_sweep_lapses_deems_approved_and_lists_deadlines(scenario):
    before = daily_sweep(as_of=date(2020, 3, 5), actor=system_user())
    assert before["lapsed"] == [] and before["deemed_approved"] == []
    kinds = [(row["kind"], row["date"]) for row in before["deadlines"]]
    assert ("departure_window", "2020-03-11") in kinds and ("transfer_decision", "2020-03-16") in kinds

    result = daily_sweep(as_of=date(2020, 3, 20), actor=system_user())
    assert [(r["holder"], r["rights"], r["reason"], r["effective_date"]) for r in result["lapsed"]] == [
        ("Director Test (fictional)", 10, "departure_window_ended", "2020-03-12")
    ]
    assert result["deemed_approved"] == [{"transfer_request_id": scenario.transfer.pk, "rights": 2}]
    lapsed = LedgerEvent.objects.get(event_type=LedgerEvent.Type.LAPSED)
    assert lapsed.holder == scenario.director and lapsed.rights_delta == -10
    assert lapsed.recorded_by.username == "system" and lapsed.payload["reason"] == "departure_window_ended"
    assert Holding.objects.get(series=scenario.series, holder=scenario.director).rights == 0
    scenario.transfer.refresh_from_db()
    assert scenario.transfer.status == TransferRequest.Status.DEEMED_APPROVED


def test_second_sweep_of_the_same_date_writes_nothing(scenario):
    daily_sweep(as_of=date(2020, 3, 20), actor=system_user())
    events = LedgerEvent.objects.count()
    rights = list(Holding.objects.order_by("pk").values_list("pk", "rights"))
    again = daily_sweep(as_of=date(2020, 3, 20), actor=system_user())
    assert again["lapsed"] == [] and again["deemed_approved"] == []
    assert LedgerEvent.objects.count() == events
    assert list(Holding.objects.order_by("pk").values_list("pk", "rights")) == rights


def test_exercise_period_end_lapses_every_holding_once(legal):
    s = allotted_scenario(legal=legal, exercise_period_end=date(2020, 6, 30))
    end_office(s.director, on=date(2020, 1, 10), actor=legal)
    result = daily_sweep(as_of=date(2020, 7, 1), actor=system_user())
    assert sorted((r["holder"], r["rights"]) for r in result["lapsed"]) == [
        ("Director Test (fictional)", 10),
        ("Officer Test (fictional)", 5),
        ("Other Test (fictional)", 20),
    ]
    assert {r["reason"] for r in result["lapsed"]} == {"exercise_period_ended"}
    assert LedgerEvent.objects.filter(event_type=LedgerEvent.Type.LAPSED).count() == 3
    assert daily_sweep(as_of=date(2020, 7, 2), actor=system_user())["lapsed"] == []


def test_sweep_command_prints_what_it_did(scenario, capsys):
    call_command("sweep", "--as-of", "2020-03-20")
    out = capsys.readouterr().out
    assert "Sweep as of 2020-03-20" in out
    assert "rights lapsed: 1 holding(s)" in out and "Director Test (fictional)" in out
    assert "transfers deemed approved (Art 266): 1" in out
    call_command("sweep", "--as-of", "2020-03-20")
    assert "rights lapsed: 0 holding(s)" in capsys.readouterr().out


@pytest.mark.parametrize("bad", ["2021-02-29", "yesterday", "20200320", "", "2020-13-01", "H25.7.11"])
def test_sweep_command_refuses_a_bad_date(db, bad):
    with pytest.raises(CommandError) as exc:
        call_command("sweep", "--as-of", bad)
    assert exc.value.returncode == 2 and "YYYY-MM-DD" in str(exc.value)
