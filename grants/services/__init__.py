"""Every write to grants goes through one of these functions (one door per change).

Each writes the ledger events of its change through the constructors of `grants.events`;
tests/test_service_events.py holds, for every name below that is a function, the events it writes.
"""

from .acquisition import company_acquisition_execute, company_acquisition_resolve, rights_cancel
from .allotment import AllotmentRow, allotment_create, allotments_create_many
from .allotment_amount import allotment_set_amount_paid
from .bulk_import import holder_import_claim, holder_import_read, holder_import_run
from .company import company_create, company_update
from .corporate_action import corporate_action_approve, corporate_action_record, corporate_action_reject
from .evidence import evidence_attach
from .exercise import exercise_confirm_payment, exercise_refusals, exercise_request, exercise_withdraw
from .inheritance import (
    death_record,
    heir_designate,
    inheritance_approve,
    inheritance_open,
    inheritance_reject,
)
from .lapse import LapseReason, rights_lapse
from .restructuring import restructuring_apply
from .series import series_change_allotment_date, series_close_allotment, series_create, series_resolve
from .service_period import series_set_service_period
from .transfer import (
    transfer_approve,
    transfer_deem_approved,
    transfer_register,
    transfer_reject,
    transfer_request,
)

__all__ = [
    "AllotmentRow",
    "LapseReason",
    "allotment_create",
    "allotments_create_many",
    "allotment_set_amount_paid",
    "company_acquisition_execute",
    "company_acquisition_resolve",
    "company_create",
    "company_update",
    "corporate_action_approve",
    "corporate_action_record",
    "corporate_action_reject",
    "death_record",
    "evidence_attach",
    "exercise_confirm_payment",
    "exercise_refusals",
    "exercise_request",
    "exercise_withdraw",
    "heir_designate",
    "holder_import_claim",
    "holder_import_read",
    "holder_import_run",
    "inheritance_approve",
    "inheritance_open",
    "inheritance_reject",
    "restructuring_apply",
    "rights_cancel",
    "rights_lapse",
    "series_change_allotment_date",
    "series_close_allotment",
    "series_create",
    "series_resolve",
    "series_set_service_period",
    "transfer_approve",
    "transfer_deem_approved",
    "transfer_register",
    "transfer_reject",
    "transfer_request",
]
