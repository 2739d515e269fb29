"""Journey (issue #3): a commission admin opens the ledger, runs a verification, follows an entry's proof."""

import pytest
from playwright.sync_api import expect

from zhiheng import ledger
from zhiheng.ledger import services

from .conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_admin_verifies_the_ledger_and_checks_an_entry(page, live_server, world):
    for i in range(3):
        ledger.record(
            "ledger.note", by=world.deputy, unit=world.unit.code, subject="matter:42", payload={"i": i}
        )
    services.issue_checkpoint(reason="meeting-closed")
    login(page, live_server, world.admin.username)
    page.goto(f"{live_server.url}/ledger/?subject=matter:42")
    expect(page.locator("[data-testid=verification-status]")).to_contain_text("尚未验证")
    page.click("text=立即完整验证")
    expect(page.locator("[data-testid=verification-status]")).to_contain_text("通过")
    expect(page.locator("[data-testid=checkpoints]")).to_contain_text("会议闭会")
    page.locator("[data-testid=entries] a", has_text="1").first.click()
    expect(page.locator("[data-testid=proof]")).to_contain_text("已验证")


def test_inspector_cannot_open_another_units_entry(page, live_server, world):
    entry = ledger.record("ledger.note", unit=world.other_unit.code)
    login(page, live_server, world.inspector.username)
    response = page.goto(f"{live_server.url}/ledger/entries/{entry.index}/")
    assert response.status == 404
