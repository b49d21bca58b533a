"""Write a company's Open Cap Format 1.2 package (docs/ocf.md) into a directory."""

from datetime import date
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from companies.models import Company
from equityplan.clock import today
from papers import ocf


class Command(BaseCommand):
    help = "Export one company as an Open Cap Format 1.2 package: a manifest and the files it lists."

    def add_arguments(self, parser):
        parser.add_argument("--company", required=True, help="securities code, e.g. 3774")
        parser.add_argument("--output", required=True, help="directory to write the files into")
        parser.add_argument(
            "--formation-date",
            help="the issuer's date of incorporation, YYYY-MM-DD: OCF requires it and equityplan does not "
            "record it (default: the earliest date on the company's ledger, stated in the issuer's comments)",
        )

    def handle(self, *args, **options):
        company = Company.objects.filter(securities_code=options["company"]).first()
        if company is None:
            raise CommandError(f"no company with securities code {options['company']!r}", returncode=2)
        formation = None
        if options["formation_date"]:
            try:
                formation = date.fromisoformat(options["formation_date"])
            except ValueError as exc:
                raise CommandError(
                    f"--formation-date: {options['formation_date']!r} is not a date", returncode=2
                ) from exc
        output = Path(options["output"])
        if output.exists() and not output.is_dir():
            raise CommandError(f"{output} exists and is not a directory", returncode=2)
        output.mkdir(parents=True, exist_ok=True)
        package = ocf.export_package(
            company=company, formation_date=formation, generated_at=timezone.localtime(), as_of=today()
        )
        for name, content in package.items():
            (output / name).write_bytes(ocf.dumps(content))
        transactions = len(package["Transactions.ocf.json"]["items"])
        self.stdout.write(
            self.style.SUCCESS(
                f"{company}: {len(package)} files, {transactions} transactions written to {output}"
            )
        )
