"""Reads behind each input of a valuation, notice (12): S, s, r and q by the series' rules.

Each returns the value and its source (the rule, the rows and dates it was read from, and a
description a page shows in its reader's language); the volatility also returns the price history
it used. A missing input is a ValidationError naming it, so a run can list every missing input.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal, localcontext
from fractions import Fraction

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from grants.domain import calendar as trading_calendar
from grants.domain.calendar import Overrides
from grants.domain.dates import add_days, add_years
from grants.models import Series
from grants.selectors.corporate_actions import PriceBasisChange, price_basis_changes
from valuations.domain.freshness import YIELDS_IN_TIME_DAYS, stale_mark, yields_due_from
from valuations.domain.pricing import price_to_decimal
from valuations.domain.problems import Problem
from valuations.domain.rates import RateRule, rate_for_term
from valuations.domain.volatility import historical_volatility
from valuations.models import Dividend, JgbYield, SharePrice, problem_to_json
from valuations.selectors.calendar import calendar_overrides
from valuations.sources import decimal_text, described, error_text, problem_text, quantize_fraction

__all__ = ["derive_dividend_yield", "derive_rate", "derive_spot", "derive_volatility"]


def _years_back(on: date, term: Decimal) -> date:
    """T years before a date: calendar years when T is whole (29 Feb -> 28 Feb), else 365.25-day years."""
    if term == term.to_integral_value():
        return add_years(on, -int(term))
    return add_days(on, -int((term * Decimal("365.25")).to_integral_value()))


def _price_row(row: SharePrice, field_name: str) -> dict:
    return {
        "model": "share_price",
        "id": row.pk,
        "date": row.date.isoformat(),
        "field": field_name,
        "value": decimal_text(getattr(row, field_name)),
        "batch": row.batch_id,
    }


def derive_spot(
    *, series: Series, valuation_date: date, overrides: dict[date, bool], provisional: bool
) -> tuple[Decimal, dict]:
    """S, notice (12)2: the close on the valuation date, else the base price for the next trading day
    (or the previous trading day's close, per the series). A provisional valuation falls back to the
    latest close on or before the date, and says so."""
    company = series.company
    rule = series.valuation_spot_rule
    if rule == Series.SpotRule.PREVIOUS_DAY_CLOSE:
        day = trading_calendar.previous_trading_day(valuation_date, overrides)
        row = SharePrice.objects.filter(company=company, date=day).first()
        if row is not None:
            used = "close" if row.close is not None else "base_price"
            said = (
                gettext_noop("close on the previous trading day %(day)s")
                if used == "close"
                else gettext_noop("base price on the previous trading day %(day)s")
            )
            return getattr(row, used), described(
                Problem(said, {"day": day.isoformat()}), rule=rule, rows=[_price_row(row, used)]
            )
        missing = Problem(
            gettext_noop("no price on the previous trading day %(day)s"), {"day": day.isoformat()}
        )
    else:
        row = SharePrice.objects.filter(company=company, date=valuation_date).first()
        if row is not None and row.close is not None:
            return row.close, described(
                Problem(gettext_noop("close on %(date)s"), {"date": valuation_date.isoformat()}),
                rule=rule,
                rows=[_price_row(row, "close")],
            )
        day = trading_calendar.next_trading_day(valuation_date, overrides)
        nxt = SharePrice.objects.filter(company=company, date=day, base_price__isnull=False).first()
        if nxt is not None and nxt.base_price is not None:  # the filter guarantees it; for the types
            return nxt.base_price, described(
                Problem(
                    gettext_noop("no close on %(date)s: base price for the next trading day %(day)s"),
                    {"date": valuation_date.isoformat(), "day": day.isoformat()},
                ),
                rule=rule,
                rows=[_price_row(nxt, "base_price")],
            )
        missing = Problem(
            gettext_noop("no close on %(date)s and no base price for the next trading day %(day)s"),
            {"date": valuation_date.isoformat(), "day": day.isoformat()},
        )
    if provisional:
        latest = (
            SharePrice.objects.filter(company=company, date__lte=valuation_date, close__isnull=False)
            .order_by("-date")
            .first()
        )
        if latest is not None and latest.close is not None:  # the filter guarantees it; for the types
            # The first day the rule reads: the previous trading day, or the valuation date itself.
            due_from = day if rule == Series.SpotRule.PREVIOUS_DAY_CLOSE else valuation_date
            stale = stale_mark(taken_from=latest.date, due_from=due_from)
            return latest.close, described(
                Problem(
                    gettext_noop("provisional: %(missing)s; latest close available, %(date)s"),
                    {"missing": missing, "date": latest.date.isoformat()},
                ),
                rule=rule,
                rows=[_price_row(latest, "close")],
                provisional_fallback=True,
                **({"stale": stale} if stale else {}),
            )
    raise ValidationError(_("Share price S: %(why)s.") % {"why": problem_text(missing)}, code="no_spot")


def _price_basis_json(change: PriceBasisChange) -> dict:
    return {
        "corporate_action_id": change.corporate_action_id,
        "kind": change.kind,
        "basis_from": change.basis_from.isoformat(),
        "ratio": str(change.ratio),
    }


def derive_volatility(
    *, series: Series, valuation_date: date, overrides: Overrides | None = None
) -> tuple[Decimal, dict, dict]:
    """s, notice (12)5: closes in the series' window at its frequency, split-adjusted.

    A close quoted before an approved split's or consolidation's ex-rights date (the first day on
    the new basis) is divided by its ratio; those inside the window are stored with the source.
    """
    if overrides is None:
        overrides = calendar_overrides()
    start = series.volatility_window_start or _years_back(valuation_date, series.valuation_term_years)
    end = valuation_date
    if series.volatility_window_end == Series.VolatilityWindowEnd.DAY_BEFORE:
        end = add_days(valuation_date, -1)
    rows = list(
        SharePrice.objects.filter(
            company=series.company, date__gte=start, date__lte=end, close__isnull=False
        ).values_list("date", "close", "batch_id")
    )
    changes = price_basis_changes(company=series.company, after=start, until=end, overrides=overrides)
    try:
        result = historical_volatility(
            [(d, c) for d, c, _b in rows if c is not None],  # the query already excludes empty closes
            frequency=series.volatility_frequency,
            start=start,
            end=end,
            splits=[(change.basis_from, change.ratio) for change in changes],
        )
    except ValueError as exc:
        raise ValidationError(
            _("Volatility: %(why)s.") % {"why": error_text(exc)}, code="no_volatility"
        ) from exc
    value = quantize_fraction(price_to_decimal(result.volatility))
    # One template per frequency: "weekly"/"daily" inside the sentence would stay English.
    counted = (
        gettext_noop("%(n)s weekly closes from %(first)s to %(last)s (%(daily)s daily closes in the window)")
        if result.frequency == "weekly"
        else gettext_noop(
            "%(n)s daily closes from %(first)s to %(last)s (%(daily)s daily closes in the window)"
        )
    )
    source = described(
        Problem(
            counted,
            {
                "n": result.observations,
                "first": result.first_date.isoformat(),
                "last": result.last_date.isoformat(),
                "daily": len(rows),
            },
        ),
        rule=f"{series.volatility_frequency}, {start.isoformat()} to {end.isoformat()}",
    )
    source |= {
        "window": [start.isoformat(), end.isoformat()],
        "observations": result.observations,
        "batches": sorted({b for _d1, _c, b in rows}),
        "price_basis_changes": [_price_basis_json(change) for change in changes],
        "method": result.method,
        "method_message": problem_to_json(result.method_problem),
        "annualisation_factor": result.annualisation_factor,
    }
    evidence = {
        "prices": [[d.isoformat(), p] for d, p in result.used_prices],
        "returns": [[d.isoformat(), r] for d, r in result.returns],
        "price_basis_changes": [change.basis_from.isoformat() for change in changes],
    }
    return value, source, evidence


def _rate_how(yields: dict[int, Decimal | None], term: Decimal, rule: str, how: str) -> Problem | None:
    """rate_for_term's English ``how`` as a template with its figures, so it can be shown
    translated; None (the English is kept as it is) if it no longer says the same thing."""
    available = {tenor: value for tenor, value in yields.items() if value is not None}
    term_text = format(term.normalize(), "f")
    exact = gettext_noop("%(tenor)s-year JGB yield %(value)s (exact tenor)")
    try:
        if rule == RateRule.NEAREST:
            tenor = min(available, key=lambda t: (abs(t - term), -t))
            problem = (
                Problem(exact, {"tenor": tenor, "value": str(available[tenor])})
                if tenor == term
                else Problem(
                    gettext_noop(
                        "%(tenor)s-year JGB yield %(value)s (nearest available tenor to %(term)s years)"
                    ),
                    {"tenor": tenor, "value": str(available[tenor]), "term": term_text},
                )
            )
        elif term == term.to_integral_value() and int(term) in available:
            problem = Problem(exact, {"tenor": int(term), "value": str(available[int(term)])})
        else:
            low = max(t for t in available if t < term)
            high = min(t for t in available if t > term)
            problem = Problem(
                gettext_noop(
                    "linear interpolation for %(term)s years between the %(low)s-year JGB yield %(y_low)s "
                    "and the %(high)s-year JGB yield %(y_high)s"
                ),
                {
                    "term": term_text,
                    "low": low,
                    "y_low": str(available[low]),
                    "high": high,
                    "y_high": str(available[high]),
                },
            )
    except ValueError:
        return None
    return problem if problem.render() == how else None


def derive_rate(*, series: Series, valuation_date: date) -> tuple[Decimal, dict]:
    """r, notice (12)6: the JGB yield for T on the valuation date or the last day published before it."""
    day = (
        JgbYield.objects.filter(date__lte=valuation_date, yield_fraction__isnull=False)
        .order_by("-date")
        .values_list("date", flat=True)
        .first()
    )
    if day is None:
        raise ValidationError(
            _("Risk-free rate r: no government bond yields on or before %(date)s.")
            % {"date": valuation_date.isoformat()},
            code="no_rate",
        )
    rows = list(JgbYield.objects.filter(date=day))
    yields = {row.tenor_years: row.yield_fraction for row in rows}
    try:
        rate, how = rate_for_term(yields, series.valuation_term_years, series.rate_rule)
    except ValueError as exc:
        raise ValidationError(
            _("Risk-free rate r: %(why)s.") % {"why": error_text(exc)}, code="no_rate"
        ) from exc
    # docs/domain.md reading R25: yields more than seven days before the valuation date are stale.
    stale = stale_mark(taken_from=day, due_from=yields_due_from(valuation_date))
    if day == valuation_date:
        said = gettext_noop("%(how)s; yields of %(date)s (on the valuation date)")
    elif stale is None:
        said = gettext_noop("%(how)s; yields of %(date)s (last published before the valuation date)")
    else:
        said = gettext_noop(
            "%(how)s; yields of %(date)s, %(days)s days before the valuation date: older than the "
            "%(bound)s days the rule allows"
        )
    how_said = _rate_how(yields, series.valuation_term_years, series.rate_rule, how) or how
    figures: dict[str, object] = {"how": how_said, "date": day.isoformat()}
    if stale is not None:
        figures |= {"days": (valuation_date - day).days, "bound": YIELDS_IN_TIME_DAYS}
    return quantize_fraction(rate), described(Problem(said, figures), rule=series.rate_rule) | (
        {"stale": stale} if stale else {}
    ) | {
        "date": day.isoformat(),
        "rows": [
            {
                "model": "jgb_yield",
                "id": r.pk,
                "tenor": r.tenor_years,
                "value": decimal_text(r.yield_fraction),
                "batch": r.batch_id,
            }
            for r in sorted(rows, key=lambda r: r.tenor_years)
            if r.yield_fraction is not None
        ],
        "batches": sorted({r.batch_id for r in rows}),
    }


def derive_dividend_yield(
    *, series: Series, valuation_date: date, spot: Decimal, overrides: Overrides | None = None
) -> tuple[Decimal, dict]:
    """q, notice (12)7: the fiscal year's dividend per share, adjusted for later splits, divided by S.

    The dividend was declared per share held on the fiscal year end (its record date). An approved
    split or consolidation whose own record date is on or after that day, and whose prices changed
    basis (its ex-rights date) on or before the valuation date, puts the dividend on the basis of S:
    it is divided by the ratio (docs/domain.md, reading R8).
    """
    if series.dividend_rule == Series.DividendRule.ZERO:
        return Decimal(0), described(
            Problem(gettext_noop("the series takes no dividend yield")), rule=series.dividend_rule
        )
    dividends = Dividend.objects.filter(company=series.company)
    if series.dividend_fiscal_year_end:
        row = dividends.filter(fiscal_year_end=series.dividend_fiscal_year_end).first()
        wanted = series.dividend_fiscal_year_end.isoformat()
    else:
        row = dividends.filter(fiscal_year_end__lt=valuation_date).order_by("-fiscal_year_end").first()
        wanted = _("the last fiscal year ended before %(date)s") % {"date": valuation_date.isoformat()}
    if row is None:
        raise ValidationError(
            _("Dividend yield q: no dividend stored for %(fy)s.") % {"fy": wanted}, code="no_dividend"
        )
    if overrides is None:
        overrides = calendar_overrides()
    changes = [
        change
        for change in price_basis_changes(
            company=series.company, after=None, until=valuation_date, overrides=overrides
        )
        if change.holders_fixed_on >= row.fiscal_year_end
    ]
    ratio = Fraction(1)
    for change in changes:
        ratio *= change.ratio
    with localcontext(prec=60):
        adjusted = row.per_share_yen * ratio.denominator / ratio.numerator
        q = adjusted / spot
    figures = {
        "dividend": decimal_text(row.per_share_yen),
        "fy": row.fiscal_year_end.isoformat(),
        "spot": decimal_text(spot),
    }
    if changes:
        said = Problem(
            gettext_noop(
                "dividend %(dividend)s yen for the fiscal year ended %(fy)s, divided by %(ratio)s for the "
                "splits since (%(adjusted)s yen per share today), / S %(spot)s"
            ),
            figures | {"ratio": str(ratio), "adjusted": decimal_text(adjusted.normalize())},
        )
    else:
        said = Problem(
            gettext_noop("dividend %(dividend)s yen for the fiscal year ended %(fy)s, / S %(spot)s"), figures
        )
    return quantize_fraction(q), described(said, rule=series.dividend_rule) | {
        "rows": [
            {
                "model": "dividend",
                "id": row.pk,
                "fiscal_year_end": row.fiscal_year_end.isoformat(),
                "value": decimal_text(row.per_share_yen),
                "note": row.note,
                "batch": row.batch_id,
            }
        ],
        "split_ratio": str(ratio),
        "adjusted_dividend_yen": decimal_text(adjusted.normalize()),
        "price_basis_changes": [_price_basis_json(change) for change in changes],
    }
