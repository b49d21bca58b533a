"""A board-approved transfer as the services record it: requested, approved a week later (notified
by letter the same day, Art 265(2)), registered three days after; the transferee's lot keeps the
original allottee, whose office decides its exercise (11)2."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from .rows import Table


def _moment(day: date, hour: int = 9) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=UTC)


def transfer_requested(table: Table, holding, transferee, rights: int, on: date, actor, secretary):
    from grants.events import event_transfer_requested
    from grants.models import TransferRequest

    decided = on + timedelta(days=7)
    registered = on + timedelta(days=10)
    request = TransferRequest(
        holding=holding, series=holding.series, transferor=holding.holder, transferee=transferee, rights=rights,
        status=TransferRequest.Status.REQUESTED, requested_on=on, decision_due_on=on + timedelta(days=14),
        requested_by=actor, requested_at=_moment(on), decided_by=secretary, decided_at=_moment(decided),
        resolution_date=decided, resolution_reference=f"Board {decided.isoformat()} transfer",
        notified_on=decided, notified_how=TransferRequest.Notification.LETTER,
        registered_by=actor, registered_at=_moment(registered), registered_on=registered,
    )  # fmt: skip
    request.pk = table.next_id  # its id now (the events name it), its row once registered
    table.next_id += 1
    event_transfer_requested(request=request, actor=actor)
    return request


def transfer_approved(request, secretary) -> None:
    from grants.events import event_transfer_approved

    request.status = request.Status.APPROVED
    event_transfer_approved(request=request, status_before=request.Status.REQUESTED, actor=secretary)


def transfer_registered(request, requests: Table, lots: Table, holding, source_lot, rights_left: int, actor):
    """The out and in events; the request's row (now final) and the transferee's lot are written."""
    from grants.events import event_transfer_registered
    from grants.models import Lot

    request.status = request.Status.REGISTERED
    event_transfer_registered(request=request, status_before=request.Status.APPROVED, actor=actor)
    requests.rows.append(request)
    return lots.add(
        Lot(holding=holding, rights=rights_left, origin=Lot.Origin.TRANSFERRED, allottee=source_lot.allottee,
            acquired_on=request.registered_on, transfer_request=request, source=source_lot)
    )  # fmt: skip
