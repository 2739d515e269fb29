"""All settings, driven by ZHIHENG_* environment variables (.env.example lists every one).

Embedded mode (the default): SQLite under var/, background jobs run in-process.
Production: ZHIHENG_DATABASE_URL (PostgreSQL) and ZHIHENG_BROKER_URL (Redis) are set.
"""

import os
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("ZHIHENG_VAR_DIR", BASE_DIR / "var"))


def env(name: str, default: str | None = None) -> str | None:
    return os.environ.get(f"ZHIHENG_{name}", default)


def env_bool(name: str, default: bool = False) -> bool:
    value = env(name)
    return default if value is None else value.strip().lower() in {"1", "true", "yes", "on"}


ENVIRONMENT = env("ENV", "development")  # development | test | production
DEVELOPMENT = ENVIRONMENT in {"development", "test"}
DEBUG = env_bool("DEBUG", default=ENVIRONMENT == "development")

SECRET_KEY = env("SECRET_KEY") or ""
if not SECRET_KEY:
    if not DEVELOPMENT:
        raise ImproperlyConfigured("ZHIHENG_SECRET_KEY must be set outside development.")
    SECRET_KEY = "development-only-insecure-key-never-use-in-production"  # noqa: S105

ALLOWED_HOSTS = [h for h in (env("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver") or "").split(",") if h]
CSRF_TRUSTED_ORIGINS = [o for o in (env("CSRF_TRUSTED_ORIGINS", "") or "").split(",") if o]

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "template_partials",
    "ninja",
    "zhiheng.core",
    "zhiheng.accounts",
    "zhiheng.org",
    "zhiheng.ledger",
    "zhiheng.powers",
    "zhiheng.matters",
    "zhiheng.meetings",
    "zhiheng.risk",
    "zhiheng.api",
    "zhiheng.web",
    "zhiheng.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "zhiheng.api.middleware.ApiErrorShapeMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "zhiheng.web.middleware.ChineseFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "zhiheng.api.idempotency.IdempotencyMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "zhiheng.web.context.navigation",
            ],
        },
    }
]

VAR_DIR.mkdir(parents=True, exist_ok=True)
DATABASE_URL = env("DATABASE_URL")
DATABASES = {
    "default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)
    if DATABASE_URL
    else {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": VAR_DIR / "zhiheng.sqlite3",
        # IMMEDIATE: a writer takes the lock at BEGIN, so concurrent requests queue instead of failing.
        "OPTIONS": {"transaction_mode": "IMMEDIATE", "timeout": 20},
    }
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.Person"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "accounts:login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("简体中文")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "zhiheng" / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # whitenoise expects it even when serving from finders
MEDIA_URL = "/media/"
MEDIA_ROOT = VAR_DIR / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True  # the demo serves assets straight from the packages, no collectstatic needed
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = not DEVELOPMENT
CSRF_COOKIE_SECURE = not DEVELOPMENT
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True

# API tokens: lifetime of a token issued by POST /api/v1/auth/token.
API_TOKEN_TTL_HOURS = int(env("API_TOKEN_TTL_HOURS", "720") or "720")

# Ledger: the district's Ed25519 signing key lives outside the database (R-LED-2).
LEDGER_KEY_FILE = Path(env("LEDGER_KEY_FILE", str(VAR_DIR / "ledger-ed25519.pem")) or "")
LEDGER_KEY_ID = env("LEDGER_KEY_ID", "")

# Background jobs: Celery on Redis in production; run in-process when no broker is configured.
CELERY_BROKER_URL = env("BROKER_URL") or "memory://"
CELERY_TASK_ALWAYS_EAGER = not env("BROKER_URL")
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE = {
    "ledger-hourly-checkpoint": {"task": "zhiheng.ledger.tasks.issue_checkpoint", "schedule": 3600.0},
    # R-DIV-5/6: "came into force" for plans filed with a future date (idempotent), just after midnight.
    "powers-daily-in-force": {
        "task": "zhiheng.powers.tasks.record_plans_coming_into_force",
        "schedule": crontab(hour=0, minute=5),
    },
    # Issue 9 hole 8: matters of deputies / co-signers whose term ended pass to who holds the role now.
    "matters-daily-hand-over": {
        "task": "zhiheng.matters.tasks.hand_over_matters_of_departed",
        "schedule": crontab(hour=0, minute=10),
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    "loggers": {"django.request": {"level": "ERROR"}},
}
