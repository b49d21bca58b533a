"""Holders of stock acquisition rights, the positions that qualify them, and their heirs.

This app knows nothing of series or rights (it never imports grants): a holder is a person.
"""

from datetime import date, timedelta

from django.conf import settings
from django.db import models
from django.db.models.base import ModelState
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from companies.models import Company
from equityplan.appendonly import HashChainedModel

# The languages reminders are written in (docs/domain.md reading R52).
LANGUAGE_CHOICES = [("ja", _("Japanese")), ("en", _("English"))]


class Holder(models.Model):
    """A director or executive officer who was allotted rights, or the heir who succeeded one."""

    name = models.CharField(_("name"), max_length=200, help_text=_("Full name as in the register."))
    name_kana = models.CharField(_("name (kana)"), max_length=200, blank=True)
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    language = models.CharField(
        _("language"),
        max_length=2,
        choices=LANGUAGE_CHOICES,
        default="ja",
        help_text=_("The language of the e-mails sent to the holder."),
    )
    died_on = models.DateField(
        _("died on"), null=True, blank=True, help_text=_("Date of death, recorded by the death service.")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    # Encrypted at rest (holders/my_number.py): never the clear number; set and read through services.
    my_number_encrypted = models.TextField(_("My Number (encrypted)"), blank=True, editable=False)
    my_number_last4 = models.CharField(
        _("My Number: last four digits"), max_length=4, blank=True, editable=False
    )

    class Meta:
        verbose_name = _("holder")
        verbose_name_plural = _("holders")
        ordering = ["name", "pk"]
        # One index per sort of the holders list, read in order with LIMIT (docs/domain.md R63).
        indexes = [
            models.Index(fields=["name", "id"], name="holder_by_name"),
            models.Index(fields=["name_kana", "name", "id"], name="holder_by_kana"),
            models.Index(fields=["created_at", "id"], name="holder_by_created"),
            # The deceased, few among many: the lists' totals count them from this index alone.
            models.Index(
                fields=["id"], condition=models.Q(died_on__isnull=False), name="holder_deceased_idx"
            ),
        ]
        permissions = [
            ("record_holder_events", _("Can record holder changes (legal staff)")),
            ("view_my_number", _("Can reveal a holder's My Number")),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("holders:holder_detail", args=[self.pk])

    @property
    def my_number_masked(self) -> str:
        return "**** **** " + self.my_number_last4 if self.my_number_last4 else ""

    def address_on(self, on: date) -> str:
        """The address registered on a date (the register shows the address as it stood)."""
        for entry in sorted(self.addresses.all(), key=lambda a: a.valid_from, reverse=True):
            if entry.valid_from <= on:
                return entry.address
        return ""

    @classmethod
    def named(cls, pk: int, name: str) -> "Holder":
        """A holder as ``only("id", "name")`` reads them, for long lists that show holders by name:
        another field is read when asked for (a field missing from the instance is deferred).
        Built as unpickling builds a model, without ``__init__`` and its signals (nothing listens to
        a holder's): ``__init__`` was four fifths of the cost, 28,000 times in the whole register."""
        holder = cls.__new__(cls)
        holder._state = ModelState()
        holder._state.adding = False
        holder.id, holder.name = pk, name
        return holder

    @property
    def current_address(self) -> str:
        entries = sorted(self.addresses.all(), key=lambda a: a.valid_from)
        return entries[-1].address if entries else ""

    def lost_position_on(self, company: Company | None = None) -> date | None:
        """The day the holder last stopped holding a qualifying position (at ``company`` when given),
        or None while in office there.

        Moving from director to executive officer without a day between is not a loss: the
        positions are merged into one continuous span first (docs/domain.md §2.10).
        """
        return lost_position_on(self.positions_at(company))

    def positions_at(self, company: Company | None) -> list["Position"]:
        """The holder's positions at a company (all of them when None), from the prefetched set."""
        return [p for p in self.positions.all() if company is None or p.company_id == company.pk]

    def in_office_at(self, company: Company) -> bool:
        """Whether the holder holds a qualifying position at ``company`` now (office is held at the
        issuer: a seat at another company is no office for its rights, (11)2)."""
        return any(p.ended_on is None for p in self.positions_at(company))

    @property
    def in_office(self) -> bool:
        """Whether the holder holds a qualifying position at any company."""
        return any(p.ended_on is None for p in self.positions.all())


def lost_position_on(positions) -> date | None:
    """End of the last continuous span of office, if the holder is out of office now."""
    if not positions or any(p.ended_on is None for p in positions):
        return None
    spans = sorted((p.started_on, p.ended_on) for p in positions)
    end = spans[0][1]
    for started, ended in spans[1:]:
        if started > end + timedelta(days=1):
            end = ended  # a gap: a later appointment starts a new span
        else:
            end = max(end, ended)
    return end


class HolderAddress(models.Model):
    """An address of a holder from a date: the register shows the address as of its date."""

    holder = models.ForeignKey(
        Holder, on_delete=models.PROTECT, related_name="addresses", verbose_name=_("holder")
    )
    address = models.CharField(_("address"), max_length=300)
    valid_from = models.DateField(_("valid from"))

    class Meta:
        verbose_name = _("holder address")
        verbose_name_plural = _("holder addresses")
        ordering = ["holder", "valid_from"]
        constraints = [
            models.UniqueConstraint(fields=["holder", "valid_from"], name="holder_address_one_per_day"),
        ]

    def __str__(self) -> str:
        return f"{self.holder} from {self.valid_from}: {self.address}"


class Position(models.Model):
    """An office held: director or executive officer, from a date to a date (open while held)."""

    class Title(models.TextChoices):
        DIRECTOR = "director", _("Director")
        EXECUTIVE_OFFICER = "executive_officer", _("Executive officer")

    class EndReason(models.TextChoices):
        RESIGNED = "resigned", _("Resigned")
        TERM_EXPIRED = "term_expired", _("Term expired")
        DISMISSED = "dismissed", _("Dismissed")
        RETIRED = "retired", _("Retired")
        DEATH = "death", _("Death")

    holder = models.ForeignKey(
        Holder, on_delete=models.PROTECT, related_name="positions", verbose_name=_("holder")
    )
    company = models.ForeignKey(
        Company,
        on_delete=models.PROTECT,
        related_name="positions",
        verbose_name=_("company"),
        help_text=_("Where the office is held: only an office at a series' issuer counts for (11)2."),
    )
    title = models.CharField(_("title"), max_length=30, choices=Title.choices)
    started_on = models.DateField(_("started on"))
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    end_reason = models.CharField(_("end reason"), max_length=20, choices=EndReason.choices, blank=True)

    class Meta:
        verbose_name = _("position")
        verbose_name_plural = _("positions")
        ordering = ["holder", "started_on"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ended_on__isnull=True) | models.Q(ended_on__gte=models.F("started_on")),
                name="position_ends_after_start",
            ),
            models.UniqueConstraint(
                fields=["holder", "company", "title"],
                condition=models.Q(ended_on__isnull=True),
                name="position_one_open_per_title_and_company",
            ),
        ]
        indexes = [
            # The losses of office since a date: the windows that may still be open (docs/domain.md R70).
            models.Index(
                fields=["ended_on"], condition=models.Q(ended_on__isnull=False), name="position_ended_on_idx"
            ),
            # Who is in office at a company now: the series page's totals read this index alone.
            models.Index(
                fields=["company", "holder"],
                condition=models.Q(ended_on__isnull=True),
                name="position_open_at_idx",
            ),
        ]

    def __str__(self) -> str:
        end = self.ended_on.isoformat() if self.ended_on else "…"
        return f"{self.holder}: {self.get_title_display()} {self.started_on.isoformat()}–{end}"


class Heir(models.Model):
    """The one legal heir allowed to succeed a deceased holder, notice (11)3.

    One row per deceased holder at most: the database refuses a second heir.
    """

    deceased = models.ForeignKey(
        Holder, on_delete=models.PROTECT, related_name="heir_designation", verbose_name=_("deceased holder")
    )
    heir = models.ForeignKey(
        Holder, on_delete=models.PROTECT, related_name="succeeded_from", verbose_name=_("heir")
    )
    designated_on = models.DateField(_("designated on"))
    relationship = models.CharField(_("relationship"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("heir")
        verbose_name_plural = _("heirs")
        constraints = [
            models.UniqueConstraint(fields=["deceased"], name="heir_one_per_deceased"),
            models.CheckConstraint(condition=~models.Q(deceased=models.F("heir")), name="heir_not_self"),
        ]

    def __str__(self) -> str:
        return gettext("%(heir)s (heir of %(deceased)s)") % {"heir": self.heir, "deceased": self.deceased}


class HolderEvent(HashChainedModel):
    """Append-only trail of master-data changes to holders: who, when, effective date, before/after.

    Hash-chained like the ledger (docs/adr/0007-ledger-hash-chain.md).
    """

    hash_fields = (
        "id",
        "event_type",
        "holder",
        "effective_date",
        "recorded_at",
        "recorded_by",
        "approved_by",
        "before",
        "after",
    )

    class Type(models.TextChoices):
        CREATED = "created", _("Holder created")
        ADDRESS_CHANGED = "address_changed", _("Address changed")
        POSITION_STARTED = "position_started", _("Position started")
        POSITION_ENDED = "position_ended", _("Position ended")
        DIED = "died", _("Death recorded")
        HEIR_DESIGNATED = "heir_designated", _("Heir designated")
        DETAILS_CHANGED = "details_changed", _("Details changed")
        MY_NUMBER_SET = "my_number_set", _("My Number recorded")
        MY_NUMBER_READ = "my_number_read", _("My Number revealed")
        LOGIN_GRANTED = "login_granted", _("Sign-in given")

    event_type = models.CharField(_("type"), max_length=30, choices=Type.choices)
    holder = models.ForeignKey(
        Holder, on_delete=models.PROTECT, related_name="events", verbose_name=_("holder")
    )
    effective_date = models.DateField(_("effective date"))
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now, editable=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("approved by"),
    )
    before = models.JSONField(_("before"), default=dict, blank=True)
    after = models.JSONField(_("after"), default=dict, blank=True)

    class Meta:
        verbose_name = _("holder event")
        verbose_name_plural = _("holder events")
        ordering = ["-recorded_at", "-pk"]
        # The audit trail reads newest recorded first, by keyset (docs/reliability.md fact 20).
        indexes = [
            models.Index(fields=["recorded_at", "id"], name="holderevent_recorded_idx"),
            models.Index(fields=["holder", "recorded_at", "id"], name="holderevent_holder_rec_idx"),
            models.Index(fields=["event_type", "recorded_at", "id"], name="holderevent_type_rec_idx"),
            models.Index(fields=["recorded_by", "recorded_at", "id"], name="holderevent_by_rec_idx"),
            models.Index(fields=["approved_by", "recorded_at", "id"], name="holderevent_approver_rec_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_event_type_display()}: {self.holder} ({self.effective_date})"


class HolderLogin(models.Model):
    """A sign-in of the holder (or heir) to their own view: the user sees this holder's rights only."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="holder_login",
        verbose_name=_("user"),
    )
    holder = models.ForeignKey(
        Holder, on_delete=models.PROTECT, related_name="logins", verbose_name=_("holder")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("created by")
    )

    class Meta:
        verbose_name = _("holder sign-in")
        verbose_name_plural = _("holder sign-ins")

    def __str__(self) -> str:
        return f"{self.user} -> {self.holder}"


class HolderTally(models.Model):
    """How many holders there are, how many are in office and how many deceased: the totals of the
    holders list when it shows every holder, read as one row rather than counted (docs/domain.md R63).

    One row. The holder services change it in the transaction of each change, under the holder's
    row lock (holders/tally.py); the ledger's checks compare it with a count (jobs/ledger.py).
    """

    id = models.PositiveSmallIntegerField(primary_key=True, default=1, editable=False)
    holders = models.PositiveIntegerField(_("holders"), default=0)
    in_office = models.PositiveIntegerField(_("in office"), default=0)
    deceased = models.PositiveIntegerField(_("deceased"), default=0)

    class Meta:
        verbose_name = _("holder tally")
        verbose_name_plural = _("holder tally")
        constraints = [
            models.CheckConstraint(condition=models.Q(id=1), name="holder_tally_one_row"),
            models.CheckConstraint(
                condition=models.Q(holders__gte=models.F("in_office") + models.F("deceased")),
                name="holder_tally_parts_within_whole",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.holders} holders, {self.in_office} in office, {self.deceased} deceased"
