"""The register page: search, sort and pages; the subtotals and totals stay the whole register's."""

from datetime import date

import pytest
from django.urls import reverse

from grants import services
from grants.models import LedgerEvent
from holders.models import Holder
from papers.registerpage import PAGE_SIZE, read_sort
from tests.factories import make_holder

from .conftest import record, register_csv

EXTRA_ON = date(2014, 1, 1)
AS_OF = {"as_of": "2014-01-01"}


@pytest.fixture
def client_legal(client, legal):
    client.force_login(legal)
    return client


def add_holders(series, legal, n, *, start=0):
    for i in range(start, start + n):
        record(
            event_type=LedgerEvent.Type.TRANSFER_REGISTERED,
            series=series,
            holder=make_holder(actor=legal, name=f"Extra {i:03d}"),
            rights_delta=1 + i % 3,
            on=EXTRA_ON,
            actor=legal,
        )


def page_rows(response):
    return [r for s in response.context["page_sections"] for r in s.rows]


def names(response):
    return [r.holder.name if r.holder else "(company)" for r in page_rows(response)]


@pytest.fixture
def big(seed_series, legal):
    """17 seed holders with 135 rights, and 200 more holders with 399 rights: 217 rows, 3 pages."""
    add_holders(seed_series, legal, 200)
    return seed_series


def test_a_page_past_the_end_is_the_last_page_and_junk_is_the_first(client_legal, big):
    last = client_legal.get(reverse("papers:register"), {**AS_OF, "page": "99999999999"})
    assert last.status_code == 200
    assert last.context["page"].number == 3
    assert len(page_rows(last)) == 217 - 2 * PAGE_SIZE
    for junk in ("x", "-1", "0", "", "1.5", "２"):
        response = client_legal.get(reverse("papers:register"), {**AS_OF, "page": junk})
        assert response.status_code == 200
        expected = 2 if junk == "２" else 1  # full-width digits read as the digits they show
        assert response.context["page"].number == expected


def test_the_subtotals_and_totals_are_the_whole_register_on_every_page(client_legal, big):
    for page in ("1", "2", "3"):
        response = client_legal.get(reverse("papers:register"), {**AS_OF, "page": page})
        [section] = response.context["page_sections"]
        assert section.rights == 135 + sum(1 + i % 3 for i in range(200))
        assert section.holder_count == 217
        assert response.context["total_rights"] == section.rights
        assert f'data-testid="total-rights">{section.rights:,}<'.encode() in response.content
        assert len(page_rows(response)) == (PAGE_SIZE if page != "3" else 17)
    assert b"Showing rows 201\xe2\x80\x93217 of 217" in response.content
    assert b"The whole register: 217 holders, 534 rights" in response.content


def test_the_page_links_keep_the_date_the_search_and_the_sort(client_legal, big):
    response = client_legal.get(reverse("papers:register"), {**AS_OF, "q": "extra", "sort": "-rights"})
    assert response.context["page"].count == 200
    body = response.content.decode()
    assert 'href="?as_of=2014-01-01&amp;q=extra&amp;sort=-rights&amp;page=2"' in body
    follow = client_legal.get(
        reverse("papers:register"), {**AS_OF, "q": "extra", "sort": "-rights", "page": "2"}
    )
    assert follow.context["page"].first == 101 and follow.context["page"].last == 200
    assert 'href="?as_of=2014-01-01&amp;q=extra&amp;sort=-rights&amp;page=1"' in follow.content.decode()


def test_search_by_name_or_kana_keeps_the_whole_subtotal(client_legal, seed_series, legal):
    holder = Holder.objects.get(name="Keiko Example (fictional)")
    Holder.objects.filter(pk=holder.pk).update(name_kana="ケイコ エグザンプル")
    for q in ("keiko", "ケイコ", "ｹｲｺ"):  # half-width kana read as full-width (NFKC)
        response = client_legal.get(reverse("papers:register"), {"as_of": "2013-07-11", "q": q})
        assert names(response) == ["Keiko Example (fictional)"], q
        assert response.context["page_sections"][0].rights == 135
    none = client_legal.get(reverse("papers:register"), {"as_of": "2013-07-11", "q": "nobody at all"})
    assert none.status_code == 200 and page_rows(none) == []
    assert b"No entry matches the search." in none.content
    assert none.context["total_rights"] == 135


def test_sort_by_each_column_both_ways_and_unknown_is_ignored(client_legal, seed_series, legal):
    url = reverse("papers:register")
    plain = names(client_legal.get(url, {"as_of": "2013-07-11"}))
    by_name = names(client_legal.get(url, {"as_of": "2013-07-11", "sort": "holder"}))
    assert by_name == sorted(plain)
    assert names(client_legal.get(url, {"as_of": "2013-07-11", "sort": "-holder"})) == sorted(
        plain, reverse=True
    )
    rights = [r.rights for r in page_rows(client_legal.get(url, {"as_of": "2013-07-11", "sort": "rights"}))]
    assert rights == sorted(rights) and rights[0] == 4 and rights[-1] == 25
    down = [r.shares for r in page_rows(client_legal.get(url, {"as_of": "2013-07-11", "sort": "-shares"}))]
    assert down == sorted(down, reverse=True)
    record(
        event_type=LedgerEvent.Type.TRANSFER_REGISTERED,
        series=seed_series,
        holder=make_holder(actor=legal, name="Later Holder"),
        rights_delta=1,
        on=EXTRA_ON,
        actor=legal,
    )
    acquired = names(client_legal.get(url, {**AS_OF, "sort": "-acquired"}))
    assert acquired[0] == "Later Holder"
    for unknown in ("address", "holder;drop", "--rights", "x" * 500):
        response = client_legal.get(url, {"as_of": "2013-07-11", "sort": unknown})
        assert response.status_code == 200 and names(response) == plain
        assert read_sort(unknown) == ""


def test_the_companys_own_rights_stay_in_their_section_after_the_holders(
    client_legal, seed_series, legal, secretary
):
    acquisition = services.company_acquisition_resolve(
        series=seed_series,
        trigger="merger",
        proposal_approved_on=date(2020, 6, 26),
        acquisition_date=date(2020, 8, 3),
        resolution_date=date(2020, 7, 1),
        resolution_reference="Board 2020-07",
        actor=secretary,
    )
    services.company_acquisition_execute(acquisition=acquisition, as_of=date(2020, 8, 3), actor=legal)
    for n in range(3):
        record(
            event_type=LedgerEvent.Type.TRANSFER_REGISTERED,
            series=seed_series,
            holder=make_holder(actor=legal, name=f"After {n}"),
            rights_delta=10 + n,
            on=date(2020, 9, 2),
            actor=legal,
        )
    response = client_legal.get(reverse("papers:register"), {"as_of": "2020-09-02", "sort": "-rights"})
    [section] = response.context["page_sections"]
    assert [r.company_held for r in section.rows] == [False, False, False, True]
    assert [r.rights for r in section.rows[:3]] == [12, 11, 10]
    assert section.company_rights == 135
    assert b'data-testid="company-held"' in response.content


def test_the_files_ignore_search_sort_and_page(client_legal, big):
    params = {**AS_OF, "q": "Extra 001", "sort": "-rights", "page": "3"}
    whole = client_legal.get(reverse("papers:register_csv"), AS_OF).getvalue()
    paged = client_legal.get(reverse("papers:register_csv"), params).getvalue()
    rows, _balance = register_csv(paged)
    assert len(rows) == 1 + 217
    assert whole.split(b"\n")[4:] == paged.split(b"\n")[4:]  # the same entries; only "prepared at" differs
    for name in ("papers:register_pdf", "papers:register_xlsx"):
        response = client_legal.get(reverse(name), params)
        assert response.status_code == 200
        assert not response["Content-Type"].startswith("text/html")
    page = client_legal.get(reverse("papers:register"), params)
    assert names(page) == ["Extra 001"]
    body = page.content.decode()
    for testid in ("register-csv", "register-pdf", "register-xlsx"):
        href = body.split(f'data-testid="{testid}" href="')[1].split('"')[0]
        assert href.endswith("?as_of=2014-01-01"), href


def test_the_query_count_is_flat_in_the_number_of_rows(
    client_legal, seed_series, legal, django_assert_max_num_queries
):
    counts = []
    url = reverse("papers:register")
    for added, size in ((20, 20), (240, 260)):
        add_holders(seed_series, legal, added, start=len(counts) * 20)
        with django_assert_max_num_queries(16) as captured:  # the bound the whole register's page had
            response = client_legal.get(url, {**AS_OF, "sort": "holder", "q": "EXTRA", "page": "2"})
        counts.append(len(captured))
        assert response.context["page"].count == size
        assert len(page_rows(response)) == (20 if size == 20 else PAGE_SIZE)  # 20 rows: page 2 is page 1
    assert counts[0] == counts[1], counts


def test_the_page_in_japanese(client_legal, seed_series):
    response = client_legal.get(
        reverse("papers:register"), {"as_of": "2013-07-11", "q": "zzz"}, HTTP_ACCEPT_LANGUAGE="ja"
    )
    body = response.content.decode()
    assert "検索条件に一致する記載はありません。" in body
    assert "原簿全体：新株予約権者17名、新株予約権135個" in body
    full = client_legal.get(reverse("papers:register"), {"as_of": "2013-07-11"}, HTTP_ACCEPT_LANGUAGE="ja")
    assert "全17件中 1〜17件目を表示" in full.content.decode()
