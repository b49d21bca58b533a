from django.core.management.base import BaseCommand

from valuations import services

from ._common import command_user, read_file, report_or_fail


class Command(BaseCommand):
    help = "Import government bond yields from the Ministry of Finance's jgbcm_all.csv: all rows or none."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--user", help="username the import is recorded under (default: first superuser)")
        parser.add_argument("--label", default="", help="a label for the import batch")

    def handle(self, *args, **options):
        data = read_file(options["file"])
        report = services.import_jgb_yields(
            data=data, filename=options["file"], actor=command_user(options["user"]), label=options["label"]
        )
        report_or_fail(self, report)
