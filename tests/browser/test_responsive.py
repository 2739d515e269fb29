"""Issue 13 item 4: on a 390 px phone nothing is wider than the screen, and the main menu collapses behind a
toggle that opens it (bound in zhiheng.js: the Content-Security-Policy refuses inline script).

Walked on the demo, as the commission admin, a unit's principal and its inspector, over the pages with the
widest tables and forms."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from playwright.sync_api import expect

from zhiheng.accounts.models import Person
from zhiheng.demo.tests.snapshot import restore_demo
from zhiheng.matters.models import Matter
from zhiheng.meetings.models import Meeting
from zhiheng.org.tests.factories import PASSWORD

from .conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
PAGES = {
    "jiangbei-admin": [
        "/",
        "/org/districts/jiangbei/",
        "/powers/districts/jiangbei/board/",
        "/powers/districts/jiangbei/config/",
        "/matters/districts/jiangbei/rules/",
        "/meetings/rules/districts/jiangbei/",
        "/warnings/",
        "/ledger/",
    ],
    "jb-gsj-principal": [
        "/",
        "/org/units/jb-gsj/",
        "/matters/units/jb-gsj/",
        "/matters/units/jb-gsj/new/",
        "/matters/units/jb-gsj/rules/",
        "/meetings/units/jb-gsj/",
        "/powers/units/jb-gsj/",
        "/powers/units/jb-gsj/plans/",
        "/matters/inbox/",
    ],
    "jb-gsj-inspector": ["/", "/warnings/", "/ledger/", "/meetings/units/jb-gsj/"],
}


@pytest.fixture
def demo(db):
    restore_demo()
    for username in PAGES:  # the test settings hash with MD5 only: give the personas the suite's password
        person = Person.objects.get(username=username)
        person.set_password(PASSWORD)
        person.save(update_fields=["password"])
    matter = Matter.objects.filter(unit__code="jb-gsj").order_by("-pk").first()
    meeting = Meeting.objects.filter(unit__code="jb-gsj", state="sealed").order_by("-pk").first()
    extra = [f"/matters/{matter.pk}/"]
    if meeting is not None:
        extra += [f"/meetings/{meeting.pk}/", f"/meetings/{meeting.pk}/minutes/"]
    return extra


def fits(page, path: str) -> None:
    """Nothing wider than the phone: waits for late layout (charts), then names the widest element."""
    try:
        page.wait_for_function("document.documentElement.scrollWidth <= 390", timeout=5_000)
    except PlaywrightTimeout:  # report what overflows rather than a bare timeout
        culprit = page.evaluate(
            """() => [...document.querySelectorAll('body *')]
                 .filter(e => e.getBoundingClientRect().right > 391)
                 .slice(-3).map(e => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right))"""
        )
        width = page.evaluate("document.documentElement.scrollWidth")
        pytest.fail(f"{path} is {width} px wide at 390 px: {culprit}")


def test_every_key_page_fits_a_390_px_phone_and_the_menu_opens(page, live_server, demo):
    """One demo build (the slow part) for both checks."""
    check_every_key_page_fits(page, live_server, demo)
    page.context.clear_cookies()
    check_the_menu_collapses_on_a_phone_and_stays_open_on_a_desktop(page, live_server)


def check_every_key_page_fits(page, live_server, demo) -> None:
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.set_viewport_size(PHONE)
    for username, paths in PAGES.items():
        page.context.clear_cookies()
        login(page, live_server, username)
        for path in paths + (demo if username == "jb-gsj-principal" else []):
            page.goto(f"{live_server.url}{path}")
            expect(page.locator("main h1").first).to_be_visible()
            fits(page, path)
        page.screenshot(path=f"test-artifacts/responsive-{username}-390.png", full_page=True)
    assert errors == [], errors  # a script refused by the CSP is logged as an error


def check_the_menu_collapses_on_a_phone_and_stays_open_on_a_desktop(page, live_server) -> None:
    login(page, live_server, "jiangbei-admin")
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/org/districts/jiangbei/")
    toggle = page.locator("[data-testid=nav-toggle]")
    menu = page.locator("[data-testid=mainnav]")
    expect(toggle).to_be_visible()
    expect(toggle).to_have_attribute("aria-expanded", "false")
    expect(menu).to_be_hidden()
    expect(page.locator("[data-testid=breadcrumbs]")).to_contain_text("江北区")

    toggle.click()
    expect(menu).to_be_visible()
    expect(toggle).to_have_attribute("aria-expanded", "true")
    fits(page, "the open menu")
    page.screenshot(path="test-artifacts/responsive-menu-open-390.png", full_page=True)
    page.locator("[data-testid=nav-warnings]").click()
    expect(page).to_have_url(re.compile(r"/warnings/$"))
    expect(menu).to_be_hidden()  # a new page starts with the menu closed
    expect(page.locator("[data-testid=breadcrumbs]")).to_contain_text("风险预警")

    page.set_viewport_size({"width": 1440, "height": 900})
    expect(toggle).to_be_hidden()
    expect(menu).to_be_visible()
    expect(page.locator("[data-testid=nav-warnings]")).to_have_attribute("aria-current", "page")
