from __future__ import annotations

import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def fresh_limits_and_keys(settings, tmp_path):
    """Each test starts with empty rate-limit windows and a key file of its own."""
    settings.REPORTS_KEY_FILE = str(tmp_path / "reports-keys")
    cache.clear()
    yield
    cache.clear()
