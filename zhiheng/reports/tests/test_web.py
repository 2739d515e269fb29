"""R-SUP-3 pages: the public form and follow-up work without an account or JavaScript and set no cookie;
the handlers' pages are the district commission's only (404 to anyone concerned)."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from zhiheng.ledger.models import Entry
from zhiheng.reports.models import Report


def _file(client: Client, unit: str, **more) -> tuple[str, str]:
    response = client.post(
        "/report/", {"unit": unit, "subject": "反映问题", "body": "某某收受回扣", "anonymous": "on", **more}
    )
    assert response.status_code == 201, response.content.decode()[:2000]
    page = response.content.decode()
    receipt = re.search(r'data-testid="receipt"[^>]*>([^<]+)<', page).group(1)
    passphrase = re.search(r'data-testid="passphrase"[^>]*>([^<]+)<', page).group(1)
    return receipt, passphrase


def test_the_public_form_sets_no_cookie_and_gives_a_grouped_receipt(world):
    client = Client(enforce_csrf_checks=True)
    form = client.get("/report/")
    assert form.status_code == 200 and "我要举报" in form.content.decode()
    assert not form.cookies, form.cookies
    assert "<script" not in form.content.decode()
    receipt, passphrase = _file(client, world.unit.code)
    assert re.fullmatch(r"[0-9A-Z]{4}(-[0-9A-Z]{4}){4}", receipt)
    assert not client.cookies
    followed = client.post("/report/follow-up/", {"receipt": receipt, "passphrase": passphrase})
    assert followed.status_code == 200 and "已受理" in followed.content.decode()
    assert not client.cookies


def test_the_reporter_answers_a_handlers_question(world):
    public = Client()
    receipt, passphrase = _file(public, world.unit.code)
    report = Report.objects.get()
    handler = Client()
    handler.force_login(world.admin)
    assert handler.post(f"/reports/{report.pk}/reply/", {"body": "请问是哪一年？"}).status_code == 302
    page = public.post("/report/follow-up/", {"receipt": receipt, "passphrase": passphrase}).content.decode()
    assert "请问是哪一年？" in page
    public.post("/report/follow-up/", {"receipt": receipt, "passphrase": passphrase, "body": "2025 年"})
    assert "2025 年" in handler.get(f"/reports/{report.pk}/").content.decode()


def test_a_wrong_pair_is_refused_alike(world):
    public = Client()
    receipt, _passphrase = _file(public, world.unit.code)
    wrong = public.post("/report/follow-up/", {"receipt": receipt, "passphrase": "wrong-wrong-wrong"})
    missing = public.post(
        "/report/follow-up/", {"receipt": "0000-0000-0000-0000-0000", "passphrase": "x" * 12}
    )
    assert wrong.status_code == missing.status_code == 404
    assert "查询码或密码不正确" in wrong.content.decode()


def test_the_handler_lists_reads_opens_a_case_reveals_and_closes(world):
    _file(Client(), world.unit.code, anonymous="", name="钱举报人", contact="139")
    report = Report.objects.get()
    handler = Client()
    handler.force_login(world.admin)
    assert f"/reports/{report.pk}/" in handler.get("/reports/").content.decode()
    reads = Entry.objects.filter(event_type="reports.read").count()
    page = handler.get(f"/reports/{report.pk}/").content.decode()
    assert "某某收受回扣" in page and "钱举报人" not in page
    assert Entry.objects.filter(event_type="reports.read").count() == reads + 1
    opened = handler.post(
        f"/reports/{report.pk}/case/", {"deadline": "2099-12-31", "handlers": [world.admin.pk]}
    )
    assert opened.status_code == 302
    revealed = handler.post(f"/reports/{report.pk}/identity/", {"reason": "需要当面核实"})
    assert revealed.status_code == 200 and "钱举报人" in revealed.content.decode()
    case = Report.objects.get().case
    closed = handler.post(f"/reports/cases/{case.pk}/close/", {"outcome": "dismissed", "reason": "查无实据"})
    assert closed.status_code == 302
    assert "予以了结" in handler.get(f"/reports/{report.pk}/").content.decode()


@pytest.mark.parametrize("who", ["principal", "deputy", "inspector", "staff", "other_admin", "outsider"])
def test_nobody_concerned_sees_the_pages(world, who):
    _file(Client(), world.unit.code, person=world.principal.username)
    report = Report.objects.get()
    client = Client()
    client.force_login(getattr(world, who))
    listing = client.get("/reports/")
    assert listing.status_code == 200 and f"/reports/{report.pk}/" not in listing.content.decode()
    for path in ("", "reply/", "case/", "join/", "identity/"):
        response = client.post(f"/reports/{report.pk}/{path}", {"body": "x", "reason": "核实情况"})
        assert response.status_code == 404, (path, response.status_code)


def test_guessing_on_the_page_is_429_without_a_cookie(world, settings):
    settings.REPORTS_GUESSES_PER_WINDOW = 2
    public = Client()
    for _ in range(2):
        wrong = public.post(
            "/report/follow-up/", {"receipt": "0000-0000-0000-0000-0000", "passphrase": "x" * 12}
        )
        assert wrong.status_code == 404
    limited = public.post(
        "/report/follow-up/", {"receipt": "0000-0000-0000-0000-0000", "passphrase": "x" * 12}
    )
    assert limited.status_code == 429 and int(limited["Retry-After"]) > 0
    assert "尝试过于频繁" in limited.content.decode()
    assert not limited.cookies and not public.cookies
