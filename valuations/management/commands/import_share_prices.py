from django.core.management.base import BaseCommand

from valuations import services

from ._common import command_user, company_by_code, read_file, report_or_fail


class Command(BaseCommand):
    help = "Import share prices from a CSV file for one company: all rows or none, every bad row reported."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--company", required=True, help="securities code, e.g. 3774")
        parser.add_argument("--user", help="username the import is recorded under (default: first superuser)")
        parser.add_argument("--label", default="", help="a label for the import batch")

    def handle(self, *args, **options):
        data = read_file(options["file"])
        company = company_by_code(options["company"])
        report = services.import_share_prices(
            company=company,
            data=data,
            filename=options["file"],
            actor=command_user(options["user"]),
            label=options["label"],
        )
        report_or_fail(self, report)
