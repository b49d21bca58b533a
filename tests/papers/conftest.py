import csv
import io
from datetime import date

import pytest

from grants.demo import ensure_demo_users, load_seed_series
from grants.models import LedgerEvent
from grants.services.ledger import ledger_record

ALLOTMENT = date(2013, 7, 11)


@pytest.fixture
def demo_users(db):
    return ensure_demo_users()


@pytest.fixture
def seed_series(demo_users):
    """The demo's 3rd series: 17 fictional holders, 135 rights allotted on 11 Jul 2013."""
    return load_seed_series(users=demo_users)


@pytest.fixture
def legal(demo_users):
    return demo_users["legal"]


@pytest.fixture
def secretary(demo_users):
    return demo_users["secretary"]


@pytest.fixture
def auditor(demo_users):
    return demo_users["auditor"]


def record(*, event_type, series, holder, rights_delta, on, actor, **extra) -> LedgerEvent:
    """A ledger event written through the ledger's one door (test data for the register)."""
    return ledger_record(
        event_type=event_type,
        series=series,
        holder=holder,
        rights_delta=rights_delta,
        effective_date=on,
        actor=actor,
        **extra,
    )


def register_csv(content: bytes) -> tuple[list[list[str]], list[list[str]]]:
    """The register CSV's two tables: the entries (header first), then the balance of each series
    (header first), which follows an empty line."""
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    blank = rows.index([])
    return rows[:blank], rows[blank + 1 :]
