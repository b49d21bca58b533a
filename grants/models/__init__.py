"""grants models, one module per concept, re-exported here."""

from companies.models import Company

from .acquisition import CompanyAcquisition, CompanyHeldRights, Restructuring
from .allotment import Allotment, Holding
from .bulk_import import HolderImport
from .corporate_action import CorporateAction
from .evidence import Evidence
from .exercise import ExerciseRequest
from .inheritance import InheritanceCase
from .ledger import LedgerEvent
from .lot import Lot
from .register_line import RegisterHolderCount, RegisterLineState, RegisterSeriesTotals
from .series import AllotmentCategory, PlannedAllotment, Series, ShareAdjustment
from .transfer import TransferRequest

__all__ = [
    "Allotment",
    "AllotmentCategory",
    "Company",
    "CompanyAcquisition",
    "CompanyHeldRights",
    "CorporateAction",
    "Evidence",
    "ExerciseRequest",
    "HolderImport",
    "Holding",
    "InheritanceCase",
    "LedgerEvent",
    "Lot",
    "PlannedAllotment",
    "RegisterHolderCount",
    "RegisterLineState",
    "RegisterSeriesTotals",
    "Restructuring",
    "Series",
    "ShareAdjustment",
    "TransferRequest",
]
