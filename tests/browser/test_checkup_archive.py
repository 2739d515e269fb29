"""R-GATE-3 in the browser (issue 16): on the demo, 江北区's commission admin goes from a candidate's check-up
page to their integrity archive 廉政档案 — declarations, exams, the opinion and the complaint checked and
found unsubstantiated, newest first, with a count per category — filters it to one category, writes a
reminder talk into it, and opens the district's list of categories from the check-up's index. The pages fit
a 390 px phone. Screenshots at 1440 and 390 px go to docs/screenshots/checkup-archive[-scheme]-<width>.png."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from zhiheng.accounts.models import Person
from zhiheng.demo.tests.snapshot import restore_demo
from zhiheng.org.tests.factories import PASSWORD

from .conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = "docs/screenshots"
ADMIN = "jiangbei-admin"
CANDIDATE = "jb-fsz-deputy1"


@pytest.fixture
def demo(db):
    restore_demo()
    admin = Person.objects.get(username=ADMIN)  # the test settings hash with MD5 only: the suite's password
    admin.set_password(PASSWORD)
    admin.save(update_fields=["password"])


def _shoot(page, name: str) -> None:
    for width in (1440, 390):
        page.set_viewport_size({"width": width, "height": 900})
        if width == 390:  # nothing wider than the phone
            page.wait_for_function("document.documentElement.scrollWidth <= 390", timeout=5_000)
        page.screenshot(path=f"{SHOTS}/checkup-{name}-{width}.png", full_page=True)
    page.set_viewport_size({"width": 1440, "height": 900})


def test_the_commission_reads_a_candidates_archive_and_writes_into_it(page, live_server, demo):
    page.goto(f"{live_server.url}/accounts/login/", timeout=60_000)
    login(page, live_server, ADMIN)
    page.goto(f"{live_server.url}/checkup/people/{CANDIDATE}/")
    expect(page.locator("[data-testid=archive-outline]")).to_contain_text("廉政考试 1 场")
    page.click("[data-testid=archive-link]")
    expect(page.locator("h1")).to_contain_text("廉政档案")
    rows = page.locator("[data-testid=archive-rows]")
    expect(rows).to_contain_text("征地补偿中优亲厚友")
    expect(rows).to_contain_text("任前廉政考试（首考）：86 分，合格")
    expect(rows).to_contain_text("廉政意见：无异议")
    expect(page.locator("[data-testid=archive-counts]")).to_contain_text("信访举报")

    page.locator("[data-testid=archive-counts] a", has_text="家庭财产").click()
    expect(page.locator("[data-testid=archive-rows] > li")).to_have_count(2)  # income and the home
    expect(page.locator("[data-testid=archive-rows]")).not_to_contain_text("征地补偿")
    page.click("[data-testid=archive-all]")

    form = page.locator("[data-testid=archive-form]")
    form.locator("select[name=kind]").select_option(label="谈话提醒、批评教育及函询")
    form.locator("input[name=occurred_on]").fill("2026-11-20")
    form.locator("input[name=title]").fill("任职前集体廉政谈话")
    form.locator("textarea[name=body]").fill("拟任前由区纪委进行集体廉政谈话，本人作表态发言。")
    form.locator("button[type=submit]").click()
    expect(page.locator(".messages")).to_contain_text("已记入廉政档案")
    expect(page.locator("[data-testid=archive-rows] > li").first).to_contain_text("任职前集体廉政谈话")
    expect(page.locator("[data-testid=archive-counts]")).to_contain_text("违纪处理")
    _shoot(page, "archive")

    page.goto(f"{live_server.url}/checkup/")
    page.click("[data-testid=archive-scheme-jiangbei]")
    expect(page.locator("h1")).to_contain_text("廉政档案类别")
    expect(page.locator("[data-testid=archive-scheme-table]")).to_contain_text("查无实据及澄清正名")
    text = page.locator("textarea[name=text]")
    text.fill(text.input_value() + "\n坏的一行")
    page.locator("[data-testid=archive-scheme-form] button[type=submit]").click()
    expect(page.locator("[data-testid=archive-scheme-errors]")).to_contain_text("第 33 行")
    expect(page.locator("textarea[name=text]")).to_have_value(re.compile("坏的一行"))
    _shoot(page, "archive-scheme")
