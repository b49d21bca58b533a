import json
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command

from grants import demo as grants_demo
from grants.models import Allotment
from valuations.demo import PRICES_LABEL, load_demo_valuation
from valuations.models import ImportBatch, SharePrice, Valuation

pytestmark = pytest.mark.django_db


def test_demo_values_the_seed_series_end_to_end_and_is_idempotent():
    users = grants_demo.ensure_demo_users()
    series = grants_demo.load_seed_series(users=users)
    load_demo_valuation(users=users, series=series)
    load_demo_valuation(users=users, series=series)

    valuation = Valuation.objects.get(series=series)
    assert valuation.status == Valuation.Status.APPROVED
    assert valuation.computed_by.username == "legal" and valuation.approved_by.username == "secretary"
    assert ImportBatch.objects.filter(label=PRICES_LABEL).count() == 1
    # the volatility window of the notice, with the 1:200 split inside it
    assert valuation.sources["volatility"]["window"] == ["2005-12-02", "2013-07-11"]
    assert valuation.evidence["splits"] == ["2012-10-01"]
    assert Decimal("0.1") < valuation.volatility < Decimal("0.6")
    assert valuation.rate == Decimal("0.01444")
    prices = SharePrice.objects.filter(company=series.company)
    assert all(
        Decimal(300_000) <= p.close <= Decimal(500_000)
        for p in prices.filter(date__lt="2012-10-01")
        if p.close
    )
    assert all(Decimal(1_500) <= p.close <= Decimal(2_500) for p in prices.filter(date__gte="2012-10-01"))
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
