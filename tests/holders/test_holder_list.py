"""The holder list: search, sort, filters, 50 a page, totals, in a fixed number of queries
(docs/domain.md R63)."""

from datetime import date

import pytest
from django.urls import reverse

from companies.models import CompanyAccess
from holders import services
from holders.models import Position
from tests.factories import CompanyFactory, issuer, legal_user, make_holder
from tests.factories.lifecycle import end_office

pytestmark = pytest.mark.django_db

URL = reverse("holders:holder_list")


def _names(response) -> list[str]:
    return [h.name for h in response.context["holders"]]


def _all_pages(client, **params) -> list[str]:
    first = client.get(URL, params)
    names = _names(first)
    for number in range(2, first.context["paginator"].num_pages + 1):
        names += _names(client.get(URL, {**params, "page": number}))
    return names


@pytest.mark.parametrize(
    "params",
    [
        {"page": "-1"},
        {"page": "0"},
        {"page": "\x00"},
        {"page": "9" * 40},
        {"page": "２"},
        {"page": "1e9"},
        {"q": "\x00\x00"},
        {"q": "山田\x00"},
        {"q": "x" * 10_000},
        {"q": "%"},
        {"sort": "'; drop table holders_holder; --"},
        {"sort": "my_number_encrypted"},
        {"status": "\x00"},
        {"role": "king"},
        {"company": "-1"},
        {"company": "9" * 30},
        {"company": "\x00"},
    ],
)
def test_hostile_parameters_read_as_defaults(client, legal, params):
    make_holder(actor=legal, name="Only One (fictional)")
    client.force_login(legal)
    response = client.get(URL, params)
    assert response.status_code == 200
    assert response.context["page_obj"].number == 1


def test_a_page_past_the_end_is_the_last_page(client, legal):
    for i in range(52):
        make_holder(actor=legal, name=f"Person {i:02d} (fictional)")
    client.force_login(legal)
    response = client.get(URL, {"page": "999"})
    assert response.context["page_obj"].number == 2
    assert _names(response) == ["Person 50 (fictional)", "Person 51 (fictional)"]


def test_pages_of_fifty_with_flat_queries(client, legal, django_assert_max_num_queries):
    for i in range(3):
        make_holder(actor=legal, name=f"Person {i:02d} (fictional)")
    client.force_login(legal)
    with django_assert_max_num_queries(30) as small:
        client.get(URL)
    for i in range(3, 61):
        make_holder(actor=legal, name=f"Person {i:02d} (fictional)")
    with django_assert_max_num_queries(len(small.captured_queries)):
        page = client.get(URL)
    with django_assert_max_num_queries(len(small.captured_queries)) as filtered:
        second = client.get(URL, {"page": 2, "status": "in_office", "q": "Person"})
    assert _names(page)[:2] == ["Person 00 (fictional)", "Person 01 (fictional)"]
    assert len(_names(page)) == 50 and len(_names(second)) == 11
    assert "Page 1 of 2 (61 holders)" in page.text
    # Every holder, unfiltered: the totals and the pages' count are the tally's row, counted nowhere.
    assert not any("COUNT(" in q["sql"].upper() for q in small.captured_queries)
    assert sum("holders_holdertally" in q["sql"] for q in small.captured_queries) == 1
    # Filtered: the count of the pages is the totals' aggregate, with no second COUNT.
    assert sum("COUNT(" in q["sql"].upper() for q in filtered.captured_queries) == 1


def test_every_sort_orders_the_whole_list(client, legal):
    names = ["Beta (fictional)", "Alpha (fictional)", "Gamma (fictional)"]
    kana = {"Beta (fictional)": "ア", "Alpha (fictional)": "ウ", "Gamma (fictional)": "イ"}
    for name in names:
        holder = make_holder(actor=legal, name=name)
        services.holder_update_details(
            holder=holder, effective_date=date(2024, 1, 1), actor=legal, name_kana=kana[name]
        )
    client.force_login(legal)
    expected = {
        "name": ["Alpha (fictional)", "Beta (fictional)", "Gamma (fictional)"],
        "-name": ["Gamma (fictional)", "Beta (fictional)", "Alpha (fictional)"],
        "kana": ["Beta (fictional)", "Gamma (fictional)", "Alpha (fictional)"],
        "-kana": ["Alpha (fictional)", "Gamma (fictional)", "Beta (fictional)"],
        "new": list(reversed(names)),
        "old": names,
    }
    for sort, order in expected.items():
        assert _names(client.get(URL, {"sort": sort})) == order, sort


def test_japanese_names_and_kana_are_found_however_typed(client, legal):
    yamada = make_holder(actor=legal, name="山田 太郎")
    services.holder_update_details(
        holder=yamada,
        effective_date=date(2024, 1, 1),
        actor=legal,
        name_kana="ヤマダ タロウ",
        email="taro.yamada@example.jp",
    )
    make_holder(actor=legal, name="佐藤 花子")
    client.force_login(legal)
    for typed in ["山田", "ヤマダ", "やまだ", "ﾔﾏﾀﾞ", "taro.YAMADA", "太郎"]:
        assert _names(client.get(URL, {"q": typed})) == ["山田 太郎"], typed
    assert _names(client.get(URL, {"q": "佐藤"})) == ["佐藤 花子"]
    assert _names(client.get(URL, {"q": "鈴木"})) == []


def test_filters_and_totals_of_the_whole_filtered_set(client, legal):
    home = issuer()
    in_office = [make_holder(actor=legal, name=f"In {i:02d} (fictional)") for i in range(53)]
    officer = make_holder(actor=legal, name="Officer (fictional)", title=Position.Title.EXECUTIVE_OFFICER)
    gone = make_holder(actor=legal, name="Gone (fictional)")
    end_office(gone, on=date(2020, 3, 31), actor=legal)
    dead = make_holder(actor=legal, name="Dead (fictional)")
    services.holder_record_death(holder=dead, died_on=date(2021, 5, 1), actor=legal)
    elsewhere = CompanyFactory()
    abroad = make_holder(actor=legal, name="Abroad (fictional)", company=elsewhere)
    client.force_login(legal)

    totals = client.get(URL).context["totals"]
    assert totals == {"holders": 57, "in_office": 55, "out_of_office": 1, "deceased": 1}
    assert len(_all_pages(client)) == 57
    cases = {
        (("status", "in_office"),): 55,
        (("status", "out_of_office"),): 1,
        (("status", "deceased"),): 1,
        (("role", "executive_officer"),): 1,
        (("company", str(elsewhere.pk)),): 1,
        (("company", str(home.pk)),): 56,
        (("company", str(elsewhere.pk)), ("status", "out_of_office")): 0,
        (("company", str(home.pk)), ("status", "in_office")): 54,
        (("q", "In "), ("status", "in_office")): 53,
    }
    for params, count in cases.items():
        response = client.get(URL, dict(params))
        assert response.context["totals"]["holders"] == count, params
        assert len(_all_pages(client, **dict(params))) == count, params
    assert _names(client.get(URL, {"status": "out_of_office"})) == ["Gone (fictional)"]
    assert _names(client.get(URL, {"status": "deceased"})) == ["Dead (fictional)"]
    assert _names(client.get(URL, {"role": "executive_officer"})) == ["Officer (fictional)"]
    assert _names(client.get(URL, {"company": elsewhere.pk})) == ["Abroad (fictional)"]
    # At the other company only, the home company's holders are out of that company's office.
    on_page = client.get(URL, {"company": home.pk}).text
    assert "Abroad (fictional)" not in on_page and in_office[0].name in on_page
    assert "57 holders: 55 in office, 1 out of office, 1 deceased" in client.get(URL).text
    assert abroad.pk and officer.pk


def test_a_user_limited_to_a_company_sees_and_counts_its_holders_only(client, legal):
    make_holder(actor=legal, name="Home (fictional)")
    other = CompanyFactory()
    make_holder(actor=legal, name="Other (fictional)", company=other)
    limited = legal_user("limited_legal")
    CompanyAccess.objects.create(user=limited, company=other)
    client.force_login(limited)
    response = client.get(URL)
    assert _names(response) == ["Other (fictional)"]
    assert response.context["totals"]["holders"] == 1
    assert [c.pk for c in response.context["companies"]] == [other.pk]
    # A company the user may not see is no filter at all, and reveals nothing.
    assert _names(client.get(URL, {"company": issuer().pk - 1})) == ["Other (fictional)"]
