"""The demo meets API.md's guarantees, is deterministic, and a second build changes nothing."""

import pytest

from zhiheng.accounts.models import Person
from zhiheng.demo import builder
from zhiheng.demo.data import DISTRICTS
from zhiheng.demo.tests.snapshot import restore_demo
from zhiheng.org import selectors
from zhiheng.org.models import Role, Unit

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(db):
    return restore_demo()


def test_the_demo_keeps_its_promises(demo, client):
    """One build, every guarantee: building the demo is the slowest fixture in the suite."""
    check_every_unit_has_the_promised_team()
    check_the_seeds_districts_and_units_are_there(demo)
    check_admin_accounts_and_password()
    check_names_are_deterministic_and_unique(demo)
    check_fresh_demo_through_the_api(client)
    check_second_build_is_a_no_op()


def check_every_unit_has_the_promised_team():
    for unit in Unit.objects.all():
        roles = [m.role for m in selectors.memberships_on(unit)]
        assert roles.count(Role.PRINCIPAL) == 1, unit
        assert roles.count(Role.DEPUTY) >= 3, unit
        assert roles.count(Role.INSPECTOR) == 1, unit
        assert roles.count(Role.STAFF) >= 2, unit


def check_the_seeds_districts_and_units_are_there(demo):
    jiangbei = set(Unit.objects.filter(district__code="jiangbei").values_list("name", flat=True))
    assert {
        "区发改委",
        "区房管局",
        "区市政园林局",
        "区安监局",
        "区环保局",
        "区国税局",
        "五里店街道",
        "复盛镇",
    } <= jiangbei
    assert len(jiangbei) > 8  # plus non-pilot units
    nanchuan = set(Unit.objects.filter(district__code="nanchuan").values_list("name", flat=True))
    assert {"区卫生局", "区水务局", "区环保局", "区教委", "鱼泉乡", "南城街道"} <= nanchuan
    assert Unit.objects.filter(district__code="yongchuan").count() >= 4
    assert demo.pilot_units == {u.code for d in DISTRICTS for u in d.units if u.pilot}
    assert len(demo.pilot_units) == 8


def check_admin_accounts_and_password():
    for code in ("jiangbei", "nanchuan", "yongchuan"):
        admin = Person.objects.get(username=f"{code}-admin")
        assert admin.check_password("zhiheng-demo")


def check_second_build_is_a_no_op():
    people, units = Person.objects.count(), Unit.objects.count()
    assert builder.build() is None
    assert (Person.objects.count(), Unit.objects.count()) == (people, units)


def check_names_are_deterministic_and_unique(demo):
    names = [name for _, name, _ in demo.accounts]
    assert len(names) == len(set(names))
    again = builder.DemoContext()
    from zhiheng.demo.names import NameMaker

    first = NameMaker(again.rng.randrange(1 << 30))
    assert first() == demo.accounts[0][1]


def check_fresh_demo_through_the_api(client):
    token = client.post(
        "/api/v1/auth/token",
        {"username": "jiangbei-admin", "password": "zhiheng-demo"},
        content_type="application/json",
    ).json()["token"]
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    units = client.get("/api/v1/units", {"limit": 500}, **auth).json()
    names = {u["name"] for u in units["items"]}
    assert "复盛镇" in names
    assert {u["district"] for u in units["items"]} == {"jiangbei"}
    team = client.get("/api/v1/units/jb-fsz/team", **auth).json()["items"]
    assert sum(m["role"] == "principal" for m in team) == 1
