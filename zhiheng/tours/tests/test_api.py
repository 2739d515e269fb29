"""The tours' API (API.md: GET /districts/{code}/tours, exactly its fields) and the writes, per persona."""

from __future__ import annotations

import datetime as dt

import pytest

from .conftest import run_to

pytestmark = pytest.mark.django_db

LIST_FIELDS = {"id", "units", "opinions", "rectifications", "rectifications_closed", "leads"}


def test_the_districts_tours_read_exactly_as_api_md_says(tw, api_client):
    admin = api_client.as_(tw.admin)
    tour = tw.tour.pk
    assert (
        admin.post(
            f"/api/v1/tours/{tour}/opinions", {"way": "问卷调查", "count": 40, "unit": "t-unit"}
        ).status_code
        == 201
    )
    item = admin.post(
        f"/api/v1/tours/{tour}/rectifications",
        {"unit": "t-unit", "title": "三重一大执行不到位", "deadline": "2026-04-30"},
    )
    assert item.status_code == 201, item.content
    lead = admin.post(f"/api/v1/tours/{tour}/leads", {"unit": "t-other", "summary": "涉嫌违规收受礼金"})
    assert lead.status_code == 201
    body = admin.get("/api/v1/districts/testdistrict/tours").json()
    assert body["count"] == 1
    row = body["items"][0]
    assert set(row) == LIST_FIELDS
    assert row == {
        "id": tour,
        "units": ["t-other", "t-unit"],
        "opinions": 40,
        "rectifications": 1,
        "rectifications_closed": 0,
        "leads": 1,
    }


def test_who_reads_the_list_and_the_tour(tw, api_client):
    for who in (tw.principal, tw.inspector, tw.outsider, tw.other_admin):
        assert api_client.as_(who).get("/api/v1/districts/testdistrict/tours").status_code == 404
        assert api_client.as_(who).get(f"/api/v1/tours/{tw.tour.pk}").status_code == 404
    assert api_client.as_(tw.group2).get("/api/v1/districts/testdistrict/tours").json()["count"] == 0
    detail = api_client.as_(tw.group).get(f"/api/v1/tours/{tw.tour.pk}").json()
    assert len(detail["steps"]) == 9 and detail["step"] == 0 and detail["actions"]["advance"]


def test_open_advance_answer_close_through_the_api(tw, api_client):
    admin = api_client.as_(tw.admin)
    made = admin.post(
        "/api/v1/districts/testdistrict/tours",
        {"title": "专项巡察", "units": ["t-unit"], "team": ["t-group"]},
    )
    assert made.status_code == 201, made.content
    tour = made.json()["id"]
    assert made.json()["targets"][0]["principal"] == tw.principal.username
    refused = api_client.as_(tw.principal).post(
        "/api/v1/districts/testdistrict/tours", {"title": "x", "units": ["t-unit"], "team": ["t-group"]}
    )
    assert refused.status_code == 404  # not a district they may read
    bad = admin.post(
        "/api/v1/districts/testdistrict/tours", {"title": "x", "units": ["nope"], "team": ["t-group"]}
    )
    assert bad.status_code == 422
    item = admin.post(
        f"/api/v1/tours/{tour}/rectifications", {"unit": "t-unit", "title": "问题", "deadline": "2026-03-30"}
    ).json()
    principal = api_client.as_(tw.principal)
    assert (
        principal.post(f"/api/v1/tour-rectifications/{item['id']}/close", {"evidence": "x"}).status_code
        == 403
    )
    answered = principal.post(f"/api/v1/tour-rectifications/{item['id']}/answer", {"response": "已整改"})
    assert answered.status_code == 200 and answered.json()["state"] == "answered"
    early = admin.post(
        f"/api/v1/tour-rectifications/{item['id']}/close", {"evidence": "凭证", "closed_on": "2026-03-01"}
    )
    assert early.status_code == 422 and early.json()["error"]["rule"] == "R-GATE-5"
    closed = admin.post(f"/api/v1/tour-rectifications/{item['id']}/close", {"evidence": "凭证"})
    assert closed.json()["closed_on"] == "2026-03-02"
    mine = principal.get("/api/v1/units/t-unit/tour-rectifications").json()
    assert mine["count"] == 1 and mine["items"][0]["state"] == "accepted"
    assert api_client.as_(tw.staff).get("/api/v1/units/t-unit/tour-rectifications").status_code == 404


def test_the_last_step_waits_for_every_rectification(tw, api_client):
    admin = api_client.as_(tw.admin)
    admin.post(
        f"/api/v1/tours/{tw.tour.pk}/rectifications",
        {"unit": "t-unit", "title": "问题", "deadline": "2026-03-30"},
    )
    run_to(tw, tw.tour, 8)
    refused = admin.post(f"/api/v1/tours/{tw.tour.pk}/advance", {"note": ""})
    assert refused.status_code == 409 and refused.json()["error"]["rule"] == "R-GATE-5"
    assert dt.date(2026, 3, 2) == tw.day
