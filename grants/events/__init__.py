"""The ledger's vocabulary: one constructor per kind of event the grants services write.

Each constructor takes the domain objects and figures of its change, builds the payload itself and
writes the event through `grants.services.ledger.ledger_record`. The payload keys are read by the
request pages (``transfer_request_id``, ``inheritance_case_id``, ``exercise_request_id``,
``corporate_action_id``), the audit trail and the tests: add keys, never rename them.

Events that move rights between two register lines (transfer, succession, restructuring) come in
pairs, one per line, so the register per holder stays the sum of its events; their constructors write
both and return them as ``(out, in)``.
"""

from .accounting import event_service_period_set, service_period_values
from .companies import (
    COMPANY_FIELDS,
    company_values,
    event_acquired_by_company,
    event_acquisition_resolved,
    event_cancelled,
    event_company_changed,
    event_company_created,
    event_restructured,
)
from .corporate_actions import (
    event_adjusted,
    event_corporate_action_approved,
    event_corporate_action_recorded,
    event_corporate_action_rejected,
)
from .evidence import event_evidence_attached
from .exercises import event_exercise_requested, event_exercised, event_lapsed, event_reversal
from .inheritance import (
    event_heir_designated,
    event_inheritance_opened,
    event_inheritance_rejected,
    event_succession,
    event_succession_without_rights,
)
from .market import event_calendar_changed, event_market_data_imported, event_valuation
from .series import (
    allotted_spec,
    event_allotment_date_changed,
    event_allotted,
    event_amount_determined,
    event_series_allotment_closed,
    event_series_closed,
    event_series_created,
    event_series_resolved,
)
from .transfers import (
    event_transfer_approved,
    event_transfer_deemed_approved,
    event_transfer_registered,
    event_transfer_rejected,
    event_transfer_requested,
)

__all__ = [
    "event_evidence_attached",
    "COMPANY_FIELDS",
    "company_values",
    "event_acquired_by_company",
    "event_acquisition_resolved",
    "event_adjusted",
    "event_allotment_date_changed",
    "allotted_spec",
    "event_allotted",
    "event_amount_determined",
    "event_calendar_changed",
    "event_cancelled",
    "event_company_changed",
    "event_company_created",
    "event_corporate_action_approved",
    "event_corporate_action_recorded",
    "event_corporate_action_rejected",
    "event_exercise_requested",
    "event_exercised",
    "event_heir_designated",
    "event_inheritance_rejected",
    "event_inheritance_opened",
    "event_lapsed",
    "event_restructured",
    "event_market_data_imported",
    "event_reversal",
    "event_series_allotment_closed",
    "event_series_closed",
    "event_series_created",
    "event_series_resolved",
    "event_service_period_set",
    "event_succession",
    "event_succession_without_rights",
    "event_transfer_approved",
    "event_transfer_deemed_approved",
    "event_transfer_registered",
    "event_transfer_rejected",
    "event_transfer_requested",
    "event_valuation",
    "service_period_values",
]
