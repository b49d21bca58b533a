"""Property: whatever sequence of lifecycle events happens, the register balances.

For every series: the sum of the ledger's rights deltas per holder equals that holder's holding, and
allotted = held by holders + held by the company + exercised + lapsed + cancelled + restructured,
with allotted never above the maximum.

The register computed from the ledger (`register_with_totals_as_of`) agrees: after every event, its
entries (the holders' and the company's own rights) are the holdings and the company's count the
services keep, its totals those of the balance; as of the date of each operation, its entries sum
to what the ledger's events up to that date say, each line (a holder's, or the company's: acquired
less cancelled) counted when it holds rights at all.
"""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from grants import services
from grants.models import CompanyHeldRights, Holding, LedgerEvent, Series
from grants.selectors import series_rights_balance
from grants.selectors.register import register_with_totals_as_of
from grants.selectors.register_replay import register_replayed
from papers.selectors import series_summary
from tests.factories import CompanyFactory, secretary_user
from tests.factories.lifecycle import allotted_scenario, end_office, new_person
from tests.grants.register_compare import assert_projection_equals_replay, register_figures

pytestmark = pytest.mark.django_db

OPS = st.lists(
    st.tuples(
        st.sampled_from(
            ["transfer", "exercise", "depart", "death", "lapse", "acquire", "cancel", "restructure", "split"]
        ),
        st.integers(0, 3),  # which holder
        st.integers(1, 25),  # rights
        st.integers(0, 400),  # days after 2020-01-01
    ),
    max_size=12,
)


class Rollback(Exception):
    pass


AFTER_EVERYTHING = date(2100, 1, 1)


def _ledger_lines(series, on):
    """Each register line's rights as the ledger's events up to ``on`` sum them: per holder, and the
    company's (acquired by it, less cancelled)."""
    lines: dict = {}
    for event in LedgerEvent.objects.filter(series=series, effective_date__lte=on):
        if event.holder_id is not None:
            lines[event.holder_id] = lines.get(event.holder_id, 0) + event.rights_delta
        if event.event_type == LedgerEvent.Type.ACQUIRED_BY_COMPANY:
            lines["company"] = lines.get("company", 0) - event.rights_delta
        elif event.event_type == LedgerEvent.Type.CANCELLED:
            lines["company"] = lines.get("company", 0) - event.payload["rights"]
    return lines


def _check_register(series_list, on):
    register = register_with_totals_as_of(as_of=AFTER_EVERYTHING)
    totals = {t.series.pk: t for t in register.totals}
    for series in series_list:
        balance = series_rights_balance(series=series)
        held = CompanyHeldRights.objects.filter(series=series).first()
        entries = {
            ("company" if r.company_held else r.holder.pk): r.rights
            for r in register.rows
            if r.series == series
        }
        holdings = {h.holder_id: h.rights for h in Holding.objects.filter(series=series, rights__gt=0)}
        if held is not None and held.rights:
            holdings["company"] = held.rights
        assert entries == holdings
        total = totals.get(series.pk)
        figures = (
            (
                total.allotted,
                total.held_by_holders,
                total.held_by_company,
                total.exercised,
                total.lapsed,
                total.cancelled,
                total.restructured,
            )
            if total is not None
            else (0,) * 7
        )
        assert figures == tuple(
            balance[k]
            for k in (
                "allotted",
                "held_by_holders",
                "held_by_company",
                "exercised",
                "lapsed",
                "cancelled",
                "restructured",
            )
        ), (figures, balance)
        assert total is None or total.balanced
        # As of the operation's date, the register sums what the ledger says up to that date.
        dated = register_with_totals_as_of(as_of=on, series=series)
        lines = _ledger_lines(series, on)
        assert dated.total_rights == sum(r for r in lines.values() if r > 0), (dated.rows, lines)
        assert sum(r.rights for r in dated.rows if r.company_held) == max(lines.get("company", 0), 0)
        if all(r >= 0 for r in lines.values()) and dated.totals:
            assert dated.totals[0].balanced, dated.totals[0]
        # The projection the register reads equals a replay of the events (every date: at the end).
        assert register_figures(dated) == register_figures(register_replayed(as_of=on, series=series))
    assert register_figures(register) == register_figures(register_replayed(as_of=AFTER_EVERYTHING))


def _check(series_list, on):
    for series in series_list:
        series.refresh_from_db()
        balance = series_rights_balance(series=series)
        assert balance["balanced"], balance
        assert series.allotted_rights <= series.max_rights
        assert all(h.rights >= 0 for h in Holding.objects.filter(series=series))
        # A holding is the sum of its lots, each lot non-negative (docs/domain.md §2.10).
        for h in Holding.objects.filter(series=series).prefetch_related("lots"):
            lots = list(h.lots.all())
            assert all(lot.rights >= 0 for lot in lots)
            assert sum(lot.rights for lot in lots) == h.rights, (
                h,
                [(lot.origin, lot.rights) for lot in lots],
            )
    # The dashboard's summary reads the register's last totals row: the holdings' figures.
    summary = {row["series"].pk: (row["rights_held"], row["holders"]) for row in series_summary()}
    for series in series_list:
        held = Holding.objects.filter(series=series, rights__gt=0)
        assert summary[series.pk] == (sum(h.rights for h in held), held.count()), series
    _check_register(series_list, on)


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(ops=OPS)
def test_register_balances_after_any_sequence(legal, ops):
    try:
        with transaction.atomic():
            secretary = secretary_user("prop_secretary")
            s = allotted_scenario(legal=legal, transfer_prohibited_by_allotment_terms=False)  # (11)4 off
            people = [s.director, s.officer, s.other, new_person(actor=legal, name="Outsider")]
            series_list = [s.series]
            for op, who, rights, offset in ops:
                on = date(2020, 1, 1) + timedelta(days=offset)
                holder = people[who]
                holder.refresh_from_db()
                h = Holding.objects.filter(series=s.series, holder=holder).first()
                try:
                    with transaction.atomic():
                        if op == "transfer" and h is not None:
                            t = services.transfer_request(
                                holding=h,
                                transferee=people[(who + 1) % 4],
                                rights=rights,
                                requested_on=on,
                                actor=legal,
                            )
                            services.transfer_approve(
                                request=t,
                                resolution_date=on,
                                resolution_reference="B",
                                notified_on=on,
                                notified_how="letter",
                                actor=secretary,
                            )
                            services.transfer_register(request=t, registered_on=on, actor=legal)
                        elif op == "exercise" and h is not None:
                            r = services.exercise_request(
                                holding=h, rights=rights, requested_on=on, actor=legal
                            )
                            services.exercise_confirm_payment(request=r, received_on=on, actor=legal)
                        elif op == "depart":
                            end_office(holder, on=on, actor=legal)
                        elif op == "death":
                            services.death_record(holder=holder, died_on=on, actor=legal)
                            case = services.inheritance_open(deceased=holder, actor=legal)
                            heir = new_person(actor=legal, name=f"Heir of {holder.pk}")
                            services.heir_designate(case=case, heir=heir, designated_on=on, actor=legal)
                            services.inheritance_approve(
                                case=case,
                                succeeded_on=on,
                                resolution_date=on,
                                resolution_reference="S",
                                actor=secretary,
                            )
                            people[who] = heir
                        elif op == "lapse" and h is not None:
                            for lot in h.lots.filter(rights__gt=0):
                                for reason in services.LapseReason.values:
                                    try:
                                        services.rights_lapse(
                                            lot=lot,
                                            reason=reason,
                                            as_of=on + timedelta(days=200),
                                            actor=legal,
                                        )
                                        break
                                    except ValidationError:
                                        continue
                        elif op == "acquire":
                            a = services.company_acquisition_resolve(
                                series=s.series,
                                trigger="merger",
                                proposal_approved_on=on,
                                acquisition_date=on,
                                resolution_date=on,
                                resolution_reference="B",
                                actor=secretary,
                            )
                            services.company_acquisition_execute(acquisition=a, as_of=on, actor=legal)
                        elif op == "cancel":
                            services.rights_cancel(
                                series=s.series,
                                rights=rights,
                                cancelled_on=on,
                                resolution_date=on,
                                resolution_reference="B",
                                actor=legal,
                            )
                        elif op == "restructure":
                            record = services.restructuring_apply(
                                series=s.series,
                                successor_company=CompanyFactory(),
                                kind="merger",
                                effective_date=on,
                                successor_number=1,
                                shares_per_right=100,
                                resolution_date=on,
                                resolution_reference="M",
                                actor=secretary,
                            )
                            series_list.append(record.successor_series)
                        elif op == "split":
                            action = services.corporate_action_record(
                                company=s.series.company,
                                kind="split",
                                ratio_numerator=2,
                                ratio_denominator=1,
                                record_date=on,
                                actor=legal,
                            )
                            services.corporate_action_approve(
                                action=action, resolution_date=on, resolution_reference="B", actor=secretary
                            )
                except ValidationError:
                    pass  # a refusal is a legitimate outcome; the register must balance either way
                _check(series_list, on)
            assert Series.objects.get(pk=s.series.pk).allotted_rights == 35
            assert_projection_equals_replay()
            raise Rollback
    except Rollback:
        pass
