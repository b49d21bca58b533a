from datetime import date
from decimal import Decimal

from grants import services
from grants.models import LedgerEvent, ShareAdjustment
from grants.selectors import RegisterRow, register_as_of
from holders import services as holder_services
from holders.models import Holder
from tests.factories import CompanyFactory, allot, make_holder, make_series

from .conftest import ALLOTMENT, record


def test_seed_register_on_the_allotment_date_lists_17_holders_with_135_rights(seed_series):
    rows = register_as_of(as_of=ALLOTMENT)
    assert len(rows) == 17
    assert sum(r.rights for r in rows) == 135
    assert {r.acquired_on for r in rows} == {ALLOTMENT}
    assert {r.shares_per_right for r in rows} == {200}
    first = next(r for r in rows if r.holder.name == "Ichiro Sample (fictional)")
    assert isinstance(first, RegisterRow)
    assert first.rights == 25
    assert first.shares == 5000
    assert first.series == seed_series
    assert first.exercise_price_per_share_yen == Decimal("1")
    assert (first.exercise_period_start, first.exercise_period_end) == (date(2013, 7, 12), date(2043, 7, 11))
    assert first.share_class == "common stock"
    assert first.certificate_numbers == ""
    assert first.address.startswith("1-1 Fictional-cho")


def test_each_holder_is_one_object_with_their_name_and_reads_the_rest_when_asked(
    seed_series, legal, django_assert_num_queries
):
    other = make_series(actor=legal, max_rights=10)
    holder = Holder.objects.get(name="Ichiro Sample (fictional)")
    allot(series=other, holder=holder, rights=3, actor=legal)
    rows = [
        r for r in register_as_of(as_of=date.today()) if r.holder is not None and r.holder.pk == holder.pk
    ]
    assert len(rows) == 2 and rows[0].holder is rows[1].holder
    with django_assert_num_queries(0):
        assert rows[0].holder.name == holder.name
    with django_assert_num_queries(1):  # a field the register does not read is read on demand
        assert rows[0].holder.email == holder.email


def test_register_before_the_allotment_is_empty(seed_series):
    assert register_as_of(as_of=date(2013, 7, 10)) == []


def test_restricted_to_one_series(seed_series, legal):
    other = make_series(actor=legal, max_rights=10)
    holder = make_holder(actor=legal)
    allot(series=other, holder=holder, rights=3, actor=legal)
    assert len(register_as_of(as_of=ALLOTMENT)) == 18
    only = register_as_of(as_of=ALLOTMENT, series=other)
    assert [(r.holder, r.rights) for r in only] == [(holder, 3)]
    assert sum(r.rights for r in register_as_of(as_of=ALLOTMENT, series=seed_series)) == 135


def test_exercise_and_lapse_reduce_and_drop_holdings_on_their_dates(seed_series, legal):
    ichiro = Holder.objects.get(name="Ichiro Sample (fictional)")
    naoko = Holder.objects.get(name="Naoko Demo (fictional)")
    record(
        event_type=LedgerEvent.Type.EXERCISED,
        series=seed_series,
        holder=ichiro,
        rights_delta=-5,
        on=date(2015, 1, 5),
        actor=legal,
    )
    record(
        event_type=LedgerEvent.Type.LAPSED,
        series=seed_series,
        holder=naoko,
        rights_delta=-10,
        on=date(2016, 4, 11),
        actor=legal,
    )
    before = {r.holder.name: r.rights for r in register_as_of(as_of=date(2015, 1, 4))}
    middle = {r.holder.name: r.rights for r in register_as_of(as_of=date(2015, 1, 5))}
    after = {r.holder.name: r.rights for r in register_as_of(as_of=date(2016, 4, 11))}
    assert before[ichiro.name] == 25 and middle[ichiro.name] == 20
    assert naoko.name in middle and naoko.name not in after
    assert sum(after.values()) == 135 - 5 - 10
    assert len(after) == 16


def test_acquisition_date_of_a_transfer_and_a_succession(seed_series, legal):
    keiko = Holder.objects.get(name="Keiko Example (fictional)")
    heir = holder_services.holder_create(
        name="Heir Person (test)", address="9-9 Heir-cho", address_from=date(2014, 1, 1), actor=legal
    )
    record(
        event_type=LedgerEvent.Type.SUCCESSION,
        series=seed_series,
        holder=keiko,
        rights_delta=-15,
        on=date(2014, 2, 1),
        actor=legal,
    )
    record(
        event_type=LedgerEvent.Type.SUCCESSION,
        series=seed_series,
        holder=heir,
        rights_delta=15,
        on=date(2014, 2, 1),
        actor=legal,
    )
    rows = {r.holder.pk: r for r in register_as_of(as_of=date(2014, 3, 1))}
    assert keiko.pk not in rows
    assert rows[heir.pk].rights == 15
    assert rows[heir.pk].acquired_on == date(2014, 2, 1)
    assert rows[heir.pk].address == "9-9 Heir-cho"


def test_acquired_on_is_the_earliest_lot_still_held(seed_series, legal):
    """Lots leave first-in first-out: once the allotted rights are all gone, the transfer's date shows."""
    ichiro = Holder.objects.get(name="Ichiro Sample (fictional)")
    record(
        event_type=LedgerEvent.Type.TRANSFER_REGISTERED,
        series=seed_series,
        holder=ichiro,
        rights_delta=4,
        on=date(2014, 5, 1),
        actor=legal,
    )
    assert (
        next(r for r in register_as_of(as_of=date(2014, 5, 1)) if r.holder == ichiro).acquired_on == ALLOTMENT
    )
    record(
        event_type=LedgerEvent.Type.EXERCISED,
        series=seed_series,
        holder=ichiro,
        rights_delta=-25,
        on=date(2015, 5, 1),
        actor=legal,
    )
    row = next(r for r in register_as_of(as_of=date(2015, 5, 1)) if r.holder == ichiro)
    assert (row.rights, row.acquired_on) == (4, date(2014, 5, 1))


def test_address_as_registered_on_the_date(seed_series, legal):
    ichiro = Holder.objects.get(name="Ichiro Sample (fictional)")
    holder_services.holder_change_address(
        holder=ichiro, address="2-2 New-cho, Minato-ku", valid_from=date(2020, 4, 1), actor=legal
    )
    old = next(r for r in register_as_of(as_of=date(2020, 3, 31)) if r.holder == ichiro)
    new = next(r for r in register_as_of(as_of=date(2020, 4, 1)) if r.holder == ichiro)
    assert old.address.startswith("1-1 Fictional-cho")
    assert new.address == "2-2 New-cho, Minato-ku"


def test_shares_per_right_on_the_date_after_a_split(seed_series):
    ShareAdjustment.objects.create(
        series=seed_series,
        applies_from=date(2015, 4, 1),
        ratio_numerator=2,
        ratio_denominator=1,
        shares_per_right=400,
        cause=ShareAdjustment.Cause.SPLIT,
    )
    assert {r.shares_per_right for r in register_as_of(as_of=date(2015, 3, 31))} == {200}
    assert {r.shares_per_right for r in register_as_of(as_of=date(2015, 4, 1))} == {400}


def test_query_count_does_not_grow_with_the_number_of_holders(seed_series, legal, django_assert_num_queries):
    with django_assert_num_queries(5):  # series, adjustments, totals, lines with names, addresses
        rows = register_as_of(as_of=ALLOTMENT)
        [(r.address, r.shares_per_right, r.series.company.name) for r in rows]
    for n in range(5):
        holder = make_holder(actor=legal, name=f"Extra {n}")
        record(
            event_type=LedgerEvent.Type.TRANSFER_REGISTERED,
            series=seed_series,
            holder=holder,
            rights_delta=1,
            on=date(2014, 1, 1),
            actor=legal,
        )
    with django_assert_num_queries(5):  # series, adjustments, totals, lines with names, addresses
        rows = register_as_of(as_of=date(2014, 1, 1))
        [(r.address, r.shares_per_right, r.series.company.name) for r in rows]
    assert len(rows) == 22


def test_query_count_is_the_same_with_the_companys_own_rights_in_several_series(
    seed_series, legal, secretary, django_assert_num_queries
):
    """The company's entries come from the same events and series: five queries, however many
    holders and series, with or without them."""
    other = make_series(actor=legal, company=CompanyFactory(), max_rights=10)
    for n in range(3):
        allot(series=other, holder=make_holder(actor=legal, name=f"Other {n}"), rights=2, actor=legal)
    for series in (seed_series, other):
        acquisition = services.company_acquisition_resolve(
            series=series,
            trigger="merger",
            proposal_approved_on=date(2020, 6, 26),
            acquisition_date=date(2020, 8, 3),
            resolution_date=date(2020, 7, 1),
            resolution_reference="Board 2020-07",
            actor=secretary,
        )
        services.company_acquisition_execute(acquisition=acquisition, as_of=date(2020, 8, 3), actor=legal)
    services.rights_cancel(
        series=other,
        rights=1,
        cancelled_on=date(2020, 9, 1),
        resolution_date=date(2020, 8, 20),
        resolution_reference="B",
        actor=legal,
    )
    with django_assert_num_queries(5):  # series, adjustments, totals, lines with names, addresses
        rows = register_as_of(as_of=date(2020, 9, 1))
        [(r.address, r.holder_name, r.shares_per_right, r.series.company.name) for r in rows]
    # By company name: "Example Holdings ..." before "Internet Initiative Japan Inc."
    assert [(r.series, r.company_held, r.rights) for r in rows] == [
        (other, True, 5),
        (seed_series, True, 135),
    ]
    with django_assert_num_queries(5):  # series, adjustments, totals, lines with names, addresses
        rows = register_as_of(as_of=date(2020, 8, 2))
        [(r.address, r.holder_name, r.shares_per_right, r.series.company.name) for r in rows]
    assert len(rows) == 20 and not any(r.company_held for r in rows)
