"""Shared arguments of the accounting commands: the company, the output format, exit 2 on bad input."""

from __future__ import annotations

import argparse
import csv
import io
import json
from datetime import date

from django.contrib.auth import get_user_model
from django.core.management.base import CommandError

from companies.access import visible_companies
from companies.models import Company


def add_common(parser) -> None:
    parser.add_argument("--company", required=True, help="securities code of the issuer, e.g. 3774")
    parser.add_argument("--format", choices=["json", "csv"], default="json")
    parser.add_argument(
        "--user", help="read as this user (only the companies the user may see); default: every company"
    )


def company_from(options) -> Company:
    companies = Company.objects.all()
    if options.get("user"):
        user = get_user_model().objects.filter(username=options["user"]).first()
        if user is None:
            raise CommandError(f"no user {options['user']!r}", returncode=2)
        companies = visible_companies(user)
    company = companies.filter(securities_code=options["company"]).first()
    if company is None:
        raise CommandError(f"no company with securities code {options['company']!r}", returncode=2)
    return company


def iso_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date (YYYY-MM-DD)") from None


def write_json(command, data) -> None:
    command.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))


def write_csv(command, header: list[str], rows: list[list]) -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    command.stdout.write(buffer.getvalue(), ending="")
