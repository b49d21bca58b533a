from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from grants import demo, demo_lifecycle


class Command(BaseCommand):
    help = "Load the demo: the seed notice's 3rd series, 17 fictional holders and one user per role (idempotent)."

    def handle(self, *args, **options):
        # Demo logins are printed in the README: never under production settings (docs/domain.md reading R45).
        if not getattr(settings, "DEMO_ALLOWED", False):
            raise CommandError(
                "load_demo refuses to run under these settings (DEMO_ALLOWED is off, as in production): "
                "the demo's users and passwords are public."
            )
        users = demo.ensure_demo_users()
        series = demo.load_seed_series(users=users)
        for step in demo.EXTRA_STEPS:
            step(users=users, series=series)
        self.stdout.write(
            self.style.SUCCESS(f"Demo data ready: {series} ({series.allotted_rights} rights allotted).")
        )
        self.stdout.write("Demo logins (username / password / role):")
        for user in demo.DEMO_USERS:
            self.stdout.write(
                f"  {user.username:<10} {user.password:<22} {user.role or 'Administrator (Django admin)'}"
            )
        self.stdout.write(
            f"  {demo_lifecycle.DEMO_HOLDER_USERNAME:<10} {demo_lifecycle.DEMO_HOLDER_PASSWORD:<22} "
            f"Holder (own view of {demo_lifecycle.DEPARTING})"
        )
        self.stdout.write(
            f"Second factor for secretary and admin: authenticator key {demo.DEMO_TOTP_SECRET} "
            "(or a recovery code: "
            + ", ".join(f"{name} {code}" for name, code in demo.DEMO_RECOVERY_CODES.items())
            + ")."
        )
