"""The register PDF's Celery task: pass the job's id, let papers.pdfjobs do the work.

Acknowledged late and rejected when its worker process dies, so a killed worker's PDF is laid out
again (docs/reliability.md fact 2). The limits stay under Redis's visibility timeout, after which an
unacknowledged task would be handed out a second time (docs/reliability.md fact 3).
"""

from celery import shared_task
from django.conf import settings

from . import pdfjobs

SOFT_TIME_LIMIT = int(getattr(settings, "REGISTER_PDF_TIME_LIMIT_SECONDS", 1800))


@shared_task(
    name=pdfjobs.TASK_NAME,
    acks_late=True,
    reject_on_worker_lost=True,
    soft_time_limit=SOFT_TIME_LIMIT,
    time_limit=SOFT_TIME_LIMIT + 60,
)
def register_pdf(job_id: int) -> str:
    # The soft limit is raised inside the run, which records it on the job as a failure.
    return pdfjobs.register_pdf_run(job_id=job_id)
