"""The reporting channel in the browser (R-SUP-3, issue 17): a citizen, without an account, files anonymously
about a unit and writes down the receipt and passphrase (no cookie is set); the district commission's
admin finds the report under 信访举报, opens a case and asks a question; the citizen comes back in a fresh
browser with the receipt, reads the question and answers; the admin reads the answer and closes the case
with an outcome and reasons. The unit's principal never sees any of it. Screenshots at 1440 and 390 px go
to docs/screenshots/reports-<page>-<width>.png."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.cache import cache
from playwright.sync_api import expect

from zhiheng.core import clock
from zhiheng.reports.models import Case, Report

from .conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = "docs/screenshots"
QUESTION = "您好，您反映的情况已收到。请问这三笔采购是哪几天签的合同？"
ANSWER = "大约是9月18日、9月29日和10月10日，公示栏里贴过。"
REASON = "经初核，三笔采购确属同一供应商、金额均略低于集体研究标准，线索移送区监委审查调查室。"


@pytest.fixture(autouse=True)
def fresh_limits_and_keys(settings, tmp_path):
    """Empty rate-limit windows, and a key file of the test's own (the live server shares the settings)."""
    settings.REPORTS_KEY_FILE = str(tmp_path / "reports-keys")
    cache.clear()
    yield
    cache.clear()


def _shoot(page, name: str) -> None:
    for width in (1440, 390):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=f"{SHOTS}/reports-{name}-{width}.png", full_page=True)
        # nothing wider than the screen: the page itself never scrolls sideways
        if width == 390:
            assert page.evaluate("document.documentElement.scrollWidth") <= width, name
    page.set_viewport_size({"width": 1440, "height": 900})


def _citizen(browser):
    """A fresh browser of the citizen's own: nothing shared with the handler's, nor with the last visit."""
    context = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai")
    context.set_default_timeout(10_000)
    return context


def test_a_citizen_reports_anonymously_and_answers_the_handlers_question(browser, page, live_server, world):
    # The way in for anyone: the login page links to the public form.
    page.goto(f"{live_server.url}/accounts/login/", timeout=60_000)
    expect(page.locator("[data-testid=public-report-form]")).to_have_attribute("href", "/report/")
    _shoot(page, "login")

    # 1. The citizen files anonymously about the unit, and writes down the receipt and passphrase.
    citizen = _citizen(browser)
    form = citizen.new_page()
    form.goto(f"{live_server.url}/report/")
    expect(form.locator("h1")).to_have_text("我要举报")
    form.select_option("#id_unit", world.unit.code)
    form.fill("#id_subject", "绿化养护采购疑似拆分")
    form.fill("#id_body", "同一家公司三笔合同，每笔都略低于五万元，前后只隔十来天。")
    expect(form.locator("#id_anonymous")).to_be_checked()
    _shoot(form, "form")
    form.click("[data-testid=submit-report]")
    expect(form.locator("h1")).to_have_text("举报已受理")
    receipt = form.locator("[data-testid=receipt]").inner_text().strip()
    passphrase = form.locator("[data-testid=passphrase]").inner_text().strip()
    assert len(receipt.split("-")) == 5 and len(passphrase) >= 10
    _shoot(form, "receipt")
    assert citizen.cookies() == []
    citizen.close()
    report = Report.objects.get()
    assert report.anonymous and report.sealed_identity is None and report.recorded_by is None

    # 2. The commission's admin finds it under 信访举报, opens a case and asks a question.
    login(page, live_server, world.admin.username)
    page.click("[data-testid=nav-reports]")
    expect(page.locator("h1")).to_contain_text("信访举报")
    expect(page.locator(f"[data-testid=report-{report.pk}]")).to_contain_text("网上举报")
    _shoot(page, "list")
    page.click(f"[data-testid=report-{report.pk}] a")
    expect(page.locator("h1")).to_have_text("绿化养护采购疑似拆分")
    expect(page.locator("[data-testid=report-status]")).to_have_text("已受理")
    _shoot(page, "report")
    deadline = clock.today() + dt.timedelta(days=30)
    page.fill("[data-testid=case-form] input[name=deadline]", deadline.isoformat())
    page.click("[data-testid=open-case]")
    expect(page.locator("[data-testid=case]")).to_contain_text("办理中")
    page.fill("[data-testid=reply-form] textarea", QUESTION)
    page.click("[data-testid=reply]")
    expect(page.locator("[data-testid=conversation]")).to_contain_text(QUESTION)
    _shoot(page, "detail")

    # 3. The citizen comes back, in a fresh browser, with what they wrote down; reads the question, answers.
    citizen = _citizen(browser)
    back = citizen.new_page()
    back.goto(f"{live_server.url}/report/")
    back.click("text=查询答复")
    expect(back.locator("h1")).to_have_text("查询答复")
    _shoot(back, "follow-up-start")
    back.fill("#id_receipt", receipt.lower().replace("-", " "))  # as typed from a note: any case, any spacing
    back.fill("#id_passphrase", passphrase)
    back.click("[data-testid=follow-up]")
    expect(back.locator("[data-testid=conversation]")).to_contain_text(QUESTION)
    expect(back.locator("[data-testid=report-status]")).to_contain_text("已立案办理")
    back.fill("#id_body", ANSWER)
    _shoot(back, "follow-up")
    back.click("[data-testid=follow-up]")
    expect(back.locator("[data-testid=conversation]")).to_contain_text(ANSWER)
    _shoot(back, "answered")
    assert citizen.cookies() == []
    citizen.close()

    # 4. The admin reads the answer and closes the case with an outcome and reasons.
    page.reload()
    expect(page.locator("[data-testid=conversation]")).to_contain_text(ANSWER)
    page.select_option("[data-testid=close-form] select[name=outcome]", label="线索移送")
    page.fill("[data-testid=close-form] textarea[name=reason]", REASON)
    page.click("[data-testid=close-case]")
    expect(page.locator("main")).to_contain_text("已办结")  # the report's page, or its case's
    expect(page.locator("main")).to_contain_text("线索移送")
    expect(page.locator("main")).to_contain_text(REASON)
    _shoot(page, "closed")
    case = Case.objects.get()
    assert (case.status, case.outcome) == ("closed", "lead_transferred")
    assert list(case.handlers.all()) == [world.admin]

    # 5. The unit's principal gets no trace of it: no 信访举报 in the navigation, the report's page is a 404.
    page.context.clear_cookies()
    login(page, live_server, world.principal.username)
    expect(page.locator("[data-testid=mainnav]")).not_to_contain_text("信访举报")
    assert page.locator("[data-testid=nav-reports]").count() == 0
    assert page.goto(f"{live_server.url}/reports/{report.pk}/").status == 404
    assert page.goto(f"{live_server.url}/reports/").status in (200, 404)
    expect(page.locator("body")).not_to_contain_text("绿化养护")
