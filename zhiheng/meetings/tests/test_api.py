"""The meetings API exactly as API.md says: paths, fields, status codes and error.rule."""

from __future__ import annotations

import pytest

from zhiheng.ledger.models import Entry
from zhiheng.parameters.tests.factories import put

pytestmark = pytest.mark.django_db


def create(api_client, w, by=None, **extra):
    body = {
        "unit": w.unit.code,
        "kind": "office",
        "date": "2026-03-02",
        "items": [{"title": "购置执法车辆", "presenter": w.deputy.username}],
        **extra,
    }
    return api_client.as_(by or w.principal).post("/api/v1/meetings", body)


def test_create_returns_201_with_item_ids(api_client, mw):
    r = create(api_client, mw)
    assert r.status_code == 201, r.json()
    body = r.json()
    assert isinstance(body["id"], int) and body["chair"] == mw.principal.username
    assert [i["title"] for i in body["items"]] == ["购置执法车辆"] and isinstance(body["items"][0]["id"], int)


def test_candidates_as_strings_or_objects(api_client, mw):
    items = [
        {"title": "所长", "candidates": ["李秀英", {"username": mw.staff2.username}, {"name": "王建国"}]}
    ]
    body = create(api_client, mw, items=items).json()
    cands = body["items"][0]["candidates"]
    assert [(c["name"], c["username"]) for c in cands] == [
        ("李秀英", None),
        (mw.staff2.name, mw.staff2.username),
        ("王建国", None),
    ]
    assert body["items"][0]["kind"] == "personnel"


@pytest.mark.parametrize(
    "who,status",
    [
        ("principal", 201),
        ("deputy", 201),
        ("inspector", 201),
        ("staff", 403),
        ("admin", 403),
        ("outsider", 404),
        ("other_admin", 404),
    ],
)
def test_persona_matrix_create(api_client, mw, who, status):
    before = Entry.objects.count()
    r = create(api_client, mw, by=getattr(mw, who))
    assert r.status_code == status, r.json()
    if status != 201:
        assert Entry.objects.count() == before
        assert r.json()["error"]["rule"] == ("R-MTG-1" if status == 403 else "not-found")


@pytest.mark.parametrize(
    "body",
    [
        {"kind": "office", "date": "not-a-date"},
        {"kind": "office"},
        {"kind": "bogus", "date": "2026-03-02"},
        {"kind": "office", "date": "2026-03-02", "items": [{"title": ""}]},
        {"kind": "office", "date": "2026-03-02", "items": "x"},
    ],
)
def test_bad_input_is_422_never_500(api_client, mw, body):
    r = api_client.as_(mw.principal).post("/api/v1/meetings", {"unit": mw.unit.code, **body})
    assert r.status_code == 422, r.json()


def full_flow_meeting(api_client, w):
    mid = create(api_client, w).json()["id"]
    r = api_client.as_(w.principal).post(
        f"/api/v1/meetings/{mid}/attendance",
        {"present": [p.username for p in w.voters], "observers": [w.inspector.username, w.outsider.username]},
    )
    assert r.status_code == 200, r.json()
    item = r.json()["items"][0]["id"]
    return mid, item


def test_speaking_order_positions_and_close(api_client, mw):
    mid, item = full_flow_meeting(api_client, mw)
    url = f"/api/v1/meetings/{mid}/items/{item}/statements"
    ok = {"position": "agree", "reason": "执法需要"}
    r = api_client.as_(mw.principal).post(url, ok)
    assert r.status_code == 409 and r.json()["error"]["rule"] == "R-MTG-3"
    r = api_client.as_(mw.deputy2).post(url, ok)  # before the deputy in charge
    assert r.status_code == 409 and r.json()["error"]["rule"] == "R-MTG-3"
    for body in ({"reason": "没有表态"}, {"position": "都行", "reason": "x"}, {"position": "agree"}, {}):
        r = api_client.as_(mw.deputy).post(url, body)
        assert r.status_code == 422 and r.json()["error"]["rule"] == "R-MTG-4", body
    assert api_client.as_(mw.deputy).post(url, ok).status_code == 201
    assert (
        api_client.as_(mw.deputy2).post(url, {"position": "disagree", "reason": "预算紧"}).status_code == 201
    )
    r = api_client.as_(mw.principal).post(url, ok)
    assert r.status_code == 409 and r.json()["error"]["detail"]["waiting_for"] == [mw.deputy3.username]
    assert api_client.as_(mw.deputy3).post(url, ok).status_code == 201
    r = api_client.as_(mw.principal).post(url, ok)
    assert r.status_code == 201 and r.json()["seq"] == 4
    assert api_client.as_(mw.outsider).post(url, ok).status_code == 403  # an observer does not state

    r = api_client.as_(mw.deputy).post(f"/api/v1/meetings/{mid}/close")
    assert r.status_code == 403
    r = api_client.as_(mw.principal).post(f"/api/v1/meetings/{mid}/close")
    assert r.status_code == 200
    [result] = r.json()["items"]
    assert {k: result[k] for k in ("id", "decision", "agree", "disagree", "defer")} == {
        "id": item,
        "decision": "passed",
        "agree": 3,
        "disagree": 1,
        "defer": 0,
    }
    r = api_client.as_(mw.deputy).post(url, ok)
    assert r.status_code == 409 and r.json()["error"]["rule"] == "R-MTG-7"
    r = api_client.as_(mw.principal).post(
        f"/api/v1/meetings/{mid}/attendance", {"present": [mw.deputy.username]}
    )
    assert r.status_code == 409 and r.json()["error"]["rule"] == "R-MTG-7"
    r = api_client.as_(mw.inspector).post(
        f"/api/v1/meetings/{mid}/corrections", {"text": "补记：列席人员名单"}
    )
    assert r.status_code == 201


def test_blind_mode_does_not_leak_positions(api_client, mw):
    put("meetings", unit=mw.unit, values={"blind_statements": True})
    mid, item = full_flow_meeting(api_client, mw)
    url = f"/api/v1/meetings/{mid}/items/{item}/statements"
    api_client.as_(mw.deputy).post(url, {"position": "disagree", "reason": "秘密理由"})
    other = api_client.as_(mw.deputy2).get(f"/api/v1/meetings/{mid}")
    assert other.status_code == 200
    assert "秘密理由" not in other.content.decode() and ': "disagree"' not in other.content.decode()
    [row] = other.json()["items"][0]["statements"]
    assert row["member"] == mw.deputy.username and row["hidden"] is True and row["position"] is None
    own = api_client.as_(mw.deputy).get(f"/api/v1/meetings/{mid}").json()
    assert own["items"][0]["statements"][0]["reason"] == "秘密理由"
    for p in (mw.deputy2, mw.deputy3, mw.principal):
        assert api_client.as_(p).post(url, {"position": "agree", "reason": "同意"}).status_code == 201
    api_client.as_(mw.principal).post(f"/api/v1/meetings/{mid}/close")
    after = api_client.as_(mw.deputy2).get(f"/api/v1/meetings/{mid}").json()
    assert after["items"][0]["statements"][0]["reason"] == "秘密理由"


@pytest.mark.parametrize(
    "who,status",
    [
        ("principal", 200),
        ("deputy", 200),
        ("inspector", 200),
        ("admin", 200),
        ("staff", 404),
        ("outsider", 404),
        ("other_admin", 404),
        ("other_principal", 404),
    ],
)
def test_persona_matrix_read(api_client, mw, who, status):
    mid = create(api_client, mw).json()["id"]
    assert api_client.as_(getattr(mw, who)).get(f"/api/v1/meetings/{mid}").status_code == status
    listed = api_client.as_(getattr(mw, who)).get("/api/v1/meetings").json()
    assert (listed["count"] == 1) == (status == 200)


def test_observer_sees_the_meeting_they_attended(api_client, mw):
    mid, _ = full_flow_meeting(api_client, mw)
    assert api_client.as_(mw.outsider).get(f"/api/v1/meetings/{mid}").status_code == 200


def test_unknown_meeting_and_item_are_404(api_client, mw):
    assert api_client.as_(mw.principal).get("/api/v1/meetings/999999").status_code == 404
    mid = create(api_client, mw).json()["id"]
    r = api_client.as_(mw.principal).post(f"/api/v1/meetings/{mid}/items/999999/statements", {})
    assert r.status_code == 404 and r.json()["error"]["rule"] == "not-found"


def test_list_is_paginated_and_filtered(api_client, mw):
    for _ in range(3):
        create(api_client, mw)
    r = api_client.as_(mw.principal).get("/api/v1/meetings", {"unit": mw.unit.code, "limit": 2})
    assert r.status_code == 200 and r.json()["count"] == 3 and len(r.json()["items"]) == 2
    assert api_client.as_(mw.principal).get("/api/v1/meetings", {"unit": "nowhere"}).status_code == 404


def test_recommendations_endpoint(api_client, mw):
    body = create(api_client, mw, items=[{"title": "所长", "candidates": ["甲", "乙"]}]).json()
    mid, item = body["id"], body["items"][0]["id"]
    url = f"/api/v1/meetings/{mid}/items/{item}/recommendations"
    r = api_client.as_(mw.deputy).post(url, {"candidate": "甲", "reason": "扎实"})
    assert r.status_code == 201 and r.json()["recommender"] == mw.deputy.username
    r = api_client.as_(mw.deputy).post(url, {"candidate": "丙", "reason": "x"})
    assert r.status_code == 422 and r.json()["error"]["rule"] == "R-MTG-5"
    detail = api_client.as_(mw.principal).get(f"/api/v1/meetings/{mid}").json()
    assert detail["items"][0]["candidates"][0]["recommendations"][0]["reason"] == "扎实"
    assert detail["items"][0]["candidates"][0]["recommendations"][0]["at"].endswith("+08:00")
