"""The holder's extract reads that holder's lines only (Art 250): never another holder's row, and its
queries do not grow with the register."""

from datetime import date

import pytest
from django.urls import reverse

from grants.models import LedgerEvent
from holders import services as holder_services
from holders.models import Holder
from papers import extract

from .conftest import record


@pytest.fixture
def captured(monkeypatch):
    """The extract's context, without rendering the PDF (the rows are what is tested here)."""
    seen: list[dict] = []

    def fake_pdf_response(*, template_name, context, request, filename):
        from django.http import HttpResponse

        seen.append(context)
        return HttpResponse(b"%PDF-fake", content_type="application/pdf")

    monkeypatch.setattr(extract, "pdf_response", fake_pdf_response)
    return seen


def _add_holders(*, series, actor, n: int, start: int) -> list[Holder]:
    holders = []
    for i in range(n):
        holder = holder_services.holder_create(
            name=f"Extra holder {start + i}",
            address="Chiyoda-ku, Tokyo",
            address_from=date(2010, 1, 1),
            actor=actor,
        )
        record(
            event_type=LedgerEvent.Type.TRANSFER_REGISTERED,
            series=series,
            holder=holder,
            rights_delta=1,
            on=date(2014, 1, 1),
            actor=actor,
        )
        holders.append(holder)
    return holders


def test_another_holders_rows_never_appear(client, seed_series, legal, captured):
    ichiro = Holder.objects.get(name="Ichiro Sample (fictional)")
    # A namesake and a holder with the same address in the same series: still not Ichiro's entries.
    namesake = holder_services.holder_create(
        name=ichiro.name,
        address=ichiro.address_on(date(2014, 1, 1)),
        address_from=date(2010, 1, 1),
        actor=legal,
    )
    record(
        event_type=LedgerEvent.Type.TRANSFER_REGISTERED,
        series=seed_series,
        holder=namesake,
        rights_delta=3,
        on=date(2014, 1, 1),
        actor=legal,
    )
    client.force_login(legal)
    response = client.get(reverse("papers:holder_extract_pdf", args=[ichiro.pk]), {"as_of": "2014-06-01"})
    assert response.status_code == 200
    rows = captured[-1]["rows"]
    assert rows and {r.holder.pk for r in rows} == {ichiro.pk}
    assert not any(r.company_held for r in rows)
    client.get(reverse("papers:holder_extract_pdf", args=[namesake.pk]), {"as_of": "2014-06-01"})
    assert [(r.holder.pk, r.rights) for r in captured[-1]["rows"]] == [(namesake.pk, 3)]


def test_the_extract_asks_the_register_for_one_holder(client, seed_series, legal, captured, monkeypatch):
    calls: list[dict] = []
    real = extract.grant_selectors.register_as_of

    def spy(**kwargs):
        calls.append(kwargs)
        return real(**kwargs)

    monkeypatch.setattr(extract.grant_selectors, "register_as_of", spy)
    ichiro = Holder.objects.get(name="Ichiro Sample (fictional)")
    client.force_login(legal)
    client.get(reverse("papers:holder_extract_pdf", args=[ichiro.pk]), {"as_of": "2014-06-01"})
    assert len(calls) == 1 and calls[0]["holder"] == ichiro


def test_the_extracts_queries_do_not_grow_with_the_register(
    client, seed_series, legal, captured, django_assert_max_num_queries
):
    ichiro = Holder.objects.get(name="Ichiro Sample (fictional)")
    client.force_login(legal)
    url = reverse("papers:holder_extract_pdf", args=[ichiro.pk])
    client.get(url, {"as_of": "2014-06-01"})  # warm the session and the second-factor check
    with django_assert_max_num_queries(16) as small:
        client.get(url, {"as_of": "2014-06-01"})
    _add_holders(series=seed_series, actor=legal, n=30, start=0)
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(url, {"as_of": "2014-06-01"})
    assert {r.holder.pk for r in captured[-1]["rows"]} == {ichiro.pk}


def test_rights_the_company_acquired_from_the_holder_are_not_the_holders_entry(
    client, seed_series, legal, captured
):
    ichiro = Holder.objects.get(name="Ichiro Sample (fictional)")
    held = sum(
        e.rights_delta
        for e in LedgerEvent.objects.filter(holder=ichiro, series=seed_series, rights_delta__isnull=False)
    )
    record(
        event_type=LedgerEvent.Type.ACQUIRED_BY_COMPANY,
        series=seed_series,
        holder=ichiro,
        rights_delta=-held,
        on=date(2020, 8, 3),
        actor=legal,
    )
    client.force_login(legal)
    client.get(reverse("papers:holder_extract_pdf", args=[ichiro.pk]), {"as_of": "2020-09-01"})
    assert captured[-1]["rows"] == []
