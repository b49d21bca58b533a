"""The formula guard of every CSV and Excel file (equityplan/exports.py), by type of cell."""

from datetime import date
from decimal import Decimal

import pytest

from equityplan.exports import safe_cell


class Name(str):
    """A str subclass (a lazy translation, say) takes the general path."""


@pytest.mark.parametrize(
    ("value", "text"),
    [
        ("=SUM(A1)", "'=SUM(A1)"),
        ("+81 3", "'+81 3"),
        ("-x", "'-x"),
        ("@cmd", "'@cmd"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("Aoki", "Aoki"),
        ("", ""),
        (Name("=1"), "'=1"),
        (-5, "-5"),  # a number is never a formula
        (12, "12"),
        (Decimal("-1.50"), "-1.50"),
        (True, "True"),
        (None, ""),
        (date(2024, 2, 29), "2024-02-29"),
    ],
)
def test_cells(value, text):
    assert safe_cell(value) == text
