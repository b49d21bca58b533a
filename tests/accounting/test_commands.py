"""accounting_report and tax_report: the figures of the pages, exit 2 with a message on bad arguments."""

import csv
import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_accounting_report_json_and_csv(books):
    code = books.company.securities_code
    data = json.loads(run("accounting_report", "--company", code, "--fiscal-year-end", "2014-03-31"))
    assert {"expense_yen", "lapse_gain_yen", "series"} <= set(data)
    (series,) = data["series"]
    assert set(series["shares"]) >= {
        "outstanding_start",
        "granted",
        "forfeited",
        "exercised",
        "lapsed",
        "outstanding_end",
    }
    assert series["shares"]["outstanding_end"] == 6000
    ifrs = json.loads(
        run("accounting_report", "--company", code, "--fiscal-year-end", "2015-03-31", "--standard", "ifrs")
    )
    assert ifrs["lapse_gain_yen"] == 0 and ifrs["equity_transfer_yen"] == 10 * 251_401
    rows = list(
        csv.DictReader(
            io.StringIO(
                run(
                    "accounting_report",
                    "--company",
                    code,
                    "--fiscal-year-end",
                    "2014-03-31",
                    "--format",
                    "csv",
                )
            )
        )
    )
    assert rows[0]["expense_yen"] == str(data["expense_yen"]) and rows[-1]["series"] == "total"


def test_tax_report_json_and_csv(books):
    code = books.company.securities_code
    (row,) = json.loads(run("tax_report", "--company", code, "--year", "2013"))
    assert row["market_price_yen"] == "2095" and row["exercise_price_yen"] == "1"
    assert row["benefit_yen"] == 837_600 and row["income_category"] == "retirement" and row["shares"] == 400
    (line,) = csv.DictReader(
        io.StringIO(run("tax_report", "--company", code, "--year", "2013", "--format", "csv"))
    )
    assert line["benefit_yen"] == "837600"
    assert json.loads(run("tax_report", "--company", code, "--year", "2014")) == []


@pytest.mark.parametrize(
    "args",
    [
        ("accounting_report", "--company", "0000", "--fiscal-year-end", "2014-03-31"),
        ("accounting_report", "--company", "{code}", "--fiscal-year-end", "2014-03-30"),
        ("tax_report", "--company", "{code}", "--year", "1800"),
        ("tax_report", "--company", "{code}", "--year", "2013", "--user", "nobody"),
    ],
)
def test_bad_arguments_exit_2(books, args):
    args = [a.format(code=books.company.securities_code) for a in args]
    with pytest.raises(CommandError) as excinfo:
        run(*args)
    assert excinfo.value.returncode == 2 and str(excinfo.value)


@pytest.mark.parametrize(
    "argv",
    [
        ["accounting_report", "--company", "3774"],
        ["accounting_report", "--company", "3774", "--fiscal-year-end", "31/03/2014"],
        ["accounting_report", "--company", "3774", "--fiscal-year-end", "2014-03-31", "--standard", "usgaap"],
        ["tax_report", "--company", "3774", "--year", "twenty"],
        ["tax_report", "--company", "3774", "--year", "2013", "--format", "xml"],
    ],
)
def test_argparse_errors_exit_2_with_a_message(argv, capsys):
    from django.core.management import ManagementUtility

    with pytest.raises(SystemExit) as excinfo:
        ManagementUtility(["manage.py", *argv]).execute()
    assert excinfo.value.code == 2
    assert "error:" in capsys.readouterr().err
