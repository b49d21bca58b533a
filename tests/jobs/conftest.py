"""Fixtures for background work: a series with the market data its final valuation needs."""

from datetime import date, timedelta

from grants.domain.calendar import trading_days_between
from tests.factories import CompanyFactory, make_series
from valuations import services as valuation_services
from valuations.demo import YIELDS_FILE, YIELDS_LABEL
from valuations.models import ImportBatch
from valuations.selectors.calendar import calendar_overrides


def import_closes(*, company, days, actor, start_price: int = 2000, label: str = "test closes") -> None:
    """Closes on the given days (a gentle zig-zag), through the real importer."""
    lines = ["date,close,base_price"]
    for n, day in enumerate(days):
        price = start_price + (n % 7) * 13 - (n % 3) * 11
        lines.append(f"{day.isoformat()},{price},")
    report = valuation_services.import_share_prices(
        company=company,
        data=("\n".join(lines) + "\n").encode(),
        filename=f"{label}.csv",
        actor=actor,
        label=label,
    )
    assert report.ok, report.errors[:5]


def import_yields(actor) -> None:
    if not ImportBatch.objects.filter(kind=ImportBatch.Kind.JGB_YIELDS, label=YIELDS_LABEL).exists():
        report = valuation_services.import_jgb_yields(
            data=YIELDS_FILE.read_bytes(), filename=YIELDS_FILE.name, actor=actor, label=YIELDS_LABEL
        )
        assert report.ok, report.errors[:5]


def trading_days(start: date, end: date) -> list[date]:
    return list(trading_days_between(start, end, calendar_overrides()))


def series_awaiting_close(*, legal, allotment_date: date, **terms):
    """A resolved series allotted on ``allotment_date`` (a trading day), with every close up to the
    day before it and the yields: only the allotment date's own close is missing."""
    company = CompanyFactory()
    series = make_series(
        actor=legal,
        company=company,
        allotment_date=allotment_date,
        payment_date=allotment_date,
        exercise_period_start=allotment_date + timedelta(days=1),
        exercise_period_end=allotment_date + timedelta(days=365 * 30),
        volatility_window_start=allotment_date - timedelta(days=200),
        dividend_rule="zero",
        dividend_fiscal_year_end=None,
        **terms,
    )
    import_yields(legal)
    import_closes(
        company=company,
        days=trading_days(allotment_date - timedelta(days=200), allotment_date - timedelta(days=1)),
        actor=legal,
    )
    return series


def import_allotment_close(series, *, actor, price: int = 2100) -> None:
    import_closes(
        company=series.company,
        days=[series.allotment_date],
        actor=actor,
        start_price=price,
        label="close of the day",
    )
