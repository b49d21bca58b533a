"""Messages for people, kept as templates so each page can show them in its reader's language.

The domain does not import Django: a problem is an English ``%``-template with named parameters,
and the page translates the template when it renders (``gettext(template) % params``). Templates
are marked with :func:`gettext_noop`, which ``makemessages`` (xgettext) extracts by name.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

__all__ = ["Problem", "ProblemError", "gettext_noop", "join_problems"]


def gettext_noop(message: str) -> str:
    """Mark a template for translation without translating it (same name as Django's, for xgettext)."""
    return message


def _untranslated(template: str) -> str:
    return template


@dataclass(frozen=True)
class Problem:
    """An English template with named ``%`` placeholders and its parameters.

    A parameter may itself be a Problem (a reason inside a reason); it is rendered the same way.
    """

    template: str
    params: Mapping[str, object] = field(default_factory=dict)

    def render(self, translate: Callable[[str], str] = _untranslated) -> str:
        params = {
            name: value.render(translate) if isinstance(value, Problem) else value
            for name, value in self.params.items()
        }
        return translate(self.template) % params

    def __str__(self) -> str:
        return self.render()


def join_problems(problems: Sequence[Problem]) -> Problem:
    """Several problems of one line as one, each kept translatable."""
    joined = problems[0]
    for problem in problems[1:]:
        joined = Problem(gettext_noop("%(first)s; %(next)s"), {"first": joined, "next": problem})
    return joined


class ProblemError(ValueError):
    """A ValueError whose message a page can translate: ``exc.problem``; ``str(exc)`` is English."""

    def __init__(self, template: str, **params: object) -> None:
        self.problem = Problem(template, params)
        super().__init__(str(self.problem))
