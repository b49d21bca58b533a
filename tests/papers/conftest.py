import csv
import io
from datetime import date, datetime

import pytest

from grants.demo import ensure_demo_users, load_seed_series
from grants.models import LedgerEvent
from grants.services.ledger import ledger_record
from holders.models import HolderEvent

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


@pytest.fixture
def at(monkeypatch):
    """Write the next events as recorded at a given instant (ties on recorded_at on purpose)."""

    def set_clock(when: datetime) -> None:
        for model in (LedgerEvent, HolderEvent):
            monkeypatch.setattr(model._meta.get_field("recorded_at"), "_get_default", lambda: when)

    return set_clock


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


SECTION_MARKERS = {"Terms of the series", "Subtotal", "発行要項", "小計"}


def register_csv_parts(content: bytes) -> tuple[list[list[str]], list[list[str]], list[list[str]]]:
    """The register CSV's three parts, each after an empty line: the document's head (what, the
    issuer, as of, prepared at); the sections (header first, then each series' terms, entries and
    subtotal); the balance of each series (header first)."""
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    first = rows.index([])
    second = rows.index([], first + 1)
    return rows[:first], rows[first + 1 : second], rows[second + 1 :]


def register_csv(content: bytes) -> tuple[list[list[str]], list[list[str]]]:
    """The register CSV's entries (header first, without the series' terms and subtotal lines),
    and the balance of each series (header first)."""
    _head, sections, balance = register_csv_parts(content)
    return [r for r in sections if r[-1] not in SECTION_MARKERS], balance
