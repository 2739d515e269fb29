"""Pages: home shows my units; district and unit pages by persona; admins manage teams in Chinese UI."""

import pytest

from zhiheng.org.models import Role

pytestmark = pytest.mark.django_db


def test_login_page_is_chinese(client):
    html = client.get("/accounts/login/").content.decode()
    assert "登录制衡平台" in html and 'lang="zh-hans"' in html


def test_english_is_available(client, world):
    client.force_login(world.deputy)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert 'lang="en"' in client.get("/").content.decode()


def test_home_requires_login(client):
    assert client.get("/").status_code == 302


def test_home_lists_my_units(client, world):
    client.force_login(world.staff)
    html = client.get("/").content.decode()
    assert "测试局" in html and "另一局" not in html


@pytest.mark.parametrize(("persona", "status"), [("admin", 200), ("other_admin", 404), ("principal", 404)])
def test_district_page_is_for_its_admins(client, world, persona, status):
    client.force_login(getattr(world, persona))
    assert client.get("/org/districts/testdistrict/").status_code == status


@pytest.mark.parametrize(
    ("persona", "status"),
    [("admin", 200), ("principal", 200), ("staff", 200), ("outsider", 404), ("other_admin", 404)],
)
def test_unit_page_by_persona(client, world, persona, status):
    client.force_login(getattr(world, persona))
    assert client.get("/org/units/t-unit/").status_code == status


def test_only_admin_sees_management_forms(client, world):
    client.force_login(world.principal)
    assert "登记任职" not in client.get("/org/units/t-unit/").content.decode()
    client.force_login(world.admin)
    assert "登记任职" in client.get("/org/units/t-unit/").content.decode()


def test_admin_creates_unit_from_the_district_page(client, world):
    client.force_login(world.admin)
    response = client.post(
        "/org/districts/testdistrict/", {"code": "t-web", "name": "网页局", "kind": "subdistrict"}
    )
    assert response.status_code == 302
    assert world.district.units.filter(code="t-web", kind="subdistrict").exists()


def test_second_principal_from_the_page_shows_the_rule(client, world):
    client.force_login(world.admin)
    response = client.post(
        "/org/units/t-unit/appoint/",
        {"person": world.outsider.pk, "role": Role.PRINCIPAL, "start": "2014-01-01"},
    )
    assert response.status_code == 409
    assert "R-ORG-2" in response.content.decode()


def test_non_admin_cannot_post_management_forms(client, world):
    client.force_login(world.principal)
    response = client.post(
        "/org/units/t-unit/appoint/", {"person": world.outsider.pk, "role": Role.STAFF, "start": "2014-01-01"}
    )
    assert response.status_code == 404
    assert not world.unit.memberships.filter(person=world.outsider).exists()


def test_change_principal_from_the_page(client, world):
    client.force_login(world.admin)
    response = client.post(
        "/org/units/t-unit/principal/", {"person": world.deputy2.pk, "on": "2016-01-01", "title": "局长"}
    )
    assert response.status_code == 302
    assert world.unit.memberships.get(role=Role.PRINCIPAL, end__isnull=True).person == world.deputy2


def test_an_english_browser_still_gets_chinese_until_english_is_chosen(client, world):
    client.force_login(world.deputy)
    html = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert 'lang="zh-hans"' in html
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert 'lang="en"' in client.get("/", HTTP_ACCEPT_LANGUAGE="zh-CN").content.decode()


def test_a_malformed_form_is_refused_with_422_and_changes_nothing(client, world):
    client.force_login(world.admin)
    response = client.post(
        "/org/units/t-unit/appoint/", {"person": world.outsider.pk, "role": "emperor", "start": "x"}
    )
    assert response.status_code == 422
    assert 'data-rule="validation"' in response.content.decode()
    assert not world.unit.memberships.filter(person=world.outsider).exists()
