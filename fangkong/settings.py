"""fangkong settings: everything comes from the environment (see .env.example).

A bad value stops the process with ImproperlyConfigured instead of running with a
silent default. SQLite under var/ is the embedded default; FANGKONG_DATABASE_URL
switches to PostgreSQL.
"""

from __future__ import annotations

import secrets
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from fangkong.core.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent
VAR_DIR = Path(env_str("FANGKONG_VAR_DIR", str(BASE_DIR.parent / "var")) or "var")

DEBUG = env_bool("FANGKONG_DEBUG", False)


def _secret_key() -> str:
    key = env_str("FANGKONG_SECRET_KEY")
    if key:
        if len(key) < 50:
            raise ImproperlyConfigured("FANGKONG_SECRET_KEY must be at least 50 characters")
        return key
    if not DEBUG:
        raise ImproperlyConfigured(
            "FANGKONG_SECRET_KEY must be set when FANGKONG_DEBUG is false (see .env.example)"
        )
    # Debug / demo only: one random key kept under var/ so sessions survive restarts.
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    path = VAR_DIR / "secret-key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(64))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = env_list("FANGKONG_ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("FANGKONG_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "axes",
    "fangkong.core",
    "fangkong.areas",
    "fangkong.accounts",
    "fangkong.audit",
    "fangkong.policy",
    "fangkong.units",
    "fangkong.registry",
    "fangkong.arrivals",
    "fangkong.access",
    "fangkong.contacts",
    "fangkong.duty",
    "fangkong.rounds",
    "fangkong.supplies",
    "fangkong.party",
    "fangkong.care",
    "fangkong.cadres",
    "fangkong.quality",
    "fangkong.unitduty",
    "fangkong.reports",
    "fangkong.site",
]

MIDDLEWARE = [
    "fangkong.core.middleware.ProxiedClientMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
    "fangkong.core.middleware.BadInputMiddleware",
]

ROOT_URLCONF = "fangkong.urls"
WSGI_APPLICATION = "fangkong.wsgi.application"

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
                "fangkong.site.context_processors.navigation",
            ],
        },
    },
]

# --- database -------------------------------------------------------------------------
_database_url = env_str("FANGKONG_DATABASE_URL")
if _database_url:
    if not _database_url.startswith(("postgres://", "postgresql://", "sqlite://")):
        raise ImproperlyConfigured(
            "FANGKONG_DATABASE_URL must start with postgres:// (or sqlite:// for a file)"
        )
    DATABASES = {
        "default": dj_database_url.parse(
            _database_url, conn_max_age=env_int("FANGKONG_DB_CONN_MAX_AGE", 60, minimum=0)
        )
    }
else:
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(VAR_DIR / "fangkong.sqlite3"),
            "OPTIONS": {
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
                # A transaction takes the write lock when it begins, so a second writer waits
                # (up to `timeout` seconds) instead of failing with "database is locked" when
                # a read-then-write transaction finds another's commit in between. Fuzzing the
                # demo with concurrent writes: 25–34 of 120 were 500s before, none after.
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- cache and background work -------------------------------------------------------
REDIS_URL = env_str("FANGKONG_REDIS_URL")
if REDIS_URL:
    if not REDIS_URL.startswith(("redis://", "rediss://")):
        raise ImproperlyConfigured("FANGKONG_REDIS_URL must start with redis:// or rediss://")
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = REDIS_URL or "cache+memory://"
# Without Redis (demo, one community) tasks run in-process, eagerly.
CELERY_TASK_ALWAYS_EAGER = env_bool("FANGKONG_TASKS_EAGER", REDIS_URL is None)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TIMEZONE = "Asia/Shanghai"
# `celery -A fangkong beat` runs what the modules schedule (fangkong.site.apps).
# Today's figures are rebuilt every five minutes by the beat above; a page or API read
# rebuilds them itself only when they are older than this (e.g. no beat running).
REPORTS_MAX_AGE = env_int("FANGKONG_REPORTS_MAX_AGE", 900)

# --- accounts and security -------------------------------------------------------------
# Bootstrap's alert classes: an error is alert-danger.
MESSAGE_TAGS = {40: "danger"}
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "site:home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Idle timeout: a session lives 30 minutes after the last request.
SESSION_COOKIE_AGE = env_int("FANGKONG_SESSION_IDLE_SECONDS", 30 * 60, minimum=60)
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True

# Lock-out after repeated failed logins (django-axes): 5 failures per user name and address.
AXES_FAILURE_LIMIT = env_int("FANGKONG_LOGIN_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = env_int("FANGKONG_LOGIN_COOLOFF_MINUTES", 30, minimum=1) / 60
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "fangkong.accounts.lockout.lockout_response"
AXES_USERNAME_FORM_FIELD = "username"
AXES_VERBOSE = False

# Behind N trusted reverse proxies, the client is the Nth address from the right of
# X-Forwarded-For (fangkong.core.middleware.ProxiedClientMiddleware); 0 trusts no header.
PROXY_COUNT = env_int("FANGKONG_PROXY_COUNT", 0, minimum=0)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("FANGKONG_SSL_REDIRECT", not DEBUG)
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SECURE_HSTS_SECONDS = env_int("FANGKONG_HSTS_SECONDS", 0 if DEBUG else 31536000, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HSTS_SECONDS > 0
SECURE_HSTS_PRELOAD = SECURE_HSTS_SECONDS > 0
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Key for personal fields (document numbers, phones): 32+ characters, kept out of the repo.
FIELD_KEY = env_str("FANGKONG_FIELD_KEY")
if FIELD_KEY is None:
    if not DEBUG:
        raise ImproperlyConfigured("FANGKONG_FIELD_KEY must be set when FANGKONG_DEBUG is false")
    FIELD_KEY = "demo-only-field-key-" + SECRET_KEY[:32]
elif len(FIELD_KEY) < 32:
    raise ImproperlyConfigured("FANGKONG_FIELD_KEY must be at least 32 characters")

# --- language and time -------------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Asia/Shanghai"
USE_TZ = True

# --- static files ----------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# --- API ---------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "fangkong.core.pagination.Pagination",
    "EXCEPTION_HANDLER": "fangkong.core.api.exception_handler",
    "DEFAULT_THROTTLE_RATES": {"auth": "30/minute"},
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "fangkong API",
    "DESCRIPTION": "社区防控 — community epidemic prevention and control. Every resource is "
    'scoped to the caller\'s area; errors are {"errors": [{"field", "code", "reason"}]}.',
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # One name per choice set, so integrators see AreaKind, not Kind13bEnum.
    "ENUM_NAME_OVERRIDES": {
        "AreaKindEnum": "fangkong.areas.models.AreaKind",
        "UnitKindEnum": "fangkong.units.models.UnitKind",
        "DefectKindEnum": "fangkong.quality.models.DefectKind",
        "FindingSourceEnum": "fangkong.unitduty.models.FindingSource",
        "ReceiptSourceEnum": "fangkong.supplies.models.ReceiptSource",
        "ResidenceKindEnum": "fangkong.registry.models.people.ResidenceKind",
        "SexEnum": "fangkong.registry.models.people.Sex",
        "DocumentTypeEnum": "fangkong.registry.models.people.DocumentType",
        "WhereaboutsEnum": "fangkong.registry.models.people.Whereabouts",
        "ResidencyEnum": "fangkong.registry.models.people.Residency",
        "NoticeStatusEnum": "fangkong.arrivals.models.NoticeStatus",
        "ObservationStatusEnum": "fangkong.arrivals.models.ObservationStatus",
        "ObservationModeEnum": "fangkong.arrivals.models.ObservationMode",
        "GateKindEnum": "fangkong.access.models.GateKind",
        "FiledByEnum": "fangkong.arrivals.models.FiledBy",
        "PartyOrgKindEnum": "fangkong.party.models.OrgKind",
        "DonationChannelEnum": "fangkong.party.models.Channel",
        # arrivals' call-task outcome keeps its name beside care's call outcome
        "OutcomeEnum": "fangkong.arrivals.models.CallOutcome",
        "CareRequestKindEnum": "fangkong.care.models.RequestKind",
        "CareRequestStatusEnum": "fangkong.care.models.RequestStatus",
        "CareCallOutcomeEnum": "fangkong.care.models.CallOutcome",
        "OrganKindEnum": "fangkong.cadres.models.OrganKind",
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("FANGKONG_LOG_LEVEL", "INFO")},
    "loggers": {"axes": {"level": "WARNING"}},
}
