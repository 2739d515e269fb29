"""Journey (issue #5): staff submits matters; the principal finds no way to approve and vetoes one;
the deputy in charge approves another."""

import pytest
from playwright.sync_api import expect

from zhiheng.matters.models import Matter
from zhiheng.matters.tests.conftest import build_matters_world
from zhiheng.risk.models import Warning

from .conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def mw(world):
    return build_matters_world(world)


def submit(page, live_server, title, power, amount):
    page.goto(f"{live_server.url}/matters/units/t-unit/new/")
    form = page.locator("[data-testid=submit-form]")
    form.locator("input[name=title]").fill(title)
    form.locator("select[name=power]").select_option(power)
    form.locator("input[name=amount]").fill(amount)
    form.locator("select[name=budget_line]").select_option("office")
    form.locator("input[name=counterparty]").fill("渝新文具有限公司")
    form.locator("button[type=submit]").click()
    page.wait_for_selector("[data-testid=history]")
    return Matter.objects.get(title=title)


def test_staff_submits_principal_vetoes_deputy_approves(page, live_server, mw):
    login(page, live_server, mw.staff.username)
    first = submit(page, live_server, "采购打印纸", "finance", "3200.00")
    second = submit(page, live_server, "支付水电费", "finance", "8800.00")
    assert first.state == second.state == "submitted"

    page.context.clear_cookies()
    login(page, live_server, mw.principal.username)
    page.goto(f"{live_server.url}/matters/units/t-unit/")
    expect(page.locator(f"tr[data-matter='{first.pk}']")).to_have_count(1)
    page.goto(f"{live_server.url}/matters/{first.pk}/")
    expect(page.locator("[data-testid=approve]")).to_have_count(0)  # no way to approve a restricted matter
    page.fill("[data-testid=veto-reason]", "价格高于市场价，提交班子集体研究")
    page.click("[data-testid=veto]")
    page.wait_for_selector("[data-testid=history]")
    expect(page.locator("[data-testid=state]")).to_contain_text("已否决")

    page.context.clear_cookies()
    login(page, live_server, mw.deputy.username)
    page.goto(f"{live_server.url}/matters/inbox/")
    expect(page.locator("[data-testid=inbox]")).to_contain_text("支付水电费")
    expect(page.locator("[data-testid=inbox]")).not_to_contain_text("采购打印纸")
    page.click("text=支付水电费")
    page.click("[data-testid=approve]")
    page.wait_for_selector("[data-testid=history]")
    expect(page.locator("[data-testid=state]")).to_contain_text("已批准")

    assert Matter.objects.get(pk=first.pk).state == "vetoed"
    assert Matter.objects.get(pk=second.pk).state == "approved"
    assert not Warning.objects.exists()  # vetoing is the principal's right; nothing was attempted


def test_admin_sets_a_units_rules_and_the_unit_sees_where_each_comes_from(page, live_server, mw):
    """R-MAT-3/4/7 configurable: the commission admin overrides the unit's threshold; a wrong value is
    refused field by field; the principal sees the effective rules with their source but no form."""
    from zhiheng.matters.selectors import rules_with_sources

    login(page, live_server, mw.admin.username)
    page.goto(f"{live_server.url}/matters/units/t-unit/rules/")
    form = page.locator("[data-testid=rules-form]")
    form.locator("input[name=collective_threshold]").fill("abc")
    form.locator("[data-testid=save-rules]").click()
    page.wait_for_selector("[data-testid=rule-errors]")
    assert rules_with_sources(mw.unit)[1]["collective_threshold"] == "default"
    form = page.locator("[data-testid=rules-form]")
    form.locator("input[name=collective_threshold]").fill("30000.00")
    form.locator("[data-testid=save-rules]").click()
    page.wait_for_selector("[data-testid=rules-history] tr a")
    row = page.locator("[data-testid=matter-rules] tr[data-field=collective_threshold]")
    expect(row).to_contain_text("30,000.00")
    expect(row.locator("[data-source=unit]")).to_have_count(1)

    page.context.clear_cookies()
    login(page, live_server, mw.principal.username)
    page.goto(f"{live_server.url}/matters/units/t-unit/")
    page.click("[data-testid=effective-rules] summary")
    row = page.locator("[data-testid=effective-rules] tr[data-field=collective_threshold]")
    expect(row).to_contain_text("30,000.00")
    expect(row.locator("[data-source=unit]")).to_have_count(1)
    page.goto(f"{live_server.url}/matters/units/t-unit/rules/")
    expect(page.locator("[data-testid=rules-form]")).to_have_count(0)
