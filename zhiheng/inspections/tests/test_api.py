"""API.md "Supervision (R-SUP-2)" through HTTP, per persona: open a check, read the unit under it (each
read in the read log with its ledger index), the read log hidden from the unit until the close, an
expired grant answering 404 like any invisible object, findings and their rectification."""

from __future__ import annotations

import datetime as dt

import pytest

from zhiheng.core import clock
from zhiheng.inspections.models import Inspection
from zhiheng.ledger.models import Entry


def _open(api, w, by=None, **extra):
    return api.as_(by or w.checker).post("/api/v1/inspections", {"unit": w.unit.code, **extra})


def test_a_member_of_the_inspection_group_opens_a_check(api_client, iw):
    response = _open(api_client, iw, days=20)
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["unit"] == iw.unit.code
    opened = dt.datetime.fromisoformat(body["opened_at"])
    assert dt.datetime.fromisoformat(body["expires_at"]) - opened == dt.timedelta(days=20)
    assert body["opened_at"].endswith("+08:00")
    assert body["sample"] and {s["kind"] for s in body["sample"]} <= {"matter", "meeting"}
    assert all(isinstance(s["id"], int) for s in body["sample"])


@pytest.mark.parametrize("persona", ["principal", "inspector", "staff", "admin", "far_checker", "outsider"])
def test_nobody_else_opens_one(api_client, iw, persona):
    response = _open(api_client, iw, by=getattr(iw, persona))
    assert response.status_code == 403
    assert response.json()["error"]["rule"] == "R-SUP-2"
    assert not Inspection.objects.exists()


def test_bad_days_and_unknown_units(api_client, iw):
    assert _open(api_client, iw, days=0).status_code == 422
    assert _open(api_client, iw, days="lots").status_code == 422
    assert api_client.as_(iw.checker).post("/api/v1/inspections", {"unit": "nope"}).status_code == 404
    assert not Inspection.objects.exists()


def test_every_read_appears_in_the_read_log_with_its_ledger_entry(api_client, iw):
    check = _open(api_client, iw).json()
    checker = api_client.as_(iw.checker)
    assert checker.get(f"/api/v1/matters/{iw.large.pk}").status_code == 200
    assert checker.get(f"/api/v1/meetings/{iw.meeting.pk}").status_code == 200
    log = checker.get(f"/api/v1/inspections/{check['id']}/reads").json()
    assert log["count"] == 2
    assert [(r["who"], r["what"]) for r in log["items"]] == [
        (iw.checker.username, f"matter:{iw.large.pk}"),
        (iw.checker.username, f"meeting:{iw.meeting.pk}"),
    ]
    for row in log["items"]:
        entry = Entry.objects.get(index=row["ledger_index"])
        assert entry.event_type == "inspection.read" and entry.actor == iw.checker.username
    admin = api_client.as_(iw.admin)
    assert admin.get(f"/api/v1/inspections/{check['id']}/reads").json()["count"] == 2
    assert admin.get(f"/api/v1/ledger/entries/{log['items'][0]['ledger_index']}").status_code == 200


def test_the_unit_cannot_read_the_log_during_the_check_but_can_after(api_client, iw):
    check = _open(api_client, iw).json()
    api_client.as_(iw.checker).get(f"/api/v1/matters/{iw.small.pk}")
    reads = f"/api/v1/inspections/{check['id']}/reads"
    index = api_client.as_(iw.checker).get(reads).json()["items"][0]["ledger_index"]
    for persona in ("principal", "deputy", "inspector"):
        api = api_client.as_(getattr(iw, persona))
        assert api.get(reads).status_code == 404
        assert api.get(f"/api/v1/inspections/{check['id']}/sample").status_code == 404
        assert (
            api.get(f"/api/v1/inspections/{check['id']}").json()["sample"] == []
        )  # sees the check, not its aim
        assert api.get(f"/api/v1/ledger/entries/{index}").status_code == 404
    assert api_client.as_(iw.checker).post(f"/api/v1/inspections/{check['id']}/close", {}).status_code == 200
    after = api_client.as_(iw.principal).get(reads)
    assert after.status_code == 200 and after.json()["count"] == 1


@pytest.mark.parametrize("persona", ["staff", "outsider", "other_principal", "other_admin", "checker2"])
def test_staff_and_strangers_see_nothing_of_a_check(api_client, iw, persona):
    check = _open(api_client, iw).json()
    api = api_client.as_(getattr(iw, persona))
    assert api.get("/api/v1/inspections").json()["count"] == 0
    for path in ("", "/reads", "/findings", "/sample"):
        assert api.get(f"/api/v1/inspections/{check['id']}{path}").status_code == 404


def test_an_expired_grant_gives_404_like_any_invisible_object(api_client, iw):
    check = _open(api_client, iw, days=2).json()
    checker = api_client.as_(iw.checker)
    assert checker.get(f"/api/v1/matters/{iw.small.pk}").status_code == 200
    with clock.frozen(dt.datetime.fromisoformat(check["expires_at"]) + dt.timedelta(minutes=1)):
        checker = api_client.as_(iw.checker)  # a fresh token: the first one has idled out by now
        for path in (
            f"/api/v1/matters/{iw.small.pk}",
            f"/api/v1/meetings/{iw.meeting.pk}",
            "/api/v1/matters/999999",
        ):
            response = checker.get(path)
            assert response.status_code == 404 and response.json()["error"]["rule"] == "not-found"
        assert checker.get("/api/v1/matters", {"unit": iw.unit.code}).json()["count"] == 0
    assert checker.get(f"/api/v1/inspections/{check['id']}/reads").json()["count"] == 1


def test_the_sample_replays(api_client, iw):
    check = _open(api_client, iw).json()
    replay = api_client.as_(iw.admin).get(f"/api/v1/inspections/{check['id']}/sample").json()
    assert replay["reproducible"] is True
    assert replay["replayed"] == [
        {"kind": s["kind"], "id": s["id"], "reasons": []} for s in check["sample"]
    ] or [(r["kind"], r["id"]) for r in replay["replayed"]] == [(s["kind"], s["id"]) for s in check["sample"]]


def test_findings_through_rectification(api_client, iw):
    check = _open(api_client, iw).json()
    base = f"/api/v1/inspections/{check['id']}/findings"
    deadline = (iw.day + dt.timedelta(days=10)).isoformat()
    created = api_client.as_(iw.checker).post(
        base, {"title": "大额采购未上会", "severity": "high", "deadline": deadline}
    )
    assert created.status_code == 201
    finding = created.json()
    assert finding["status"] == "open" and finding["owner"] == iw.principal.username and finding["id"]
    refused = api_client.as_(iw.principal).post(base, {"title": "x", "severity": "low", "deadline": deadline})
    assert refused.status_code == 403 and refused.json()["error"]["rule"] == "R-SUP-2"
    bad = api_client.as_(iw.checker).post(base, {"title": "x", "severity": "grave", "deadline": deadline})
    assert bad.status_code == 422
    one = f"{base}/{finding['id']}"
    assert api_client.as_(iw.staff).post(f"{one}/answer", {"response": "好"}).status_code == 404
    answered = api_client.as_(iw.principal).post(f"{one}/answer", {"response": "已补开党组会审议"})
    assert answered.status_code == 200 and answered.json()["status"] == "answered"
    assert api_client.as_(iw.principal).post(f"{one}/accept", {}).status_code == 403
    accepted = api_client.as_(iw.checker_b).post(f"{one}/accept", {"note": "同意销号"})
    assert accepted.status_code == 200 and accepted.json()["status"] == "accepted"
    listed = api_client.as_(iw.principal).get(base).json()
    assert listed["count"] == 1 and listed["items"][0]["status"] == "accepted"
