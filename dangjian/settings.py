"""One settings file, read from environment variables with strict parsing.

Development: on first start a git-ignored ``.env`` with safe random defaults is written
(see :mod:`dangjian.config`). Production (``DEBUG=0``) refuses to start without its keys.
"""

from pathlib import Path

import dj_database_url

from dangjian.config import env_bool, env_int, env_str, load_env, require_production_secrets

BASE_DIR = Path(__file__).resolve().parent.parent
load_env(BASE_DIR / ".env")

DEBUG = env_bool("DEBUG", default=True)
SECRET_KEY = env_str("SECRET_KEY", default="")
# Key for personal data at rest (AES-256-GCM, base64 of 32 bytes). Comma-separated to rotate:
# the first encrypts, all decrypt.
DATA_KEYS = [k.strip() for k in env_str("DANGJIAN_DATA_KEY", default="").split(",") if k.strip()]
require_production_secrets(debug=DEBUG, secret_key=SECRET_KEY, data_keys=DATA_KEYS)

ALLOWED_HOSTS = [
    h.strip() for h in env_str("ALLOWED_HOSTS", default="127.0.0.1,localhost,testserver").split(",")
]
CSRF_TRUSTED_ORIGINS = [o for o in env_str("CSRF_TRUSTED_ORIGINS", default="").split(",") if o]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_tasks",
    "django_tasks_db",
    "dangjian.core",
    "dangjian.accounts",
    "dangjian.territory",
    "dangjian.units",
    "dangjian.party",
    "dangjian.people",
    "dangjian.venues",
    "dangjian.exchange",
    "dangjian.appeals",
    "dangjian.intel",
    "dangjian.dispatch",
    "dangjian.needs",
    "dangjian.service",
    "dangjian.points",
    "dangjian.interop",
    "dangjian.notifications",
    "dangjian.dashboard",
    "dangjian.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "dangjian.core.middleware.DatabaseUnavailableMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

# --- Hostile input (issue 10, sec-input) ----------------------------------------------------
# NUL characters, lone surrogates, invalid UTF-8 and absurdly nested JSON are refused with a
# 400 before any view runs (after WhiteNoise: static files need no check).
MIDDLEWARE.insert(
    MIDDLEWARE.index("whitenoise.middleware.WhiteNoiseMiddleware") + 1,
    "dangjian.core.middleware.HostileInputMiddleware",
)
# Uploaded images: the pixels of one image and of all images of one request, read from the
# image header before anything is decoded (a 7000×7000 PNG is 49 megapixels).
IMAGE_MAX_PIXELS = env_int("IMAGE_MAX_PIXELS", default=25_000_000)
IMAGE_MAX_REQUEST_PIXELS = env_int("IMAGE_MAX_REQUEST_PIXELS", default=120_000_000)
# --- end hostile input -------------------------------------------------------------------------

ROOT_URLCONF = "dangjian.urls"
WSGI_APPLICATION = "dangjian.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "dangjian" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "dangjian.core.context_processors.platform",
            ],
        },
    }
]

# --- Databases -------------------------------------------------------------------------
# SQLite by default (zero configuration); PostgreSQL when DATABASE_URL is set.
DATABASE_URL = env_str("DATABASE_URL", default="")
if DATABASE_URL:
    DATABASES = {
        "default": dj_database_url.parse(
            DATABASE_URL,
            conn_max_age=env_int("CONN_MAX_AGE", default=600),
            conn_health_checks=True,
        )
    }
    DATABASES["default"]["TEST"] = {"NAME": env_str("TEST_DATABASE_NAME", default="test_dangjian")}
else:
    SQLITE_PATH = Path(env_str("SQLITE_PATH", default=str(BASE_DIR / "var" / "dangjian.sqlite3")))
    SQLITE_PATH.parent.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(SQLITE_PATH),
            "OPTIONS": {
                # Measured: WAL + synchronous=FULL + BEGIN IMMEDIATE + a busy timeout gave no
                # "database is locked" errors with 4 writer processes at 64 connections.
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": (
                    "PRAGMA journal_mode=WAL;"
                    "PRAGMA synchronous=FULL;"
                    "PRAGMA foreign_keys=ON;"
                    "PRAGMA busy_timeout=20000;"
                    "PRAGMA cache_size=-65536;"
                ),
            },
        }
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["dangjian.accounts.backends.PhoneBackend"]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "dashboard:home"
LOGOUT_REDIRECT_URL = "accounts:login"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Failed log-ins: at most this many per phone number in the window (per address: see below).
LOGIN_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", default=5)
LOGIN_FAILURE_WINDOW_SECONDS = env_int("LOGIN_FAILURE_WINDOW_SECONDS", default=900)

LANGUAGE_CODE = "zh-hans"
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", default=str(BASE_DIR / "staticfiles")))
if DEBUG:  # whitenoise warns on every request when it is missing; production runs collectstatic
    STATIC_ROOT.mkdir(exist_ok=True)
STATICFILES_DIRS = [BASE_DIR / "dangjian" / "static"]
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
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", default=str(BASE_DIR / "var" / "media")))
MEDIA_URL = "/media/"
FILE_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 20 * 1024 * 1024

# --- Background work: the Django tasks API, stored in the database, run by `db_worker`.
TASKS = {
    "default": {
        "BACKEND": env_str("TASKS_BACKEND", default="django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}

# --- Notifications: in-app always; these external channels may be chosen by each user.
# Names: console, file (development), email, sms, wecom. Unknown names are refused at start.
NOTIFICATION_CHANNELS = [
    c.strip()
    for c in env_str("NOTIFICATION_CHANNELS", default="file" if DEBUG else "email,sms,wecom").split(",")
    if c.strip()
]
NOTIFICATION_FILE_PATH = Path(
    env_str("NOTIFICATION_FILE_PATH", default=str(BASE_DIR / "var" / "notifications.log"))
)
NOTIFICATION_MAX_ATTEMPTS = env_int("NOTIFICATION_MAX_ATTEMPTS", default=5)
NOTIFICATION_HTTP_TIMEOUT = env_int("NOTIFICATION_HTTP_TIMEOUT", default=10)
# Absolute links in e-mail, SMS and WeCom messages (e.g. https://dangjian.example.gov.cn).
SITE_URL = env_str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")
SMS_GATEWAY_URL = env_str("SMS_GATEWAY_URL", default="")
SMS_GATEWAY_TOKEN = env_str("SMS_GATEWAY_TOKEN", default="")
WECOM_WEBHOOK_PREFIX = "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key="
# Development writes e-mail to var/mail/ instead of sending it.
EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    default="django.core.mail.backends.filebased.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_FILE_PATH = BASE_DIR / "var" / "mail"
EMAIL_HOST = env_str("EMAIL_HOST", default="localhost")
EMAIL_PORT = env_int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", default=False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", default=False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", default="noreply@localhost")

SESSION_COOKIE_HTTPONLY = True
# Seconds a process reuses what an API token resolved to (user and roles); 0 = every request.
API_AUTH_CACHE_SECONDS = env_int("API_AUTH_CACHE_SECONDS", default=2)
SESSION_COOKIE_AGE = 8 * 3600
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
if not DEBUG:
    SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", default=True)
    CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", default=True)

# --- Security headers, CSP, TLS behind a proxy (issue 10, production mode) ---------------
# One Content-Security-Policy in every mode (django-csp), so the tests and the browser tests
# meet the same policy as production. Scripts: our own files and inline <script> elements
# carrying this request's nonce (`nonce="{{ request.csp_nonce }}"`), nothing else — no
# 'unsafe-inline', no 'unsafe-eval' (htmx runs with allowEval=false, see base.html).
# <style> elements need the nonce too; style *attributes* stay allowed ('unsafe-inline' in
# style-src-attr) because ECharts builds its tooltips with style="…" markup and the templates
# use style attributes; a style attribute cannot run script. style-src is the fallback for
# browsers without the -elem/-attr directives.
from csp.constants import NONCE  # noqa: E402

from dangjian.config import parse_proxy_ssl_header  # noqa: E402

INSTALLED_APPS += ["csp", "ninja"]  # ninja: serve the API docs from our static files, not a CDN
_security = MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1
MIDDLEWARE[_security:_security] = [
    "csp.middleware.CSPMiddleware",
    "dangjian.core.middleware.PermissionsPolicyMiddleware",
    "dangjian.core.middleware.JsonErrorsMiddleware",
]
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'", NONCE],
        "style-src": ["'self'", "'unsafe-inline'"],
        "style-src-elem": ["'self'", NONCE],
        "style-src-attr": ["'unsafe-inline'"],
        "img-src": ["'self'", "data:", "blob:"],  # bootstrap's SVG icons; photo previews
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
# Browser features no page uses are switched off; the report page asks for the location.
PERMISSIONS_POLICY = env_str(
    "PERMISSIONS_POLICY",
    default="accelerometer=(), camera=(), geolocation=(self), gyroscope=(), magnetometer=(), "
    "microphone=(), payment=(), usb=(), browsing-topics=()",
)
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Behind a TLS-terminating proxy: the header (and value) by which it says the client used
# HTTPS, e.g. "X-Forwarded-Proto: https". Only set it when the proxy overwrites that header.
SECURE_PROXY_SSL_HEADER = parse_proxy_ssl_header(env_str("SECURE_PROXY_SSL_HEADER", default=""))
# Production answers plain HTTP with a redirect to HTTPS and tells browsers to stay on HTTPS.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=not DEBUG)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", default=not DEBUG)
# --- end security headers ---------------------------------------------------------------

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", default="WARNING")},
}
# --- The worker's log (issue 11, a one-minute start) ------------------------------------
# db_worker raises django-tasks' loggers to INFO: two lines per task, thousands after the
# demo. Their own handler lets through TASKS_LOG_LEVEL and above (default WARNING: one line
# per failed task, successes quiet), one line each (core/tasklog.py).
TASKS_LOG_LEVEL = env_str("TASKS_LOG_LEVEL", default="WARNING").upper()
LOGGING["formatters"] = {"one_line": {"()": "dangjian.core.tasklog.OneLine"}}
LOGGING["handlers"]["tasks"] = {  # type: ignore[index]
    "class": "logging.StreamHandler",
    "level": TASKS_LOG_LEVEL,
    "formatter": "one_line",
}
LOGGING["loggers"] = {
    name: {"handlers": ["tasks"], "propagate": False} for name in ("django_tasks", "django_tasks_db")
}
# --- end worker's log -------------------------------------------------------------------

# Prefix of readable case numbers (BL-20261121-0001); each city sets its own.
CASE_NUMBER_PREFIX = env_str("CASE_NUMBER_PREFIX", default="BL")

# --- Error pages and words (issue 11, words) ------------------------------------------------------
# The CSRF failure answers our own Chinese page (dangjian/core/errors.py), not Django's.
CSRF_FAILURE_VIEW = "dangjian.core.errors.csrf_failure"
# Words in the admin: the background-task app under a Chinese name (its AppConfig has no
# translatable one), and Chinese for the strings of third-party apps that ship none.
INSTALLED_APPS[INSTALLED_APPS.index("django_tasks_db")] = "dangjian.core.apps.TasksDatabaseConfig"
LOCALE_PATHS = [BASE_DIR / "dangjian" / "locale"]
# --- end error pages -----------------------------------------------------------------------

# Name shown in the header; a deployment sets its own (e.g. 红动北流).
PLATFORM_NAME = env_str("PLATFORM_NAME", default="智慧党建引领基层治理平台")

# The bare insert endpoint the intake benchmark compares against (bench/appeals_intake.py).
# Never on in production: it writes without authentication.
BENCH_ENDPOINTS = env_bool("BENCH_ENDPOINTS", default=False)

# --- Access control and request limits (brief H2: throttle, proxies, admin, rate limits) ---
# The client's address (dangjian/core/clientip.py): the peer of the connection, unless the
# peer is one of these reverse proxies (CIDR list, comma-separated; empty = no proxy): then
# the right-most X-Forwarded-For address that is not a trusted proxy.
TRUSTED_PROXIES = env_str("TRUSTED_PROXIES", default="")
# Log-in throttle per address (accounts.actions.login_block_seconds): this many failures
# from one address within the window block that address — briefly, so that a guesser
# behind a NAT does not lock out the others for long — except for phones that have logged
# in from that address within LOGIN_KNOWN_ADDRESS_DAYS.
LOGIN_ADDRESS_FAILURE_LIMIT = env_int("LOGIN_ADDRESS_FAILURE_LIMIT", default=20)
LOGIN_ADDRESS_WINDOW_SECONDS = env_int("LOGIN_ADDRESS_WINDOW_SECONDS", default=300)
LOGIN_KNOWN_ADDRESS_DAYS = env_int("LOGIN_KNOWN_ADDRESS_DAYS", default=30)
# Log-in records (failed, refused, succeeded) are deleted after this many days (daily job).
LOGIN_ATTEMPT_RETENTION_DAYS = env_int("LOGIN_ATTEMPT_RETENTION_DAYS", default=180)
# The Django admin (/admin/, its log-in page included) answers 404 outside these addresses
# (CIDR list). Production default: nowhere — set it to the office or VPN network, or to
# 127.0.0.1/32 for an SSH tunnel. Development: this machine and the private networks.
ADMIN_ALLOWED_NETWORKS = env_str(
    "ADMIN_ALLOWED_NETWORKS",
    default="127.0.0.0/8,::1/128,10.0.0.0/8,172.16.0.0/12,192.168.0.0/16,fc00::/7" if DEBUG else "",
)
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.contrib.auth.middleware.AuthenticationMiddleware"),
    "dangjian.core.middleware.AdminNetworkMiddleware",
)
# Audit rows written during a request record the client's address.
MIDDLEWARE.insert(
    MIDDLEWARE.index("dangjian.core.middleware.DatabaseUnavailableMiddleware") + 1,
    "dangjian.core.middleware.RequestAddressMiddleware",
)

# Django's cache, used by the request-rate limits (core/ratelimit.py). locmem:// (default)
# counts per process: with N gunicorn workers a client gets up to N times the limits below.
# redis://127.0.0.1:6379/0 shares the counts between every process and node.
from dangjian.config import cache_from_url  # noqa: E402 - kept inside this block

CACHES = {"default": cache_from_url(env_str("CACHE_URL", default="locmem://"))}
# Rate limits, "COUNT/SECONDS" ("0" = off); over the limit: 429 with Retry-After.
# The JSON API (/api/, /open311/): per bearer token and per client address.
API_RATE_LIMIT_TOKEN = env_str("API_RATE_LIMIT_TOKEN", default="1200/60")
API_RATE_LIMIT_ADDRESS = env_str("API_RATE_LIMIT_ADDRESS", default="3000/60")
# Requests that upload files (photos, xlsx imports): per logged-in user, else per address.
UPLOAD_RATE_LIMIT = env_str("UPLOAD_RATE_LIMIT", default="60/600")
MIDDLEWARE.insert(
    MIDDLEWARE.index("dangjian.core.middleware.DatabaseUnavailableMiddleware") + 1,
    "dangjian.core.ratelimit.RateLimitMiddleware",
)

# --- Our own 404 under DEBUG (issue 11, navigation) ------------------------------------------
# DEBUG=1 still shows our Chinese 404 page to people; DEBUG_TECHNICAL_404=1 shows Django's
# technical 404 (the URLconf listing) instead, for developers.
DEBUG_TECHNICAL_404 = env_bool("DEBUG_TECHNICAL_404", default=False)
MIDDLEWARE.append("dangjian.core.middleware.OwnNotFoundMiddleware")
# --- end own 404 ----------------------------------------------------------------------------
