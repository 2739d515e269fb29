"""API.md R-DIV endpoints: exact status codes, error.rule, and the persona matrix (draft, file, view)."""

from __future__ import annotations

import datetime as dt

import pytest

from zhiheng.ledger.models import Entry
from zhiheng.powers import services
from zhiheng.powers.models import DivisionPlan, PlanStatus

from .conftest import DAY, filed_plan

pytestmark = pytest.mark.django_db

BASE = "/api/v1/units/t-unit"


def body(w):
    return {"assignments": [{"power": p, "deputy": d} for p, d in w.valid]}


def test_powers_list_shape(pw, api_client):
    r = api_client.as_(pw.staff).get(f"{BASE}/powers")
    assert r.status_code == 200
    data = r.json()
    assert data["count"] == 5
    finance = next(i for i in data["items"] if i["code"] == "finance")
    assert {k: finance[k] for k in ("code", "name", "category", "restricted")} == {
        "code": "finance",
        "name": "财务收支审批",
        "category": "finance",
        "restricted": True,
    }
    assert next(i for i in data["items"] if i["code"] == "general")["restricted"] is False


def test_power_detail_has_flowchart_and_deputy(pw, api_client):
    filed_plan(pw)
    r = api_client.as_(pw.inspector).get(f"{BASE}/powers/finance")
    assert r.status_code == 200
    assert r.json()["flowchart"][0] == {"step": "受理", "role": "经办人", "output": "受理单"}
    assert r.json()["deputy"] == pw.deputy.username


def test_draft_and_file_through_the_api(pw, api_client):
    api = api_client.as_(pw.principal)
    r = api.post(f"{BASE}/division", {**body(pw), "note": "首版"})
    assert r.status_code == 201, r.content
    assert (r.json()["version"], r.json()["status"], r.json()["in_force_from"]) == (1, "draft", None)
    assert api.get(f"{BASE}/division").status_code == 404
    r = api.post(f"{BASE}/division/1/file", {"in_force_from": "2026-03-05"})
    assert r.status_code == 200
    assert (r.json()["status"], r.json()["in_force_from"]) == ("filed", "2026-03-05")
    assert r.json()["filed_at"].endswith("+08:00")
    assert api.get(f"{BASE}/division").status_code == 404  # not yet in force on 2026-03-02
    got = api.get(f"{BASE}/division", {"on": "2026-03-05"})
    assert got.status_code == 200
    assert {(a["power"], a["deputy"]) for a in got.json()["assignments"]} == set(pw.valid)
    assert api.post(f"{BASE}/division/1/file").status_code == 409
    assert api.post(f"{BASE}/division/1/file").json()["error"]["rule"] == "R-DIV-5"


def test_invalid_plan_is_422_with_every_violation_and_nothing_stored(pw, api_client):
    before = (Entry.objects.count(), DivisionPlan.objects.count())
    bad = {"assignments": [{"power": "finance", "deputy": pw.principal.username}]}
    r = api_client.as_(pw.principal).post(f"{BASE}/division", bad)
    assert r.status_code == 422
    error = r.json()["error"]
    assert error["rule"] == "R-DIV-4"
    assert sorted(v["power"] for v in error["detail"]["violations"]) == [
        "construction",
        "finance",
        "personnel",
        "procurement",
    ]
    assert all(
        set(v) >= {"rule", "power", "message"} and v["rule"] == "R-DIV-4"
        for v in error["detail"]["violations"]
    )
    assert (Entry.objects.count(), DivisionPlan.objects.count()) == before


@pytest.mark.parametrize(
    "bad",
    [
        {},
        {"assignments": "x"},
        {"assignments": [{"power": ""}]},
        {"assignments": [], "in_force_from": "soon"},
    ],
)
def test_malformed_body_is_422_validation(pw, api_client, bad):
    r = api_client.as_(pw.principal).post(f"{BASE}/division", bad)
    assert r.status_code == 422
    assert r.json()["error"]["rule"] == "validation"


# Persona matrix: (persona, GET /powers, GET /division, POST draft, sees drafts)
MATRIX = [
    ("admin", 200, 200, 403, True),
    ("principal", 200, 200, 201, True),
    ("deputy", 200, 200, 403, True),
    ("deputy2", 200, 200, 403, True),
    ("inspector", 200, 200, 403, True),
    ("staff", 200, 200, 403, False),
    ("staff2", 200, 200, 403, False),
    ("other_principal", 404, 404, 404, False),
    ("other_admin", 404, 404, 404, False),
    ("outsider", 404, 404, 404, False),
]


@pytest.mark.parametrize(("who", "powers", "division", "draft", "drafts"), MATRIX)
def test_persona_matrix(pw, api_client, who, powers, division, draft, drafts):
    filed_plan(pw)
    pending = services.draft_plan(by=pw.principal, unit=pw.unit, assignments=pw.valid)
    api = api_client.as_(getattr(pw, who))
    assert api.get(f"{BASE}/powers").status_code == powers
    assert api.get(f"{BASE}/division").status_code == division
    before = (Entry.objects.count(), DivisionPlan.objects.count())
    r = api.post(f"{BASE}/division", body(pw))
    assert r.status_code == draft
    if draft == 403:
        assert r.json()["error"]["rule"] == "R-DIV-5"
    if draft != 201:
        assert (Entry.objects.count(), DivisionPlan.objects.count()) == before
    versions = api.get(f"{BASE}/division/versions")
    if powers == 200:
        statuses = [p["status"] for p in versions.json()["items"]]
        assert ("draft" in statuses) is drafts
        assert api.get(f"{BASE}/division/{pending.version}").status_code == (200 if drafts else 404)
    else:
        assert versions.status_code == 404


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("admin", 403),
        ("deputy", 403),
        ("inspector", 403),
        ("staff", 404),
        ("outsider", 404),
        ("other_admin", 404),
    ],
)
def test_only_the_principal_files(pw, api_client, who, status):
    plan = services.draft_plan(by=pw.principal, unit=pw.unit, assignments=pw.valid)
    before = Entry.objects.count()
    r = api_client.as_(getattr(pw, who)).post(f"{BASE}/division/{plan.version}/file")
    assert r.status_code == status
    if status == 403:
        assert r.json()["error"]["rule"] == "R-DIV-5"
    plan.refresh_from_db()
    assert plan.status == PlanStatus.DRAFT
    assert Entry.objects.count() == before


def test_no_token_is_401(pw, api_client):
    assert api_client.get(f"{BASE}/powers").status_code == 401
    assert api_client.post(f"{BASE}/division", body(pw)).status_code == 401


def test_in_charge_and_held_by_and_history(pw, api_client):
    filed_plan(pw)
    moved = [(p, pw.deputy.username) if p == "construction" else (p, d) for p, d in pw.valid]
    filed_plan(pw, moved, on=DAY + dt.timedelta(days=7))
    api = api_client.as_(pw.staff)
    r = api.get(f"{BASE}/powers/construction/in-charge", {"on": "2026-03-02"})
    assert (r.status_code, r.json()["deputy"], r.json()["plan_version"]) == (200, pw.deputy2.username, 1)
    r = api.get(f"{BASE}/powers/construction/in-charge", {"on": "2026-03-09"})
    assert (r.json()["deputy"], r.json()["plan_version"]) == (pw.deputy.username, 2)
    r = api.get(f"{BASE}/people/{pw.deputy.username}/powers", {"on": "2026-03-09"})
    assert r.json()["powers"] == ["finance", "construction"]
    assert api.get(f"{BASE}/division", {"on": "2026-03-01"}).status_code == 404
    assert api.get(f"{BASE}/division", {"on": "nope"}).status_code == 422
    assert [p["version"] for p in api.get(f"{BASE}/division/versions").json()["items"]] == [2, 1]
    assert api.get(f"{BASE}/powers/nope").status_code == 404


def test_filing_board_for_the_commission_admin_only(pw, api_client):

    services.set_deadline(
        by=pw.admin, district=pw.district, label="2026年度", opens_on=DAY, due=DAY + dt.timedelta(days=3)
    )
    filed_plan(pw)
    r = api_client.as_(pw.admin).get("/api/v1/districts/testdistrict/filing-board")
    assert r.status_code == 200
    assert {u["unit"]: u["status"] for u in r.json()["units"]} == {"t-unit": "filed", "t-other": "missing"}
    assert api_client.as_(pw.principal).get("/api/v1/districts/testdistrict/filing-board").status_code == 403
    assert (
        api_client.as_(pw.other_admin).get("/api/v1/districts/testdistrict/filing-board").status_code == 404
    )
    assert api_client.as_(pw.outsider).get("/api/v1/districts/testdistrict/filing-board").status_code == 404
