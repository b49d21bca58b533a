"""The companies a user may see, applied to the rights' records (docs/domain.md reading R47).

A record belongs to companies: a series (and all that hangs on it) to its issuer, a corporate action
to its company, a holder to the companies where they hold office or rights. A user limited to some
companies sees a record when one of its companies is theirs; anything else is "not found" (404).
Lists are filtered in a fixed number of queries.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any, TypeVar

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from companies.access import company_ids
from companies.models import Company
from grants.models import CorporateAction, Holding, InheritanceCase, LedgerEvent, Series
from holders.access import visible_holders
from holders.models import Holder, Position

T = TypeVar("T")


def holder_companies(holder_ids: Iterable[int]) -> dict[int, set[int]]:
    """Each holder's companies: where they hold (or held) office, and the issuers of their rights."""
    ids = set(holder_ids)
    found: dict[int, set[int]] = defaultdict(set)
    if not ids:
        return found
    for holder_id, company_id in Position.objects.filter(holder_id__in=ids).values_list(
        "holder_id", "company_id"
    ):
        found[holder_id].add(company_id)
    for holder_id, company_id in Holding.objects.filter(holder_id__in=ids).values_list(
        "holder_id", "series__company_id"
    ):
        found[holder_id].add(company_id)
    return found


def _owner(thing: Any) -> tuple[str, int] | None:
    """("company", id) or ("holder", id): what decides whether ``thing`` is visible."""
    if isinstance(thing, dict):
        thing = thing.get("series") or thing.get("holder")
    elif hasattr(thing, "subject"):  # a pending decision
        thing = thing.subject
    elif hasattr(thing, "due_on"):  # a deadline
        thing = thing.series or thing.holder
    if thing is None:
        return None
    if isinstance(thing, Company):
        return ("company", thing.pk)
    if isinstance(thing, Series | CorporateAction):
        return ("company", thing.company_id)
    if isinstance(thing, Holder):
        return ("holder", thing.pk)
    if isinstance(thing, InheritanceCase):
        return ("holder", thing.deceased_id)
    series = getattr(thing, "series", None)  # a holding, a request, a valuation, a report's row
    if isinstance(series, Series):
        return ("company", series.company_id)
    holder_id = getattr(thing, "holder_id", None)
    if holder_id is not None:
        return ("holder", holder_id)
    return None


def visible_items(user, items: Iterable[T]) -> list[T]:
    """The items of a list that ``user`` may see (all of them for a user who sees every company)."""
    items = list(items)
    allowed = company_ids(user)
    if allowed is None:
        return items
    owners = [_owner(item) for item in items]
    holders = holder_companies(o[1] for o in owners if o is not None and o[0] == "holder")
    kept = []
    for item, owner in zip(items, owners, strict=True):
        if owner is None:
            continue  # belongs to no company: only users who see every company see it
        companies = {owner[1]} if owner[0] == "company" else holders.get(owner[1], set())
        if companies & allowed:
            kept.append(item)
    return kept


def check_visible(user, thing: Any) -> None:
    """A record outside the user's companies is not found, exactly like one that does not exist."""
    if not visible_items(user, [thing]):
        raise Http404(_("Not found."))


def visible_series(user, qs: QuerySet[Series]) -> QuerySet[Series]:
    allowed = company_ids(user)
    return qs if allowed is None else qs.filter(company_id__in=allowed)


__all__ = [
    "check_visible",
    "holder_companies",
    "visible_events",
    "visible_holders",
    "visible_items",
    "visible_series",
]


def visible_events(user, qs: QuerySet[LedgerEvent]) -> QuerySet[LedgerEvent]:
    """Ledger events of the user's series, or (with no series) of their holders."""
    allowed = company_ids(user)
    if allowed is None:
        return qs
    return qs.filter(
        Q(series__company_id__in=allowed) | Q(series__isnull=True, holder__in=visible_holders(user))
    )
