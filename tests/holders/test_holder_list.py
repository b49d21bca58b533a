"""The holder list: search, sort, 50 a page, in a fixed number of queries (docs/domain.md R61)."""

from datetime import date

import pytest
from django.urls import reverse

from holders import services
from tests.factories import make_holder

pytestmark = pytest.mark.django_db


def test_search_sort_and_pages_with_flat_queries(client, legal, django_assert_max_num_queries):
    for i in range(60):
        make_holder(actor=legal, name=f"Person {i:02d} (fictional)")
    special = make_holder(actor=legal, name="Zed Kanamoto (fictional)")
    services.holder_update_details(
        holder=special,
        effective_date=date(2024, 1, 1),
        actor=legal,
        name_kana="カナモト ゼッド",
        email="zed@example.jp",
    )
    client.force_login(legal)
    url = reverse("holders:holder_list")
    with django_assert_max_num_queries(14):
        page = client.get(url)
    assert [h.name for h in page.context["holders"]][:2] == ["Person 00 (fictional)", "Person 01 (fictional)"]
    assert len(page.context["holders"]) == 50
    assert "Page 1 of 2 (61 holders)" in page.content.decode()
    with django_assert_max_num_queries(14):
        second = client.get(url, {"page": 2})
    assert len(second.context["holders"]) == 11
    assert client.get(url, {"sort": "-name"}).context["holders"][0].name == "Zed Kanamoto (fictional)"
    found = client.get(url, {"q": "カナモト"}).context["holders"]
    assert [h.name for h in found] == ["Zed Kanamoto (fictional)"]
    assert list(client.get(url, {"q": "nobody at all"}).context["holders"]) == []
    assert client.get(url, {"sort": "'; drop table"}).status_code == 200
    assert client.get(url, {"page": "999"}).status_code == 404
