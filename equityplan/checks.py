"""Deployment checks of our own (``check --deploy``): the admin's path and the proxies to trust."""

from __future__ import annotations

from django.conf import settings
from django.core import checks


@checks.register(checks.Tags.security, deploy=True)
def sign_in_checks(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    found: list[checks.CheckMessage] = []
    if settings.ADMIN_PATH == "admin/":
        found.append(
            checks.Warning(
                "The Django admin is at its default path /admin/.",
                hint="Set ADMIN_PATH to a path of your own, e.g. ADMIN_PATH=office-7f3a/.",
                id="equityplan.W001",
            )
        )
    if not getattr(settings, "TRUSTED_PROXY_COUNT_GIVEN", True):
        found.append(
            checks.Warning(
                "TRUSTED_PROXY_COUNT is not set: behind a proxy every login would count against the "
                "proxy's address, and anyone could lock any user out.",
                hint="Set TRUSTED_PROXY_COUNT to the number of proxies in front of gunicorn (0 for none).",
                id="equityplan.W002",
            )
        )
    return found
