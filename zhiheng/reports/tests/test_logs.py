"""R-SUP-3 "Done when": the logs hold no plaintext identity or report body. Every logger is captured at DEBUG
— SQL with its parameters included (force_debug_cursor), Django's request log, the API's error log —
while a named reporter files through the page and the API, fails validation, follows up with the receipt,
guesses wrongly, and a handler reads, asks, reveals the identity and closes the case. The captured text
(messages, arguments and exception text) is then grepped for every secret."""

from __future__ import annotations

import logging
import re
import traceback

import pytest
from django.db import connection
from django.test import Client

from zhiheng.reports.models import Report

from .samples import SECRET_BODY, SECRET_CONTACT, SECRET_NAME, SECRET_SUBJECT

PASSPHRASE = "钟楼下的第七棵银杏树旁边"
QUESTION = "请问转账发生在哪一天"
ANSWER = "去年五月十二日下午"
REASON = "核实时需要当面询问"


class Capture(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.DEBUG)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(record.getMessage())
        self.lines.append(repr(record.args))
        if record.exc_info:
            self.lines.append("".join(traceback.format_exception(*record.exc_info)))
        request = getattr(record, "request", None)
        if request is not None:
            self.lines.append(repr(request) + " " + request.get_full_path())


@pytest.fixture
def captured():
    handler = Capture()
    root = logging.getLogger()
    old_level = root.level
    quiet = {name: logging.getLogger(name).level for name in ("django.request", "django.db.backends")}
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    for name in quiet:
        logging.getLogger(name).setLevel(logging.DEBUG)
    connection.force_debug_cursor = True
    yield handler
    connection.force_debug_cursor = False
    root.removeHandler(handler)
    root.setLevel(old_level)
    for name, level in quiet.items():
        logging.getLogger(name).setLevel(level)


def test_no_log_line_holds_an_identity_a_body_a_receipt_or_a_passphrase(world, api_client, captured):
    public = Client()
    refused = public.post("/report/", {"unit": world.unit.code, "subject": SECRET_SUBJECT, "body": ""})
    assert refused.status_code == 422
    filed = public.post(
        "/report/",
        {
            "unit": world.unit.code,
            "person": world.principal.username,
            "subject": SECRET_SUBJECT,
            "body": SECRET_BODY,
            "name": SECRET_NAME,
            "contact": SECRET_CONTACT,
            "passphrase": PASSPHRASE,
        },
    )
    assert filed.status_code == 201, filed.content.decode()[:1500]
    receipt = re.search(r'data-testid="receipt"[^>]*>([^<]+)<', filed.content.decode()).group(1)
    by_api = api_client.post(
        "/api/v1/public/reports",
        {
            "unit": world.unit.code,
            "subject": SECRET_SUBJECT,
            "body": SECRET_BODY,
            "anonymous": False,
            "name": SECRET_NAME,
            "contact": SECRET_CONTACT,
        },
    )
    assert by_api.status_code == 201
    api_receipt, api_passphrase = by_api.json()["receipt"], by_api.json()["passphrase"]
    report = Report.objects.order_by("pk").first()
    handler = Client()
    handler.force_login(world.admin)
    assert SECRET_BODY in handler.get(f"/reports/{report.pk}/").content.decode()
    assert handler.post(f"/reports/{report.pk}/reply/", {"body": QUESTION}).status_code == 302
    assert (
        public.post(
            "/report/follow-up/", {"receipt": receipt, "passphrase": "猜错的密码一二三四"}
        ).status_code
        == 404
    )
    answered = public.post(
        "/report/follow-up/", {"receipt": receipt, "passphrase": PASSPHRASE, "body": ANSWER}
    )
    assert QUESTION in answered.content.decode()
    opened = handler.post(f"/reports/{report.pk}/case/", {"handlers": [world.admin.pk], "deadline": ""})
    assert opened.status_code == 302
    revealed = handler.post(f"/reports/{report.pk}/identity/", {"reason": REASON})
    assert SECRET_NAME in revealed.content.decode()
    report.refresh_from_db()
    closed = handler.post(
        f"/reports/cases/{report.case_id}/close/", {"outcome": "verified", "reason": "查证属实"}
    )
    assert closed.status_code == 302
    assert (
        api_client.post(
            "/api/v1/public/reports/follow-up", {"receipt": api_receipt, "passphrase": api_passphrase}
        ).json()["messages"]
        == []
    )

    logged = "\n".join(captured.lines)
    assert "INSERT" in logged and "/report/" in logged  # SQL and requests were captured at all
    secrets = {
        SECRET_NAME,
        SECRET_CONTACT,
        SECRET_BODY,
        SECRET_SUBJECT,
        PASSPHRASE,
        QUESTION,
        ANSWER,
        receipt,
        receipt.replace("-", ""),
        api_receipt,
        api_passphrase,
    }
    leaked = sorted(secret for secret in secrets if secret in logged)
    assert leaked == [], leaked
