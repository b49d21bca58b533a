"""A valuation from market data older than the rules allow says so (docs/domain.md reading R25):
in its sources, on its ledger event, on its page and in the amount notice."""

from datetime import date

import pytest
from django.template.loader import render_to_string
from django.utils import translation

from grants.models import LedgerEvent
from papers.notices import amount_notice
from tests.valuations.conftest import JGB_ROW_0710, VALUATION_DATE, build_market
from valuations import services
from valuations.domain.freshness import StaleInput

pytestmark = pytest.mark.django_db

# The yields of Wednesday 3 July 2013, eight days before the allotment on 11 July: too old.
JGB_ROW_0703 = JGB_ROW_0710.replace("H25.7.10", "H25.7.3", 1)
# Those of Thursday 4 July, seven days before: still in time.
JGB_ROW_0704 = JGB_ROW_0710.replace("H25.7.10", "H25.7.4", 1)


def _final(legal, secretary, *rows):
    market = build_market(legal=legal, secretary=secretary, jgb_rows=rows)
    valuation = services.valuation_run(
        series=market["series"], valuation_date=VALUATION_DATE, actor=legal, final=True
    )
    return market, valuation


def test_yields_eight_days_old_make_a_final_valuation_say_so(legal, secretary):
    market, valuation = _final(legal, secretary, JGB_ROW_0703)
    assert valuation.status == "final"
    assert valuation.sources["rate"]["date"] == "2013-07-03"
    assert valuation.sources["rate"]["stale"] == {"taken_from": "2013-07-03", "due_from": "2013-07-04"}
    assert valuation.stale_inputs() == [StaleInput("rate", date(2013, 7, 3), date(2013, 7, 4))]
    with translation.override("en"):
        assert "yields of 2013-07-03, 8 days before the valuation date: older than the 7 days" in (
            valuation.source_text("rate")
        )
    event = LedgerEvent.objects.filter(event_type=LedgerEvent.Type.VALUATION).latest("pk")
    assert event.payload["stale_inputs"] == {"rate": "2013-07-03"}
    # The amount notice's table says where r came from, in each language.
    with translation.override("en"):
        en = amount_notice(market["series"], valuation, "en").as_text()
        ja = amount_notice(market["series"], valuation, "ja").as_text()
    assert "older than the 7 days the rule allows" in en
    assert "算定方法が認める7日より古いもの" in ja
    # ...and its own paragraph names the input and the earlier date, from the valuation itself.
    with translation.override("en"):
        en_html = amount_notice(market["series"], valuation, "en").html
        ja_html = amount_notice(market["series"], valuation, "ja").html
    assert "The risk-free interest rate r was taken from data of July 3, 2013" in en_html
    assert "2013年7月3日のデータによっています" in ja_html


def test_yields_seven_days_old_are_in_time(legal, secretary):
    _market, valuation = _final(legal, secretary, JGB_ROW_0704)
    assert "stale" not in valuation.sources["rate"]
    assert valuation.stale_inputs() == []
    event = LedgerEvent.objects.filter(event_type=LedgerEvent.Type.VALUATION).latest("pk")
    assert event.payload["stale_inputs"] == {}


def test_the_valuation_page_warns_with_the_dates(client, legal, secretary):
    _market, stale = _final(legal, secretary, JGB_ROW_0703)
    client.force_login(legal)
    page = client.get(stale.get_absolute_url()).content.decode()
    assert 'data-testid="stale-inputs"' in page
    assert "Market data older than the rules allow" in page and "this valuation is not provisional" in page
    assert (
        "Risk-free rate r: taken from 2013-07-03; for a valuation as of 2013-07-11 the rule reads data of "
        "2013-07-04 or later."
    ) in page


def test_the_valuation_page_is_quiet_when_the_data_is_in_time(client, market, legal):
    valuation = services.valuation_run(
        series=market["series"], valuation_date=VALUATION_DATE, actor=legal, final=True
    )
    client.force_login(legal)
    assert 'data-testid="stale-inputs"' not in client.get(valuation.get_absolute_url()).content.decode()


def test_a_provisional_share_price_from_an_earlier_close_is_stale(client, market, legal):
    # Saturday 13 July 2013: no close, and no base price for Tuesday 16 July; the provisional
    # valuation falls back to Friday 12 July's close.
    valuation = services.valuation_run(series=market["series"], valuation_date=date(2013, 7, 13), actor=legal)
    assert valuation.sources["spot_yen"]["provisional_fallback"] is True
    assert valuation.stale_inputs() == [StaleInput("spot_yen", date(2013, 7, 12), date(2013, 7, 13))]
    client.force_login(legal)
    page = client.get(valuation.get_absolute_url()).content.decode()
    assert "Share price S: taken from 2013-07-12; for a valuation as of 2013-07-13" in page
    assert "this valuation is not provisional" not in page


@pytest.mark.parametrize(
    ("language", "sentence"),
    [
        (
            "en",
            "The risk-free interest rate r was taken from data of 3 July 2013, earlier than the method of "
            "calculation provides for a calculation as of 11 July 2013 (data of 4 July 2013 or later).",
        ),
        (
            "ja",
            "r 無リスクの利子率は、2013年7月11日を基準とする算定について算定方法が定める日（2013年7月4日以降）"
            "より前の2013年7月3日のデータによっています。",
        ),
    ],
)
def test_the_amount_notice_names_the_input_and_its_earlier_date(language: str, sentence: str) -> None:
    """The paragraph the notice prints from ``stale_inputs`` in its context (dates as written days)."""
    context = {
        "series_name": "Example",
        "valuation_date": "11 July 2013" if language == "en" else "2013年7月11日",
        "sources": {},
        "stale_inputs": [
            {
                "input": "rate",
                "taken_from": "3 July 2013" if language == "en" else "2013年7月3日",
                "due_from": "4 July 2013" if language == "en" else "2013年7月4日",
            }
        ],
    }
    html = render_to_string(f"papers/notices/amount.{language}.html", context)
    assert sentence in html
    without = render_to_string(f"papers/notices/amount.{language}.html", {**context, "stale_inputs": []})
    assert 'data-testid="stale-inputs"' not in without
