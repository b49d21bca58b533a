"""The series page's holders: 50 a page, searched, sorted, filtered, with the series' totals from one
aggregate, under its own query parameters (docs/domain.md R64)."""

from datetime import date

import pytest

from grants import services
from holders import services as holder_services
from tests.factories import allot, make_holder, make_series
from tests.factories.lifecycle import end_office

pytestmark = pytest.mark.django_db

DIED = date(2020, 8, 20)
SUCCEEDED = date(2020, 8, 30)


def _names(response) -> list[str]:
    return [h.holder.name for h in response.context["holdings"]]


def _all_pages(client, series, **params) -> list:
    first = client.get(series.get_absolute_url(), params)
    rows = list(first.context["holdings"])
    for number in range(2, first.context["holders_listing"].paginator.num_pages + 1):
        rows += list(
            client.get(series.get_absolute_url(), {**params, "holders_page": number}).context["holdings"]
        )
    return rows


@pytest.fixture
def book(legal, secretary):
    """A series of 55 holders: 3 with their own rights counts, one out of office, one who died and
    the heir who succeeded him."""
    series = make_series(actor=legal, max_rights=5000)
    plain = [make_holder(actor=legal, name=f"Holder {i:02d} (fictional)") for i in range(50)]
    for i, holder in enumerate(plain):
        allot(series=series, holder=holder, rights=1 + i % 3, actor=legal)
    yamada = make_holder(actor=legal, name="山田 太郎")
    holder_services.holder_update_details(
        holder=yamada, effective_date=date(2024, 1, 1), actor=legal, name_kana="ヤマダ タロウ"
    )
    allot(series=series, holder=yamada, rights=100, actor=legal)
    gone = make_holder(actor=legal, name="Gone (fictional)")
    allot(series=series, holder=gone, rights=7, actor=legal)
    heir = make_holder(actor=legal, name="Heir (fictional)")
    deceased = make_holder(actor=legal, name="Deceased (fictional)")
    allot(series=series, holder=heir, rights=4, actor=legal)
    allot(series=series, holder=deceased, rights=9, actor=legal)
    other = make_holder(actor=legal, name="Zero (fictional)")
    allot(series=series, holder=other, rights=2, actor=legal)
    services.series_close_allotment(series=series, actor=legal)
    services.allotment_set_amount_paid(series=series, amount_paid_per_right_yen=1000, actor=legal)
    end_office(gone, on=date(2025, 3, 31), actor=legal)
    services.death_record(holder=deceased, died_on=DIED, actor=legal)
    case = services.inheritance_open(deceased=deceased, actor=legal)
    services.heir_designate(case=case, heir=heir, designated_on=DIED, relationship="child", actor=legal)
    services.inheritance_approve(
        case=case,
        succeeded_on=SUCCEEDED,
        resolution_date=SUCCEEDED,
        resolution_reference="Board",
        actor=secretary,
    )
    return series


@pytest.mark.parametrize(
    "params",
    [
        {"holders_page": "-1"},
        {"holders_page": "\x00"},
        {"holders_page": "9" * 40},
        {"holders_page": "1.5"},
        {"holders_q": "\x00"},
        {"holders_q": "y" * 5000},
        {"holders_sort": "holder__my_number_encrypted"},
        {"holders_filter": "'; --"},
        {"page": "-1", "q": "\x00", "sort": "x"},
    ],
)
def test_hostile_parameters_read_as_defaults(client, legal, params):
    series = make_series(actor=legal)
    allot(series=series, holder=make_holder(actor=legal, name="Only (fictional)"), rights=1, actor=legal)
    client.force_login(legal)
    response = client.get(series.get_absolute_url(), params)
    assert response.status_code == 200
    assert response.context["holders_listing"].page.number == 1


def test_pages_of_fifty_and_totals_of_the_whole_series(client, legal, book, django_assert_max_num_queries):
    client.force_login(legal)
    url = book.get_absolute_url()
    first = client.get(url)
    totals = first.context["holders_totals"]
    rows = _all_pages(client, book)
    # The deceased's holding stays (at zero) after the succession: it is a line of the register.
    assert totals["holders"] == len(rows) == 55
    assert totals["all_rights"] == sum(h.rights for h in rows) == first.context["rights_held"]
    assert totals["all_rights"] == sum(1 + i % 3 for i in range(50)) + 100 + 7 + 13 + 2
    assert len(first.context["holdings"]) == 50
    assert [h.holder.name for h in rows] == sorted(h.holder.name for h in rows)
    last = client.get(url, {"holders_page": "999"})
    assert last.context["holders_listing"].page.number == 2 and len(last.context["holdings"]) == 5
    assert "Page 1 of 2 (55 holders)" in first.text
    assert (totals["in_office"], totals["departed"], totals["deceased"], totals["heirs"]) == (53, 1, 1, 1)


def test_queries_are_flat_in_the_number_of_holders(client, legal, django_assert_max_num_queries):
    series = make_series(actor=legal, max_rights=5000)
    for _ in range(3):
        allot(series=series, holder=make_holder(actor=legal), rights=1, actor=legal)
    client.force_login(legal)
    with django_assert_max_num_queries(40) as small:
        client.get(series.get_absolute_url())
    for _ in range(60):
        allot(series=series, holder=make_holder(actor=legal), rights=1, actor=legal)
    for params in [
        {},
        {"holders_page": 2, "holders_sort": "-rights"},
        {"holders_filter": "in_office", "holders_q": "Holder"},
    ]:
        with django_assert_max_num_queries(len(small.captured_queries)):
            client.get(series.get_absolute_url(), params)


def test_sorts_by_name_rights_and_date_acquired(client, legal, book):
    client.force_login(legal)
    rows = _all_pages(client, book, holders_sort="-rights")
    assert rows[0].holder.name == "山田 太郎" and [h.rights for h in rows] == sorted(
        (h.rights for h in rows), reverse=True
    )
    rows = _all_pages(client, book, holders_sort="rights")
    assert rows[0].rights == 0 and [h.rights for h in rows] == sorted(h.rights for h in rows)
    rows = _all_pages(client, book, holders_sort="-acquired")
    assert [(h.acquired_on, h.pk) for h in rows] == sorted(
        ((h.acquired_on, h.pk) for h in rows), reverse=True
    )
    rows = _all_pages(client, book, holders_sort="-name")
    assert [h.holder.name for h in rows] == sorted((h.holder.name for h in rows), reverse=True)


def test_filters_and_search_count_what_they_show(client, legal, book):
    client.force_login(legal)
    url = book.get_absolute_url()
    expected = {
        "in_office": None,
        "departed": ["Gone (fictional)"],
        "deceased": ["Deceased (fictional)"],
        "heirs": ["Heir (fictional)"],
    }
    for key, names in expected.items():
        response = client.get(url, {"holders_filter": key})
        rows = _all_pages(client, book, holders_filter=key)
        assert (
            response.context["holders_totals"]["matching"]
            == len(rows)
            == response.context["holders_totals"][key]
        )
        assert response.context["holders_totals"]["matching_rights"] == sum(h.rights for h in rows)
        if names is not None:
            assert [h.holder.name for h in rows] == names
    in_office = client.get(url, {"holders_filter": "in_office"})
    assert "Gone (fictional)" not in _names(in_office)
    for typed in ["山田", "やまだ", "ﾔﾏﾀﾞ"]:
        found = client.get(url, {"holders_q": typed})
        assert _names(found) == ["山田 太郎"], typed
        assert found.context["holders_totals"]["matching_rights"] == 100
        # The series' own totals stay those of the whole series.
        assert found.context["holders_totals"]["holders"] == 55
        assert found.context["rights_held"] == 221
    assert "Shown by the search: 1 holders, 100 rights." in client.get(url, {"holders_q": "山田"}).text
    assert _names(client.get(url, {"holders_q": "nobody"})) == []
    assert "No holder matches." in client.get(url, {"holders_q": "nobody"}).text


def test_the_page_links_keep_the_search_and_the_other_sections_alone(client, legal, book):
    client.force_login(legal)
    response = client.get(book.get_absolute_url(), {"holders_q": "fictional", "holders_sort": "-rights"})
    assert response.context["holders_totals"]["matching"] == 54
    assert "holders_q=fictional&amp;holders_sort=-rights&amp;holders_page=2" in response.text
    # The recent ledger events are the same whatever page of holders is shown.
    second = client.get(book.get_absolute_url(), {"holders_q": "fictional", "holders_page": 2})
    assert [e.pk for e in response.context["events"]] == [e.pk for e in second.context["events"]]
