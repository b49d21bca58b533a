"""Reproduce a Black-Scholes figure from the command line, without the web app: notice (12)."""

import argparse
import json
from decimal import Decimal, InvalidOperation

from django.core.management.base import BaseCommand, CommandError

from valuations.domain.pricing import PricingInputs, RoundingRule, amount_per_right_yen, price_option
from valuations.sources import error_text


def decimal_argument(text: str) -> Decimal:
    try:
        value = Decimal(text.strip())
    except InvalidOperation:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
    if not value.is_finite():
        raise argparse.ArgumentTypeError(f"{text!r} is not a finite number")
    return value


def shares_argument(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number of shares") from None
    if value < 1:
        raise argparse.ArgumentTypeError("shares per right must be at least 1")
    return value


class Command(BaseCommand):
    help = (
        "Price a right: prints one JSON object with option_price_per_share (full precision) and "
        "amount_per_right_yen. Volatility, rate and dividend yield are fractions (0.27 for 27%)."
    )
    requires_system_checks = []
    requires_migrations_checks = False

    def add_arguments(self, parser):
        parser.add_argument("--spot", type=decimal_argument, required=True, help="share price S in yen")
        parser.add_argument("--strike", type=decimal_argument, required=True, help="exercise price X in yen")
        parser.add_argument("--term", type=decimal_argument, required=True, help="T in years")
        parser.add_argument("--volatility", type=decimal_argument, required=True, help="s as a fraction")
        parser.add_argument("--rate", type=decimal_argument, required=True, help="r as a fraction")
        parser.add_argument("--dividend-yield", type=decimal_argument, required=True, help="q as a fraction")
        parser.add_argument("--shares-per-right", type=shares_argument, default=1)
        parser.add_argument(
            "--rounding", choices=[rule.value for rule in RoundingRule], default=RoundingRule.TOTAL_CEIL.value
        )

    def handle(self, *args, **options):
        problems = []
        if options["spot"] <= 0:
            problems.append("--spot must be more than 0")
        if options["strike"] < 0:
            problems.append("--strike must be 0 or more")
        if options["term"] <= 0:
            problems.append("--term must be more than 0")
        if options["volatility"] < 0:
            problems.append("--volatility must be 0 or more (a fraction: 0.27 for 27%)")
        if problems:
            raise CommandError("; ".join(problems), returncode=2)
        inputs = PricingInputs(
            spot_yen=options["spot"],
            strike_yen=options["strike"],
            term_years=options["term"],
            volatility=options["volatility"],
            rate=options["rate"],
            dividend_yield=options["dividend_yield"],
        )
        try:
            price = price_option(inputs)
        except ValueError as exc:
            raise CommandError(error_text(exc), returncode=2) from exc
        amount = amount_per_right_yen(price, options["shares_per_right"], options["rounding"])
        self.stdout.write(
            json.dumps(
                {
                    "option_price_per_share": format(price, "f"),
                    "amount_per_right_yen": amount,
                    "shares_per_right": options["shares_per_right"],
                    "rounding": options["rounding"],
                    "inputs": {
                        "spot": str(options["spot"]),
                        "strike": str(options["strike"]),
                        "term": str(options["term"]),
                        "volatility": str(options["volatility"]),
                        "rate": str(options["rate"]),
                        "dividend_yield": str(options["dividend_yield"]),
                    },
                }
            )
        )
