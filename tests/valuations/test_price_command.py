import json
import subprocess
import sys
from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from tests.valuations.conftest import VALUATION_DATE
from valuations import services
from valuations.domain.pricing import PricingInputs, price_option

REPO = Path(__file__).resolve().parents[2]


def run_price(*args) -> dict:
    out = StringIO()
    call_command("price", *args, stdout=out)
    return json.loads(out.getvalue())


def test_prints_full_precision_price_and_amount():
    result = run_price(
        "--spot",
        "2000",
        "--strike",
        "1",
        "--term",
        "15",
        "--volatility",
        "0.27",
        "--rate",
        "0.0144",
        "--dividend-yield",
        "0.006",
        "--shares-per-right",
        "200",
    )
    expected = price_option(
        PricingInputs(
            Decimal("2000"), Decimal("1"), Decimal("15"), Decimal("0.27"), Decimal("0.0144"), Decimal("0.006")
        )
    )
    assert Decimal(result["option_price_per_share"]) == expected
    assert result["amount_per_right_yen"] == int((expected * 200).to_integral_value(rounding="ROUND_CEILING"))
    assert result["rounding"] == "total_ceil"


def test_rounding_rules_differ():
    args = [
        "--spot",
        "2000",
        "--strike",
        "1",
        "--term",
        "15",
        "--volatility",
        "0.27",
        "--rate",
        "0.0144",
        "--dividend-yield",
        "0.006",
        "--shares-per-right",
        "200",
    ]
    total = run_price(*args)["amount_per_right_yen"]
    per_share = run_price(*args, "--rounding", "per_share_ceil")["amount_per_right_yen"]
    assert per_share % 200 == 0
    assert per_share >= total


@pytest.mark.django_db
def test_reproduces_a_stored_valuation_exactly(market, legal):
    valuation = services.valuation_run(series=market["series"], valuation_date=VALUATION_DATE, actor=legal)
    result = run_price(
        "--spot",
        str(valuation.spot_yen),
        "--strike",
        str(valuation.strike_yen),
        "--term",
        str(valuation.term_years),
        "--volatility",
        str(valuation.volatility),
        "--rate",
        str(valuation.rate),
        "--dividend-yield",
        str(valuation.dividend_yield),
        "--shares-per-right",
        str(valuation.shares_per_right),
        "--rounding",
        valuation.rounding_rule,
    )
    valuation.refresh_from_db()
    assert Decimal(result["option_price_per_share"]) == valuation.option_price_per_share
    assert result["amount_per_right_yen"] == valuation.amount_per_right_yen


@pytest.mark.parametrize(
    "args",
    [
        ["--spot", "abc"],
        ["--spot", "0"],
        ["--spot", "-5"],
        ["--volatility", "-0.1"],
        ["--term", "0"],
        ["--spot", "NaN"],
        ["--shares-per-right", "0"],
        ["--rounding", "sideways"],
    ],
)
def test_bad_arguments_raise_command_error(args):
    base = {
        "--spot": "2000",
        "--strike": "1",
        "--term": "15",
        "--volatility": "0.27",
        "--rate": "0.01",
        "--dividend-yield": "0",
    }
    base.update(dict(zip(args[::2], args[1::2], strict=True)))
    flat = [x for pair in base.items() for x in pair]
    with pytest.raises(CommandError):
        call_command("price", *flat, stdout=StringIO())


@pytest.mark.parametrize("bad", [["--spot", "-1"], ["--spot", "x"], []])
def test_bad_arguments_exit_2_with_a_message(bad):
    args = [
        "--strike",
        "1",
        "--term",
        "15",
        "--volatility",
        "0.27",
        "--rate",
        "0.01",
        "--dividend-yield",
        "0",
    ]
    if bad:
        args += bad
    proc = subprocess.run(
        [sys.executable, "manage.py", "price", *args], cwd=REPO, capture_output=True, text=True, timeout=120
    )
    assert proc.returncode == 2
    assert "spot" in proc.stderr
    assert proc.stdout == ""
