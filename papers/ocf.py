"""Open Cap Format 1.2 export of one company: docs/ocf.md (the mapping and what OCF cannot hold).

Built from the ledger alone, like the register: each acquisition of rights (allotment, registered
transfer, succession, successor rights) is an equity-compensation issuance of its own security;
rights leaving a holding are taken from the holder's earliest security first (the register's
rule, Art 249 item 3). A security only partly transferred or cancelled leaves its balance in a new
security (OCF's ``balance_security_id``); a partial exercise leaves it in the same one. Quantities
are shares (rights times shares per right on the day), prices per share in yen.
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from django.db.models import Q

from companies.models import Company
from grants.models import CorporateAction, LedgerEvent, Series
from grants.selectors.corporate_actions import PRICE_BASIS_KINDS
from grants.selectors.register import register_shares_per_right
from holders.models import Holder

OCF_VERSION = "1.2.0"
T = LedgerEvent.Type
COMPANY_STAKEHOLDER = "company-own-rights"
# Rights arriving: a new security for the holder (docs/ocf.md).
ARRIVING = {T.ALLOTTED, T.RESTRUCTURED, T.REVERSAL}
REASONS: dict[str, str] = {
    T.LAPSED: "Lapsed (the terms' conditions for exercise can no longer be met)",
    T.CANCELLED: "Cancelled by the company (Companies Act Art 276)",
    T.RESTRUCTURED: "Passed to a successor series on an organizational restructuring",
    T.REVERSAL: "Reversal of an earlier ledger event",
}


def _numeric(value: int | Decimal) -> str:
    return format(Decimal(value).normalize(), "f") if isinstance(value, Decimal) else str(value)


def _yen(value: Decimal) -> dict:
    return {"amount": _numeric(value), "currency": "JPY"}


@dataclass
class _Security:
    id: str
    holder_key: str  # stakeholder id
    rights: int


@dataclass
class _Replay:
    """The ledger replayed into OCF transactions, one series at a time."""

    series: Series
    class_id: str
    items: list[dict] = field(default_factory=list)
    held: dict[str, list[_Security]] = field(default_factory=lambda: defaultdict(list))
    count: int = 0

    def _next_id(self, prefix: str) -> str:
        self.count += 1
        return f"{prefix}-s{self.series.number}-{self.count}"

    def shares(self, rights: int, on: date) -> str:
        return str(rights * register_shares_per_right(self.series, on))

    def issue(
        self, holder_key: str, rights: int, on: date, event: LedgerEvent | None, note: str
    ) -> _Security:
        s = self.series
        security = _Security(id=self._next_id("sec"), holder_key=holder_key, rights=rights)
        self.held[holder_key].append(security)
        quantity = self.shares(rights, on)
        windows = [
            {"reason": reason, "period": s.departure_window_days, "period_type": "DAYS"}
            for reason in ("VOLUNTARY_OTHER", "VOLUNTARY_RETIREMENT", "INVOLUNTARY_OTHER")
        ]
        if s.heir_allowed:
            windows.append(
                {"reason": "INVOLUNTARY_DEATH", "period": s.heir_window_months, "period_type": "MONTHS"}
            )
        comments = [f"rights: {rights}; shares per right: {register_shares_per_right(s, on)}", note]
        if event is not None:
            comments.append(f"ledger event {event.pk}")
        item: dict = {
            "object_type": "TX_EQUITY_COMPENSATION_ISSUANCE",
            "id": self._next_id("tx"),
            "date": on.isoformat(),
            "security_id": security.id,
            "custom_id": f"{s.number}-{security.id}",
            "stakeholder_id": holder_key,
            "stock_plan_id": f"plan-{s.pk}",
            "stock_class_id": self.class_id,
            "compensation_type": "OPTION",
            "quantity": quantity,
            "exercise_price": _yen(s.exercise_price_per_share_yen),
            "expiration_date": s.exercise_period_end.isoformat(),
            "termination_exercise_windows": windows,
            # Exercisable from the first day of the exercise period, all at once.
            "vestings": [{"date": s.exercise_period_start.isoformat(), "amount": quantity}],
            "security_law_exemptions": [],
            "comments": comments,
        }
        if s.resolution_date:
            item["board_approval_date"] = s.resolution_date.isoformat()
        self.items.append(item)
        return security

    def take(
        self, holder_key: str, rights: int, on: date, object_type: str, event: LedgerEvent, **extra
    ) -> list[str]:
        """Remove rights from the holder's earliest securities; the ids of what they went to."""
        moved_ids: list[str] = []
        left = rights
        for security in list(self.held[holder_key]):
            if left <= 0:
                break
            quantity = min(left, security.rights)
            left -= quantity
            item = {
                "object_type": object_type,
                "id": self._next_id("tx"),
                "date": on.isoformat(),
                "security_id": security.id,
                "quantity": self.shares(quantity, on),
                "comments": [f"rights: {quantity}", f"ledger event {event.pk}"],
                **extra,
            }
            security.rights -= quantity
            if object_type == "TX_EQUITY_COMPENSATION_TRANSFER":
                item["resulting_security_ids"] = []  # filled in by the caller with the new security
                moved_ids.append(item["id"])
            if object_type == "TX_EQUITY_COMPENSATION_EXERCISE":
                item["resulting_security_ids"] = []  # the shares delivered are not a security here
            self.items.append(item)
            if security.rights == 0:
                self.held[holder_key].remove(security)
            elif object_type != "TX_EQUITY_COMPENSATION_EXERCISE":
                # The balance stays with the holder as a new security (OCF's balance_security_id).
                self.held[holder_key].remove(security)
                balance = self.issue(
                    holder_key, security.rights, on, None, "balance after a partial transaction"
                )
                item["balance_security_id"] = balance.id
        return moved_ids

    def transfer(
        self, from_key: str, to_key: str, rights: int, on: date, event: LedgerEvent, note: str
    ) -> None:
        moved = self.take(
            from_key, rights, on, "TX_EQUITY_COMPENSATION_TRANSFER", event, consideration_text=note
        )
        arrived = self.issue(to_key, rights, on, event, note)
        for item in self.items:
            if item["id"] in moved:
                item["resulting_security_ids"] = [arrived.id]


def _holder_key(holder_id: int) -> str:
    return f"holder-{holder_id}"


def transactions(company: Company, series_list: list[Series], class_ids: dict[str, str]) -> list[dict]:
    """Every transaction of the company's series, and its approved splits, in date order."""
    moves_rights = (Q(holder__isnull=False) & ~Q(rights_delta=0)) | Q(event_type=T.CANCELLED)
    events = (
        LedgerEvent.objects.filter(series__in=series_list)
        .filter(moves_rights)
        .order_by("effective_date", "pk")
    )
    by_series = {s.pk: _Replay(series=s, class_id=class_ids[s.share_class]) for s in series_list}
    pending_out: dict[tuple[int, str], LedgerEvent] = {}
    for event in events:
        series_id = int(event.series_id or 0)  # every event read names its series (series__in)
        replay = by_series[series_id]
        on = event.effective_date
        key = _holder_key(event.holder_id) if event.holder_id else COMPANY_STAKEHOLDER
        delta = event.rights_delta
        kind = event.event_type
        if kind in (T.TRANSFER_REGISTERED, T.SUCCESSION):
            side = (event.payload or {}).get("side")
            if side == "out":
                pending_out[(series_id, kind)] = event
                continue
            note = "succession by the heir (Art 261)" if kind == T.SUCCESSION else "registered transfer"
            out = pending_out.pop((series_id, kind), None)
            if out is None or out.holder_id is None:  # an arrival with no matching departure
                replay.issue(key, delta, on, event, note)
            else:
                replay.transfer(_holder_key(out.holder_id), key, delta, on, event, note)
        elif kind == T.ACQUIRED_BY_COMPANY:
            replay.transfer(key, COMPANY_STAKEHOLDER, -delta, on, event, "acquired by the company (Art 273)")
        elif kind == T.CANCELLED:
            rights = int((event.payload or {}).get("rights") or 0)
            if rights:
                replay.take(
                    COMPANY_STAKEHOLDER,
                    rights,
                    on,
                    "TX_EQUITY_COMPENSATION_CANCELLATION",
                    event,
                    reason_text=REASONS[T.CANCELLED],
                )
        elif kind == T.EXERCISED:
            replay.take(key, -delta, on, "TX_EQUITY_COMPENSATION_EXERCISE", event)
        elif delta > 0 and kind in ARRIVING:
            note = "allotment" if kind == T.ALLOTTED else REASONS.get(kind, str(kind))
            replay.issue(key, delta, on, event, note)
        elif delta < 0:
            replay.take(
                key,
                -delta,
                on,
                "TX_EQUITY_COMPENSATION_CANCELLATION",
                event,
                reason_text=REASONS.get(kind, str(kind)),
            )
    items = [item for replay in by_series.values() for item in replay.items]
    for action in CorporateAction.objects.filter(
        company=company, status=CorporateAction.Status.APPLIED, kind__in=PRICE_BASIS_KINDS
    ).order_by("applies_from", "pk"):
        for class_id in sorted(set(class_ids.values())):
            items.append(
                {
                    "object_type": "TX_STOCK_CLASS_SPLIT",
                    "id": f"tx-split-{action.pk}-{class_id}",
                    "date": action.applies_from.isoformat(),
                    "stock_class_id": class_id,
                    "split_ratio": {
                        "numerator": str(action.ratio_numerator),
                        "denominator": str(action.ratio_denominator),
                    },
                    "comments": [f"{action.get_kind_display()} (corporate action {action.pk})"],
                }
            )
    return sorted(items, key=lambda item: item["date"])


def _file(file_type: str, items: list[dict]) -> dict:
    return {"file_type": file_type, "items": items}


def _earliest_ledger_date(company: Company, series_list: list[Series]) -> date:
    first = (
        LedgerEvent.objects.filter(
            Q(series__in=series_list) | Q(series__isnull=True, payload__company_id=company.pk)
        )
        .order_by("effective_date")
        .values_list("effective_date", flat=True)
        .first()
    )
    return first or min((s.allotment_date for s in series_list), default=date.today())


def export_package(
    *, company: Company, formation_date: date | None, generated_at: datetime, as_of: date
) -> dict[str, dict]:
    """The package as file name -> JSON object: the manifest and the files it lists.

    ``formation_date``: OCF requires the issuer's date of incorporation, which equityplan does not
    record; without one the earliest date on the company's ledger stands in, and the issuer's
    comments say so (docs/ocf.md).
    """
    series_list = list(
        Series.objects.filter(company=company).prefetch_related("share_adjustments").order_by("number", "pk")
    )
    classes = sorted({s.share_class for s in series_list}) or ["common stock"]
    class_ids = {name: f"class-{i + 1}" for i, name in enumerate(classes)}
    stock_classes = [
        {
            "object_type": "STOCK_CLASS",
            "id": class_ids[name],
            "name": name,
            "class_type": "COMMON",
            "default_id_prefix": "CS-",
            "initial_shares_authorized": "NOT APPLICABLE",
            "votes_per_share": "1",
            "seniority": "1",
            "comments": ["shares authorized are not recorded in equityplan (docs/ocf.md)"],
        }
        for name in classes
    ]
    plans = [
        {
            "object_type": "STOCK_PLAN",
            "id": f"plan-{s.pk}",
            "plan_name": s.name,
            "initial_shares_reserved": str(s.max_rights * register_shares_per_right(s, s.allotment_date)),
            "stock_class_ids": [class_ids[s.share_class]],
            "comments": [
                f"series number: {s.number}",
                f"maximum rights: {s.max_rights}",
                f"exercise period: {s.exercise_period_start.isoformat()} to {s.exercise_period_end.isoformat()}",
                *([f"Japanese name: {s.name_ja}"] if s.name_ja else []),
                *([f"other conditions: {s.other_conditions}"] if s.other_conditions else []),
            ],
            **({"board_approval_date": s.resolution_date.isoformat()} if s.resolution_date else {}),
        }
        for s in series_list
    ]
    tx = transactions(company, series_list, class_ids)
    formation_note = []
    if formation_date is None:
        formation_date = _earliest_ledger_date(company, series_list)
        formation_note = [
            "formation_date is not recorded in equityplan: this is the earliest date on the company's "
            "ledger, not its date of incorporation (docs/ocf.md)"
        ]
    holder_ids = {
        int(item["stakeholder_id"].split("-")[1])
        for item in tx
        if item.get("stakeholder_id", "").startswith("holder-")
    }
    stakeholders = [
        {
            "object_type": "STAKEHOLDER",
            "id": _holder_key(h.pk),
            "name": {"legal_name": h.name},
            "stakeholder_type": "INDIVIDUAL",
            "issuer_assigned_id": str(h.pk),
            **(
                {
                    "addresses": [
                        {"address_type": "CONTACT", "street_suite": h.current_address, "country": "JP"}
                    ]
                }
                if h.current_address
                else {}
            ),
        }
        for h in Holder.objects.filter(pk__in=holder_ids).prefetch_related("addresses").order_by("pk")
    ]
    if any(item.get("stakeholder_id") == COMPANY_STAKEHOLDER for item in tx):
        stakeholders.append(
            {
                "object_type": "STAKEHOLDER",
                "id": COMPANY_STAKEHOLDER,
                "name": {"legal_name": company.name},
                "stakeholder_type": "INSTITUTION",
                "comments": ["the issuer itself: its own stock acquisition rights (Art 276)"],
            }
        )
    files = {
        "Stakeholders.ocf.json": _file("OCF_STAKEHOLDERS_FILE", stakeholders),
        "StockClasses.ocf.json": _file("OCF_STOCK_CLASSES_FILE", stock_classes),
        "StockPlans.ocf.json": _file("OCF_STOCK_PLANS_FILE", plans),
        "Transactions.ocf.json": _file("OCF_TRANSACTIONS_FILE", tx),
    }

    def listed(name: str) -> list[dict]:
        return [{"filepath": f"./{name}", "md5": hashlib.md5(dumps(files[name])).hexdigest()}]  # noqa: S324

    manifest = {
        "ocf_version": OCF_VERSION,
        "file_type": "OCF_MANIFEST_FILE",
        "issuer": {
            "object_type": "ISSUER",
            "id": f"issuer-{company.pk}",
            "legal_name": company.name,
            "formation_date": formation_date.isoformat(),
            "country_of_formation": "JP",
            **(
                {"address": {"address_type": "LEGAL", "street_suite": company.address, "country": "JP"}}
                if company.address
                else {}
            ),
            "comments": [
                *formation_note,
                *([f"Japanese name: {company.name_ja}"] if company.name_ja else []),
                *([f"securities code: {company.securities_code}"] if company.securities_code else []),
                *([f"representative: {company.representative}"] if company.representative else []),
            ],
        },
        "as_of": as_of.isoformat(),
        "generated_at": generated_at.isoformat(),
        "stock_plans_files": listed("StockPlans.ocf.json"),
        "stock_legend_templates_files": [],
        "stock_classes_files": listed("StockClasses.ocf.json"),
        "vesting_terms_files": [],
        "valuations_files": [],
        "transactions_files": listed("Transactions.ocf.json"),
        "stakeholders_files": listed("Stakeholders.ocf.json"),
    }
    return {"Manifest.ocf.json": manifest, **files}


def dumps(data: dict) -> bytes:
    return (json.dumps(data, ensure_ascii=False, indent=2, sort_keys=False) + "\n").encode("utf-8")
