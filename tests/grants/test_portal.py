"""The holders' own view: a sign-in linked to one holder sees their own rights and nothing else."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse

from equityplan.clock import today
from grants import demo, services
from grants.models import ExerciseRequest, Holding
from holders import services as holder_services
from holders.models import HolderEvent, HolderLogin
from tests.factories import legal_user
from tests.factories.lifecycle import allotted_scenario, end_office
from tests.test_no_server_errors import app_routes, concrete

pytestmark = pytest.mark.django_db

PASSWORD = "a long first password 42"


@pytest.fixture
def case():
    legal = legal_user()
    scenario = allotted_scenario(legal=legal)
    end_office(scenario.director, on=today() - timedelta(days=2), actor=legal)
    login = holder_services.holder_login_create(
        holder=scenario.director, username="director", password=PASSWORD, actor=legal
    )
    return scenario, login, legal


def test_only_legal_staff_give_sign_ins_and_a_taken_name_is_refused(case):
    from django.core.exceptions import ValidationError

    scenario, login, legal = case
    with pytest.raises(ValidationError):
        holder_services.holder_login_create(
            holder=scenario.officer, username="DIRECTOR", password=PASSWORD, actor=legal
        )
    with pytest.raises(ValidationError):
        holder_services.holder_login_create(
            holder=scenario.officer, username="officer", password=PASSWORD, actor=login.user
        )
    event = HolderEvent.objects.get(holder=scenario.director, event_type=HolderEvent.Type.LOGIN_GRANTED)
    assert event.recorded_by == legal and event.after["username"] == "director"
    assert not login.user.is_staff and list(login.user.groups.values_list("name", flat=True)) == ["Holder"]


def test_legal_staff_give_a_sign_in_from_the_holder_page(client, case):
    scenario, _login, legal = case
    client.force_login(legal)
    page = client.get(scenario.officer.get_absolute_url())
    assert reverse("holders:holder_login_create", args=[scenario.officer.pk]) in page.content.decode()
    response = client.post(
        reverse("holders:holder_login_create", args=[scenario.officer.pk]),
        {"username": "officer", "password": PASSWORD},
    )
    assert response.status_code == 302
    assert HolderLogin.objects.get(user__username="officer").holder == scenario.officer
    bad = client.post(
        reverse("holders:holder_login_create", args=[scenario.officer.pk]),
        {"username": "x2", "password": "1"},
    )
    assert "too short" in bad.content.decode()
    assert not HolderLogin.objects.filter(user__username="x2").exists()


def test_the_holder_sees_their_own_window_and_requests_an_exercise(
    client, case, django_assert_max_num_queries
):
    scenario, login, legal = case
    client.force_login(login.user)
    assert client.get(reverse("papers:dashboard")).url == reverse("grants:portal_home")
    client.get(reverse("grants:portal_home"))  # the session's first read
    with django_assert_max_num_queries(15):
        page = client.get(reverse("grants:portal_home"))
    text = page.content.decode()
    assert page.status_code == 200
    assert scenario.director.name in text and scenario.other.name not in text
    assert text.count('data-testid="open-window"') == 1
    lot = Holding.objects.get(holder=scenario.director).lots.get()
    url = reverse("grants:portal_exercise", args=[lot.pk])
    refused = client.post(url, {f"lot{lot.pk}-rights": "11"})
    assert refused.status_code == 400 and not ExerciseRequest.objects.exists()
    done = client.post(url, {f"lot{lot.pk}-rights": "10"})
    assert done.status_code == 302
    request = ExerciseRequest.objects.get()
    assert request.holder == scenario.director and request.requested_by == login.user
    # Legal staff confirm on payment as for any request.
    services.exercise_confirm_payment(request=request, received_on=today(), actor=legal)
    page = client.get(reverse("grants:portal_home")).content.decode()
    assert "Exercised" in page


def test_another_holders_lot_is_not_found(client, case):
    scenario, login, _legal = case
    client.force_login(login.user)
    other_lot = Holding.objects.get(holder=scenario.other).lots.get()
    response = client.post(
        reverse("grants:portal_exercise", args=[other_lot.pk]), {f"lot{other_lot.pk}-rights": "1"}
    )
    assert response.status_code == 404
    assert not ExerciseRequest.objects.exists()


def test_the_own_extract_is_the_holders_own(client, case):
    scenario, login, _legal = case
    client.force_login(login.user)
    response = client.get(reverse("papers:own_extract_pdf"))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert f"register-extract-{scenario.director.pk}-" in response["Content-Disposition"]
    assert client.get(reverse("papers:own_extract_pdf") + "?as_of=2013-02-29").status_code == 400


def test_staff_do_not_reach_the_holders_view(client, case):
    _scenario, _login, legal = case
    client.force_login(legal)
    assert client.get(reverse("grants:portal_home")).status_code == 403
    assert client.get(reverse("papers:own_extract_pdf")).status_code == 403


# Pages a holder may open: their own view, the sign-in pages and the language switch.
HOLDER_PAGES = {
    "/my/",
    "/my/extract.pdf",
    "/login/",
    "/login/second-factor/",
    "/login/second-factor/enrol/",
}
# Pages that send a holder on to their own view (where sign-in leads).
TO_OWN_VIEW = {"/", "/dashboard/"}


def test_a_holder_reaches_no_other_page(client):
    users = demo.ensure_demo_users()
    series = demo.load_seed_series(users=users)
    for step in demo.EXTRA_STEPS:
        step(users=users, series=series)
    holding = Holding.objects.filter(rights__gt=0).select_related("holder").order_by("pk").first()
    login = holder_services.holder_login_create(
        holder=holding.holder, username="holder_walk", password=PASSWORD, actor=users["legal"]
    )
    client.force_login(login.user)
    reached = []
    ids = sorted({1, 2, holding.holder.pk, holding.pk, holding.series.pk, 999_999})
    for route in app_routes():
        for pk in ids if "<int:" in route else [None]:
            url = concrete(route, pk or 0)
            if url in HOLDER_PAGES:
                continue
            response = client.get(url, follow=url in TO_OWN_VIEW)
            if url in TO_OWN_VIEW:
                assert response.redirect_chain[-1][0] == "/my/", url
                continue
            status = response.status_code
            if status not in (403, 404, 405):
                reached.append((url, status))
    assert not reached, reached
    admin = client.get("/" + re.sub(r"^/", "", reverse("admin:index")))
    assert admin.status_code == 302 and "/login/" in admin.url


def test_the_holders_view_reads_in_fixed_queries_whatever_the_lots(
    client, case, django_assert_max_num_queries
):
    from tests.factories import allot, make_series

    scenario, login, legal = case
    for number in (7, 8, 9):
        series = make_series(actor=legal, number=number)
        allot(series=series, holder=scenario.director, rights=3, actor=legal)
        series = services.series_close_allotment(series=series, actor=legal)
        services.allotment_set_amount_paid(series=series, amount_paid_per_right_yen=1000, actor=legal)
    client.force_login(login.user)
    client.get(reverse("grants:portal_home"))
    with django_assert_max_num_queries(15):
        page = client.get(reverse("grants:portal_home"))
    assert page.content.decode().count('data-testid="portal-lot"') == 4


def test_an_heir_sees_the_inherited_lot_open_and_exercises_it(client):
    from grants.models import Lot
    from tests.factories import allot, make_holder, make_series, secretary_user

    legal = legal_user()
    secretary = secretary_user()
    series = make_series(actor=legal)
    heir = make_holder(actor=legal, name="Keiko Heir (fictional)")
    deceased = make_holder(actor=legal, name="Ichiro Deceased (fictional)")
    allot(series=series, holder=heir, rights=15, actor=legal)
    allot(series=series, holder=deceased, rights=25, actor=legal)
    services.series_close_allotment(series=series, actor=legal)
    services.allotment_set_amount_paid(series=series, amount_paid_per_right_yen=1000, actor=legal)
    died, succeeded = today() - timedelta(days=10), today() - timedelta(days=5)
    services.death_record(holder=deceased, died_on=died, actor=legal)
    case = services.inheritance_open(deceased=deceased, actor=legal)
    services.heir_designate(case=case, heir=heir, designated_on=died, relationship="child", actor=legal)
    services.inheritance_approve(
        case=case,
        succeeded_on=succeeded,
        resolution_date=succeeded,
        resolution_reference="Board",
        actor=secretary,
    )
    login = holder_services.holder_login_create(holder=heir, username="heir", password=PASSWORD, actor=legal)
    client.force_login(login.user)
    page = client.get(reverse("grants:portal_home")).content.decode()
    assert page.count('data-testid="portal-lot"') == 2  # her own lot (in office) and the inherited one
    assert page.count('data-testid="open-window"') == 1 and "25 rights" in page
    inherited = Lot.objects.get(holding__holder=heir, origin=Lot.Origin.SUCCEEDED)
    own = Lot.objects.get(holding__holder=heir, origin=Lot.Origin.ALLOTTED)
    refused = client.post(reverse("grants:portal_exercise", args=[own.pk]), {f"lot{own.pk}-rights": "15"})
    assert refused.status_code == 400
    done = client.post(
        reverse("grants:portal_exercise", args=[inherited.pk]), {f"lot{inherited.pk}-rights": "25"}
    )
    assert done.status_code == 302
    assert ExerciseRequest.objects.get().lot == inherited
