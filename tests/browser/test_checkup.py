"""R-GATE-1/2 and RF3 in the browser (issue 16): the commission admin reaches the district's exam bank from
the navigation, imports a bank from Excel (a wrong file first: its rows are named next to the form), draws
a candidate's paper from the candidate's page and sees that its seed draws it again; the candidate, whose
spouse's company is the counterparty of a matter in their inbox, is told on the matter page why they may
not approve it. Screenshots at 1440 and 390 px go to docs/screenshots/checkup-<page>-<width>.png."""

from __future__ import annotations

import io

import pytest
from openpyxl import Workbook
from playwright.sync_api import expect

from zhiheng.checkup.bank_excel import HEADERS
from zhiheng.checkup.tests.gates import declare
from zhiheng.demo.exam_bank import QUESTIONS

from .conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = "docs/screenshots"


def _xlsx(tmp_path, rows, name) -> str:
    book = Workbook()
    sheet = book.active
    sheet.append(HEADERS)
    for row in rows:
        sheet.append(list(row))
    path = tmp_path / name
    buffer = io.BytesIO()
    book.save(buffer)
    path.write_bytes(buffer.getvalue())
    return str(path)


def _shoot(page, name: str) -> None:
    for width in (1440, 390):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=f"{SHOTS}/checkup-{name}-{width}.png", full_page=True)
    page.set_viewport_size({"width": 1440, "height": 900})


def test_the_commission_imports_a_bank_and_draws_a_candidates_paper(page, live_server, world, tmp_path):
    page.goto(f"{live_server.url}/accounts/login/", timeout=60_000)
    login(page, live_server, world.admin.username)
    page.click("[data-testid=nav-checkup]")
    page.click(f"[data-testid=bank-{world.district.code}]")
    expect(page.locator("h1")).to_contain_text("廉政考试题库")

    bad = _xlsx(tmp_path, [*QUESTIONS[:3], ("判断", "党纪法规", 1, "题干", "", "也许")], "bad.xlsx")
    page.set_input_files("[data-testid=bank-import] input[type=file]", bad)
    page.click("[data-testid=bank-import] button[type=submit]")
    expect(page.locator("[data-testid=bank-errors]")).to_contain_text("判断题答案应为“对”或“错”")
    expect(page.locator("[data-testid=bank-questions]")).to_contain_text("题库中还没有题目")

    page.set_input_files(
        "[data-testid=bank-import] input[type=file]", _xlsx(tmp_path, QUESTIONS, "bank.xlsx")
    )
    page.click("[data-testid=bank-import] button[type=submit]")
    expect(page.locator(".messages")).to_contain_text(f"已导入 {len(QUESTIONS)} 道题目")
    _shoot(page, "bank")

    page.goto(f"{live_server.url}/checkup/people/{world.deputy.username}/")
    page.click("[data-testid=paper-form] >> xpath=ancestor::details/summary")
    page.click("[data-testid=paper-form] button[type=submit]")
    expect(page.locator("[data-testid=paper-reproduces]")).to_be_visible()
    expect(page.locator("[data-testid=paper-questions] > li")).to_have_count(20)
    _shoot(page, "paper")


def test_the_deputy_is_told_why_they_may_not_approve_a_declared_counterparty(page, live_server, world):
    from zhiheng.core import clock
    from zhiheng.matters import services as matters
    from zhiheng.matters.tests.conftest import build_matters_world

    with clock.frozen(clock.at(clock.today(), 8)):
        w = build_matters_world(world)
        declare(w.deputy, businesses=[{"owner": "配偶", "name": "重庆某文具有限公司", "role": "股东"}])
        matter = matters.submit(
            by=w.staff,
            unit=w.unit,
            power=w.power["finance"],
            title="购买打印纸",
            amount="1200.00",
            counterparty="重庆某文具有限公司",
            budget_line=w.office,
        )
    page.goto(f"{live_server.url}/accounts/login/", timeout=60_000)
    login(page, live_server, w.deputy.username)
    page.goto(f"{live_server.url}/matters/{matter.pk}/")
    expect(page.locator("[data-testid=declared-ties]")).to_contain_text("RF3")
    expect(page.locator("[data-testid=approve]")).to_have_count(0)
    expect(page.locator("[data-testid=refer]")).to_be_visible()
    _shoot(page, "rf3-matter")
