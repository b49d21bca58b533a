"""The audit CSV on PostgreSQL, its rows written by the database (COPY): the same bytes as
audit_csv_row writes, on the same querysets, in the same order (docs/reliability.md, fact 20, Exports).

Each source's filtered queryset names its cells (``cell_*``); one statement over both formats them
as text, joins them newest first and hands them to copy_csv_response. Python's csv module and COPY
quote alike; what differs is said and matched here: an empty cell is NULL (COPY quotes an empty
string), the time is written as datetime.isoformat writes a UTC time, and the JSON as json_text.
"""

from __future__ import annotations

from django.core.exceptions import EmptyResultSet
from django.db.models import F

from equityplan.exports import guarded_sql
from grants.models import LedgerEvent
from holders.models import HolderEvent

from .audit import audit_querysets, type_labels

# The cells each source's queryset names, from its fields.
_CELLS = {
    "ledger": {
        "at": "recorded_at", "id": "pk", "by": "recorded_by__username", "type": "event_type",
        "effective": "effective_date", "series": "series__name", "holder": "holder__name",
        "delta": "rights_delta", "approver": "approved_by__username",
        "reference": "resolution_reference", "resolved_on": "resolution_date", "after": "payload",
    },
    "holder": {
        "at": "recorded_at", "id": "pk", "by": "recorded_by__username", "type": "event_type",
        "effective": "effective_date", "holder": "holder__name", "approver": "approved_by__username",
        "before": "before", "after": "after",
    },
}  # fmt: skip

# datetime.isoformat of a UTC time: the fraction only when there is one.
_ISO_TIME = (
    "to_char(e_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS')"
    " || CASE WHEN date_trunc('second', e_at) = e_at THEN '' ELSE to_char(e_at AT TIME ZONE 'UTC', '.US') END"
    " || '+00:00'"
)


def _json(column: str) -> str:
    """json_text: nothing for an empty object (the services store an object, never another JSON
    value), else the JSON as PostgreSQL writes it, which is json.dumps's text of the value read back
    but for floats below 1e-4 (0.00001 here, 1e-05 there)."""
    return f"NULLIF({column}, '{{}}')::text"


def _source_sql(qs, source: str) -> tuple[str, list]:
    cells = {f"cell_{name}": F(field) for name, field in _CELLS[source].items()}
    sql, params = qs.order_by().annotate(**cells).values(*cells).query.sql_with_params()
    return sql, list(params)


def _label_case(model) -> tuple[str, list]:
    labels = type_labels(model)
    whens = " ".join(["WHEN %s THEN %s"] * len(labels))
    return f"CASE cell_type {whens} ELSE cell_type END", [x for pair in labels.items() for x in pair]


# What differs between the sources' columns; the rest are their cells as named.
_OWN = {
    "ledger": {
        "rank": "1",
        "series": "cell_series",
        "delta": "cell_delta",
        "resolution": "concat_ws(' ', NULLIF(cell_reference, ''), to_char(cell_resolved_on, 'YYYY-MM-DD'))",
        "before": "NULL::jsonb",
    },
    "holder": {"rank": "0", "series": "NULL", "delta": "NULL", "resolution": "NULL", "before": "cell_before"},
}
_MODELS = {"ledger": LedgerEvent, "holder": HolderEvent}


def _select(qs, source: str) -> tuple[str, list]:
    sql, params = _source_sql(qs, source)
    label, label_params = _label_case(_MODELS[source])
    own = _OWN[source]
    columns = {
        "e_at": "cell_at", "e_rank": own["rank"], "e_id": "cell_id", "e_by": "cell_by", "e_type": label,
        "e_effective": "cell_effective", "e_series": own["series"], "e_holder": "cell_holder",
        "e_delta": own["delta"], "e_approver": "cell_approver", "e_resolution": own["resolution"],
        "e_before": own["before"], "e_after": "cell_after",
    }  # fmt: skip
    select = ", ".join(f"{expr} AS {alias}" for alias, expr in columns.items())
    return f"SELECT {select} FROM ({sql}) AS {source}", [*label_params, *params]


def audit_copy_sql(**filters) -> tuple[str, list] | None:
    """The statement whose rows are audit_csv_row's cells for every matching entry, newest first;
    None if no entry can match (the filters exclude both sources)."""
    ledger, people = audit_querysets(**filters)
    parts = []
    for qs, source in ((ledger, "ledger"), (people, "holder")):
        if qs is not None:
            try:
                parts.append(_select(qs, source))
            except EmptyResultSet:  # a filter no row can meet, such as an empty list of holders
                pass
    if not parts:
        return None
    entries = " UNION ALL ".join(f"({sql})" for sql, _ in parts)
    cells, params = [], []
    for column in ("e_by", "e_type", "e_series", "e_holder", "e_approver", "e_resolution"):
        sql, guard = guarded_sql(f"NULLIF({column}, '')")
        cells.append(sql)
        params += guard
    by, kind, series, holder, approver, resolution = cells
    sql = (
        f"SELECT {_ISO_TIME}, {by}, {kind}, to_char(e_effective, 'YYYY-MM-DD'), {series}, {holder},"
        f" e_delta, {approver}, {resolution}, {_json('e_before')}, {_json('e_after')}"
        f" FROM ({entries}) AS entry ORDER BY e_at DESC, e_rank DESC, e_id DESC"
    )
    return sql, [*params, *(p for _, part in parts for p in part)]
