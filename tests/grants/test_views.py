import pytest
from django.urls import reverse

from grants.models import Allotment, LedgerEvent
from tests.factories import allot, make_holder, make_series

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded(legal):
    series = make_series(actor=legal)
    holders = [make_holder(actor=legal) for _ in range(3)]
    for h in holders:
        allot(series=series, holder=h, rights=5, actor=legal)
    return series, holders


def test_login_is_required(client, seeded):
    series, _ = seeded
    response = client.get(series.get_absolute_url())
    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_login_page_renders(client):
    assert client.get(reverse("login")).status_code == 200


@pytest.mark.parametrize("role", ["legal", "secretary", "auditor"])
def test_every_role_reads_the_series_pages(client, seeded, role, request):
    client.force_login(request.getfixturevalue(role))
    series, holders = seeded
    response = client.get(reverse("grants:series_list"))
    assert response.status_code == 200
    assert series.name in response.text
    response = client.get(series.get_absolute_url())
    assert response.status_code == 200
    assert holders[0].name in response.text
    assert client.get(holders[0].get_absolute_url()).status_code == 200


def test_series_page_shows_the_terms_and_counts(client, legal, seeded):
    series, _ = seeded
    client.force_login(legal)
    text = client.get(series.get_absolute_url()).text
    for fragment in ["135", "200", "2013-07-12 – 2043-07-11", "15 / 135", "within 10 days", "None issued"]:
        assert fragment in text


def _add_holders(series, legal, n):
    for _ in range(n):
        allot(series=series, holder=make_holder(actor=legal), rights=1, actor=legal)


def test_series_page_queries_do_not_grow_with_holders(client, legal, seeded, django_assert_max_num_queries):
    series, _ = seeded
    client.force_login(legal)
    with django_assert_max_num_queries(40) as small:
        client.get(series.get_absolute_url())
    _add_holders(series, legal, 20)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(series.get_absolute_url())
    assert response.context["holdings"].__len__() == 23


def test_series_list_queries_do_not_grow_with_series(client, legal, django_assert_max_num_queries):
    client.force_login(legal)
    make_series(actor=legal)
    with django_assert_max_num_queries(10) as small:
        client.get(reverse("grants:series_list"))
    for _ in range(5):
        make_series(actor=legal)
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(reverse("grants:series_list"))


def test_holder_page_queries_do_not_grow_with_holdings(client, legal, django_assert_max_num_queries):
    client.force_login(legal)
    holder = make_holder(actor=legal)
    allot(series=make_series(actor=legal), holder=holder, rights=2, actor=legal)
    with django_assert_max_num_queries(40) as small:
        client.get(holder.get_absolute_url())
    for _ in range(4):
        allot(series=make_series(actor=legal), holder=holder, rights=2, actor=legal)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(holder.get_absolute_url())
    assert len(response.context["holding_rows"]) == 5


def test_unknown_ids_are_404(client, legal):
    client.force_login(legal)
    assert client.get(reverse("grants:series_detail", args=[999])).status_code == 404
    assert client.get(reverse("holders:holder_detail", args=[999])).status_code == 404
    assert client.get(reverse("grants:allotment_create", args=[999])).status_code == 404


class TestAllotmentForm:
    def url(self, series):
        return reverse("grants:allotment_create", args=[series.pk])

    def test_allots_and_redirects_to_the_series(self, client, legal):
        series = make_series(actor=legal)
        holder = make_holder(actor=legal)
        client.force_login(legal)
        response = client.post(self.url(series), {"holder": holder.pk, "category": "director", "rights": "7"})
        assert response.status_code == 302 and response["Location"] == series.get_absolute_url()
        assert Allotment.objects.get(series=series).rights == 7
        assert LedgerEvent.objects.filter(event_type="allotted", recorded_by=legal).count() == 1

    @pytest.mark.parametrize(
        "rights, message",
        [
            ("0", "greater than or equal to 1"),
            ("-3", "greater than or equal to 1"),
            ("1.5", "whole number"),
            ("1e3", "whole number"),
            ("１０", None),  # full-width digits: Django reads them as 10; accepted as the number they show
            ("1,000", "whole number"),
            ("", "required"),
            ("2147483648", "less than or equal to"),
            ("136", "Only 135 of the maximum 135"),
        ],
    )
    def test_bad_counts_show_inline_errors_and_write_nothing(self, client, legal, rights, message):
        series = make_series(actor=legal)
        holder = make_holder(actor=legal)
        client.force_login(legal)
        events = LedgerEvent.objects.count()
        response = client.post(
            self.url(series), {"holder": holder.pk, "category": "director", "rights": rights}
        )
        if message is None:
            assert response.status_code == 302
            assert Allotment.objects.get().rights == 10
            return
        assert response.status_code == 200
        assert message in response.text
        assert LedgerEvent.objects.count() == events
        assert not Allotment.objects.exists()

    def test_extra_post_fields_change_nothing(self, client, legal):
        series = make_series(actor=legal)
        holder = make_holder(actor=legal)
        client.force_login(legal)
        client.post(
            self.url(series),
            {
                "holder": holder.pk,
                "category": "director",
                "rights": "2",
                "status": "closed",
                "approved_by": legal.pk,
            },
        )
        series.refresh_from_db()
        assert series.status == "resolved"
        assert LedgerEvent.objects.get(event_type="allotted").approved_by is None

    def test_auditor_gets_403_and_writes_nothing(self, client, legal, auditor):
        series = make_series(actor=legal)
        holder = make_holder(actor=legal)
        client.force_login(auditor)
        assert client.get(self.url(series)).status_code == 403
        response = client.post(self.url(series), {"holder": holder.pk, "category": "director", "rights": "2"})
        assert response.status_code == 403
        assert not Allotment.objects.exists()

    def test_script_in_a_name_is_escaped(self, client, legal):
        series = make_series(actor=legal)
        holder = make_holder(actor=legal, name="<script>alert(1)</script> {{ 7*7 }}")
        allot(series=series, holder=holder, rights=1, actor=legal)
        client.force_login(legal)
        text = client.get(series.get_absolute_url()).text
        assert "<script>alert(1)</script>" not in text
        assert "&lt;script&gt;alert(1)&lt;/script&gt; {{ 7*7 }}" in text
