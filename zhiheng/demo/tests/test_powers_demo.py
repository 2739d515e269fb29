"""On a fresh demo, through the API (issue #4 "done when"): 422 with every violation, then 201, 200, and
GET /division returns the new plan from its in-force date. Also the demo's R-DIV guarantees."""

from __future__ import annotations

import datetime as dt

import pytest

from zhiheng.core import clock
from zhiheng.demo.tests.snapshot import restore_demo
from zhiheng.org.models import Unit
from zhiheng.powers import selectors

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 11, 24)


@pytest.fixture
def demo(api_client):
    with clock.frozen(clock.at(TODAY)):
        restore_demo(TODAY)
        yield


def login(api_client, username):
    from zhiheng.accounts.services import issue_token

    api = type(api_client)(issue_token(username=username, password="zhiheng-demo"))
    return api


def test_plan_through_the_api_on_a_fresh_demo(demo, api_client):
    api = login(api_client, "jb-szyl-principal")
    powers = api.get("/api/v1/units/jb-szyl/powers").json()["items"]
    restricted = {p["code"] for p in powers if p["restricted"]}
    assert restricted == {
        "finance",
        "procurement",
        "personnel",
        "construction",
        "project-approval",
        "admin-enforcement",
    }
    current = api.get("/api/v1/units/jb-szyl/division").json()
    base = {a["power"]: a["deputy"] for a in current["assignments"]}
    bad = {**base, "finance": "jb-szyl-principal"}
    r = api.post(
        "/api/v1/units/jb-szyl/division", {"assignments": [{"power": p, "deputy": d} for p, d in bad.items()]}
    )
    assert r.status_code == 422
    assert r.json()["error"]["rule"] == "R-DIV-4"
    assert [(v["rule"], v["power"]) for v in r.json()["error"]["detail"]["violations"]] == [
        ("R-DIV-4", "finance")
    ]

    good = {**base, "construction": "jb-szyl-deputy4"}
    r = api.post(
        "/api/v1/units/jb-szyl/division",
        {"assignments": [{"power": p, "deputy": d} for p, d in good.items()], "in_force_from": "2026-12-01"},
    )
    assert r.status_code == 201
    version = r.json()["version"]
    r = api.post(f"/api/v1/units/jb-szyl/division/{version}/file")
    assert (r.status_code, r.json()["in_force_from"]) == (200, "2026-12-01")
    assert api.get("/api/v1/units/jb-szyl/division").json()["version"] == current["version"]
    later = api.get("/api/v1/units/jb-szyl/division", {"on": "2026-12-01"}).json()
    assert later["version"] == version
    assert {a["power"]: a["deputy"] for a in later["assignments"]}["construction"] == "jb-szyl-deputy4"


def test_every_demo_unit_has_a_valid_plan_in_force_and_the_contract_codes(demo):
    from zhiheng.powers.services import check_plan

    for unit in Unit.objects.all():
        codes = set(selectors.list_powers(unit).values_list("code", flat=True))
        assert {"finance", "procurement", "personnel", "general"} <= codes, unit.code
        if unit.district.code == "nanchuan":
            assert {"construction", "admin-approval", "admin-enforcement"} <= codes
        plan = selectors.plan_in_force(unit)
        assert plan is not None, unit.code
        pairs = [(a.power.code, a.deputy.username) for a in selectors.plan_assignments(plan)]
        assert check_plan(unit, pairs, TODAY) == [], unit.code
        held = dict(pairs)
        assert held["finance"] != held["procurement"]
    assert not selectors.is_restricted(selectors.get_power(Unit.objects.get(code="jb-fgw"), "general"))
    ajj = Unit.objects.get(code="jb-ajj")
    assert selectors.is_restricted(selectors.get_power(ajj, "admin-enforcement"))
    assert not selectors.is_restricted(selectors.get_power(ajj, "construction"))


def test_nanchuan_board_and_the_dam_adjustment(demo):
    nanchuan = Unit.objects.get(code="nc-swj").district
    board = {
        r["unit"].code: r["status"]
        for r in selectors.filing_board(nanchuan, selectors.open_deadline(nanchuan))
    }
    assert board["nc-wsj"] == "filed" and board["nc-swj"] == "filed"
    assert board["nc-jtj"] == "late" and board["nc-jsz"] == "missing"
    swj = Unit.objects.get(code="nc-swj")
    construction = selectors.get_power(swj, "construction")
    assert selectors.deputy_in_charge(swj, construction, dt.date(2026, 3, 1)).username == "nc-swj-deputy2"
    assert selectors.deputy_in_charge(swj, construction, dt.date(2026, 3, 2)).username == "nc-swj-deputy1"
    wsj_plan = selectors.plan_in_force(Unit.objects.get(code="nc-wsj"))
    assert wsj_plan.filed_at.astimezone(clock.SHANGHAI).date() == dt.date(2026, 2, 28)
    # the missing unit keeps its earlier plan in force (API.md guarantee)
    assert selectors.plan_in_force(Unit.objects.get(code="nc-jsz")).in_force_from == dt.date(2024, 1, 1)


def test_every_districts_board_shows_filed_late_and_missing(demo):
    from zhiheng.org.models import District

    expected = {"jiangbei": ({"jb-jw", "jb-gyq"}, {"jb-wtj"}), "yongchuan": ({"yc-sll"}, {"yc-slz"})}
    for district, (late, missing) in expected.items():
        d = District.objects.get(code=district)
        board = {r["unit"].code: r["status"] for r in selectors.filing_board(d, selectors.open_deadline(d))}
        assert {c for c, s in board.items() if s == "late"} == late
        assert {c for c, s in board.items() if s == "missing"} == missing
        assert {c for c, s in board.items() if s == "filed"} == set(board) - late - missing
        for code in missing:  # a missing unit keeps its earlier plan in force (API.md guarantee)
            assert selectors.plan_in_force(Unit.objects.get(code=code)).in_force_from == dt.date(2024, 1, 1)
