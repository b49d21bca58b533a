"""One row per exercise of the year: the benefit and the income category (docs/domain.md §7.4)."""

from django.core.management.base import BaseCommand, CommandError

from accounting.selectors.tax import exercise_taxes, year_bounds

from ._common import add_common, company_from, write_csv, write_json

COLUMNS = [
    "holder",
    "series",
    "exercised_on",
    "rights",
    "shares",
    "market_price_yen",
    "market_price_date",
    "exercise_price_yen",
    "payment_yen",
    "benefit_yen",
    "income_category",
    "reason",
]


class Command(BaseCommand):
    help = "Print every exercise of a calendar year with its economic benefit and income category."

    def add_arguments(self, parser):
        add_common(parser)
        parser.add_argument("--year", type=int, required=True, help="calendar year, e.g. 2013")

    def handle(self, *args, **options):
        if not 1990 <= options["year"] <= 2199:
            raise CommandError("--year must be between 1990 and 2199", returncode=2)
        company = company_from(options)
        start, end = year_bounds(options["year"])
        rows = [t.as_row() for t in exercise_taxes(company=company, start=start, end=end)]
        if options["format"] == "json":
            write_json(self, rows)
            return
        write_csv(self, COLUMNS, [[r[k] for k in COLUMNS] for r in rows])
