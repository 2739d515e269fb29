"""The unit rules through the API (API.md "Programme": `GET /units/{code}/rules` → exactly {"code", "title",
"version", "adopted", "powers"}), the writes and their refusals citing R-PIL-2, versions and the diff."""

from __future__ import annotations

import datetime as dt

import pytest

from zhiheng.unitrules.models import Rule

from .conftest import BODY, create, passed_item

pytestmark = pytest.mark.django_db

BASE = "/api/v1/units/t-unit/rules"


def test_the_rules_in_force_in_the_contracts_shape(uw, api_client):
    create(uw)
    gone = create(uw, "CW-09", title="旧制度")
    item = passed_item(uw, dt.date(2026, 2, 10))
    from zhiheng.unitrules import services

    services.repeal_rule(by=uw.principal, rule=gone, meeting=item.meeting, item=item)
    body = api_client.as_(uw.staff).get(BASE).json()
    assert body == {
        "count": 1,
        "items": [
            {
                "code": "CW-01",
                "title": "财务管理制度",
                "version": 1,
                "adopted": "2012-03-01",
                "powers": ["finance"],
            }
        ],
    }
    assert api_client.as_(uw.outsider).get(BASE).status_code == 404
    assert api_client.as_(uw.other_admin).get(BASE).status_code == 404


def test_create_revise_diff_and_repeal_through_the_api(uw, api_client):
    api = api_client.as_(uw.deputy)
    first = passed_item(uw, dt.date(2026, 2, 10))
    r = api.post(
        BASE,
        {
            "code": "CG-01",
            "title": "采购管理制度",
            "body": BODY,
            "group": "采购",
            "powers": ["procurement"],
            "meeting": first.meeting_id,
            "item": first.pk,
        },
    )
    assert r.status_code == 201, r.json()
    assert r.json()["versions"][0]["meeting"] == first.meeting_id
    second = passed_item(uw, dt.date(2026, 2, 20))
    r = api.post(
        f"{BASE}/CG-01/versions",
        {
            "body": BODY.replace("五万元", "三万元"),
            "meeting": second.meeting_id,
            "item": second.pk,
            "note": "降低集体会审标准",
        },
    )
    assert r.status_code == 201 and r.json()["version"] == 2
    diff = api.get(f"{BASE}/CG-01/diff").json()
    assert (diff["from"], diff["to"], diff["inserted"], diff["deleted"]) == (1, 2, 1, 1)
    assert {"op": "delete", "old": 2, "new": None, "text": "第二条 单笔支出五万元以上提交集体会审。"} in diff[
        "rows"
    ]
    assert api.get(f"{BASE}/CG-01/versions/1").json()["body"] == BODY
    back = passed_item(uw, dt.date(2026, 2, 15))
    r = api.post(f"{BASE}/CG-01/versions", {"body": "回溯", "meeting": back.meeting_id, "item": back.pk})
    assert (r.status_code, r.json()["error"]["rule"]) == (409, "R-PIL-2")
    r = api_client.as_(uw.inspector).post(
        f"{BASE}/CG-01/repeal", {"meeting": second.meeting_id, "item": second.pk}
    )
    assert (r.status_code, r.json()["error"]["rule"]) == (403, "R-PIL-2")
    third = passed_item(uw, dt.date(2026, 2, 25))
    r = api.post(
        f"{BASE}/CG-01/repeal", {"meeting": third.meeting_id, "item": third.pk, "reason": "并入新制度"}
    )
    assert r.status_code == 200 and r.json()["status"] == "repealed"
    assert Rule.objects.get(code="CG-01").versions.count() == 2


def test_an_unsealed_meeting_or_another_units_is_422(uw, api_client):
    api = api_client.as_(uw.principal)
    for item in (
        passed_item(uw, dt.date(2026, 2, 11), seal=False),
        passed_item(uw, dt.date(2026, 2, 12), unit=uw.other_unit),
    ):
        r = api.post(
            BASE, {"code": "X-1", "title": "t", "body": "b", "meeting": item.meeting_id, "item": item.pk}
        )
        assert (r.status_code, r.json()["error"]["rule"]) == (422, "R-PIL-2")
    r = api.post(BASE, {"code": "X-1", "title": "t", "body": "b"})
    assert (r.status_code, r.json()["error"]["rule"]) == (422, "R-PIL-2")


def test_the_library_and_adopting_a_model(uw, api_client):
    admin = api_client.as_(uw.admin)
    r = admin.post(
        "/api/v1/districts/testdistrict/model-rules",
        {
            "code": "FW-01",
            "title": "财务审批制度范本",
            "body": "第一条 范本。",
            "group": "财务",
            "categories": ["finance"],
        },
    )
    assert r.status_code == 201
    model = r.json()["id"]
    assert (
        api_client.as_(uw.principal)
        .post("/api/v1/districts/testdistrict/model-rules", {"code": "FW-02", "title": "t", "body": "b"})
        .status_code
        == 403
    )
    assert api_client.as_(uw.staff).get("/api/v1/districts/testdistrict/model-rules").json()["count"] == 1
    assert api_client.as_(uw.other_admin).get(f"/api/v1/model-rules/{model}").status_code == 404
    item = passed_item(uw, dt.date(2026, 2, 10))
    r = api_client.as_(uw.principal).post(
        f"{BASE}/adopt", {"model": model, "meeting": item.meeting_id, "item": item.pk}
    )
    assert r.status_code == 201 and (r.json()["model"], r.json()["powers"]) == (model, ["finance"])
    r = admin.post(f"/api/v1/model-rules/{model}/withdraw", {"reason": "已过时"})
    assert r.json()["status"] == "withdrawn"
