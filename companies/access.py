"""Which companies a user may see: every page, export, decision and report filters by this."""

from django.db.models import QuerySet

from .models import Company


def visible_companies(user) -> QuerySet[Company]:
    """The companies whose series, holders and papers `user` may read or decide."""
    return Company.objects.all()
