"""The demo's pilot programme (R-PIL-1, issue 18 part 1): Jiangbei's eight pilot units through 动员教育 →
制定制度 → 正式实施 from 10 August, the commission's two visits in July and August, then the district-wide
rollout — read through the API the way an integration would; and the analytics compare exactly those eight
with the rest."""

from __future__ import annotations

import pytest

from zhiheng.accounts.services import issue_token
from zhiheng.analytics import selectors as analytics
from zhiheng.demo.context import TERMS_START
from zhiheng.demo.data import DISTRICTS
from zhiheng.demo.tests.snapshot import restore_demo
from zhiheng.org.models import Unit

pytestmark = pytest.mark.django_db

YEAR = TERMS_START.year  # the seed's 2012
EIGHT = {"jb-fgw", "jb-fgj", "jb-szyl", "jb-ajj", "jb-hbj", "jb-gsj", "jb-wld", "jb-fsz"}


@pytest.fixture
def demo(db):
    return restore_demo()


def _get(client, username, path):
    token = issue_token(username=username, password="zhiheng-demo")
    return client.get(path, HTTP_AUTHORIZATION=f"Bearer {token}")


def test_jiangbeis_eight_unit_pilot_through_its_phases_visits_and_rollout(demo, client):
    body = _get(client, "jiangbei-admin", "/api/v1/districts/jiangbei/pilots").json()
    assert body["count"] == 1
    (pilot,) = body["items"]
    assert set(pilot) == {"id", "name", "units", "phases"}
    assert set(pilot["units"]) == EIGHT and len(pilot["units"]) == 8
    assert [p["name"] for p in pilot["phases"]] == ["动员教育", "制定制度", "正式实施"]
    assert pilot["phases"][2] == {"name": "正式实施", "from": f"{YEAR}-08-10"}
    detail = _get(client, "jiangbei-admin", f"/api/v1/pilots/{pilot['id']}").json()
    assert [v["on"][:7] for v in detail["visits"]] == [f"{YEAR}-07", f"{YEAR}-08"]
    assert all(set(v["units"]) == EIGHT for v in detail["visits"])
    assert detail["rolled_out_on"] == f"{YEAR + 1}-01-01" and detail["stage"] == "rolled_out"
    jiangbei = {u.code for d in DISTRICTS if d.code == "jiangbei" for u in d.units}
    assert set(detail["rollout_units"]) == jiangbei - EIGHT


def test_the_pilot_units_principal_sees_it_and_nanchuan_does_not(demo, client):
    principal = demo.teams["jb-fsz"].principal.username
    assert _get(client, principal, "/api/v1/districts/jiangbei/pilots").json()["count"] == 1
    assert _get(client, "nanchuan-admin", "/api/v1/districts/jiangbei/pilots").status_code == 404


def test_the_analytics_compare_the_programmes_units(demo):
    ids = list(Unit.objects.filter(district__code="jiangbei").values_list("pk", flat=True))
    codes = set(Unit.objects.filter(pk__in=analytics.pilot_unit_ids(ids)).values_list("code", flat=True))
    assert codes == EIGHT
