"""Local run (`make run`): SQLite under var/, a locally started Redis, DEBUG on."""

import os

from .base import *  # noqa: F403
from .base import DEVELOPMENT_MY_NUMBER_KEY, VAR_DIR, database_from_url, sqlite_database

DEBUG = True
SECRET_KEY = os.environ.get("SECRET_KEY", "local-development-only-not-secret")
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "[::1]"]

DATABASES = {
    "default": database_from_url(os.environ["DATABASE_URL"])
    if os.environ.get("DATABASE_URL")
    else sqlite_database(VAR_DIR / "equityplan.sqlite3")
}
CELERY_BROKER_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "progress": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CELERY_BROKER_URL},
}

# The development key (not secret) unless one is given: never used in production.
MY_NUMBER_KEY = os.environ.get("MY_NUMBER_KEY") or DEVELOPMENT_MY_NUMBER_KEY

# The demo (load_demo) may run here; production leaves it off (docs/domain.md reading R45).
DEMO_ALLOWED = True

# Without EMAIL_HOST the reminders are printed to the console (README, "Reminders by e-mail").
if not os.environ.get("EMAIL_HOST"):
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
