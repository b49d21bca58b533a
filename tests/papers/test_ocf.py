"""The Open Cap Format 1.2 export validates against the official schemas (vendored in ocf_schema/)
and its transactions replayed give the register's shares per stakeholder (docs/ocf.md)."""

import io
import json
import zipfile
from collections import defaultdict
from datetime import date
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse
from jsonschema import Draft7Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT7

from grants import services
from grants.models import LedgerEvent
from grants.selectors.register import register_as_of
from holders.models import Holder

from .conftest import record

SCHEMA_DIR = Path(__file__).parent / "ocf_schema"
BASE = "https://schema.opencaptablecoalition.com/v/1.2.0/"
FILE_SCHEMAS = {
    "OCF_MANIFEST_FILE": "files/OCFManifestFile.schema.json",
    "OCF_STAKEHOLDERS_FILE": "files/StakeholdersFile.schema.json",
    "OCF_STOCK_CLASSES_FILE": "files/StockClassesFile.schema.json",
    "OCF_STOCK_PLANS_FILE": "files/StockPlansFile.schema.json",
    "OCF_TRANSACTIONS_FILE": "files/TransactionsFile.schema.json",
}
ITEM_SCHEMAS = {
    "TX_EQUITY_COMPENSATION_ISSUANCE": "objects/transactions/issuance/EquityCompensationIssuance.schema.json",
    "TX_EQUITY_COMPENSATION_EXERCISE": "objects/transactions/exercise/EquityCompensationExercise.schema.json",
    "TX_EQUITY_COMPENSATION_TRANSFER": "objects/transactions/transfer/EquityCompensationTransfer.schema.json",
    "TX_EQUITY_COMPENSATION_CANCELLATION": "objects/transactions/cancellation/EquityCompensationCancellation.schema.json",
    "TX_STOCK_CLASS_SPLIT": "objects/transactions/split/StockClassSplit.schema.json",
}


@pytest.fixture(scope="module")
def registry() -> Registry:
    resources = []
    for path in SCHEMA_DIR.rglob("*.schema.json"):
        contents = json.loads(path.read_text())
        resources.append((contents["$id"], Resource.from_contents(contents, default_specification=DRAFT7)))
    return Registry().with_resources(resources)


def validate(registry: Registry, schema_path: str, instance: dict) -> list[str]:
    schema = registry.contents(BASE + schema_path)
    validator = Draft7Validator(schema, registry=registry)
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(instance)]


@pytest.fixture
def eventful(seed_series, legal, secretary):
    """The seed series with a partial exercise, a registered transfer, a lapse, an acquisition by
    the company of one holder's rights and the cancellation of part of them."""
    ichiro = Holder.objects.get(name="Ichiro Sample (fictional)")
    keiko = Holder.objects.get(name="Keiko Example (fictional)")
    naoko = Holder.objects.get(name="Naoko Demo (fictional)")
    record(
        event_type=LedgerEvent.Type.EXERCISED,
        series=seed_series,
        holder=ichiro,
        rights_delta=-5,
        on=date(2014, 4, 10),
        actor=legal,
    )
    for holder, delta, side in ((keiko, -4, "out"), (ichiro, 4, "in")):
        record(
            event_type=LedgerEvent.Type.TRANSFER_REGISTERED,
            series=seed_series,
            holder=holder,
            rights_delta=delta,
            on=date(2014, 6, 2),
            actor=legal,
            payload={"side": side},
        )
    record(
        event_type=LedgerEvent.Type.LAPSED,
        series=seed_series,
        holder=naoko,
        rights_delta=-10,
        on=date(2014, 5, 20),
        actor=legal,
    )
    return seed_series


def test_every_file_and_every_transaction_validates(eventful, registry, tmp_path):
    call_command("export_ocf", company="3774", output=str(tmp_path))
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == [
        "Manifest.ocf.json",
        "Stakeholders.ocf.json",
        "StockClasses.ocf.json",
        "StockPlans.ocf.json",
        "Transactions.ocf.json",
    ]
    for path in tmp_path.iterdir():
        data = json.loads(path.read_text())
        assert validate(registry, FILE_SCHEMAS[data["file_type"]], data) == [], path.name
    items = json.loads((tmp_path / "Transactions.ocf.json").read_text())["items"]
    kinds = {item["object_type"] for item in items}
    assert kinds == {
        "TX_EQUITY_COMPENSATION_ISSUANCE",
        "TX_EQUITY_COMPENSATION_EXERCISE",
        "TX_EQUITY_COMPENSATION_TRANSFER",
        "TX_EQUITY_COMPENSATION_CANCELLATION",
    }
    for item in items:
        assert validate(registry, ITEM_SCHEMAS[item["object_type"]], item) == [], item["id"]
    # Replayed, the transactions leave each holder the shares the register shows.
    expected: dict[str, int] = defaultdict(int)
    for row in register_as_of(as_of=date(2026, 1, 1)):
        expected[f"holder-{row.holder.pk}"] += row.shares
    assert len(expected) == 16 and _replayed_shares(items) == dict(expected)
    manifest = json.loads((tmp_path / "Manifest.ocf.json").read_text())
    assert manifest["issuer"]["country_of_formation"] == "JP"
    assert "not its date of incorporation" in " ".join(manifest["issuer"]["comments"])


def test_a_broken_item_fails_validation(registry):
    """The validation can fail: an issuance without its quantity is refused."""
    item = {"object_type": "TX_EQUITY_COMPENSATION_ISSUANCE", "id": "x", "date": "2013-07-11"}
    assert validate(registry, ITEM_SCHEMAS[item["object_type"]], item) != []


def _replayed_shares(items: list[dict]) -> dict[str, int]:
    """Shares per stakeholder left after every transaction, read from the package alone."""
    owner: dict[str, str] = {}
    left: dict[str, int] = defaultdict(int)
    for item in items:
        kind = item["object_type"]
        if kind == "TX_EQUITY_COMPENSATION_ISSUANCE":
            owner[item["security_id"]] = item["stakeholder_id"]
            left[item["security_id"]] += int(item["quantity"])
        elif kind in ("TX_EQUITY_COMPENSATION_EXERCISE", "TX_EQUITY_COMPENSATION_CANCELLATION"):
            left[item["security_id"]] -= int(item["quantity"])
        elif kind == "TX_EQUITY_COMPENSATION_TRANSFER":
            left[item["security_id"]] -= int(item["quantity"])
        if kind != "TX_EQUITY_COMPENSATION_EXERCISE" and item.get("balance_security_id"):
            left[item["security_id"]] = 0  # the balance moved to its own security
    per_holder: dict[str, int] = defaultdict(int)
    for security, shares in left.items():
        if shares:
            per_holder[owner[security]] += shares
    return dict(per_holder)


def test_the_transactions_reproduce_the_register(eventful, client, legal, secretary):
    acquisition = services.company_acquisition_resolve(
        series=eventful,
        trigger="merger",
        proposal_approved_on=date(2020, 6, 26),
        acquisition_date=date(2020, 8, 3),
        resolution_date=date(2020, 7, 1),
        resolution_reference="Board 2020-07",
        actor=secretary,
    )
    services.company_acquisition_execute(acquisition=acquisition, as_of=date(2020, 8, 3), actor=legal)
    services.rights_cancel(
        series=eventful,
        rights=35,
        cancelled_on=date(2020, 9, 1),
        resolution_date=date(2020, 8, 20),
        resolution_reference="Board 2020-08",
        actor=legal,
    )
    client.force_login(legal)
    response = client.get(reverse("papers:ocf_download", args=[eventful.company.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    package = zipfile.ZipFile(io.BytesIO(response.content))
    items = json.loads(package.read("Transactions.ocf.json"))["items"]
    expected: dict[str, int] = defaultdict(int)
    for row in register_as_of(as_of=date(2026, 1, 1)):
        key = "company-own-rights" if row.company_held else f"holder-{row.holder.pk}"
        expected[key] += row.shares
    assert _replayed_shares(items) == dict(expected)
    assert set(expected) == {"company-own-rights"}  # every holder's rights were acquired
