"""Settings for the CCHC tracker, read from environment variables.

Nothing needs configuring for a checkout to run: without variables the project uses an SQLite file beside
this package, a secret key generated once per checkout, and production-safe defaults (DEBUG off, HTTPS
cookies). ``DATABASE_URL`` switches to PostgreSQL, e.g. ``postgres://postgres@127.0.0.1:5432/cchc``.
"""

import os
import secrets
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def _checkout_secret_key():
    # A key generated once and kept out of git, so a fresh clone is never run with a key known to the
    # world. Production sets SECRET_KEY instead.
    path = BASE_DIR / ".secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


DEBUG = env_bool("DEBUG", False)
SECRET_KEY = os.environ.get("SECRET_KEY") or _checkout_secret_key()
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

# Behind HTTPS in production; `make demo` and the tests serve plain HTTP on the loopback and say HTTPS=false.
HTTPS = env_bool("HTTPS", not DEBUG)
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_SSL_REDIRECT = HTTPS
SECURE_HSTS_SECONDS = 31536000 if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("BEHIND_PROXY") else None
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_filters",
    "django_tables2",
    "simple_history",
    "cchc",
    "districts",
    "dossiers",
    "inspections",
    "assessments",
    "inbox",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "cchc.middleware.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Records who made each change that the models' history keeps.
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # It calls the view itself (in a transaction): a middleware after it with a process_view would be skipped
    # (those added below have none).
    "cchc.middleware.AtomicWritesMiddleware",
]

ROOT_URLCONF = "cchc.urls"
WSGI_APPLICATION = "cchc.wsgi.application"

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
                "django.template.context_processors.i18n",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
# Each request that may write (any method but GET, HEAD, OPTIONS) is one transaction, so that a request that
# fails half-way leaves nothing half-saved (cchc.middleware.AtomicWritesMiddleware). Reads run without one:
# on SQLite a transaction takes the write lock from its first statement (below), and pages only read.
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Concurrent writes wait for each other instead of failing with "database is locked": WAL lets readers
    # go on while one writes; every transaction starts with BEGIN IMMEDIATE, so two writers never both read
    # and then deadlock on upgrading their locks; and a writer waits up to SQLITE_TIMEOUT seconds for its turn.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": int(os.environ.get("SQLITE_TIMEOUT", "20")),
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # The dashboard's one query per table has many correlated subqueries; PostgreSQL's JIT compiler, which
    # their estimated cost triggers, spends seconds compiling what runs in milliseconds (docs/performance.md).
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Each process keeps its own memory: "pages" holds the dashboard's pages, charts and feed, remembered until the
# next write to the database (cchc/lib/page_memo.py). A few hundred pages of 50-100 KB at most per process.
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "default"},
    "pages": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "pages",
        "TIMEOUT": 3600,
        "OPTIONS": {"MAX_ENTRIES": 300},
    },
}
# PAGE_MEMO=off renders every page afresh (make bench measures both ways).
PAGE_MEMO = os.environ.get("PAGE_MEMO", "on").lower() not in ("off", "0", "false")

AUTH_USER_MODEL = "cchc.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Vietnamese first; English for visitors and for the team's own reading.
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Vietnamese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))

# The admin's history pages are to read: a revert would skip the version check (cchc.admin.ReadOnlyHistoryAdmin).
SIMPLE_HISTORY_REVERT_DISABLED = True
DJANGO_TABLES2_TEMPLATE = "django_tables2/bootstrap5.html"

# A quarterly report is due this many days after its quarter ends.
REPORT_DUE_DAYS = int(os.environ.get("REPORT_DUE_DAYS", "10"))

# Reminders (inbox/, the send_reminders command): how many days before a deadline a report or a
# recommendation shows as due soon.
REMINDER_DAYS_BEFORE = int(os.environ.get("REMINDER_DAYS_BEFORE", "7"))

# E-mail: printed to the console unless EMAIL_HOST names an SMTP server.
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "cchc@localhost")
if os.environ.get("EMAIL_HOST"):
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = os.environ["EMAIL_HOST"]
    EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "587"))
    EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = os.environ.get("EMAIL_USE_TLS", "true").lower() in ("1", "true", "yes")
    EMAIL_TIMEOUT = 30
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"

# The largest evidence file a district may attach to its answer to a recommendation, in bytes (10 MiB).
EVIDENCE_MAX_BYTES = int(os.environ.get("EVIDENCE_MAX_BYTES", str(10 * 1024 * 1024)))
# A rate that moves more than this many percentage points from one quarter to the next raises a warning flag.
FLAG_RATE_MARGIN = os.environ.get("FLAG_RATE_MARGIN", "10")

# --- Hardening (issue 11): login throttling, Content-Security-Policy, caching, limits on uploads --------------
# Kept together so that each can be read (and merged) in one place. docs/operations.md explains each variable.

# django-axes: after LOGIN_FAILURE_LIMIT failed logins, the user name is locked from that address for
# LOGIN_LOCKOUT_MINUTES (cchc/login_throttling.py says why the pair). Unlock: admin → Access attempts → delete.
INSTALLED_APPS += ["axes"]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
BEHIND_PROXY = env_bool("BEHIND_PROXY")
LOGIN_FAILURE_LIMIT = int(os.environ.get("LOGIN_FAILURE_LIMIT", "5"))
LOGIN_LOCKOUT_MINUTES = int(os.environ.get("LOGIN_LOCKOUT_MINUTES", "15"))
AXES_FAILURE_LIMIT = LOGIN_FAILURE_LIMIT
AXES_COOLOFF_TIME = timedelta(minutes=LOGIN_LOCKOUT_MINUTES)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "cchc.login_throttling.locked_out"
AXES_CLIENT_IP_CALLABLE = "cchc.login_throttling.client_ip"
AXES_HTTP_RESPONSE_CODE = 429

# django-csp: nothing but the site's own files, no inline script or style, never inside a frame.
# CSP_REPORT_ONLY=true sends the same policy as Content-Security-Policy-Report-Only: browsers then report
# violations in their console (and to CSP_REPORT_URI if set) without blocking anything, to try a change first.
CSP_DIRECTIVES = {
    "default-src": ["'self'"],
    # Bootstrap's stylesheet draws its check marks and select arrows as data: SVG images.
    "img-src": ["'self'", "data:"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
}
if os.environ.get("CSP_REPORT_URI"):
    CSP_DIRECTIVES["report-uri"] = [os.environ["CSP_REPORT_URI"]]
if env_bool("CSP_REPORT_ONLY"):
    CONTENT_SECURITY_POLICY_REPORT_ONLY = {"DIRECTIVES": CSP_DIRECTIVES}
else:
    CONTENT_SECURITY_POLICY = {"DIRECTIVES": CSP_DIRECTIVES}

MIDDLEWARE += [
    "csp.middleware.CSPMiddleware",
    "cchc.middleware.NoStoreMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

# Reading an uploaded table (cchc/lib/imports.py): each limit refused with a message naming it.
IMPORT_MAX_CELLS = int(os.environ.get("IMPORT_MAX_CELLS", "1500000"))
IMPORT_MAX_COLUMNS = int(os.environ.get("IMPORT_MAX_COLUMNS", "250"))
IMPORT_MAX_ROW_CHARS = int(os.environ.get("IMPORT_MAX_ROW_CHARS", "100000"))
IMPORT_MAX_SECONDS = int(os.environ.get("IMPORT_MAX_SECONDS", "60"))
IMPORT_MAX_UNPACKED_BYTES = int(os.environ.get("IMPORT_MAX_UNPACKED_BYTES", str(100 * 1024 * 1024)))
IMPORT_MAX_COMPRESSION_RATIO = int(os.environ.get("IMPORT_MAX_COMPRESSION_RATIO", "100"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}
