"""The holder tally (holders.models.HolderTally): the holders list's totals kept, not counted.

"In office" is a living holder with an open position at any company, "deceased" a holder whose
death is recorded (docs/domain.md R63). A death ends every open position, so no deceased holder is
in office. Each holder service says what its change does to the three figures, under the holder's
row lock, so that two changes to one holder cannot both count the same step.
"""

from __future__ import annotations

from django.db import connection, transaction
from django.db.models import Count, F, Q

from equityplan.appendonly import lock_chain

from .models import Holder, HolderEvent, HolderTally, Position

FIGURES = ("holders", "in_office", "deceased")


def counted(using: str = "default", holder_model=Holder, position_model=Position) -> dict[str, int]:
    """The three figures counted from the holders and their positions (the models may be a
    migration's historical ones)."""
    open_positions = position_model.objects.using(using).filter(ended_on__isnull=True).values("holder_id")
    return holder_model.objects.using(using).aggregate(
        holders=Count("pk"),
        in_office=Count("pk", filter=Q(pk__in=open_positions, died_on__isnull=True)),
        deceased=Count("pk", filter=Q(died_on__isnull=False)),
    )


def tally_change(*, holders: int = 0, in_office: int = 0, deceased: int = 0) -> None:
    """Add to the tally, in the caller's transaction. Without its row (a database emptied by hand)
    nothing is kept, and the list counts instead (``kept``)."""
    steps = {"holders": holders, "in_office": in_office, "deceased": deceased}
    changes = {name: F(name) + n for name, n in steps.items() if n}
    if changes:
        HolderTally.objects.filter(pk=1).update(**changes)


def kept(using: str = "default") -> dict[str, int] | None:
    """The tally's figures, or None where it has no row."""
    return HolderTally.objects.using(using).filter(pk=1).values(*FIGURES).first()


def recount() -> dict[str, int]:
    """Set the tally from a count: after a bulk load that went around the services, or a repair
    (``manage.py holder_tally_recount``). Under the holders' chain lock, which every holder service
    holds from its event to its commit: a change is either in the count or added after it."""
    with transaction.atomic():
        lock_chain(connection, HolderEvent._meta.db_table)
        figures = counted()
        HolderTally.objects.update_or_create(pk=1, defaults=figures)
    return figures
