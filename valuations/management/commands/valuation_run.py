import json
from datetime import date

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from grants.models import Series
from valuations import services

from ._common import command_user


class Command(BaseCommand):
    help = "Value a series as of a date (default: its allotment date) and print the figures as JSON."

    def add_arguments(self, parser):
        parser.add_argument("--series", type=int, required=True, help="series id")
        parser.add_argument("--date", help="valuation date YYYY-MM-DD (default: the allotment date)")
        parser.add_argument("--final", action="store_true", help="store it as the final valuation")
        parser.add_argument("--user", help="username it is recorded under (default: first superuser)")

    def handle(self, *args, **options):
        series = Series.objects.filter(pk=options["series"]).first()
        if series is None:
            raise CommandError(f"no series with id {options['series']}", returncode=2)
        try:
            on = date.fromisoformat(options["date"]) if options["date"] else series.allotment_date
        except ValueError:
            raise CommandError(
                f"{options['date']!r} is not a date in YYYY-MM-DD form", returncode=2
            ) from None
        try:
            valuation = services.valuation_run(
                series=series, valuation_date=on, actor=command_user(options["user"]), final=options["final"]
            )
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages), returncode=2) from exc
        self.stdout.write(
            json.dumps(
                {
                    "valuation_id": valuation.pk,
                    "status": valuation.status,
                    "valuation_date": valuation.valuation_date.isoformat(),
                    **{name: format(getattr(valuation, name).normalize(), "f") for name in valuation.INPUTS},
                    "option_price_per_share": format(valuation.option_price_per_share.normalize(), "f"),
                    "shares_per_right": valuation.shares_per_right,
                    "amount_per_right_yen": valuation.amount_per_right_yen,
                }
            )
        )
