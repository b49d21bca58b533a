"""Every write of market data and valuations: notice (12), DOMAIN §3 and §4.

Imports are all-or-nothing: a file with any bad row imports nothing and the report lists every bad
row with its line number. Valuations derive each input by the series' rules, store it with its
source, and move provisional -> final -> approved through one service each.
"""

from __future__ import annotations

import csv
import hashlib
import io
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_EVEN, Decimal, InvalidOperation, localcontext
from fractions import Fraction
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext as _

from grants.domain import calendar as trading_calendar
from grants.models import Company, LedgerEvent, Series
from grants.services.ledger import ledger_record
from valuations.domain import marketdata
from valuations.domain.pricing import PricingInputs, amount_per_right_yen, price_option, price_to_decimal
from valuations.domain.problems import Problem
from valuations.domain.volatility import historical_volatility

from .models import (
    FRACTION_PLACES,
    MARKET_YEN_PLACES,
    YEN_PLACES,
    YIELD_PLACES,
    CalendarOverride,
    Dividend,
    ImportBatch,
    JgbYield,
    SharePrice,
    StockSplit,
    Valuation,
    problem_to_json,
)

FRACTION_QUANTUM = Decimal(1).scaleb(-FRACTION_PLACES)
YEN_QUANTUM = Decimal(1).scaleb(-YEN_PLACES)


def quantize_fraction(value: Decimal) -> Decimal:
    """Fix a fraction to the stored precision before it is priced or saved (RELIABILITY fact 6)."""
    return value.quantize(FRACTION_QUANTUM, rounding=ROUND_HALF_EVEN)


def calendar_overrides() -> dict[date, bool]:
    """Staff's calendar overrides as the mapping grants.domain.calendar takes."""
    return dict(CalendarOverride.objects.values_list("date", "is_trading_day"))


def problem_text(problem: Problem | str) -> str:
    """A problem in the active language: translated when it is shown, not when it was found."""
    if isinstance(problem, Problem):
        return problem.render(gettext)
    return str(problem)


def error_text(exc: Exception) -> str:
    """A domain error's message in the active language (ProblemError carries its template)."""
    problem = getattr(exc, "problem", None)
    return problem_text(problem) if isinstance(problem, Problem) else str(exc)


# --------------------------------------------------------------------------- imports


@dataclass
class ImportReport:
    """What an import did, or why it did nothing: every bad row with its line number.

    Reasons are kept as Problems (template + figures) and translated by ``translated_errors`` when
    the report is shown, in the reader's language.
    """

    filename: str
    errors: list[tuple[int, Problem]] = field(default_factory=list)
    rows: int = 0
    rows_created: int = 0
    rows_unchanged: int = 0
    batch: ImportBatch | None = None

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def translated_errors(self) -> list[tuple[int, str]]:
        return [(line, problem_text(problem)) for line, problem in self.errors]

    def sort_errors(self) -> None:
        # By line only: two reasons for line 0 must not be compared with each other.
        self.errors.sort(key=lambda error: error[0])


def _first_cell_lines(data: bytes) -> dict[str, int]:
    """First cell of each CSV record -> its line number, to name the line of a conflicting row."""
    for encoding in ("utf-8-sig", "cp932"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        return {}
    reader = csv.reader(io.StringIO(text, newline=""))
    lines: dict[str, int] = {}
    for row in reader:
        if row and row[0].strip():
            lines.setdefault(row[0].strip(), reader.line_num)
    return lines


def _too_precise(value: Decimal | None, places: int) -> bool:
    return value is not None and value != value.quantize(Decimal(1).scaleb(-places))


def _new_batch(
    *, kind: str, company: Company | None, data: bytes, filename: str, label: str, actor, report: ImportReport
) -> ImportBatch:
    batch = ImportBatch(
        kind=kind,
        company=company,
        filename=filename[:255],
        label=label,
        rows=report.rows,
        rows_created=report.rows_created,
        rows_unchanged=report.rows_unchanged,
        sha256=hashlib.sha256(data).hexdigest(),
        imported_by=actor,
    )
    batch.full_clean()
    batch.save()
    return batch


def _refuse_oversized(data: bytes, report: ImportReport) -> bool:
    # Refused before parsing: the parser would say the same, but never read a huge upload at all.
    if len(data) > marketdata.MAX_IMPORT_BYTES:
        report.errors.append(
            (
                0,
                Problem(
                    gettext_noop("File too large: %(n)s bytes, the limit is %(max)s."),
                    {"n": f"{len(data):,}", "max": f"{marketdata.MAX_IMPORT_BYTES:,}"},
                ),
            )
        )
        return True
    return False


def _begin_import(*, filename: str, data: bytes, parse: Callable[[bytes], Any]) -> tuple[ImportReport, Any]:
    """The start every import shares: refuse an oversized file, parse it, report every bad row."""
    report = ImportReport(filename=filename)
    if _refuse_oversized(data, report):
        return report, None
    parsed = parse(data)
    report.errors.extend(parsed.errors)
    report.rows = len(parsed.rows) + len(parsed.errors)
    if not parsed.rows and not parsed.errors:
        report.errors.append((0, Problem(gettext_noop("The file has no data rows."))))
    return report, parsed


@transaction.atomic
def import_share_prices(
    *, company: Company, data: bytes, filename: str, actor: User, label: str = ""
) -> ImportReport:
    """Import daily closes (date,close[,base_price]); rows identical to stored ones are accepted,
    rows contradicting stored ones are errors. Nothing is written unless every row is good."""
    report, parsed = _begin_import(filename=filename, data=data, parse=marketdata.parse_share_price_csv)
    if parsed is None:
        return report
    lines = _first_cell_lines(data)
    for day, close, base in parsed.rows:
        if _too_precise(close, MARKET_YEN_PLACES) or _too_precise(base, MARKET_YEN_PLACES):
            report.errors.append(
                (
                    lines.get(day.isoformat(), 0),
                    Problem(gettext_noop("More than %(n)d decimal places."), {"n": MARKET_YEN_PLACES}),
                )
            )
    if report.errors:
        report.sort_errors()
        return report
    Company.objects.select_for_update().get(pk=company.pk)  # one import per company at a time
    existing = {
        p.date: p
        for p in SharePrice.objects.filter(
            company=company,
            date__gte=min(r[0] for r in parsed.rows),
            date__lte=max(r[0] for r in parsed.rows),
        )
    }
    new_rows = []
    for day, close, base in parsed.rows:
        old = existing.get(day)
        if old is None:
            new_rows.append((day, close, base))
        elif old.close == close and old.base_price == base:
            report.rows_unchanged += 1
        else:
            report.errors.append(
                (
                    lines.get(day.isoformat(), 0),
                    Problem(
                        gettext_noop(
                            "%(date)s is already stored with close %(old_close)s, base price %(old_base)s "
                            "(import batch %(batch)s); the file says %(close)s, %(base)s."
                        ),
                        {
                            "date": day.isoformat(),
                            "old_close": old.close if old.close is not None else "—",
                            "old_base": old.base_price if old.base_price is not None else "—",
                            "batch": old.batch_id,
                            "close": close if close is not None else "—",
                            "base": base if base is not None else "—",
                        },
                    ),
                )
            )
    if report.errors:
        report.sort_errors()
        return report
    report.rows_created = len(new_rows)
    batch = _new_batch(
        kind=ImportBatch.Kind.SHARE_PRICES,
        company=company,
        data=data,
        filename=filename,
        label=label,
        actor=actor,
        report=report,
    )
    SharePrice.objects.bulk_create(
        [SharePrice(company=company, date=d, close=c, base_price=b, batch=batch) for d, c, b in new_rows],
        batch_size=1000,
    )
    report.batch = batch
    return report


@transaction.atomic
def import_dividends(
    *, company: Company, data: bytes, filename: str, actor: User, label: str = ""
) -> ImportReport:
    """Import dividends per share by fiscal year (fiscal_year_end,dividend_per_share_yen[,note])."""
    report, parsed = _begin_import(filename=filename, data=data, parse=marketdata.parse_dividend_csv)
    if parsed is None:
        return report
    lines = _first_cell_lines(data)
    for day, amount, note in parsed.rows:
        if _too_precise(amount, MARKET_YEN_PLACES):
            report.errors.append(
                (
                    lines.get(day.isoformat(), 0),
                    Problem(gettext_noop("More than %(n)d decimal places."), {"n": MARKET_YEN_PLACES}),
                )
            )
        if len(note) > 200:
            report.errors.append(
                (
                    lines.get(day.isoformat(), 0),
                    Problem(gettext_noop("The note is longer than 200 characters.")),
                )
            )
    if report.errors:
        report.sort_errors()
        return report
    Company.objects.select_for_update().get(pk=company.pk)
    existing = {d.fiscal_year_end: d for d in Dividend.objects.filter(company=company)}
    new_rows = []
    for day, amount, note in parsed.rows:
        old = existing.get(day)
        if old is None:
            new_rows.append((day, amount, note))
        elif old.per_share_yen == amount and old.note == note:
            report.rows_unchanged += 1
        else:
            report.errors.append(
                (
                    lines.get(day.isoformat(), 0),
                    Problem(
                        gettext_noop(
                            "The fiscal year ended %(date)s is already stored with %(old)s yen (import batch "
                            "%(batch)s); the file says %(new)s."
                        ),
                        {
                            "date": day.isoformat(),
                            "old": old.per_share_yen,
                            "batch": old.batch_id,
                            "new": amount,
                        },
                    ),
                )
            )
    if report.errors:
        report.sort_errors()
        return report
    report.rows_created = len(new_rows)
    batch = _new_batch(
        kind=ImportBatch.Kind.DIVIDENDS,
        company=company,
        data=data,
        filename=filename,
        label=label,
        actor=actor,
        report=report,
    )
    Dividend.objects.bulk_create(
        [
            Dividend(company=company, fiscal_year_end=d, per_share_yen=a, note=n, batch=batch)
            for d, a, n in new_rows
        ]
    )
    report.batch = batch
    return report


def _era_lines(data: bytes) -> dict[date, int]:
    lines = {}
    for cell, line in _first_cell_lines(data).items():
        try:
            lines[marketdata.parse_era_date(cell)] = line
        except ValueError:
            continue
    return lines


@transaction.atomic
def import_jgb_yields(*, data: bytes, filename: str, actor: User, label: str = "") -> ImportReport:
    """Import the Ministry of Finance's jgbcm_all.csv (or a part of it): DOMAIN §4."""
    report, parsed = _begin_import(filename=filename, data=data, parse=marketdata.parse_jgb_csv)
    if parsed is None:
        return report
    lines = _era_lines(data) if parsed.rows else {}
    for day, yields in parsed.rows:
        if any(_too_precise(v, YIELD_PLACES) for v in yields.values()):
            report.errors.append(
                (lines.get(day, 0), Problem(gettext_noop("A yield has too many decimal places.")))
            )
    if report.errors:
        report.sort_errors()
        return report
    days = [d for d, _y in parsed.rows]
    existing: dict[tuple[date, int], JgbYield] = {}
    for row in JgbYield.objects.select_for_update().filter(date__gte=min(days), date__lte=max(days)):
        existing[(row.date, row.tenor_years)] = row
    new_rows = []
    for day, yields in parsed.rows:
        conflicts, unchanged = [], True
        for tenor, value in yields.items():
            old = existing.get((day, tenor))
            if old is None:
                unchanged = False
                new_rows.append((day, tenor, value))
            elif old.yield_fraction != value:
                conflicts.append(f"{tenor}年: {old.yield_fraction} → {value}")
        if conflicts:
            report.errors.append(
                (
                    lines.get(day, 0),
                    Problem(
                        gettext_noop("%(date)s is already stored with other yields (%(changes)s)."),
                        {"date": day.isoformat(), "changes": ", ".join(conflicts)},
                    ),
                )
            )
        elif unchanged:
            report.rows_unchanged += 1
        else:
            report.rows_created += 1
    if report.errors:
        report.sort_errors()
        return report
    batch = _new_batch(
        kind=ImportBatch.Kind.JGB_YIELDS,
        company=None,
        data=data,
        filename=filename,
        label=label,
        actor=actor,
        report=report,
    )
    try:
        JgbYield.objects.bulk_create(
            [JgbYield(date=d, tenor_years=t, yield_fraction=v, batch=batch) for d, t, v in new_rows],
            batch_size=1000,
        )
    except IntegrityError as exc:  # a concurrent import of the same days: the constraint holds
        raise ValidationError(_("Another import of the same days ran at the same time; try again.")) from exc
    report.batch = batch
    return report


# --------------------------------------------------------------------------- valuation inputs


def _d(value: Any) -> str:
    return format(value, "f") if isinstance(value, Decimal) else str(value)


def _years_back(on: date, term: Decimal) -> date:
    """T years before a date: calendar years when T is whole (29 Feb -> 28 Feb), else 365.25-day years."""
    if term == term.to_integral_value():
        year = on.year - int(term)
        try:
            return on.replace(year=year)
        except ValueError:
            return on.replace(year=year, day=28)
    return on - timedelta(days=int((term * Decimal("365.25")).to_integral_value()))


def _described(problem: Problem, **source: Any) -> dict:
    """A source with its description twice: English ("detail", as before) and a message to translate
    when shown ("detail_message"), so the page speaks its reader's language."""
    return {**source, "detail": problem.render(), "detail_message": problem_to_json(problem)}


def _price_row(row: SharePrice, field_name: str) -> dict:
    return {
        "model": "share_price",
        "id": row.pk,
        "date": row.date.isoformat(),
        "field": field_name,
        "value": _d(getattr(row, field_name)),
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
            return getattr(row, used), _described(
                Problem(said, {"day": day.isoformat()}), rule=rule, rows=[_price_row(row, used)]
            )
        missing = Problem(
            gettext_noop("no price on the previous trading day %(day)s"), {"day": day.isoformat()}
        )
    else:
        row = SharePrice.objects.filter(company=company, date=valuation_date).first()
        if row is not None and row.close is not None:
            return row.close, _described(
                Problem(gettext_noop("close on %(date)s"), {"date": valuation_date.isoformat()}),
                rule=rule,
                rows=[_price_row(row, "close")],
            )
        day = trading_calendar.next_trading_day(valuation_date, overrides)
        nxt = SharePrice.objects.filter(company=company, date=day, base_price__isnull=False).first()
        if nxt is not None and nxt.base_price is not None:  # the filter guarantees it; for the types
            return nxt.base_price, _described(
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
            return latest.close, _described(
                Problem(
                    gettext_noop("provisional: %(missing)s; latest close available, %(date)s"),
                    {"missing": missing, "date": latest.date.isoformat()},
                ),
                rule=rule,
                rows=[_price_row(latest, "close")],
                provisional_fallback=True,
            )
    raise ValidationError(_("Share price S: %(why)s.") % {"why": problem_text(missing)}, code="no_spot")


def derive_volatility(*, series: Series, valuation_date: date) -> tuple[Decimal, dict, dict]:
    """s, notice (12)5: closes in the series' window at its frequency, split-adjusted."""
    start = series.volatility_window_start or _years_back(valuation_date, series.valuation_term_years)
    end = valuation_date
    if series.volatility_window_end == Series.VolatilityWindowEnd.DAY_BEFORE:
        end = valuation_date - timedelta(days=1)
    rows = list(
        SharePrice.objects.filter(
            company=series.company, date__gte=start, date__lte=end, close__isnull=False
        ).values_list("date", "close", "batch_id")
    )
    splits = list(
        StockSplit.objects.filter(company=series.company, effective_date__lte=end).order_by("effective_date")
    )
    try:
        result = historical_volatility(
            [(d, c) for d, c, _b in rows if c is not None],  # the query already excludes empty closes
            frequency=series.volatility_frequency,
            start=start,
            end=end,
            splits=[(s.effective_date, s.ratio) for s in splits if s.effective_date > start],
        )
    except ValueError as exc:
        raise ValidationError(
            _("Volatility: %(why)s.") % {"why": error_text(exc)}, code="no_volatility"
        ) from exc
    value = quantize_fraction(price_to_decimal(result.volatility))
    in_window = [s for s in splits if s.effective_date > start]
    # One template per frequency: "weekly"/"daily" inside the sentence would stay English.
    counted = (
        gettext_noop("%(n)s weekly closes from %(first)s to %(last)s (%(daily)s daily closes in the window)")
        if result.frequency == "weekly"
        else gettext_noop(
            "%(n)s daily closes from %(first)s to %(last)s (%(daily)s daily closes in the window)"
        )
    )
    source = _described(
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
        "splits": [
            {"id": s.pk, "effective_date": s.effective_date.isoformat(), "ratio": str(s.ratio)}
            for s in in_window
        ],
        "method": result.method,
        "method_message": problem_to_json(result.method_problem),
        "annualisation_factor": result.annualisation_factor,
    }
    evidence = {
        "prices": [[d.isoformat(), p] for d, p in result.used_prices],
        "returns": [[d.isoformat(), r] for d, r in result.returns],
        "splits": [s.effective_date.isoformat() for s in in_window],
    }
    return value, source, evidence


def _rate_how(yields: dict[int, Decimal | None], term: Decimal, rule: str, how: str) -> Problem | None:
    """marketdata.rate_for_term's English ``how`` as a template with its figures, so it can be shown
    translated; None (the English is kept as it is) if it no longer says the same thing."""
    available = {tenor: value for tenor, value in yields.items() if value is not None}
    term_text = format(term.normalize(), "f")
    exact = gettext_noop("%(tenor)s-year JGB yield %(value)s (exact tenor)")
    try:
        if rule == marketdata.RateRule.NEAREST:
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
        rate, how = marketdata.rate_for_term(yields, series.valuation_term_years, series.rate_rule)
    except ValueError as exc:
        raise ValidationError(
            _("Risk-free rate r: %(why)s.") % {"why": error_text(exc)}, code="no_rate"
        ) from exc
    said = (
        gettext_noop("%(how)s; yields of %(date)s (on the valuation date)")
        if day == valuation_date
        else gettext_noop("%(how)s; yields of %(date)s (last published before the valuation date)")
    )
    how_said = _rate_how(yields, series.valuation_term_years, series.rate_rule, how) or how
    return quantize_fraction(rate), _described(
        Problem(said, {"how": how_said, "date": day.isoformat()}), rule=series.rate_rule
    ) | {
        "date": day.isoformat(),
        "rows": [
            {
                "model": "jgb_yield",
                "id": r.pk,
                "tenor": r.tenor_years,
                "value": _d(r.yield_fraction),
                "batch": r.batch_id,
            }
            for r in sorted(rows, key=lambda r: r.tenor_years)
            if r.yield_fraction is not None
        ],
        "batches": sorted({r.batch_id for r in rows}),
    }


def derive_dividend_yield(*, series: Series, valuation_date: date, spot: Decimal) -> tuple[Decimal, dict]:
    """q, notice (12)7: the fiscal year's dividend per share, adjusted for later splits, divided by S."""
    if series.dividend_rule == Series.DividendRule.ZERO:
        return Decimal(0), _described(
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
    # A split after the fiscal year ended puts the declared dividend on the old share basis.
    splits = list(
        StockSplit.objects.filter(
            company=series.company, effective_date__gt=row.fiscal_year_end, effective_date__lte=valuation_date
        )
    )
    ratio = Fraction(1)
    for split in splits:
        ratio *= split.ratio
    with localcontext(prec=60):
        adjusted = row.per_share_yen * ratio.denominator / ratio.numerator
        q = adjusted / spot
    figures = {
        "dividend": _d(row.per_share_yen),
        "fy": row.fiscal_year_end.isoformat(),
        "spot": _d(spot),
    }
    if splits:
        said = Problem(
            gettext_noop(
                "dividend %(dividend)s yen for the fiscal year ended %(fy)s, divided by %(ratio)s for the "
                "splits since (%(adjusted)s yen per share today), / S %(spot)s"
            ),
            figures | {"ratio": str(ratio), "adjusted": _d(adjusted.normalize())},
        )
    else:
        said = Problem(
            gettext_noop("dividend %(dividend)s yen for the fiscal year ended %(fy)s, / S %(spot)s"), figures
        )
    return quantize_fraction(q), _described(said, rule=series.dividend_rule) | {
        "rows": [
            {
                "model": "dividend",
                "id": row.pk,
                "fiscal_year_end": row.fiscal_year_end.isoformat(),
                "value": _d(row.per_share_yen),
                "note": row.note,
                "batch": row.batch_id,
            }
        ],
        "split_ratio": str(ratio),
        "adjusted_dividend_yen": _d(adjusted.normalize()),
        "splits": [{"id": s.pk, "effective_date": s.effective_date.isoformat()} for s in splits],
    }


def _clean_overrides(overrides: dict | None) -> dict[str, tuple[Decimal, str]]:
    cleaned: dict[str, tuple[Decimal, str]] = {}
    errors: dict[str, str] = {}
    for name, entry in (overrides or {}).items():
        if name not in Valuation.OVERRIDABLE:
            errors[name] = _("This input cannot be entered by hand.")
            continue
        value, reason = entry.get("value"), str(entry.get("reason") or "").strip()
        try:
            value = Decimal(str(value))
        except (InvalidOperation, ValueError):
            errors[name] = _("Enter a number.")
            continue
        if not value.is_finite():
            errors[name] = _("Enter a number.")
        elif not reason:
            errors[name] = _("Give the reason for entering this value by hand.")
        elif name == "spot_yen" and value <= 0:
            errors[name] = _("The share price must be more than 0.")
        elif name in ("volatility", "dividend_yield") and value < 0:
            errors[name] = _("This input cannot be negative.")
        else:
            quantized = value.quantize(YEN_QUANTUM) if name == "spot_yen" else quantize_fraction(value)
            if quantized != value:
                places = YEN_PLACES if name == "spot_yen" else FRACTION_PLACES
                errors[name] = _("Enter at most %(n)d decimal places.") % {"n": places}
            else:
                cleaned[name] = (quantized, reason)
    if errors:
        raise ValidationError(errors)
    return cleaned


# --------------------------------------------------------------------------- valuation workflow

VALUATION_TRANSITIONS: dict[str, set[str]] = {
    Valuation.Status.PROVISIONAL: {Valuation.Status.FINAL},
    Valuation.Status.FINAL: {Valuation.Status.APPROVED},
    Valuation.Status.APPROVED: set(),
}


def check_valuation_transition(valuation: Valuation, target: str) -> None:
    if target not in VALUATION_TRANSITIONS[valuation.status]:
        raise ValidationError(
            _("A valuation that is %(current)s cannot become %(target)s.")
            % {"current": valuation.get_status_display(), "target": Valuation.Status(target).label},
            code="invalid_transition",
        )


def _final_exists(series: Series, valuation_date: date, exclude_pk: int | None = None) -> bool:
    qs = Valuation.objects.filter(
        series=series,
        valuation_date=valuation_date,
        status__in=[Valuation.Status.FINAL, Valuation.Status.APPROVED],
    )
    if exclude_pk is not None:
        qs = qs.exclude(pk=exclude_pk)
    return qs.exists()


def _figures(valuation: Valuation) -> dict:
    return {
        "valuation_id": valuation.pk,
        "valuation_date": valuation.valuation_date.isoformat(),
        "status": valuation.status,
        **{name: _d(getattr(valuation, name)) for name in Valuation.INPUTS},
        "option_price_per_share": _d(valuation.option_price_per_share),
        "shares_per_right": valuation.shares_per_right,
        "rounding_rule": valuation.rounding_rule,
        "amount_per_right_yen": valuation.amount_per_right_yen,
        "entered_by_hand": sorted(valuation.overrides),
    }


@transaction.atomic
def valuation_run(
    *,
    series: Series,
    valuation_date: date,
    actor: User,
    overrides: dict[str, dict] | None = None,
    final: bool = False,
) -> Valuation:
    """Derive every input by the series' rules, price it, store it with its sources: notice (12).

    ``overrides`` maps an input (spot_yen, volatility, rate, dividend_yield) to {"value", "reason"};
    such inputs are marked as entered by hand, beside the value the rules gave (if any).
    """
    series = Series.objects.select_for_update().select_related("company").get(pk=series.pk)
    by_hand = _clean_overrides(overrides)
    if final and _final_exists(series, valuation_date):
        raise ValidationError(
            _("There is already a final valuation of this series as of %(date)s.")
            % {"date": valuation_date.isoformat()},
            code="final_exists",
        )
    calendar = calendar_overrides()
    values: dict[str, Decimal] = {}
    sources: dict[str, dict] = {}
    evidence: dict = {}
    errors: list[str] = []

    def use(name: str, derive) -> None:
        try:
            derived, source, *extra = derive()
        except ValidationError as exc:
            if name not in by_hand:
                errors.extend(exc.messages)
                return
            derived, source, extra = None, {"detail": "; ".join(exc.messages)}, []
        if extra:
            evidence.update(extra[0])
        if name in by_hand:
            value, reason = by_hand[name]
            source = {
                **source,
                "entered_by_hand": True,
                "reason": reason,
                "derived": _d(derived) if derived is not None else None,
            }
            values[name] = value
        else:
            values[name] = derived
        sources[name] = source

    use(
        "spot_yen",
        lambda: derive_spot(
            series=series, valuation_date=valuation_date, overrides=calendar, provisional=not final
        ),
    )
    use("volatility", lambda: derive_volatility(series=series, valuation_date=valuation_date))
    use("rate", lambda: derive_rate(series=series, valuation_date=valuation_date))
    if "spot_yen" in values:
        use(
            "dividend_yield",
            lambda: derive_dividend_yield(
                series=series, valuation_date=valuation_date, spot=values["spot_yen"]
            ),
        )
    if errors:
        raise ValidationError(errors)

    values["spot_yen"] = values["spot_yen"].quantize(YEN_QUANTUM)
    values["strike_yen"] = series.exercise_price_per_share_yen.quantize(YEN_QUANTUM)
    values["term_years"] = series.valuation_term_years
    sources["strike_yen"] = _described(
        Problem(gettext_noop("exercise price per share, clause (4)")), rule="terms"
    )
    sources["term_years"] = _described(
        Problem(gettext_noop("expected remaining period, clause (12)4")), rule="terms"
    )
    shares = series.shares_per_right_on(max(valuation_date, series.allotment_date))
    try:
        price = price_option(PricingInputs(**{name: values[name] for name in Valuation.INPUTS}))
    except ValueError as exc:
        raise ValidationError(_("The inputs cannot be priced: %(why)s.") % {"why": error_text(exc)}) from exc
    valuation = Valuation(
        series=series,
        valuation_date=valuation_date,
        status=Valuation.Status.FINAL if final else Valuation.Status.PROVISIONAL,
        **{name: values[name] for name in Valuation.INPUTS},
        sources=sources,
        method={
            "formula": "C = S e^(-qT) N(d1) - X e^(-rT) N(d2); d1 = (ln(S/X) + (r - q + s^2/2) T) / (s sqrt T)",
            "spot_rule": series.valuation_spot_rule,
            "volatility_frequency": series.volatility_frequency,
            "volatility_window_start": series.volatility_window_start,
            "volatility_window_end": series.volatility_window_end,
            "volatility_method": sources["volatility"].get("method", ""),
            "volatility_method_message": sources["volatility"].get("method_message"),
            "rate_rule": series.rate_rule,
            "dividend_rule": series.dividend_rule,
            "dividend_fiscal_year_end": series.dividend_fiscal_year_end,
            "rounding_rule": series.rounding_rule,
            "calendar_overrides": len(calendar),
        },
        overrides={
            name: {"value": _d(value), "reason": reason, "derived": sources[name].get("derived")}
            for name, (value, reason) in by_hand.items()
        },
        evidence=evidence,
        option_price_per_share_text=format(price, "f"),
        shares_per_right=shares,
        rounding_rule=series.rounding_rule,
        amount_per_right_yen=amount_per_right_yen(price, shares, series.rounding_rule),
        computed_by=actor,
    )
    if final:
        valuation.finalized_by, valuation.finalized_at = actor, timezone.now()
    valuation.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            valuation.save()
    except IntegrityError as exc:
        raise ValidationError(
            _("There is already a final valuation of this series as of %(date)s.")
            % {"date": valuation_date.isoformat()},
            code="final_exists",
        ) from exc
    ledger_record(
        event_type=LedgerEvent.Type.VALUATION,
        series=series,
        effective_date=valuation_date,
        actor=actor,
        payload={"action": "computed", **_figures(valuation)},
    )
    return valuation


def _locked(valuation: Valuation) -> Valuation:
    return Valuation.objects.select_for_update().select_related("series").get(pk=valuation.pk)


@transaction.atomic
def valuation_finalize(*, valuation: Valuation, actor: User) -> Valuation:
    """Make a provisional valuation the final one for its series and date (one per series and date)."""
    valuation = _locked(valuation)
    check_valuation_transition(valuation, Valuation.Status.FINAL)
    if any(source.get("provisional_fallback") for source in valuation.sources.values()):
        raise ValidationError(
            _(
                "This valuation used the latest data available instead of the series' rule; "
                "recompute it once the data for the valuation date is in."
            ),
            code="provisional_data",
        )
    if _final_exists(valuation.series, valuation.valuation_date, exclude_pk=valuation.pk):
        raise ValidationError(
            _("There is already a final valuation of this series as of %(date)s.")
            % {"date": valuation.valuation_date.isoformat()},
            code="final_exists",
        )
    valuation.status = Valuation.Status.FINAL
    valuation.finalized_by, valuation.finalized_at = actor, timezone.now()
    valuation.save(update_fields=["status", "finalized_by", "finalized_at"])
    ledger_record(
        event_type=LedgerEvent.Type.VALUATION,
        series=valuation.series,
        effective_date=valuation.valuation_date,
        actor=actor,
        payload={"action": "finalized", **_figures(valuation)},
    )
    return valuation


@transaction.atomic
def valuation_approve(
    *,
    valuation: Valuation,
    actor: User,
    resolution_date: date | None = None,
    resolution_reference: str = "",
) -> Valuation:
    """The board secretary approves a final valuation as of the allotment date; it fixes the amount
    paid per right on the allotments, clause (12). Not by the person who computed it."""
    from grants.services.allotment_amount import allotment_set_amount_paid

    valuation = _locked(valuation)
    if not actor.has_perm("grants.decide"):
        raise PermissionDenied(_("Only a board secretary can approve a valuation."))
    check_valuation_transition(valuation, Valuation.Status.APPROVED)
    if actor.pk == valuation.computed_by_id:
        raise ValidationError(_("The person who computed a valuation cannot approve it."), code="same_person")
    if valuation.valuation_date != valuation.series.allotment_date:
        raise ValidationError(
            _("Only a valuation as of the allotment date (%(date)s) fixes the amount paid per right.")
            % {"date": valuation.series.allotment_date.isoformat()},
            code="not_allotment_date",
        )
    valuation.status = Valuation.Status.APPROVED
    valuation.approved_by, valuation.approved_at = actor, timezone.now()
    valuation.resolution_date = resolution_date
    valuation.resolution_reference = resolution_reference.strip()
    valuation.full_clean(validate_constraints=False)
    valuation.save(
        update_fields=["status", "approved_by", "approved_at", "resolution_date", "resolution_reference"]
    )
    ledger_record(
        event_type=LedgerEvent.Type.VALUATION,
        series=valuation.series,
        effective_date=valuation.valuation_date,
        actor=actor,
        approved_by=actor,
        resolution_date=resolution_date,
        resolution_reference=valuation.resolution_reference,
        payload={"action": "approved", **_figures(valuation)},
    )
    allotment_set_amount_paid(
        series=valuation.series,
        amount_paid_per_right_yen=valuation.amount_per_right_yen,
        actor=actor,
        approved_by=actor,
        reference=valuation.resolution_reference or f"valuation {valuation.pk}",
    )
    return valuation


@transaction.atomic
def stock_split_record(
    *,
    company: Company,
    effective_date: date,
    ratio_numerator: int,
    ratio_denominator: int = 1,
    note: str = "",
    actor: User,
) -> StockSplit:
    """Record a split (or consolidation) of the issuer's shares, for split-adjusting prices and dividends.

    The shares per right of each series are adjusted separately, by the grants adjustment service,
    clause (3); this record only puts market data on one share basis. Idempotent for the same split.
    """
    existing = StockSplit.objects.filter(company=company, effective_date=effective_date).first()
    if existing is not None:
        if (existing.ratio_numerator, existing.ratio_denominator) != (ratio_numerator, ratio_denominator):
            raise ValidationError(
                _("A different split is already recorded as effective on %(date)s.")
                % {"date": effective_date.isoformat()},
                code="conflict",
            )
        return existing
    split = StockSplit(
        company=company,
        effective_date=effective_date,
        ratio_numerator=ratio_numerator,
        ratio_denominator=ratio_denominator,
        note=note,
    )
    split.full_clean()
    split.save()
    return split
