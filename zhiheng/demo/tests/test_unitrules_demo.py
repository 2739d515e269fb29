"""The demo's unit rules (R-PIL-2, issue 18 part 2): 区安监局 with sixteen rules in four groups, 区市政园林局 with
eight (two adopted from Jiangbei's model rules), one rule revised into a second version — read through the
API the way an integration would."""

from __future__ import annotations

import pytest

from zhiheng.org.models import Membership
from zhiheng.unitrules.models import Rule

from .test_riskregister_demo import _get, demo

pytestmark = pytest.mark.django_db
__all__ = ["demo"]


def test_the_work_safety_bureau_has_16_rules_and_the_parks_bureau_8(demo, client):
    for code, count, groups in (("jb-ajj", 16, 4), ("jb-szyl", 8, 4)):
        staff = Membership.objects.filter(unit__code=code, role="staff").first().person
        body = _get(client, staff, f"/api/v1/units/{code}/rules?limit=100").json()
        assert body["count"] == count, code
        assert set(body["items"][0]) == {"code", "title", "version", "adopted", "powers"}
        assert len(set(Rule.objects.filter(unit__code=code).values_list("group", flat=True))) == groups


def test_one_rule_has_two_versions_and_two_came_from_the_library(demo, client):
    principal = demo.teams["jb-ajj"].principal
    rule = _get(client, principal, "/api/v1/units/jb-ajj/rules/AJ-01").json()
    assert rule["version"] == 2 and rule["versions"][1]["meeting"] is not None
    diff = _get(client, principal, "/api/v1/units/jb-ajj/rules/AJ-01/diff").json()
    assert diff["inserted"] == 1 and diff["deleted"] == 1
    admin = demo.admins["jiangbei"]
    library = _get(client, admin, "/api/v1/districts/jiangbei/model-rules").json()
    assert library["count"] >= 3
    adopted = Rule.objects.filter(unit__code="jb-szyl", model__isnull=False)
    assert adopted.count() == 2 and all(r.versions.get().meeting is not None for r in adopted)
