"""GET /units and /units/{code}/team per persona; admin writes; bad input never a 500."""

import pytest

from zhiheng.ledger.models import Entry

pytestmark = pytest.mark.django_db


def codes(response):
    return [u["code"] for u in response.json()["items"]]


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("admin", ["t-other", "t-unit"]),
        ("other_admin", []),
        ("principal", ["t-unit"]),
        ("deputy", ["t-unit"]),
        ("inspector", ["t-unit"]),
        ("staff", ["t-unit"]),
        ("outsider", []),
    ],
)
def test_units_visible_per_persona(world, api_client, persona, expected):
    response = api_client.as_(getattr(world, persona)).get("/api/v1/units")
    assert response.status_code == 200
    assert response.json()["count"] == len(expected)
    assert codes(response) == expected


def test_unit_fields_follow_the_contract(world, api_client):
    item = api_client.as_(world.deputy).get("/api/v1/units").json()["items"][0]
    assert {"code", "name", "district", "kind", "policy"} <= item.keys()
    assert item["code"] == "t-unit" and item["name"] == "测试局" and item["district"] == "testdistrict"


def test_units_paginate_and_filter(world, api_client):
    admin = api_client.as_(world.admin)
    page = admin.get("/api/v1/units", {"limit": 1, "offset": 1}).json()
    assert page["count"] == 2 and codes_of(page) == ["t-unit"]
    assert codes_of(admin.get("/api/v1/units", {"q": "另一"}).json()) == ["t-other"]


def codes_of(page):
    return [u["code"] for u in page["items"]]


@pytest.mark.parametrize("params", [{"limit": 0}, {"limit": "abc"}, {"offset": -1}, {"limit": 100000}])
def test_bad_pagination_is_422(world, api_client, params):
    response = api_client.as_(world.admin).get("/api/v1/units", params)
    assert response.status_code == 422
    assert response.json()["error"]["rule"] == "validation"


def test_team_lists_roles_principal_first(world, api_client):
    response = api_client.as_(world.staff).get("/api/v1/units/t-unit/team")
    assert response.status_code == 200
    assert response.json()["count"] == 7
    team = response.json()["items"]
    assert [m["role"] for m in team] == [
        "principal",
        "deputy",
        "deputy",
        "deputy",
        "inspector",
        "staff",
        "staff",
    ]
    assert team[0] == {
        "username": "t-principal",
        "name": "张一把",
        "role": "principal",
        "role_label": "一把手",
        "title": "局长",
        "start": "2012-01-01",
        "end": None,
    }


@pytest.mark.parametrize("persona", ["outsider", "other_admin", "other_principal"])
def test_team_of_an_invisible_unit_is_404_like_an_unknown_one(world, api_client, persona):
    caller = api_client.as_(getattr(world, persona))
    invisible = caller.get("/api/v1/units/t-unit/team")
    unknown = caller.get("/api/v1/units/no-such-unit/team")
    assert invisible.status_code == unknown.status_code == 404
    assert invisible.json() == unknown.json()


def test_admin_creates_unit_through_the_api(world, api_client):
    response = api_client.as_(world.admin).post(
        "/api/v1/units", {"district": "testdistrict", "code": "t-api", "name": "接口局", "kind": "township"}
    )
    assert response.status_code == 201
    assert response.json()["kind"] == "township"


@pytest.mark.parametrize("persona", ["principal", "inspector", "staff", "other_admin"])
def test_others_cannot_create_units(world, api_client, persona):
    before = Entry.objects.count()
    response = api_client.as_(getattr(world, persona)).post(
        "/api/v1/units", {"district": "testdistrict", "code": "t-api", "name": "接口局"}
    )
    assert response.status_code == 403
    assert response.json()["error"]["rule"] == "R-ORG-1"
    assert Entry.objects.count() == before


def test_second_principal_through_the_api_is_409_r_org_2(world, api_client):
    response = api_client.as_(world.admin).post(
        "/api/v1/units/t-unit/team", {"username": "t-outsider", "role": "principal", "start": "2014-01-01"}
    )
    assert response.status_code == 409
    assert response.json()["error"]["rule"] == "R-ORG-2"


@pytest.mark.parametrize(
    "body",
    [
        {"username": "t-outsider", "role": "emperor", "start": "2014-01-01"},
        {"username": "t-outsider", "role": "staff", "start": "not-a-date"},
        {"username": "nobody", "role": "staff", "start": "2014-01-01"},
        {"username": "t-outsider", "role": "staff", "start": "2014-01-01", "end": "2013-01-01"},
    ],
)
def test_bad_appointments_are_422(world, api_client, body):
    response = api_client.as_(world.admin).post("/api/v1/units/t-unit/team", body)
    assert response.status_code == 422
    assert response.json()["error"]["rule"] == "validation"


def test_idempotency_key_replays_the_first_response_and_changes_nothing(world, api_client):
    admin = api_client.as_(world.admin)
    body = {"district": "testdistrict", "code": "t-idem", "name": "幂等局"}
    first = admin.post("/api/v1/units", body, headers={"Idempotency-Key": "k-1"})
    entries = Entry.objects.count()
    second = admin.post("/api/v1/units", body, headers={"Idempotency-Key": "k-1"})
    assert first.status_code == second.status_code == 201
    assert first.json() == second.json()
    assert second["Idempotent-Replayed"] == "true"
    assert Entry.objects.count() == entries
    reused = admin.post("/api/v1/units", {**body, "name": "别的局"}, headers={"Idempotency-Key": "k-1"})
    assert reused.status_code == 422
