"""The year's expense, lapse gain and per-series movements in shares, as the note gives them."""

from django.core.management.base import BaseCommand, CommandError

from accounting.selectors.reports import SHARE_KEYS, report_dict, year_report

from ._common import add_common, company_from, iso_date, write_csv, write_json


class Command(BaseCommand):
    help = (
        "Print the fiscal year's share-based payment expense (expense_yen), the gain on lapse "
        "(lapse_gain_yen) and, per series, the expense and the movements in shares."
    )

    def add_arguments(self, parser):
        add_common(parser)
        parser.add_argument("--fiscal-year-end", type=iso_date, required=True, help="e.g. 2014-03-31")
        parser.add_argument("--standard", choices=["jgaap", "ifrs"], help="default: the company's standard")

    def handle(self, *args, **options):
        company = company_from(options)
        try:
            report = year_report(
                company=company, fiscal_year_end=options["fiscal_year_end"], standard=options["standard"]
            )
        except ValueError as exc:
            raise CommandError(str(exc), returncode=2) from None
        data = report_dict(report)
        if options["format"] == "json":
            write_json(self, data)
            return
        header = ["fiscal_year_end", "standard", "series", "expense_yen", "lapse_gain_yen", *SHARE_KEYS]
        rows = [
            [
                data["fiscal_year_end"],
                data["standard"],
                s["series"],
                s["expense_yen"],
                s["lapse_gain_yen"],
                *[(s["shares"] or {}).get(k, "") for k in SHARE_KEYS],
            ]
            for s in data["series"]
        ]
        rows.append(
            [
                data["fiscal_year_end"],
                data["standard"],
                "total",
                data["expense_yen"],
                data["lapse_gain_yen"],
                *["" for _ in SHARE_KEYS],
            ]
        )
        write_csv(self, header, rows)
