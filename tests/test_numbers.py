"""The number filters of every page (docs/domain.md reading R61)."""

from decimal import Decimal

import pytest
from django.template import Context, Template

from equityplan.templatetags.numbers import percent, price, thousands


@pytest.mark.parametrize(
    ("value", "places", "shown"),
    [
        (351094, 0, "351,094"),
        (-1234567, 0, "-1,234,567"),
        (Decimal("2604.5"), 0, "2,605"),  # half up, as the yen is rounded on the papers
        (Decimal("1234.5678"), 2, "1,234.57"),
        (0, 0, "0"),
        (10**20, 0, "100,000,000,000,000,000,000"),
        (1234567, 2, "1,234,567.00"),  # an int with places goes the Decimal way
        (1234567, "0", "1,234,567"),  # as a template passes it
        (None, 0, ""),
        ("n/a", 0, "n/a"),
        (Decimal("NaN"), 0, "NaN"),
        (True, 0, "True"),
    ],
)
def test_thousands(value, places, shown):
    assert thousands(value, places) == shown


def test_rates_are_percentages_and_the_price_has_two_places():
    assert percent(Decimal("0.27314")) == "27.31%"
    assert percent(Decimal("-0.001")) == "-0.10%"
    assert percent(Decimal("0.0185"), 1) == "1.9%"
    assert price(Decimal("2604.56789012")) == "2,604.57"
    assert price(None) == ""


def test_the_filters_are_builtins_of_every_template():
    rendered = Template("{{ n|thousands }} {{ r|percent }} {{ c|price }}").render(
        Context({"n": 1000000, "r": Decimal("0.5"), "c": Decimal("1.005")})
    )
    assert rendered == "1,000,000 50.00% 1.01"
