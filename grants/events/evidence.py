"""A document attached to a request or decision: its SHA-256 is on the event (docs/domain.md R57)."""

from __future__ import annotations

from django.contrib.auth.models import User

from grants.models import LedgerEvent, Series
from grants.services.ledger import ledger_record
from holders.models import Holder

from ._common import Type


def event_evidence_attached(
    *,
    subject_label: str,
    subject_id: int,
    series: Series | None,
    holder: Holder | None,
    kind: str,
    filename: str,
    media_type: str,
    size: int,
    sha256: str,
    on,
    actor: User,
) -> LedgerEvent:
    return ledger_record(
        event_type=Type.EVIDENCE_ATTACHED,
        effective_date=on,
        actor=actor,
        series=series,
        holder=holder,
        payload={
            "subject": subject_label,
            "subject_id": subject_id,
            "kind": kind,
            "filename": filename,
            "media_type": media_type,
            "size": size,
            "sha256": sha256,
        },
    )
