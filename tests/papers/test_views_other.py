import csv
import io
from datetime import date

from django.urls import reverse

from equityplan.clock import today
from grants.models import LedgerEvent
from holders import services as holder_services
from holders.models import Holder
from tests.factories import make_series

from .conftest import record


def test_disclosure_table_two_dates_and_movements(client, seed_series, legal, auditor):
    ichiro = Holder.objects.get(name="Ichiro Sample (fictional)")
    naoko = Holder.objects.get(name="Naoko Demo (fictional)")
    record(
        event_type=LedgerEvent.Type.EXERCISED,
        series=seed_series,
        holder=ichiro,
        rights_delta=-5,
        on=date(2014, 4, 10),
        actor=legal,
    )
    record(
        event_type=LedgerEvent.Type.LAPSED,
        series=seed_series,
        holder=naoko,
        rights_delta=-10,
        on=date(2014, 5, 20),
        actor=legal,
    )
    record(
        event_type=LedgerEvent.Type.EXERCISED,
        series=seed_series,
        holder=ichiro,
        rights_delta=-1,
        on=date(2014, 7, 1),
        actor=legal,
    )  # after the second date: not a movement
    client.force_login(auditor)
    response = client.get(
        reverse("papers:disclosure"), {"fiscal_year_end": "2014-03-31", "filing_month_end": "2014-05-31"}
    )
    assert response.status_code == 200
    (row,) = response.context["rows"]
    assert row.at_fiscal_year_end.rights == 135 and row.at_filing_month_end.rights == 120
    assert row.at_fiscal_year_end.shares == 27_000
    assert row.movements == {"granted": 0, "exercised": 5, "lapsed": 10, "cancelled": 0, "transferred": 0}
    assert sorted(g[1:] for g in row.grantees) == [(7, 95), (10, 40)]
    assert row.issue_price_per_share_yen is None  # no valuation yet


def test_disclosure_bad_dates_are_form_errors(client, seed_series, auditor):
    client.force_login(auditor)
    response = client.get(
        reverse("papers:disclosure"), {"fiscal_year_end": "2014-03-31", "filing_month_end": "2014-02-28"}
    )
    assert response.status_code == 200 and response.context["form"].errors and response.context["rows"] == []
    response = client.get(reverse("papers:disclosure"), {"fiscal_year_end": "2014-02-30"})
    assert response.status_code == 200 and response.context["form"].errors
    assert client.get(reverse("papers:disclosure")).status_code == 200  # defaults


def test_dashboard_is_the_landing_page_with_deadlines(client, legal, secretary, monkeypatch):
    make_series(actor=legal, resolve=False, allotment_date=date(2030, 7, 20), payment_date=date(2030, 7, 20))
    monkeypatch.setattr("papers.views.today", lambda: date(2030, 7, 1))
    client.force_login(legal)
    assert client.get("/")["Location"] == reverse("papers:dashboard")
    response = client.get(reverse("papers:dashboard"))
    assert response.status_code == 200
    labels = [(d.due_on, d.kind, d.description.split(":")[0]) for d in response.context["deadlines"]]
    # Two clear weeks before the allotment on 20 July (Art 240(2)): 5 July.
    assert (date(2030, 7, 5), "shareholders_notice", "Shareholders' notice due (Art 240)") in labels
    assert (date(2030, 7, 19), "allottee_notice", "Allottee notice due (Art 243)") in labels
    assert (date(2030, 7, 20), "allotment_date", "Allotment date") in labels
    assert [d.kind for d in response.context["decisions"]] == ["series"]  # the draft waits for the board
    assert response.context["decision_queue_first"] is False
    client.force_login(secretary)
    assert client.get(reverse("papers:dashboard")).context["decision_queue_first"] is True


def test_login_redirects_to_the_dashboard(client, legal):
    response = client.post(reverse("login"), {"username": "legal", "password": "legal-demo-pass"})
    assert response.status_code == 302 and response["Location"] == reverse("papers:dashboard")


def test_audit_trail_merges_ledger_and_holder_events(
    client, seed_series, legal, auditor, django_assert_max_num_queries
):
    ichiro = Holder.objects.get(name="Ichiro Sample (fictional)")
    holder_services.holder_change_address(
        holder=ichiro, address="=cmd|' /C calc'!A0", valid_from=date(2020, 4, 1), actor=legal
    )
    client.force_login(auditor)
    with django_assert_max_num_queries(16):  # two counts, and ids then rows of each source
        response = client.get(reverse("papers:audit"))
    assert response.status_code == 200
    count = response.context["count"]
    assert (
        count.kind == "exact" and count.n == LedgerEvent.objects.count() + ichiro.events.model.objects.count()
    )
    assert len(response.context["entries"]) == 50
    assert response.context["entries"][0].type_label == "Address changed"
    page2 = client.get(reverse("papers:audit"), {"before": str(response.context["page"].older)})
    assert page2.status_code == 200
    assert {(e.source, e.pk) for e in page2.context["entries"]}.isdisjoint(
        {(e.source, e.pk) for e in response.context["entries"]}
    )
    assert client.get(reverse("papers:audit"), {"page": "abc"}).status_code == 200


def test_audit_filters_and_csv(client, seed_series, legal, auditor):
    ichiro = Holder.objects.get(name="Ichiro Sample (fictional)")
    holder_services.holder_change_address(
        holder=ichiro, address="=cmd|' /C calc'!A0", valid_from=date(2020, 4, 1), actor=legal
    )
    client.force_login(auditor)
    by_holder = client.get(reverse("papers:audit"), {"holder": ichiro.pk}).context["entries"]
    assert {e.holder for e in by_holder} == {ichiro}
    assert {e.source for e in by_holder} == {"ledger", "holder"}
    allotted = client.get(reverse("papers:audit"), {"event_type": "ledger:allotted"}).context
    assert allotted["count"].n == 17
    by_series = client.get(reverse("papers:audit"), {"series": seed_series.pk}).context["entries"]
    assert {e.source for e in by_series} == {"ledger"}
    by_user = client.get(reverse("papers:audit"), {"user": legal.pk, "event_type": "holder:address_changed"})
    assert by_user.context["count"].n == 1
    dated = client.get(reverse("papers:audit"), {"date_from": "2020-01-01", "date_to": "2020-12-31"})
    assert dated.context["count"].n == 1
    bad = client.get(reverse("papers:audit"), {"date_from": "2020-02-30"})
    assert bad.status_code == 200 and bad.context["form"].errors
    csv_response = client.get(reverse("papers:audit_csv"), {"holder": ichiro.pk})
    content = b"".join(csv_response.streaming_content)
    assert content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    assert rows[0][0] == "Recorded at"
    changed = next(r for r in rows if r[2] == "Address changed")
    assert changed[1] == "legal" and changed[3] == "2020-04-01"
    assert changed[10].startswith('{"address": "=cmd') and "calc" in changed[10]
    assert all(not cell.startswith(("=", "+", "-", "@")) for r in rows for cell in r)


def test_dashboard_flags_deaths_without_heir_and_open_windows(client, legal, monkeypatch):
    from tests.factories import allot, make_holder

    series = make_series(actor=legal)
    deceased, leaver = make_holder(actor=legal, name="Late Holder"), make_holder(actor=legal, name="Leaver")
    allot(series=series, holder=deceased, rights=3, actor=legal)
    allot(series=series, holder=leaver, rights=2, actor=legal)
    holder_services.holder_record_death(holder=deceased, died_on=date(2020, 3, 1), actor=legal)
    holder_services.position_end(
        position=leaver.positions.get(), ended_on=date(2020, 6, 30), reason="resigned", actor=legal
    )
    monkeypatch.setattr("papers.views.today", lambda: date(2020, 7, 3))
    client.force_login(legal)
    response = client.get(reverse("papers:dashboard"))
    assert [h.name for h in response.context["deaths_without_heir"]] == ["Late Holder"]
    windows = response.context["open_windows"]
    assert [(w["holder"].name, w["first"], w["last"]) for w in windows] == [
        ("Leaver", date(2020, 7, 1), date(2020, 7, 10))
    ]
    assert "Late Holder" in response.text and "Deceased holders with no heir designated" in response.text
    # The leaver's window closes within 30 days: a deadline too, from the same one reading of the lots.
    assert [d.kind for d in response.context["deadlines"]] == ["departure_window"]


def test_the_dashboard_and_the_decisions_read_the_lots_windows_once(client, legal, monkeypatch):
    import grants.selectors
    import grants.selectors.windows

    reads = []
    real = grants.selectors.windows.lots_with_windows

    def counted(**kwargs):
        reads.append(kwargs)
        return real(**kwargs)

    monkeypatch.setattr(grants.selectors.windows, "lots_with_windows", counted)
    monkeypatch.setattr(grants.selectors, "lots_with_windows", counted)
    monkeypatch.setattr("grants.selectors.deadlines.lots_with_windows", counted)
    client.force_login(legal)
    for name in ("papers:dashboard", "grants:decision_queue"):
        reads.clear()
        assert client.get(reverse(name)).status_code == 200
        # Once, and only for the windows that end today or later (docs/domain.md R70).
        assert reads == [{"closing_from": today()}], name


def test_audit_trail_searches_holders_by_name(client, seed_series, auditor):
    client.force_login(auditor)
    entries = client.get(reverse("papers:audit"), {"holder_name": "ichiro"}).context["entries"]
    assert entries and {e.holder.name for e in entries} == {"Ichiro Sample (fictional)"}
    response = client.get(reverse("papers:audit"), {"holder": "999999"})
    assert response.status_code == 200 and response.context["form"].errors
