"""The acceptance path of API.md on a fresh demo, driven only through the public contract.

One journey per capability, each starting from `zhiheng.demo.builder.build()` and the demo accounts
(password zhiheng-demo), discovering people through the API the way an integration would.
"""

from __future__ import annotations

import pytest

from zhiheng.demo import builder

pytestmark = pytest.mark.django_db

PASSWORD = "zhiheng-demo"
UNIT = "jb-fsz"  # 复盛镇, the seed's only pilot township


class Caller:
    def __init__(self, client, username: str):
        self.client = client
        response = client.post(
            "/api/v1/auth/token",
            {"username": username, "password": PASSWORD},
            content_type="application/json",
        )
        assert response.status_code == 200, response.content
        self.auth = {"HTTP_AUTHORIZATION": f"Bearer {response.json()['token']}"}

    def get(self, path, params=None):
        return self.client.get(path, params or {}, **self.auth)

    def post(self, path, body=None, **headers):
        extra = {f"HTTP_{k.upper().replace('-', '_')}": v for k, v in headers.items()}
        return self.client.post(path, body or {}, content_type="application/json", **self.auth, **extra)


@pytest.fixture
def demo(db):
    builder.build()


def team_of(caller: Caller, unit: str) -> dict[str, list[str]]:
    by_role: dict[str, list[str]] = {}
    for member in caller.get(f"/api/v1/units/{unit}/team", {"limit": 500}).json()["items"]:
        by_role.setdefault(member["role"], []).append(member["username"])
    return by_role


def test_units_teams_powers_and_division(demo, client):
    admin = Caller(client, "jiangbei-admin")
    units = admin.get("/api/v1/units", {"limit": 100}).json()
    assert "复盛镇" in {u["name"] for u in units["items"]}
    team = team_of(admin, UNIT)
    assert len(team["principal"]) == 1 and len(team["deputy"]) >= 3
    assert len(team["inspector"]) == 1 and len(team["staff"]) >= 2

    powers = admin.get(f"/api/v1/units/{UNIT}/powers").json()
    restricted = [
        p["code"] for p in (powers["items"] if isinstance(powers, dict) else powers) if p["restricted"]
    ]
    assert {"finance", "personnel", "procurement"} <= set(restricted)
    division = admin.get(f"/api/v1/units/{UNIT}/division").json()
    assert division["status"] == "filed"
    assigned = {a["power"]: a["deputy"] for a in division["assignments"]}
    assert set(restricted) <= assigned.keys()
    assert not set(assigned.values()) & set(team["principal"])

    principal = Caller(client, team["principal"][0])
    bad = principal.post(
        f"/api/v1/units/{UNIT}/division",
        {"assignments": [{"power": p, "deputy": team["principal"][0]} for p in restricted]},
    )
    assert bad.status_code == 422
    assert bad.json()["error"]["rule"] == "R-DIV-4"
    assert len(bad.json()["error"]["detail"]["violations"]) >= len(restricted)

    good_assignments = [
        {"power": p, "deputy": team["deputy"][i % len(team["deputy"])]} for i, p in enumerate(restricted)
    ]
    draft = principal.post(f"/api/v1/units/{UNIT}/division", {"assignments": good_assignments})
    assert draft.status_code == 201, draft.content
    version = draft.json()["version"]
    filed = principal.post(f"/api/v1/units/{UNIT}/division/{version}/file")
    assert filed.status_code == 200, filed.content
    in_force = principal.get(f"/api/v1/units/{UNIT}/division").json()
    assert in_force["version"] == version

    deputy = Caller(client, team["deputy"][0])
    assert deputy.post(f"/api/v1/units/{UNIT}/division", {"assignments": good_assignments}).status_code == 403


def test_matters_principal_never_approves_deputy_does_large_sums_go_collective(demo, client):
    admin = Caller(client, "jiangbei-admin")
    team = team_of(admin, UNIT)
    division = admin.get(f"/api/v1/units/{UNIT}/division").json()
    finance_deputy = next(a["deputy"] for a in division["assignments"] if a["power"] == "finance")
    staff = Caller(client, team["staff"][0])
    lines = staff.get(f"/api/v1/units/{UNIT}/budget-lines").json()["items"]
    line = next(ln for ln in lines if float(ln["remaining"]) >= 10000)

    small = staff.post(
        "/api/v1/matters",
        {
            "unit": UNIT,
            "power": "finance",
            "title": "办公耗材结算",
            "amount": "4980.00",
            "counterparty": "某电脑耗材公司",
            "budget_line": line["code"],
        },
    )
    assert small.status_code == 201, small.content
    body = small.json()
    assert body["state"] == "submitted" and body["deputy"] == finance_deputy
    assert body["requires"]["collective"] is False

    principal = Caller(client, team["principal"][0])
    refused = principal.post(f"/api/v1/matters/{body['id']}/approve", {"comment": "同意"})
    assert refused.status_code == 403
    assert refused.json()["error"]["rule"] == "R-MAT-2"
    warnings = admin.get("/api/v1/warnings", {"unit": UNIT, "rule": "RF1"}).json()
    assert warnings["count"] >= 1 and warnings["items"][0]["rule"] == "RF1"

    approved = Caller(client, finance_deputy).post(
        f"/api/v1/matters/{body['id']}/approve", {"comment": "同意"}
    )
    assert approved.status_code == 200, approved.content
    assert approved.json()["state"] in {"approved", "awaiting_cosign"}

    large = staff.post(
        "/api/v1/matters",
        {
            "unit": UNIT,
            "power": "finance",
            "title": "道路维修工程款",
            "amount": "60000.00",
            "counterparty": "某建筑公司",
            "budget_line": line["code"],
        },
    )
    assert large.status_code == 201 and large.json()["requires"]["collective"] is True
    alone = Caller(client, finance_deputy).post(f"/api/v1/matters/{large.json()['id']}/approve", {})
    assert alone.status_code == 409
    assert alone.json()["error"]["rule"] == "R-MAT-3"


def test_meeting_principal_speaks_last_and_close_computes(demo, client):
    admin = Caller(client, "jiangbei-admin")
    team = team_of(admin, UNIT)
    principal = Caller(client, team["principal"][0])
    created = principal.post(
        "/api/v1/meetings",
        {
            "unit": UNIT,
            "kind": "party_committee",
            "date": "2026-11-24",
            "items": [{"title": "关于镇文化站改造方案的议题"}],
        },
    )
    assert created.status_code == 201, created.content
    meeting = created.json()
    item = meeting["items"][0]["id"]
    voting = team["deputy"] + team["principal"]
    attendance = principal.post(
        f"/api/v1/meetings/{meeting['id']}/attendance", {"present": voting, "observers": team["inspector"]}
    )
    assert attendance.status_code in {200, 201}, attendance.content
    statements = f"/api/v1/meetings/{meeting['id']}/items/{item}/statements"

    early = principal.post(statements, {"position": "agree", "reason": "同意"})
    assert early.status_code == 409
    assert early.json()["error"]["rule"] == "R-MTG-3"

    vague = Caller(client, team["deputy"][0]).post(statements, {"reason": "都可以"})
    assert vague.status_code == 422
    assert vague.json()["error"]["rule"] in {"R-MTG-4", "validation"}

    for username in team["deputy"]:
        said = Caller(client, username).post(statements, {"position": "agree", "reason": "方案可行，同意"})
        assert said.status_code == 201, said.content
    last = principal.post(statements, {"position": "agree", "reason": "同意，按程序实施"})
    assert last.status_code == 201, last.content

    closed = principal.post(f"/api/v1/meetings/{meeting['id']}/close")
    assert closed.status_code == 200, closed.content
    decision = closed.json()["items"][0]
    assert decision["decision"] == "passed"
    assert decision["agree"] == len(voting)


def test_ledger_checkpoint_and_proofs(demo, client):
    admin = Caller(client, "jiangbei-admin")
    checkpoint = admin.get("/api/v1/ledger/checkpoint").json()
    assert {"size", "root", "timestamp", "signature", "key_id"} <= checkpoint.keys()
    size = checkpoint["size"]
    assert size > 0
    proof = admin.get("/api/v1/ledger/proofs/inclusion", {"index": 0, "size": size})
    assert proof.status_code == 200
    assert proof.json()["index"] == 0 and proof.json()["size"] == size
    consistency = admin.get("/api/v1/ledger/proofs/consistency", {"first": 1, "second": size})
    assert consistency.status_code == 200
