"""Transfer requests in each kind of series the terms allow: for the queue, deadline and sweep tests."""

from datetime import date

from grants import services
from grants.models import TransferRequest

from .lifecycle import allotted_scenario, holding, new_person

REQUESTED_ON = date(2020, 3, 2)  # due 16 March 2020 (Art 266)


def one_request_per_kind_of_series(*, legal) -> dict[str, TransferRequest]:
    """One request of 2 rights received on 2 March 2020 in each kind of series: "allowed" (transfers
    need the board's approval, notice (7)), "free" (no approval needed) and "forbidden" (the allotment
    terms forbid transfer, (11)4: recorded before that was enforced, so written straight to the table).
    """
    allowed = allotted_scenario(legal=legal, transfer_prohibited_by_allotment_terms=False)
    free = allotted_scenario(
        legal=legal, transfer_prohibited_by_allotment_terms=False, transfer_requires_board_approval=False
    )
    forbidden = allotted_scenario(legal=legal)
    transferee = new_person(actor=legal, name="Transferee (fictional)")
    rows = {
        name: services.transfer_request(
            holding=holding(s.series, s.director),
            transferee=transferee,
            rights=2,
            requested_on=REQUESTED_ON,
            actor=legal,
        )
        for name, s in (("allowed", allowed), ("free", free))
    }
    rows["forbidden"] = TransferRequest.objects.create(
        holding=holding(forbidden.series, forbidden.director),
        series=forbidden.series,
        transferor=forbidden.director,
        transferee=transferee,
        rights=2,
        requested_on=REQUESTED_ON,
        decision_due_on=date(2020, 3, 16),
        requested_by=legal,
    )
    return rows
