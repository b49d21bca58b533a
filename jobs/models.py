"""Background work as rows: the outbox from which Celery tasks are dispatched, and their record.

A request that asks for background work writes an ``OutboxJob`` in its own transaction; the row is
sent to the broker after commit and re-sent by the frequent ``dispatch_due`` task when the broker
was down or the worker host died (docs/reliability.md facts 3 and 4). The same row records each run:
attempts, result or error, and times, for the series page and the task-run page.
"""

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from grants.models import Series


class OutboxJob(models.Model):
    """One piece of background work asked for (by a person, a schedule or the sweep) and its runs."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        DISPATCHED = "dispatched", _("Sent to the queue")
        RUNNING = "running", _("Running")
        WAITING = "waiting", _("Waiting for data")
        SUCCEEDED = "succeeded", _("Succeeded")
        FAILED = "failed", _("Failed")

    OPEN_STATUSES = (Status.PENDING, Status.DISPATCHED, Status.RUNNING, Status.WAITING)
    DONE_STATUSES = (Status.SUCCEEDED, Status.FAILED)

    task = models.CharField(
        _("task"), max_length=100, help_text=_("Name in jobs.registry, e.g. 'grants.daily_sweep'.")
    )
    kwargs = models.JSONField(
        _("arguments"), default=dict, encoder=DjangoJSONEncoder, help_text=_("Ids and ISO dates only.")
    )
    dedupe_key = models.CharField(
        _("deduplication key"),
        max_length=200,
        help_text=_("At most one job that is not done per key: asking twice gives the same job."),
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveIntegerField(_("runs started"), default=0)
    dispatches = models.PositiveIntegerField(_("times sent to the queue"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    result = models.JSONField(_("result"), null=True, blank=True, encoder=DjangoJSONEncoder)
    available_at = models.DateTimeField(
        _("due at"), default=timezone.now, help_text=_("Not sent to the queue before this time.")
    )
    created_at = models.DateTimeField(_("asked for at"), auto_now_add=True)
    dispatched_at = models.DateTimeField(_("last sent at"), null=True, blank=True)
    started_at = models.DateTimeField(_("last started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("asked for by"),
        help_text=_("Empty when a schedule asked for it."),
    )
    series = models.ForeignKey(
        Series,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="jobs",
        verbose_name=_("series"),
        help_text=_("The series the work is about, if any (shown on its page)."),
    )

    class Meta:
        verbose_name = _("background job")
        verbose_name_plural = _("background jobs")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["dedupe_key"],
                condition=models.Q(status__in=["pending", "dispatched", "running", "waiting"]),
                name="outbox_job_one_open_per_key",
            ),
            models.CheckConstraint(
                condition=models.Q(
                    status__in=["pending", "dispatched", "running", "waiting", "succeeded", "failed"]
                ),
                name="outbox_job_status_known",
            ),
        ]
        indexes = [models.Index(fields=["status", "available_at"], name="outbox_job_due")]

    def __str__(self) -> str:
        return f"{self.task} #{self.pk} ({self.get_status_display()})"

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES

    @property
    def duration(self):
        if self.started_at and self.finished_at and self.finished_at >= self.started_at:
            return self.finished_at - self.started_at
        return None


class LedgerCheck(models.Model):
    """One run of the ledger's verifier (``verify_ledger``, the daily sweep): the last good one's chain
    heads are what the next run expects to find still there (docs/adr/0007-ledger-hash-chain.md), and
    where an incremental run starts (docs/reliability.md fact 19)."""

    class Kind(models.TextChoices):
        FULL = "full", _("Full: every row")
        INCREMENTAL = "incremental", _("Incremental: the rows since the last good check")

    checked_at = models.DateTimeField(_("checked at"), default=timezone.now)
    kind = models.CharField(_("kind of check"), max_length=20, choices=Kind.choices, default=Kind.FULL)
    ok = models.BooleanField(_("ledger intact"))
    rows = models.PositiveBigIntegerField(_("rows checked"))
    first_problem = models.TextField(_("first problem found"), blank=True)
    result = models.JSONField(_("result"), default=dict, encoder=DjangoJSONEncoder)

    class Meta:
        verbose_name = _("ledger check")
        verbose_name_plural = _("ledger checks")
        ordering = ["-checked_at", "-pk"]
        indexes = [models.Index(fields=["kind", "-checked_at"], name="ledger_check_kind_latest")]

    def __str__(self) -> str:
        return f"{self.checked_at:%Y-%m-%d %H:%M} {'ok' if self.ok else self.first_problem}"


class Reminder(models.Model):
    """One e-mail reminder, recorded before it is sent and sent once (docs/domain.md reading R52).

    The key (recipient, kind, subject key, on date) is unique, so planning the same day twice, or two
    planners at once, writes one row; the send goes through the outbox and marks the row sent.
    """

    class Kind(models.TextChoices):
        DIGEST = "digest", _("Morning digest of deadlines")
        WINDOW_OPENS = "window_opens", _("Window opened")
        WINDOW_CLOSING = "window_closing", _("Window closes in 3 business days")
        EXERCISE_CONFIRMED = "exercise_confirmed", _("Exercise confirmed")

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting to be sent")
        SENDING = "sending", _("Being sent")
        SENT = "sent", _("Sent")

    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    subject_key = models.CharField(
        _("about"), max_length=100, help_text=_("What the reminder is about, e.g. 'lot:12' or 'exercise:5'.")
    )
    on_date = models.DateField(_("for the day"))
    recipient = models.EmailField(_("recipient"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reminders",
        verbose_name=_("user"),
    )
    holder = models.ForeignKey(
        "holders.Holder",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reminders",
        verbose_name=_("holder"),
    )
    language = models.CharField(_("language"), max_length=2)
    subject = models.CharField(_("subject"), max_length=300)
    body = models.TextField(_("text"))
    message_id = models.CharField(_("Message-ID"), max_length=200, unique=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveIntegerField(_("sends tried"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("planned at"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        ordering = ["-on_date", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "kind", "subject_key", "on_date"], name="reminder_once_per_key"
            ),
            models.CheckConstraint(
                condition=models.Q(user__isnull=False) | models.Q(holder__isnull=False),
                name="reminder_has_a_person",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} to {self.recipient} ({self.on_date})"
