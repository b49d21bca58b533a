"""The holder tally under concurrent changes to one holder, on PostgreSQL where the transactions overlap."""

from datetime import date

import pytest

from holders import services, tally
from holders.models import Position
from tests.factories import CompanyFactory, issuer, legal_user, make_holder
from tests.factories.lifecycle import end_office
from tests.infra.concurrency import run_concurrently

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_two_offices_ended_at_once_take_the_holder_out_of_office_once():
    legal = legal_user()
    tally.recount()  # the tables were flushed by the test before
    home = issuer()
    holder = make_holder(actor=legal, company=home)
    other = services.position_start(
        holder=holder, company=CompanyFactory(), title="director", started_on=date(2015, 1, 1), actor=legal
    )
    positions = [holder.positions.get(company=home), other]

    def end(pk):
        services.position_end(
            position=Position.objects.get(pk=pk), ended_on=date(2020, 3, 31), reason="resigned", actor=legal
        )

    results = run_concurrently(end, [(p.pk,) for p in positions])
    assert results == [("ok", None), ("ok", None)]
    assert tally.kept() == tally.counted() == {"holders": 1, "in_office": 0, "deceased": 0}


def test_two_first_offices_taken_at_once_bring_the_holder_into_office_once():
    legal = legal_user()
    tally.recount()
    holder = make_holder(actor=legal, company=issuer())
    end_office(holder, on=date(2019, 3, 31), actor=legal)
    companies = [issuer(), CompanyFactory()]

    def start(company_pk):
        from companies.models import Company

        services.position_start(
            holder=holder,
            company=Company.objects.get(pk=company_pk),
            title="director",
            started_on=date(2020, 6, 1),
            actor=legal,
        )

    results = run_concurrently(start, [(c.pk,) for c in companies])
    assert results == [("ok", None), ("ok", None)]
    assert tally.kept() == tally.counted() == {"holders": 1, "in_office": 1, "deceased": 0}


def test_a_death_while_an_office_ends_counts_the_holder_once():
    legal = legal_user()
    tally.recount()
    holder = make_holder(actor=legal, company=issuer())
    position = holder.positions.get()

    def end():
        services.position_end(position=position, ended_on=date(2020, 3, 31), reason="resigned", actor=legal)

    def die():
        services.holder_record_death(holder=holder, died_on=date(2020, 4, 1), actor=legal)

    results = run_concurrently(lambda f: f(), [(end,), (die,)])
    # Either the office ends and then the death is recorded, or the death ends it first.
    assert results in ([("ok", None), ("ok", None)], [("err", "ValidationError"), ("ok", None)]), results
    assert tally.kept() == tally.counted()
    assert tally.kept()["deceased"] == 1 and tally.kept()["in_office"] == 0
