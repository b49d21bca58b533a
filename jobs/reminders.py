"""E-mail reminders: plan the day's reminders as rows, send each once through the outbox.

Planning writes one ``Reminder`` per (recipient, kind, subject key, day), and
``jobs.services.reminders_send_due`` asks the outbox to send each one not sent; the unique key makes a second run, or two planners at once, write nothing new. Sending marks the
row "sending" in its own transaction, hands the mail to SMTP with the row's fixed Message-ID, then
marks it sent. An SMTP error leaves the row pending and the job retries; a row still pending after the
job gave up is asked for again by the next run (docs/domain.md reading R52 says why a crash between the
server's acceptance and the mark can, rarely, repeat a mail, always with the same Message-ID).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.contrib.auth.models import User
from django.core.mail import EmailMessage, get_connection
from django.core.mail.message import make_msgid
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from grants.access import visible_items
from grants.domain.calendar import previous_trading_day
from grants.models import ExerciseRequest
from grants.roles import BOARD_SECRETARY, LEGAL_STAFF
from grants.selectors.deadlines import upcoming_deadlines
from grants.selectors.windows import lots_with_windows
from holders.models import Holder
from valuations.selectors.calendar import calendar_overrides

from .models import Reminder

logger = logging.getLogger("equityplan.jobs")

Kind = Reminder.Kind
DIGEST_DAYS = 7
CLOSING_TRADING_DAYS = 3
# An exercise confirmed longer ago than this is not announced any more (the reminders started later).
CONFIRMED_LOOKBACK_DAYS = 14
WINDOW_KINDS = ("departure", "heir", "period")


@dataclass(frozen=True)
class Planned:
    """A reminder that is due: who gets it, about what, and the text."""

    kind: str
    subject_key: str
    on_date: date
    recipient: str
    language: str
    context: dict
    user: User | None = None
    holder: Holder | None = None


def closing_notice_day(last: date, overrides=None) -> date:
    """The TSE trading day three trading days before a window's last day (docs/domain.md reading R53)."""
    day = last
    for _step in range(CLOSING_TRADING_DAYS):
        day = previous_trading_day(day, overrides)
    return day


def _link(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def _holder_reminders(as_of: date) -> list[Planned]:
    planned = []
    overrides = calendar_overrides()
    for lot, window in lots_with_windows():
        holder = lot.holding.holder
        if not holder.email or holder.died_on is not None or window.kind not in WINDOW_KINDS:
            continue
        if window.first is None or window.last is None or not window.contains(as_of):
            continue
        context = {
            "holder": holder,
            "series": lot.holding.series,
            "rights": lot.rights,
            "first": window.first,
            "last": window.last,
            "link": _link("/my/"),
        }
        planned.append(
            Planned(
                Kind.WINDOW_OPENS,
                f"lot:{lot.pk}:{window.first.isoformat()}",
                window.first,
                holder.email,
                holder.language,
                context,
                holder=holder,
            )
        )
        notice_day = closing_notice_day(window.last, overrides)
        if notice_day <= as_of:
            planned.append(
                Planned(
                    Kind.WINDOW_CLOSING,
                    f"lot:{lot.pk}:{window.last.isoformat()}",
                    notice_day,
                    holder.email,
                    holder.language,
                    context,
                    holder=holder,
                )
            )
    confirmed = (
        ExerciseRequest.objects.filter(
            status=ExerciseRequest.Status.EXERCISED,
            exercised_on__lte=as_of,
            exercised_on__gte=as_of - timedelta(days=CONFIRMED_LOOKBACK_DAYS),
            holder__died_on__isnull=True,
        )
        .exclude(holder__email="")
        .select_related("holder", "series")
    )
    planned.extend(filter(None, (exercise_confirmed_planned(request) for request in confirmed)))
    return planned


def exercise_confirmed_planned(request: ExerciseRequest) -> Planned | None:
    """The holder's mail that an exercise is confirmed, or None where there is nobody to tell."""
    holder = request.holder
    if request.exercised_on is None or not holder.email or holder.died_on is not None:
        return None
    context = {"holder": holder, "series": request.series, "request": request, "link": _link("/my/")}
    return Planned(
        Kind.EXERCISE_CONFIRMED,
        f"exercise:{request.pk}",
        request.exercised_on,
        holder.email,
        holder.language,
        context,
        holder=holder,
    )


def digest_recipients() -> list[User]:
    """Active legal staff and board secretaries with an e-mail address."""
    return list(
        User.objects.filter(is_active=True, groups__name__in=[LEGAL_STAFF, BOARD_SECRETARY])
        .exclude(email="")
        .distinct()
        .order_by("pk")
    )


def _digests(as_of: date) -> list[Planned]:
    deadlines = upcoming_deadlines(as_of=as_of, days=DIGEST_DAYS)
    planned = []
    for user in digest_recipients():
        mine = visible_items(user, deadlines)  # only their companies (docs/domain.md reading R47)
        if not mine:
            continue
        rows = [{"deadline": d, "link": _link(d.url)} for d in mine]
        context = {"user": user, "as_of": as_of, "rows": rows, "days": DIGEST_DAYS}
        planned.append(
            Planned(Kind.DIGEST, "digest", as_of, user.email, settings.LANGUAGE_CODE[:2], context, user=user)
        )
    return planned


def reminders_due(*, as_of: date) -> list[Planned]:
    """Every reminder due on ``as_of``, whether or not it was already sent."""
    return [*_digests(as_of), *_holder_reminders(as_of)]


def _render(planned: Planned) -> tuple[str, str]:
    language = planned.language if planned.language in ("en", "ja") else "en"
    with translation.override(language):
        text = render_to_string(f"jobs/mail/{planned.kind}.{language}.txt", planned.context)
    subject, _sep, body = text.strip().partition("\n")
    return subject.strip(), body.strip() + "\n"


def _already(planned: Planned) -> bool:
    return Reminder.objects.filter(
        recipient=planned.recipient,
        kind=planned.kind,
        subject_key=planned.subject_key,
        on_date=planned.on_date,
    ).exists()


def reminders_plan(*, as_of: date) -> int:
    """Record the reminders due on ``as_of`` that are not recorded yet; how many. Idempotent:
    jobs.services.reminders_send_due then asks the outbox to send every one not sent."""
    return sum(reminder_record(planned) is not None for planned in reminders_due(as_of=as_of))


def reminder_record(planned: Planned) -> Reminder | None:
    """Record one planned reminder unless it is recorded already (its unique key); the new row."""
    if _already(planned):
        return None
    subject, body = _render(planned)
    reminder = Reminder(
        kind=planned.kind,
        subject_key=planned.subject_key,
        on_date=planned.on_date,
        recipient=planned.recipient,
        user=planned.user,
        holder=planned.holder,
        language=planned.language,
        subject=subject[:300],
        body=body,
        message_id=make_msgid(domain=settings.REMINDER_MESSAGE_ID_DOMAIN),
    )
    reminder.full_clean(validate_constraints=False)  # the unique key is the backstop
    try:
        with transaction.atomic():
            reminder.save()
    except IntegrityError:
        return None  # another planner recorded it meanwhile
    return reminder


def reminder_send(*, reminder_id: int) -> dict:
    """Send one reminder unless it was sent; the outbox target (idempotent)."""
    with transaction.atomic():
        reminder = Reminder.objects.select_for_update().filter(pk=reminder_id).first()
        if reminder is None or reminder.status == Reminder.Status.SENT:
            return {"reminder": reminder_id, "sent": False}
        reminder.status = Reminder.Status.SENDING
        reminder.attempts += 1
        reminder.save(update_fields=["status", "attempts"])
    message = EmailMessage(
        subject=reminder.subject,
        body=reminder.body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[reminder.recipient],
        headers={"Message-ID": reminder.message_id},
        connection=get_connection(timeout=settings.EMAIL_TIMEOUT),
    )
    try:
        message.send()
    except Exception as exc:
        Reminder.objects.filter(pk=reminder_id, status=Reminder.Status.SENDING).update(
            status=Reminder.Status.PENDING, last_error=f"{type(exc).__name__}: {exc}"[:2000]
        )
        raise
    Reminder.objects.filter(pk=reminder_id).update(
        status=Reminder.Status.SENT, sent_at=timezone.now(), last_error=""
    )
    return {"reminder": reminder_id, "sent": True}
