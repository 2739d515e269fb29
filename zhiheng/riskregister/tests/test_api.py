"""The API through HTTP: API.md's list shape, the writes, and refusals in API.md's error shape citing
R-GATE-6; 404 alike for outsiders."""

from __future__ import annotations

import json

import pytest

from zhiheng.riskregister import services

pytestmark = pytest.mark.django_db


def _patch(client, token_api, path, data):
    return client.generic(
        "PATCH", path, json.dumps(data), content_type="application/json", **token_api._headers(None)
    )


def test_the_list_is_api_mds_shape_paginated(rw, api_client):
    services.publish_point(by=rw.principal, point=rw.point)
    body = api_client.as_(rw.staff).get("/api/v1/units/t-unit/risk-points").json()
    assert body["count"] == 1
    item = body["items"][0]
    assert {k: item[k] for k in ("power", "type", "grade", "measures")} == {
        "power": "finance",
        "type": "process",
        "grade": "B",
        "measures": "支出双人复核，月度明细报纪检组长",
    }


def test_staff_see_only_the_published_register_outsiders_nothing(rw, api_client):
    assert api_client.as_(rw.staff).get("/api/v1/units/t-unit/risk-points").json()["count"] == 0
    assert api_client.as_(rw.principal).get("/api/v1/units/t-unit/risk-points").json()["count"] == 1
    response = api_client.as_(rw.outsider).get("/api/v1/units/t-unit/risk-points")
    assert response.status_code == 404
    assert api_client.as_(rw.outsider).get(f"/api/v1/risk-points/{rw.point.pk}").status_code == 404


def test_propose_publish_review_through_the_api(rw, api_client):
    deputy = api_client.as_(rw.deputy)
    response = deputy.post(
        "/api/v1/units/t-unit/risk-points",
        {
            "power": "finance",
            "description": "大额资金未经集体研究",
            "type": "institutions",
            "importance": 5,
            "discretion": 4,
            "probability": 3,
            "harm": 5,
            "measures": "大额支出一律上会",
            "owner": rw.deputy.username,
        },
    )
    assert response.status_code == 201, response.content
    created = response.json()
    assert (created["grade"], created["status"], created["actions"]["edit"]) == ("A", "draft", True)
    published = api_client.as_(rw.principal).post(f"/api/v1/risk-points/{created['id']}/publish")
    assert published.json()["status"] == "published"
    reviewed = deputy.post(f"/api/v1/risk-points/{created['id']}/review", {"note": "措施有效"})
    assert reviewed.status_code == 200 and reviewed.json()["reviewed_at"]
    detail = api_client.as_(rw.admin).get(f"/api/v1/risk-points/{created['id']}").json()
    assert [r["action"] for r in detail["revisions"]] == [
        "point_reviewed",
        "point_published",
        "point_proposed",
    ]
    assert detail["incidents"]["reports_count"] == 0


def test_a_downgrade_of_a_published_point_without_a_reason_is_422_r_gate_6(rw, api_client, client):
    services.publish_point(by=rw.principal, point=rw.point)
    deputy = api_client.as_(rw.deputy)
    refused = _patch(client, deputy, f"/api/v1/risk-points/{rw.point.pk}", {"harm": 1, "importance": 1})
    assert refused.status_code == 422
    assert refused.json()["error"]["rule"] == "R-GATE-6"
    done = _patch(
        client,
        deputy,
        f"/api/v1/risk-points/{rw.point.pk}",
        {"harm": 1, "importance": 1, "reason": "流程已改"},
    )
    assert done.status_code == 200 and done.json()["grade"] == "D"


def test_the_principal_is_refused_with_the_rule(rw, api_client, client):
    response = _patch(client, api_client.as_(rw.principal), f"/api/v1/risk-points/{rw.point.pk}", {"harm": 1})
    assert response.status_code == 403
    assert response.json()["error"]["rule"] == "R-GATE-6"
    refused = api_client.as_(rw.deputy).post(f"/api/v1/risk-points/{rw.point.pk}/publish")
    assert (refused.status_code, refused.json()["error"]["rule"]) == (403, "R-GATE-6")
