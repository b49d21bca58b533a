"""A file of new holders (and their allotments) read, shown row by row, then written all or nothing.

The upload keeps every row as read and its problems; nothing reaches the register until the person
confirms a file with no problem, and then every row goes through the same services as the forms
(docs/domain.md reading R58).
"""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from companies.models import Company

from .series import Series


class HolderImport(models.Model):
    class Status(models.TextChoices):
        PREVIEWED = "previewed", _("Read, not imported")
        QUEUED = "queued", _("Waiting to be imported")
        RUNNING = "running", _("Importing")
        DONE = "done", _("Imported")
        FAILED = "failed", _("Refused: nothing imported")

    company = models.ForeignKey(
        Company, on_delete=models.PROTECT, related_name="+", verbose_name=_("company")
    )
    series = models.ForeignKey(
        Series,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("series"),
        help_text=_("Where the rights column is allotted; empty for holders only."),
    )
    filename = models.CharField(_("file"), max_length=255)
    rows = models.JSONField(_("rows"), default=list, help_text=_("Every row as read, with its problems."))
    problem_rows = models.PositiveIntegerField(_("rows with problems"), default=0)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PREVIEWED)
    error = models.TextField(_("why it was refused"), blank=True)
    holders_created = models.PositiveIntegerField(_("holders created"), default=0)
    allotments_created = models.PositiveIntegerField(_("allotments created"), default=0)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("uploaded by")
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("holder import")
        verbose_name_plural = _("holder imports")
        ordering = ["-uploaded_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.filename} ({self.get_status_display()})"

    def get_absolute_url(self) -> str:
        return reverse("grants:holder_import_detail", args=[self.pk])

    @property
    def row_count(self) -> int:
        return len(self.rows)
