from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from equityplan import clock
from holders import services
from holders.models import Heir, HolderEvent, Position
from tests.factories import issuer, make_holder

pytestmark = pytest.mark.django_db


def test_holder_create_records_who_and_the_address(legal):
    holder = services.holder_create(
        name="山田 太郎 (fictional)", address="東京都千代田区1-1", address_from=date(2013, 4, 1), actor=legal
    )
    assert holder.address_on(date(2013, 4, 1)) == "東京都千代田区1-1"
    assert holder.address_on(date(2013, 3, 31)) == ""
    event = HolderEvent.objects.get(holder=holder)
    assert event.event_type == HolderEvent.Type.CREATED and event.recorded_by == legal
    assert event.after["address"] == "東京都千代田区1-1"


def test_address_history_answers_as_of_a_date(legal):
    holder = make_holder(actor=legal)
    services.holder_change_address(
        holder=holder, address="2-2 New-cho", valid_from=date(2015, 1, 1), actor=legal
    )
    assert holder.address_on(date(2014, 12, 31)) == "1-1 Test-cho, Chiyoda-ku, Tokyo"
    assert holder.address_on(date(2015, 1, 1)) == "2-2 New-cho"
    event = HolderEvent.objects.get(holder=holder, event_type=HolderEvent.Type.ADDRESS_CHANGED)
    assert event.before == {"address": "1-1 Test-cho, Chiyoda-ku, Tokyo"}


def test_ending_the_only_position_is_a_loss_of_office(legal):
    holder = make_holder(actor=legal)
    position = holder.positions.get()
    services.position_end(position=position, ended_on=date(2014, 6, 30), reason="term_expired", actor=legal)
    assert holder.lost_position_on() == date(2014, 6, 30)
    event = HolderEvent.objects.get(holder=holder, event_type=HolderEvent.Type.POSITION_ENDED)
    assert event.after["ended_on"] == "2014-06-30" and event.recorded_by == legal


def test_director_becoming_executive_officer_has_not_lost_office(legal):
    holder = make_holder(actor=legal)
    services.position_start(
        holder=holder,
        company=issuer(),
        title=Position.Title.EXECUTIVE_OFFICER,
        started_on=date(2014, 6, 27),
        actor=legal,
    )
    director = holder.positions.get(title=Position.Title.DIRECTOR)
    services.position_end(position=director, ended_on=date(2014, 6, 27), reason="term_expired", actor=legal)
    assert holder.lost_position_on() is None
    officer = holder.positions.get(title=Position.Title.EXECUTIVE_OFFICER)
    services.position_end(position=officer, ended_on=date(2016, 3, 31), reason="resigned", actor=legal)
    assert holder.lost_position_on() == date(2016, 3, 31)


def test_a_gap_between_positions_is_a_loss_on_the_first_end(legal):
    holder = make_holder(actor=legal)
    services.position_end(
        position=holder.positions.get(), ended_on=date(2014, 6, 27), reason="resigned", actor=legal
    )
    services.position_start(
        holder=holder,
        company=issuer(),
        title=Position.Title.DIRECTOR,
        started_on=date(2015, 6, 1),
        actor=legal,
    )
    services.position_end(
        position=holder.positions.get(ended_on__isnull=True),
        ended_on=date(2016, 6, 1),
        reason="resigned",
        actor=legal,
    )
    # Out of office since the later end; the earlier gap was a loss too (its window came and went).
    assert holder.lost_position_on() == date(2016, 6, 1)


def test_position_cannot_end_twice_or_before_it_started(legal):
    holder = make_holder(actor=legal)
    position = holder.positions.get()
    with pytest.raises(ValidationError, match="before it started"):
        services.position_end(position=position, ended_on=date(2000, 1, 1), reason="resigned", actor=legal)
    services.position_end(position=position, ended_on=date(2014, 1, 1), reason="resigned", actor=legal)
    with pytest.raises(ValidationError, match="already ended"):
        services.position_end(position=position, ended_on=date(2014, 1, 2), reason="resigned", actor=legal)


def test_database_allows_one_heir_per_deceased_holder(legal):
    deceased, heir, other = make_holder(actor=legal), make_holder(actor=legal), make_holder(actor=legal)
    Heir.objects.create(deceased=deceased, heir=heir, designated_on=date(2020, 1, 1))
    with pytest.raises(IntegrityError), transaction.atomic():
        Heir.objects.create(deceased=deceased, heir=other, designated_on=date(2020, 1, 2))


@pytest.mark.parametrize("action", ["position_start", "position_end", "holder_record_death", "heir_record"])
def test_no_change_to_a_holder_is_dated_after_today(legal, action):
    """A position, a death or an heir is recorded once it has happened: a later day is a field error."""
    holder = make_holder(actor=legal)
    tomorrow = clock.today() + timedelta(days=1)
    heir = make_holder(actor=legal)
    if action == "heir_record":
        services.holder_record_death(holder=holder, died_on=date(2020, 8, 20), actor=legal)
    calls = {
        "position_start": lambda: services.position_start(
            holder=holder,
            company=issuer(),
            title=Position.Title.EXECUTIVE_OFFICER,
            started_on=tomorrow,
            actor=legal,
        ),
        "position_end": lambda: services.position_end(
            position=holder.positions.get(), ended_on=tomorrow, reason="resigned", actor=legal
        ),
        "holder_record_death": lambda: services.holder_record_death(
            holder=holder, died_on=tomorrow, actor=legal
        ),
        "heir_record": lambda: services.heir_record(
            deceased=holder, heir=heir, designated_on=tomorrow, actor=legal
        ),
    }
    field = {
        "position_start": "started_on",
        "position_end": "ended_on",
        "holder_record_death": "died_on",
        "heir_record": "designated_on",
    }[action]
    trail = HolderEvent.objects.count()
    with pytest.raises(ValidationError) as refused:
        calls[action]()
    assert [e.code for e in refused.value.error_dict[field]] == ["future"]
    assert HolderEvent.objects.count() == trail
    holder.refresh_from_db()
    assert holder.positions.filter(ended_on__isnull=True).count() == (0 if action == "heir_record" else 1)
