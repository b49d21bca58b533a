"""Many holders at once: the records and trail of holder_create + position_start each, flat queries."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from equityplan.clock import today
from holders import services
from holders.models import Holder, HolderAddress, HolderEvent, Position
from jobs.ledger import verify_ledger
from tests.factories import CompanyFactory

pytestmark = pytest.mark.django_db

D, E = Position.Title.DIRECTOR, Position.Title.EXECUTIVE_OFFICER


def _people(tag: str, n: int = 4) -> list[services.NewHolder]:
    return [
        services.NewHolder(
            name=f" {tag} {i} ",
            name_kana=f"テスト {i}",
            address=f" {i}-1 Otemachi, Tokyo ",
            address_from=date(2020, 4, 1 + i),
            email=f"p{i}@example.jp" if i % 2 else "",
            title=D if i % 2 else E,
            started_on=date(2021, 6, 1 + i),
        )
        for i in range(n)
    ]


def _trail(holders: list[Holder]) -> list[tuple]:
    index = {h.pk: i for i, h in enumerate(holders)}
    positions = {p.pk: index[p.holder_id] for p in Position.objects.filter(holder__in=holders)}
    rows = []
    for e in HolderEvent.objects.filter(holder__in=holders).order_by("pk"):
        after = dict(e.after)
        if "position_id" in after:
            after["position_id"] = positions[after["position_id"]]
        after["name"] = after.get("name", "").split(" ")[-1]  # the tag differs, the number not
        rows.append((index[e.holder_id], e.event_type, e.effective_date, e.recorded_by_id, e.before, after))
    return rows


def _records(holders: list[Holder]) -> list[tuple]:
    return [
        (
            h.name.split(" ")[-1],
            h.name_kana,
            h.email,
            h.language,
            list(HolderAddress.objects.filter(holder=h).values_list("address", "valid_from")),
            list(Position.objects.filter(holder=h).values_list("title", "started_on", "ended_on", "company")),
        )
        for h in holders
    ]


def test_many_write_what_holder_create_and_position_start_write(legal):
    company = CompanyFactory()
    single = []
    for p in _people("One"):
        holder = services.holder_create(
            name=p.name, name_kana=p.name_kana, address=p.address, address_from=p.address_from, email=p.email,
            actor=legal,
        )  # fmt: skip
        services.position_start(
            holder=holder, company=company, title=p.title, started_on=p.started_on, actor=legal
        )
        single.append(holder)

    many = services.holders_create_many(people=_people("Many"), company=company, actor=legal)

    assert [h.name for h in many] == [f"Many {i}" for i in range(4)]  # stripped as holder_create does
    assert _records(many) == _records(single)
    assert _trail(many) == _trail(single)
    outcome = verify_ledger()
    assert outcome.ok, outcome.problems


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"started_on": today() + timedelta(days=1)}, "is after today"),
        ({"email": "not an address"}, "Enter a valid email address."),
        ({"name": ""}, "This field cannot be blank."),
        ({"title": "auditor"}, "is not a valid choice."),
    ],
)
def test_a_refused_person_is_named_and_nothing_is_written(legal, change, message):
    people = _people("Bad")
    people[2] = services.NewHolder(**{**vars(people[2]), **change})
    counts = (Holder.objects.count(), HolderEvent.objects.count(), Position.objects.count())
    with pytest.raises(ValidationError) as excinfo:
        services.holders_create_many(people=people, company=CompanyFactory(), actor=legal)
    (text,) = excinfo.value.messages
    assert text.startswith("Row 3: ") and message in text, text
    assert (Holder.objects.count(), HolderEvent.objects.count(), Position.objects.count()) == counts


def _queries(legal, n: int) -> int:
    company = CompanyFactory()
    with CaptureQueriesContext(connection) as queries:
        services.holders_create_many(people=_people(f"Q{n}", n), company=company, actor=legal)
    return len(queries)


def test_the_queries_do_not_grow_with_the_people(legal):
    small, large = _queries(legal, 2), _queries(legal, 30)
    assert small == large
    assert large <= 12, large
