from __future__ import annotations

import pytest
from django.core.cache import cache

from zhiheng.reports import services

from .samples import SECRET_BODY, SECRET_CONTACT, SECRET_NAME, SECRET_SUBJECT


@pytest.fixture(autouse=True)
def fresh_limits_and_keys(settings, tmp_path):
    """Each test starts with empty rate-limit windows and a key file of its own."""
    settings.REPORTS_KEY_FILE = str(tmp_path / "reports-keys")
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def filed(world):
    """A named report about the unit that names its principal, and an anonymous one about the other unit."""
    world.named = services.receive(
        by=None,
        channel="web",
        subject=SECRET_SUBJECT,
        body=SECRET_BODY,
        unit=world.unit.code,
        person=world.principal.username,
        anonymous=False,
        name=SECRET_NAME,
        contact=SECRET_CONTACT,
    )
    world.anon = services.receive(
        by=None, channel="web", subject="另一件事", body="匿名反映情况", unit=world.other_unit.code
    )
    return world
