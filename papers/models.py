"""Register PDFs prepared in the background: who asked, for what, how far it is, and the file.

Bookkeeping, not a legal record (the register is the ledger's): a row is written when someone asks
for a big register PDF, moved by the worker with conditional UPDATEs (docs/reliability.md fact 1),
and holds the finished file's name in the default storage with its SHA-256 and size.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from grants.models import Series


class RegisterPdfJob(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting for the worker")
        RUNNING = "running", _("Being prepared")
        SUCCEEDED = "succeeded", _("Ready")
        FAILED = "failed", _("Failed")

    OPEN_STATUSES = (Status.QUEUED, Status.RUNNING)

    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("asked for by")
    )
    created_at = models.DateTimeField(_("asked for at"), default=timezone.now)
    as_of = models.DateField(_("as of"))
    known_on = models.DateField(_("as known on"), null=True, blank=True)
    series = models.ForeignKey(
        Series, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("series")
    )
    companies = models.JSONField(
        _("companies"),
        null=True,
        blank=True,
        help_text=_("The ids of the companies read; empty: every company."),
    )
    language = models.CharField(_("language"), max_length=8)
    dedupe_key = models.CharField(_("deduplication key"), max_length=200)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveIntegerField(_("runs started"), default=0)
    rows_done = models.PositiveIntegerField(_("entries laid out"), default=0)
    rows_total = models.PositiveIntegerField(_("entries"), default=0)
    pages = models.PositiveIntegerField(_("pages"), default=0)
    error = models.TextField(_("error"), blank=True)
    file = models.FileField(_("file"), max_length=300, blank=True)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    size = models.PositiveBigIntegerField(_("size in bytes"), default=0)
    touched_at = models.DateTimeField(_("last news at"), default=timezone.now)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("register PDF")
        verbose_name_plural = _("register PDFs")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["dedupe_key"],
                condition=models.Q(status__in=["queued", "running"]),
                name="register_pdf_job_one_open_per_key",
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=["queued", "running", "succeeded", "failed"]),
                name="register_pdf_job_status_known",
            ),
            models.CheckConstraint(
                condition=models.Q(rows_done__lte=models.F("rows_total")),
                name="register_pdf_job_progress_bounded",
            ),
        ]
        indexes = [models.Index(fields=["requested_by", "-created_at"], name="register_pdf_job_by_user")]

    def __str__(self) -> str:
        return f"register PDF #{self.pk} as of {self.as_of} ({self.get_status_display()})"

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES

    @property
    def percent(self) -> int:
        return 100 * self.rows_done // self.rows_total if self.rows_total else 0

    @property
    def filename(self) -> str:
        suffix = f"-series-{self.series.number}" if self.series is not None else ""
        return f"register-{self.as_of.isoformat()}{suffix}.pdf"
