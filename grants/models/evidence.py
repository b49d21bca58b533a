"""Documents that support a request or a decision: board minutes, an heir's family register or
division agreement, a payment slip, a signed notice (docs/domain.md reading R56).

A document is a legal record like the ledger: never changed or removed. Its bytes are kept through
Django's storage API under a random name; its SHA-256 is on the ledger event that cites it (R57).
"""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from equityplan.appendonly import AppendOnlyModel

from .ledger import LedgerEvent


class Evidence(AppendOnlyModel):
    class Kind(models.TextChoices):
        BOARD_MINUTES = "board_minutes", _("Board minutes")
        FAMILY_REGISTER = "family_register", _("Family register (koseki)")
        DIVISION_AGREEMENT = "division_agreement", _("Estate division agreement")
        PAYMENT_SLIP = "payment_slip", _("Payment slip")
        SIGNED_NOTICE = "signed_notice", _("Signed notice or request")
        OTHER = "other", _("Other document")

    subject_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, related_name="+", verbose_name=_("kind of record")
    )
    subject_id = models.PositiveBigIntegerField(_("record"))
    subject = GenericForeignKey("subject_type", "subject_id")
    kind = models.CharField(_("document"), max_length=30, choices=Kind.choices)
    file = models.FileField(_("file"), max_length=200)
    filename = models.CharField(_("file name as uploaded"), max_length=200)
    media_type = models.CharField(_("media type"), max_length=40)
    size = models.PositiveIntegerField(_("size in bytes"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    ledger_event = models.OneToOneField(
        LedgerEvent, on_delete=models.PROTECT, related_name="evidence", verbose_name=_("ledger event")
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("attached by")
    )
    uploaded_at = models.DateTimeField(_("attached at"), auto_now_add=True)

    class Meta:
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")
        ordering = ["uploaded_at", "pk"]
        indexes = [models.Index(fields=["subject_type", "subject_id"], name="evidence_subject_idx")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.filename}"

    def get_absolute_url(self) -> str:
        return reverse("grants:evidence_download", args=[self.pk])
