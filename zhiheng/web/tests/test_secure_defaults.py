"""Issue 10 finding 1: secure unless told otherwise — no debug pages, no public secret key, a strict CSP and
the security headers on every kind of response, and `check --deploy` clean under the production variables
.env.example documents."""

from __future__ import annotations

import os
import secrets
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[3]

SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'self'",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
}


def test_no_debug_and_no_constant_secret_key():
    assert settings.DEBUG is False
    assert "insecure" not in settings.SECRET_KEY and len(settings.SECRET_KEY) >= 50
    key_file = Path(settings.VAR_DIR) / "secret_key"
    assert key_file.read_text().strip() == settings.SECRET_KEY
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600


def _settings_in_a_fresh_process(env: dict[str, str]) -> subprocess.CompletedProcess:
    code = "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='config.settings'; django.setup(); from django.conf import settings as s; print(s.DEBUG, len(s.SECRET_KEY))"
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )


def test_the_embedded_mode_generates_and_keeps_its_own_key(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("ZHIHENG_")} | {
        "ZHIHENG_VAR_DIR": str(tmp_path)
    }
    first = _settings_in_a_fresh_process(env)
    second = _settings_in_a_fresh_process(env)
    assert first.returncode == 0, first.stderr
    assert first.stdout.split() == ["False", str(len((tmp_path / "secret_key").read_text().strip()))]
    assert first.stdout == second.stdout


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("ZHIHENG_")} | {
        "ZHIHENG_VAR_DIR": str(tmp_path),
        "ZHIHENG_ENV": "production",
    }
    result = _settings_in_a_fresh_process(env)
    assert result.returncode != 0 and "ZHIHENG_SECRET_KEY" in result.stderr


def test_check_deploy_passes_with_zero_warnings_under_the_documented_production_variables(tmp_path):
    # DJANGO_ALLOW_ASYNC_UNSAFE is the browser tests' setting for their own process, not a deployment's.
    inherited = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("ZHIHENG_") and k != "DJANGO_ALLOW_ASYNC_UNSAFE"
    }
    env = inherited | {
        "ZHIHENG_ENV": "production",
        "ZHIHENG_SECRET_KEY": secrets.token_urlsafe(64),
        "ZHIHENG_ALLOWED_HOSTS": "zhiheng.example.gov.cn",
        "ZHIHENG_CSRF_TRUSTED_ORIGINS": "https://zhiheng.example.gov.cn",
        "ZHIHENG_VAR_DIR": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "config.settings",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def _assert_secure(response):
    for header, value in SECURITY_HEADERS.items():
        assert value in response.get(header, ""), (header, response.status_code, response.get(header))
    csp = response["Content-Security-Policy"]
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp and "object-src 'none'" in csp


def test_every_kind_of_response_carries_the_security_headers(client, api_client, world):
    responses = {
        "login page": client.get("/accounts/login/"),
        "redirect": client.get("/"),
        "page 404": client.get("/no-such-page/"),
        "static file": client.get("/static/web/zhiheng.css"),
        "api 401": client.get("/api/v1/me"),
        "api 200": api_client.as_(world.admin).get("/api/v1/me"),
        "api 404": api_client.as_(world.admin).get("/api/v1/nope"),
        "api 405": api_client.as_(world.admin).get("/api/v1/auth/token"),
        "openapi": client.get("/api/v1/openapi.json"),
    }
    for name, response in responses.items():
        assert response.status_code < 500, name
        _assert_secure(response)


def test_a_404_is_a_chinese_page_not_the_debug_page(client):
    response = client.get("/no-such-page/%0A")
    body = response.content.decode()
    assert response.status_code == 404
    assert "页面不存在" in body and "URLconf" not in body and "DEBUG" not in body


def test_no_page_has_an_inline_script_or_style():
    templates = list((ROOT / "zhiheng").rglob("templates/**/*.html"))
    offenders = [
        str(t.relative_to(ROOT))
        for t in templates
        for marker in ("<style", " onclick=", " onchange=", " onsubmit=", ' style="', "javascript:")
        if marker in t.read_text()
    ]
    inline_scripts = [
        str(t.relative_to(ROOT))
        for t in templates
        for line in t.read_text().splitlines()
        if "<script" in line and "src=" not in line and "application/json" not in line
    ]
    assert offenders == [] and inline_scripts == []
