"""migrate, as the owner role: with MIGRATE_DATABASE_URL set, it connects with that URL instead of
DATABASE_URL (the application role) and afterwards grants the application role its privileges.

Production settings refuse to migrate without it (docs/reliability.md fact 9).
"""

from django.conf import settings
from django.core.management.base import CommandError
from django.core.management.commands import migrate
from django.db import connections

from jobs.privileges import grant_app_role


class Command(migrate.Command):
    def handle(self, *args, **options):
        owner = getattr(settings, "MIGRATE_DATABASE", None)
        alias = options["database"]
        if owner is None or alias != "default":
            if getattr(settings, "MIGRATE_REQUIRES_OWNER", False) and alias == "default":
                raise CommandError(
                    "MIGRATE_DATABASE_URL is not set: migrations run as the owner role, never as the "
                    "application role of DATABASE_URL (README, Production)"
                )
            return super().handle(*args, **options)
        connection = connections[alias]
        app_settings = dict(connection.settings_dict)
        app_role = app_settings.get("USER")
        connection.close()
        connection.settings_dict.update(
            {k: v for k, v in owner.items() if k in ("NAME", "USER", "PASSWORD", "HOST", "PORT", "OPTIONS")}
        )
        try:
            super().handle(*args, **options)
            if app_role and app_role != connection.settings_dict.get("USER"):
                grant_app_role(app_role, using=alias)
                self.stdout.write(f"Privileges granted to the application role {app_role}.")
        finally:
            connection.close()
            connection.settings_dict.clear()
            connection.settings_dict.update(app_settings)
