"""R-SUP-2 in the browser (issue 14's journey): an inspection group member opens an unannounced check on a
unit from the list page, follows the sample to a matter (the read then appears in the check's read log),
records a finding; the unit's principal finds the rectification item on their 工作台 and answers it; the
group member accepts it (已销号). Screenshots of the list and the check page, per persona, at 1440 and
390 px, go to docs/screenshots/inspections-<persona>[-list]-<width>.png."""

from __future__ import annotations

import datetime as dt
import os

import pytest
from playwright.sync_api import expect

from zhiheng.inspections.models import Finding, Inspection

from .conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = "docs/screenshots"


@pytest.fixture
def iw(world):
    from zhiheng.core import clock
    from zhiheng.inspections.tests.conftest import build_inspections_world

    world.day = clock.today()  # the live server runs on the real clock
    with clock.frozen(clock.at(world.day, 8)):
        return build_inspections_world(world)


def sign_in_as(page, live_server, person) -> None:
    page.context.clear_cookies()
    # The live server's first answer (static files, the URL conf) can be slow on a loaded machine: wait
    # for the sign-in page once with room to spare, then sign in as every journey does.
    page.goto(f"{live_server.url}/accounts/login/", timeout=60_000)
    login(page, live_server, person.username)


def open_check(page, live_server, iw) -> Inspection:
    sign_in_as(page, live_server, iw.checker)
    page.click("[data-testid=nav-inspections]")
    form = page.locator("[data-testid=open-check]")
    form.locator("select[name=unit]").select_option(iw.unit.code)
    form.locator("input[name=days]").fill("20")
    page.click("[data-testid=open-check-submit]")
    expect(page.locator(".messages")).to_contain_text("突击检查已开展")
    expect(page.locator("[data-testid=reproducible]")).to_contain_text("可复现")
    return Inspection.objects.get()


def test_a_check_from_opening_to_an_accepted_rectification(page, live_server, iw):
    check = open_check(page, live_server, iw)
    # Follow the sample to the large matter: the matter opens under the check's grant, and the read is logged.
    page.click(f"[data-testid=sample] [data-testid=record-matter-{iw.large.pk}]")
    expect(page.locator("h1")).to_contain_text("购置办公设备")
    page.go_back()
    page.reload()
    log = page.locator("[data-testid=read-log]")
    expect(log).to_contain_text("购置办公设备")
    expect(log).to_contain_text(iw.checker.name)

    form = page.locator("[data-testid=record-finding]")
    form.locator("input[name=title]").fill("大额采购未经集体决策")
    form.locator("textarea[name=description]").fill("8 万元办公设备由分管副职一人审批")
    form.locator("input[name=rule]").fill("R-MAT-3")
    form.locator("select[name=severity]").select_option("high")
    form.locator("input[name=deadline]").fill((iw.day + dt.timedelta(days=15)).isoformat())
    form.locator(f"input[name=evidence][value='matter:{iw.large.pk}']").check()
    page.click("[data-testid=record-submit]")
    expect(page.locator(".messages")).to_contain_text("检查发现已记录")
    finding = Finding.objects.get()
    item = page.locator(f"[data-testid=finding-{finding.pk}]")
    expect(item.locator("[data-testid=finding-state]")).to_have_text("整改中")

    # The principal: the 工作台 counts the item, the count leads to it, they answer on the check's page.
    sign_in_as(page, live_server, iw.principal)
    tile = page.locator("[data-testid=tile-principal-t-unit-rectify-answer]")
    expect(tile.locator(".wb-count")).to_have_text("1")
    tile.click()
    expect(page.locator("[data-testid=findings-list] tbody tr")).to_have_count(1)
    page.locator(f"[data-testid=item-{finding.pk}] a").click()
    expect(page.locator("[data-testid=log-hidden]")).to_be_visible()  # no sample, no read log while open
    expect(page.locator("[data-testid=read-log]")).to_have_count(0)
    item = page.locator(f"[data-testid=finding-{finding.pk}]")
    item.locator("textarea[name=response]").fill("已补开班子会集体研究，并修订采购审批流程")
    item.locator("[data-testid=answer]").click()
    expect(page.locator(".messages")).to_contain_text("整改情况已答复")
    expect(page.locator(f"[data-testid=finding-{finding.pk}] [data-testid=finding-state]")).to_have_text(
        "待验收"
    )

    # The group member: 待验收的整改 on the 工作台, accept → 已销号.
    sign_in_as(page, live_server, iw.checker)
    tile = page.locator("[data-testid=tile-inspection-testdistrict-rectify-accept]")
    expect(tile.locator(".wb-count")).to_have_text("1")
    tile.click()
    page.locator(f"[data-testid=item-{finding.pk}] a").click()
    item = page.locator(f"[data-testid=finding-{finding.pk}]")
    expect(item.locator("[data-testid=finding-response]")).to_contain_text("修订采购审批流程")
    item.locator("[data-testid=accept]").click()
    expect(page.locator(".messages")).to_contain_text("整改已验收销号")
    expect(page.locator(f"[data-testid=finding-{finding.pk}] [data-testid=finding-state]")).to_have_text(
        "已销号"
    )
    finding.refresh_from_db()
    assert finding.state == "accepted" and check.pk == finding.inspection_id


def test_screenshots_of_the_list_and_the_check_page_per_persona(page, live_server, iw):
    """Each persona's view of the list and of a check with a finding, at 1440 and 390 px; nothing is wider
    than a phone's screen."""
    from zhiheng.inspections import services

    check = services.open_inspection(by=iw.checker, unit=iw.unit)
    services.record_finding(
        by=iw.checker,
        inspection=check,
        title="会议记录缺少副职表态",
        description="2 次局长办公会记录未载明分管副职的意见",
        rule="R-MTG-4",
        severity="medium",
        deadline=iw.day + dt.timedelta(days=20),
        evidence=[{"kind": "meeting", "id": iw.meeting.pk}],
    )
    os.makedirs(SHOTS, exist_ok=True)
    for persona, person in (("inspection", iw.checker), ("admin", iw.admin), ("principal", iw.principal)):
        sign_in_as(page, live_server, person)
        for width in (1440, 390):
            page.set_viewport_size({"width": width, "height": 900})
            for suffix, url in (("-list", "/inspections/"), ("", f"/inspections/{check.pk}/")):
                page.goto(f"{live_server.url}{url}")
                expect(page.locator("h1")).to_be_visible()
                assert page.evaluate("document.documentElement.scrollWidth") <= width, (persona, url, width)
                page.screenshot(path=f"{SHOTS}/inspections-{persona}{suffix}-{width}.png", full_page=True)
