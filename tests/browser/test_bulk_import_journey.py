"""Legal staff import 50 new holders with their rights from a file, in a real Chromium: one row is
bad, the preview shows it and nothing is written; the corrected file is imported whole."""

import csv
from pathlib import Path

import pytest
from django.urls import reverse

from grants.models import Allotment
from grants.roles import LEGAL_STAFF
from holders.models import Holder
from tests.factories import make_series, user_with_role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
HEADER = ["name", "name_kana", "address", "email", "position", "since", "rights"]


def write_file(path: Path, *, bad_since: str | None) -> Path:
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(HEADER)
        for i in range(50):
            since = bad_since if (bad_since and i == 36) else "2024-06-21"
            writer.writerow(
                [f"Allottee {i:02d} (fictional)", "", f"{i}-2 Otemachi, Tokyo", "", "director", since, "2"]
            )
    return path


def test_fifty_rows_one_bad_fixed_and_imported(live_server, page, tmp_path):
    legal = user_with_role(LEGAL_STAFF, "legal")
    legal.set_password("legal-demo-pass")
    legal.save()
    series = make_series(actor=legal, name="Stock Acquisition Rights (9th series)", max_rights=200)

    page.goto(live_server.url + reverse("login"))
    page.fill("#id_username", "legal")
    page.fill("#id_password", "legal-demo-pass")
    page.get_by_role("button", name="Log in").click()
    page.goto(live_server.url + reverse("holders:holder_list"))
    page.get_by_test_id("bulk-import").click()
    page.select_option("#id_company", label=str(series.company))
    page.select_option("#id_series", value=str(series.pk))
    page.set_input_files("#id_file", str(write_file(tmp_path / "allottees.csv", bad_since="2024-06-31")))
    page.get_by_test_id("read-file").click()

    assert "1 row has problems" in page.get_by_test_id("import-problems").inner_text()
    bad = page.get_by_test_id("problem-row")
    assert bad.count() == 1
    assert "2024-06-31 is not a date" in bad.inner_text()
    assert "Allottee 36" in bad.inner_text()
    assert page.get_by_test_id("confirm-import").count() == 0
    assert not Holder.objects.filter(name__startswith="Allottee").exists()

    page.get_by_role("link", name="Read a corrected file").click()
    page.select_option("#id_company", label=str(series.company))
    page.select_option("#id_series", value=str(series.pk))
    page.set_input_files("#id_file", str(write_file(tmp_path / "allottees-fixed.csv", bad_since=None)))
    page.get_by_test_id("read-file").click()
    assert page.get_by_test_id("problem-row").count() == 0
    page.get_by_test_id("confirm-import").click()
    assert "Imported 50 holders and 50 allotments." in page.get_by_test_id("import-done").inner_text()
    assert Holder.objects.filter(name__startswith="Allottee").count() == 50
    assert Allotment.objects.filter(series=series).count() == 50
    series.refresh_from_db()
    assert series.allotted_rights == 100
