from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import TemplateView

from companies.access import company_ids, limit_company_choices, visible_companies
from equityplan.clock import today
from equityplan.views import (
    Message,
    RolePermissionMixin,
    ServiceFormView,
    message_form_errors,
    message_service_errors,
)

from . import services
from .access import visible_holders
from .forms import (
    AddressChangeForm,
    HolderCreateForm,
    HolderDetailsForm,
    HolderLoginForm,
    MyNumberRevealForm,
    MyNumberSetForm,
    PositionStartForm,
)
from .models import Holder
from .selectors import HOLDER_ROLES, HOLDER_SORTS, HOLDER_STATUSES, HolderListQuery, holder_list_page


class HolderReadMixin(RolePermissionMixin):
    permission_required = "holders.view_holder"


class HolderListView(HolderReadMixin, TemplateView):
    """Holders, 50 a page: searched by name, kana or e-mail, sorted, filtered by company, office and
    role, with the totals of the whole filtered set (docs/domain.md R63)."""

    template_name = "holders/holder_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        companies = list(visible_companies(self.request.user).order_by("name", "pk"))
        query = HolderListQuery.from_params(self.request.GET, company_ids=[c.pk for c in companies])
        listing = holder_list_page(
            visible_holders(self.request.user),
            query,
            page=self.request.GET.get("page"),
            every_holder=company_ids(self.request.user) is None,
        )
        context.update(
            listing=listing,
            holders=listing.rows,
            page_obj=listing.page,
            paginator=listing.paginator,
            totals=listing.totals,
            list_query=query,
            query=query.q,
            sort=query.sort,
            sorts=[(key, label) for key, (label, _order) in HOLDER_SORTS.items()],
            statuses=list(HOLDER_STATUSES.items()),
            roles=list(HOLDER_ROLES.items()),
            companies=companies,
            name_sort_url=urlencode(query.params(sort="-name" if query.sort == "name" else "name")),
            kana_sort_url=urlencode(query.params(sort="-kana" if query.sort == "kana" else "kana")),
            previous_url=urlencode(query.params(page=str(listing.page.number - 1))),
            next_url=urlencode(query.params(page=str(listing.page.number + 1))),
        )
        return context


class HolderDetailView(HolderReadMixin, TemplateView):
    """The holder's page: positions, address history, holdings and recent events.

    The holdings and events come from the grants app through a hook the grants app registers,
    so this app never imports grants.
    """

    template_name = "holders/holder_detail.html"
    extra_context_providers: list = []

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        try:
            holder = (
                visible_holders(self.request.user)
                .prefetch_related("addresses", "positions__company", "events__recorded_by")
                .get(pk=self.kwargs["pk"])
            )
        except Holder.DoesNotExist as exc:
            raise Http404(_("There is no such holder.")) from exc
        context.update(
            holder=holder,
            today=today(),
            positions=sorted(holder.positions.all(), key=lambda p: p.started_on),
            addresses=sorted(holder.addresses.all(), key=lambda a: a.valid_from),
            lost_position_on=holder.lost_position_on(),
            holder_events=list(holder.events.all()[:20]),
            my_number_reveal_form=MyNumberRevealForm(),
            holder_logins=list(holder.logins.select_related("user")),
            holder_panels=[],
        )
        for provider in self.extra_context_providers:
            context.update(provider(holder=holder, on=context["today"], viewer=self.request.user))
        return context


class HolderRecordMixin(HolderReadMixin):
    permission_required = "holders.record_holder_events"


class HolderCreateView(HolderRecordMixin, ServiceFormView):
    """Legal staff add a person who holds, or will hold, rights: name, address and position."""

    template_name = "holders/holder_form.html"
    form_class = HolderCreateForm

    def get_form(self, form_class=None):
        return limit_company_choices(super().get_form(form_class), self.request.user)

    title = gettext_lazy("New holder")

    def perform(self, data):
        with transaction.atomic():
            holder = services.holder_create(
                name=data["name"],
                name_kana=data["name_kana"],
                email=data["email"],
                phone=data["phone"],
                language=data["language"] or "ja",
                address=data["address"],
                address_from=data["address_from"],
                actor=self.actor,
            )
            services.position_start(
                holder=holder,
                company=data["company"],
                title=data["title"],
                started_on=data["started_on"],
                actor=self.actor,
            )
        return holder.get_absolute_url(), _("Holder %(name)s added.") % {"name": holder.name}


class HolderChangeView(HolderRecordMixin, ServiceFormView):
    """A change to one holder's own record (details, address, positions) through one holders service."""

    template_name = "holders/holder_form.html"
    success_message: Message = ""
    save: Callable[[Holder, dict[str, Any]], None]  # each change: call its holders service

    def get_holder(self) -> Holder:
        if not hasattr(self, "_holder"):
            try:
                self._holder = visible_holders(self.request.user).get(pk=self.kwargs["pk"])
            except Holder.DoesNotExist as exc:
                raise Http404(_("There is no such holder.")) from exc
        return self._holder

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["holder"] = self.get_holder()
        return context

    def perform(self, data):
        holder = self.get_holder()
        self.save(holder, data)
        return holder.get_absolute_url(), self.success_message


class HolderDetailsView(HolderChangeView):
    form_class = HolderDetailsForm
    title = gettext_lazy("Change name or contact details")
    success_message = gettext_lazy("The holder's details are changed; the change is on the trail.")

    def get_form(self, form_class=None):
        if self.request.method == "POST":
            return HolderDetailsForm(data=self.request.POST)
        return HolderDetailsForm.for_holder(self.get_holder())

    def save(self, holder, data):
        services.holder_update_details(
            holder=holder,
            effective_date=data.pop("effective_date"),
            actor=self.actor,
            **data,
        )


class AddressChangeView(HolderChangeView):
    form_class = AddressChangeForm
    title = gettext_lazy("Register a new address")
    success_message = gettext_lazy("The new address is registered.")

    def save(self, holder, data):
        services.holder_change_address(holder=holder, actor=self.actor, **data)


class PositionStartView(HolderChangeView):
    form_class = PositionStartForm

    def get_form(self, form_class=None):
        return limit_company_choices(super().get_form(form_class), self.request.user)

    title = gettext_lazy("Record a position taken")
    success_message = gettext_lazy("The position is recorded.")

    def save(self, holder, data):
        services.position_start(holder=holder, actor=self.actor, **data)


class MyNumberSetView(HolderChangeView):
    form_class = MyNumberSetForm
    title = gettext_lazy("Record the My Number")
    success_message = gettext_lazy("The My Number is recorded, encrypted.")

    def save(self, holder, data):
        services.holder_my_number_set(holder=holder, number=data["number"], actor=self.actor)


class HolderLoginCreateView(HolderChangeView):
    """Legal staff give the holder (or heir) a sign-in to their own view (docs/domain.md reading R54)."""

    form_class = HolderLoginForm
    title = gettext_lazy("Give a sign-in to the holder's own view")
    success_message = gettext_lazy("The sign-in is created; the holder sees only their own rights.")

    def save(self, holder, data):
        services.holder_login_create(holder=holder, actor=self.actor, **data)


class MyNumberRevealView(HolderReadMixin, View):
    """A deliberate reveal (POST, with a purpose): the number is shown once, never cached, and the
    read is on the holder's trail (docs/domain.md §7.5)."""

    permission_required = "holders.view_my_number"
    http_method_names = ["post"]

    def post(self, request, pk: int):
        holder = visible_holders(request.user).filter(pk=pk).first()
        if holder is None:
            raise Http404(_("There is no such holder."))
        form = MyNumberRevealForm(request.POST)
        if not form.is_valid():
            message_form_errors(request, form)
            return redirect(holder.get_absolute_url())
        try:
            number = services.holder_my_number_read(
                holder=holder, purpose=form.cleaned_data["purpose"], actor=self.actor
            )
        except ValidationError as exc:
            message_service_errors(request, exc)
            return redirect(holder.get_absolute_url())
        response = render(request, "holders/my_number_reveal.html", {"holder": holder, "number": number})
        response["Cache-Control"] = "no-store"
        return response
