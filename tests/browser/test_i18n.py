"""Journey: a person switches the interface to English with the header's language menu and back."""

import pytest
from playwright.sync_api import expect

from .conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_language_menu_switches_the_unit_page_to_english_and_back(page, live_server, world):
    login(page, live_server, world.principal.username)
    page.goto(f"{live_server.url}/org/units/{world.unit.code}/")
    expect(page.locator("main")).to_contain_text("领导班子与经办人")

    # The menu submits itself on change (no button): the same page comes back in English.
    with page.expect_navigation():
        page.select_option("select[name=language]", "en")
    assert page.url.endswith(f"/org/units/{world.unit.code}/")
    assert page.locator("html").get_attribute("lang") == "en"
    main = page.inner_text("main")
    assert "Leadership team and staff" in main and "领导班子与经办人" not in main
    expect(page.locator("nav.mainnav")).to_contain_text("Workbench")
    page.screenshot(path="test-artifacts/i18n-unit-en.png", full_page=True)

    with page.expect_navigation():
        page.select_option("select[name=language]", "zh-hans")
    expect(page.locator("main")).to_contain_text("领导班子与经办人")
