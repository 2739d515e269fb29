"""Journey (issue #2): a commission admin logs in, sees the district's units, opens a unit's team."""

import pytest

from .conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_commission_admin_sees_units_and_opens_a_team(page, live_server, world):
    login(page, live_server, world.admin.username)
    page.click(f"text={world.district.name}")
    table = page.locator("[data-testid=unit-table]")
    assert table.locator("text=测试局").count() == 1
    assert table.locator("text=另一局").count() == 1
    table.locator("text=测试局").click()
    team = page.locator("[data-testid=team-table]")
    assert team.locator("tr[data-role=principal]").count() == 1
    assert team.locator("tr[data-role=deputy]").count() == 3
    assert "张一把" in team.inner_text()


def test_outsider_sees_no_unit(page, live_server, world):
    login(page, live_server, world.outsider.username)
    assert "暂无可见单位" in page.inner_text("[data-testid=unit-table]")
    response = page.goto(f"{live_server.url}/org/units/{world.unit.code}/")
    assert response.status == 404
