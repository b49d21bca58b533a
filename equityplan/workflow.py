"""The one checker of workflow transitions. Each app keeps its tables, as data, in its `transitions` module."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

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


FOUR_EYES = "same_user"


def check_four_eyes(*, actor, recorded_by: Iterable[Any]) -> None:
    """The one four-eyes rule (docs/domain.md reading R44): whoever recorded what is decided cannot decide it.

    Holds for every role, superusers included; ``recorded_by`` lists users or user ids (None skipped).
    """
    recorders = {getattr(r, "pk", r) for r in recorded_by if r is not None}
    if actor.pk in recorders:
        raise ValidationError(
            _("A decision must be taken by a user other than the one who recorded what is decided."),
            code=FOUR_EYES,
        )


def is_four_eyes_refusal(exc: ValidationError) -> bool:
    """True when a service's refusal is the four-eyes rule: the page answers 403, nothing written."""
    errors = (
        [e for errs in exc.error_dict.values() for e in errs]
        if hasattr(exc, "error_dict")
        else exc.error_list
    )
    return any(getattr(e, "code", None) == FOUR_EYES for e in errors)
