"""risk.selectors reads the supervised units first (compiled once, issue 12): it must show exactly the
warnings risk.rules.visible_warnings defines, to every persona, and a page costs the same whatever its size."""

import datetime as dt

import pytest

from conftest import READERS
from zhiheng.core import clock
from zhiheng.risk import rules, selectors, services

pytestmark = pytest.mark.django_db

PERSONAS = READERS


def raise_warnings(unit, n):
    for i in range(n):
        services.raise_warning(
            rule="RF1",
            level="high",
            unit=unit,
            subject=f"matter:{i}",
            explanation="x",
            records=[{"matter": i}],
        )


@pytest.mark.parametrize("who", PERSONAS)
def test_selectors_agree_with_the_rules(world, who):
    raise_warnings(world.unit, 3)
    raise_warnings(world.other_unit, 2)
    person = getattr(world, who)
    want = sorted(rules.visible_warnings(person).values_list("pk", flat=True))
    assert sorted(selectors.list_warnings_for(person).values_list("pk", flat=True)) == want
    for pk in want:
        assert selectors.get_warning_for(person, pk).pk == pk


def test_an_ended_role_hides_the_warnings_at_once(world):
    raise_warnings(world.unit, 2)
    assert selectors.list_warnings_for(world.admin).count() == 2
    role = world.admin.district_roles.get()
    role.start, role.end = (
        min(role.start, clock.today() - dt.timedelta(days=2)),
        clock.today() - dt.timedelta(days=1),
    )
    role.save()
    assert (
        selectors.list_warnings_for(world.admin).count() == 0 == rules.visible_warnings(world.admin).count()
    )


@pytest.mark.parametrize("rows", [5, 50])
def test_a_page_of_warnings_costs_the_same_whatever_its_size(
    world, api_client, rows, django_assert_max_num_queries
):
    raise_warnings(world.unit, rows)
    api = api_client.as_(world.admin)
    api.get("/api/v1/warnings")  # warm up
    with django_assert_max_num_queries(4):  # token, count, page (+ a token touch at most)
        body = api.get("/api/v1/warnings", {"limit": rows}).json()
    assert body["count"] == rows and len(body["items"]) == rows
