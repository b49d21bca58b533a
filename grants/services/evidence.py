"""Attaching a document to the request or decision it supports (docs/domain.md readings R56, R57).

The file is checked by its content (``grants.evidence_files``), stored through Django's storage API
under a random name, and cited by an ``evidence_attached`` ledger event carrying its SHA-256; the
Evidence row points at that event. Nothing is stored when any step refuses.
"""

from __future__ import annotations

import hashlib
import secrets

from django.contrib.auth.models import User
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Model
from django.utils.translation import gettext as _

from equityplan.clock import today
from grants import events
from grants.evidence_files import check_file
from grants.models import CorporateAction, Evidence, ExerciseRequest, InheritanceCase, Series, TransferRequest

# The records a document can support, by the name in their URL; valuations add "valuation"
# (ValuationsConfig.ready), since grants may not import them.
SUBJECTS: dict[str, type[Model]] = {
    "series": Series,
    "transfer": TransferRequest,
    "inheritance": InheritanceCase,
    "exercise": ExerciseRequest,
    "corporate-action": CorporateAction,
}


def subject_label(subject) -> str:
    for label, model in SUBJECTS.items():
        if isinstance(subject, model):
            return label
    raise ValidationError(_("Documents cannot be attached to this kind of record."), code="subject")


def _series_and_holder(subject):
    series = subject if isinstance(subject, Series) else getattr(subject, "series", None)
    holder = None
    for name in ("holder", "transferor", "deceased"):
        holder = getattr(subject, name, None)
        if holder is not None:
            break
    return series, holder


def _clean_filename(filename: str) -> str:
    name = "".join(
        c for c in filename.rsplit("/", 1)[-1].rsplit("\\", 1)[-1] if c.isprintable() and c not in '"'
    )
    return name.strip()[:200] or "document"


@transaction.atomic
def evidence_attach(*, subject, kind: str, data: bytes, filename: str, actor: User) -> Evidence:
    label = subject_label(subject)
    if kind not in Evidence.Kind.values:
        raise ValidationError(_("Choose what the document is."), code="kind")
    checked = check_file(data)
    digest = hashlib.sha256(data).hexdigest()
    filename = _clean_filename(filename)
    series, holder = _series_and_holder(subject)
    event = events.event_evidence_attached(
        subject_label=label,
        subject_id=subject.pk,
        series=series,
        holder=holder,
        kind=kind,
        filename=filename,
        media_type=checked.media_type,
        size=len(data),
        sha256=digest,
        on=today(),
        actor=actor,
    )
    stored = default_storage.save(
        f"evidence/{today():%Y/%m}/{secrets.token_hex(16)}.{checked.extension}", ContentFile(data)
    )
    try:
        evidence = Evidence(
            subject_type=ContentType.objects.get_for_model(subject),
            subject_id=subject.pk,
            kind=kind,
            file=stored,
            filename=filename,
            media_type=checked.media_type,
            size=len(data),
            sha256=digest,
            ledger_event=event,
            uploaded_by=actor,
        )
        evidence.full_clean()
        evidence.save()
    except Exception:
        default_storage.delete(stored)
        raise
    return evidence


def evidence_for(subject) -> list[Evidence]:
    """The documents attached to a record, oldest first (one query)."""
    return list(
        Evidence.objects.filter(
            subject_type=ContentType.objects.get_for_model(subject), subject_id=subject.pk
        ).select_related("uploaded_by")
    )
