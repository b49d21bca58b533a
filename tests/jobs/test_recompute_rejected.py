"""The allotment-date recomputation after the board rejected its valuation: it neither overwrites
nor puts back the rejected figure; legal staff's new final valuation is then its result."""

from datetime import date

import pytest

from grants.models import LedgerEvent
from jobs import services
from jobs.models import OutboxJob
from valuations import services as valuation_services
from valuations.models import Valuation

from .conftest import import_allotment_close, series_awaiting_close

pytestmark = pytest.mark.django_db

ALLOTTED_ON = date(2013, 7, 11)


def _run(series, actor, capture):
    with capture(execute=True):
        job = services.allotment_recompute_request(series=series, actor=actor)
    job.refresh_from_db()
    assert job.status == OutboxJob.Status.SUCCEEDED, job.last_error
    return job.result


def test_a_rejected_valuation_is_not_recomputed_nor_resurrected(
    legal, secretary, django_capture_on_commit_callbacks
):
    series = series_awaiting_close(legal=legal, allotment_date=ALLOTTED_ON)
    import_allotment_close(series, actor=legal, price=2100)
    first = _run(series, legal, django_capture_on_commit_callbacks)
    assert first["created"] is True
    computed = Valuation.objects.get(pk=first["valuation_id"])
    valuation_services.valuation_reject(
        valuation=computed, actor=secretary, reason="The close was a misprint"
    )
    events_before = LedgerEvent.objects.filter(event_type=LedgerEvent.Type.VALUATION, series=series).count()

    again = _run(series, legal, django_capture_on_commit_callbacks)

    assert again == {**first, "status": "rejected", "created": False}
    assert Valuation.objects.filter(series=series).count() == 1
    computed.refresh_from_db()
    assert computed.status == Valuation.Status.REJECTED
    assert computed.rejection_reason == "The close was a misprint"
    assert (
        LedgerEvent.objects.filter(event_type=LedgerEvent.Type.VALUATION, series=series).count()
        == events_before
    )

    # Legal staff compute anew and make it final; the job now answers with that one.
    fresh = valuation_services.valuation_run(series=series, valuation_date=ALLOTTED_ON, actor=legal)
    fresh = valuation_services.valuation_finalize(valuation=fresh, actor=legal)
    latest = _run(series, legal, django_capture_on_commit_callbacks)
    assert (latest["valuation_id"], latest["status"], latest["created"]) == (fresh.pk, "final", False)
    assert Valuation.objects.filter(series=series).count() == 2
    computed.refresh_from_db()
    assert computed.status == Valuation.Status.REJECTED
