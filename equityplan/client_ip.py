"""The client's address for login throttling (django-axes): docs/reliability.md fact 12.

Behind ``TRUSTED_PROXY_COUNT`` proxies, each appends the address it saw to X-Forwarded-For, so the
client is the entry that many places from the right; anything left of it was written by the client
and is ignored. With no trusted proxy the header is ignored entirely.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def _address(value: str) -> str | None:
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return None


def client_ip(request: HttpRequest) -> str | None:
    remote = request.META.get("REMOTE_ADDR")
    count = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    if count <= 0:
        return remote
    hops = [h for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if h.strip()]
    if len(hops) < count:
        return remote  # fewer hops than trusted proxies: the header is not the proxies'
    return _address(hops[-count]) or remote
