"""Settings for konflik, read from the environment (django-environ).

Every variable is listed in `.env.example`. Production differs from a first run only by variables:
`KONFLIK_ENV=production` turns on the secure cookies, HSTS and the SSL redirect and makes
`SECRET_KEY` mandatory. Service URLs keep their standard names (`DATABASE_URL`, `REDIS_URL`), the
application's own knobs are named `KONFLIK_*`.
"""

import secrets
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import environ
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(environ.Env().str("KONFLIK_VAR_DIR", default=str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)

env = environ.Env()
env_file = BASE_DIR / ".env"
if env_file.exists():
    environ.Env.read_env(str(env_file))

KONFLIK_ENV = env.str("KONFLIK_ENV", default="development")
PRODUCTION = KONFLIK_ENV == "production"
DEBUG = env.bool("DEBUG", default=False)


def _secret_key():
    """Production must be given a key; a first run keeps a generated one under var/."""
    if PRODUCTION:
        return env.str("SECRET_KEY")  # raises ImproperlyConfigured when missing: fail fast
    if env.str("SECRET_KEY", default=""):
        return env.str("SECRET_KEY")
    key_file = VAR_DIR / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(64))
    return key_file.read_text().strip()


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=[] if PRODUCTION else ["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "konflik",
    "teams",
    "actionplans",
    "incidents",
    # last of the project's apps: its demo seed (the national bulk load) runs after the others'
    "dashboard",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.forms",  # the built-in form templates for the project renderer (FORM_RENDERER)
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "csp",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    # an oversized body or a NUL byte in the URL is refused before anything reads them
    "konflik.middleware.RequestLimitsMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "konflik.middleware.RequestIdMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "konflik.middleware.IndonesianFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "konflik.middleware.SessionTimeoutMiddleware",
    "konflik.middleware.MfaRequiredMiddleware",
    "konflik.middleware.RateLimitMiddleware",
    "konflik.middleware.SignInAddressLimitMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "konflik.middleware.NoStoreForAuthenticatedMiddleware",
    "konflik.middleware.RefusedAccessLogMiddleware",
    # last, so that it sees the outcome of the login views
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "konflik.urls"
WSGI_APPLICATION = "konflik.wsgi.application"

# Every form field renders through one template (templates/konflik/forms/field.html).
FORM_RENDERER = "konflik.forms_renderer.KonflikFormRenderer"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "konflik.context_processors.navigation",
                "konflik.context_processors.notifications",
            ],
        },
    },
]

# --- Database: SQLite file for a first run, PostgreSQL when DATABASE_URL is set -------------------
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'konflik.sqlite3'}"),
}
# The web server, the worker, beat and a command typed beside them (`manage.py adduser`) share the
# SQLite file of a first run. A write-ahead journal lets readers and one writer work at once; every
# transaction takes the write lock when it begins (IMMEDIATE), so that one which read first does not
# meet another writer halfway and fail at once ("database is locked": SQLite cannot wait there without
# a deadlock); waiting for the lock is bounded by the busy timeout (seconds).
SQLITE_OPTIONS = {
    "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL",
    "transaction_mode": "IMMEDIATE",
    "timeout": 30,
}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    DATABASES["default"].setdefault("OPTIONS", {}).update(SQLITE_OPTIONS)
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("KONFLIK_CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    if DATABASES["default"]["ENGINE"].endswith("postgresql"):
        # A search for a common word builds a bitmap of every match; at PostgreSQL's default 4 MB it
        # turns lossy and every row of the lossy pages is re-tested (measured: README, benchmark).
        work_mem = env.str("KONFLIK_DB_WORK_MEM", default="16MB")
        DATABASES["default"].setdefault("OPTIONS", {})["options"] = f"-c work_mem={work_mem}"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Redis: broker and cache; an embedded broker when it is not configured --------------------------
REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(VAR_DIR / "cache"),
        }
    }

CELERY_BROKER_URL = REDIS_URL or "filesystem://"
CELERY_BROKER_TRANSPORT_OPTIONS = (
    {"visibility_timeout": 3600}
    if REDIS_URL
    else {
        "data_folder_in": str(VAR_DIR / "broker" / "queue"),
        "data_folder_out": str(VAR_DIR / "broker" / "queue"),
        "processed_folder": str(VAR_DIR / "broker" / "processed"),
        "control_folder": str(VAR_DIR / "broker" / "control"),  # kombu's default is ./control
        "store_processed": False,
    }
)
if not REDIS_URL:
    for sub in ("queue", "processed", "control"):
        (VAR_DIR / "broker" / sub).mkdir(parents=True, exist_ok=True)
CELERY_TASK_ALWAYS_EAGER = env.bool("KONFLIK_CELERY_EAGER", default=False)
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
# Periodic work: apps add their sweeps here (each entry expires before its next run).
CELERY_BEAT_SCHEDULE = {
    "dispatch-reminders": {
        "task": "konflik.tasks.dispatch_reminders",
        "schedule": 60.0,
        "options": {"expires": 55},
    },
    "sweep-reminders": {
        "task": "konflik.tasks.sweep_reminders",
        "schedule": 300.0,
        "options": {"expires": 240},
    },
    # stored files that no row names (a transaction stored a file, then rolled back): konflik.orphans
    "sweep-orphan-uploads": {
        "task": "konflik.tasks.sweep_orphan_uploads",
        "schedule": 6 * 3600.0,
        "options": {"expires": 3000},
    },
    # the province's periodic report once each period's deadline has passed (and lost reports retried)
    "sweep-period-reports": {
        "task": "dashboard.tasks.sweep_period_reports",
        "schedule": 3600.0,
        "options": {"expires": 3000},
    },
}

# --- Authentication ----------------------------------------------------------------------------------
AUTH_USER_MODEL = "konflik.User"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    # django-axes first: it refuses a locked-out (username, IP) pair before the password is checked
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Lockout is keyed on username AND IP: one user's mistakes never lock out a whole office behind a
# shared address, and one address cannot guess many passwords of one user.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_FAILURE_LIMIT = env.int("KONFLIK_LOGIN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("KONFLIK_LOGIN_COOLOFF_MINUTES", default=15))
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "konflik.lockout.lockout_response"  # the page, or JSON under /api/
AXES_VERBOSE = False
# The number of reverse proxies in front of the application, each appending to X-Forwarded-For: 0
# reads REMOTE_ADDR only, N the Nth address from the right (konflik.clientip). The lockout, every rate
# limit and the security log take the client's address from there.
KONFLIK_PROXY_COUNT = env.int("KONFLIK_PROXY_COUNT", default=0)
AXES_CLIENT_IP_CALLABLE = "konflik.clientip.client_ip"
# the username axes records, cut to what its column holds (any caller of authenticate(), the admin too)
AXES_USERNAME_CALLABLE = "konflik.lockout.attempted_username"
# Password spraying: this many failed sign-ins from one address, whatever the usernames, within the
# window refuse every sign-in from that address (429) until the window ends. High enough that a
# regency office behind one shared address never reaches it by mistyping.
KONFLIK_LOGIN_ADDRESS_FAILURE_LIMIT = env.int("KONFLIK_LOGIN_ADDRESS_FAILURE_LIMIT", default=50)
KONFLIK_LOGIN_ADDRESS_WINDOW_MINUTES = env.int("KONFLIK_LOGIN_ADDRESS_WINDOW_MINUTES", default=15)
# Two-factor (TOTP, django-otp): anyone may enrol; these roles must (production default: admin and
# the secretariats; none on a first run).
KONFLIK_MFA_REQUIRED_ROLES = env.list(
    "KONFLIK_MFA_REQUIRED_ROLES",
    default=["admin", "province_secretariat", "regency_secretariat"] if PRODUCTION else [],
)
OTP_TOTP_ISSUER = "konflik"
# API tokens (`POST /api/auth/token/`) expire this many days after they are issued.
KONFLIK_API_TOKEN_DAYS = env.int("KONFLIK_API_TOKEN_DAYS", default=90)
# Sessions end after this long without a request, and in any case this long after sign-in.
KONFLIK_SESSION_IDLE_SECONDS = env.int("KONFLIK_SESSION_IDLE_SECONDS", default=60 * 60)
KONFLIK_SESSION_ABSOLUTE_SECONDS = env.int("KONFLIK_SESSION_ABSOLUTE_SECONDS", default=12 * 60 * 60)
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
SESSION_COOKIE_AGE = KONFLIK_SESSION_ABSOLUTE_SECONDS
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"

# --- Internationalisation: Indonesian first, English second, times in WIB -----------------------------
LANGUAGE_CODE = "id"
LANGUAGES = [("id", _("Bahasa Indonesia")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Pontianak"
USE_I18N = True
USE_TZ = True

# --- Static files and uploads ------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(env.str("KONFLIK_STATIC_ROOT", default=str(BASE_DIR / "staticfiles")))
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = Path(env.str("KONFLIK_MEDIA_ROOT", default=str(VAR_DIR / "uploads")))
# Uploads are never served from a public URL: every download goes through a permission-checked view.
MEDIA_URL = "/unduh-tidak-publik/"
WHITENOISE_USE_FINDERS = not env.bool("KONFLIK_COLLECTED_STATIC", default=False)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if env.bool("KONFLIK_COLLECTED_STATIC", default=False)
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
# A request whose declared body is larger is refused (413) before anything is read
# (konflik.middleware.RequestLimitsMiddleware). Above the largest legitimate request: 25 MB of
# attachments (KONFLIK_*_MAX_REQUEST_FILE_BYTES) plus the form's fields.
KONFLIK_MAX_REQUEST_BYTES = env.int("KONFLIK_MAX_REQUEST_BYTES", default=30 * 1024 * 1024)
# The body without its files (form fields, JSON): no legitimate form or API body comes near it.
DATA_UPLOAD_MAX_MEMORY_SIZE = env.int("KONFLIK_MAX_FORM_BYTES", default=5 * 1024 * 1024)

# --- Mail: SMTP from the environment, a file backend on a first run --------------------------------
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="filemail://" + str(VAR_DIR / "mail"))
if EMAIL_CONFIG["EMAIL_BACKEND"].endswith("filebased.EmailBackend"):
    EMAIL_CONFIG["EMAIL_FILE_PATH"] = str(VAR_DIR / "mail")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="konflik <noreply@konflik.localhost>")

# --- REST framework ---------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # `Authorization: Token <key>` with konflik's own expiring, revocable tokens (konflik.ApiToken).
        # First, so that a refused or missing credential is a 401 with `WWW-Authenticate: Token`.
        "konflik.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["konflik.permissions.RolePermission"],
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_PAGINATION_CLASS": "konflik.api.pagination.Pagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "konflik.api.schema.AutoSchema",
    "EXCEPTION_HANDLER": "konflik.api.exceptions.exception_handler",
    # Searches (`?q=`, `?search=`) anywhere, and views that declare a `throttle_scope` (konflik.throttling).
    "DEFAULT_THROTTLE_CLASSES": [
        "konflik.throttling.SearchThrottle",
        "konflik.throttling.ScopedThrottle",
    ],
    # for any throttle of DRF's own: the same proxies as konflik.clientip
    "NUM_PROXIES": KONFLIK_PROXY_COUNT,
    # Expensive and bulk operations are throttled per user (views opt in with `throttle_scope`).
    "DEFAULT_THROTTLE_RATES": {
        "export": env.str("KONFLIK_RATE_EXPORT", default="10/min"),
        "search": env.str("KONFLIK_RATE_SEARCH", default="60/min"),
        "token": env.str("KONFLIK_RATE_TOKEN", default="10/min"),
    },
}
SPECTACULAR_SETTINGS = {
    "TITLE": "konflik API",
    "DESCRIPTION": "Tim Terpadu Penanganan Konflik Sosial: teams, action plans, incidents, early warning.",
    "VERSION": "1.0.0",
    "SERVE_PUBLIC": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
}

# --- Security: production switches -----------------------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SESSION_COOKIE_NAME = "__Host-konflik_session" if PRODUCTION else "konflik_session"
CSRF_COOKIE_NAME = "__Host-konflik_csrf" if PRODUCTION else "konflik_csrf"

if PRODUCTION:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env.bool("KONFLIK_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = env.int("KONFLIK_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env.bool("KONFLIK_HSTS_PRELOAD", default=False)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    # HSTS preload is a commitment of the whole (government) domain, made by its owner, not by one
    # application: it stays a variable, and the check that asks for it is silenced.
    SILENCED_SYSTEM_CHECKS = ["security.W021"]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("KONFLIK_LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}, "axes": {"level": "WARNING"}},
}

# --- Application knobs ------------------------------------------------------------------------------
KONFLIK_DEMO_PASSWORD = env.str("KONFLIK_DEMO_PASSWORD", default="konflik-demo-2026")
# Uploaded workbooks (member and action-plan imports, `konflik.spreadsheets`): the most bytes the
# archive's parts may unpack to (each and together), and the most characters in one cell.
KONFLIK_SHEET_MAX_UNPACKED_BYTES = env.int("KONFLIK_SHEET_MAX_UNPACKED_BYTES", default=32 * 1024 * 1024)
KONFLIK_SHEET_MAX_CELL_CHARS = env.int("KONFLIK_SHEET_MAX_CELL_CHARS", default=10_000)

# --- Incidents (incidents app) -----------------------------------------------------------------------
# Leaflet's own files from the XStatic-Leaflet package, served as static/leaflet/ (no CDN).
import xstatic.pkg.leaflet  # noqa: E402

STATICFILES_DIRS += [("leaflet", xstatic.pkg.leaflet.BASE_DIR)]
# The province's bounding box (south, west, north, east): incident and early-warning coordinates must
# fall inside it. Default: Kalimantan Barat with a margin for its islands.
KONFLIK_INCIDENT_BOUNDS = env.list("KONFLIK_INCIDENT_BOUNDS", cast=float, default=[-3.3, 108.0, 2.3, 114.4])
# Map tiles: any XYZ tile server (an intranet one on a closed network). Empty by default, so that the
# application loads nothing from outside at run time; markers show without tiles.
KONFLIK_MAP_TILE_URL = env.str("KONFLIK_MAP_TILE_URL", default="")
KONFLIK_MAP_ATTRIBUTION = env.str("KONFLIK_MAP_ATTRIBUTION", default="")
# Attachments: per file, per request, and how many files one request may carry.
KONFLIK_INCIDENT_MAX_FILE_BYTES = env.int("KONFLIK_INCIDENT_MAX_FILE_BYTES", default=10 * 1024 * 1024)
KONFLIK_INCIDENT_MAX_REQUEST_FILE_BYTES = env.int(
    "KONFLIK_INCIDENT_MAX_REQUEST_FILE_BYTES", default=25 * 1024 * 1024
)
KONFLIK_INCIDENT_MAX_FILES_PER_REQUEST = env.int("KONFLIK_INCIDENT_MAX_FILES_PER_REQUEST", default=10)
# Status Keadaan Konflik: at most 90 days (UU 7/2012); the extension length is unconfirmed, so a knob.
KONFLIK_INCIDENT_SKK_MAX_DAYS = env.int("KONFLIK_INCIDENT_SKK_MAX_DAYS", default=90)
KONFLIK_INCIDENT_SKK_EXTENSION_DAYS = env.int("KONFLIK_INCIDENT_SKK_EXTENSION_DAYS", default=30)
KONFLIK_INCIDENT_SKK_MAX_EXTENSIONS = env.int("KONFLIK_INCIDENT_SKK_MAX_EXTENSIONS", default=1)
KONFLIK_INCIDENT_SKK_REMIND_DAYS_BEFORE = env.int("KONFLIK_INCIDENT_SKK_REMIND_DAYS_BEFORE", default=7)
# Early-warning signals: a submitted incident with at least this many dead; N incidents in one regency
# within D days.
KONFLIK_INCIDENT_SIGNAL_DEATHS = env.int("KONFLIK_INCIDENT_SIGNAL_DEATHS", default=1)
KONFLIK_INCIDENT_SIGNAL_CLUSTER_COUNT = env.int("KONFLIK_INCIDENT_SIGNAL_CLUSTER_COUNT", default=3)
KONFLIK_INCIDENT_SIGNAL_CLUSTER_DAYS = env.int("KONFLIK_INCIDENT_SIGNAL_CLUSTER_DAYS", default=30)
# Exports (CSV/XLSX) per user per minute.
KONFLIK_INCIDENT_EXPORTS_PER_MINUTE = env.int("KONFLIK_INCIDENT_EXPORTS_PER_MINUTE", default=10)

# --- Teams, meetings and reminders (teams app) -------------------------------------------------------
# Default reminder offsets of a meeting, in minutes before its start (7 days, 1 day, 2 hours); each
# meeting can set its own (`reminder_offsets`).
KONFLIK_TEAMS_MEETING_REMINDER_OFFSETS = env.list(
    "KONFLIK_TEAMS_MEETING_REMINDER_OFFSETS", cast=int, default=[10080, 1440, 120]
)
# Follow-up items: reminded this many days before their due date, and overdue reminders this many days
# after it; each at this hour (WIB).
KONFLIK_TEAMS_FOLLOWUP_REMIND_DAYS_BEFORE = env.list(
    "KONFLIK_TEAMS_FOLLOWUP_REMIND_DAYS_BEFORE", cast=int, default=[3, 1]
)
KONFLIK_TEAMS_FOLLOWUP_OVERDUE_DAYS_AFTER = env.list(
    "KONFLIK_TEAMS_FOLLOWUP_OVERDUE_DAYS_AFTER", cast=int, default=[1, 7]
)
KONFLIK_TEAMS_REMINDER_HOUR = env.int("KONFLIK_TEAMS_REMINDER_HOUR", default=8)
# Minutes attachments: bytes per file. Member import sheets: bytes and rows.
KONFLIK_TEAMS_MAX_FILE_BYTES = env.int("KONFLIK_TEAMS_MAX_FILE_BYTES", default=10 * 1024 * 1024)
KONFLIK_TEAMS_IMPORT_MAX_BYTES = env.int("KONFLIK_TEAMS_IMPORT_MAX_BYTES", default=2 * 1024 * 1024)
KONFLIK_TEAMS_IMPORT_MAX_ROWS = env.int("KONFLIK_TEAMS_IMPORT_MAX_ROWS", default=1000)
# Member imports per user per minute.
KONFLIK_TEAMS_IMPORT_PER_MINUTE = env.int("KONFLIK_TEAMS_IMPORT_PER_MINUTE", default=10)
# Public base URL used in e-mails and calendar files (links must be absolute outside the browser).
KONFLIK_BASE_URL = env.str("KONFLIK_BASE_URL", default="http://127.0.0.1:8000")

# --- Action plans (actionplans app) ------------------------------------------------------------------
# A period's report is due this many days after the period ends (B.04 ends 30 April), end of day WIB.
KONFLIK_ACTIONPLAN_DEADLINE_DAYS = env.int("KONFLIK_ACTIONPLAN_DEADLINE_DAYS", default=10)
# The "period about to close" reminder goes out this many days before the period ends (08:00 WIB).
KONFLIK_ACTIONPLAN_REMIND_DAYS_BEFORE_END = env.int("KONFLIK_ACTIONPLAN_REMIND_DAYS_BEFORE_END", default=7)
# Evidence files (data dukung): bytes per file, bytes of files per request, files per request.
KONFLIK_ACTIONPLAN_MAX_FILE_BYTES = env.int("KONFLIK_ACTIONPLAN_MAX_FILE_BYTES", default=10 * 1024 * 1024)
KONFLIK_ACTIONPLAN_MAX_REQUEST_FILE_BYTES = env.int(
    "KONFLIK_ACTIONPLAN_MAX_REQUEST_FILE_BYTES", default=25 * 1024 * 1024
)
KONFLIK_ACTIONPLAN_MAX_FILES_PER_REQUEST = env.int("KONFLIK_ACTIONPLAN_MAX_FILES_PER_REQUEST", default=10)
# Excel import: largest workbook and most activity rows accepted.
KONFLIK_ACTIONPLAN_IMPORT_MAX_BYTES = env.int("KONFLIK_ACTIONPLAN_IMPORT_MAX_BYTES", default=5 * 1024 * 1024)
KONFLIK_ACTIONPLAN_IMPORT_MAX_ROWS = env.int("KONFLIK_ACTIONPLAN_IMPORT_MAX_ROWS", default=2000)
# Excel exports and imports per user per minute.
KONFLIK_ACTIONPLAN_EXCEL_PER_MINUTE = env.int("KONFLIK_ACTIONPLAN_EXCEL_PER_MINUTE", default=10)


# --- Dashboard and periodic reports (dashboard app) -------------------------------------------------
# Periodic report requests per user per minute.
KONFLIK_DASHBOARD_REPORTS_PER_MINUTE = env.int("KONFLIK_DASHBOARD_REPORTS_PER_MINUTE", default=5)


# --- Content Security Policy (django-csp 4): no inline script, no plugins, no framing ---------------
def _tile_origin(url):
    parts = urlsplit(url.replace("{s}", "a"))
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else None


CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        # map tiles come from the configured tile server; everything else is ours
        "img-src": ["'self'", "data:", *filter(None, [_tile_origin(KONFLIK_MAP_TILE_URL)])],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
