"""The holder tally: the holders list's totals kept by the holder services, never drifting from a
count of the holders (docs/domain.md R63)."""

from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from companies.models import CompanyAccess
from holders import services, tally
from holders.models import Holder, HolderTally, Position
from jobs.ledger import verify_ledger
from tests.factories import CompanyFactory, issuer, legal_user, make_holder
from tests.factories.lifecycle import new_person

pytestmark = pytest.mark.django_db

URL = reverse("holders:holder_list")


@pytest.fixture(autouse=True)
def kept_tally(db):
    """A test that flushed the tables before this one took the tally's row with them."""
    tally.recount()


def assert_kept() -> None:
    assert tally.kept() == tally.counted()


def test_every_holder_service_keeps_the_tally(legal):
    home, other = issuer(), CompanyFactory()
    alone = new_person(actor=legal, name="Alone (fictional)")
    assert tally.kept() == {"holders": 1, "in_office": 0, "deceased": 0}
    first = services.position_start(
        holder=alone, company=home, title=Position.Title.DIRECTOR, started_on=date(2015, 6, 1), actor=legal
    )
    assert tally.kept() == {"holders": 1, "in_office": 1, "deceased": 0}
    # A second office, at another company, and a second title at the first: still one holder in office.
    second = services.position_start(
        holder=alone, company=other, title=Position.Title.DIRECTOR, started_on=date(2016, 6, 1), actor=legal
    )
    services.position_start(
        holder=alone,
        company=home,
        title=Position.Title.EXECUTIVE_OFFICER,
        started_on=date(2016, 6, 1),
        actor=legal,
    )
    services.position_end(position=first, ended_on=date(2017, 3, 31), reason="resigned", actor=legal)
    services.position_end(position=second, ended_on=date(2017, 3, 31), reason="resigned", actor=legal)
    assert tally.kept() == {"holders": 1, "in_office": 1, "deceased": 0}
    last = Position.objects.get(holder=alone, ended_on__isnull=True)
    services.position_end(position=last, ended_on=date(2018, 3, 31), reason="retired", actor=legal)
    assert tally.kept() == {"holders": 1, "in_office": 0, "deceased": 0}
    # Re-appointed after the window ran out: in office again.
    services.position_start(
        holder=alone, company=home, title=Position.Title.DIRECTOR, started_on=date(2020, 6, 1), actor=legal
    )
    assert tally.kept()["in_office"] == 1
    # A death ends the offices: deceased, no longer in office; a death out of office is deceased only.
    services.holder_record_death(holder=alone, died_on=date(2024, 1, 5), actor=legal)
    retired = make_holder(actor=legal, name="Retired (fictional)")
    services.position_end(
        position=retired.positions.get(), ended_on=date(2022, 3, 31), reason="retired", actor=legal
    )
    services.holder_record_death(holder=retired, died_on=date(2024, 2, 1), actor=legal)
    assert tally.kept() == {"holders": 2, "in_office": 0, "deceased": 2}
    people = [
        services.NewHolder(
            name=f"Bulk {i} (fictional)",
            address="1-1 Test-cho",
            address_from=date(2020, 4, 1),
            title=Position.Title.DIRECTOR,
            started_on=date(2020, 6, 1),
        )
        for i in range(3)
    ]
    services.holders_create_many(people=people, company=home, actor=legal)
    assert tally.kept() == {"holders": 5, "in_office": 3, "deceased": 2}
    assert_kept()


def test_a_refused_change_changes_no_figure(legal):
    holder = make_holder(actor=legal, name="Held (fictional)")
    before = tally.kept()
    with pytest.raises(Exception, match="already holds"):
        services.position_start(
            holder=holder,
            company=issuer(),
            title=Position.Title.DIRECTOR,
            started_on=date(2020, 1, 1),
            actor=legal,
        )
    with pytest.raises(Exception, match="Row 2"):
        services.holders_create_many(
            people=[
                services.NewHolder("Fine (fictional)", "1-1", date(2020, 1, 1), "director", date(2020, 1, 1)),
                services.NewHolder(
                    "Later (fictional)", "1-1", date(2020, 1, 1), "director", date(9999, 12, 31)
                ),
            ],
            company=issuer(),
            actor=legal,
        )
    assert tally.kept() == before
    assert_kept()


ACTIONS = st.lists(
    st.tuples(st.sampled_from(["create", "start", "end", "die"]), st.integers(0, 5), st.integers(0, 1)),
    min_size=1,
    max_size=25,
)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(actions=ACTIONS)
def test_the_tally_equals_a_count_after_any_sequence_of_changes(legal, actions):
    companies = [issuer(), CompanyFactory()]
    with transaction.atomic():
        tally.recount()
        people: list[Holder] = []
        for action, who, where in actions:
            holder = people[who % len(people)] if people else None
            if action == "create" or holder is None:
                people.append(new_person(actor=legal, name=f"P{len(people)} (fictional)"))
                continue
            holder.refresh_from_db()
            open_here = holder.positions.filter(company=companies[where], ended_on__isnull=True)
            if action == "start" and holder.died_on is None and not open_here.exists():
                services.position_start(
                    holder=holder,
                    company=companies[where],
                    title=Position.Title.DIRECTOR,
                    started_on=date(2020, 1, 1),
                    actor=legal,
                )
            elif action == "end" and open_here.exists():
                services.position_end(
                    position=open_here.get(), ended_on=date(2021, 1, 1), reason="resigned", actor=legal
                )
            elif action == "die" and holder.died_on is None:
                services.holder_record_death(holder=holder, died_on=date(2022, 1, 1), actor=legal)
            assert_kept()
        assert_kept()
        transaction.set_rollback(True)


def test_the_list_reads_the_tally_only_for_every_holder_unfiltered(client, legal):
    make_holder(actor=legal, name="Home (fictional)")
    other = CompanyFactory()
    make_holder(actor=legal, name="Other (fictional)", company=other)
    # A tally set apart from the count shows which the list read.
    HolderTally.objects.filter(pk=1).update(holders=9, in_office=7, deceased=1)
    client.force_login(legal)
    assert client.get(URL).context["totals"] == {
        "holders": 9,
        "in_office": 7,
        "out_of_office": 1,
        "deceased": 1,
    }
    assert client.get(URL, {"q": "fictional"}).context["totals"]["holders"] == 2
    assert client.get(URL, {"status": "in_office"}).context["totals"]["holders"] == 2
    limited = legal_user("limited_legal")
    CompanyAccess.objects.create(user=limited, company=other)
    client.force_login(limited)
    assert client.get(URL).context["totals"]["holders"] == 1


def test_without_its_row_the_list_counts(client, legal):
    make_holder(actor=legal, name="Home (fictional)")
    HolderTally.objects.all().delete()
    services.holder_create(
        name="After (fictional)", address="1-1", address_from=date(2020, 1, 1), actor=legal
    )
    client.force_login(legal)
    assert client.get(URL).context["totals"] == {
        "holders": 2,
        "in_office": 1,
        "out_of_office": 1,
        "deceased": 0,
    }
    assert verify_ledger(record=False).ok


def test_the_full_check_finds_a_tally_that_drifted(legal):
    make_holder(actor=legal, name="Home (fictional)")
    assert verify_ledger().ok  # recorded: the daily check starts from it
    HolderTally.objects.filter(pk=1).update(in_office=0)
    assert verify_ledger(full=False).ok  # the daily sweep counts no holder
    outcome = verify_ledger(record=False)
    assert [str(p) for p in outcome.problems] == [
        "holders_holdertally row 1: the tally keeps 0 for in_office, the holders count 1"
    ]
    with pytest.raises(CommandError, match="holders_holdertally"):
        call_command("verify_ledger", "--full")
    tally.recount()
    assert verify_ledger(record=False).ok


def test_the_recount_command_sets_the_tally_from_a_count(legal):
    make_holder(actor=legal, name="Home (fictional)")
    HolderTally.objects.filter(pk=1).update(holders=5)
    out = StringIO()
    call_command("holder_tally_recount", stdout=out)
    assert "from {'holders': 5, 'in_office': 1, 'deceased': 0} to {'holders': 1" in out.getvalue()
    assert_kept()
    out = StringIO()
    call_command("holder_tally_recount", stdout=out)
    assert "unchanged" in out.getvalue()


def test_the_admin_shows_the_tally_and_sets_it_from_a_count(client, legal):
    from django.contrib.auth import get_user_model

    make_holder(actor=legal, name="Home (fictional)")
    HolderTally.objects.filter(pk=1).update(holders=5)
    client.force_login(get_user_model().objects.create_superuser("root", "root@example.invalid", "pw"))
    url = reverse("admin:holders_holdertally_changelist")
    assert client.get(url).status_code == 200
    response = client.post(url, {"action": "recount", "_selected_action": ["1"]}, follow=True)
    assert "Holder tally set from a count" in response.text
    assert_kept()
    change = reverse("admin:holders_holdertally_change", args=[1])
    assert client.post(change, {"holders": "9"}).status_code == 403
