"""Browser tests: Playwright driving Debian's chromium (/usr/bin/chromium) — never a downloaded browser.

Skipped, with how to install it, where chromium is missing; `.ci/run` installs it, so CI always runs them.
Use the `page` fixture and `login(page, live_server, username)`; people come from the `world` persona
fixture (password factories.PASSWORD) or from the demo builder.
"""

from __future__ import annotations

import os
import shutil

import pytest
from playwright.sync_api import expect

from zhiheng.org.tests.factories import PASSWORD

CHROMIUM = os.environ.get("ZHIHENG_CHROMIUM", "/usr/bin/chromium")
# Playwright's sync API runs an event loop in the test thread; the ORM calls made by fixtures are safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(config, items):
    if shutil.which(CHROMIUM) or os.path.exists(CHROMIUM):
        return
    skip = pytest.mark.skip(reason="未安装 chromium：apt-get install -y chromium（或设置 ZHIHENG_CHROMIUM）")
    for item in items:
        if "tests/browser" in str(item.fspath):
            item.add_marker(skip)


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai")
    context.set_default_timeout(10_000)
    # Assertions go through expect(), which retries: a click that navigates returns before the new page
    # is there, and a plain count() or inner_text() would read the page being left (two CI failures).
    expect.set_options(timeout=10_000)
    page = context.new_page()
    yield page
    os.makedirs("test-artifacts", exist_ok=True)
    context.close()


def login(page, live_server, username: str, password: str = PASSWORD) -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    page.wait_for_selector("[data-testid=current-user]")
