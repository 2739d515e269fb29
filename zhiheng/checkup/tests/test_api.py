"""API.md "Integrity gates (R-GATE-1..4)" through HTTP, per persona: who files, who sees (404 to everyone
else), what the commission records, where a candidate stands, and that every read of a sealed declaration
is a ledger entry."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from zhiheng.checkup.models import Declaration, ExamSitting, Opinion
from zhiheng.core import clock
from zhiheng.ledger.models import Entry
from zhiheng.matters.models import Matter

from .test_checks import clean_items

PERSONAS = (
    "principal",
    "deputy",
    "staff",
    "inspector",
    "admin",
    "other_admin",
    "other_principal",
    "outsider",
)
SEE = {"deputy", "admin"}  # the candidate (the deputy) and their district's commission


def _declare(api, w, by=None, year=2025, items=None):
    return api.as_(by or w.deputy).post(
        f"/api/v1/people/{w.deputy.username}/declarations", {"year": year, "items": items or clean_items()}
    )


def test_the_person_files_and_is_answered_with_the_checks_and_score(api_client, world):
    response = _declare(api_client, world, items={"salary": "abc"})
    assert response.status_code == 201, response.content
    body = response.json()
    assert set(body) >= {"id", "risk_score", "checks"}
    assert {c["code"] for c in body["checks"]} == {"completeness", "arithmetic"}
    assert body["risk_score"] == sum(c["weight"] for c in body["checks"]) == 35
    assert all(set(c) == {"code", "message", "weight"} for c in body["checks"])
    entry = Entry.objects.get(event_type="checkup.declaration_filed")
    assert entry.actor == world.deputy.username and entry.district == world.district.code


@pytest.mark.parametrize("persona", PERSONAS)
def test_nobody_files_in_anothers_name(api_client, world, persona):
    if persona == "deputy":
        return
    status = _declare(api_client, world, by=getattr(world, persona)).status_code
    assert status == (403 if persona in SEE else 404)
    assert not Declaration.objects.exists()


def test_a_correction_is_the_next_version_and_bad_input_writes_nothing(api_client, world):
    assert _declare(api_client, world).json()["risk_score"] == 0
    again = _declare(api_client, world).json()
    assert Declaration.objects.get(pk=again["id"]).version == 2
    assert _declare(api_client, world, year=1990).status_code == 422
    assert _declare(api_client, world, year=clock.today().year + 5).status_code == 422
    bad = api_client.as_(world.deputy).post(
        f"/api/v1/people/{world.deputy.username}/declarations",
        {"year": 2025, "items": ["not", "an", "object"]},
    )
    assert bad.status_code == 422
    assert Declaration.objects.count() == 2


@pytest.mark.parametrize("persona", PERSONAS)
def test_integrity_is_seen_by_the_person_and_their_commission_only(api_client, world, persona):
    response = api_client.as_(getattr(world, persona)).get(
        f"/api/v1/people/{world.deputy.username}/integrity"
    )
    assert response.status_code == (200 if persona in SEE else 404)
    if persona in SEE:
        body = response.json()
        assert body["exam"]["status"] == "none"
        assert body["declaration"] == {"year": None, "status": "none", "risk_score": None, "checks": []}
        assert body["opinion"]["status"] == "none"
        assert len(body["prerequisites"]) == 3
    assert api_client.as_(world.admin).get("/api/v1/people/nobody-at-all/integrity").status_code == 404


def test_the_three_gates_through_the_api(api_client, world):
    admin = api_client.as_(world.admin)
    base = f"/api/v1/people/{world.deputy.username}"
    first, make_up = clock.today() - dt.timedelta(days=30), clock.today() - dt.timedelta(days=10)
    _declare(api_client, world, year=clock.today().year)
    assert len(admin.get(f"{base}/integrity").json()["prerequisites"]) == 2
    failed = admin.post(f"{base}/exams", {"score": "55", "sat_on": first.isoformat()})
    assert failed.status_code == 201 and failed.json()["status"] == "failed" and failed.json()["attempt"] == 1
    passed = admin.post(f"{base}/exams", {"score": 82.5, "sat_on": make_up.isoformat()})
    assert passed.json() | {"id": 0} == {
        "id": 0,
        "attempt": 2,
        "score": "82.5",
        "passed": True,
        "status": "passed",
    }
    assert (
        admin.post(f"{base}/exams", {"score": 90, "sat_on": make_up.isoformat()}).status_code == 409
    )  # R-GATE-1
    assert (
        admin.post(f"{base}/opinions", {"status": "no_objection", "reasons": "档案无异常"}).status_code == 201
    )
    body = admin.get(f"{base}/integrity").json()
    assert body["exam"]["status"] == "passed" and body["exam"]["score"] == "82.5"
    assert body["exam"]["valid_until"] == (make_up + dt.timedelta(days=365)).isoformat()
    assert body["declaration"]["status"] == "filed" and body["declaration"]["risk_score"] == 0
    assert body["opinion"]["status"] == "no_objection"
    assert body["prerequisites"] == []
    # the buttons follow the rules: no sitting is left once passed; the opinion may always be revised
    assert body["actions"] == {"declare": False, "record_exam": False, "issue_opinion": True}
    assert api_client.as_(world.deputy).get(f"{base}/integrity").json()["actions"] == {
        "declare": True,
        "record_exam": False,
        "issue_opinion": False,
    }
    # an objection issued later is the opinion in force
    admin.post(f"{base}/opinions", {"status": "objection", "reasons": "核实中发现问题"})
    assert admin.get(f"{base}/integrity").json()["prerequisites"] == [
        "纪委尚未出具“无异议”的廉政意见（R-GATE-4）"
    ]


def test_a_failed_make_up_cancels_the_candidacy_in_the_ledger(api_client, world):
    admin = api_client.as_(world.admin)
    base = f"/api/v1/people/{world.deputy.username}"
    admin.post(f"{base}/exams", {"score": 40, "sat_on": "2026-03-01"})
    second = admin.post(f"{base}/exams", {"score": 59.5, "sat_on": "2026-03-20"}).json()
    assert second["status"] == "disqualified"
    assert Entry.objects.filter(event_type="checkup.candidacy_cancelled").count() == 1
    assert admin.get(f"{base}/integrity").json()["exam"]["status"] == "disqualified"


@pytest.mark.parametrize("persona", PERSONAS)
def test_only_the_commission_records_exams_and_opinions(api_client, world, persona):
    who = api_client.as_(getattr(world, persona))
    base = f"/api/v1/people/{world.deputy.username}"
    exam = who.post(f"{base}/exams", {"score": 70, "sat_on": "2026-03-01"}).status_code
    opinion = who.post(f"{base}/opinions", {"status": "objection", "reasons": "x"}).status_code
    expected = {"admin": 201, "deputy": 403}.get(persona, 404)
    assert exam == opinion == expected
    assert ExamSitting.objects.count() == Opinion.objects.count() == (1 if persona == "admin" else 0)


def test_every_read_of_a_declaration_is_in_the_ledger(api_client, world):
    filed = _declare(api_client, world).json()
    path = f"/api/v1/people/{world.deputy.username}/declarations/{filed['id']}"
    assert api_client.as_(world.admin).get(path).json()["items"]["real_estate"][0]["address"] == "城南路1号"
    assert api_client.as_(world.deputy).get(path).status_code == 200
    assert api_client.as_(world.principal).get(path).status_code == 404
    reads = Entry.objects.filter(event_type="checkup.declaration_read").order_by("index")
    assert [(e.actor, e.subject) for e in reads] == [
        (world.admin.username, f"declaration:{filed['id']}"),
        (world.deputy.username, f"declaration:{filed['id']}"),
    ]
    # the list shows no sealed content and is not a read
    listed = api_client.as_(world.admin).get(f"/api/v1/people/{world.deputy.username}/declarations").json()
    assert listed["count"] == 1 and "items" not in listed["items"][0]
    assert reads.count() == 2


def test_the_queue_orders_the_commissions_people_by_risk(api_client, world):
    Matter.objects.filter(unit=world.unit).delete()
    _declare(api_client, world, items={"salary": 1})  # incomplete: 20
    api_client.as_(world.staff).post(
        f"/api/v1/people/{world.staff.username}/declarations", {"year": 2025, "items": clean_items()}
    )
    queue = api_client.as_(world.admin).get("/api/v1/checkup/queue").json()
    assert [row["person"] for row in queue["items"]] == [world.deputy.username, world.staff.username]
    assert [row["risk_score"] for row in queue["items"]] == [20, 0]
    assert api_client.as_(world.other_admin).get("/api/v1/checkup/queue").json()["count"] == 0
    assert api_client.as_(world.deputy).get("/api/v1/checkup/queue").json()["count"] == 0


def test_exam_input_is_checked(api_client, world):
    admin = api_client.as_(world.admin)
    base = f"/api/v1/people/{world.deputy.username}"
    for bad in ({"score": 101, "sat_on": "2026-01-01"}, {"score": 50, "sat_on": "yesterday"}, {"score": "x"}):
        assert admin.post(f"{base}/exams", bad).status_code == 422
    assert admin.post(f"{base}/opinions", {"status": "maybe"}).status_code == 422
    assert not ExamSitting.objects.exists() and not Opinion.objects.exists()
    assert Decimal("0") == sum(s.score for s in ExamSitting.objects.all())
