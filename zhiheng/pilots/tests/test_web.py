"""The pages through HTTP: the district's list and the programme's page in Chinese, forms only for the
commission, a refused write showing its rule, a 422 keeping what was typed."""

from __future__ import annotations

import pytest

from zhiheng.core import clock
from zhiheng.org.tests.factories import PASSWORD
from zhiheng.pilots import services

from .conftest import DAY, day

pytestmark = pytest.mark.django_db


@pytest.fixture
def web(pw, client):
    with clock.frozen(clock.at(DAY, 10)):
        yield client


def _as(client, person):
    client.login(username=person.username, password=PASSWORD)
    return client


def test_the_commission_sees_the_forms_and_the_principal_only_the_programme(pw, web):
    services.set_phase(by=pw.admin, programme=pw.programme, name="动员教育", start=day(1))
    page = _as(web, pw.admin).get(f"/pilots/{pw.programme.pk}/").content.decode()
    assert "试点阶段" in page and "动员教育" in page and 'data-testid="set-phase"' in page
    assert 'data-testid="add-unit"' in page and 'data-testid="record-visit"' in page
    listing = web.get("/pilots/districts/testdistrict/").content.decode()
    assert "一把手不直接分管试点" in listing and 'data-testid="create"' in listing
    page = _as(web, pw.principal).get(f"/pilots/{pw.programme.pk}/").content.decode()
    assert (
        "动员教育" in page and 'data-testid="set-phase"' not in page and 'data-testid="add-unit"' not in page
    )
    assert "一把手不直接分管试点" in web.get("/pilots/units/t-unit/").content.decode()
    assert _as(web, pw.staff).get(f"/pilots/{pw.programme.pk}/").status_code == 404


def test_a_refused_write_shows_the_rule(pw, web):
    response = _as(web, pw.principal).post(f"/pilots/{pw.programme.pk}/units/", {"unit": "t-other"})
    assert response.status_code == 403 and "R-PIL-1" in response.content.decode()


def test_each_form_writes_and_a_refused_date_stays_on_the_form(pw, web):
    admin = _as(web, pw.admin)
    pk = pw.programme.pk
    created = admin.post("/pilots/districts/testdistrict/", {"name": "第二批试点", "units": ["t-other"]})
    assert created.status_code == 302
    assert admin.post(f"/pilots/{pk}/units/", {"unit": "t-third"}).status_code == 302
    bad = admin.post(f"/pilots/{pk}/phases/", {"name": "动员教育", "start": str(day(-3))})
    assert bad.status_code == 422 and str(day(-3)) in bad.content.decode()
    assert admin.post(f"/pilots/{pk}/phases/", {"name": "动员教育", "start": str(DAY)}).status_code == 302
    assert admin.post(f"/pilots/{pk}/phases/", {"name": "正式实施", "start": str(day(5))}).status_code == 302
    visit = {"on": str(DAY), "units": ["t-unit"], "visitors": "区纪委督查组", "findings": "动员会已召开"}
    assert admin.post(f"/pilots/{pk}/visits/", visit).status_code == 302
    with clock.frozen(clock.at(day(6), 10)):
        assert admin.post(f"/pilots/{pk}/rollout/", {"on": str(day(10)), "template": ""}).status_code == 302
        page = admin.get(f"/pilots/{pk}/").content.decode()
    assert "动员会已召开" in page and 'data-testid="rollout-units"' in page
