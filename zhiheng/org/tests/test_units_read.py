"""GET /units without filters reads through a query compiled once per process (issue 12): the same units
as org.selectors.list_units_for, in the same order, to every persona, at a constant number of queries."""

import pytest

from conftest import READERS
from zhiheng.core.errors import NotFound
from zhiheng.org import selectors
from zhiheng.org.models import Unit
from zhiheng.org.tests.factories import UnitFactory

pytestmark = pytest.mark.django_db

PERSONAS = READERS


class Code(str):
    """A str subclass, as a template's SafeString."""


@pytest.mark.parametrize("who", PERSONAS)
def test_units_answer_what_the_selector_answers(world, api_client, who):
    person = getattr(world, who)
    body = api_client.as_(person).get("/api/v1/units", {"limit": 500}).json()
    want = [
        (u.code, u.name, u.district.code, u.district.name, u.kind) for u in selectors.list_units_for(person)
    ]
    assert [
        (i["code"], i["name"], i["district"], i["district_name"], i["kind"]) for i in body["items"]
    ] == want
    assert body["count"] == len(want)


@pytest.mark.parametrize("extra", [5, 50])
def test_a_page_of_units_costs_the_same_whatever_its_size(
    world, api_client, extra, django_assert_max_num_queries
):
    for i in range(extra):
        UnitFactory(code=f"t-more-{i}", name=f"单位{i}", district=world.district)
    api = api_client.as_(world.admin)
    api.get("/api/v1/units")  # warm up
    with django_assert_max_num_queries(4):  # token, units, policies (+ a token touch at most)
        body = api.get("/api/v1/units", {"limit": 500}).json()
    assert body["count"] >= extra


@pytest.mark.parametrize("who", PERSONAS)
def test_one_unit_opens_for_whom_the_list_shows_it(world, who):
    """get_unit_for, compiled once per process (issue 12), opens exactly the units list_units_for lists,
    for every persona and every unit (a code of a str subclass too), and refuses the rest alike."""
    person = getattr(world, who)
    visible = {u.code for u in selectors.list_units_for(person)}
    for unit in Unit.objects.all():
        if unit.code in visible:
            opened = selectors.get_unit_for(person, Code(unit.code))
            assert (opened.pk, opened.district.code) == (unit.pk, unit.district.code)
        else:
            with pytest.raises(NotFound):
                selectors.get_unit_for(person, unit.code)
    with pytest.raises(NotFound):
        selectors.get_unit_for(person, "no-such-unit")
