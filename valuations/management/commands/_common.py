"""Shared bits of the market data commands: read a file, print an import report, exit 2 on failure."""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import CommandError

from grants.models import Company
from valuations.domain.marketdata import MAX_IMPORT_BYTES


def read_file(path: str) -> bytes:
    file = Path(path)
    if not file.is_file():
        raise CommandError(f"{path}: no such file", returncode=2)
    if file.stat().st_size > MAX_IMPORT_BYTES:
        raise CommandError(
            f"{path}: file too large ({file.stat().st_size:,} bytes, the limit is {MAX_IMPORT_BYTES:,})",
            returncode=2,
        )
    return file.read_bytes()


def company_by_code(code: str) -> Company:
    company = Company.objects.filter(securities_code=code).first()
    if company is None:
        raise CommandError(f"no company with securities code {code!r}", returncode=2)
    return company


def command_user(username: str | None):
    """The user an import or run is recorded under: --user, else the first superuser."""
    User = get_user_model()
    if username:
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"no user {username!r}", returncode=2)
        return user
    user = User.objects.filter(is_superuser=True).order_by("pk").first()
    if user is None:
        raise CommandError("no superuser to record the import under: pass --user USERNAME", returncode=2)
    return user


def report_or_fail(command, report) -> None:
    if not report.ok:
        lines = [f"{report.filename}: nothing imported, {len(report.errors)} problem(s):"]
        lines += [
            f"  line {line}: {reason}" if line else f"  file: {reason}"
            for line, reason in report.translated_errors
        ]
        raise CommandError("\n".join(lines), returncode=2)
    command.stdout.write(
        command.style.SUCCESS(
            f"{report.filename}: {report.rows_created} rows added, {report.rows_unchanged} already present "
            f"(import batch {report.batch.pk})."
        )
    )
    if report.format:
        command.stdout.write(f"format: {report.format}")
    for agrees, text in report.translated_adjustment_checks:
        command.stdout.write(("agrees: " if agrees else "MISMATCH: ") + text)
