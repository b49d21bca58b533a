"""A large holders file imported in the background, as an outbox target (docs/domain.md reading R58).

Knows nothing of the outbox: it takes the job's kwargs and returns a JSON-ready result. Running it
twice is harmless: the import runs only from the queued state. The count of rows done is recorded
after each batch (grants.services.bulk_import.BATCH rows, written with bulk inserts).
"""

from __future__ import annotations

from django.contrib.auth import get_user_model

from grants.bulk import progress
from grants.models import HolderImport
from grants.services.bulk_import import holder_import_run


def holder_import(*, batch_id: int, actor_id: int) -> dict:
    batch = HolderImport.objects.get(pk=batch_id)
    actor = get_user_model().objects.get(pk=actor_id)
    batch = holder_import_run(
        batch=batch, actor=actor, progress=lambda done, _total: progress.record(batch_id, done)
    )
    return {
        "batch_id": batch.pk,
        "status": batch.status,
        "holders_created": batch.holders_created,
        "allotments_created": batch.allotments_created,
        "error": batch.error,
    }
