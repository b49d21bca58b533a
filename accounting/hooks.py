"""What the accounting app adds to pages of lower apps: the year-end and filing deadlines."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta

from django.db.models import Count
from django.urls import reverse
from django.utils.translation import gettext as _

from accounting.domain import periods as fiscal
from companies.models import Company
from grants.models import ExerciseRequest, Series
from grants.selectors.deadlines import Deadline

# Year-end work starts a quarter ahead, so the dashboard lists a year end or the January filing from
# 92 days before it, whatever the window it asks for (docs/domain.md §7.4).
LEAD = timedelta(days=92)


def year_end_deadlines(*, as_of: date, until: date) -> list[Deadline]:
    """Each issuer's coming fiscal year end, and the annual report on exercises due on 31 January
    (Income Tax Act Art 228-2), with the number of exercises of the year it covers (four queries)."""
    horizon = max(until, as_of + LEAD)
    issuers = Company.objects.filter(pk__in=Series.objects.values("company_id")).order_by("name")
    rows = []
    for company in issuers:
        year_end = fiscal.fiscal_year_containing(as_of, end_month=company.fiscal_year_end_month).end
        if year_end <= horizon:
            rows.append(
                Deadline(
                    year_end,
                    "fiscal_year_end",
                    _(
                        "Fiscal year end of %(company)s: expense, journal and the stock-option note "
                        "(listed from 92 days ahead)"
                    )
                    % {"company": company},
                    None,
                    None,
                    reverse("accounting:note")
                    + f"?company={company.pk}&fiscal_year_end={year_end.isoformat()}",
                )
            )
    filing = date(as_of.year + 1, 1, 31) if as_of > date(as_of.year, 1, 31) else date(as_of.year, 1, 31)
    if filing <= horizon:
        # Counted in the database by series, from the index of exercises by date alone (a join to
        # the series for the issuer was planned as a scan of every request), added up by issuer here.
        by_series = (
            ExerciseRequest.objects.filter(
                status=ExerciseRequest.Status.EXERCISED, exercised_on__year=filing.year - 1
            )
            .values("series_id")
            .order_by()
            .annotate(n=Count("*"))
            .values_list("series_id", "n")
        )
        issuer_of = dict(Series.objects.values_list("pk", "company_id"))
        counts: dict[int, int] = defaultdict(int)
        for series_id, n in by_series:
            counts[issuer_of[series_id]] += n
        for company in issuers:
            rows.append(
                Deadline(
                    filing,
                    "exercise_report",
                    _(
                        "Report on exercises of %(year)d due (Income Tax Act Art 228-2): %(company)s, "
                        "%(n)d exercises (listed from 92 days ahead)"
                    )
                    % {"year": filing.year - 1, "company": company, "n": counts.get(company.pk, 0)},
                    None,
                    None,
                    reverse("accounting:tax") + f"?company={company.pk}&year={filing.year - 1}",
                )
            )
    return rows
