"""Journey (issue #6): a full meeting from agenda to sealed minutes. The principal's statement control is
locked (R-MTG-3) until every other present member has spoken, and a forced early POST is refused."""

import re

import pytest
from playwright.sync_api import expect

from .conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def logout(page):
    page.click("button:has-text('退出')")
    page.wait_for_url(re.compile(r".*/accounts/login/.*|.*/$"))


def state_as(page, live_server, person, room_url, position="agree", reason="理由充分，同意"):
    login(page, live_server, person.username)
    page.goto(room_url)
    form = page.locator("[data-testid=item-1] [data-testid=statement-form]")
    form.locator(f"input[name=position][value={position}]").check()
    form.locator("textarea[name=reason]").fill(reason)
    form.locator("[data-testid=statement-submit]").click()
    page.wait_for_selector("[data-testid=item-1] [data-testid=my-statement]")
    logout(page)


def test_meeting_from_agenda_to_sealed_minutes(page, live_server, world):
    w = world
    login(page, live_server, w.principal.username)
    page.goto(f"{live_server.url}/org/units/{w.unit.code}/")
    page.click("text=集体决策会议（三重一大）")
    create = page.locator("[data-testid=create-meeting]")
    create.locator("select[name=kind]").select_option("office")
    create.locator("input[name=title]").fill("局长办公会")
    create.locator("button[type=submit]").click()
    page.wait_for_url(re.compile(r".*/meetings/\d+/$"))
    room_url = page.url

    items = page.locator("[data-testid=item-form]")
    items.locator("input[name=title]").fill("购置执法车辆")
    items.locator("select[name=presenter]").select_option(w.deputy.username)
    items.locator("button[type=submit]").click()
    page.click("text=登记出席 / 列席（R-MTG-1）")
    attendance = page.locator("[data-testid=attendance-form]")
    for person in (w.principal, w.deputy, w.deputy2, w.deputy3, w.inspector):
        attendance.locator(f"input[name=present][value={person.username}]").check()
    attendance.locator("button[type=submit]").click()
    expect(page.locator("[data-testid=attendance] tr[data-role=member]")).to_have_count(4)
    expect(page.locator("[data-testid=attendance] tr[data-role=inspector]")).to_have_count(1)

    # The principal's control is visibly locked, citing R-MTG-3 ...
    item = page.locator("[data-testid=item-1]")
    locked = item.locator("[data-testid=statement-locked]")
    expect(locked).to_have_attribute("data-rule", "R-MTG-3")
    expect(locked).to_contain_text("末位表态")
    assert item.locator("[data-testid=statement-submit]").is_disabled()
    # ... and forcing the POST anyway is refused with R-MTG-3.
    item_id = re.search(r"item-(\d+)", item.get_attribute("id")).group(1)
    forced = page.evaluate(
        """async ([url]) => {
            const token = document.querySelector('input[name=csrfmiddlewaretoken]').value;
            const body = new URLSearchParams({position: 'agree', reason: '我先说', csrfmiddlewaretoken: token});
            const r = await fetch(url, {method: 'POST', body});
            return [r.status, await r.text()];
        }""",
        [f"{room_url}items/{item_id}/state/"],
    )
    assert forced[0] == 409 and "R-MTG-3" in forced[1]
    logout(page)

    state_as(page, live_server, w.deputy, room_url)
    state_as(page, live_server, w.deputy3, room_url, "disagree", "车辆型号超标")
    state_as(page, live_server, w.deputy2, room_url)

    login(page, live_server, w.principal.username)
    page.goto(room_url)
    statements = page.locator("[data-testid=item-1] [data-testid=statements] li")
    expect(statements).to_have_count(3)
    assert [statements.nth(i).get_attribute("data-member") for i in range(3)] == [
        w.deputy.username,
        w.deputy3.username,
        w.deputy2.username,
    ]
    form = page.locator("[data-testid=item-1] [data-testid=statement-form]")
    form.locator("input[name=position][value=agree]").check()
    form.locator("textarea[name=reason]").fill("同意多数意见，按标准配置")
    form.locator("[data-testid=statement-submit]").click()
    page.wait_for_selector("[data-testid=item-1] [data-testid=my-statement]")
    page.click("[data-testid=close-form] button")
    page.wait_for_url(re.compile(r".*/minutes/$"))
    minutes = page.locator("[data-testid=minutes]")
    decision = page.locator("[data-testid=minutes-decision]")
    expect(decision).to_have_attribute("data-decision", "passed")
    expect(decision).to_contain_text("决定：通过")
    expect(page.locator("[data-testid=minutes-decision]")).to_contain_text("同意 3")
    expect(minutes).to_contain_text("已封存")
    assert "subject=meeting:" in page.get_attribute("[data-testid=ledger-link]", "href")


def test_inspection_group_walks_into_an_open_meeting(page, live_server, world):
    """R-SUP-2: the district's inspection member opens an open meeting, sees only its door, registers as
    an observer with the button, then reads the agenda without any statement control."""
    import datetime as dt

    from zhiheng.core import clock
    from zhiheng.meetings import services
    from zhiheng.org.tests.factories import DistrictRoleFactory, PersonFactory

    w = world
    walker = PersonFactory(username="t-inspection", name="督察组成员")
    DistrictRoleFactory(person=walker, district=w.district, role="inspection", start=dt.date(2012, 1, 1))
    meeting = services.create_meeting(
        by=w.principal,
        unit=w.unit,
        kind="office",
        date=clock.today(),
        items=[{"title": "购置执法车辆", "presenter": w.deputy}],
    )
    login(page, live_server, walker.username)
    page.goto(f"{live_server.url}/meetings/inspection/")
    page.click(f"a[href='/meetings/{meeting.pk}/']")
    page.wait_for_url(f"**/meetings/{meeting.pk}/")
    page.locator("[data-testid=observe]").wait_for()
    expect(page.locator("text=购置执法车辆")).to_have_count(0)
    page.click("[data-testid=observe]")
    page.wait_for_selector("[data-testid=item-1]")
    expect(page.locator("[data-testid=attendance] tr[data-role=observer]")).to_have_count(1)
    expect(page.locator("[data-testid=statement-form]")).to_have_count(0)
