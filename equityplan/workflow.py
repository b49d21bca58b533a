"""The one checker of workflow transitions. Each app keeps its tables, as data, in its `transitions` module."""

from __future__ import annotations

from collections.abc import Mapping

from django.core.exceptions import ValidationError
from django.db.models import TextChoices
from django.utils.translation import gettext as _

TransitionTable = Mapping[str, frozenset[str] | set[str]]


def check_transition(table: TransitionTable, current: str, target: str, labels: type[TextChoices]) -> None:
    """Refuse a move the table does not list, naming both states in the reader's language."""
    if target not in table.get(current, ()):
        raise ValidationError(
            _("This record is %(current)s and cannot become %(target)s.")
            % {"current": labels(current).label, "target": labels(target).label},
            code="invalid_transition",
        )
