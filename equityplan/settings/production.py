"""Production: PostgreSQL via DATABASE_URL, Redis via REDIS_URL, served by gunicorn.

Refuses to start when a secret or the host list is missing, naming what is missing.
"""

import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import STORAGES, database_from_url

REQUIRED = ("SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL", "REDIS_URL", "MY_NUMBER_KEY")
missing = [name for name in REQUIRED if not os.environ.get(name)]
if missing:
    raise ImproperlyConfigured(
        "equityplan will not start in production without these environment variables: " + ", ".join(missing)
    )

DEBUG = False
SECRET_KEY = os.environ["SECRET_KEY"]
ALLOWED_HOSTS = [h.strip() for h in os.environ["ALLOWED_HOSTS"].split(",") if h.strip()]
CSRF_TRUSTED_ORIGINS = [f"https://{h}" for h in ALLOWED_HOSTS]
DATABASES = {"default": database_from_url(os.environ["DATABASE_URL"])}
DATABASES["default"]["CONN_MAX_AGE"] = 60
# A connection kept between requests is checked before reuse: a database restart costs no request.
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# Migrations run as the owner role; DATABASE_URL is the application role (README, Production).
MIGRATE_DATABASE = (
    database_from_url(os.environ["MIGRATE_DATABASE_URL"]) if os.environ.get("MIGRATE_DATABASE_URL") else None
)
MIGRATE_REQUIRES_OWNER = True
CELERY_BROKER_URL = os.environ["REDIS_URL"]
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "progress": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CELERY_BROKER_URL},
}
MY_NUMBER_KEY = os.environ["MY_NUMBER_KEY"]

# Evidence files on an S3-compatible store when EVIDENCE_S3_BUCKET is set (django-storages, README);
# otherwise on the local disk under MEDIA_ROOT, which must then be backed up with the database.
if os.environ.get("EVIDENCE_S3_BUCKET"):
    STORAGES: dict[str, dict] = {  # type: ignore[no-redef]
        **STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": os.environ["EVIDENCE_S3_BUCKET"],
                "endpoint_url": os.environ.get("EVIDENCE_S3_ENDPOINT_URL") or None,
                "region_name": os.environ.get("EVIDENCE_S3_REGION") or None,
                "default_acl": "private",
                "file_overwrite": False,
                "querystring_auth": True,
            },
        },
    }

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = 31536000
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
