"""Imports of market data: share prices, dividends and government bond yields, notice (12).

All-or-nothing: a file with any bad row imports nothing, and the report lists every bad row with
its line number. Rows identical to stored ones are accepted as they are; rows contradicting them are
errors. Each import is one ImportBatch that every row names, so a valuation's inputs trace back to
the file they were read from.
"""

from __future__ import annotations

import csv
import hashlib
import io
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from equityplan.clock import today
from grants import events
from grants.models import Company
from valuations.domain import marketdata, priceformats
from valuations.domain.problems import Problem
from valuations.models import (
    MARKET_YEN_PLACES,
    YIELD_PLACES,
    Dividend,
    ImportBatch,
    JgbYield,
    SharePrice,
)
from valuations.sources import problem_text

from . import importchecks
from .importchecks import AdjustmentCheck

__all__ = ["ImportReport", "import_dividends", "import_jgb_yields", "import_share_prices"]


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
    format: str = ""  # the share price format read (valuations.domain.priceformats)
    # J-Quants: each adjustment factor against the recorded splits, agreeing or not.
    adjustment_checks: list[AdjustmentCheck] = field(default_factory=list)

    @property
    def adjustments_agree(self) -> bool:
        return all(check.agrees for check in self.adjustment_checks)

    @property
    def translated_adjustment_checks(self) -> list[tuple[bool, str]]:
        return [(check.agrees, problem_text(check.message)) for check in self.adjustment_checks]

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
    events.event_market_data_imported(
        kind=kind,
        batch_id=batch.pk,
        company_id=company.pk if company else None,
        filename=batch.filename,
        sha256=batch.sha256,
        rows_created=report.rows_created,
        rows_unchanged=report.rows_unchanged,
        imported_on=today(),
        actor=actor,
    )
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
    report, parsed = _begin_import(filename=filename, data=data, parse=priceformats.parse_share_prices)
    if parsed is None:
        return report
    report.format = parsed.format
    report.errors.extend(importchecks.code_problems(parsed.codes, company))
    report.errors.extend(importchecks.date_problems(parsed.lines, earliest=importchecks.EARLIEST_MARKET_DATE))
    report.errors.extend(importchecks.closed_day_problems(parsed.lines))
    for day, close, base in parsed.rows:
        if _too_precise(close, MARKET_YEN_PLACES) or _too_precise(base, MARKET_YEN_PLACES):
            report.errors.append(
                (
                    parsed.lines.get(day, 0),
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
                    parsed.lines.get(day, 0),
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
    if parsed.format == priceformats.FORMAT_JQUANTS:
        days = [r[0] for r in parsed.rows]
        report.adjustment_checks = importchecks.adjustment_checks(
            company=company, adjustments=parsed.adjustments, first=min(days), last=max(days)
        )
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
    report.errors.extend(
        importchecks.date_problems(
            {day: lines.get(day.isoformat(), 0) for day, _a, _n in parsed.rows},
            earliest=importchecks.EARLIEST_MARKET_DATE,
        )
    )
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
    """Import the Ministry of Finance's jgbcm_all.csv (or a part of it): docs/domain.md §4."""
    report, parsed = _begin_import(filename=filename, data=data, parse=marketdata.parse_jgb_csv)
    if parsed is None:
        return report
    lines = _era_lines(data) if parsed.rows else {}
    report.errors.extend(
        importchecks.date_problems(
            {day: lines.get(day, 0) for day, _y in parsed.rows}, earliest=importchecks.EARLIEST_JGB_DATE
        )
    )
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
