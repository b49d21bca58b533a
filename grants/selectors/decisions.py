"""The board secretary's queue: every matter awaiting a decision, oldest first, in a fixed number of
queries. Higher apps add their own matters through ``grants.hooks.pending_decision_sources``."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db.models import Q
from django.utils.translation import gettext as _

from grants import hooks
from grants.models import CorporateAction, InheritanceCase, LedgerEvent, Series, TransferRequest


@dataclass(frozen=True)
class Decision:
    """One matter awaiting a decision: what it is, who asked and when, and by when the law wants it."""

    kind: str
    label: str
    description: str
    requested_at: datetime
    requested_by: Any  # the user who recorded what is to be decided (None where nobody did)
    deadline: date | None
    url: str
    subject: Any


def _draft_series() -> list[Decision]:
    drafts = list(Series.objects.filter(status=Series.Status.DRAFT).select_related("company"))
    creators = {
        e.series_id: e.recorded_by
        for e in LedgerEvent.objects.filter(
            event_type=LedgerEvent.Type.SERIES_CREATED, series__in=drafts
        ).select_related("recorded_by")
    }
    return [
        Decision(
            kind="series",
            label=_("Series to be resolved by the board"),
            description=_("Resolve %(series)s: up to %(rights)s rights, allotment on %(date)s")
            % {"series": s.name, "rights": f"{s.max_rights:,}", "date": s.allotment_date.isoformat()},
            requested_at=s.created_at,
            requested_by=creators.get(s.pk),
            deadline=s.allotment_date,
            url=s.get_absolute_url(),
            subject=s,
        )
        for s in drafts
    ]


def _transfers() -> list[Decision]:
    """Requests awaiting the board: the Art 266 due date is the deadline. A series that needs no
    approval has nothing to decide; a request the allotment terms forbid, recorded before that was
    enforced, waits for the board's refusal and has no deadline (docs/domain.md reading R22)."""
    requests = (
        TransferRequest.objects.filter(
            Q(
                status=TransferRequest.Status.REQUESTED,
                series__transfer_requires_board_approval=True,
                series__transfer_prohibited_by_allotment_terms=False,
            )
            | Q(status__in=TransferRequest.OPEN_STATUSES, series__transfer_prohibited_by_allotment_terms=True)
        )
        .select_related("series", "transferor", "transferee", "requested_by")
        .order_by("requested_at", "pk")
    )
    rows = []
    for r in requests:
        prohibited = r.series.transfer_prohibited_by_allotment_terms
        rows.append(
            Decision(
                kind="transfer",
                label=_("Transfer the allotment terms forbid (11)4: to be refused")
                if prohibited
                else _("Transfer"),
                description=(
                    _("Refuse the transfer of %(rights)s rights of %(series)s from %(from)s to %(to)s")
                    if prohibited
                    else _("Approve the transfer of %(rights)s rights of %(series)s from %(from)s to %(to)s")
                )
                % {
                    "rights": f"{r.rights:,}",
                    "series": r.series.name,
                    "from": r.transferor.name,
                    "to": r.transferee.name,
                },
                requested_at=r.requested_at,
                requested_by=r.requested_by,
                deadline=None if prohibited else r.decision_due_on,
                url=r.get_absolute_url(),
                subject=r,
            )
        )
    return rows


def _inheritance_cases() -> list[Decision]:
    cases = InheritanceCase.objects.filter(status=InheritanceCase.Status.HEIR_DESIGNATED).select_related(
        "deceased", "heir", "heir_designated_by"
    )
    rows = []
    for c in cases:
        assert c.heir is not None  # heir_designate sets the heir with this status
        rows.append(
            Decision(
                kind="inheritance",
                label=_("Inheritance"),
                description=_("Approve %(heir)s to succeed %(deceased)s")
                % {"heir": c.heir.name, "deceased": c.deceased.name},
                requested_at=c.heir_designated_at or c.requested_at,
                requested_by=c.heir_designated_by,
                deadline=None,
                url=c.get_absolute_url(),
                subject=c,
            )
        )
    return rows


def _corporate_actions() -> list[Decision]:
    actions = CorporateAction.objects.filter(status=CorporateAction.Status.PROPOSED).select_related(
        "company", "requested_by"
    )
    return [
        Decision(
            kind="corporate_action",
            label=_("Corporate action"),
            description=_("Approve the %(kind)s %(ratio)s at %(company)s")
            % {
                "kind": a.get_kind_display().lower(),
                "ratio": f"{a.ratio_numerator}:{a.ratio_denominator}",
                "company": a.company.name,
            },
            requested_at=a.requested_at,
            requested_by=a.requested_by,
            deadline=a.applies_from,
            url=a.get_absolute_url(),
            subject=a,
        )
        for a in actions
    ]


def pending_decisions() -> list[Decision]:
    """Every matter awaiting the board secretary, oldest first, with its deadline where there is one."""
    rows = [*_draft_series(), *_transfers(), *_inheritance_cases(), *_corporate_actions()]
    for source in hooks.pending_decision_sources:
        rows.extend(source())
    return sorted(rows, key=lambda d: (d.requested_at, d.kind))
