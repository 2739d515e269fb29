"""The language menu names each language in its own name, whatever the interface language."""

import re

import pytest
from django.conf import settings

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("current", ["zh-hans", "en"])
def test_language_menu_shows_each_language_in_its_own_name(client, world, current):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = current
    client.force_login(world.staff)
    page = client.get(f"/org/units/{world.unit.code}/").content.decode()
    menu = re.search(r'<select name="language"[^>]*>(.*?)</select>', page, re.S)
    assert menu is not None
    options = re.findall(r'<option value="([^"]+)"( selected)?>([^<]*)</option>', menu.group(1))
    assert [(code, name) for code, _s, name in options] == [("zh-hans", "简体中文"), ("en", "English")]
    assert [code for code, selected, _n in options if selected] == [current]
    assert "英语" not in page
