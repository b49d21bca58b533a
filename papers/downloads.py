"""Excel downloads of the register, the audit trail, the disclosure table and the decision queue."""

from __future__ import annotations

import io
import zipfile

from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from companies.access import company_ids, visible_companies
from equityplan.clock import today
from equityplan.excel import Sheet, write_only_response, xlsx_response
from equityplan.views import ReadPermissionMixin
from grants import selectors as grant_selectors
from grants.access import visible_items

from . import ocf, selectors
from .audit import audit_iter
from .auditviews import AuditView, audit_file_row, audit_filename, audit_header
from .forms import AuditFilterForm, DisclosureForm
from .registerviews import (
    RegisterMixin,
    RegisterView,
    _balance_csv_row,
    _balance_header,
    _register_header,
    _register_preamble,
    register_filename,
    streamed_register,
)
from .views import DisclosureView, _default_disclosure_dates


class RegisterXlsxView(RegisterMixin, View):
    """The same document as the CSV: a sheet of the sections, a sheet of the balances; written in
    write-only mode as the entries are read."""

    def get(self, request, *args, **kwargs):
        _form, scope = self.register_scope()
        if scope is None:
            return RegisterView.as_view()(request, *args, **kwargs)
        head, rows = streamed_register(scope)
        preamble = [" · ".join(str(c) for c in line if c) for line in _register_preamble(head)]
        return write_only_response(
            filename=register_filename(head, "xlsx"),
            sheets=[
                Sheet(
                    title=_("Register"),
                    preamble=preamble,
                    header=_register_header(),
                    rows=rows,
                    widths={1: 40, 2: 30, 3: 36},
                ),
                Sheet(
                    title=_("Balance"),
                    header=_balance_header(),
                    rows=[_balance_csv_row(t) for t in head["totals"]],
                    widths={1: 40},
                ),
            ],
        )


class AuditXlsxView(ReadPermissionMixin, View):
    """Write-only: rows go to a temporary file as they are read (memory flat in the trail)."""

    def get(self, request: HttpRequest):
        form = AuditFilterForm(request.GET or None, companies=company_ids(request.user))
        if form.is_bound and not form.is_valid():
            return AuditView.as_view()(request)
        entries = audit_iter(viewer=request.user, **(form.filters() if form.is_bound else {}))
        rows = (audit_file_row(e) for e in entries)
        sheet = Sheet(
            title=_("Audit trail"), header=audit_header(), rows=rows, widths={1: 20, 10: 40, 11: 40}
        )
        return write_only_response(filename=audit_filename("xlsx"), sheet=sheet)


class DisclosureXlsxView(ReadPermissionMixin, View):
    """One line per series: the two columns of the annual securities report and the movements."""

    def get(self, request: HttpRequest):
        if request.GET:
            form = DisclosureForm(request.GET)
        else:
            fye, fme = _default_disclosure_dates(today())
            form = DisclosureForm({"fiscal_year_end": fye.isoformat(), "filing_month_end": fme.isoformat()})
        if not form.is_valid():
            return DisclosureView.as_view()(request)
        table = selectors.disclosure_table(
            fiscal_year_end=form.cleaned_data["fiscal_year_end"],
            filing_month_end=form.cleaned_data["filing_month_end"],
        )
        visible = set(visible_companies(request.user).values_list("pk", flat=True))
        table = [r for r in table if r.series.company_id in visible]
        header = [
            _("Series"),
            _("Date of the board resolution"),
            _("Categories and numbers of grantees"),
            _("Rights at the fiscal year end"),
            _("Rights at the end of the month before filing"),
            _("The company's own rights at the fiscal year end"),
            _("The company's own rights at the end of the month before filing"),
            _("Class of shares"),
            _("Shares at the fiscal year end"),
            _("Shares at the end of the month before filing"),
            _("Exercise price per share (yen)"),
            _("Exercise period: first day"),
            _("Exercise period: last day"),
            _("Issue price per share (yen)"),
            _("Amount credited to capital per share (yen)"),
            _("Granted"),
            _("Exercised"),
            _("Lapsed"),
            _("Cancelled or acquired"),
            _("Transferred or succeeded"),
        ]
        rows = [
            [
                r.series.name,
                r.series.resolution_date,
                "; ".join(f"{label}: {persons}" for label, persons, _rights in r.grantees),
                r.at_fiscal_year_end.rights,
                r.at_filing_month_end.rights,
                r.at_fiscal_year_end.company_held,
                r.at_filing_month_end.company_held,
                _(r.series.share_class),
                r.at_fiscal_year_end.shares,
                r.at_filing_month_end.shares,
                r.series.exercise_price_per_share_yen,
                r.series.exercise_period_start,
                r.series.exercise_period_end,
                r.issue_price_per_share_yen,
                r.capital_per_share_yen,
                *(r.movements[key] for key in selectors.MOVEMENT_TYPES),
            ]
            for r in table
        ]
        fye = form.cleaned_data["fiscal_year_end"]
        return xlsx_response(
            filename=f"disclosure-{fye.isoformat()}.xlsx",
            sheets=[Sheet(title=_("Stock options"), header=header, rows=rows, widths={1: 40, 3: 30})],
        )


class DecisionsXlsxView(ReadPermissionMixin, View):
    """The board secretary's queue as it stands: what, asked by whom and when, and the deadline."""

    def get(self, request: HttpRequest):
        header = [_("Kind"), _("Matter"), _("Details"), _("Requested at"), _("Requested by"), _("Deadline")]
        rows = [
            [
                d.label,
                str(d.subject),
                d.description,
                d.requested_at,
                d.requested_by.get_username() if d.requested_by else "",
                d.deadline,
            ]
            for d in visible_items(request.user, grant_selectors.pending_decisions())
        ]
        return xlsx_response(
            filename=f"decisions-{today().isoformat()}.xlsx",
            sheets=[Sheet(title=_("Decisions"), header=header, rows=rows, widths={2: 40, 3: 50, 4: 20})],
        )


class OcfDownloadView(ReadPermissionMixin, View):
    """The company's Open Cap Format 1.2 package as a ZIP of the manifest and its files (docs/ocf.md)."""

    def get(self, request: HttpRequest, pk: int):
        company = visible_companies(request.user).filter(pk=pk).first()
        if company is None:
            raise Http404(_("There is no such company."))
        package = ocf.export_package(
            company=company, formation_date=None, generated_at=timezone.localtime(), as_of=today()
        )
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for name, content in package.items():
                archive.writestr(name, ocf.dumps(content))
        response = HttpResponse(buffer.getvalue(), content_type="application/zip")
        code = company.securities_code or str(company.pk)
        response["Content-Disposition"] = f'attachment; filename="ocf-{code}-{today().isoformat()}.zip"'
        return response
