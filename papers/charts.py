"""Pictures as server-rendered SVG, no script and no CDN: the rights of a series over time (on the
series page) and the coming deadlines as a month calendar (on the dashboard). Every label escaped."""

from __future__ import annotations

import calendar
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Case, IntegerField, Q, Sum, When
from django.db.models.fields.json import KT
from django.db.models.functions import Cast
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from grants.models import LedgerEvent, Series

T = LedgerEvent.Type
WIDTH, HEIGHT = 520, 240
PAD_LEFT, PAD_RIGHT, PAD_TOP, PAD_BOTTOM = 48, 10, 10, 46
LINES = (
    ("held", "#0d6efd"),
    ("exercised", "#198754"),
    ("lapsed", "#dc3545"),
    ("company", "#6c757d"),
)


@dataclass(frozen=True)
class RightsPoint:
    on: date
    held: int  # by holders
    exercised: int  # cumulative
    lapsed: int  # cumulative
    company: int  # the company's own rights


def rights_over_time(series: Series, *, until: date) -> list[RightsPoint]:
    """The figures after each day with a movement, from one query over the series' ledger, summed
    by day and type in the database: the day's last figures are all the chart shows of it."""
    events = (
        LedgerEvent.objects.filter(series=series, effective_date__lte=until)
        .filter((Q(holder__isnull=False) & ~Q(rights_delta=0)) | Q(event_type=T.CANCELLED))
        .values("effective_date", "event_type")
        .annotate(
            delta=Sum("rights_delta"),
            cancelled=Sum(
                Case(When(event_type=T.CANCELLED, then=Cast(KT("payload__rights"), IntegerField())))
            ),
        )
        .order_by("effective_date", "event_type")
        .values_list("effective_date", "event_type", "delta", "cancelled")
    )
    points: list[RightsPoint] = []
    held = exercised = lapsed = company = 0
    for on, kind, delta, cancelled in events:
        if kind == T.CANCELLED:
            company -= int(cancelled or 0)
        else:
            held += delta
            if kind == T.EXERCISED:
                exercised -= delta
            elif kind == T.LAPSED:
                lapsed -= delta
            elif kind == T.ACQUIRED_BY_COMPANY:
                company -= delta
        point = RightsPoint(on, held, exercised, lapsed, company)
        if points and points[-1].on == on:
            points[-1] = point
        else:
            points.append(point)
    if points and points[-1].on < until:
        last = points[-1]
        points.append(RightsPoint(until, last.held, last.exercised, last.lapsed, last.company))
    return points


def rights_chart(points: list[RightsPoint]) -> SafeString:
    """Four step lines over time; the legend names each, the title gives the last figures."""
    if not points:
        return mark_safe("")
    first, last = points[0].on, points[-1].on
    span = max((last - first).days, 1)
    top = max(max(p.held, p.exercised, p.lapsed, p.company) for p in points) or 1

    def x(d: date) -> float:
        return PAD_LEFT + (WIDTH - PAD_LEFT - PAD_RIGHT) * (d - first).days / span

    def y(v: int) -> float:
        return PAD_TOP + (HEIGHT - PAD_TOP - PAD_BOTTOM) * (top - v) / top

    labels = {
        "held": _("Held by holders"),
        "exercised": _("Exercised"),
        "lapsed": _("Lapsed"),
        "company": _("Held by the company"),
    }
    end = points[-1]
    title = ", ".join(f"{labels[name]}: {getattr(end, name):,}" for name, _c in LINES)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" width="100%" role="img" '
        f'data-testid="rights-chart"><title>{escape(title)}</title>',
        f'<line x1="{PAD_LEFT}" y1="{HEIGHT - PAD_BOTTOM}" x2="{WIDTH - PAD_RIGHT}" y2="{HEIGHT - PAD_BOTTOM}" stroke="#888"/>',
        f'<text x="{PAD_LEFT - 4}" y="{y(top) + 4:.1f}" font-size="10" text-anchor="end" fill="#555">{top:,}</text>',
        f'<text x="{PAD_LEFT - 4}" y="{y(0) + 4:.1f}" font-size="10" text-anchor="end" fill="#555">0</text>',
        f'<text x="{PAD_LEFT}" y="{HEIGHT - PAD_BOTTOM + 14}" font-size="10" fill="#555">{first.isoformat()}</text>',
        f'<text x="{WIDTH - PAD_RIGHT}" y="{HEIGHT - PAD_BOTTOM + 14}" font-size="10" text-anchor="end" fill="#555">'
        f"{last.isoformat()}</text>",
    ]
    for index, (name, colour) in enumerate(LINES):
        coords = []
        previous = 0
        for p in points:
            value = getattr(p, name)
            coords.append(f"{x(p.on):.1f},{y(previous):.1f}")  # a step: the value changes on the day
            coords.append(f"{x(p.on):.1f},{y(value):.1f}")
            previous = value
        parts.append(
            f'<polyline fill="none" stroke="{colour}" stroke-width="1.8" points="{" ".join(coords)}" '
            f'data-series="{name}"/>'
        )
        lx = PAD_LEFT + index * 120
        parts.append(
            f'<rect x="{lx}" y="{HEIGHT - 16}" width="10" height="10" fill="{colour}"/>'
            f'<text x="{lx + 14}" y="{HEIGHT - 7}" font-size="10" fill="#333">{escape(labels[name])}</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every label above is escaped


def series_chart_panel(*, series: Series, on: date) -> dict:
    """The series page's panel (registered in papers.apps): its rights over time."""
    return {
        "panels": ["papers/_series_chart_panel.html"],
        "rights_chart": rights_chart(rights_over_time(series, until=on)),
    }


CELL, HEAD = 34, 36


def deadline_calendar(deadlines: list, *, today: date, days: int = 30) -> SafeString:
    """Month grids from today's month to the month of the last day shown, each day with a deadline
    marked and its count; the title of a day lists what is due."""
    by_day: dict[date, list[str]] = defaultdict(list)
    for d in deadlines:
        by_day[d.due_on].append(str(d.description))
    last_day = today + timedelta(days=days)
    months = []
    year, month = today.year, today.month
    while (year, month) <= (last_day.year, last_day.month):
        months.append((year, month))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    weekdays = [_("Mon"), _("Tue"), _("Wed"), _("Thu"), _("Fri"), _("Sat"), _("Sun")]
    width = CELL * 7
    parts = []
    for year, month in months:
        weeks = calendar.Calendar(firstweekday=0).monthdatescalendar(year, month)
        height = HEAD + 16 + CELL * len(weeks)
        grid = [
            f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" '
            f'height="{height}" role="img" data-testid="deadline-calendar" data-month="{year}-{month:02d}">',
            f"<title>{escape(_('Deadlines'))} {year}-{month:02d}</title>",
            f'<text x="{width / 2}" y="18" font-size="13" text-anchor="middle" font-weight="bold">{year}-{month:02d}</text>',
        ]
        for i, name in enumerate(weekdays):
            grid.append(
                f'<text x="{i * CELL + CELL / 2}" y="{HEAD + 8}" font-size="10" text-anchor="middle" fill="#555">'
                f"{escape(name)}</text>"
            )
        for row, week in enumerate(weeks):
            for col, day in enumerate(week):
                if day.month != month:
                    continue
                cx, cy = col * CELL, HEAD + 16 + row * CELL
                due = by_day.get(day, [])
                shown = today <= day <= last_day
                fill = "#ffc107" if due else ("#ffffff" if shown else "#f3f3f3")
                stroke = "#0d6efd" if day == today else "#ccc"
                grid.append(f"<g{' data-due=' + chr(34) + day.isoformat() + chr(34) if due else ''}>")
                if due:
                    grid.append(f"<title>{escape(day.isoformat() + ': ' + '; '.join(due))}</title>")
                grid.append(
                    f'<rect x="{cx + 1}" y="{cy + 1}" width="{CELL - 2}" height="{CELL - 2}" rx="3" fill="{fill}" '
                    f'stroke="{stroke}"/><text x="{cx + 5}" y="{cy + 13}" font-size="10" fill="#333">{day.day}</text>'
                )
                if due:
                    grid.append(
                        f'<text x="{cx + CELL - 5}" y="{cy + CELL - 6}" font-size="11" font-weight="bold" '
                        f'text-anchor="end" fill="#000">{len(due)}</text>'
                    )
                grid.append("</g>")
        grid.append("</svg>")
        parts.append("".join(grid))
    return mark_safe("".join(parts))  # noqa: S308 - descriptions are escaped
