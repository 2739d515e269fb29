"""The risk register's reviews on the 工作台 (R-GATE-6): a point whose review cycle has lapsed is counted
for the unit inspector and the district's commission, not for the principal or anyone outside."""

from __future__ import annotations

import datetime as dt

import pytest

from zhiheng.riskregister import services
from zhiheng.riskregister.models import RiskPoint
from zhiheng.riskregister.tests.conftest import at_day, mw, rw
from zhiheng.workbench import sections

__all__ = ["at_day", "mw", "rw"]
pytestmark = pytest.mark.django_db


def review_tiles(person) -> dict[str, int | str]:
    return {
        sec.role: tile.count
        for sec in sections.build(person)[1]
        for tile in sec.tiles
        if tile.key == "risk-reviews"
    }


def test_a_lapsed_review_is_counted_for_the_inspector_and_the_commission_only(rw):
    point = services.publish_point(by=rw.principal, point=rw.point)
    assert review_tiles(rw.inspector) == {"inspector": 0}
    assert review_tiles(rw.admin) == {"commission_admin": 0}
    RiskPoint.objects.filter(pk=point.pk).update(review_due=rw.day - dt.timedelta(days=1))
    assert review_tiles(rw.inspector) == {"inspector": 1}
    assert review_tiles(rw.admin) == {"commission_admin": 1}
    assert review_tiles(rw.principal) == {}
    assert review_tiles(rw.outsider) == {}
