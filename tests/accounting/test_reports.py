"""The year's figures, the note and the journal from the ledger (docs/domain.md §7)."""

from datetime import date

import pytest

from accounting.selectors.journal import journal_entries
from accounting.selectors.reports import company_schedules, report_dict, year_report
from accounting.selectors.tax import exercise_taxes

pytestmark = pytest.mark.django_db

FV = 251_401


def test_the_years_add_up_to_the_rights_that_vested_and_were_exercised(books):
    (schedule,) = company_schedules(company=books.company, through=date(2016, 3, 31))
    # 35 allotted, 3 forfeited before vesting: 32 rights' fair value, exactly
    assert schedule.total_yen == 32 * FV
    years = {y.period.end: y.expense_yen for y in schedule.years(3)}
    assert years[date(2014, 3, 31)] + years[date(2015, 3, 31)] == 32 * FV
    assert years[date(2016, 3, 31)] == 0


def test_year_of_grant_note_and_command_figures(books):
    data = report_dict(year_report(company=books.company, fiscal_year_end=date(2014, 3, 31)))
    (series,) = data["series"]
    assert data["expense_yen"] == series["expense_yen"] > 2 * FV  # the exercised rights in full, and more
    assert data["lapse_gain_yen"] == 0
    assert series["shares"]["granted"] == 35 * 200
    assert series["shares"]["forfeited"] == 3 * 200
    assert series["shares"]["exercised"] == 2 * 200
    assert series["shares"]["outstanding_end"] == 30 * 200
    assert series["average_price_at_exercise_yen"] == "2095"  # no close on the 25th: the 23rd's
    assert series["fair_value_per_share_yen"] == "1257.01"


def test_lapse_after_vesting_jgaap_gain_ifrs_none(books):
    jgaap = year_report(company=books.company, fiscal_year_end=date(2015, 3, 31), standard="jgaap")
    ifrs = year_report(company=books.company, fiscal_year_end=date(2015, 3, 31), standard="ifrs")
    assert jgaap.lapse_gain_yen == 10 * FV and jgaap.equity_transfer_yen == 0
    assert ifrs.lapse_gain_yen == 0 and ifrs.equity_transfer_yen == 10 * FV
    assert jgaap.expense_yen == ifrs.expense_yen


def test_the_journal_balances_and_takes_capital_from_the_exercise(books):
    entries = journal_entries(company=books.company, fiscal_year_end=date(2014, 3, 31))
    assert entries and all(e.balanced for e in entries)
    kinds = [e.kind for e in entries]
    assert kinds[0] == "allotment" and "exercise" in kinds and "lapse" in kinds
    exercise = next(e for e in entries if e.kind == "exercise")
    debits = {line.account[0]: line.debit_yen for line in exercise.lines if line.debit_yen}
    credits = {line.account[0]: line.credit_yen for line in exercise.lines if line.credit_yen}
    assert debits == {"新株予約権": 2 * FV, "現金預金": 400}
    assert sum(credits.values()) == 2 * FV + 400 and set(credits) == {"資本金", "資本準備金"}
    # the prepaid remuneration of the set-off is consumed by the expense and the forfeiture, exactly
    prepaid = sum(
        line.debit_yen - line.credit_yen
        for e in journal_entries(company=books.company, fiscal_year_end=date(2014, 3, 31))
        + journal_entries(company=books.company, fiscal_year_end=date(2015, 3, 31))
        for line in e.lines
        if line.account[0] == "前払費用"
    )
    assert prepaid == 0


def test_tax_at_exercise(books):
    (row,) = exercise_taxes(company=books.company, start=date(2013, 1, 1), end=date(2013, 12, 31))
    assert row.price.on == date(2013, 7, 23) and not row.price.same_day
    assert row.benefit_yen == (2095 - 1) * 400
    assert (row.category, row.reason) == ("retirement", "only_after_leaving_office")


def test_a_series_without_a_service_period_is_not_scheduled(legal):
    from tests.factories.lifecycle import allotted_scenario

    s = allotted_scenario(legal=legal)
    report = year_report(company=s.series.company, fiscal_year_end=date(2014, 3, 31))
    (row,) = report.series
    assert row.schedule.facts.problem == "no_service_period"
    assert row.expense_yen == 0 and row.shares is None


def test_a_fiscal_year_end_that_is_not_one_is_refused(books):
    with pytest.raises(ValueError):
        year_report(company=books.company, fiscal_year_end=date(2014, 3, 30))
