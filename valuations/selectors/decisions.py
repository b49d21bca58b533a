"""Valuations awaiting the board secretary: a final valuation as of its series' allotment date fixes the
amount paid per right once approved (12). They join the secretary's queue through
``grants.hooks.pending_decision_sources``."""

from __future__ import annotations

from django.db.models import F
from django.utils.translation import gettext as _

from grants.selectors import Decision
from valuations.models import Valuation


def valuations_awaiting_approval() -> list[Decision]:
    valuations = Valuation.objects.filter(
        status=Valuation.Status.FINAL, valuation_date=F("series__allotment_date")
    ).select_related("series", "computed_by", "finalized_by")
    return [
        Decision(
            kind="valuation",
            label=_("Valuation"),
            description=_(
                "Approve %(amount)s yen x %(rights)s rights as the amount paid for %(series)s (as of %(date)s)"
            )
            % {
                "series": v.series.name,
                "amount": f"{v.amount_per_right_yen:,}",
                "rights": f"{v.series.allotted_rights:,}",
                "date": v.valuation_date.isoformat(),
            },
            requested_at=v.finalized_at or v.computed_at,
            requested_by=v.finalized_by or v.computed_by,
            deadline=v.series.payment_date,
            url=v.get_absolute_url(),
            subject=v,
        )
        for v in valuations
    ]
