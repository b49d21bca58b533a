"""The SVG pictures: rights over time on the series page, the deadline calendar on the dashboard."""

from datetime import date, timedelta
from types import SimpleNamespace

from django.db import transaction
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

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


def per_event(series, until: date) -> list[tuple]:
    """The chart's figures read event by event, as it read them before it summed by day."""
    T = LedgerEvent.Type
    points: list[tuple] = []
    held = exercised = lapsed = company = 0
    for e in LedgerEvent.objects.filter(series=series, effective_date__lte=until).order_by(
        "effective_date", "pk"
    ):
        if e.event_type == T.CANCELLED:
            company -= int(e.payload.get("rights") or 0)
        elif e.holder_id is not None and e.rights_delta:
            held += e.rights_delta
            exercised -= e.rights_delta if e.event_type == T.EXERCISED else 0
            lapsed -= e.rights_delta if e.event_type == T.LAPSED else 0
            company -= e.rights_delta if e.event_type == T.ACQUIRED_BY_COMPANY else 0
        else:
            continue
        point = (e.effective_date, held, exercised, lapsed, company)
        points = [*points[:-1], point] if points and points[-1][0] == e.effective_date else [*points, point]
    if points and points[-1][0] < until:
        points.append((until, *points[-1][1:]))
    return points


MOVES = st.lists(
    st.tuples(
        st.sampled_from(
            ["allotted", "exercised", "lapsed", "acquired_by_company", "cancelled", "transfer_registered"]
        ),
        st.integers(0, 1),  # which holder
        st.integers(1, 30),  # rights
        st.integers(0, 6),  # days after the allotment: several on one day
    ),
    max_size=12,
)


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(moves=MOVES)
def test_the_days_sums_are_the_figures_event_by_event(seed_series, legal, moves):
    people = list(Holder.objects.order_by("pk")[:2])
    start = date(2013, 7, 11)
    try:
        with transaction.atomic():
            for kind, who, rights, day in moves:
                sign = -1 if kind in ("exercised", "lapsed", "acquired_by_company") else 1
                record(
                    event_type=kind,
                    series=seed_series,
                    holder=None if kind == "cancelled" else people[who],
                    rights_delta=0 if kind == "cancelled" else sign * rights,
                    payload={"rights": rights} if kind == "cancelled" else {},
                    on=start + timedelta(days=day),
                    actor=legal,
                )
            for until in (start + timedelta(days=3), date(2020, 1, 1)):
                points = rights_over_time(seed_series, until=until)
                assert [(p.on, p.held, p.exercised, p.lapsed, p.company) for p in points] == per_event(
                    seed_series, until
                )
            raise Rollback
    except Rollback:
        pass


class Rollback(Exception):
    pass
