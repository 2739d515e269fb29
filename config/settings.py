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

from zhiheng.core.backends import with_hooks

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("ZHIHENG_VAR_DIR", BASE_DIR / "var"))


def env(name: str, default: str | None = None) -> str | None:
    return os.environ.get(f"ZHIHENG_{name}", default)


def env_bool(name: str, default: bool = False) -> bool:
    value = env(name)
    return default if value is None else value.strip().lower() in {"1", "true", "yes", "on"}


# Secure unless told otherwise (issue 10 finding 1): every mode runs without debug pages unless
# ZHIHENG_DEBUG=1 is set by hand, and no mode has a public constant secret key.
ENVIRONMENT = env("ENV", "embedded")  # embedded (make demo; "development" is an alias) | test | production
DEVELOPMENT = ENVIRONMENT in {"embedded", "development", "test"}
PRODUCTION = not DEVELOPMENT
DEBUG = env_bool("DEBUG", default=False)

VAR_DIR.mkdir(parents=True, exist_ok=True)


def _kept_secret_key(path: Path) -> str:
    """The embedded mode's own secret key: generated once, kept under var/ readable by its owner only."""
    if not path.exists():
        import secrets

        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_urlsafe(64))
    return path.read_text().strip()


SECRET_KEY = env("SECRET_KEY") or ""
if not SECRET_KEY:
    if PRODUCTION:
        raise ImproperlyConfigured("ZHIHENG_SECRET_KEY must be set in production.")
    SECRET_KEY = _kept_secret_key(VAR_DIR / "secret_key")

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
    "zhiheng.parameters",
    "zhiheng.powers",
    "zhiheng.matters",
    "zhiheng.inspections",
    "zhiheng.pilots",
    "zhiheng.checkup",
    "zhiheng.meetings",
    "zhiheng.reports",
    "zhiheng.risk",
    "zhiheng.supervision",
    "zhiheng.analytics",
    "zhiheng.riskregister",
    "zhiheng.unitrules",
    "zhiheng.tours",
    "zhiheng.api",
    "zhiheng.web",
    "zhiheng.workbench",
    "zhiheng.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",  # early, so static files carry it too
    "csp.middleware.CSPMiddleware",
    "zhiheng.api.middleware.ApiErrorShapeMiddleware",  # inside the header middlewares: its answers get them
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "zhiheng.web.middleware.ChineseFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "zhiheng.api.idempotency.IdempotencyMiddleware",
    "zhiheng.web.refusals.RefusalMiddleware",  # a refusal raised below a page becomes the refusal page
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
                "zhiheng.workbench.context.navigation",
            ],
        },
    },
    {
        # For bodies rendered thousands of times (zhiheng/web/jinja.py): each app's jinja2/ directory.
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {"environment": "zhiheng.web.jinja.environment"},
    },
]

DATABASE_URL = env("DATABASE_URL")
# Persistent connections (issue 12): each server worker keeps its PostgreSQL connection for
# ZHIHENG_DB_CONN_MAX_AGE seconds (0: a new one per request) and checks it before reusing it, so a restarted
# database costs no failed request.
DB_CONN_MAX_AGE = int(env("DB_CONN_MAX_AGE", "60") or "60")
DATABASES = {
    "default": dj_database_url.parse(DATABASE_URL, conn_max_age=DB_CONN_MAX_AGE, conn_health_checks=True)
    if DATABASE_URL
    else {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": VAR_DIR / "zhiheng.sqlite3",
        # IMMEDIATE: a writer takes the lock at BEGIN, so concurrent requests queue instead of failing.
        "OPTIONS": {"transaction_mode": "IMMEDIATE", "timeout": 20},
    }
}
# Django's engines with the after-transaction hook RF1's durable record needs (core/transactions.py).
DATABASES = {alias: with_hooks(database) for alias, database in DATABASES.items()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.Person"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "workbench:home"
# The API plumbing (zhiheng.api) resolves a bearer token through this, without importing accounts.
API_TOKEN_RESOLVER = "zhiheng.accounts.services.person_for_token"  # noqa: S105  a function path, not a secret
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
MEDIA_URL = "/media/"  # nothing serves it: evidence leaves only through the authorised download
MEDIA_ROOT = VAR_DIR / "media"
# Evidence downloads (zhiheng/matters/web/downloads.py): "" streams from Django; "nginx" answers X-Accel-Redirect
# to SENDFILE_NGINX_PREFIX (an `internal` location aliasing MEDIA_ROOT); "apache" answers X-Sendfile.
SENDFILE = (env("SENDFILE", "") or "").strip().lower()
if SENDFILE not in {"", "nginx", "apache"}:
    raise ImproperlyConfigured('ZHIHENG_SENDFILE must be "", "nginx" or "apache".')
SENDFILE_NGINX_PREFIX = env("SENDFILE_NGINX_PREFIX", "/protected-media/") or "/protected-media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True  # the demo serves assets straight from the packages, no collectstatic needed
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = PRODUCTION
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SECURE = PRODUCTION
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Production sits behind the intranet's TLS-terminating proxy (docs/security.md): HTTPS only, HSTS for a
# year. `zhiheng check --deploy` passes with zero warnings under .env.example's production variables.
SECURE_SSL_REDIRECT = env_bool("SSL_REDIRECT", default=PRODUCTION)
SECURE_HSTS_SECONDS = int(env("HSTS_SECONDS") or (31536000 if PRODUCTION else 0))
SECURE_HSTS_INCLUDE_SUBDOMAINS = PRODUCTION
SECURE_HSTS_PRELOAD = PRODUCTION
if env_bool("BEHIND_TLS_PROXY", default=PRODUCTION):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# A strict Content-Security-Policy: Zhiheng serves every script, style, font and image itself, with no
# inline script or style, so nothing else is allowed (django-csp).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}

# API tokens (issue 10, docs/decisions/0010): a token issued by POST /api/v1/auth/token lives
# ZHIHENG_TOKEN_HOURS; POST /api/v1/auth/token/renew extends it up to ZHIHENG_TOKEN_MAX_HOURS after the
# password was checked. ZHIHENG_API_TOKEN_TTL_HOURS is the old name of ZHIHENG_TOKEN_HOURS.
API_TOKEN_TTL_HOURS = int(env("TOKEN_HOURS") or env("API_TOKEN_TTL_HOURS") or "12")
API_TOKEN_MAX_HOURS = int(env("TOKEN_MAX_HOURS") or "168")
# Login throttling: the reverse proxies whose X-Forwarded-For names the client (comma-separated addresses).
TRUSTED_PROXIES = [p.strip() for p in (env("TRUSTED_PROXIES", "") or "").split(",") if p.strip()]

# The integrity check-up's sealed personal data (R-GATE-2): Fernet keys outside the database, one per line,
# the first seals and every line opens (rotation: `zhiheng checkup rotate-key`). Created on first use.
CHECKUP_KEY_FILE = Path(env("CHECKUP_KEY_FILE", str(VAR_DIR / "checkup-keys")) or "")
# The reporting channel's sealed reports and reporters' identities (R-SUP-3): Fernet keys of their own, outside
# the database, one per line, the first seals. Created on first use. Rate limits (per client address, kept only
# in the cache, never with a report): submissions and failed receipt look-ups per window of seconds.
REPORTS_KEY_FILE = Path(env("REPORTS_KEY_FILE", str(VAR_DIR / "reports-keys")) or "")
REPORTS_SUBMISSIONS_PER_WINDOW = int(env("REPORTS_SUBMISSIONS_PER_WINDOW", "10") or "10")
REPORTS_GUESSES_PER_WINDOW = int(env("REPORTS_GUESSES_PER_WINDOW", "10") or "10")
REPORTS_WINDOW_SECONDS = int(env("REPORTS_WINDOW_SECONDS", "900") or "900")

# The red-flag scan's columnar mirror of the matters (issue 15, decision 0023): a DuckDB file kept between
# scans and synced with each day's changes; a cache of the database, rebuilt when lost or stale (or by
# `zhiheng risk scan --rebuild-mirror`). Empty: an in-memory copy per scan.
RISK_MIRROR_FILE = env("RISK_MIRROR_FILE", str(VAR_DIR / "risk-mirror.duckdb")) or ""

# Ledger: the district's Ed25519 signing key lives outside the database (R-LED-2).
LEDGER_KEY_FILE = Path(env("LEDGER_KEY_FILE", str(VAR_DIR / "ledger-ed25519.pem")) or "")
LEDGER_KEY_ID = env("LEDGER_KEY_ID", "")
# Checkpoints witnessed outside the database (issue 10): an append-only file log next to the key, and
# other servers that accept a POST of each signed checkpoint (comma-separated URLs of .../ledger/witness).
LEDGER_WITNESS_LOG = env("LEDGER_WITNESS_LOG", str(VAR_DIR / "ledger" / "witness.log")) or ""
LEDGER_WITNESSES = env("LEDGER_WITNESSES", "") or ""
LEDGER_ORIGIN = env("LEDGER_ORIGIN", "zhiheng") or "zhiheng"  # this log's name in witness logs
LEDGER_WITNESS_TRUSTED = (
    env("LEDGER_WITNESS_TRUSTED", "") or ""
)  # origins witnessed here: name=pubkey hex,...
# Frequent checkpoints in every mode: after this many entries, or once an entry has waited this long.
LEDGER_CHECKPOINT_EVERY = int(env("LEDGER_CHECKPOINT_EVERY", "256") or "256")
LEDGER_CHECKPOINT_MINUTES = float(env("LEDGER_CHECKPOINT_MINUTES", "10") or "10")
# Issue 12 / decision 0017: how record() sequences. "inline": under the head lock in the recording
# transaction (embedded SQLite, one writer). "batched": a pending row in the recording transaction, integrated
# into the tree in batches right after the commit and by the sweep every LEDGER_INTEGRATE_SECONDS.
# Inline is the default everywhere until batched mode is measured ahead on a quiet machine: under load on
# 2 cores, batched with after-commit integration ran at 0.66× inline; only a dedicated integrator process
# (LEDGER_INTEGRATE_AFTER_COMMIT=0) was ahead (bench/README.md).
LEDGER_SEQUENCING = env("LEDGER_SEQUENCING", "inline") or "inline"
LEDGER_INTEGRATE_SECONDS = float(env("LEDGER_INTEGRATE_SECONDS", "1") or "1")
# On: the recording process integrates right after its commit (waiting for a running batch). Off: only a
# dedicated `zhiheng ledger integrate --loop --interval 0.1` process (and the sweep) integrate.
LEDGER_INTEGRATE_AFTER_COMMIT = env_bool("LEDGER_INTEGRATE_AFTER_COMMIT", True)

# The cache holds what must be shared by every worker process: the reporting channel's abuse limits
# (R-SUP-3: a limit per process would let four gunicorn workers take four times the submissions) and the
# analytics figures. Redis in production (ZHIHENG_CACHE_URL, else a redis:// broker URL); one process's
# memory in the embedded mode, which runs one process.
_CACHE_URL = env("CACHE_URL") or (
    env("BROKER_URL") if (env("BROKER_URL") or "").startswith("redis") else None
)
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": _CACHE_URL}
        if _CACHE_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "OPTIONS": {"MAX_ENTRIES": 2000}}
    )
}

# Background jobs: Celery on Redis in production; run in-process when no broker is configured.
CELERY_BROKER_URL = env("BROKER_URL") or "memory://"
CELERY_TASK_ALWAYS_EAGER = not env("BROKER_URL")
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE = {
    # Issue 12: the sweep of batched sequencing — pending entries a crash left behind enter the tree.
    "ledger-integrate": {"task": "zhiheng.ledger.tasks.integrate", "schedule": LEDGER_INTEGRATE_SECONDS},
    # R-LED-2 / issue 10: a checkpoint when due (count, time, hourly heartbeat), witnessed and pushed.
    "ledger-checkpoint-if-due": {
        "task": "zhiheng.ledger.tasks.checkpoint_if_due",
        "schedule": 60.0 * LEDGER_CHECKPOINT_MINUTES,
    },
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
    # Issue 11: the red flags fed by ledger entries get again what the last two hours recorded (a lost task,
    # a handler that failed in-process); idempotent. The scans over the whole history run daily (issue 15).
    "risk-hourly-catch-up": {"task": "zhiheng.risk.tasks.catch_up", "schedule": crontab(minute=25)},
    "risk-daily-scans": {"task": "zhiheng.risk.tasks.run_scans", "schedule": crontab(hour=1, minute=30)},
    # Issue 15: the analytics' monthly roll-up gets again what the last two hours recorded (decision 0022).
    "analytics-hourly-catch-up": {"task": "zhiheng.analytics.tasks.catch_up", "schedule": crontab(minute=35)},
    # R-SUP-1 "by the 5th": the previous month's reports once each unit's issue day has come, then RF6 on
    # reports past due; daily and idempotent (zhiheng/supervision/tasks.py).
    "supervision-daily": {"task": "zhiheng.supervision.tasks.daily", "schedule": crontab(hour=0, minute=20)},
    # Issue 10: forget sign-in attempts after 180 days and idle throttle counters (accounts.signin).
    "accounts-daily-prune-login-records": {
        "task": "zhiheng.accounts.tasks.prune_login_records",
        "schedule": crontab(hour=3, minute=20),
    },
}

# Without a broker nothing runs on a schedule: the supervision daily job then runs on the first 工作台 of the
# day (zhiheng/supervision/tasks.py daily_in_embedded_mode); not in the tests, which issue reports themselves.
SUPERVISION_DAILY_ON_VISIT = CELERY_TASK_ALWAYS_EAGER and ENVIRONMENT != "test"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    "loggers": {"django.request": {"level": "ERROR"}},
}
