"""A GET on a page that only takes a POST (a button's action) answers 405 with a Chinese page and a way
back, never a blank page; the status and the Allow header stay."""

import pytest

pytestmark = pytest.mark.django_db


def test_get_on_a_post_only_action_renders_a_chinese_page(client, world):
    client.force_login(world.staff)
    r = client.get("/warnings/999/resolve/", HTTP_REFERER="http://testserver/warnings/")
    assert r.status_code == 405 and r["Allow"] == "POST"
    page = r.content.decode()
    assert 'data-testid="not-allowed"' in page and "此操作需从页面按钮提交" in page
    assert '<a class="btn" href="http://testserver/warnings/" data-testid="not-allowed-back">' in page
    assert "<html" in page


def test_the_way_back_never_leaves_the_site(client, world):
    client.force_login(world.staff)
    r = client.get("/warnings/999/resolve/", HTTP_REFERER="https://evil.example/")
    assert r.status_code == 405
    page = r.content.decode()
    assert "evil.example" not in page
    assert '<a class="btn" href="/" data-testid="not-allowed-back">' in page  # the home page instead


def test_the_api_keeps_its_own_answer(client, world):
    client.force_login(world.staff)
    r = client.delete("/api/v1/me")
    assert r.status_code == 405
    assert "此操作需从页面按钮提交" not in r.content.decode()
