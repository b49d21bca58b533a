"""The series maximum holds under concurrent allotments: only PostgreSQL can show a missing lock."""

import pytest

from grants.models import Allotment, Holding, LedgerEvent, Series
from grants.services import allotment_create
from tests.factories import legal_user, make_holder, make_series
from tests.infra.concurrency import run_concurrently


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_twenty_concurrent_allotments_never_exceed_the_maximum():
    legal = legal_user()
    series = make_series(actor=legal, max_rights=100)
    filler = make_holder(actor=legal)
    allotment_create(series=series, holder=filler, rights=90, category="director", actor=legal)
    holders = [make_holder(actor=legal) for _ in range(20)]

    def allot_two(holder_pk):
        from holders.models import Holder

        return allotment_create(
            series=Series.objects.get(pk=series.pk),
            holder=Holder.objects.get(pk=holder_pk),
            rights=2,
            category="director",
            actor=legal,
        ).pk

    results = run_concurrently(allot_two, [(h.pk,) for h in holders])

    ok = [r for r in results if r[0] == "ok"]
    refused = [r for r in results if r[0] == "err"]
    series.refresh_from_db()
    assert len(ok) == 5, results
    assert all(name == "ValidationError" for _, name in refused), results
    assert series.allotted_rights == 100
    assert sum(Allotment.objects.filter(series=series).values_list("rights", flat=True)) == 100
    assert sum(Holding.objects.filter(series=series).values_list("rights", flat=True)) == 100
    assert LedgerEvent.objects.filter(series=series, event_type="allotted").count() == 6
