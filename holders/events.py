"""The holders' trail vocabulary: one constructor per kind of HolderEvent the holder services write.

Each takes the records of its change, builds the before and after values itself and writes the
event through `holder_event_record`. The keys are shown on the audit trail as they are: add keys,
never rename them.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from django.contrib.auth.models import User

from equityplan.bulk import clean_given

from .models import Heir, Holder, HolderAddress, HolderEvent, HolderLogin, Position

Type = HolderEvent.Type


def holder_event_row(
    *,
    holder: Holder,
    event_type: str,
    effective_date: date,
    actor: User,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    approved_by: User | None = None,
) -> HolderEvent:
    """A holder event not yet written: ``holder_event_record`` writes one, ``holder_event_record_many``
    many."""
    return HolderEvent(
        holder=holder,
        event_type=event_type,
        effective_date=effective_date,
        recorded_by=actor,
        approved_by=approved_by,
        before=before or {},
        after=after or {},
    )


def holder_event_record(
    *,
    holder: Holder,
    event_type: str,
    effective_date: date,
    actor: User,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    approved_by: User | None = None,
) -> HolderEvent:
    """The one low-level writer of holder events; the constructors below call it."""
    event = holder_event_row(
        holder=holder,
        event_type=event_type,
        effective_date=effective_date,
        actor=actor,
        before=before,
        after=after,
        approved_by=approved_by,
    )
    event.full_clean()
    event.save()
    return event


def holder_event_record_many(rows: Sequence[HolderEvent]) -> list[HolderEvent]:
    """Many events from ``holder_event_row``, in order, as one chained bulk insert (equityplan.appendonly)."""
    for row in rows:
        clean_given(row)
    return HolderEvent.objects.bulk_create(rows)


def event_holder_created(*, holder: Holder, address: HolderAddress, actor: User) -> HolderEvent:
    """A holder entered with a first address, effective from that address's date."""
    return holder_event_record(**_holder_created(holder=holder, address=address, actor=actor))


def holder_created_row(*, holder: Holder, address: HolderAddress, actor: User) -> HolderEvent:
    return holder_event_row(**_holder_created(holder=holder, address=address, actor=actor))


def _holder_created(*, holder: Holder, address: HolderAddress, actor: User) -> dict[str, Any]:
    return {
        "holder": holder,
        "event_type": Type.CREATED,
        "effective_date": address.valid_from,
        "actor": actor,
        "after": {
            "name": holder.name,
            "address": address.address,
            "email": holder.email,
            "phone": holder.phone,
        },
    }


def event_address_changed(*, address: HolderAddress, address_before: str, actor: User) -> HolderEvent:
    """A new address from its date; the register shows the address as of its date (Art 249)."""
    return holder_event_record(
        holder=address.holder,
        event_type=Type.ADDRESS_CHANGED,
        effective_date=address.valid_from,
        actor=actor,
        before={"address": address_before},
        after={"address": address.address},
    )


def event_position_started(*, position: Position, actor: User) -> HolderEvent:
    """Office taken as director or executive officer at a company."""
    return holder_event_record(**_position_started(position=position, actor=actor))


def position_started_row(*, position: Position, actor: User) -> HolderEvent:
    return holder_event_row(**_position_started(position=position, actor=actor))


def _position_started(*, position: Position, actor: User) -> dict[str, Any]:
    return {
        "holder": position.holder,
        "event_type": Type.POSITION_STARTED,
        "effective_date": position.started_on,
        "actor": actor,
        "after": {
            "position_id": position.pk,
            "company_id": position.company_id,
            "company": str(position.company),
            "title": position.title,
            "started_on": position.started_on.isoformat(),
        },
    }


def event_position_ended(*, position: Position, actor: User) -> HolderEvent:
    """Office ended, with the reason: a loss of office opens the departure window (11)2."""
    ended_on = position.ended_on
    if ended_on is None:
        raise ValueError("position.ended_on is not set; position_end sets it before writing the event")
    return holder_event_record(
        holder=position.holder,
        event_type=Type.POSITION_ENDED,
        effective_date=ended_on,
        actor=actor,
        before={"position_id": position.pk, "ended_on": None},
        after={
            "position_id": position.pk,
            "title": position.title,
            "ended_on": ended_on.isoformat(),
            "reason": position.end_reason,
        },
    )


def event_holder_died(*, holder: Holder, positions_ended: Sequence[Position], actor: User) -> HolderEvent:
    """A death recorded, with the positions it ended (reason death: no departure window, (11)2)."""
    died_on = holder.died_on
    if died_on is None:
        raise ValueError("holder.died_on is not set; holder_record_death sets it before writing the event")
    return holder_event_record(
        holder=holder,
        event_type=Type.DIED,
        effective_date=died_on,
        actor=actor,
        before={"died_on": None},
        after={"died_on": died_on.isoformat(), "positions_ended": [p.pk for p in positions_ended]},
    )


def event_heir_designated(*, heir: Heir, actor: User) -> HolderEvent:
    """The one heir of a deceased holder, on the deceased's trail, notice (11)3."""
    return holder_event_record(
        holder=heir.deceased,
        event_type=Type.HEIR_DESIGNATED,
        effective_date=heir.designated_on,
        actor=actor,
        after={"heir_id": heir.heir_id, "heir": heir.heir.name, "relationship": heir.relationship},
    )


def event_details_changed(
    *, holder: Holder, before: dict[str, str], after: dict[str, str], effective_date: date, actor: User
) -> HolderEvent:
    """Name or contact details changed from ``effective_date``: each changed field before and after."""
    return holder_event_record(
        holder=holder,
        event_type=Type.DETAILS_CHANGED,
        effective_date=effective_date,
        actor=actor,
        before=before,
        after=after,
    )


def event_my_number_set(*, holder: Holder, replaced: bool, effective_date: date, actor: User) -> HolderEvent:
    """My Number recorded or replaced: only its masked form goes on the trail, never the number."""
    return holder_event_record(
        holder=holder,
        event_type=Type.MY_NUMBER_SET,
        effective_date=effective_date,
        actor=actor,
        before={"my_number": "(recorded)" if replaced else ""},
        after={"my_number": holder.my_number_masked},
    )


def event_my_number_read(*, holder: Holder, purpose: str, effective_date: date, actor: User) -> HolderEvent:
    """My Number revealed to ``actor`` for ``purpose``: who read it and when is the trail's record."""
    return holder_event_record(
        holder=holder,
        event_type=Type.MY_NUMBER_READ,
        effective_date=effective_date,
        actor=actor,
        after={"purpose": purpose, "my_number": holder.my_number_masked},
    )


def event_login_granted(*, login: HolderLogin, actor: User) -> HolderEvent:
    """A sign-in to the holder's own view given: which user, so the trail shows who may look."""
    return holder_event_record(
        holder=login.holder,
        event_type=Type.LOGIN_GRANTED,
        effective_date=login.created_at.date(),
        actor=actor,
        after={"user_id": login.user_id, "username": login.user.get_username()},
    )
