"""The SVG pictures: rights over time on the series page, the deadline calendar on the dashboard."""

from datetime import date
from types import SimpleNamespace

from django.urls import reverse

from grants.models import LedgerEvent
from holders.models import Holder
from papers.charts import deadline_calendar, rights_chart, rights_over_time
from tests.factories import make_series

from .conftest import record


def test_rights_over_time_counts_each_movement_from_one_query(seed_series, legal, django_assert_num_queries):
    ichiro = Holder.objects.get(name="Ichiro Sample (fictional)")
    naoko = Holder.objects.get(name="Naoko Demo (fictional)")
    record(
        event_type=LedgerEvent.Type.EXERCISED,
        series=seed_series,
        holder=ichiro,
        rights_delta=-5,
        on=date(2014, 4, 10),
        actor=legal,
    )
    record(
        event_type=LedgerEvent.Type.LAPSED,
        series=seed_series,
        holder=naoko,
        rights_delta=-10,
        on=date(2015, 5, 20),
        actor=legal,
    )
    with django_assert_num_queries(1):
        points = rights_over_time(seed_series, until=date(2020, 1, 1))
    assert [(p.on, p.held, p.exercised, p.lapsed, p.company) for p in points] == [
        (date(2013, 7, 11), 135, 0, 0, 0),
        (date(2014, 4, 10), 130, 5, 0, 0),
        (date(2015, 5, 20), 120, 5, 10, 0),
        (date(2020, 1, 1), 120, 5, 10, 0),
    ]
    svg = str(rights_chart(points))
    assert svg.startswith("<svg") and svg.count("<polyline") == 4
    assert "Held by holders: 120, Exercised: 5, Lapsed: 10, Held by the company: 0" in svg
    assert "<script" not in svg and "http://" not in svg.replace("http://www.w3.org/2000/svg", "")


def test_the_series_page_shows_the_chart(client, seed_series, legal, django_assert_max_num_queries):
    client.force_login(legal)
    with django_assert_max_num_queries(60):
        response = client.get(seed_series.get_absolute_url())
    content = response.content.decode()
    assert 'data-testid="rights-over-time"' in content and 'data-testid="rights-chart"' in content


def test_a_series_with_no_rights_has_no_chart(client, seed_series, legal):
    empty = make_series(actor=legal, company=seed_series.company, number=9)
    client.force_login(legal)
    content = client.get(empty.get_absolute_url()).content.decode()
    assert "No rights have been allotted yet." in content and 'data-testid="rights-chart"' not in content


def test_the_calendar_spans_the_months_and_escapes_descriptions():
    deadlines = [
        SimpleNamespace(due_on=date(2030, 7, 5), description="<b>Notice</b> due"),
        SimpleNamespace(due_on=date(2030, 7, 5), description="Second"),
        SimpleNamespace(due_on=date(2030, 8, 1), description="Allotment"),
    ]
    svg = str(deadline_calendar(deadlines, today=date(2030, 7, 20), days=30))
    assert svg.count('data-testid="deadline-calendar"') == 2
    assert 'data-month="2030-07"' in svg and 'data-month="2030-08"' in svg
    assert 'data-due="2030-07-05"' in svg and 'data-due="2030-08-01"' in svg
    assert "&lt;b&gt;Notice&lt;/b&gt; due; Second" in svg and "<b>" not in svg


def test_the_dashboard_shows_the_calendar(client, legal, monkeypatch):
    make_series(actor=legal, resolve=False, allotment_date=date(2030, 7, 20), payment_date=date(2030, 7, 20))
    monkeypatch.setattr("papers.views.today", lambda: date(2030, 7, 1))
    client.force_login(legal)
    content = client.get(reverse("papers:dashboard")).content.decode()
    assert 'data-month="2030-07"' in content and 'data-due="2030-07-20"' in content
