"""The demo's year-end figures: the 3rd series' expense across March 2014 and March 2015, the note,
an exercise's tax data and the dashboard's deadlines (docs/domain.md §7)."""

from datetime import date

import pytest
from django.urls import reverse

from accounting.demo import load_demo_accounting
from accounting.hooks import year_end_deadlines
from accounting.selectors.reports import company_schedules, year_report
from accounting.selectors.tax import exercise_taxes
from grants import demo as grants_demo
from grants.models import ExerciseRequest, LedgerEvent
from grants.selectors.deadlines import upcoming_deadlines
from valuations.demo import load_demo_valuation

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo():
    users = grants_demo.ensure_demo_users()
    series = grants_demo.load_seed_series(users=users)
    load_demo_valuation(users=users, series=series)
    load_demo_accounting(users=users, series=series)
    load_demo_accounting(users=users, series=series)  # idempotent
    series.refresh_from_db()
    return users, series


def test_demo_series_expense_adds_up_to_the_grant(demo):
    users, series = demo
    assert (series.service_period_start, series.service_period_end) == (date(2013, 7, 11), date(2014, 6, 30))
    assert "assumption" in series.service_period_basis
    assert LedgerEvent.objects.filter(event_type=LedgerEvent.Type.SERVICE_PERIOD_SET).count() == 1
    assert ExerciseRequest.objects.filter(status=ExerciseRequest.Status.EXERCISED).count() == 1
    fair_value = series.allotments.first().amount_paid_per_right_yen
    (schedule,) = company_schedules(company=series.company, through=date(2015, 3, 31))
    years = {y.period.end: y.expense_yen for y in schedule.years(3)}
    # 135 allotted, 2 forfeited before vesting (the early leaver's), 133 vested or exercised
    assert years[date(2014, 3, 31)] + years[date(2015, 3, 31)] == schedule.total_yen == 133 * fair_value
    report = year_report(company=series.company, fiscal_year_end=date(2014, 3, 31))
    (row,) = report.series
    assert (row.shares.granted, row.shares.forfeited, row.shares.exercised, row.shares.outstanding_close) == (
        27_000,
        400,
        400,
        26_200,
    )
    later = year_report(company=series.company, fiscal_year_end=date(2015, 3, 31))
    assert later.lapse_gain_yen == 4 * fair_value  # the late leaver's 4 rights, after vesting


def test_demo_exercise_tax_data(demo):
    users, series = demo
    (row,) = exercise_taxes(company=series.company, start=date(2013, 1, 1), end=date(2013, 12, 31))
    assert row.exercise.exercised_on == date(2013, 7, 24) and row.exercise.shares == 400
    assert row.price.same_day
    assert row.benefit_yen == int((row.price.close_yen - 1) * 400)
    assert row.category == "retirement"


def test_dashboard_lists_the_year_end_and_the_filing(client, demo, monkeypatch):
    users, series = demo
    rows = [d for d in upcoming_deadlines(as_of=date(2014, 1, 5), days=30) if d.series is None]
    kinds = {(d.kind, d.due_on) for d in rows}
    assert ("exercise_report", date(2014, 1, 31)) in kinds
    assert ("fiscal_year_end", date(2014, 3, 31)) in kinds  # 92 days ahead
    report = next(d for d in rows if d.kind == "exercise_report")
    assert "1 exercises" in report.description
    assert year_end_deadlines(as_of=date(2014, 4, 1), until=date(2014, 5, 1)) == []
    monkeypatch.setattr("papers.views.today", lambda: date(2014, 1, 5))
    client.force_login(users["auditor"])
    html = client.get(reverse("papers:dashboard")).content.decode()
    assert "Report on exercises of 2013 due" in html and "1 exercises" in html
    assert "Fiscal year end of" in html
