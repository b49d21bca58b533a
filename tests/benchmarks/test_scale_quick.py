"""The scale benchmark's world is what the services would leave: holdings and lots are the sums of
the events, both chains verify, each allotment and exercise has its event, and a seed gives one world.

A small world of the quick mode's shape (one issuer, its 40 series), not the benchmark: no timing.
"""

from collections import Counter
from datetime import date

import pytest
from django.db.models import Sum

from benchmarks.scale import run, world
from benchmarks.scale.web import percentile
from grants.models import Allotment, ExerciseRequest, Holding, LedgerEvent, Lot, Series, TransferRequest
from grants.services.lapse import lapse_effective_date
from holders.models import HolderEvent, Position
from jobs.ledger import verify_ledger
from jobs.sweep import daily_sweep

pytestmark = pytest.mark.postgres

HOLDERS = 40


def test_without_a_database_the_benchmark_says_what_it_needs(monkeypatch, capsys):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    assert run.main(["--quick"]) == 2
    assert "needs DATABASE_URL" in capsys.readouterr().out


def test_quick_mode_is_one_size_one_issuer_and_a_short_load():
    args = run.parse(["--quick"])
    assert (args.holders, args.companies, args.locust_seconds) == ([1_000], 1, 10)


def test_the_plan_is_the_same_for_the_same_seed_and_scales_events_with_holders():
    terms = world.series_terms(1)
    first = world.plan_for(200, terms, 200 * world.EVENTS_PER_HOLDER)
    again = world.plan_for(200, world.series_terms(1), 200 * world.EVENTS_PER_HOLDER)
    assert first == again
    events = world.ledger_events_planned(first[1])
    assert 0.8 * 200 * world.EVENTS_PER_HOLDER <= events <= 1.05 * 200 * world.EVENTS_PER_HOLDER


def test_percentile_of_nothing_is_not_a_number():
    assert percentile([], 95) != percentile([], 95)
    assert percentile([0.1] * 19 + [5.0], 95) == 0.1
    assert percentile([float(i) for i in range(1, 101)], 95) == 95.0


def test_the_world_is_as_the_services_leave_it(db, legal):
    """One world for every check (it takes seconds): verify, sums, events per row, the sweep."""
    built = world.build(HOLDERS, companies=1, log=lambda _: None)
    outcome = verify_ledger(record=False)
    assert outcome.ok, [str(p) for p in outcome.problems[:5]]
    assert outcome.holdings == Holding.objects.count() > 0
    for holding in Holding.objects.all()[:100]:
        events = LedgerEvent.objects.filter(series=holding.series_id, holder=holding.holder_id)
        assert holding.rights == (events.aggregate(s=Sum("rights_delta"))["s"] or 0)
        assert holding.rights == Lot.objects.filter(holding=holding).aggregate(s=Sum("rights"))["s"]

    types = Counter(LedgerEvent.objects.values_list("event_type", flat=True))
    assert types["allotted"] == Allotment.objects.count() == built["lots"] - built["transfers"]
    transfers = TransferRequest.objects.filter(status="registered")
    assert (
        types["transfer_requested"]
        == types["transfer_approved"]
        == transfers.count()
        == built["transfers"]
        > 0
    )
    assert types["transfer_registered"] == 2 * transfers.count()
    for lot in Lot.objects.filter(origin="transferred").select_related("source", "holding"):
        assert (
            lot.allottee_id == lot.source.allottee_id != lot.holding.holder_id
        )  # the conditions go with the lot
    assert types["exercised"] == types["exercise_requested"] == ExerciseRequest.objects.count() > 0
    assert types["lapsed"] > 0 and types["adjusted"] > 0 and types["series_resolved"] == 40
    trail = Counter(HolderEvent.objects.values_list("event_type", flat=True))
    assert trail["created"] == trail["position_started"] == HOLDERS
    assert trail["position_ended"] == Position.objects.filter(ended_on__isnull=False).count() > 0
    assert trail["address_changed"] > 0
    allotted = dict(Allotment.objects.values_list("series").annotate(s=Sum("rights")).order_by())
    for series in Series.objects.all():
        assert series.allotted_rights == allotted.get(series.pk, 0)
    for model in (LedgerEvent, HolderEvent):  # written in the order it happened
        moments = list(model.objects.order_by("pk").values_list("recorded_at", flat=True))
        assert moments == sorted(moments)
    for event in LedgerEvent.objects.filter(event_type="exercised"):
        assert event.recorded_at.date() == event.effective_date  # recorded when paid

    for event in LedgerEvent.objects.filter(event_type="lapsed"):  # dated as the rules date them
        lot = Lot.objects.select_related("holding__series", "holding__holder", "allottee").get(
            pk=event.payload["lot_id"]
        )
        reason = event.payload["reason"]
        assert lapse_effective_date(lot=lot, reason=reason, as_of=date.today()) == event.effective_date, (
            reason
        )

    before = LedgerEvent.objects.filter(event_type="lapsed").count()
    result = daily_sweep(as_of=date.today(), actor=legal)
    lapsed = LedgerEvent.objects.filter(event_type="lapsed").count() - before
    late = LedgerEvent.objects.filter(event_type="lapsed", effective_date__gt=world.END)
    assert lapsed == late.count()  # nothing the generator should have lapsed was left for the sweep
    assert result["ledger"]["ok"]
