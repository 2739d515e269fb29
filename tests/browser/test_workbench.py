"""Journeys (issue 13 item 7): each role logs in, reads its 工作台 (a chart drawn by the app's own ECharts),
follows a count to the filtered list behind it, and acts on one item there."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from zhiheng.matters.models import Matter
from zhiheng.meetings.models import Attendance
from zhiheng.risk.models import Warning

from .conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def wb(world):
    from zhiheng.core import clock
    from zhiheng.workbench.tests.conftest import build_matters_world, populate

    today = clock.today()  # the live server runs on the real clock: the stories happen in the last weeks
    with clock.frozen(clock.at(today, 8)):
        w = build_matters_world(world)
        populate(w, today)
    return w


def read_workbench(page, live_server, username, section):
    errors = []  # a script refused by the Content-Security-Policy, or failing, is logged as an error
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    login(page, live_server, username)
    expect(page.locator(f"[data-testid=wb-{section}]")).to_be_visible()
    expect(page.locator(f"[data-testid=wb-{section}] [data-chart][data-ready]").first).to_be_visible()
    assert errors == []
    return page.locator(f"[data-testid=wb-{section}]")


def test_charts_fit_a_390_px_phone(page, live_server, wb):
    page.set_viewport_size({"width": 390, "height": 800})
    section = read_workbench(page, live_server, wb.principal.username, "principal-t-unit")
    chart = section.locator("[data-chart][data-ready]").first
    expect(chart.locator("canvas")).to_have_count(1)
    assert chart.bounding_box()["width"] <= 390
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # nothing overflows the page
    section.locator("details.wb-table summary").first.click()  # the chart's table, for who cannot see it
    expect(section.locator("details.wb-table table").first).to_be_visible()


def test_commission_admin_follows_high_warnings_and_resolves_one(page, live_server, wb):
    section = read_workbench(page, live_server, wb.admin.username, "admin-testdistrict")
    expect(section.locator("[data-testid=admin-waits]")).to_contain_text("采购执法记录仪")
    tile = section.locator("[data-testid=tile-admin-testdistrict-warnings-high]")
    # RF1 (the principal's refused attempt) and RF5: the world decides 采购执法记录仪 "collectively" with a
    # meeting reference no sealed meeting holds, which is exactly the irregularity RF5 names.
    expect(tile.locator(".wb-count")).to_have_text("2")
    tile.click()
    row = page.locator("[data-testid=warnings] tbody tr", has_text="试图对不直接分管的事项执行")
    row.locator("select[name=status]").select_option("explained")
    row.locator("input[name=note]").fill("已约谈一把手，说明系误操作")
    row.locator("button[type=submit]").click()
    expect(page.locator(".messages")).to_contain_text("预警已处理")
    assert Warning.objects.get(rule="RF1").status == "explained"


def test_principal_follows_submitted_matters_and_vetoes_one(page, live_server, wb):
    section = read_workbench(page, live_server, wb.principal.username, "principal-t-unit")
    expect(section).not_to_contain_text("试图对不直接分管的事项执行")  # never the warnings about themself
    expect(section.locator("[data-testid=principal-vetoes]")).to_contain_text("购买茶叶")
    section.locator("[data-testid=tile-principal-t-unit-state-submitted]").click()
    row = page.locator(f"tr[data-matter='{wb.waiting.pk}']")
    expect(row).to_be_visible()
    expect(page.locator("[data-testid=matters] tbody tr")).to_have_count(2)  # only the submitted ones
    row.locator("a").first.click()
    page.fill("[data-testid=veto-reason]", "租金高于同类会议室，提交班子集体研究")
    page.click("[data-testid=veto]")
    expect(page.locator("[data-testid=state]")).to_contain_text("已否决")
    assert Matter.objects.get(pk=wb.waiting.pk).state == "vetoed"


def test_deputy_follows_the_inbox_count_and_approves(page, live_server, wb):
    section = read_workbench(page, live_server, wb.deputy.username, "deputy-t-unit")
    expect(section.locator("[data-testid=deputy-inbox]")).to_contain_text("支付会议室租金")
    expect(section.locator("[data-testid=deputy-powers]")).to_contain_text("财务")
    section.locator("[data-testid=tile-deputy-t-unit-inbox-decide]").click()
    inbox = page.locator("[data-testid=inbox]")
    expect(inbox).to_contain_text("支付会议室租金")
    inbox.locator("text=支付会议室租金").click()
    page.click("[data-testid=approve]")
    expect(page.locator("[data-testid=state]")).to_contain_text("已批准")
    assert Matter.objects.get(pk=wb.waiting.pk).state == "approved"


def test_inspector_follows_the_principals_attempts_and_records_a_case(page, live_server, wb):
    section = read_workbench(page, live_server, wb.inspector.username, "inspector-t-unit")
    expect(section.locator("[data-testid=inspector-rf1]")).to_contain_text("试图对不直接分管的事项执行")
    expect(section.locator("[data-testid=inspector-meetings]")).to_contain_text("党委")
    section.locator("[data-testid=tile-inspector-t-unit-rf1]").click()
    table = page.locator("[data-testid=warnings]")
    expect(table).to_contain_text("RF1")
    table.locator("select[name=status]").select_option("case_opened")
    table.locator("input[name=note]").fill("移交区纪委核查")
    table.locator("button[type=submit]").click()
    expect(page.locator(".messages")).to_contain_text("预警已处理")
    assert Warning.objects.get(rule="RF1").status == "case_opened"


def test_staff_sees_what_each_matter_waits_for_and_withdraws_one(page, live_server, wb):
    section = read_workbench(page, live_server, wb.staff.username, "staff-t-unit")
    row = section.locator(f"[data-testid=staff-matters] tr[data-matter='{wb.waiting.pk}']")
    expect(row).to_contain_text("待分管副职 李副甲 审批")
    expect(section.locator(f"tr[data-matter='{wb.cosign_matter.pk}']")).to_contain_text(
        "待会签：王副乙、李副甲、陈纪检"
    )
    section.locator("[data-testid=tile-staff-t-unit-mine-state-submitted]").click()
    expect(page.locator(f"tr[data-matter='{wb.waiting.pk}']")).to_be_visible()
    page.locator(f"tr[data-matter='{wb.waiting.pk}'] a").first.click()
    page.locator("[data-testid=actions] button", has_text="撤回").click()
    expect(page.locator("[data-testid=state]")).to_contain_text("已撤回")
    assert Matter.objects.get(pk=wb.waiting.pk).state == "withdrawn"


def test_inspection_group_follows_the_open_meetings_and_walks_in(page, live_server, wb):
    section = read_workbench(page, live_server, wb.group.username, "inspection-testdistrict")
    expect(section.locator("[data-testid=inspection-units]")).to_contain_text("另一局")
    section.locator("[data-testid=tile-inspection-testdistrict-observable]").click()
    expect(page.locator("main")).to_contain_text("测试局")
    page.goto(f"{live_server.url}/")
    page.click(f"[data-testid=observe-{wb.meeting.pk}]")
    expect(page.locator(".messages")).to_contain_text("已登记为列席")
    assert Attendance.objects.filter(meeting=wb.meeting, person=wb.group, role="observer").exists()


def test_principal_follows_their_vetoes_to_the_matters_they_vetoed(page, live_server, wb):
    """Issue 13 QA: a count leads to exactly the matters it counts (here and below)."""
    section = read_workbench(page, live_server, wb.principal.username, "principal-t-unit")
    section.locator("[data-testid=tile-principal-t-unit-vetoes]").click()
    expect(page.locator("[data-testid=vetoed-filter]")).to_be_visible()
    expect(page.locator(f"tr[data-matter='{wb.vetoed.pk}']")).to_be_visible()
    expect(page.locator("[data-testid=matters] tbody tr")).to_have_count(1)


def test_inspector_is_told_of_co_signatures_and_follows_what_awaits_the_team(page, live_server, wb):
    section = read_workbench(page, live_server, wb.inspector.username, "inspector-t-unit")
    expect(section.locator("[data-testid=inspector-cosign]")).to_contain_text("采购执法记录仪")
    expect(section.locator("[data-testid=inspector-cosign] [data-testid=next-step]")).to_have_text("会签")
    section.locator("[data-testid=tile-inspector-t-unit-collective]").click()
    expect(page.locator("[data-testid=awaiting-filter]")).to_be_visible()
    expect(page.locator(f"tr[data-matter='{wb.vetoed.pk}']")).to_be_visible()
    expect(page.locator("[data-testid=matters] tbody tr")).to_have_count(1)
