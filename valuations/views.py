"""Valuation and market data pages. Views only read (selectors) or call a service."""

from collections.abc import Callable
from datetime import date
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView, TemplateView

from companies.access import company_ids, limit_company_choices, visible_companies
from equityplan.clock import today
from equityplan.forms import page_number, whole_number
from equityplan.views import (
    DecidePermissionMixin,
    ReadPermissionMixin,
    RecordPermissionMixin,
    ServiceActionView,
    ServiceFormView,
)
from grants.access import check_visible
from grants.views.base import SeriesMixin
from valuations.domain.pricing import PricingInputs, formula_terms

from . import charts, selectors, services
from .forms import CsvUploadForm, ValuationApproveForm, ValuationRejectForm, ValuationRunForm
from .models import ImportBatch, Valuation


def formula_figures(valuation: Valuation) -> dict:
    """The terms of the formula with the stored inputs filled in, for display."""
    return formula_terms(
        PricingInputs(
            spot_yen=valuation.spot_yen,
            strike_yen=valuation.strike_yen,
            term_years=valuation.term_years,
            volatility=valuation.volatility,
            rate=valuation.rate,
            dividend_yield=valuation.dividend_yield,
        )
    )


class ValuationListView(ReadPermissionMixin, SeriesMixin, ServiceFormView):
    """A series' valuations and the form to compute one (legal staff)."""

    template_name = "valuations/valuation_list.html"
    form_class = ValuationRunForm

    def post(self, request, *args, **kwargs):
        if not request.user.has_perm("grants.record_events"):
            raise PermissionDenied
        return super().post(request, *args, **kwargs)

    def get_initial(self):
        return {"valuation_date": self.get_series().allotment_date}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        series = self.get_series()
        context.update(
            series=series,
            valuations=list(selectors.series_valuations(series=series)),
            can_record=self.request.user.has_perm("grants.record_events"),
        )
        return context

    def perform(self, data):
        valuation = services.valuation_run(
            series=self.get_series(),
            valuation_date=data["valuation_date"],
            actor=self.actor,
            overrides=ValuationRunForm.overrides_from(data),
            final=data["final"],
        )
        return valuation.get_absolute_url(), _("Computed: %(amount)s yen per right.") % {
            "amount": f"{valuation.amount_per_right_yen:,}"
        }


class ValuationMixin:
    kwargs: dict[str, Any]  # set by the View it is mixed into
    request: Any

    def get_valuation(self) -> Valuation:
        if not hasattr(self, "_valuation"):
            try:
                self._valuation = selectors.valuation_detail(pk=self.kwargs["pk"])
            except Valuation.DoesNotExist as exc:
                raise Http404(_("There is no such valuation.")) from exc
            check_visible(self.request.user, self._valuation)  # another company's: not found
        return self._valuation


INPUT_LABELS = {
    "spot_yen": gettext_lazy("Share price S"),
    "strike_yen": gettext_lazy("Exercise price X"),
    "term_years": gettext_lazy("Term T (years)"),
    "volatility": gettext_lazy("Volatility σ"),
    "rate": gettext_lazy("Risk-free rate r"),
    "dividend_yield": gettext_lazy("Dividend yield q"),
}


class ValuationDetailView(ReadPermissionMixin, ValuationMixin, TemplateView):
    template_name = "valuations/valuation_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        valuation = self.get_valuation()
        evidence = valuation.evidence or {}
        prices = [(date.fromisoformat(d), p) for d, p in evidence.get("prices", [])]
        returns = [(date.fromisoformat(d), r) for d, r in evidence.get("returns", [])]
        # Price basis changes (ex-rights dates); valuations stored before they were read from the
        # corporate actions kept their splits' effective dates under "splits".
        basis_dates = evidence.get("price_basis_changes", evidence.get("splits", []))
        splits = [date.fromisoformat(d) for d in basis_dates]
        user = self.request.user
        context.update(
            valuation=valuation,
            series=valuation.series,
            inputs=[
                {
                    "name": name,
                    "label": INPUT_LABELS[name],
                    "value": getattr(valuation, name),
                    "source": valuation.sources.get(name, {}),
                    "by_hand": valuation.overrides.get(name),
                }
                for name in Valuation.INPUTS
            ],
            # docs/domain.md reading R25: inputs read from older data than the rules allow.
            stale_inputs=[
                {"label": INPUT_LABELS[s.name], "taken_from": s.taken_from, "due_from": s.due_from}
                for s in valuation.stale_inputs()
            ],
            figures=formula_figures(valuation),
            price_chart=charts.price_chart(
                prices,
                splits=splits,
                title=_("Split-adjusted closes over the volatility window"),
                split_label=_("split"),
            ),
            returns_chart=charts.returns_chart(returns, title=_("Log returns")),
            returns=returns,
            can_record=user.has_perm("grants.record_events"),
            can_decide=user.has_perm("grants.decide") and user.pk != valuation.computed_by_id,
            approve_form=ValuationApproveForm(),
            reject_form=ValuationRejectForm(),
            price_command=(
                f"python manage.py price --spot {valuation.spot_yen.normalize():f} "
                f"--strike {valuation.strike_yen.normalize():f} --term {valuation.term_years.normalize():f} "
                f"--volatility {valuation.volatility.normalize():f} --rate {valuation.rate.normalize():f} "
                f"--dividend-yield {valuation.dividend_yield.normalize():f} "
                f"--shares-per-right {valuation.shares_per_right} --rounding {valuation.rounding_rule}"
            ),
        )
        return context


class ValuationActionView(ValuationMixin, ServiceActionView):
    """A button on a valuation's page; a refusal comes back to it as a message."""

    def get_back_url(self) -> str:
        return self.get_valuation().get_absolute_url()


class ValuationRecomputeView(RecordPermissionMixin, ValuationActionView):
    """Compute again (provisional) as of the same date from the data now stored."""

    def perform(self, data):
        old = self.get_valuation()
        valuation = services.valuation_run(
            series=old.series, valuation_date=old.valuation_date, actor=self.actor
        )
        return valuation.get_absolute_url(), _("Recomputed from the data now stored.")


class ValuationFinalizeView(RecordPermissionMixin, ValuationActionView):
    def perform(self, data):
        services.valuation_finalize(valuation=self.get_valuation(), actor=self.actor)
        return self.get_back_url(), _("The valuation is final.")


class ValuationApproveView(DecidePermissionMixin, ValuationActionView):
    form_class = ValuationApproveForm

    def perform(self, data):
        services.valuation_approve(
            valuation=self.get_valuation(),
            actor=self.actor,
            resolution_date=data["resolution_date"],
            resolution_reference=data["resolution_reference"],
        )
        return self.get_back_url(), _("Approved: the amount paid per right is set on the allotments.")


class ValuationRejectView(DecidePermissionMixin, ValuationActionView):
    form_class = ValuationRejectForm

    def perform(self, data):
        services.valuation_reject(valuation=self.get_valuation(), actor=self.actor, reason=data["reason"])
        return self.get_back_url(), _(
            "Rejected: legal staff may compute a new valuation as of this date and make it final."
        )


# --------------------------------------------------------------------------- market data


class MarketDataView(ReadPermissionMixin, TemplateView):
    template_name = "valuations/market_data.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(selectors.market_data_overview(companies_visible=company_ids(self.request.user)))
        context["can_record"] = self.request.user.has_perm("grants.record_events")
        context["today"] = today()
        return context


# kind in the URL -> (title, help text, asks for the company, the import service)
IMPORTS: dict[str, tuple[Any, Any, bool, Callable[..., Any]]] = {
    "share-prices": (
        gettext_lazy("Import share prices"),
        gettext_lazy(
            "CSV with the header date,close[,base_price] (ISO dates, yen without separators); or a "
            "daily file headed 日付,始値,高値,安値,終値,出来高 (2013/07/11 dates, UTF-8 or Shift_JIS); or "
            "the J-Quants daily quotes export (Date,Code,Open,High,Low,Close,Volume,...,AdjustmentFactor)."
        ),
        True,
        services.import_share_prices,
    ),
    "dividends": (
        gettext_lazy("Import dividends"),
        gettext_lazy(
            "CSV with the header fiscal_year_end,dividend_per_share_yen[,note], the dividend as declared "
            "(on the share basis of that fiscal year)."
        ),
        True,
        services.import_dividends,
    ),
    "jgb-yields": (
        gettext_lazy("Import government bond yields"),
        gettext_lazy(
            "The Ministry of Finance's jgbcm_all.csv (full history) or jgbcm.csv (this month) as served: "
            "Shift_JIS, a title line, then 基準日,1年,...,40年."
        ),
        False,
        services.import_jgb_yields,
    ),
}


class ImportView(RecordPermissionMixin, FormView):
    template_name = "valuations/import_form.html"
    form_class = CsvUploadForm

    def get_form(self, form_class=None):
        return limit_company_choices(super().get_form(form_class), self.request.user)

    def dispatch(self, request, *args, **kwargs):
        if kwargs["kind"] not in IMPORTS:
            raise Http404
        self.title, self.help_text, self.with_company, self.service = IMPORTS[kwargs["kind"]]
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "with_company": self.with_company}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(title=self.title, help_text=self.help_text)
        return context

    def form_valid(self, form):
        upload = form.cleaned_data["file"]
        data = upload.read()
        arguments = {"data": data, "filename": upload.name, "actor": self.actor}
        if self.with_company:
            arguments["company"] = form.cleaned_data["company"]
        report = self.service(**arguments)
        if not report.ok:
            return self.render_to_response(self.get_context_data(form=form, report=report))
        messages.success(
            self.request,
            _("Imported %(file)s: %(new)d rows added, %(same)d already present.")
            % {"file": upload.name, "new": report.rows_created, "same": report.rows_unchanged},
        )
        for agrees, text in report.translated_adjustment_checks:
            (messages.info if agrees else messages.warning)(self.request, text)
        return redirect(report.batch.get_absolute_url())


class BatchDetailView(ReadPermissionMixin, TemplateView):
    template_name = "valuations/batch_detail.html"
    page_size = 500

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        try:
            batch = ImportBatch.objects.select_related("company", "imported_by").get(
                Q(company__isnull=True) | Q(company__in=visible_companies(self.request.user)), pk=kwargs["pk"]
            )
        except ImportBatch.DoesNotExist as exc:
            raise Http404(_("There is no such import.")) from exc
        rows = selectors.batch_rows(batch=batch)
        pages = -(-rows.count() // self.page_size)
        page = page_number(self.request.GET.get("page"), last=pages)
        row = whole_number(self.request.GET.get("row"))
        if row is not None:  # a valuation's source link: open the page holding that row
            pks = list(rows.values_list("pk", flat=True))
            if row in pks:
                page = pks.index(row) // self.page_size + 1
        start = (page - 1) * self.page_size
        context.update(
            batch=batch,
            rows=list(rows[start : start + self.page_size]),
            page=page,
            next_page=page + 1
            if rows[start + self.page_size : start + self.page_size + 1].exists()
            else None,
            previous_page=page - 1 if page > 1 else None,
        )
        return context
