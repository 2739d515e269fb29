"""The `iw` fixture: the matters world (zhiheng/matters/tests/conftest.py) with the district's inspection
groups — `checker` and `checker_b` in 第一督察组, `checker2` in 第二督察组, `far_checker` in another
district — a large matter, a small one, and an office meeting of the unit, on DAY (frozen clock)."""

from __future__ import annotations

import pytest

from zhiheng.matters.tests.conftest import at_day, build_matters_world, mw, small_matter
from zhiheng.meetings import services as meetings
from zhiheng.org.tests.factories import DistrictRoleFactory, PersonFactory

__all__ = ["at_day", "iw", "mw"]  # the matters world's fixtures, re-exported for this app's tests

TERM_START = "2012-01-01"


def _checker(w, attr: str, *, group: int | None, district=None) -> None:
    person = PersonFactory(username=f"t-{attr}", name=f"督察{attr}")
    DistrictRoleFactory(
        person=person, district=district or w.district, role="inspection", group=group, start=TERM_START
    )
    setattr(w, attr, person)


def build_inspections_world(w):
    build_matters_world(w)
    _checker(w, "checker", group=1)
    _checker(w, "checker_b", group=1)
    _checker(w, "checker2", group=2)
    _checker(w, "far_checker", group=1, district=w.far_district)
    w.small = small_matter(w)
    w.large = small_matter(w, title="购置办公设备", amount="80000.00")
    w.meeting = meetings.create_meeting(by=w.principal, unit=w.unit, kind="office", date=w.day, items=[])
    return w


@pytest.fixture
def iw(world, at_day):
    world.day = at_day
    return build_inspections_world(world)
