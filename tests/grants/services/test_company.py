"""Companies: the issuer and successor companies, entered and changed with their ledger events."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from grants import services
from grants.models import Company, LedgerEvent
from tests.factories import CompanyFactory

pytestmark = pytest.mark.django_db


def test_company_create_records_every_detail(legal):
    company = services.company_create(
        name=" Example Holdings Inc. ",
        name_ja="株式会社エグザンプル",
        securities_code="9999",
        address="1-1 Marunouchi, Chiyoda-ku, Tokyo",
        effective_date=date(2024, 4, 1),
        actor=legal,
    )
    assert company.name == "Example Holdings Inc."
    event = LedgerEvent.objects.get(event_type=LedgerEvent.Type.COMPANY_CREATED)
    assert (event.series, event.holder, event.recorded_by, event.effective_date) == (
        None,
        None,
        legal,
        date(2024, 4, 1),
    )
    assert event.payload == {
        "company_id": company.pk,
        "name": "Example Holdings Inc.",
        "name_ja": "株式会社エグザンプル",
        "securities_code": "9999",
        "address": "1-1 Marunouchi, Chiyoda-ku, Tokyo",
        "representative": "",
        "successor_of": None,
        "accounting_standard": "jgaap",
        "fiscal_year_end_month": 3,
    }


def test_company_create_validates_before_saving(legal):
    with pytest.raises(ValidationError) as exc:
        services.company_create(name="  ", effective_date=date(2024, 4, 1), actor=legal)
    assert "name" in exc.value.message_dict
    assert not Company.objects.exists() and not LedgerEvent.objects.exists()


def test_company_update_records_only_the_changed_fields_before_and_after(legal):
    issuer = CompanyFactory(name="Old Name Inc.", securities_code="1234")
    successor = CompanyFactory(name="NewCo Holdings")
    services.company_update(
        company=successor,
        name="NewCo Holdings",  # unchanged: not on the event
        representative="Taro Example (fictional)",
        successor_of=issuer,
        effective_date=date(2030, 4, 1),
        actor=legal,
    )
    successor.refresh_from_db()
    assert successor.successor_of == issuer and successor.representative == "Taro Example (fictional)"
    event = LedgerEvent.objects.get(event_type=LedgerEvent.Type.COMPANY_CHANGED)
    assert (event.recorded_by, event.effective_date) == (legal, date(2030, 4, 1))
    assert event.payload == {
        "company_id": successor.pk,
        "before": {"representative": "", "successor_of": None},
        "after": {"representative": "Taro Example (fictional)", "successor_of": issuer.pk},
    }


def test_company_update_refuses_no_change_and_its_own_predecessor(legal):
    company = CompanyFactory(name="Same Inc.")
    with pytest.raises(ValidationError) as exc:
        services.company_update(
            company=company, name=" Same Inc. ", effective_date=date(2030, 1, 1), actor=legal
        )
    assert exc.value.code == "unchanged"
    with pytest.raises(ValidationError) as exc:
        services.company_update(
            company=company, successor_of=company, effective_date=date(2030, 1, 1), actor=legal
        )
    assert "successor_of" in exc.value.message_dict
    with pytest.raises(TypeError):
        services.company_update(company=company, status="x", effective_date=date(2030, 1, 1), actor=legal)
    assert not LedgerEvent.objects.exists()
