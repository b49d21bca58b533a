"""The bad-input list every form, filter and import test fires (docs/domain.md R48 to R51).

``REFUSED`` must be refused by any date, number or choice field; ``UNCERTAIN`` may be a valid value
somewhere (a full-width date reads as the date it shows, 0 is a legal exercise price, "" leaves an
optional field empty), so for them only "no 500 and nothing written unless the form succeeded" holds.
"""

REFUSED = [
    "9999-12-31",
    "0001-01-01",
    "1899-12-31",
    "2100-13-01",
    "2013-02-29",
    "H25.7.11",
    "1" * 31,
    str(2**63),
    str(2**63 - 1),
    str(-(2**63)),
    "NaN",
    "Infinity",
    "-Infinity",
    "1e309",
    "1e3",
    "x" * 10_000,
    "1" * 10_000,
    "2013-07-11\x00",
    "1\x00",
    "\u202e2013-07-11",
    "1\u200b2",
    "\ufeff1",
    "1; DROP TABLE grants_ledgerevent; --",
    "' OR '1'='1",
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "٣",
    "１，０００",
]

UNCERTAIN = [
    "２０１３-０７-１１",
    "１２３",
    "-1",
    "0",
    "",
    " ",
    "\u3000",
    "\t\n",
]

ALL = REFUSED + UNCERTAIN
