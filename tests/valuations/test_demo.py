import json
from datetime import date
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command

from grants import demo as grants_demo
from grants.domain.calendar import ex_rights_date
from grants.models import Allotment, CorporateAction, LedgerEvent
from valuations.demo import PRICES_LABEL, PRICES_NEW_BASIS_FROM, load_demo_valuation
from valuations.models import ImportBatch, SharePrice, Valuation

pytestmark = pytest.mark.django_db


def test_demo_values_the_seed_series_end_to_end_and_is_idempotent():
    users = grants_demo.ensure_demo_users()
    series = grants_demo.load_seed_series(users=users)
    load_demo_valuation(users=users, series=series)
    load_demo_valuation(users=users, series=series)

    # The notice is silent on a last day off: Civil Code Art 142 (docs/domain.md reading R3).
    assert series.departure_window_shift == series.heir_window_shift == "terms_silent"
    valuation = Valuation.objects.get(series=series)
    assert valuation.status == Valuation.Status.APPROVED
    assert valuation.computed_by.username == "legal" and valuation.approved_by.username == "secretary"
    assert ImportBatch.objects.filter(label=PRICES_LABEL).count() == 1
    # the volatility window of the notice, with the 1:200 split inside it
    assert valuation.sources["volatility"]["window"] == ["2005-12-02", "2013-07-11"]
    split = CorporateAction.objects.get(company=series.company, kind="split")
    assert split.status == CorporateAction.Status.APPLIED
    assert (split.requested_by.username, split.decided_by.username) == ("legal", "secretary")
    assert split.record_date == date(2012, 9, 30) and split.applies_from == date(2012, 10, 1)
    # the 3rd series is allotted after the split: nothing to adjust
    assert not LedgerEvent.objects.filter(series=series, event_type=LedgerEvent.Type.ADJUSTED).exists()
    assert series.shares_per_right_on(date(2013, 7, 11)) == 200
    assert ex_rights_date(split.record_date) == PRICES_NEW_BASIS_FROM == date(2012, 9, 26)
    assert valuation.evidence["price_basis_changes"] == ["2012-09-26"]
    assert valuation.sources["volatility"]["price_basis_changes"][0]["corporate_action_id"] == split.pk
    # The demo's figures: prices on the new basis from the ex-rights date keep sigma about 30%.
    assert valuation.spot_yen == Decimal("1952")
    assert valuation.volatility == Decimal("0.305589995705")
    assert valuation.rate == Decimal("0.01444")
    assert valuation.dividend_yield == Decimal("0.007044057377")
    assert valuation.option_price_per_share == Decimal("1755.4671811334988")
    assert valuation.amount_per_right_yen == 351_094
    prices = SharePrice.objects.filter(company=series.company)
    assert all(
        Decimal(300_000) <= p.close <= Decimal(500_000)
        for p in prices.filter(date__lt="2012-09-26")
        if p.close
    )
    assert all(Decimal(1_500) <= p.close <= Decimal(2_500) for p in prices.filter(date__gte="2012-09-26"))
    assert set(
        Allotment.objects.filter(series=series).values_list("amount_paid_per_right_yen", flat=True)
    ) == {valuation.amount_per_right_yen}

    out = StringIO()
    call_command(
        "price",
        "--spot", str(valuation.spot_yen), "--strike", str(valuation.strike_yen), "--term", str(valuation.term_years),
        "--volatility", str(valuation.volatility), "--rate", str(valuation.rate),
        "--dividend-yield", str(valuation.dividend_yield), "--shares-per-right", "200",
        stdout=out,
    )  # fmt: skip
    result = json.loads(out.getvalue())
    assert Decimal(result["option_price_per_share"]) == valuation.option_price_per_share
    assert result["amount_per_right_yen"] == valuation.amount_per_right_yen
