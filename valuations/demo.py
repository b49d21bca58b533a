"""Demo market data and the seed's valuation, notice (12): all clearly labelled synthetic.

The prices are a seeded random walk, not the issuer's real prices; the yields file is in the
ministry's format with approximate figures. The issuer's 1:200 split (record date Sunday 2012-09-30,
effective 2012-10-01) is recorded by legal staff and approved by the board secretary as a corporate
action, and the prices are quoted on the new basis from its ex-rights date, Wednesday 2012-09-26, as
the exchange quoted them. Everything goes through the real services and importers, so the demo
exercises the same code as real data. Idempotent.
"""

import math
import random
from datetime import date
from decimal import Decimal
from pathlib import Path

from django.contrib.auth.models import User
from django.db import transaction

from grants import services as grant_services
from grants.domain.calendar import trading_days_between
from grants.models import Company, CorporateAction, Series

from . import services
from .models import ImportBatch, Valuation
from .selectors.calendar import calendar_overrides

PRICES_LABEL = "synthetic demo prices"
DIVIDENDS_LABEL = "synthetic demo dividends"
YIELDS_LABEL = "demo yields (approximate, not the ministry's published figures)"
YIELDS_FILE = Path(__file__).parent / "demo_data" / "jgbcm_demo.csv"

PRICES_FROM, PRICES_TO = date(2005, 12, 1), date(2013, 7, 31)
SPLIT_RECORD_DATE = date(2012, 9, 30)  # a Sunday
SPLIT_EFFECTIVE = date(2012, 10, 1)
SPLIT_RATIO = 200
# The ex-rights date of the record date (T+3 then): the first day quoted on the new basis.
PRICES_NEW_BASIS_FROM = date(2012, 9, 26)
SPLIT_RESOLUTION = date(2012, 8, 1)  # illustrative
NO_TRADE_DAY = date(2009, 3, 10)  # a day with a base price and no close, to show the rule
SEED_VALUATION_DATE = date(2013, 7, 11)


def synthetic_price_csv(*, seed: int = 3774) -> bytes:
    """Closes on every TSE trading day: a mean-reverting random walk around 2,000 yen on the
    post-split basis (about 400,000 yen before the 1:200 split's ex-rights date), kept within
    1,500-2,500."""
    rng = random.Random(seed)
    centre, level = math.log(2000), math.log(2000)
    lines = ["date,close,base_price"]
    previous_close: Decimal | None = None
    for day in trading_days_between(PRICES_FROM, PRICES_TO, calendar_overrides()):
        level += 0.03 * (centre - level) + rng.gauss(0, 0.02)
        level = min(max(level, math.log(1500)), math.log(2500))
        post_split = Decimal(round(math.exp(level)))
        if day < PRICES_NEW_BASIS_FROM:
            close = (post_split * SPLIT_RATIO).quantize(Decimal("100"))
        else:
            close = post_split
        if previous_close is None:
            base = close
        elif day == PRICES_NEW_BASIS_FROM:
            base = (previous_close / SPLIT_RATIO).quantize(Decimal("1"))
        else:
            base = previous_close
        shown_close = "" if day == NO_TRADE_DAY else f"{close:f}"
        lines.append(f"{day.isoformat()},{shown_close},{base:f}")
        if day != NO_TRADE_DAY:
            previous_close = close
    return ("\n".join(lines) + "\n").encode()


DIVIDEND_CSV = (
    b"fiscal_year_end,dividend_per_share_yen,note\n"
    b'2012-03-31,2500,"synthetic demo dividend, per pre-split share"\n'
    b'2013-03-31,13.75,"synthetic demo dividend: interim 1,250 yen per pre-split share (6.25 after '
    b'the 1:200 split) + year-end 7.50, per post-split share"\n'
)


def split_approved(*, company: Company, legal: User, secretary: User) -> CorporateAction:
    """The 1:200 split as the board approved it: recorded by legal staff, approved by the board
    secretary. It adjusts no series (the 3rd series is allotted after it); valuations read it to put
    the prices and the dividend on one share basis."""
    action = CorporateAction.objects.filter(
        company=company, kind=CorporateAction.Kind.SPLIT, record_date=SPLIT_RECORD_DATE
    ).first()
    if action is None:
        action = grant_services.corporate_action_record(
            company=company,
            kind=CorporateAction.Kind.SPLIT,
            ratio_numerator=SPLIT_RATIO,
            ratio_denominator=1,
            record_date=SPLIT_RECORD_DATE,
            effective_date=SPLIT_EFFECTIVE,
            description="1:200 split of common stock, record date Sunday 2012-09-30 (demo)",
            actor=legal,
        )
    if action.status == CorporateAction.Status.PROPOSED:
        grant_services.corporate_action_approve(
            action=action,
            resolution_date=SPLIT_RESOLUTION,
            resolution_reference="Board of Directors, 1 Aug 2012 (demo, illustrative)",
            actor=secretary,
        )
        action.refresh_from_db()
    return action


def _imported(kind: str, label: str) -> bool:
    return ImportBatch.objects.filter(kind=kind, label=label).exists()


@transaction.atomic
def load_demo_valuation(*, users: dict, series: Series) -> None:
    """The split, prices, dividends and yields for the seed issuer, then the 3rd series' valuation as
    of 2013-07-11: final (computed by legal staff), approved by the board secretary."""
    legal, secretary = users["legal"], users["secretary"]
    company = series.company
    split_approved(company=company, legal=legal, secretary=secretary)
    for kind, label, run in (
        (
            ImportBatch.Kind.SHARE_PRICES,
            PRICES_LABEL,
            lambda: services.import_share_prices(
                company=company,
                data=synthetic_price_csv(),
                filename="synthetic_prices_3774.csv",
                actor=legal,
                label=PRICES_LABEL,
            ),
        ),
        (
            ImportBatch.Kind.DIVIDENDS,
            DIVIDENDS_LABEL,
            lambda: services.import_dividends(
                company=company,
                data=DIVIDEND_CSV,
                filename="synthetic_dividends_3774.csv",
                actor=legal,
                label=DIVIDENDS_LABEL,
            ),
        ),
        (
            ImportBatch.Kind.JGB_YIELDS,
            YIELDS_LABEL,
            lambda: services.import_jgb_yields(
                data=YIELDS_FILE.read_bytes(), filename=YIELDS_FILE.name, actor=legal, label=YIELDS_LABEL
            ),
        ),
    ):
        if not _imported(kind, label):
            report = run()
            if not report.ok:
                raise RuntimeError(f"demo {label} did not import: {report.translated_errors[:5]}")

    done = Valuation.objects.filter(
        series=series,
        valuation_date=SEED_VALUATION_DATE,
        status__in=[Valuation.Status.FINAL, Valuation.Status.APPROVED],
    ).first()
    if done is None:
        done = services.valuation_run(
            series=series, valuation_date=SEED_VALUATION_DATE, actor=legal, final=True
        )
    if done.status == Valuation.Status.FINAL:
        services.valuation_approve(
            valuation=done,
            actor=secretary,
            resolution_date=SEED_VALUATION_DATE,
            resolution_reference="Board of Directors, 11 Jul 2013 (demo)",
        )
