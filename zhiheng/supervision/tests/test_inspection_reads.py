"""An inspection group's check opens the unit's monthly reports while it holds, and logs each read
(R-SUP-2); before the check, after it expires and for another group, the reports answer 404."""

from __future__ import annotations

import datetime as dt

import pytest

from zhiheng.core import clock
from zhiheng.inspections import services as inspections
from zhiheng.inspections.models import Read
from zhiheng.inspections.tests.conftest import build_inspections_world
from zhiheng.matters.tests.conftest import DAY
from zhiheng.supervision.services import issue_report


@pytest.fixture
def iw(world):
    with clock.frozen(clock.at(DAY)):
        world.day = DAY
        yield build_inspections_world(world)


def test_the_group_reads_the_reports_only_under_its_check(api_client, iw):
    report, _new = issue_report(unit=iw.unit, month=DAY.replace(day=1) - dt.timedelta(days=1))
    url = f"/api/v1/units/{iw.unit.code}/monthly-reports/{report.month_code}"
    assert api_client.as_(iw.checker).get(url).status_code == 404
    check = inspections.open_inspection(by=iw.checker, unit=iw.unit, days=5)
    assert api_client.as_(iw.checker).get(url).status_code == 200
    assert api_client.as_(iw.checker2).get(url).status_code == 404
    assert api_client.as_(iw.principal).get(url).status_code == 200  # by the team's own right: not logged
    assert list(Read.objects.values_list("person__username", "kind", "ref")) == [
        (iw.checker.username, "monthly-report", f"{iw.unit.code}:{report.month_code}")
    ]
    with clock.frozen(check.expires_at + dt.timedelta(seconds=1)):
        assert api_client.as_(iw.checker).get(url).status_code == 404
