"""The audit trail's page and CSV: pages by keyset cursor, the CSV streamed row by row."""

import json
from collections.abc import Iterator

from django.db import connection
from django.utils.translation import get_language, override
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from companies.access import company_ids
from equityplan.clock import today
from equityplan.exports import copy_csv_response, stream_csv_response
from equityplan.views import ReadPermissionMixin

from .audit import AuditCursor, AuditEntry, audit_count, audit_iter, audit_page
from .auditcopy import audit_copy_sql
from .forms import AuditFilterForm, AuditJumpForm

AUDIT_PAGE_SIZE = 50
# Parameters that say where in the trail a page is, not what it shows.
PLACE_PARAMETERS = ("before", "after", "on_or_before", "page")


def json_text(data: dict) -> str:
    """Before and after in the files: the JSON as stored (exact, and read back by any tool)."""
    return json.dumps(data, ensure_ascii=False) if data else ""


class AuditView(ReadPermissionMixin, TemplateView):
    template_name = "papers/audit.html"

    def _place(self, jump: AuditJumpForm) -> tuple[AuditCursor | None, bool, bool]:
        """The cursor of the page asked for, whether it reads newer entries, and whether a cursor in
        the URL was refused (a tampered or stale link shows the newest page and says so)."""
        params = self.request.GET
        if jump.is_bound and jump.is_valid() and jump.cleaned_data.get("on_or_before"):
            return AuditCursor.on_or_before(jump.cleaned_data["on_or_before"]), False, False
        for name, newer in (("before", False), ("after", True)):
            if name in params:
                cursor = AuditCursor.parse(params[name])
                return cursor, newer, cursor is None
        return None, False, False

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        params = self.request.GET
        filter_data = params.copy()
        for name in PLACE_PARAMETERS:
            filter_data.pop(name, None)
        form = AuditFilterForm(filter_data or None, companies=company_ids(self.request.user))
        jump = AuditJumpForm(params if "on_or_before" in params else None)
        page, count, refused = None, None, False
        if not form.is_bound or form.is_valid():
            filters = form.filters() if form.is_bound else {}
            cursor, newer, refused = self._place(jump)
            page = audit_page(
                per_page=AUDIT_PAGE_SIZE, cursor=cursor, newer=newer, viewer=self.request.user, **filters
            )
            count = audit_count(viewer=self.request.user, **filters)
        entries: list[AuditEntry] = page.entries if page else []
        context.update(
            form=form,
            jump=jump,
            page=page,
            entries=entries,
            count=count,
            cursor_refused=refused,
            query=filter_data.urlencode(),
        )
        return context


def audit_header() -> list[str]:
    return [
        _("Recorded at"),
        _("Recorded by"),
        _("Type"),
        _("Effective date"),
        _("Series"),
        _("Holder"),
        _("Change in rights"),
        _("Approved by"),
        _("Board resolution"),
        _("Before"),
        _("After"),
    ]


def audit_file_row(e: AuditEntry) -> list:
    """An entry's cells in the files' columns (audit_header); the dates as dates, for Excel."""
    return [
        e.recorded_at,
        e.recorded_by.get_username() if e.recorded_by else "",
        e.type_label,
        e.effective_date,
        e.series.name if e.series else "",
        e.holder.name if e.holder else "",
        e.rights_delta,
        e.approved_by.get_username() if e.approved_by else "",
        e.resolution,
        json_text(e.before),
        json_text(e.after),
    ]


def audit_csv_row(e: AuditEntry) -> list:
    """As audit_file_row, the dates as ISO text and no change in rights as an empty cell."""
    row = audit_file_row(e)
    row[0], row[3] = e.recorded_at.isoformat(), e.effective_date.isoformat()
    if e.rights_delta is None:
        row[6] = ""
    return row


class AuditCsvView(ReadPermissionMixin, View):
    """Streamed: the first row leaves before the last is read, and memory stays flat in the trail."""

    def get(self, request):
        form = AuditFilterForm(request.GET or None, companies=company_ids(request.user))
        if form.is_bound and not form.is_valid():
            return AuditView.as_view()(request)
        filters = form.filters() if form.is_bound else {}
        copy = audit_copy_sql(viewer=request.user, **filters) if connection.vendor == "postgresql" else None
        if copy is not None:  # the database writes the rows (papers/auditcopy.py)
            return copy_csv_response(audit_header(), *copy, audit_filename("csv"))
        entries = audit_iter(viewer=request.user, **filters)
        return stream_csv_response(
            audit_header(), in_language(get_language(), map(audit_csv_row, entries)), audit_filename("csv")
        )


def audit_filename(extension: str) -> str:
    return f"audit-trail-{today().isoformat()}.{extension}"


def in_language(language: str, rows: Iterator[list]) -> Iterator[list]:
    """The rows in the request's language: they are read while the response is sent, after the view
    (and the locale middleware) have returned."""
    with override(language):
        yield from rows
