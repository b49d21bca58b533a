"""valuation_run end to end on a small synthetic dataset with a 1:200 split inside the window."""

import math
from datetime import date, timedelta
from decimal import ROUND_CEILING, Decimal

import numpy as np
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from equityplan import clock
from grants.models import LedgerEvent
from grants.selectors import pending_decisions
from tests.factories import allot, legal_user, make_holder
from tests.valuations.conftest import NEW_BASIS_FROM, VALUATION_DATE, WINDOW_START, jgb_csv, price_csv
from valuations import services
from valuations.domain.pricing import PricingInputs, price_option
from valuations.models import SharePrice, Valuation

pytestmark = pytest.mark.django_db


def expected_weekly_volatility(rows, start, end):
    last_in_week = {}
    for day, close in rows:
        if start <= day <= end:
            iso = day.isocalendar()
            last_in_week[(iso.year, iso.week)] = (day, close)
    closes = [float(c / 200 if d < NEW_BASIS_FROM else c) for d, c in sorted(last_in_week.values())]
    returns = np.diff(np.log(closes))
    return float(np.std(returns, ddof=1)) * math.sqrt(52), len(closes)


def test_run_derives_every_input_and_stores_its_source(market, legal):
    series, rows = market["series"], market["rows"]
    valuation = services.valuation_run(series=series, valuation_date=VALUATION_DATE, actor=legal)
    valuation.refresh_from_db()

    close = dict(rows)[VALUATION_DATE]
    assert valuation.status == Valuation.Status.PROVISIONAL
    assert valuation.spot_yen == close
    assert valuation.sources["spot_yen"]["rows"][0]["date"] == "2013-07-11"
    assert valuation.strike_yen == Decimal("1")
    assert valuation.term_years == Decimal("15")

    expected_vol, observations = expected_weekly_volatility(rows, WINDOW_START, VALUATION_DATE)
    assert float(valuation.volatility) == pytest.approx(expected_vol, rel=1e-11)
    assert valuation.volatility < 1  # without the split adjustment one weekly return would be ln(200)
    assert valuation.sources["volatility"]["observations"] == observations
    assert valuation.sources["volatility"]["price_basis_changes"] == [
        {
            "corporate_action_id": market["split"].pk,
            "kind": "split",
            "basis_from": "2012-09-26",
            "ratio": "200",
        }
    ]
    assert "prices before 2012-09-26 divided by 200" in valuation.sources["volatility"]["method"]
    assert valuation.evidence["price_basis_changes"] == ["2012-09-26"]
    assert len(valuation.evidence["returns"]) == observations - 1

    # Yields only on 10 Jul: the last published before the valuation date, 15-year tenor.
    assert valuation.rate == Decimal("0.01444")
    assert valuation.sources["rate"]["date"] == "2013-07-10"
    assert "last published before" in valuation.sources["rate"]["detail"]

    # FY ended 2012-03-31, before the split: 2,500 yen / 200 = 12.5 yen, / S.
    assert valuation.sources["dividend_yield"]["adjusted_dividend_yen"] == "12.5"
    assert [c["corporate_action_id"] for c in valuation.sources["dividend_yield"]["price_basis_changes"]] == [
        market["split"].pk
    ]
    assert valuation.dividend_yield == (Decimal("12.5") / close).quantize(Decimal("1e-12"))

    price = price_option(PricingInputs(*(getattr(valuation, n) for n in Valuation.INPUTS)))
    assert valuation.option_price_per_share == price
    assert valuation.shares_per_right == 200
    assert valuation.amount_per_right_yen == int((price * 200).to_integral_value(rounding=ROUND_CEILING))

    event = LedgerEvent.objects.get(event_type=LedgerEvent.Type.VALUATION, series=series)
    assert event.recorded_by == legal
    assert event.effective_date == VALUATION_DATE
    assert event.payload["action"] == "computed"
    assert event.payload["amount_per_right_yen"] == valuation.amount_per_right_yen
    assert Decimal(event.payload["option_price_per_share"]) == price


def test_no_close_falls_back_to_next_trading_days_base_price(market, legal):
    company = market["company"]
    SharePrice.objects.filter(company=company, date=VALUATION_DATE).delete()
    report = services.import_share_prices(
        company=company,
        data=b"date,close,base_price\n2013-07-11,,1990\n",
        filename="no-trade.csv",
        actor=legal,
    )
    assert report.ok, report.errors
    SharePrice.objects.filter(company=company, date=date(2013, 7, 12)).delete()
    services.import_share_prices(
        company=company,
        data=b"date,close,base_price\n2013-07-12,2011,1987\n",
        filename="next.csv",
        actor=legal,
    )
    valuation = services.valuation_run(
        series=market["series"], valuation_date=VALUATION_DATE, actor=legal, final=True
    )
    assert valuation.spot_yen == Decimal("1987")
    assert valuation.sources["spot_yen"]["rows"][0] == {
        "model": "share_price",
        "id": SharePrice.objects.get(company=company, date=date(2013, 7, 12)).pk,
        "date": "2013-07-12",
        "field": "base_price",
        "value": "1987.0000",
        "batch": report.batch.pk + 1,
    }
    assert "next trading day 2013-07-12" in valuation.sources["spot_yen"]["detail"]


def test_final_run_without_data_refuses_but_provisional_uses_latest(market, legal):
    later = date(2013, 8, 1)  # after the last price (12 Jul)
    with pytest.raises(ValidationError, match="no close on 2013-08-01"):
        services.valuation_run(series=market["series"], valuation_date=later, actor=legal, final=True)
    assert not Valuation.objects.exists()
    provisional = services.valuation_run(series=market["series"], valuation_date=later, actor=legal)
    assert provisional.sources["spot_yen"]["provisional_fallback"] is True
    assert provisional.spot_yen == dict(market["rows"])[date(2013, 7, 12)]
    with pytest.raises(ValidationError, match="latest data"):
        services.valuation_finalize(valuation=provisional, actor=legal)


def test_manual_override_is_marked_with_reason_and_derived_value(market, legal):
    valuation = services.valuation_run(
        series=market["series"],
        valuation_date=VALUATION_DATE,
        actor=legal,
        overrides={"volatility": {"value": "0.35", "reason": "board instruction 2013-07-10"}},
    )
    assert valuation.volatility == Decimal("0.35")
    assert valuation.overrides["volatility"]["reason"] == "board instruction 2013-07-10"
    assert Decimal(valuation.overrides["volatility"]["derived"]) != Decimal("0.35")
    assert valuation.sources["volatility"]["entered_by_hand"] is True
    event = LedgerEvent.objects.get(event_type=LedgerEvent.Type.VALUATION)
    assert event.payload["entered_by_hand"] == ["volatility"]


@pytest.mark.parametrize(
    "overrides",
    [
        {"volatility": {"value": "0.35", "reason": ""}},
        {"volatility": {"value": "abc", "reason": "x"}},
        {"spot_yen": {"value": "-1", "reason": "x"}},
        {"strike_yen": {"value": "0", "reason": "x"}},
        {"rate": {"value": "0.0123456789012345", "reason": "x"}},
    ],
)
def test_bad_overrides_write_nothing(market, legal, overrides):
    with pytest.raises(ValidationError):
        services.valuation_run(
            series=market["series"], valuation_date=VALUATION_DATE, actor=legal, overrides=overrides
        )
    assert not Valuation.objects.exists()
    assert not LedgerEvent.objects.filter(event_type=LedgerEvent.Type.VALUATION).exists()


def test_override_makes_missing_data_usable(market, legal):
    valuation = services.valuation_run(
        series=market["series"],
        valuation_date=date(2013, 7, 9),  # before any yield is published
        actor=legal,
        overrides={"rate": {"value": "0.0144", "reason": "ministry figure read by phone"}},
    )
    assert valuation.rate == Decimal("0.0144")
    assert valuation.overrides["rate"]["derived"] is None


def test_one_final_per_series_and_date(market, legal):
    services.valuation_run(series=market["series"], valuation_date=VALUATION_DATE, actor=legal, final=True)
    with pytest.raises(ValidationError, match="already a final"):
        services.valuation_run(
            series=market["series"], valuation_date=VALUATION_DATE, actor=legal, final=True
        )
    provisional = services.valuation_run(series=market["series"], valuation_date=VALUATION_DATE, actor=legal)
    with pytest.raises(ValidationError, match="already a final"):
        services.valuation_finalize(valuation=provisional, actor=legal)


def test_one_final_backstop_is_the_database(market, legal):
    final = services.valuation_run(
        series=market["series"], valuation_date=VALUATION_DATE, actor=legal, final=True
    )
    final.pk = None
    with pytest.raises(IntegrityError), transaction.atomic():
        final.save()


def test_finalize_then_approve_by_another_user_sets_amount_paid(market, legal, secretary):
    series = market["series"]
    holder = make_holder(actor=legal)
    allotment = allot(series=series, holder=holder, rights=10, actor=legal)
    valuation = services.valuation_run(series=series, valuation_date=VALUATION_DATE, actor=legal)
    valuation = services.valuation_finalize(valuation=valuation, actor=legal)
    assert valuation.status == Valuation.Status.FINAL
    valuation = services.valuation_approve(
        valuation=valuation, actor=secretary, resolution_reference="Board 2013-07-11"
    )
    valuation.refresh_from_db()
    assert valuation.status == Valuation.Status.APPROVED
    assert valuation.approved_by == secretary
    allotment.refresh_from_db()
    assert allotment.amount_paid_per_right_yen == valuation.amount_per_right_yen
    approved = LedgerEvent.objects.filter(
        event_type=LedgerEvent.Type.VALUATION, payload__action="approved"
    ).get()
    assert approved.recorded_by == secretary
    assert approved.approved_by == secretary
    assert approved.payload["amount_per_right_yen"] == valuation.amount_per_right_yen
    assert approved.resolution_reference == "Board 2013-07-11"


def test_approval_with_a_board_resolution_after_today_is_refused(market, legal, secretary):
    valuation = services.valuation_run(
        series=market["series"], valuation_date=VALUATION_DATE, actor=legal, final=True
    )
    tomorrow = clock.today() + timedelta(days=1)
    with pytest.raises(ValidationError) as refused:
        services.valuation_approve(
            valuation=valuation, actor=secretary, resolution_date=tomorrow, resolution_reference="Board"
        )
    assert [e.code for e in refused.value.error_dict["resolution_date"]] == ["future"]
    valuation.refresh_from_db()
    assert valuation.status == Valuation.Status.FINAL
    assert not LedgerEvent.objects.filter(payload__action="approved").exists()


def test_approve_needs_a_board_secretary_other_than_the_computer(market, legal, secretary):
    valuation = services.valuation_run(
        series=market["series"], valuation_date=VALUATION_DATE, actor=secretary, final=True
    )
    with pytest.raises(ValidationError, match="other than the one who recorded"):
        services.valuation_approve(valuation=valuation, actor=secretary)
    with pytest.raises(PermissionDenied):
        services.valuation_approve(valuation=valuation, actor=legal)
    valuation.refresh_from_db()
    assert valuation.status == Valuation.Status.FINAL
    assert not LedgerEvent.objects.filter(payload__action="approved").exists()


def test_approver_differs_from_computer_in_the_database(market, legal):
    valuation = services.valuation_run(
        series=market["series"], valuation_date=VALUATION_DATE, actor=legal, final=True
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        Valuation.objects.filter(pk=valuation.pk).update(status="approved", approved_by=legal)


def test_provisional_cannot_be_approved_directly(market, legal, secretary):
    valuation = services.valuation_run(series=market["series"], valuation_date=VALUATION_DATE, actor=legal)
    with pytest.raises(ValidationError, match="cannot become"):
        services.valuation_approve(valuation=valuation, actor=secretary)


def test_daily_window_ending_the_day_before(market, legal):
    series = market["series"]
    series.volatility_frequency = "daily"
    series.volatility_window_end = "day_before"
    series.save(update_fields=["volatility_frequency", "volatility_window_end"])
    valuation = services.valuation_run(series=series, valuation_date=VALUATION_DATE, actor=legal)
    assert valuation.sources["volatility"]["window"] == ["2012-07-02", "2013-07-10"]
    assert "daily" in valuation.sources["volatility"]["method"]


def test_missing_market_data_lists_every_missing_input(legal):
    from tests.factories import make_series

    series = make_series(actor=legal_user())
    with pytest.raises(ValidationError) as exc:
        services.valuation_run(series=series, valuation_date=VALUATION_DATE, actor=legal)
    text = " ".join(exc.value.messages)
    assert "Share price S" in text and "Volatility" in text and "Risk-free rate" in text


def test_interpolated_rate_for_a_term_between_tenors(market, legal):
    series = market["series"]
    series.valuation_term_years = Decimal("12.5")
    series.save(update_fields=["valuation_term_years"])
    valuation = services.valuation_run(series=series, valuation_date=VALUATION_DATE, actor=legal)
    # halfway between 10y 0.865 % and 15y 1.444 %
    assert valuation.rate == Decimal("0.011545")
    assert "interpolation" in valuation.sources["rate"]["detail"]


def test_yields_with_missing_tenor_import(legal):
    row = "H25.7.11,-,0.124,0.164,0.253,0.323,0.427,0.557,0.686,0.791,0.865,1.444,1.714,1.834,1.843,1.922"
    report = services.import_jgb_yields(data=jgb_csv([row]), filename="j.csv", actor=legal)
    assert report.ok and report.rows_created == 1


def test_unused_helper_price_csv_round_trip():
    assert price_csv([(date(2013, 7, 11), Decimal("2000"))]).startswith(b"date,close")


def test_prices_and_dividend_are_adjusted_from_the_ex_rights_date(market, legal):
    """As of Friday 2012-09-28 the close is already on the new basis (ex-rights 26 Sep), though the
    split takes effect on 1 Oct: the pre-split dividend is divided by 200 to match it."""
    on = date(2012, 9, 28)
    valuation = services.valuation_run(
        series=market["series"],
        valuation_date=on,
        actor=legal,
        overrides={"rate": {"value": "0.0144", "reason": "no yields loaded for 2012"}},
    )
    close = dict(market["rows"])[on]
    assert close < 3000  # quoted on the new basis
    assert valuation.spot_yen == close
    assert valuation.sources["dividend_yield"]["adjusted_dividend_yen"] == "12.5"
    assert valuation.dividend_yield == (Decimal("12.5") / close).quantize(Decimal("1e-12"))
    assert valuation.evidence["price_basis_changes"] == ["2012-09-26"]
    assert valuation.volatility < 1


def test_a_split_awaiting_the_boards_decision_adjusts_nothing(legal):
    from grants import services as grant_services
    from tests.factories import CompanyFactory, make_series
    from tests.valuations.conftest import small_price_rows

    company = CompanyFactory()
    series = make_series(
        actor=legal, company=company, volatility_window_start=WINDOW_START, dividend_rule="zero"
    )
    grant_services.corporate_action_record(
        company=company,
        kind="split",
        ratio_numerator=200,
        ratio_denominator=1,
        record_date=date(2012, 9, 30),
        actor=legal,
    )
    assert services.import_share_prices(
        company=company, data=price_csv(small_price_rows()), filename="p.csv", actor=legal
    ).ok
    valuation = services.valuation_run(
        series=series,
        valuation_date=VALUATION_DATE,
        actor=legal,
        overrides={"rate": {"value": "0.0144", "reason": "no yields loaded"}},
    )
    assert valuation.sources["volatility"]["price_basis_changes"] == []
    assert valuation.volatility > 1  # the unadjusted jump of ln(200) dominates


def test_a_final_valuation_of_the_allotment_date_waits_in_the_secretarys_queue(market, legal, secretary):
    series = market["series"]
    allot(series=series, holder=make_holder(actor=legal), rights=10, actor=legal)
    provisional = services.valuation_run(series=series, valuation_date=VALUATION_DATE, actor=legal)
    assert [d.kind for d in pending_decisions()] == []  # a provisional figure is not for the board
    final = services.valuation_finalize(valuation=provisional, actor=legal)
    (row,) = pending_decisions()
    assert (row.kind, row.subject, row.requested_by, row.deadline) == (
        "valuation",
        final,
        legal,
        series.payment_date,
    )
    series.refresh_from_db()
    assert series.allotted_rights > 0
    assert (
        f"Approve {final.amount_per_right_yen:,} yen x {series.allotted_rights:,} rights" in row.description
    )
    services.valuation_approve(valuation=final, actor=secretary, resolution_reference="Board 2013-07-11")
    assert pending_decisions() == []


def test_a_split_recorded_on_the_fiscal_year_end_adjusts_that_years_dividend(legal, secretary):
    """Record date Sunday 2013-03-31 is the fiscal year end: its ex-rights date (27 March) comes before
    the year end, yet the year-end dividend was declared per pre-split share (its holders of record
    are counted on 31 March, before the split takes effect on 1 April), so it is divided by 200."""
    from tests.factories import CompanyFactory, make_series
    from tests.valuations.conftest import approved_split, small_price_rows

    company = CompanyFactory()
    series = make_series(
        actor=legal,
        company=company,
        volatility_window_start=date(2013, 4, 1),
        dividend_fiscal_year_end=date(2013, 3, 31),
    )
    approved_split(company=company, legal=legal, secretary=secretary, record_date=date(2013, 3, 31))
    rows = small_price_rows(start=date(2013, 4, 1))
    assert services.import_share_prices(
        company=company, data=price_csv(rows), filename="p.csv", actor=legal
    ).ok
    assert services.import_dividends(
        company=company,
        data=b"fiscal_year_end,dividend_per_share_yen\n2013-03-31,2500\n",
        filename="d.csv",
        actor=legal,
    ).ok
    valuation = services.valuation_run(
        series=series,
        valuation_date=VALUATION_DATE,
        actor=legal,
        overrides={"rate": {"value": "0.0144", "reason": "no yields loaded"}},
    )
    assert valuation.sources["dividend_yield"]["adjusted_dividend_yen"] == "12.5"
