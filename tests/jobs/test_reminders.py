"""Reminders by e-mail against a real SMTP server on loopback (aiosmtpd), including one that is down."""

import socket
from datetime import date, timedelta
from email import message_from_bytes
from email.header import decode_header, make_header

import pytest
from aiosmtpd.controller import Controller
from django.conf import settings
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone

from grants.models import Lot
from grants.selectors.windows import lot_window
from holders import services as holder_services
from jobs.models import OutboxJob, Reminder
from jobs.reminders import closing_notice_day
from jobs.services import jobs_dispatch_due, reminders_send_due
from tests.factories import legal_user, secretary_user
from tests.factories.lifecycle import allotted_scenario, end_office

pytestmark = pytest.mark.django_db


class Inbox:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(message_from_bytes(envelope.content))
        return "250 OK"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def smtp():
    inbox = Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    with override_settings(
        EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=port,
        EMAIL_USE_TLS=False,
        EMAIL_TIMEOUT=5,
    ):
        yield inbox
    controller.stop()


@pytest.fixture
def window_case():
    """A director who resigned, with an e-mail address, in Japanese, and the window that opened."""
    legal = legal_user()
    secretary = secretary_user("secretary_with_mail")
    secretary.email = "secretary@example.test"
    secretary.save(update_fields=["email"])
    scenario = allotted_scenario(legal=legal)
    holder_services.holder_update_details(
        holder=scenario.director,
        effective_date=date(2024, 1, 1),
        actor=legal,
        email="director@example.test",
        language="ja",
    )
    end_office(scenario.director, on=date(2024, 3, 29), actor=legal)
    lot = Lot.objects.get(holding__holder=scenario.director)
    window = lot_window(lot)
    assert window.first is not None and window.last is not None
    return scenario, window, legal


def plan(as_of, capture):
    with capture(execute=True):
        return reminders_send_due(as_of=as_of)


def test_smtp_down_delays_the_reminder_and_a_later_run_sends_it_once(
    window_case, django_capture_on_commit_callbacks
):
    scenario, window, _legal = window_case
    dead_port = free_port()  # nothing listens here
    with override_settings(
        EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=dead_port,
        EMAIL_TIMEOUT=2,
    ):
        plan(window.first, django_capture_on_commit_callbacks)
    opened = Reminder.objects.get(kind=Reminder.Kind.WINDOW_OPENS, holder=scenario.director)
    assert opened.status == Reminder.Status.PENDING
    assert "ConnectionRefusedError" in opened.last_error
    # The send stays open in the outbox: dispatch_due (or the next run) tries it again.
    job = OutboxJob.objects.get(task="jobs.send_reminder", kwargs={"reminder_id": opened.pk})
    assert job.is_open

    inbox = Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        with override_settings(
            EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
            EMAIL_HOST="127.0.0.1",
            EMAIL_PORT=port,
        ):
            # The outbox's recovery path re-sends the job once it is stale (docs/reliability.md fact 3).
            later = timezone.now() + timedelta(seconds=settings.JOBS_STALE_AFTER_SECONDS + 60)
            with django_capture_on_commit_callbacks(execute=True):
                jobs_dispatch_due(now=later)
                jobs_dispatch_due(now=later + timedelta(seconds=settings.JOBS_STALE_AFTER_SECONDS + 60))
            plan(window.first + timedelta(days=1), django_capture_on_commit_callbacks)
    finally:
        controller.stop()
    opened.refresh_from_db()
    assert opened.status == Reminder.Status.SENT
    assert opened.attempts == 2
    ids = [m["Message-ID"] for m in inbox.messages]
    assert ids.count(opened.message_id) == 1


def test_window_reminders_in_the_holders_language_once(window_case, smtp, django_capture_on_commit_callbacks):
    scenario, window, _legal = window_case
    first = plan(window.first, django_capture_on_commit_callbacks)
    again = plan(window.first, django_capture_on_commit_callbacks)
    assert again["recorded"] == 0
    to_holder = [m for m in smtp.messages if m["To"] == "director@example.test"]
    assert len(to_holder) == 1
    body = to_holder[0].get_payload(decode=True).decode()
    subject = str(make_header(decode_header(to_holder[0]["Subject"])))
    assert subject.endswith("の行使期間が始まりました")
    assert "行使できます" in body and scenario.series.name in body
    reminder = Reminder.objects.get(holder=scenario.director, kind=Reminder.Kind.WINDOW_OPENS)
    assert to_holder[0]["Message-ID"] == reminder.message_id
    assert reminder.status == Reminder.Status.SENT and reminder.sent_at is not None
    assert first["recorded"] >= 1

    notice_day = closing_notice_day(window.last)
    assert notice_day < window.last
    plan(notice_day - timedelta(days=1), django_capture_on_commit_callbacks)
    assert not Reminder.objects.filter(kind=Reminder.Kind.WINDOW_CLOSING).exists()
    plan(notice_day, django_capture_on_commit_callbacks)
    closing = Reminder.objects.get(kind=Reminder.Kind.WINDOW_CLOSING, holder=scenario.director)
    assert closing.on_date == notice_day and closing.status == Reminder.Status.SENT
    assert "3営業日後" in closing.body


def test_the_digest_goes_to_staff_with_mail_of_their_companies(
    window_case, smtp, django_capture_on_commit_callbacks
):
    from companies.models import CompanyAccess
    from tests.factories import CompanyFactory

    scenario, window, _legal = window_case
    elsewhere = legal_user("legal_elsewhere")
    elsewhere.email = "elsewhere@example.test"
    elsewhere.save(update_fields=["email"])
    CompanyAccess.objects.create(user=elsewhere, company=CompanyFactory())
    as_of = window.last - timedelta(days=2)
    plan(as_of, django_capture_on_commit_callbacks)
    digests = Reminder.objects.filter(kind=Reminder.Kind.DIGEST)
    assert [d.recipient for d in digests] == ["secretary@example.test"]
    digest = digests.get()
    assert scenario.director.name in digest.body
    assert "/holders/" in digest.body
    assert any(m["To"] == "secretary@example.test" for m in smtp.messages)


def test_command_dry_run_records_nothing_and_a_second_run_sends_nothing(
    window_case, smtp, django_capture_on_commit_callbacks, capsys
):
    _scenario, window, _legal = window_case
    call_command("send_reminders", "--as-of", window.first.isoformat(), "--dry-run")
    assert "window_opens to director@example.test" in capsys.readouterr().out
    assert not Reminder.objects.exists() and not smtp.messages
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_reminders", "--as-of", window.first.isoformat())
    sent = len(smtp.messages)
    assert sent >= 1
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_reminders", "--as-of", window.first.isoformat())
    assert len(smtp.messages) == sent
    assert "0 new" in capsys.readouterr().out.splitlines()[-1]


def test_exercise_confirmed_is_announced(window_case, smtp, django_capture_on_commit_callbacks):
    from grants import services
    from grants.models import Holding

    scenario, window, legal = window_case
    holding = Holding.objects.get(holder=scenario.director)
    request = services.exercise_request(holding=holding, rights=10, requested_on=window.first, actor=legal)
    # Sent with the confirmation itself, not with the next morning's run.
    with django_capture_on_commit_callbacks(execute=True):
        services.exercise_confirm_payment(request=request, received_on=window.first, actor=legal)
    confirmed = Reminder.objects.get(kind=Reminder.Kind.EXERCISE_CONFIRMED)
    assert confirmed.status == Reminder.Status.SENT
    assert [m["Message-ID"] for m in smtp.messages] == [confirmed.message_id]
    assert "行使されました" in confirmed.body
    # The morning run records and sends it no second time.
    plan(window.first, django_capture_on_commit_callbacks)
    assert Reminder.objects.filter(kind=Reminder.Kind.EXERCISE_CONFIRMED).count() == 1
    assert [m["Message-ID"] for m in smtp.messages].count(confirmed.message_id) == 1
    # Rights exercised: the window-open reminder no longer applies to an empty lot.
    assert not Reminder.objects.filter(kind=Reminder.Kind.WINDOW_OPENS).exists()


def test_sent_reminders_show_on_the_holder_page_and_the_reminders_page(
    window_case, smtp, django_capture_on_commit_callbacks, client, django_assert_max_num_queries
):
    from django.urls import reverse

    from companies.models import CompanyAccess
    from tests.factories import CompanyFactory, auditor_user

    scenario, window, legal = window_case
    plan(window.first, django_capture_on_commit_callbacks)
    reminder = Reminder.objects.get(holder=scenario.director, kind=Reminder.Kind.WINDOW_OPENS)
    client.force_login(legal)
    page = client.get(scenario.director.get_absolute_url()).content.decode()
    assert 'data-testid="holder-reminders"' in page and reminder.subject in page
    with django_assert_max_num_queries(12):
        listing = client.get(reverse("jobs:reminder_list"))
    assert listing.status_code == 200 and reminder.message_id.strip("<>") in listing.content.decode()
    # A user limited to another company sees neither the holder's reminders nor others' digests.
    outsider = auditor_user("auditor_elsewhere")
    CompanyAccess.objects.create(user=outsider, company=CompanyFactory())
    client.force_login(outsider)
    assert reminder.message_id.strip("<>") not in client.get(reverse("jobs:reminder_list")).content.decode()
