"""The holders a user may see (docs/domain.md reading R47): those who hold or held office at one of their
companies, or rights of one of its series (the reverse relation ``holdings`` is the grants app's)."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from companies.access import company_ids

from .models import Holder

# The fourth role (docs/domain.md reading R54): a holder or heir who signs in to see their own rights.
HOLDER_ROLE = "Holder"


def own_holder(user) -> Holder | None:
    """The holder a signed-in holder's user is linked to, or None for staff and anonymous users."""
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    login = getattr(user, "holder_login", None)
    return login.holder if login is not None else None


def visible_holders(user, qs: QuerySet[Holder] | None = None) -> QuerySet[Holder]:
    qs = Holder.objects.all() if qs is None else qs
    allowed = company_ids(user)
    if allowed is None:
        return qs
    return qs.filter(
        Q(pk__in=Holder.objects.filter(positions__company_id__in=allowed).values("pk"))
        | Q(pk__in=Holder.objects.filter(holdings__series__company_id__in=allowed).values("pk"))
    )
