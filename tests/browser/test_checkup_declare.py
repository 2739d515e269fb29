"""R-GATE-2 in the browser (issue 16): a person files their own 廉情申报 on the page. From their check-up page
they open the form, start from last year's declaration, add a row with 增加一行 (htmx), tick 无 for an
item, mistype an amount (the page comes back with everything typed kept and the error beside the field)
and file; their check-up page then says the version, the risk score and the checks found. Screenshots of
the filled form at 1440 and 390 px go to docs/screenshots/checkup-declare-<width>.png; at 390 px the page
is no wider than the screen (the tables scroll inside themselves)."""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import expect

from zhiheng.checkup import sealing
from zhiheng.checkup.models import Declaration
from zhiheng.checkup.tests.gates import declare
from zhiheng.core import clock

from .conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = "docs/screenshots"
YEAR = clock.today().year


def _shoot(page, name: str) -> None:
    for width in (1440, 390):
        page.set_viewport_size({"width": width, "height": 900})
        if width == 390:
            # nothing but the tables' own boxes scrolls sideways on a phone
            page.wait_for_function("document.documentElement.scrollWidth <= 390", timeout=5_000)
        page.screenshot(path=f"{SHOTS}/checkup-{name}-{width}.png", full_page=True)
    page.set_viewport_size({"width": 1440, "height": 900})


def test_the_person_fills_in_and_files_their_declaration(page, live_server, world):
    with clock.frozen(clock.at(dt.date(YEAR - 1, 6, 1), 10)):
        declare(world.deputy)  # last year's, a clean one: 城南路1号 and a salary of 200,000
    page.goto(f"{live_server.url}/accounts/login/", timeout=60_000)
    login(page, live_server, world.deputy.username)
    page.click("[data-testid=my-checkup]")
    page.click("[data-testid=declare]")
    expect(page.locator("h1")).to_contain_text("填报廉情申报")
    expect(page.locator("[data-testid=year]")).to_have_value(str(YEAR))

    # last year's declaration as the draft: opening it is a read in the ledger
    page.click("[data-testid=base-last-year]")
    expect(page.locator("[data-testid=started]")).to_contain_text(f"已以 {YEAR - 1} 年度申报")
    expect(page.locator("[name=real_estate-0-address]")).to_have_value("城南路1号")
    expect(page.locator("[name=businesses-none]")).to_be_checked()

    page.fill("[name=salary]", "210,000")
    page.fill("[name=real_estate-1-owner]", "配偶")
    page.fill("[name=real_estate-1-address]", "江北区观音桥步行街3号")
    page.fill("[name=real_estate-1-area]", "88.5")
    page.fill("[name=real_estate-1-value]", "1,350,000")
    # 增加一行: htmx puts one blank row under the two there are (last year's 无 unticked first)
    page.uncheck("[name=family_employment-none]")
    page.click("[data-testid=add-family_employment]")
    page.fill("[name=family_employment-2-relation]", "女儿")
    page.fill("[name=family_employment-2-name]", "李小雨")
    page.fill("[name=family_employment-2-employer]", "重庆某医院")
    page.fill("[name=family_employment-2-post]", "护士")
    page.check("[name=passports-none]")
    expect(page.locator("[data-testid=rows-passports]")).to_be_hidden()  # 无 folds the item
    _shoot(page, "declare")

    page.uncheck("[name=labour_income-none]")  # 无 last year; this year an article
    page.fill("[name=labour_income-0-source]", "某杂志社")
    page.fill("[name=labour_income-0-amount]", "三千")  # not a number: refused in place, nothing lost
    page.click("[data-testid=declare-submit]")
    expect(page.locator("[data-testid=declare-errors]")).to_contain_text("已填写的内容都已保留")
    expect(page.locator("#item-labour_income .errorlist")).to_be_visible()
    expect(page.locator("[name=real_estate-1-address]")).to_have_value("江北区观音桥步行街3号")
    expect(page.locator("[name=family_employment-2-name]")).to_have_value("李小雨")
    assert not Declaration.objects.filter(year=YEAR).exists()
    page.fill("[name=labour_income-0-amount]", "3,000")

    page.click("[data-testid=declare-submit]")
    expect(page.locator(".messages")).to_contain_text(f"已提交 {YEAR} 年度廉情申报（第 1 版）")
    expect(page.locator(".messages")).to_contain_text("风险分")
    expect(page.locator("[data-testid=declarations]")).to_contain_text(str(YEAR))
    (filed,) = Declaration.objects.filter(year=YEAR)
    items = sealing.unseal(filed.sealed_items)
    assert items["salary"] == "210000.00" and items["passports"] == []
    assert items["labour_income"] == [{"source": "某杂志社", "amount": "3000.00"}]
    assert items["real_estate"][1] == {
        "owner": "配偶",
        "address": "江北区观音桥步行街3号",
        "area": "88.5",
        "value": "1350000.00",
    }
    assert items["family_employment"] == [
        {"relation": "女儿", "name": "李小雨", "employer": "重庆某医院", "post": "护士"}
    ]
