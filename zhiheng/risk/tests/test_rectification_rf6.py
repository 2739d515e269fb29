"""RF6 for an inspection group's rectification item (R-SUP-2): past its deadline and not accepted, one
warning per item however often the scan runs, owned by the unit inspector; none before the deadline or
once accepted in time."""

from __future__ import annotations

import datetime as dt

import pytest

from zhiheng.core import clock
from zhiheng.inspections import services as inspections
from zhiheng.inspections.tests.conftest import build_inspections_world
from zhiheng.matters.tests.conftest import DAY
from zhiheng.risk.models import Warning
from zhiheng.risk.redflags import SCANS, rectification


@pytest.fixture
def iw(world):
    with clock.frozen(clock.at(DAY)):
        world.day = DAY
        yield build_inspections_world(world)


def _finding(w, days: int):
    check = inspections.open_inspection(by=w.checker, unit=w.unit)
    return inspections.record_finding(
        by=w.checker,
        inspection=check,
        title="三重一大台账缺失",
        severity="high",
        deadline=w.day + dt.timedelta(days=days),
    )


def test_an_overdue_rectification_raises_rf6_once(iw):
    finding = _finding(iw, 5)
    assert rectification.raise_overdue() == 0
    with clock.frozen(clock.at(iw.day + dt.timedelta(days=6))):
        assert SCANS["rectifications"]() == 1
        assert SCANS["rectifications"]() == 0
    warning = Warning.objects.get(rule="RF6", subject=finding.subject)
    assert warning.owner == iw.inspector and warning.level == "high"
    assert "三重一大台账缺失" in warning.explanation and iw.principal.name in warning.explanation


def test_an_item_accepted_in_time_raises_nothing(iw):
    finding = _finding(iw, 5)
    inspections.answer_rectification(by=iw.principal, finding=finding, response="已建立台账")
    inspections.accept_rectification(by=iw.checker, finding=finding)
    with clock.frozen(clock.at(iw.day + dt.timedelta(days=30))):
        assert rectification.raise_overdue() == 0
    assert not Warning.objects.filter(rule="RF6").exists()
