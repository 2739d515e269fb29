"""Journey (issue #4): the principal drafts a plan giving finance to themself, sees the R-DIV-4 violation
live, fixes it, files it; the commission admin sees the unit as filed on the district's board."""

import datetime as dt

import pytest
from playwright.sync_api import expect

from zhiheng.powers import selectors, services
from zhiheng.powers.seed import ensure_seeded

from .conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

POWERS = [
    ("finance", "财务收支审批", "finance"),
    ("procurement", "物资采购", "procurement"),
    ("personnel", "干部人事任免", "personnel"),
    ("general", "综合事务", "general"),
]


@pytest.fixture
def setup(world):
    ensure_seeded()  # an earlier transactional test's flush empties the data migration's rows
    for code, name, category in POWERS:
        services.save_power(
            by=None,
            unit=world.unit,
            code=code,
            name=name,
            category=category,
            flowchart=[{"step": "受理", "role": "经办人", "output": "受理单"}],
        )
    services.set_unit_policy(
        by=None,
        unit=world.unit,
        template=selectors.latest_template("jiangbei-3x"),
        in_force_from=dt.date(2012, 1, 1),
    )
    services.add_incompatible_pair(by=None, district=world.district, first="finance", second="procurement")
    services.set_deadline(
        by=None,
        district=world.district,
        label="本年度分工方案报送",
        opens_on=dt.date(2020, 1, 1),
        due=dt.date(2099, 12, 31),
    )
    return world


def test_principal_fixes_and_files_a_plan_and_the_admin_sees_it(page, live_server, setup):
    w = setup
    login(page, live_server, w.principal.username)
    page.goto(f"{live_server.url}/org/units/{w.unit.code}/")
    page.click("[data-testid=powers-links] >> text=分工方案")
    page.click("[data-testid=new-plan]")
    page.select_option("select[name=power-finance]", w.principal.username)
    page.select_option("select[name=power-procurement]", w.deputy2.username)
    page.select_option("select[name=power-personnel]", w.deputy3.username)
    violation = page.locator("#violations li[data-kind=restricted_to_principal]")
    violation.wait_for()
    expect(violation).to_contain_text("一把手不得直接分管")
    expect(page.locator("#violations")).to_contain_text("R-DIV-4")
    page.select_option("select[name=power-finance]", w.deputy.username)
    page.locator("[data-testid=plan-ok]").wait_for()
    page.click("text=保存草稿")
    expect(page.locator("[data-testid=plan-status]")).to_have_text("草稿")
    page.click("[data-testid=file-plan]")
    expect(page.locator("[data-testid=plan-status]")).to_have_text("已报送")
    assert selectors.deputy_in_charge(w.unit, selectors.get_power(w.unit, "finance")) == w.deputy

    page.click("text=退出")
    login(page, live_server, w.admin.username)
    page.goto(f"{live_server.url}/org/units/{w.unit.code}/")
    page.click("text=分工方案报送情况")
    expect(page.locator("tr[data-unit=t-unit][data-status=filed]")).to_have_count(1)
    expect(page.locator("tr[data-unit=t-other][data-status=missing]")).to_have_count(1)
    expect(page.locator("[data-testid=count-filed]")).to_have_text("1")


@pytest.fixture
def x_setup(world):
    ensure_seeded()
    for code, name, category in [
        *POWERS,
        ("construction", "工程建设管理", "construction"),
        ("approval", "行政审批", "admin_approval"),
    ]:
        services.save_power(by=None, unit=world.unit, code=code, name=name, category=category)
    services.set_unit_policy(
        by=None,
        unit=world.unit,
        template=selectors.latest_template("jiangbei-3x"),
        x_categories=["construction"],
        in_force_from=dt.date(2012, 1, 1),
    )
    return world


def test_the_admin_changes_a_units_x_choice_and_sees_the_restricted_list_change(page, live_server, x_setup):
    w = x_setup
    login(page, live_server, w.admin.username)
    page.goto(f"{live_server.url}/org/districts/{w.district.code}/")
    page.click("[data-testid=powers-district-links] >> text=政策模板与分工配置")
    page.click(f"tr[data-unit={w.unit.code}] >> text=调整")
    # count() does not wait: on a slow run it would read the page being left behind
    page.wait_for_url(f"**/powers/units/{w.unit.code}/policy/")
    restricted = page.locator("[data-testid=restricted-list]")
    restricted.wait_for()
    expect(restricted.locator("li[data-power=construction]")).to_have_count(1)
    expect(restricted.locator("li[data-power=approval]")).to_have_count(0)
    page.uncheck("input[name=x_categories][value=construction]")
    page.check("input[name=x_categories][value=admin_approval]")
    # htmx preview: what the new choice would restrict, before anything is recorded
    page.locator("[data-testid=policy-preview] li[data-power=approval]").wait_for()
    expect(page.locator("[data-testid=policy-preview] li[data-power=construction]")).to_have_count(0)
    page.click("[data-testid=policy-save]")
    page.locator("text=已记录").wait_for()
    expect(restricted.locator("li[data-power=approval]")).to_have_count(1)
    expect(restricted.locator("li[data-power=construction]")).to_have_count(0)
    expect(page.locator("[data-testid=policy-history] tbody tr")).to_have_count(2)
    assert selectors.is_restricted(selectors.get_power(w.unit, "approval"))
