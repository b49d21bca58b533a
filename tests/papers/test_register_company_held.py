"""The company's own rights on the register page, its CSV and PDF, the disclosure table and the extract.

The seed's 135 rights are acquired by the company without contribution on 2020-08-03 (notice (8)) and
35 of them cancelled on 2020-09-01 (Art 276).
"""

from datetime import date

import pytest
from django.urls import reverse

from grants import services
from grants.models import LedgerEvent
from grants.selectors.register import register_with_totals_as_of
from holders.models import Holder
from tests.factories import make_holder

from .conftest import record, register_csv
from .pdfcheck import pdf_plain_text, squeeze

ACQUIRED_ON = date(2020, 8, 3)
CANCELLED_ON = date(2020, 9, 1)
ISSUER = "Internet Initiative Japan Inc."
ISSUER_JA = "株式会社インターネットイニシアティブ"
HEAD_OFFICE = "Iidabashi Grand Bloom, 2-10-2 Fujimi, Chiyoda-ku, Tokyo"


@pytest.fixture
def acquired(seed_series, legal, secretary):
    acquisition = services.company_acquisition_resolve(
        series=seed_series,
        trigger="merger",
        proposal_approved_on=date(2020, 6, 26),
        acquisition_date=ACQUIRED_ON,
        resolution_date=date(2020, 7, 1),
        resolution_reference="Board 2020-07",
        actor=secretary,
    )
    services.company_acquisition_execute(acquisition=acquisition, as_of=ACQUIRED_ON, actor=legal)
    services.rights_cancel(
        series=seed_series,
        rights=35,
        cancelled_on=CANCELLED_ON,
        resolution_date=date(2020, 8, 20),
        resolution_reference="Board 2020-08",
        actor=legal,
    )
    return seed_series


@pytest.fixture
def client_legal(client, legal):
    client.force_login(legal)
    return client


def test_the_page_shows_the_companys_own_rights_marked_with_the_balance(client_legal, acquired):
    response = client_legal.get(reverse("papers:register"), {"as_of": "2020-09-01"})
    assert response.status_code == 200
    (entry,) = response.context["rows"]
    assert entry.company_held and entry.rights == 100
    assert response.context["total_rights"] == 100 and response.context["holder_count"] == 0
    content = response.getvalue().decode()
    row = content.split('data-testid="company-held"', 1)[1].split("</tr>", 1)[0]
    assert f"<td>{ISSUER}<br>" in row and f"<td>{HEAD_OFFICE}</td>" in row
    assert "The company's own rights</span>" in row
    assert '"num">100<' in row and '"num">20,000<' in row and '"text-nowrap">2020-08-03<' in row
    assert 'data-testid="total-rights">100<' in content
    assert 'data-testid="total-company-rights">and the company\'s own rights (100)<' in content
    balance = content.split('data-testid="balance-row"', 1)[1].split("</tr>", 1)[0]
    cells = [c.split(">", 1)[1].split("<", 1)[0] for c in balance.split("<td")[1:]]
    assert cells[1:8] == ["135", "0", "100", "0", "0", "35", "0"] and "Yes" in cells[8]
    # No extract link for the company: the extract is a holder's (Art 250).
    assert "Extract for one holder" not in content


def test_the_page_before_the_acquisition_has_no_company_entry(client_legal, acquired):
    response = client_legal.get(reverse("papers:register"), {"as_of": "2020-08-02"})
    assert len(response.context["rows"]) == 17
    assert not any(r.company_held for r in response.context["rows"])
    assert 'data-testid="company-held"' not in response.getvalue().decode()
    (total,) = response.context["totals"]
    assert (total.held_by_holders, total.held_by_company, total.balanced) == (135, 0, True)


def test_the_page_in_japanese_names_the_company_in_japanese(client_legal, acquired):
    response = client_legal.get(
        reverse("papers:register"), {"as_of": "2020-08-03"}, HTTP_ACCEPT_LANGUAGE="ja"
    )
    row = response.getvalue().decode().split('data-testid="company-held"', 1)[1].split("</tr>", 1)[0]
    assert ISSUER_JA in row and "自己新株予約権" in row and ">135<" in row


def test_the_page_query_count_is_the_same_with_the_companys_rights(
    client_legal, acquired, legal, django_assert_max_num_queries
):
    with django_assert_max_num_queries(
        16
    ):  # + per request: session renewal, second-factor check, company access
        client_legal.get(reverse("papers:register"), {"as_of": "2020-09-01"})
    for n in range(5):
        record(
            event_type=LedgerEvent.Type.TRANSFER_REGISTERED,
            series=acquired,
            holder=make_holder(actor=legal, name=f"Extra {n}"),
            rights_delta=1,
            on=date(2020, 9, 2),
            actor=legal,
        )
    with django_assert_max_num_queries(
        16
    ):  # + per request: session renewal, second-factor check, company access
        response = client_legal.get(reverse("papers:register"), {"as_of": "2020-09-02"})
    assert len(response.context["rows"]) == 6


def test_csv_marks_the_companys_entry_and_gives_the_balance(client_legal, acquired):
    response = client_legal.get(reverse("papers:register_csv"), {"as_of": "2020-09-01"})
    rows, balance = register_csv(response.getvalue())
    assert rows[1] == [
        "Internet Initiative Japan Inc. Stock Acquisition Rights (3rd series)",
        ISSUER,
        HEAD_OFFICE,
        "100",
        "common stock",
        "200",
        "20000",
        "1.00",
        "2013-07-12",
        "2043-07-11",
        "2020-08-03",
        "",
        "The company's own rights",
    ]
    assert len(rows) == 2
    assert balance[1] == [rows[1][0], "135", "0", "100", "0", "0", "35", "0", "Yes"]


def test_csv_in_japanese(client_legal, acquired):
    response = client_legal.get(
        reverse("papers:register_csv"), {"as_of": "2020-08-03"}, HTTP_ACCEPT_LANGUAGE="ja"
    )
    rows, balance = register_csv(response.getvalue())
    assert rows[0][-1] == "区分" and rows[1][-1] == "自己新株予約権" and rows[1][3] == "135"
    assert balance[0][3] == "会社の保有" and balance[1][3] == "135" and balance[1][-1] == "はい"


def test_pdf_shows_the_companys_entry_and_the_balance(client_legal, acquired):
    response = client_legal.get(reverse("papers:register_pdf"), {"as_of": "2020-09-01"})
    body = response.getvalue()  # a streamed body is read once
    assert response.status_code == 200 and body.startswith(b"%PDF")
    text = pdf_plain_text(body)
    entry = (
        f"{ISSUER} The company's own rights {HEAD_OFFICE} 100 common stock 200 20,000 1"
        " 2013-07-12 – 2043-07-11 2020-08-03 None (not issued)"
    )
    assert squeeze(entry) in text
    assert squeeze("Subtotal: 0 holders and the company's own rights (100) 100 20,000") in text
    assert squeeze(f"Balanced {acquired.name} 135 0 100 0 0 35 0 ✓ Yes") in text


def test_pdf_in_japanese(client_legal, acquired):
    response = client_legal.get(
        reverse("papers:register_pdf"), {"as_of": "2020-08-03"}, HTTP_ACCEPT_LANGUAGE="ja"
    )
    text = pdf_plain_text(response.getvalue())
    entry = f"{ISSUER_JA} 自己新株予約権 {HEAD_OFFICE} 135 普通株式 200 27,000 1"
    assert squeeze(entry + " 2013年7月12日 – 2043年7月11日 2020年8月3日 なし（不発行）") in text
    assert squeeze("小計：0名 および自己新株予約権（135個） 135 27,000") in text
    assert squeeze(f"一致 {acquired.name_ja} 135 0 135 0 0 0 0 ✓ はい") in text


def test_pdf_before_the_acquisition_has_no_company_entry(client_legal, acquired):
    text = pdf_plain_text(
        client_legal.get(reverse("papers:register_pdf"), {"as_of": "2020-08-02"}).getvalue()
    )
    assert squeeze("Ichiro Sample (fictional)") in text and squeeze("Subtotal: 17 holders 135 27,000") in text
    # The issuer heads the document; it has no entry of its own rights before the acquisition.
    assert squeeze("The company's own rights") not in text and squeeze(f"{ISSUER} {HEAD_OFFICE}") not in text
    assert squeeze(f"Issuer {ISSUER} (securities code 3774) Head office {HEAD_OFFICE}") in text
    assert squeeze(f"Balanced {acquired.name} 135 135 0 0 0 0 0 ✓ Yes") in text


def test_the_holders_extract_is_unaffected(client_legal, acquired):
    ichiro = Holder.objects.get(name="Ichiro Sample (fictional)")
    url = reverse("papers:holder_extract_pdf", args=[ichiro.pk])
    before = pdf_plain_text(client_legal.get(url, {"as_of": "2020-08-02"}).getvalue())
    after = pdf_plain_text(client_legal.get(url, {"as_of": "2020-09-01"}).getvalue())
    assert squeeze(f"{acquired.name} 25 common stock 200 1 2013-07-12 – 2043-07-11 2013-07-11") in before
    assert squeeze("No rights were held on this date.") in after
    for text in (before, after):
        # The issuer signs the extract (its head office once, under its name), but has no entry in it.
        assert squeeze("The company's own rights") not in text
        assert text.count(squeeze(HEAD_OFFICE)) == 1 and squeeze(f"Head office {HEAD_OFFICE}") in text


def test_disclosure_counts_the_companys_own_rights_apart(client, acquired, auditor):
    client.force_login(auditor)
    response = client.get(
        reverse("papers:disclosure"), {"fiscal_year_end": "2020-03-31", "filing_month_end": "2020-09-30"}
    )
    (row,) = response.context["rows"]
    assert (row.at_fiscal_year_end.rights, row.at_fiscal_year_end.company_held) == (135, 0)
    assert (row.at_filing_month_end.rights, row.at_filing_month_end.company_held) == (0, 100)
    assert row.at_filing_month_end.shares == 0
    assert row.movements["cancelled"] == 135  # the acquisition takes them out of the outstanding
    content = response.getvalue().decode()
    assert 'data-testid="own-fye">0<' in content and 'data-testid="own-fme">100<' in content


def test_register_selector_query_count_with_the_companys_rights(acquired, legal, django_assert_num_queries):
    with django_assert_num_queries(5):  # totals, series, adjustments, entries, holders
        register = register_with_totals_as_of(as_of=CANCELLED_ON)
        [(r.address, r.holder_name, r.shares_per_right) for r in register.rows]
        [(t.series.company.name, t.balanced) for t in register.totals]
    assert [r.rights for r in register.rows] == [100]
