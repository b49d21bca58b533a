"""Which companies a user may see: every page, export, decision and report filters by this.

docs/domain.md reading R47: a user with CompanyAccess rows sees those companies only; a user with none sees
every company; a superuser sees every company whatever the rows say.
"""

from __future__ import annotations

from django.db.models import QuerySet

from .models import Company, CompanyAccess


def company_ids(user) -> frozenset[int] | None:
    """The ids of the companies ``user`` is limited to, or None where they see every company."""
    if user is None or not getattr(user, "is_authenticated", False):
        return frozenset()
    if user.is_superuser:
        return None
    if hasattr(user, "_visible_company_ids"):
        cached: frozenset[int] | None = user._visible_company_ids
        return cached
    ids = frozenset(CompanyAccess.objects.filter(user=user).values_list("company_id", flat=True))
    result = ids or None
    user._visible_company_ids = result  # once per request
    return result


def visible_companies(user) -> QuerySet[Company]:
    """The companies whose series, holders and papers `user` may read or decide."""
    ids = company_ids(user)
    return Company.objects.all() if ids is None else Company.objects.filter(pk__in=ids)


def limit_company_choices(form, user):
    """Offer in ``form`` only the companies ``user`` may see: nobody records for another company."""
    for field in form.fields.values():
        queryset = getattr(field, "queryset", None)
        if queryset is not None and queryset.model is Company:
            field.queryset = queryset.filter(pk__in=visible_companies(user).values("pk"))
    return form
