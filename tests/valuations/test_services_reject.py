"""valuation_reject: the board secretary turns down a final valuation, with a reason; the date is free again."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from grants.models import LedgerEvent
from grants.selectors import pending_decisions
from tests.factories import allot, make_holder
from tests.valuations.conftest import VALUATION_DATE
from valuations import services
from valuations.models import Valuation

pytestmark = pytest.mark.django_db


def _final(market, legal):
    return services.valuation_run(
        series=market["series"], valuation_date=VALUATION_DATE, actor=legal, final=True
    )


def _unchanged(valuation, status=Valuation.Status.FINAL):
    valuation.refresh_from_db()
    assert valuation.status == status
    assert valuation.rejected_by is None and valuation.rejection_reason == ""
    assert not LedgerEvent.objects.filter(payload__action="rejected").exists()


@pytest.mark.parametrize("reason", ["", "   "])
def test_a_rejection_without_a_reason_is_refused(market, legal, secretary, reason):
    valuation = _final(market, legal)
    with pytest.raises(ValidationError) as refused:
        services.valuation_reject(valuation=valuation, actor=secretary, reason=reason)
    assert "reason" in refused.value.error_dict
    _unchanged(valuation)


def test_who_computed_or_made_it_final_cannot_reject_it(market, legal, secretary):
    valuation = services.valuation_run(series=market["series"], valuation_date=VALUATION_DATE, actor=legal)
    valuation = services.valuation_finalize(valuation=valuation, actor=secretary)
    with pytest.raises(ValidationError, match="other than the one who recorded"):
        services.valuation_reject(valuation=valuation, actor=secretary, reason="Wrong close")
    _unchanged(valuation)


def test_only_a_board_secretary_rejects(market, legal, secretary):
    valuation = services.valuation_run(
        series=market["series"], valuation_date=VALUATION_DATE, actor=secretary, final=True
    )
    with pytest.raises(PermissionDenied):
        services.valuation_reject(valuation=valuation, actor=legal, reason="Wrong close")
    _unchanged(valuation)


@pytest.mark.parametrize("status", ["provisional", "approved", "rejected"])
def test_only_a_final_valuation_can_be_rejected(market, legal, secretary, status):
    valuation = _final(market, legal) if status != "provisional" else None
    if status == "provisional":
        valuation = services.valuation_run(
            series=market["series"], valuation_date=VALUATION_DATE, actor=legal
        )
    elif status == "approved":
        allot(series=valuation.series, holder=make_holder(actor=legal), rights=5, actor=legal)
        services.valuation_approve(valuation=valuation, actor=secretary, resolution_reference="Board")
    else:
        services.valuation_reject(valuation=valuation, actor=secretary, reason="First word")
    events_before = LedgerEvent.objects.count()
    with pytest.raises(ValidationError, match="cannot become"):
        services.valuation_reject(valuation=valuation, actor=secretary, reason="Second word")
    valuation.refresh_from_db()
    assert valuation.status == status
    assert LedgerEvent.objects.count() == events_before


def test_rejection_records_the_reason_leaves_the_queue_and_frees_the_date(market, legal, secretary):
    series = market["series"]
    allotment = allot(series=series, holder=make_holder(actor=legal), rights=10, actor=legal)
    valuation = _final(market, legal)
    assert [d.subject for d in pending_decisions()] == [valuation]

    rejected = services.valuation_reject(
        valuation=valuation, actor=secretary, reason="  The close was a misprint "
    )

    rejected.refresh_from_db()
    assert rejected.status == Valuation.Status.REJECTED
    assert (rejected.rejected_by, rejected.rejection_reason) == (secretary, "The close was a misprint")
    assert rejected.rejected_at is not None and rejected.approved_by is None
    event = LedgerEvent.objects.get(event_type=LedgerEvent.Type.VALUATION, payload__action="rejected")
    assert (event.recorded_by, event.approved_by, event.effective_date) == (
        secretary,
        secretary,
        VALUATION_DATE,
    )
    assert event.payload["reason"] == "The close was a misprint"
    assert event.payload["valuation_id"] == rejected.pk and event.payload["status"] == "rejected"
    assert pending_decisions() == []
    allotment.refresh_from_db()
    assert allotment.amount_paid_per_right_yen is None  # nothing fixed by a rejected figure

    # Legal staff compute a new provisional one and make it final: the date is free again.
    fresh = services.valuation_run(series=series, valuation_date=VALUATION_DATE, actor=legal)
    fresh = services.valuation_finalize(valuation=fresh, actor=legal)
    assert fresh.status == Valuation.Status.FINAL and fresh.pk != rejected.pk
    assert [d.subject for d in pending_decisions()] == [fresh]
    services.valuation_approve(valuation=fresh, actor=secretary, resolution_reference="Board")
    allotment.refresh_from_db()
    assert allotment.amount_paid_per_right_yen == fresh.amount_per_right_yen
    rejected.refresh_from_db()
    assert rejected.status == Valuation.Status.REJECTED


def test_the_database_refuses_a_rejection_without_reason_or_rejector(market, legal, secretary):
    valuation = _final(market, legal)
    with pytest.raises(IntegrityError), transaction.atomic():
        Valuation.objects.filter(pk=valuation.pk).update(status="rejected", rejected_by=secretary)
    with pytest.raises(IntegrityError), transaction.atomic():
        Valuation.objects.filter(pk=valuation.pk).update(status="rejected", rejection_reason="Why")
