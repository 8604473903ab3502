"""Concord's one settings module, driven by environment variables.

Defaults give a working embedded instance: SQLite under ``var/``, a development secret key generated there on
first run, e-mail written to the console. Production sets ``DATABASE_URL``, ``CONCORD_SECRET_KEY``,
``CONCORD_ALLOWED_HOSTS`` and ``CONCORD_DEBUG=0``.
"""

import os
import secrets
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from concord.core.countries import COUNTRIES_OVERRIDE as UN_COUNTRY_NAMES

BASE_DIR = Path(__file__).resolve().parent.parent


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value not in (None, "") else default


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env_str(name, default).split(",") if item.strip()]


VAR_DIR = Path(env_str("CONCORD_VAR_DIR", str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)


def _secret_key() -> str:
    """The key from the environment, or a development key kept in var/ (never committed)."""
    key = env_str("CONCORD_SECRET_KEY")
    if key:
        return key
    path = VAR_DIR / "secret_key"
    try:
        return path.read_text().strip()
    except FileNotFoundError:
        key = secrets.token_urlsafe(50)
        # O_EXCL: two processes starting together must not overwrite each other's key.
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            return path.read_text().strip()
        with os.fdopen(fd, "w") as fh:
            fh.write(key)
        return key


SECRET_KEY = _secret_key()
DEBUG = env_bool("CONCORD_DEBUG", False)
ALLOWED_HOSTS = env_list("CONCORD_ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CONCORD_CSRF_TRUSTED_ORIGINS")
SITE_NAME = env_str("CONCORD_SITE_NAME", "Concord")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_countries",
    # ninja's own app serves the API docs' assets locally (no CDN).
    "ninja",
    "django_tasks",
    "django_tasks_db",
    "concord.core",
    "concord.stakeholders",
    "concord.consultations",
    "concord.contributions",
    "concord.meetings",
    "concord.policy",
    "concord.positions",
    "concord.deliberation",
    "concord.record",
    "concord.api",
    "concord.reports",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "concord.core.middleware.ContentSecurityPolicyMiddleware",
    "concord.api.errors.JsonErrorsMiddleware",
]

ROOT_URLCONF = "concord.urls"
WSGI_APPLICATION = "concord.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "concord.core.context_processors.site",
            ],
        },
    },
]

DATABASE_URL = env_str("DATABASE_URL")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=env_int("CONCORD_CONN_MAX_AGE", 60))}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": VAR_DIR / "concord.sqlite3",
            # Kept open between requests, as PostgreSQL's: opening one costs the PRAGMAs below, and closing the last
            # one checkpoints the WAL; per request, that was 60% of a vote's CPU (bench/deliberation).
            "CONN_MAX_AGE": env_int("CONCORD_CONN_MAX_AGE", 60),
            "OPTIONS": {
                # WAL lets the web server read while the task worker writes; IMMEDIATE avoids
                # "database is locked" upgrades from read to write inside a transaction.
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# The six official languages of the United Nations, in the UN's order (English alphabetical).
LANGUAGE_CODE = "en"
LANGUAGES = [
    ("ar", _("Arabic")),
    ("zh-hans", _("Chinese")),
    ("en", _("English")),
    ("fr", _("French")),
    ("ru", _("Russian")),
    ("es", _("Spanish")),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Countries by the UN's short names ("Republic of Korea", "Bolivia (Plurinational State of)") in every list and form.
COUNTRIES_OVERRIDE = UN_COUNTRY_NAMES
USE_I18N = True
TIME_ZONE = "UTC"
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)  # WhiteNoise warns about a missing root even when it serves from the finders.
MEDIA_ROOT = Path(env_str("CONCORD_MEDIA_ROOT", str(VAR_DIR / "media")))
MEDIA_URL = "/media/"
# Serve files from STATICFILES_DIRS directly: `make run` needs no collectstatic step.
WHITENOISE_USE_FINDERS = True
# Files browsers ask for at the site's root (/favicon.ico), answered without a route or a 404 in the console.
WHITENOISE_ROOT = BASE_DIR / "static" / "root"
WHITENOISE_AUTOREFRESH = DEBUG

EMAIL_BACKEND = env_str("CONCORD_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env_str("CONCORD_FROM_EMAIL", "concord@localhost")

TASKS = {
    "default": {
        "BACKEND": env_str("CONCORD_TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}

# Serving over HTTPS (README, "Configuration"). All off by default: the embedded instance answers plain HTTP on the
# loopback interface, where a redirect to HTTPS or a year of HSTS would lock its user out.
SECURE_SSL_REDIRECT = env_bool("CONCORD_SSL_REDIRECT", False)
# A load balancer's health check speaks plain HTTP to the server itself.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = env_int("CONCORD_HSTS_SECONDS", 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("CONCORD_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = env_bool("CONCORD_HSTS_PRELOAD", False)
# "HEADER,value": the request came over HTTPS when the proxy in front sets this header to this value. Only set it
# when that proxy always sets or strips the header, or any client can claim HTTPS.
_PROXY_SSL_HEADER = env_list("CONCORD_PROXY_SSL_HEADER")
if _PROXY_SSL_HEADER and len(_PROXY_SSL_HEADER) != 2:
    raise ImproperlyConfigured("CONCORD_PROXY_SSL_HEADER is HEADER,value, e.g. HTTP_X_FORWARDED_PROTO,https")
SECURE_PROXY_SSL_HEADER = tuple(_PROXY_SSL_HEADER) if _PROXY_SSL_HEADER else None
# How many proxies in front of Concord append to X-Forwarded-For; the client's address is read through them
# (concord.core.net.client_ip). 0: the header is ignored, the socket's peer is the client.
CONCORD_TRUSTED_PROXIES = env_int("CONCORD_TRUSTED_PROXIES", 0)
# Cookies only over HTTPS. On by default for a deployment (a database server, debug off), off for the embedded one.
SESSION_COOKIE_SECURE = env_bool("CONCORD_SECURE_COOKIES", not DEBUG and bool(DATABASE_URL))
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
# Content-Security-Policy of every HTML page (concord.core.middleware), the API's docs and the admin included: no
# inline script or style, nothing from elsewhere. Charts in the report are inline PNGs (data:).
CONCORD_CSP = (
    "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'self'; form-action 'self'; "
    "frame-ancestors 'none'"
)

# Lists in the public record.
CONCORD_PAGE_SIZE = env_int("CONCORD_PAGE_SIZE", 25)
# The licence of the open data (data page, metadata.json): an SPDX identifier, and the address of its text (known
# for the usual open-data licences, so that changing the identifier alone does not leave the CC BY address behind).
CONCORD_DATA_LICENCE = env_str("CONCORD_DATA_LICENCE", "CC-BY-4.0")
_LICENCE_URLS = {
    "CC-BY-4.0": "https://creativecommons.org/licenses/by/4.0/",
    "CC-BY-SA-4.0": "https://creativecommons.org/licenses/by-sa/4.0/",
    "CC0-1.0": "https://creativecommons.org/publicdomain/zero/1.0/",
    "ODbL-1.0": "https://opendatacommons.org/licenses/odbl/1-0/",
}
CONCORD_DATA_LICENCE_URL = env_str("CONCORD_DATA_LICENCE_URL", _LICENCE_URLS.get(CONCORD_DATA_LICENCE, ""))

# The loggers of django-tasks and its database backend (django.tasks once it is in Django itself).
CONCORD_TASK_LOGGERS = ("django_tasks", "django_tasks_db", "django.tasks")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # The task worker logs two INFO lines per task (hundreds while `concord serve` runs): kept below
    # CONCORD_TASK_LOG_LEVEL (a failed task logs at ERROR and still shows). A handler filter, because db_worker
    # resets its loggers' level from its verbosity.
    "filters": {
        "task_level": {
            "()": "concord.core.logfilters.LoggerLevelFilter",
            "prefixes": CONCORD_TASK_LOGGERS,
            "level": env_str("CONCORD_TASK_LOG_LEVEL", "WARNING"),
        }
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["task_level"]}},
    "root": {"handlers": ["console"], "level": env_str("CONCORD_LOG_LEVEL", "INFO")},
    # WeasyPrint and fontTools narrate every step at INFO.
    "loggers": {name: {"level": "WARNING"} for name in ("weasyprint", "fontTools")},
}

# The written channel: limits on what a contributor may send (refused with a clear message beyond them).
CONCORD_MAX_FILE_BYTES = env_int("CONCORD_MAX_FILE_BYTES", 25 * 1024 * 1024)
CONCORD_MAX_FILES = env_int("CONCORD_MAX_FILES", 10)
CONCORD_MAX_TEXT_CHARS = env_int("CONCORD_MAX_TEXT_CHARS", 200_000)
# Bounded decompression of DOCX/ODT/XLSX/PPTX (zip containers) and images.
CONCORD_MAX_UNCOMPRESSED_BYTES = env_int("CONCORD_MAX_UNCOMPRESSED_BYTES", 200 * 1024 * 1024)
CONCORD_MAX_ARCHIVE_MEMBERS = env_int("CONCORD_MAX_ARCHIVE_MEMBERS", 5000)
CONCORD_MAX_COMPRESSION_RATIO = env_int("CONCORD_MAX_COMPRESSION_RATIO", 200)
CONCORD_MAX_IMAGE_PIXELS = env_int("CONCORD_MAX_IMAGE_PIXELS", 80_000_000)
# Uploads above this size are spooled to a temporary file rather than held in memory.
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FILES = 50
# The public form: submissions per client address and per e-mail address (COUNT/PERIOD, period s, m, h or d), so
# that one client cannot create entities and mail receipts to any address in a loop (429 beyond, form kept).
CONCORD_FORM_RATE_IP = env_str("CONCORD_FORM_RATE_IP", "30/h")
CONCORD_FORM_RATE_EMAIL = env_str("CONCORD_FORM_RATE_EMAIL", "10/h")

# The API: per-token submission rate (django-ninja throttle syntax), and JSON bodies big enough for the file limit
# in base64.
CONCORD_API_SUBMIT_RATE = env_str("CONCORD_API_SUBMIT_RATE", "120/m")
# The public read API: requests per client address.
CONCORD_API_READ_RATE = env_str("CONCORD_API_READ_RATE", "600/m")
DATA_UPLOAD_MAX_MEMORY_SIZE = CONCORD_MAX_FILE_BYTES * 2 + 1024 * 1024
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": env_str("CONCORD_CACHE_URL")}
        if env_str("CONCORD_CACHE_URL")
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

# Outreach: absolute links in invitations, and the sending pace.
CONCORD_BASE_URL = env_str("CONCORD_BASE_URL", "http://127.0.0.1:8000")
CONCORD_INVITATIONS_PER_SECOND = env_int("CONCORD_INVITATIONS_PER_SECOND", 10)
CONCORD_INVITATION_BATCH = env_int("CONCORD_INVITATION_BATCH", 200)
