"""Who automatic work is recorded as: the system user."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.models import User

SYSTEM_USERNAME = "system"


def system_user() -> User:
    """The actor of automatic events (the sweep, the scheduled recomputation). Cannot log in."""
    User = get_user_model()
    user, created = User.objects.get_or_create(
        username=SYSTEM_USERNAME,
        defaults={"first_name": "System", "last_name": "(automatic)", "is_active": False},
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user
