"""Persona matrix: who sees and who manages which unit (object-level: unit, role and date all matter)."""

import datetime as dt

import pytest

from zhiheng.org import rules, selectors

pytestmark = pytest.mark.django_db

SEES_UNIT = {
    "admin": True,
    "other_admin": False,
    "principal": True,
    "deputy": True,
    "inspector": True,
    "staff": True,
    "outsider": False,
    "other_principal": False,
}


@pytest.mark.parametrize(("persona", "expected"), SEES_UNIT.items())
def test_who_sees_the_unit(world, persona, expected):
    assert rules.can_view_unit(getattr(world, persona), world.unit) is expected
    assert rules.can_view_team(getattr(world, persona), world.unit) is expected


@pytest.mark.parametrize(("persona", "expected"), [(p, p == "admin") for p in SEES_UNIT])
def test_only_the_districts_admin_manages_the_unit(world, persona, expected):
    assert rules.can_manage_unit(getattr(world, persona), world.unit) is expected


def test_admin_sees_every_unit_of_the_district_and_members_only_their_own(world):
    assert set(selectors.list_units_for(world.admin).values_list("code", flat=True)) == {"t-unit", "t-other"}
    assert set(selectors.list_units_for(world.deputy).values_list("code", flat=True)) == {"t-unit"}
    assert set(selectors.list_units_for(world.other_principal).values_list("code", flat=True)) == {"t-other"}
    assert not selectors.list_units_for(world.outsider).exists()


def test_dates_matter_a_former_member_no_longer_sees_the_unit(world):
    world.unit.memberships.filter(person=world.staff2).update(end=dt.date(2013, 1, 31))
    assert rules.can_view_unit(world.staff2, world.unit, dt.date(2013, 1, 31))
    assert not rules.can_view_unit(world.staff2, world.unit, dt.date(2013, 2, 1))


def test_a_future_term_gives_no_access_yet(world):
    world.unit.memberships.filter(person=world.staff2).update(start=dt.date(2099, 1, 1))
    assert not rules.can_view_unit(world.staff2, world.unit)


def test_list_units_is_a_bounded_number_of_queries(world, django_assert_max_num_queries):
    with django_assert_max_num_queries(1):
        list(selectors.list_units_for(world.admin))
