"""Samsyn settings: one file, driven by the environment (see README, "Drift")."""

from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF

from samsyn.accounts.oidc_config import oidc_settings
from samsyn.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("SAMSYN_DEBUG", False)
# `make run` on one's own computer: production behaviour (Samsyn's own 404/403/500 pages, no
# debug pages) but static files served straight from the source folders and plain http.
LOCAL = env_bool("SAMSYN_LOCAL", False)
SECRET_KEY = env_str("SAMSYN_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG and env_bool("SAMSYN_REQUIRE_SECRET", False):
        from django.core.exceptions import ImproperlyConfigured

        raise ImproperlyConfigured("SAMSYN_SECRET_KEY must be set in production")
    # Development and tests only; production sets SAMSYN_REQUIRE_SECRET=true.
    SECRET_KEY = "dev-only-insecure-key-change-me-in-production-0123456789"

ALLOWED_HOSTS = env_list("SAMSYN_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("SAMSYN_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_filters",
    "simple_history",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "samsyn.accounts",
    "samsyn.parties",
    "samsyn.pipeline",
    "samsyn.calls",
    "samsyn.meetings",
    "samsyn.followup",
    "samsyn.audit",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Responses of views marked @personal_data get Cache-Control: no-store (samsyn/privacy.py).
    "samsyn.privacy.NoStoreMiddleware",
    # Errors under /api/ are JSON, whichever layer answers them (samsyn/api/middleware.py).
    "samsyn.api.middleware.JsonApiErrors",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # One read of the user's roles per request, however often a page asks can().
    "samsyn.parties.middleware.permission_memo",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Users who see participant data give their second factor before any other page.
    "samsyn.accounts.middleware.SecondFactorMiddleware",
    # Pages seen before, unchanged since, from the shared cache (samsyn/page_cache.py).
    "samsyn.page_cache.PageCacheMiddleware",
    # Last, as django-axes asks: it turns a lock-out into the Swedish lock-out page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "samsyn.urls"
WSGI_APPLICATION = "samsyn.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "samsyn" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "builtins": ["samsyn.parties.templatetags.swedish"],
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "samsyn.context_processors.login_policy",
            ],
        },
    },
]

# SQLite is the embedded default; DATABASE_URL (postgres://…) selects PostgreSQL.
# Persistent connections: a new PostgreSQL backend per request costs 4–5 ms of its CPU and
# starts with cold caches (issue 15); the health check replaces a connection that has died.
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=env_int("SAMSYN_DB_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # No parallel query for web requests: with 50 users every core is already busy, and the
    # workers a gather starts cost more CPU than they save (README, Prestanda).
    _parallel = env_int("SAMSYN_DB_PARALLEL_WORKERS", 0)
    # Random reads cost about as much as sequential ones on SSD and in RAM; PostgreSQL's default
    # (4) is for spinning disks and makes it scan all ideas instead of reading one förbund's
    # few hundred by index (the start page's PostgreSQL time 47 -> 18 ms at national scale).
    _random_page_cost = float(env_str("SAMSYN_DB_RANDOM_PAGE_COST", "1.1"))
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = (
        f"-c max_parallel_workers_per_gather={_parallel} -c random_page_cost={_random_page_cost}"
    )
if env_str("SAMSYN_TEST_DB_NAME", ""):
    # Lets several test runs share one PostgreSQL server without clashing.
    DATABASES["default"]["TEST"] = {"NAME": env_str("SAMSYN_TEST_DB_NAME", "")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the task worker and the web server use the file at the same time.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "parties.User"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Argon2id at OWASP's parameters (m = 19 MiB, t = 2, p = 1): about 25 ms a login instead of
# PBKDF2's 270 ms, and harder to guess on GPUs. Older hashes are upgraded at the next login.
PASSWORD_HASHERS = [
    "samsyn.accounts.hashers.OwaspArgon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]

# The cache: local memory in one process (the embedded default); SAMSYN_CACHE_URL
# (redis://host:6379/0) shares one Redis between every app node and worker.
CACHE_URL = env_str("SAMSYN_CACHE_URL", "")
if CACHE_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": CACHE_URL,
            "KEY_PREFIX": env_str("SAMSYN_CACHE_PREFIX", "samsyn"),
        }
    }
    # Sessions are read from the shared cache and kept in the database, so a node that restarts
    # loses none and logging out (or revoking) still ends them everywhere.
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    # A local-memory cache is per process: sessions stay in the database alone.
    SESSION_ENGINE = "django.contrib.sessions.backends.db"
# Follow-up figures are kept in the cache only when every process shares it: a write in one
# worker must be seen by the next report in any other (samsyn/followup/report_cache.py).
SAMSYN_REPORT_CACHE = env_bool("SAMSYN_REPORT_CACHE", bool(CACHE_URL))

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Lock-out after repeated failed logins, per user name and address.
AXES_FAILURE_LIMIT = env_int("SAMSYN_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = env_int("SAMSYN_LOGIN_COOLOFF_MINUTES", 15) / 60
# Per user name from any address, and per address across user names (password spraying);
# samsyn/accounts/throttling.py gives the address its own, higher limit.
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_HANDLER = "samsyn.accounts.throttling.LoginThrottle"
SAMSYN_LOGIN_IP_LIMIT = max(
    env_int("SAMSYN_LOGIN_IP_FAILURE_LIMIT", 4 * AXES_FAILURE_LIMIT), AXES_FAILURE_LIMIT
)
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False

# Second factor (django-otp TOTP) for everyone who sees participant data: see
# samsyn/accounts/second_factor.py. Each wrong code in a row doubles the wait (1, 2, 4 … s).
OTP_TOTP_ISSUER = env_str("SAMSYN_OTP_ISSUER", "Samsyn")
OTP_TOTP_THROTTLE_FACTOR = env_int("SAMSYN_OTP_THROTTLE_FACTOR", 1)

# Single sign-on through the organisation's OpenID provider, off unless configured
# (SAMSYN_OIDC_*, samsyn/accounts/oidc_config.py).
_oidc = oidc_settings()
globals().update(_oidc)
if _oidc["SAMSYN_OIDC_ENABLED"]:
    AUTHENTICATION_BACKENDS.append("samsyn.accounts.oidc.SamsynOIDCBackend")

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "sv"

# django-filter: the empty choice of a filter is "Alla" (samsyn.parties.swedish_choices does
# the forms).
FILTERS_EMPTY_CHOICE_LABEL = "Alla"
LANGUAGES = [("sv", "Svenska")]
LOCALE_PATHS = [BASE_DIR / "samsyn" / "locale"]
TIME_ZONE = "Europe/Stockholm"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "samsyn" / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if env_bool("SAMSYN_MANIFEST_STATIC", False)
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
# Without collectstatic: WhiteNoise finds the files where they are (DEBUG or local runs).
WHITENOISE_USE_FINDERS = DEBUG or LOCAL
WHITENOISE_AUTOREFRESH = DEBUG or LOCAL
MEDIA_ROOT = Path(env_str("SAMSYN_MEDIA_ROOT", str(BASE_DIR / "media")))

SESSION_COOKIE_AGE = env_int("SAMSYN_SESSION_SECONDS", 8 * 3600)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_SECURE = env_bool("SAMSYN_SECURE_COOKIES", not (DEBUG or LOCAL))
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_HSTS_SECONDS = env_int("SAMSYN_HSTS_SECONDS", 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SAMSYN_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("SAMSYN_HSTS_PRELOAD", True)
SECURE_SSL_REDIRECT = env_bool("SAMSYN_SSL_REDIRECT", False)
# A health probe on the server itself asks over plain http (gunicorn listens on 127.0.0.1).
SECURE_REDIRECT_EXEMPT = [r"^halsa/$"]
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Only Samsyn's own origin: no CDN, no inline script (GDPR, DOMAIN.md §8).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}

TASKS = {"default": {"BACKEND": env_str("SAMSYN_TASK_BACKEND", "django_tasks_db.DatabaseBackend")}}

EMAIL_BACKEND = env_str("SAMSYN_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env_str("SAMSYN_FROM_EMAIL", "samsyn@localhost")

# The organisation's own self-hosted Jitsi Meet, e.g. https://mote.exempel.se. Empty: meetings
# get no video link. Never defaults to a service hosted by someone else (DOMAIN.md §8).
SAMSYN_JITSI_BASE_URL = env_str("SAMSYN_JITSI_BASE_URL", "")
# Link to Samsyn in e-mails (agenda, minutes, digest), e.g. https://samsyn.exempel.se.
SAMSYN_BASE_URL = env_str("SAMSYN_BASE_URL", "http://127.0.0.1:8000")

SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True

# Disclosure control (samsyn/followup/disclosure.py): a figure about participants below this
# many people is never shown outside the project's own staff, nor is any figure from which one
# could be computed. GDPR art. 9 / DOMAIN.md §8; SCB suppresses small cells the same way.
SAMSYN_MIN_CELL = env_int("SAMSYN_MIN_CELL", 5)
if SAMSYN_MIN_CELL < 1:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured(f"SAMSYN_MIN_CELL must be at least 1, got {SAMSYN_MIN_CELL}")

# Fernet key that encrypts participants' personnummer (samsyn/followup); the keyed hash used
# for de-duplication is derived from it. It lives here, never in the database. Production
# (SAMSYN_REQUIRE_SECRET=true) refuses to start without it; create one with
# python -c "from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())".
SAMSYN_PERSONAL_DATA_KEY = env_str("SAMSYN_PERSONAL_DATA_KEY", "")
if not SAMSYN_PERSONAL_DATA_KEY:
    if not DEBUG and env_bool("SAMSYN_REQUIRE_SECRET", False):
        from django.core.exceptions import ImproperlyConfigured

        raise ImproperlyConfigured("SAMSYN_PERSONAL_DATA_KEY must be set in production")
    # Development and tests only.
    SAMSYN_PERSONAL_DATA_KEY = "cLbpw4QIxoNWM6fHzT6lj4H1NQqpnDoZhmuH4g1i7mc="

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("SAMSYN_LOG_LEVEL", "WARNING")},
}
