"""Journey (issue 14, R-SUP-1): the principal opens the month's financial detail report from the 工作台,
downloads the Excel export, acknowledges the report and sees their name among those who did."""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import expect

from zhiheng.supervision.models import Acknowledgement

from .conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def last_month(world):
    """The world's unit with two expenditures decided last month (the live server runs on the real clock)
    and last month's report issued."""
    from zhiheng.core import clock
    from zhiheng.matters.tests.conftest import DAY, build_matters_world
    from zhiheng.supervision import months, services
    from zhiheng.supervision.tests.conftest import decided

    with clock.frozen(clock.at(DAY)):
        w = build_matters_world(world)
    month = months.previous(clock.today())
    decided(w, "办公用品采购", "1200.00", at=clock.at(month + dt.timedelta(days=2), 10), line=w.office)
    decided(w, "慰问品", "3000.00", at=clock.at(month + dt.timedelta(days=9), 15))
    w.report, _new = services.issue_report(unit=w.unit, month=month)
    return w


def test_the_principal_opens_exports_and_acknowledges_the_months_report(page, live_server, last_month):
    w = last_month
    login(page, live_server, w.principal.username)
    tile = page.locator("[data-testid=tile-principal-t-unit-monthly-reports]")
    expect(tile).to_contain_text("待确认的月度财务明细")
    expect(tile.locator(".wb-count")).to_have_text("1")
    tile.click()

    expect(page.locator("h1")).to_contain_text("财务明细汇报")
    expect(page.locator("[data-testid=report-body]")).to_contain_text("慰问品")
    expect(page.locator("[data-testid=ack-t-principal]")).to_contain_text("未确认")

    with page.expect_download() as download:
        page.click("[data-testid=export-xlsx]")
    assert download.value.suggested_filename.endswith("财务明细汇报.xlsx")

    page.click("[data-testid=acknowledge]")
    row = page.locator("[data-testid=ack-t-principal]")
    expect(row).to_contain_text("张一把")
    expect(row).to_contain_text("已确认")
    expect(page.locator("[data-testid=acknowledge]")).to_have_count(0)
    expect(page.locator("[data-testid=ack-panel]")).to_contain_text("已确认 1/5")
    assert Acknowledgement.objects.filter(report=w.report, person=w.principal).count() == 1
