"""The demo's risk register (R-GATE-6, issue 18 part 3): Yongchuan's 区财政局 and 朱沱镇 registers, published
inside the units, one regrade with its reason, one required review, one review overdue — read through the
API the way an integration would."""

from __future__ import annotations

import pytest

from zhiheng.accounts.services import issue_token
from zhiheng.demo.tests.snapshot import restore_demo
from zhiheng.org.models import Membership
from zhiheng.riskregister import selectors
from zhiheng.riskregister.models import RiskPoint

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(db):
    return restore_demo()


def _get(client, person, path):
    token = issue_token(username=person.username, password="zhiheng-demo")
    return client.get(path, HTTP_AUTHORIZATION=f"Bearer {token}")


def test_two_yongchuan_units_publish_a_graded_register(demo, client):
    for code in ("yc-czj", "yc-ztz"):
        points = RiskPoint.objects.filter(unit__code=code)
        assert points.count() >= 5, code
        assert set(points.values_list("status", flat=True)) == {"published"}
        assert len(set(points.values_list("type", flat=True))) >= 4, code
        assert {"A", "B"} <= set(points.values_list("grade", flat=True)), code
        staff = Membership.objects.filter(unit__code=code, role="staff").first().person
        body = _get(client, staff, f"/api/v1/units/{code}/risk-points").json()
        assert body["count"] == points.count()
        assert {"power", "type", "grade", "measures"} <= set(body["items"][0])


def test_a_regrade_with_its_reason_a_required_review_and_an_overdue_one(demo):
    regraded = RiskPoint.objects.get(unit__code="yc-czj", revisions__action="point_regraded")
    revision = regraded.revisions.get(action="point_regraded")
    assert revision.reason and revision.old_grade != revision.grade
    assert RiskPoint.objects.filter(unit__code="yc-czj", review_required_at__isnull=False).count() == 1
    admin = demo.admins["yongchuan"]
    overdue = list(selectors.overdue(admin))
    assert any(p.unit.code == "yc-ztz" for p in overdue)
