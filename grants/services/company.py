"""Companies: the issuer of the rights and the successor companies of a restructuring (9).

The issuer's name and head office are in the register's heading and on every paper, so a company is
entered and changed only here, with the old and new values on the ledger.
"""

from __future__ import annotations

from datetime import date

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from companies.models import AccountingStandard
from grants import events
from grants.models import Company


@transaction.atomic
def company_create(
    *,
    name: str,
    effective_date: date,
    actor: User,
    name_ja: str = "",
    securities_code: str = "",
    address: str = "",
    representative: str = "",
    successor_of: Company | None = None,
    accounting_standard: str = AccountingStandard.JGAAP,
    fiscal_year_end_month: int = 3,
) -> Company:
    """Enter a company with its details; one `company_created` event carries them all."""
    company = Company(
        name=name.strip(),
        name_ja=name_ja.strip(),
        securities_code=securities_code.strip(),
        address=address.strip(),
        representative=representative.strip(),
        successor_of=successor_of,
        accounting_standard=accounting_standard,
        fiscal_year_end_month=fiscal_year_end_month,
    )
    company.full_clean()
    company.save()
    events.event_company_created(company=company, effective_date=effective_date, actor=actor)
    return company


@transaction.atomic
def company_update(
    *, company: Company, effective_date: date, actor: User, **details: str | int | Company | None
) -> Company:
    """Change a company's details from ``effective_date``; one `company_changed` event with each changed
    field's value before and after (the predecessor company by its id). Unchanged fields are left out;
    a call that changes nothing is refused.
    """
    unknown = set(details) - set(events.COMPANY_FIELDS)
    if unknown:
        raise TypeError(f"company_update() got unknown details: {', '.join(sorted(unknown))}")
    company = Company.objects.select_for_update().get(pk=company.pk)
    before: dict[str, object] = {}
    after: dict[str, object] = {}
    for field, value in details.items():
        if field == "successor_of":
            predecessor = value if isinstance(value, Company) else None
            if predecessor is not None and predecessor.pk == company.pk:
                raise ValidationError(
                    {"successor_of": _("A company cannot be its own predecessor.")}, code="self"
                )
            new_id = predecessor.pk if predecessor is not None else None
            if company.successor_of_id != new_id:
                before[field], after[field] = company.successor_of_id, new_id
                company.successor_of = predecessor
            continue
        if field == "fiscal_year_end_month":
            # docs/domain.md §7: the accounts' fiscal year, a month whose last day ends it
            if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= 12:
                raise ValidationError(
                    {field: _("The fiscal year must end in a month from 1 to 12.")}, code="month"
                )
            if company.fiscal_year_end_month != value:
                before[field], after[field] = company.fiscal_year_end_month, value
                company.fiscal_year_end_month = value
            continue
        text = value.strip() if isinstance(value, str) else ""
        if getattr(company, field) != text:
            before[field], after[field] = getattr(company, field), text
            setattr(company, field, text)
    if not after:
        raise ValidationError(_("Nothing was changed."), code="unchanged")
    company.full_clean()
    company.save(update_fields=list(after))
    events.event_company_changed(
        company=company, before=before, after=after, effective_date=effective_date, actor=actor
    )
    return company
