"""Deadlines of the coming days: the series' own dates (allotment, the notices before it), windows
closing (11)2 and (11)3, and transfer decisions due before approval is deemed given (Art 266)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.utils.translation import gettext as _

from grants import hooks
from grants.domain import notices
from grants.models import Series, TransferRequest
from holders.models import Holder

from .windows import CLOSING_KINDS, LotWindows, lots_with_windows

# The shareholders' notice is due two clear weeks before the allotment (Art 240(2), docs/domain.md
# reading R10): series are looked for that far ahead, so a notice due on the last day is listed.
NOTICE_LEAD = timedelta(days=notices.SHAREHOLDERS_NOTICE_CLEAR_DAYS + 1)


@dataclass(frozen=True)
class Deadline:
    """A day by which something must happen, who it concerns and where to act on it."""

    due_on: date
    kind: str
    description: str
    series: Series | None
    holder: Holder | None
    url: str


def _series_dates(as_of: date, until: date) -> list[Deadline]:
    series_list = Series.objects.filter(
        allotment_date__gte=as_of, allotment_date__lte=until + NOTICE_LEAD
    ).select_related("company")
    rows = []
    for series in series_list:
        for kind, due_on, label in (
            ("allotment_date", series.allotment_date, _("Allotment date")),
            ("shareholders_notice", series.shareholders_notice_due, _("Shareholders' notice due (Art 240)")),
            ("allottee_notice", series.allottee_notice_due, _("Allottee notice due (Art 243)")),
        ):
            if as_of <= due_on <= until:
                rows.append(
                    Deadline(due_on, kind, f"{label}: {series.name}", series, None, series.get_absolute_url())
                )
    return rows


def _windows_closing(as_of: date, until: date, windows: LotWindows | None) -> list[Deadline]:
    rows = []
    for lot, window in lots_with_windows(closing_from=as_of) if windows is None else windows:
        holding = lot.holding
        if window.kind in CLOSING_KINDS and window.last is not None and as_of <= window.last <= until:
            label = (
                _("Window after losing office closes")
                if window.kind == "departure"
                else _("Heir's window closes")
            )
            rows.append(
                Deadline(
                    window.last,
                    f"{window.kind}_window",
                    _("%(label)s: %(rights)d rights") % {"label": label, "rights": lot.rights},
                    holding.series,
                    holding.holder,
                    holding.holder.get_absolute_url(),
                )
            )
    return rows


def _transfer_decisions(until: date) -> list[Deadline]:
    # No deadline where the series needs no approval (no due date) or its terms forbid the transfer
    # (no approval can be deemed, docs/domain.md reading R22).
    requests = TransferRequest.objects.filter(
        status=TransferRequest.Status.REQUESTED,
        decision_due_on__lte=until,
        series__transfer_prohibited_by_allotment_terms=False,
    ).select_related("series", "transferor", "transferee")
    return [
        Deadline(
            due_on,
            "transfer_decision",
            _("Board decision on a transfer to %(to)s due; afterwards deemed approved (Art 266)")
            % {"to": r.transferee.name},
            r.series,
            r.transferor,
            r.get_absolute_url(),
        )
        for r in requests
        if (due_on := r.decision_due_on) is not None
    ]


def upcoming_deadlines(*, as_of: date, days: int = 30, windows: LotWindows | None = None) -> list[Deadline]:
    """Every deadline from ``as_of`` to ``as_of + days``, earliest first, and those the registered
    sources add (grants/hooks.py; a source may look further ahead). ``windows``: as ``open_windows``."""
    until = as_of + timedelta(days=days)
    rows = [
        *_series_dates(as_of, until),
        *_windows_closing(as_of, until, windows),
        *_transfer_decisions(until),
    ]
    for source in hooks.upcoming_deadline_sources:
        rows.extend(source(as_of=as_of, until=until))
    return sorted(rows, key=lambda d: (d.due_on, d.kind, d.description))
