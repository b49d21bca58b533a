"""How an input of a valuation is written down: its stored precision, its figures as text, and where
it came from in words a page can show in its reader's language, notice (12).

Shared by the imports (their reports), the input reads (each input's source) and the valuation
workflow, so each says it the same way.
"""

from __future__ import annotations

from decimal import ROUND_HALF_EVEN, Decimal
from typing import Any

from django.utils.translation import gettext

from valuations.domain.problems import Problem

from .models import FRACTION_PLACES, YEN_PLACES, problem_to_json

FRACTION_QUANTUM = Decimal(1).scaleb(-FRACTION_PLACES)
YEN_QUANTUM = Decimal(1).scaleb(-YEN_PLACES)


def quantize_fraction(value: Decimal) -> Decimal:
    """Fix a fraction to the stored precision before it is priced or saved (docs/reliability.md fact 6)."""
    return value.quantize(FRACTION_QUANTUM, rounding=ROUND_HALF_EVEN)


def decimal_text(value: Any) -> str:
    """A figure as stored in JSON: a Decimal in plain notation (never 1E+2), anything else as str."""
    return format(value, "f") if isinstance(value, Decimal) else str(value)


def described(problem: Problem, **source: Any) -> dict:
    """A source with its description twice: English ("detail", as before) and a message to translate
    when shown ("detail_message"), so the page speaks its reader's language."""
    return {**source, "detail": problem.render(), "detail_message": problem_to_json(problem)}


def problem_text(problem: Problem | str) -> str:
    """A problem in the active language: translated when it is shown, not when it was found."""
    if isinstance(problem, Problem):
        return problem.render(gettext)
    return str(problem)


def error_text(exc: Exception) -> str:
    """A domain error's message in the active language (ProblemError carries its template)."""
    problem = getattr(exc, "problem", None)
    return problem_text(problem) if isinstance(problem, Problem) else str(exc)
