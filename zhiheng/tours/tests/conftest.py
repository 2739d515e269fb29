"""The `tw` fixture: the shared world (conftest.py at the root: `admin` of the district, the unit `t-unit`
with `principal`, `deputy`, `inspector`, `staff`, and `other_unit` with `other_principal`) plus two
inspection-group members, `group` (on the tour team) and `group2` (not), and a tour of both units opened
by `admin` on DAY, run by `group`."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest

from zhiheng.core import clock
from zhiheng.org.tests.factories import DistrictRoleFactory, PersonFactory
from zhiheng.tours import services

DAY = dt.date(2026, 3, 2)


def add_group(w: SimpleNamespace) -> SimpleNamespace:
    for attr in ("group", "group2"):
        person = PersonFactory(username=f"t-{attr}", name=f"巡察组{attr}")
        DistrictRoleFactory(person=person, district=w.district, role="inspection", start=dt.date(2012, 1, 1))
        setattr(w, attr, person)
    return w


def open_tour(w: SimpleNamespace, **kw):
    values = {
        "title": "2026年第一轮巡察",
        "units": [w.unit, w.other_unit],
        "team": [w.group],
    }
    values.update(kw)
    return services.open_tour(by=w.admin, district=w.district, **values)


@pytest.fixture
def at_day():
    with clock.frozen(clock.at(DAY, 10)):
        yield DAY


@pytest.fixture
def tw(world, at_day):
    w = add_group(world)
    w.day = at_day
    w.tour = open_tour(w)
    return w


def run_to(w, tour, step: int) -> None:
    """Complete the tour's steps up to `step` (by its team)."""
    tour.refresh_from_db()
    while tour.step < step:
        tour = services.advance_step(by=w.group, tour=tour)
