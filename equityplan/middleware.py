"""Sign-in hardening on every request: session limits, the second factor, and no caching.

See docs/reliability.md facts 12-16.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.http import urlencode
from django_otp import user_has_device

SIGNED_IN_AT = "equityplan_signed_in_at"


class SessionLimitsMiddleware:
    """End a session 12 hours after sign-in however active it is (the idle limit of 30 minutes is
    SESSION_COOKIE_AGE with SESSION_SAVE_EVERY_REQUEST)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            now = time.time()
            started = request.session.setdefault(SIGNED_IN_AT, now)
            if now - float(started) > settings.SESSION_ABSOLUTE_SECONDS:
                logout(request)
                return redirect_to_login(request.get_full_path())
        return self.get_response(request)


def needs_second_factor(user) -> bool:
    """Board secretaries (who decide) and administrators sign in with a second factor (docs/domain.md reading R46)."""
    return bool(
        user.is_authenticated and (user.is_superuser or user.is_staff or user.has_perm("grants.decide"))
    )


# Reachable before the second factor: the steps themselves, signing out, the language switch.
OPEN_BEFORE_SECOND_FACTOR = ("otp_verify", "otp_enrol", "logout", "set_language")


class SecondFactorMiddleware:
    """Until a user who needs a second factor has given one, every page sends them to enrol (no device
    yet) or to verify; the admin is behind the same check."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if needs_second_factor(user) and not user.is_verified():  # type: ignore[union-attr]
            open_paths = {reverse(name) for name in OPEN_BEFORE_SECOND_FACTOR}
            if request.path not in open_paths:
                step = "otp_verify" if user_has_device(user, confirmed=True) else "otp_enrol"
                return redirect(f"{reverse(step)}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)


class NoStoreMiddleware:
    """No copy of a signed-in page or of an export in any cache: they carry names and addresses."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if (user is not None and user.is_authenticated) or response.has_header("Content-Disposition"):
            add_never_cache_headers(response)
        return response
