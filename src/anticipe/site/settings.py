"""Settings of the Anticipe site, driven by the environment.

One module for every deployment: the environment says what differs.

==========================  ===========================================================
variable                    meaning (default)
==========================  ===========================================================
``ANTICIPE_DEBUG``          ``1`` for development (``0``)
``ANTICIPE_SECRET_KEY``     secret key; required when not in debug
``ANTICIPE_ALLOWED_HOSTS``  comma-separated host names (``127.0.0.1,localhost``)
``ANTICIPE_DATA_DIR``       folder of the SQLite database (``./data``)
``DATABASE_URL``            e.g. ``postgres://user@127.0.0.1:5432/anticipe``; SQLite when unset
``ANTICIPE_SECURE``         ``1`` behind HTTPS: secure cookies, HSTS, redirect (``0``;
                            ``1`` by default when not in debug)
``ANTICIPE_EMAIL_URL``      ``smtp://user:password@host:587`` (console backend when unset: the
                            site then says no mail is sent and keeps the messages in each
                            study's outbox, see ``anticipe.workshop.invitations``)
``ANTICIPE_FROM_EMAIL``     sender of invitations (``anticipe@localhost``), under the name of
                            the study's facilitator when the study's letters give one
``ANTICIPE_CSRF_TRUSTED``   comma-separated origins trusted for CSRF (none)
``ANTICIPE_HSTS_PRELOAD``   ``0`` to leave the HSTS preload flag off (on with ``ANTICIPE_SECURE``)
``ANTICIPE_REDIS_URL``      ``redis://127.0.0.1:6379/0``: Django's cache in Redis, shared by
                            every process and server, the sessions read from it (a cache in
                            each process when unset, the sessions in the database only)
``ANTICIPE_TASKS``          where background tasks run: ``immediate`` (in the request's
                            process, the default) or ``database`` (queued in the database
                            for ``anticipe manage db_worker``)
``ANTICIPE_JOIN_LIMIT_PER_ADDRESS``  joins and returns by code from one address: ``N/SECONDS``
                            (``30/600``)
``ANTICIPE_JOIN_LIMIT_PER_STUDY``  joins and returns by code into one study: ``N/SECONDS``
                            (``40/600``)
``ANTICIPE_SELF_ASSESSMENT_LIMIT``  self-assessments started from one address: ``N/SECONDS``
                            (``60/3600``)
``ANTICIPE_EXPERT_SESSION_DAYS``  days an expert's browser stays signed in (none: until the
                            study is published, at most a year)
==========================  ===========================================================

The client's address behind a reverse proxy (``ANTICIPE_CLIENT_ADDRESS_HEADER``,
``ANTICIPE_TRUSTED_PROXIES``), the limits of failed logins (``ANTICIPE_LOGIN_*``) and the
privacy page's contact (``ANTICIPE_PRIVACY_CONTACT``) are described in docs/deployment.md.
"""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import unquote, urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured


def _flag(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def _rate(name: str, default: str) -> tuple[int, int]:
    """A rate limit written ``N/SECONDS`` (``30/600``: 30 in each period of 10 minutes)."""
    value = os.environ.get(name, "").strip() or default
    count, _slash, seconds = value.partition("/")
    try:
        parsed = (int(count), int(seconds))
    except ValueError:
        parsed = (0, 0)
    if parsed[0] < 1 or parsed[1] < 1:
        raise ImproperlyConfigured(
            f"{name}={value!r} is not a rate limit: write it N/SECONDS with two positive "
            "whole numbers, for example 30/600 (30 in each period of 10 minutes)."
        )
    return parsed


def _days(name: str) -> int | None:
    """A number of days, or None when the variable is unset or empty."""
    value = os.environ.get(name, "").strip()
    if not value:
        return None
    if not value.isdigit() or int(value) < 1:
        raise ImproperlyConfigured(
            f"{name}={value!r} is not a number of days: write a positive whole number, "
            "or leave it unset."
        )
    return int(value)


PACKAGE_DIR = Path(__file__).resolve().parent.parent
DEBUG = _flag("ANTICIPE_DEBUG", False)
SECRET_KEY = os.environ.get("ANTICIPE_SECRET_KEY", "")
if not SECRET_KEY and DEBUG:
    SECRET_KEY = "development-only-not-secret-" + "x" * 40
if not SECRET_KEY:
    raise ImproperlyConfigured(
        "ANTICIPE_SECRET_KEY is not set: set it to a long random value "
        "(for example: python3 -c 'import secrets; print(secrets.token_urlsafe(50))'), "
        "or set ANTICIPE_DEBUG=1 for development."
    )
ALLOWED_HOSTS = _list("ANTICIPE_ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = _list("ANTICIPE_CSRF_TRUSTED")
DATA_DIR = Path(os.environ.get("ANTICIPE_DATA_DIR", Path.cwd() / "data")).resolve()

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "csp",
    "anticipe.workshop",
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
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "anticipe.workshop.text.CleanTextMiddleware",
    "anticipe.workshop.middleware.ExpertAccessMiddleware",
]

ROOT_URLCONF = "anticipe.site.urls"
WSGI_APPLICATION = "anticipe.site.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "anticipe.workshop.access.expert_pages",
            ],
        },
    },
]

# -- database: SQLite in the data folder by default, PostgreSQL through DATABASE_URL ----------
if os.environ.get("DATABASE_URL"):
    DATABASES = {"default": dj_database_url.parse(os.environ["DATABASE_URL"], conn_max_age=60)}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(DATA_DIR / "anticipe.sqlite3"),
            "OPTIONS": {
                # WAL lets experts read while another saves; IMMEDIATE makes a writing
                # transaction take the write lock at its start, so concurrent saves queue
                # (up to the timeout) instead of failing with "database is locked".
                "init_command": (
                    "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
                    "PRAGMA busy_timeout=20000; PRAGMA foreign_keys=ON;"
                ),
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
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "workshop:home"
LOGOUT_REDIRECT_URL = "login"

# -- languages: French first, English second ------------------------------------------------
LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", "Français"), ("en", "English")]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
# English dates day first ("6 December 2026", 06/12/2026), as presentation.date_text writes them
FORMAT_MODULE_PATH = ["anticipe.site.formats"]
USE_I18N = True
TIME_ZONE = "Europe/Brussels"
USE_TZ = True

# -- static files: served by WhiteNoise, no CDN ----------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = DEBUG

# -- e-mail: the console unless an SMTP server is configured ---------------------------------
_email_url = os.environ.get("ANTICIPE_EMAIL_URL", "")
if _email_url:
    _email = urlsplit(_email_url)
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = _email.hostname or "localhost"
    EMAIL_PORT = _email.port or 25
    EMAIL_HOST_USER = unquote(_email.username or "")
    EMAIL_HOST_PASSWORD = unquote(_email.password or "")
    EMAIL_USE_TLS = _email.scheme in {"smtp+tls", "submission"} or EMAIL_PORT == 587
    EMAIL_USE_SSL = _email.scheme == "smtps"
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = os.environ.get("ANTICIPE_FROM_EMAIL", "anticipe@localhost")

# -- cache and background tasks: in this process unless the environment says otherwise --------
# The cache keeps the analyses the desk shows (a cache in each process by default; Redis, shared
# by every process and server, with ANTICIPE_REDIS_URL). Background tasks (the report's files)
# use Django's tasks framework (the django-tasks backport, see docs/architecture.md): run at
# once in the process that asks by default, so the demo and the tests need no other process;
# queued in the database for a worker (`anticipe manage db_worker`) with ANTICIPE_TASKS=database.
_redis_url = os.environ.get("ANTICIPE_REDIS_URL", "").strip()
if _redis_url:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": _redis_url,
            "KEY_PREFIX": "anticipe",
        }
    }
    # Sessions read from the shared cache, written through to the database (one query less
    # on every signed-in or expert request). Not with a cache in each process: a session
    # ended in one process (sign-out, an expert's access given to another device) would
    # still be found in another's cache.
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    SESSION_ENGINE = "django.contrib.sessions.backends.db"
_TASK_BACKENDS = {
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
    "database": "django_tasks_db.DatabaseBackend",
}
_tasks_run = os.environ.get("ANTICIPE_TASKS", "").strip().lower() or "immediate"
if _tasks_run not in _TASK_BACKENDS:
    raise ImproperlyConfigured(
        f"ANTICIPE_TASKS is {_tasks_run!r}: use 'immediate' (tasks run in the process that asks) "
        "or 'database' (tasks queued for `anticipe manage db_worker`)."
    )
TASKS = {"default": {"BACKEND": _TASK_BACKENDS[_tasks_run]}}
INSTALLED_APPS += ["django_tasks", "django_tasks_db"]

# -- security ---------------------------------------------------------------------------------
SECURE = _flag("ANTICIPE_SECURE", not DEBUG)
SESSION_COOKIE_SECURE = SECURE
CSRF_COOKIE_SECURE = SECURE
SECURE_SSL_REDIRECT = SECURE
SECURE_HSTS_SECONDS = 31536000 if SECURE else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE
SECURE_HSTS_PRELOAD = _flag("ANTICIPE_HSTS_PRELOAD", SECURE)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if SECURE else None
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 60 * 60 * 24 * 30
X_FRAME_OPTIONS = "DENY"

# Content-Security-Policy: everything from this site, no inline script or style.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}


# -- operations: client address, login throttling, retention, privacy (docs/deployment.md) ---
def _int(name: str, default: int, *, minimum: int) -> int:
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    try:
        number = int(value)
    except ValueError:
        number = minimum - 1
    if number < minimum:
        raise ImproperlyConfigured(
            f"{name} must be a whole number of at least {minimum}: {value!r}"
        )
    return number


def _meta_header(name: str) -> str:
    """An HTTP header's key in request.META ("X-Forwarded-For" -> "HTTP_X_FORWARDED_FOR");
    REMOTE_ADDR when no header is named."""
    name = name.strip()
    if not name or name.upper() == "REMOTE_ADDR":
        return "REMOTE_ADDR"
    if not all(char.isalnum() or char in "-_" for char in name):
        raise ImproperlyConfigured(
            "ANTICIPE_CLIENT_ADDRESS_HEADER must be a header name such as X-Forwarded-For: "
            + repr(name)
        )
    key = name.upper().replace("-", "_")
    return key if key.startswith("HTTP_") else "HTTP_" + key


# The client's address: REMOTE_ADDR, or (behind a reverse proxy) the header the proxy sets,
# read at the place of the last of ANTICIPE_TRUSTED_PROXIES proxies (counted from the right).
CLIENT_ADDRESS_HEADER = _meta_header(os.environ.get("ANTICIPE_CLIENT_ADDRESS_HEADER", ""))
TRUSTED_PROXIES = _int("ANTICIPE_TRUSTED_PROXIES", 1, minimum=1)
# Failed logins: per account and per client address, a few free attempts, then a delay that
# starts at 1 s and doubles up to a maximum (short for an account, so that nobody can keep
# its owner out for long; long for an address). Counts are forgotten (deleted) WINDOW
# seconds after the last attempt: that is how long a user name and an address are kept.
LOGIN_WINDOW = _int("ANTICIPE_LOGIN_WINDOW", 15 * 60, minimum=60)
LOGIN_THROTTLE = {
    "account": {
        "free": _int("ANTICIPE_LOGIN_ACCOUNT_ATTEMPTS", 5, minimum=1),
        "delay": 1,
        "max_delay": _int("ANTICIPE_LOGIN_ACCOUNT_MAX_DELAY", 60, minimum=1),
        "window": LOGIN_WINDOW,
    },
    "address": {
        "free": _int("ANTICIPE_LOGIN_ADDRESS_ATTEMPTS", 20, minimum=1),
        "delay": 1,
        "max_delay": _int("ANTICIPE_LOGIN_ADDRESS_MAX_DELAY", 15 * 60, minimum=1),
        "window": LOGIN_WINDOW,
    },
}
# Who runs the site, for the privacy page (an e-mail address or a sentence; none if unset).
PRIVACY_CONTACT = os.environ.get("ANTICIPE_PRIVACY_CONTACT", "").strip()
# -- end of operations ------------------------------------------------------------------------

# Joining with the study code (and coming back with a return code): at most N requests from
# one client address, and N joins or returns into one study, in each period of SECONDS
# (anticipe.workshop.rate_limits; 429 beyond).
JOIN_LIMIT_PER_ADDRESS = _rate("ANTICIPE_JOIN_LIMIT_PER_ADDRESS", "30/600")
JOIN_LIMIT_PER_STUDY = _rate("ANTICIPE_JOIN_LIMIT_PER_STUDY", "40/600")
# Starting a self-assessment (an anonymous respondent): at most N from one client address in
# each period of SECONDS (a training room behind one address starts about 20 at once).
SELF_ASSESSMENT_LIMIT_PER_ADDRESS = _rate("ANTICIPE_SELF_ASSESSMENT_LIMIT", "60/3600")

# An expert's browser stays signed in until the study is published (then every expert's
# session ends), at most a year; ANTICIPE_EXPERT_SESSION_DAYS shortens it.
EXPERT_SESSION_DAYS = _days("ANTICIPE_EXPERT_SESSION_DAYS")
EXPERT_SESSION_AGE = 60 * 60 * 24 * (EXPERT_SESSION_DAYS or 365)


LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
