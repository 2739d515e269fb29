"""Journey (issue #2): a commission admin logs in, sees the district's units, opens a unit's team."""

import pytest
from playwright.sync_api import expect

from .conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_commission_admin_sees_units_and_opens_a_team(page, live_server, world):
    login(page, live_server, world.admin.username)
    # The navigation's link to the district (the 工作台 names the district too, in its section's heading).
    page.locator(f"header a[href='/org/districts/{world.district.code}/']").first.click()
    table = page.locator("[data-testid=unit-table]")
    expect(table.locator("text=测试局")).to_have_count(1)
    expect(table.locator("text=另一局")).to_have_count(1)
    table.locator("text=测试局").click()
    team = page.locator("[data-testid=team-table]")
    expect(team.locator("tr[data-role=principal]")).to_have_count(1)
    expect(team.locator("tr[data-role=deputy]")).to_have_count(3)
    expect(team).to_contain_text("张一把")


def test_outsider_sees_no_unit(page, live_server, world):
    login(page, live_server, world.outsider.username)
    expect(page.locator("[data-testid=unit-table]")).to_contain_text("暂无可见单位")
    response = page.goto(f"{live_server.url}/org/units/{world.unit.code}/")
    assert response.status == 404
