"""Test settings: SQLite in memory, or the PostgreSQL named by ZHIHENG_TEST_DATABASE_URL."""

import os
import tempfile
from pathlib import Path

os.environ.setdefault("ZHIHENG_ENV", "test")
os.environ.setdefault("ZHIHENG_VAR_DIR", tempfile.mkdtemp(prefix="zhiheng-test-"))

import dj_database_url

from .settings import *  # noqa: F403
from .settings import VAR_DIR, with_hooks

DEBUG = False
TEST_DATABASE_URL = os.environ.get("ZHIHENG_TEST_DATABASE_URL")
if TEST_DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(TEST_DATABASE_URL)}
    # A test database need not survive a crash of the server itself: commits do not wait for the disk. What a
    # killed client committed still stands, so the crash trials (a killed worker) prove the same thing.
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c synchronous_commit=off"
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(Path(VAR_DIR) / "test.sqlite3"),
            "OPTIONS": {"transaction_mode": "IMMEDIATE", "timeout": 20},
            "TEST": {"NAME": ":memory:"},
        }
    }
DATABASES = {alias: with_hooks(database) for alias, database in DATABASES.items()}
# The test database is rolled back after each test, a file is not: no shared witness log. The ledger's
# tests give each test its own (zhiheng/ledger/tests/conftest.py).
LEDGER_WITNESS_LOG = ""
# Nor a shared red-flag mirror: each scan copies into memory; the risk tests that prove the mirror's sync
# give it a file of their own (zhiheng/risk/tests/test_mirror.py).
RISK_MIRROR_FILE = ""
# Tests run in transactions that never commit, so they sequence inline on both databases; the batched path
# (decision 0017) is proven by its own transaction=True tests, which switch it on with override_settings.
LEDGER_SEQUENCING = os.environ.get("ZHIHENG_TEST_LEDGER_SEQUENCING", "inline")
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # speed; production keeps PBKDF2
LANGUAGE_CODE = "zh-hans"
# Each test client builds its own middleware chain, and whitenoise would index every static file each time
# (about 40 ms, thousands of times a run); looking a file up when it is asked for serves the same answers.
WHITENOISE_AUTOREFRESH = True
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
