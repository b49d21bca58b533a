"""Property: whatever sequence of lifecycle events happens, the register balances.

For every series: the sum of the ledger's rights deltas per holder equals that holder's holding, and
allotted = held by holders + held by the company + exercised + lapsed + cancelled + restructured,
with allotted never above the maximum.
"""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from grants import services
from grants.models import Holding, Series
from grants.selectors import series_rights_balance
from tests.factories import CompanyFactory, secretary_user
from tests.factories.lifecycle import allotted_scenario, end_office, new_person

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


def _check(series_list):
    for series in series_list:
        series.refresh_from_db()
        balance = series_rights_balance(series=series)
        assert balance["balanced"], balance
        assert series.allotted_rights <= series.max_rights
        assert all(h.rights >= 0 for h in Holding.objects.filter(series=series))


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
                            for reason in services.LapseReason.values:
                                try:
                                    services.rights_lapse(
                                        holding=h, reason=reason, as_of=on + timedelta(days=200), actor=legal
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
                _check(series_list)
            assert Series.objects.get(pk=s.series.pk).allotted_rights == 35
            raise Rollback
    except Rollback:
        pass
