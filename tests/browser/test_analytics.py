"""成效分析 (issue 15, SPEC §11): the commission admin opens it from the navigation and reads the reform's
effect in the before/after chart — drawn by the app's own ECharts — and in the table behind it; on a 390 px
phone nothing overflows."""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import expect

from .conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def aw(world):
    from zhiheng.analytics.tests.conftest import build_analytics_world
    from zhiheng.core import clock

    with clock.frozen(clock.at(dt.date(2013, 1, 10), 9)):
        return build_analytics_world(world)


def open_analytics(page, live_server, aw):
    errors = []  # a script refused by the Content-Security-Policy, or failing, is logged as an error
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    # The live server's first page loads its templates and static files: on a busy machine, more than the
    # default 10 s. Later steps keep the default.
    page.goto(f"{live_server.url}/accounts/login/", timeout=60_000)
    login(page, live_server, aw.admin.username)
    page.locator("[data-testid=nav-analytics-testdistrict]").click()
    expect(page.locator("h1")).to_have_text("成效分析 · 测试区")
    chart = page.locator("[data-testid=chart-before-after]")
    expect(chart.locator("[data-chart][data-ready]")).to_be_visible()
    expect(chart.locator("canvas")).to_have_count(1)
    assert errors == []
    return chart


def test_the_commission_admin_reads_before_and_after_from_the_navigation(page, live_server, aw):
    chart = open_analytics(page, live_server, aw)
    headline = page.locator("[data-testid=analytics-headline]")
    expect(headline).to_contain_text("改革前")
    expect(headline).to_contain_text("改革后")
    table = chart.locator("[data-testid=table-before-after]")
    expect(table).to_be_visible()  # the first chart's table is open
    row = table.locator("tbody tr", has_text="测试局")
    expect(row).to_contain_text("2012-01-02")
    expect(row.locator("td").nth(2)).to_have_text("4")  # four matters before the reform
    with page.expect_download() as download:
        chart.locator("[data-testid=export-before-after]").click()
    assert download.value.suggested_filename.endswith(".xlsx")


def test_analytics_fits_a_390_px_phone(page, live_server, aw):
    page.set_viewport_size({"width": 390, "height": 800})
    page.goto(f"{live_server.url}/accounts/login/", timeout=60_000)  # the first page warms the server
    login(page, live_server, aw.admin.username)
    page.goto(f"{live_server.url}/analytics/?district=testdistrict")
    chart = page.locator("[data-testid=chart-before-after] [data-chart][data-ready]")
    expect(chart).to_be_visible()
    assert chart.bounding_box()["width"] <= 390
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
