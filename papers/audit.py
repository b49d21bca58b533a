"""The audit trail: ledger events and holders' master-data changes, merged newest recorded first.

Pages are read by keyset (docs/reliability.md fact 20): each source is read from a cursor with an
indexed ``ORDER BY recorded_at DESC, id DESC LIMIT n`` and the two are merged, so a page costs the
same at any depth. The export reads both sources through server-side cursors and merges them lazily.
"""

from __future__ import annotations

import heapq
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from itertools import islice
from typing import Any

from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import get_language

from companies.access import company_ids
from grants.access import visible_events
from grants.models import LedgerEvent, Series
from holders.access import visible_holders
from holders.models import Holder, HolderEvent

LEDGER_PREFIX = "ledger:"
HOLDER_PREFIX = "holder:"
# At one recorded_at, ledger events come before holders' changes, then the higher id first.
SOURCE_RANK = {"ledger": 1, "holder": 0}
# Counts beyond this are not read row by row: the page says "more than" (docs/reliability.md fact 20).
COUNT_CAP = 10_000
EXPORT_CHUNK = 2000
RELATED = {
    "ledger": ("series", "holder", "recorded_by", "approved_by"),
    "holder": ("holder", "recorded_by", "approved_by"),
}


def audit_type_choices() -> list[tuple[str, str | Promise]]:
    choices: list[tuple[str, str | Promise]] = [
        (LEDGER_PREFIX + v, label) for v, label in LedgerEvent.Type.choices
    ]
    choices += [(HOLDER_PREFIX + v, label) for v, label in HolderEvent.Type.choices]
    return choices


def audit_users():
    return get_user_model().objects.order_by("username")


@dataclass(frozen=True)
class AuditEntry:
    """One row of the audit trail: a ledger event or a holder master-data change."""

    source: str  # "ledger" or "holder"
    pk: int
    type_label: str
    series: Series | None
    holder: Holder | None
    recorded_at: datetime
    recorded_by: Any  # a user
    effective_date: date
    approved_by: Any
    resolution: str
    rights_delta: int | None
    before: dict
    after: dict

    @property
    def cursor(self) -> AuditCursor:
        return AuditCursor(self.recorded_at, self.source, self.pk)


def sort_key(entry: AuditEntry) -> tuple:
    return (entry.recorded_at, SOURCE_RANK[entry.source], entry.pk)


_CURSOR = re.compile(r"(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6})Z_(ledger|holder)_(\d{1,18})", re.ASCII)


@dataclass(frozen=True)
class AuditCursor:
    """A place in the merged trail: an entry's (recorded_at, source, pk). In a URL it reads
    ``2026-12-01T06:21:53.123456Z_ledger_123`` (UTC); anything else is no cursor."""

    recorded_at: datetime
    source: str
    pk: int

    def __str__(self) -> str:
        at = self.recorded_at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")
        return f"{at}Z_{self.source}_{self.pk}"

    @classmethod
    def parse(cls, text: object) -> AuditCursor | None:
        match = _CURSOR.fullmatch(text) if isinstance(text, str) else None
        if match is None:
            return None
        try:
            at = datetime.strptime(match[1], "%Y-%m-%dT%H:%M:%S.%f").replace(tzinfo=UTC)
        except ValueError:  # 2020-02-30, 25:00 ...
            return None
        return cls(at, match[2], int(match[3]))

    @classmethod
    def on_or_before(cls, day: date) -> AuditCursor:
        """Just after the last entry recorded on ``day`` (the site's time zone)."""
        start = datetime.combine(day + timedelta(days=1), time.min) if day < date.max else datetime.max
        return cls(timezone.make_aware(start), "holder", 0)  # holder rank, pk 0: before any entry at start


def audit_querysets(
    *,
    series=None,
    holder=None,
    holder_name: str = "",
    user=None,
    event_type: str = "",
    date_from=None,
    date_to=None,
    viewer=None,
) -> tuple[QuerySet[LedgerEvent] | None, QuerySet[HolderEvent] | None]:
    ledger: QuerySet[LedgerEvent] | None  # None: the filters exclude that source
    people: QuerySet[HolderEvent] | None
    ledger, people = LedgerEvent.objects.all(), HolderEvent.objects.all()
    # the reader's companies only (docs/domain.md reading R47); a reader who sees all needs no filter
    if viewer is not None and company_ids(viewer) is not None:
        ledger = visible_events(viewer, ledger)
        people = people.filter(holder__in=visible_holders(viewer))
    if series is not None:
        ledger = ledger.filter(series=series)
        people = None  # holder master data belongs to no series
    if holder is not None:
        ledger = ledger.filter(holder=holder)
        people = people.filter(holder=holder) if people is not None else None
    if holder_name:
        ledger = ledger.filter(holder__name__icontains=holder_name)
        people = people.filter(holder__name__icontains=holder_name) if people is not None else None
    if user is not None:
        ledger = ledger.filter(Q(recorded_by=user) | Q(approved_by=user))
        people = people.filter(Q(recorded_by=user) | Q(approved_by=user)) if people is not None else None
    if event_type.startswith(LEDGER_PREFIX):
        ledger = ledger.filter(event_type=event_type.removeprefix(LEDGER_PREFIX))
        people = None
    elif event_type.startswith(HOLDER_PREFIX):
        people = (
            people.filter(event_type=event_type.removeprefix(HOLDER_PREFIX)) if people is not None else None
        )
        ledger = None
    if date_from is not None:
        ledger = ledger.filter(effective_date__gte=date_from) if ledger is not None else None
        people = people.filter(effective_date__gte=date_from) if people is not None else None
    if date_to is not None:
        ledger = ledger.filter(effective_date__lte=date_to) if ledger is not None else None
        people = people.filter(effective_date__lte=date_to) if people is not None else None
    return ledger, people


_LABELS: dict[tuple[str, str], dict[str, str]] = {}


def type_labels(model: type[LedgerEvent] | type[HolderEvent]) -> dict[str, str]:
    """The types' labels in the current language, a table built once per language: Django's
    get_FOO_display hashes every lazy label, one translation each, on every row."""
    key = (model._meta.label, get_language())
    labels = _LABELS.get(key)
    if labels is None:
        labels = _LABELS[key] = {v: str(label) for v, label in model.Type.choices}
    return labels


def _label(model: type[LedgerEvent] | type[HolderEvent], value: str) -> str:
    return type_labels(model).get(value, value)


def _resolution(reference: str, resolved_on: date | None) -> str:
    return " ".join(x for x in (reference, resolved_on.isoformat() if resolved_on else "") if x)


def _ledger_entry(e: LedgerEvent) -> AuditEntry:
    return AuditEntry(
        source="ledger",
        pk=e.pk,
        type_label=_label(LedgerEvent, e.event_type),
        series=e.series,
        holder=e.holder,
        recorded_at=e.recorded_at,
        recorded_by=e.recorded_by,
        effective_date=e.effective_date,
        approved_by=e.approved_by,
        resolution=_resolution(e.resolution_reference, e.resolution_date),
        rights_delta=e.rights_delta,
        before={},
        after=e.payload or {},
    )


def _holder_entry(e: HolderEvent) -> AuditEntry:
    return AuditEntry(
        source="holder",
        pk=e.pk,
        type_label=_label(HolderEvent, e.event_type),
        series=None,
        holder=e.holder,
        recorded_at=e.recorded_at,
        recorded_by=e.recorded_by,
        effective_date=e.effective_date,
        approved_by=e.approved_by,
        resolution="",
        rights_delta=None,
        before=e.before or {},
        after=e.after or {},
    )


def _beyond(qs: QuerySet, source: str, cursor: AuditCursor, *, older: bool) -> QuerySet:
    """The rows of one source strictly older (or newer) than the cursor in the merged order.

    Written as ``recorded_at <= t AND (recorded_at < t OR id < pk)`` so that the first condition bounds
    the index scan and the second only sorts out the ties."""
    at = cursor.recorded_at
    mine, theirs = SOURCE_RANK[source], SOURCE_RANK[cursor.source]
    if older:
        if mine > theirs:  # at the cursor's instant this source's rows sort newer
            return qs.filter(recorded_at__lt=at)
        if mine < theirs:
            return qs.filter(recorded_at__lte=at)
        return qs.filter(recorded_at__lte=at).filter(Q(recorded_at__lt=at) | Q(pk__lt=cursor.pk))
    if mine > theirs:
        return qs.filter(recorded_at__gte=at)
    if mine < theirs:
        return qs.filter(recorded_at__gt=at)
    return qs.filter(recorded_at__gte=at).filter(Q(recorded_at__gt=at) | Q(pk__gt=cursor.pk))


def _read(qs, source: str, cursor: AuditCursor | None, *, older: bool, n: int) -> list[AuditEntry]:
    """n rows of one source from the cursor: the ids by the index first, then the joins for those."""
    if cursor is not None:
        qs = _beyond(qs, source, cursor, older=older)
    order = ("-recorded_at", "-pk") if older else ("recorded_at", "pk")
    # Two queries, not an IN (subquery): on a small table PostgreSQL would hash the whole table for it.
    ids = list(qs.order_by(*order).values_list("pk", flat=True)[:n])
    if not ids:
        return []
    if source == "ledger":
        events = LedgerEvent.objects.filter(pk__in=ids).select_related(*RELATED[source]).order_by(*order)
        return [_ledger_entry(e) for e in events]
    changes = HolderEvent.objects.filter(pk__in=ids).select_related(*RELATED[source]).order_by(*order)
    return [_holder_entry(e) for e in changes]


def _merged(filters: dict, cursor: AuditCursor | None, *, older: bool, n: int) -> list[AuditEntry]:
    ledger, people = audit_querysets(**filters)
    parts = [
        _read(qs, source, cursor, older=older, n=n)
        for qs, source in ((ledger, "ledger"), (people, "holder"))
        if qs is not None
    ]
    return list(islice(heapq.merge(*parts, key=sort_key, reverse=older), n))


@dataclass
class AuditPage:
    entries: list[AuditEntry]
    newer: AuditCursor | None  # the link to the page before (newer entries), if any
    older: AuditCursor | None  # the link to the next page (older entries), if any
    first: bool  # this is the newest page


def audit_page(
    *, per_page: int, cursor: AuditCursor | None = None, newer: bool = False, **filters
) -> AuditPage:
    """The page of entries just older than ``cursor`` (or, with ``newer``, just newer), newest
    first; with no cursor the newest page. Two reads per page whatever its depth."""
    if cursor is not None and newer:
        got = _merged(filters, cursor, older=False, n=per_page + 1)
        if len(got) <= per_page:  # fewer than a page is newer: that is the first page
            return audit_page(per_page=per_page, **filters)
        entries = got[:per_page][::-1]
        more = _merged(filters, entries[-1].cursor, older=True, n=1)
        return AuditPage(entries, entries[0].cursor, entries[-1].cursor if more else None, first=False)
    got = _merged(filters, cursor, older=True, n=per_page + 1)
    entries = got[:per_page]
    older = entries[-1].cursor if len(got) > per_page else None
    return AuditPage(entries, entries[0].cursor if cursor and entries else None, older, cursor is None)


@dataclass(frozen=True)
class AuditCount:
    n: int
    kind: str  # "exact", "about" (PostgreSQL's estimate) or "more" (more than n)


def _estimate(*models) -> int | None:
    """PostgreSQL's estimate of the rows of these tables, in one read; None elsewhere or if a table
    was never analysed (reltuples -1)."""
    if connection.vendor != "postgresql":
        return None
    tables = [m._meta.db_table for m in models]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT reltuples FROM pg_class WHERE oid IN (" + ", ".join(["%s::regclass"] * len(tables)) + ")",
            tables,
        )
        rows = [r[0] for r in cursor.fetchall()]
    return int(sum(rows)) if len(rows) == len(tables) and all(r >= 0 for r in rows) else None


def audit_count(**filters) -> AuditCount:
    """How many entries match, read no further than COUNT_CAP rows a source; past that, the whole
    unfiltered trail of an unrestricted reader is PostgreSQL's estimate (docs/reliability.md fact 20).
    Queries: one a source, and the estimate's only past the cap."""
    ledger, people = audit_querysets(**filters)
    counts = [
        qs.order_by().values("pk")[: COUNT_CAP + 1].count() for qs in (ledger, people) if qs is not None
    ]
    if not any(c > COUNT_CAP for c in counts):
        return AuditCount(sum(counts), "exact")
    viewer = filters.get("viewer")
    unfiltered = not any(v for k, v in filters.items() if k != "viewer")
    if unfiltered and (viewer is None or company_ids(viewer) is None):
        estimate = _estimate(LedgerEvent, HolderEvent)
        if estimate is not None and estimate > COUNT_CAP:
            return AuditCount(estimate, "about")
    return AuditCount(COUNT_CAP, "more")


# What a file shows of an entry: plain values, the related records by their name alone.
_FILE_FIELDS = (
    "pk", "event_type", "recorded_at", "effective_date", "holder_id", "holder__name",
    "recorded_by_id", "recorded_by__username", "approved_by_id", "approved_by__username",
)  # fmt: skip
_SOURCE_FILE_FIELDS = {
    "ledger": (
        "rights_delta",
        "payload",
        "resolution_reference",
        "resolution_date",
        "series_id",
        "series__name",
    ),
    "holder": ("before", "after"),
}


def _stream(qs, source: str) -> Iterator[AuditEntry]:
    """The entries as the files show them, read as plain values from a server-side cursor: each
    related record is built with its name only (as ``only("id", "name")`` would), the users and
    series once each, so a row costs no model of its own."""
    if qs is None:
        return
    user_model = get_user_model()
    users: dict[int, Any] = {}
    series: dict[int, Series] = {}

    def user(pk, username):
        if pk is None:
            return None
        if pk not in users:
            users[pk] = user_model.from_db(None, ["id", "username"], (pk, username))
        return users[pk]

    fields = (*_FILE_FIELDS, *_SOURCE_FILE_FIELDS[source])
    rows = qs.order_by("-recorded_at", "-pk").values_list(*fields).iterator(chunk_size=EXPORT_CHUNK)
    model = LedgerEvent if source == "ledger" else HolderEvent
    for row in rows:
        pk, event_type, recorded_at, effective_date, holder_id, holder_name = row[:6]
        by, by_name, approver, approver_name = row[6:10]
        before: dict
        if source == "ledger":
            delta, payload, reference, resolved_on, series_id, series_name = row[10:]
            if series_id is not None and series_id not in series:
                series[series_id] = Series.from_db(None, ["id", "name"], (series_id, series_name))
            before, after, resolution = {}, payload or {}, _resolution(reference, resolved_on)
        else:
            delta, series_id, resolution = None, None, ""
            before, after = row[10] or {}, row[11] or {}
        yield AuditEntry(
            source=source,
            pk=pk,
            type_label=_label(model, event_type),
            series=series[series_id] if series_id is not None else None,
            holder=Holder.from_db(None, ["id", "name"], (holder_id, holder_name)) if holder_id else None,
            recorded_at=recorded_at,
            recorded_by=user(by, by_name),
            effective_date=effective_date,
            approved_by=user(approver, approver_name),
            resolution=resolution,
            rights_delta=delta,
            before=before,
            after=after,
        )


def audit_iter(**filters) -> Iterator[AuditEntry]:
    """Every matching entry, newest first, one at a time: two server-side cursors (on PostgreSQL)
    merged as they are read, so memory does not grow with the trail. In a transaction, so that the
    cursors are read as they go: outside one they are WITH HOLD, the whole result stored first."""
    with transaction.atomic():
        ledger, people = audit_querysets(**filters)
        yield from heapq.merge(
            _stream(ledger, "ledger"), _stream(people, "holder"), key=sort_key, reverse=True
        )


def audit_all(**filters) -> list[AuditEntry]:
    """Every matching entry in a list (small trails and tests; the exports stream audit_iter)."""
    return list(audit_iter(**filters))
