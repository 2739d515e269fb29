"""The API through HTTP: API.md's list exactly, a programme with its visits and actions, each write by the
commission and refused to a pilot unit's principal with R-PIL-1, 404 to everyone who may not know it."""

from __future__ import annotations

import pytest

from zhiheng.core import clock
from zhiheng.pilots.models import Programme

from .conftest import DAY, day

pytestmark = pytest.mark.django_db

LIST = "/api/v1/districts/testdistrict/pilots"


@pytest.fixture
def api(pw, api_client):
    with clock.frozen(clock.at(DAY, 10)):
        yield api_client


def test_the_list_is_api_mds_shape_exactly(pw, api):
    admin = api.as_(pw.admin)
    ok = admin.post(f"/api/v1/pilots/{pw.programme.pk}/phases", {"name": "动员教育", "from": str(day(1))})
    assert ok.status_code == 200, ok.content
    body = admin.get(LIST).json()
    assert body["count"] == 1
    assert body["items"] == [
        {
            "id": pw.programme.pk,
            "name": "一把手不直接分管试点",
            "units": ["t-unit"],
            "phases": [{"name": "动员教育", "from": str(day(1))}],
        }
    ]
    assert api.as_(pw.principal).get(LIST).json()["count"] == 1
    assert api.as_(pw.deputy).get(LIST).json()["count"] == 0  # sees the district, not the programme
    assert api.as_(pw.other_admin).get(LIST).status_code == 404


def test_the_commission_runs_a_pilot_through_the_api(pw, api):
    admin = api.as_(pw.admin)
    created = admin.post(LIST, {"name": "第二批试点", "units": ["t-other"]})
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    assert created.json()["stage"] == "planned" and created.json()["units"] == ["t-other"]
    assert admin.post(f"/api/v1/pilots/{pk}/units", {"unit": "t-third"}).json()["units"] == [
        "t-other",
        "t-third",
    ]
    assert admin.post(f"/api/v1/pilots/{pk}/units/t-third/remove").json()["units"] == ["t-other"]
    for name, n in (("动员教育", 0), ("制定制度", 5), ("正式实施", 10)):
        assert (
            admin.post(f"/api/v1/pilots/{pk}/phases", {"name": name, "from": str(day(n))}).status_code == 200
        )
    visit = {"on": str(DAY), "units": ["t-other"], "visitors": "区纪委督查组", "findings": "动员到位"}
    answer = admin.post(f"/api/v1/pilots/{pk}/visits", visit)
    assert answer.status_code == 201 and answer.json()["visits"][0]["findings"] == "动员到位"
    with clock.frozen(clock.at(day(20), 10)):
        admin = api.as_(pw.admin)  # a token of the day
        # t-other (the pilot unit) follows no policy, so the rollout must be told which template to give
        unnamed = admin.post(f"/api/v1/pilots/{pk}/rollout", {"on": str(day(30))})
        assert unnamed.status_code == 422 and "template" in unnamed.json()["error"]["detail"]["fields"]
        rolled = admin.post(f"/api/v1/pilots/{pk}/rollout", {"on": str(day(30)), "template": "jiangbei-3x"})
        assert rolled.status_code == 200, rolled.content
        assert rolled.json()["rolled_out_on"] == str(day(30))
        assert rolled.json()["rollout_units"] == ["t-third", "t-unit"]
        assert rolled.json()["actions"] == {
            "change_units": False,
            "set_phase": False,
            "record_visit": True,
            "roll_out": False,
        }
        again = admin.post(f"/api/v1/pilots/{pk}/rollout", {"on": str(day(40))})
        assert again.status_code == 409 and again.json()["error"]["rule"] == "R-PIL-1"


def test_refusals_name_the_rule(pw, api):
    pk = pw.programme.pk
    principal = api.as_(pw.principal)
    for path, body in (
        (f"/api/v1/pilots/{pk}/units", {"unit": "t-other"}),
        (f"/api/v1/pilots/{pk}/phases", {"name": "动员教育", "from": str(day(1))}),
        (f"/api/v1/pilots/{pk}/rollout", {"on": str(day(30))}),
        (LIST, {"name": "一把手自己的试点"}),
    ):
        refused = principal.post(path, body)
        assert refused.status_code == 403 and refused.json()["error"]["rule"] == "R-PIL-1", path
    back = api.as_(pw.admin).post(f"/api/v1/pilots/{pk}/phases", {"name": "动员教育", "from": str(day(-1))})
    assert back.status_code == 422 and back.json()["error"]["rule"] == "R-PIL-1"
    early = api.as_(pw.admin).post(f"/api/v1/pilots/{pk}/rollout", {"on": str(day(30))})
    assert early.status_code == 422 and early.json()["error"]["rule"] == "R-PIL-1"
    hidden = api.as_(pw.staff).get(f"/api/v1/pilots/{pk}")
    assert hidden.status_code == 404
    assert Programme.objects.count() == 1
