"""Tests: SQLite by default, PostgreSQL when DATABASE_URL is set (the test command sets it)."""

import os
import tempfile
from pathlib import Path

from .base import *  # noqa: F403
from .base import BASE_DIR, DEVELOPMENT_MY_NUMBER_KEY, database_from_url, sqlite_database

DEBUG = False
SECRET_KEY = "test-only-not-secret"
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]

DATABASES = {
    "default": database_from_url(os.environ["DATABASE_URL"])
    if os.environ.get("DATABASE_URL")
    else sqlite_database(BASE_DIR / "var" / "test.sqlite3")
}
DATABASES["default"]["TEST"] = {"NAME": None}

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="equityplan-test-media-"))  # evidence files of the tests
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
CELERY_BROKER_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:1/0")
CELERY_TASK_ALWAYS_EAGER = os.environ.get("CELERY_EAGER", "1") == "1"
CELERY_TASK_EAGER_PROPAGATES = True

# The development key (not secret) unless one is given: never used in production.
MY_NUMBER_KEY = os.environ.get("MY_NUMBER_KEY") or DEVELOPMENT_MY_NUMBER_KEY

# The demo (load_demo) may run here; production leaves it off (docs/domain.md reading R45).
DEMO_ALLOWED = True
