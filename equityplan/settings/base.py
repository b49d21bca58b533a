"""Settings shared by every environment. Environment modules (local, test, production) extend these."""

import os
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = BASE_DIR / "var"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_celery_beat",
    "csp",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "companies",
    "holders",
    "grants",
    "valuations",
    "papers",
    "jobs",
    "accounting",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "equityplan.middleware.SessionLimitsMiddleware",
    "equityplan.middleware.SecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "equityplan.middleware.NoStoreMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "equityplan.urls"
WSGI_APPLICATION = "equityplan.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            # Dates in the reader's language ({{ d|ldate }}, {{ d|wareki }}) on every page.
            "builtins": ["equityplan.templatetags.dates", "equityplan.templatetags.numbers"],
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "equityplan.context_processors.roles",
                "jobs.context_processors.background_status",
                "jobs.context_processors.ledger_check",
            ],
        },
    },
]


def sqlite_database(path: Path) -> dict:
    """The embedded default: WAL, a busy timeout, and IMMEDIATE transactions.

    IMMEDIATE takes the write lock at BEGIN, so the web process and the worker queue behind each
    other instead of failing with "database is locked" half-way through a transaction.
    """
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": path,
        "OPTIONS": {
            "timeout": 20,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
        },
    }


def database_from_url(url: str) -> dict:
    config = dj_database_url.parse(url, conn_max_age=0)
    if config["ENGINE"] == "django.db.backends.sqlite3":
        return sqlite_database(Path(config["NAME"]))
    return dict(config)  # a plain dict, like sqlite_database's


AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Login throttling (Django has none): 5 failures for one username from one address lock that pair
# out for 15 minutes; a successful login clears the count. Administrators see attempts in admin.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False
# The client's address: X-Forwarded-For is believed only as far as TRUSTED_PROXY_COUNT proxies in
# front of the app say (0: REMOTE_ADDR alone), so nobody can lock a user out by forging it.
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0") or 0)
TRUSTED_PROXY_COUNT_GIVEN = "TRUSTED_PROXY_COUNT" in os.environ  # check --deploy asks for it
AXES_CLIENT_IP_CALLABLE = "equityplan.client_ip.client_ip"

# Sessions end after 30 minutes without a request and 12 hours after sign-in, whatever happens
# (equityplan.middleware.SessionLimitsMiddleware).
SESSION_COOKIE_AGE = 30 * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_ABSOLUTE_SECONDS = 12 * 60 * 60

# The Django admin's path (ADMIN_PATH, e.g. "office-7f3a/"); production's check --deploy warns when
# it is left at the default.
ADMIN_PATH = os.environ.get("ADMIN_PATH", "admin/").strip("/") + "/"

# Second factor (django-otp, TOTP with static recovery codes) for board secretaries and
# administrators: equityplan.middleware.SecondFactorMiddleware sends them to enrol or verify.
OTP_TOTP_ISSUER = "equityplan"
OTP_RECOVERY_CODES = 10

# Content-Security-Policy (django-csp 4): every script and style from our own static files.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# load_demo creates users whose passwords are public: only local and test settings turn it on.
DEMO_ALLOWED = False

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "papers:dashboard"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("ja", "日本語")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Tokyo"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
# "progress": how far a background import is (grants/bulk/progress.py); local and production
# settings point it at Redis so the web process sees the worker's count.
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "progress": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "progress"},
}
# Bulk entry of holders (docs/domain.md reading R58): the largest file read, and the largest file
# imported during the confirming request (larger ones go to the background work).
BULK_IMPORT_MAX_BYTES = int(os.environ.get("BULK_IMPORT_MAX_BYTES", 5 * 1024 * 1024))
BULK_IMPORT_INLINE_ROWS = int(os.environ.get("BULK_IMPORT_INLINE_ROWS", 200))

# Evidence files (docs/domain.md reading R56): stored through Django's storage API, on the local disk
# under MEDIA_ROOT unless production settings name an S3-compatible store. Never served as static
# files: only the evidence view hands them out, to those who may read the record.
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT") or VAR_DIR / "media")
MEDIA_URL = "/media-not-served/"
EVIDENCE_MAX_BYTES = int(os.environ.get("EVIDENCE_MAX_BYTES", 10 * 1024 * 1024))

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Uploaded market-data files are refused above this size before any parsing.
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

# Celery: see equityplan/celery.py and docs/reliability.md facts 2-5.
CELERY_BROKER_URL = "redis://127.0.0.1:6379/0"
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_ALWAYS_EAGER = False
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600, "max_retries": 1}
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_TRACK_STARTED = True
# A worker process is replaced after this many tasks, or after a task that left it above this
# resident memory (KiB): what a big register PDF took is given back (docs/reliability.md fact 17).
CELERY_WORKER_MAX_TASKS_PER_CHILD = 100
CELERY_WORKER_MAX_MEMORY_PER_CHILD = 700_000
# The register PDF (papers/pdfjobs.py): above this many entries it is prepared by the worker, that
# many entries per WeasyPrint document, given up after the time limit; an open one with no news for
# REGISTER_PDF_STALE_SECONDS may be sent again.
REGISTER_PDF_SYNC_MAX_ROWS = int(os.environ.get("REGISTER_PDF_SYNC_MAX_ROWS", "500"))
REGISTER_PDF_CHUNK_ROWS = 400
REGISTER_PDF_TIME_LIMIT_SECONDS = 1800
REGISTER_PDF_STALE_SECONDS = 600
# Background work (jobs app): when the allotment date's close is known (Tokyo time), when the daily
# sweep runs, how long a waiting job waits before trying again, and when a sent job counts as lost.
ALLOTMENT_RECOMPUTE_AFTER = "15:30"
JOBS_SWEEP_AT = "05:00"
JOBS_REMINDERS_AT = "07:00"
JOBS_FULL_VERIFY_AT = "03:00"  # Sundays, Tokyo: the full ledger check (docs/reliability.md fact 19)
JOBS_WAITING_RETRY_MINUTES = 10
JOBS_STALE_AFTER_SECONDS = 600
JOBS_PAUSED_AFTER_SECONDS = 120

# My Number is encrypted with this Fernet key (holders/my_number.py). Production requires it from
# the environment; local and test settings fall back to DEVELOPMENT_MY_NUMBER_KEY below.
MY_NUMBER_KEY = os.environ.get("MY_NUMBER_KEY", "")
# DEVELOPMENT ONLY, NOT SECRET: a fixed key so a local database and the tests can store My Numbers.
DEVELOPMENT_MY_NUMBER_KEY = "ZGV2ZWxvcG1lbnQtb25seS1ub3Qtc2VjcmV0LWtleSE="

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {"equityplan": {"level": "INFO"}, "grants": {"level": "INFO"}, "jobs": {"level": "INFO"}},
}

# E-mail reminders (jobs/reminders.py): SMTP from the environment. Local settings print mails to the
# console unless EMAIL_HOST is set (make run: the README names the mail catcher).
EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = os.environ.get("EMAIL_USE_TLS", "") in ("1", "true", "True", "yes")
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "10"))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "equityplan@localhost")
# The links in reminders point here; the Message-IDs of reminders carry this domain.
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000")
REMINDER_MESSAGE_ID_DOMAIN = os.environ.get("REMINDER_MESSAGE_ID_DOMAIN", "equityplan.local")
