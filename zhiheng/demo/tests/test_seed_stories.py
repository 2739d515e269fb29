"""The seed's stories as a user finds them in a fresh demo, checked through the API (issue 13 item 6).

The demo is built once for the module inside a transaction rolled back after it; every check reads
/api/v1/... with a bearer token, as the persona who would look.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal

import pytest
from django.db import transaction

from zhiheng.demo.context import YEAR
from zhiheng.demo.tests.snapshot import restore_demo

pytestmark = pytest.mark.django_db

PASSWORD = "zhiheng-demo"


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        restore_demo()
        try:
            yield
        finally:
            transaction.set_rollback(True)


class Caller:
    def __init__(self, client, token: str) -> None:
        self.client, self.auth = client, {"HTTP_AUTHORIZATION": f"Bearer {token}"}

    def get(self, path: str, **params):
        response = self.client.get(path, params, **self.auth)
        assert response.status_code == 200, (path, response.content[:300])
        return response.json()

    def items(self, path: str, **params) -> list[dict]:
        out, offset = [], 0
        while True:
            page = self.get(path, limit=500, offset=offset, **params)
            out += page["items"]
            offset += len(page["items"])
            if not page["items"] or offset >= page["count"]:
                return out


@pytest.fixture
def api(demo, client):
    callers: dict[str, Caller] = {}

    def as_(username: str) -> Caller:
        if username not in callers:
            r = client.post(
                "/api/v1/auth/token",
                {"username": username, "password": PASSWORD},
                content_type="application/json",
            )
            assert r.status_code == 200, (username, r.content[:200])
            callers[username] = Caller(client, r.json()["token"])
        return callers[username]

    return as_


def day(iso: str) -> dt.date:
    return dt.datetime.fromisoformat(iso).date()


def find(caller: Caller, unit: str, title_part: str) -> dict:
    found = [m for m in caller.items("/api/v1/matters", unit=unit) if title_part in m["title"]]
    assert len(found) == 1, (unit, title_part, [m["title"] for m in found])
    return caller.get(f"/api/v1/matters/{found[0]['id']}")


def acts(matter: dict) -> list[tuple[str, str | None]]:
    return [(h["action"], h["actor"]) for h in matter["history"]]


def done_at(matter: dict, action: str) -> dt.date:
    return day(next(h["at"] for h in matter["history"] if h["action"] == action))


def name_of(caller: Caller, unit: str, username: str) -> str:
    return next(m["name"] for m in caller.items(f"/api/v1/units/{unit}/team") if m["username"] == username)


def meeting_of(caller: Caller, matter: dict) -> tuple[dict, dict]:
    """The sealed meeting and agenda item that decided the matter ("meeting:12/item:3")."""
    ref = matter["decided_by_meeting"]
    assert ref, matter["title"]
    meeting_id, item_id = (int(part.split(":")[1]) for part in ref.split("/"))
    meeting = caller.get(f"/api/v1/meetings/{meeting_id}")
    assert meeting["state"] == "sealed"
    return meeting, next(i for i in meeting["items"] if i["id"] == item_id)


def test_hbj_financing_signed_by_its_deputy_and_cosigned_to_execution(api):
    """环保局: ¥2.96亿, the deputy in charge 柯明远 signs, the team decides, the leaders co-sign, executed."""
    inspector = api("nc-hbj-inspector")
    m = find(inspector, "nc-hbj", "融资")
    assert m["amount"] == "296000000.00" and m["state"] == "executed"
    assert m["deputy"] == "nc-hbj-deputy1" and name_of(inspector, "nc-hbj", "nc-hbj-deputy1") == "柯明远"
    assert m["cosigns"] and all(c["signed_at"] for c in m["cosigns"])
    assert {c["signer"] for c in m["cosigns"]} >= {"nc-hbj-deputy1", "nc-hbj-inspector"}
    assert ("executed", "nc-hbj-deputy1") in acts(m)
    order = [a for a, _ in acts(m)]
    assert order.index("collective") < order.index("cosigned") < order.index("executed")
    assert done_at(m, "executed") == dt.date(YEAR, 5, 12)
    _, item = meeting_of(inspector, m)
    assert item["decision"] == "passed" and item["statements"][-1]["member"] == "nc-hbj-principal"


def test_fgj_cosigned_purchases_completed_and_one_vetoed(api):
    """房管局: 预算申报制 and 领导会签制 — two major purchases co-signed and executed; one vetoed by the
    principal while awaiting co-signatures, then turned down by the team."""
    inspector = api("jb-fgj-inspector")
    for part in ("电梯", "档案数字化"):
        m = find(inspector, "jb-fgj", part)
        assert Decimal(m["amount"]) >= 200000 and m["budget_line"] == "equipment"
        assert m["state"] == "executed" and m["decided_by_meeting"]
        assert len(m["cosigns"]) == 3 and all(c["signed_at"] for c in m["cosigns"])
        assert {c["role"] for c in m["cosigns"]} == {"deputy", "finance_deputy", "inspector"}
        assert max(day(c["signed_at"]) for c in m["cosigns"]) <= done_at(m, "executed")
    car = find(inspector, "jb-fgj", "车辆")
    assert ("vetoed", "jb-fgj-principal") in acts(car)
    assert car["state"] == "rejected" and "executed" not in [a for a, _ in acts(car)]
    _, item = meeting_of(inspector, car)
    assert item["decision"] == "rejected"
    assert not inspector.items("/api/v1/matters", unit="jb-fgj", state="awaiting_cosign")


def test_swj_dam_and_weir_executed_two_months_after_the_decision(api):
    inspector = api("nc-swj-inspector")
    for part in ("拦水大坝", "南山堰"):
        m = find(inspector, "nc-swj", part)
        assert m["state"] == "executed" and Decimal(m["amount"]) > 1_000_000
        assert m["deputy"] == "nc-swj-deputy1" and name_of(inspector, "nc-swj", m["deputy"]) == "罗建川"
        meeting, item = meeting_of(inspector, m)
        assert item["decision"] == "passed"
        waited = (done_at(m, "executed") - dt.date.fromisoformat(meeting["date"])).days
        assert 50 <= waited <= 65, waited  # two months, where half a year was the fastest before
        assert done_at(m, "executed") == dt.date(YEAR, 4, 28)


def test_fgw_five_working_groups_decide_with_the_inspector_present(api):
    inspector = api("jb-fgw-inspector")
    groups = [m for m in inspector.items("/api/v1/meetings", unit="jb-fgw") if m["kind"] == "working_group"]
    assert {g["category"] for g in groups} == {
        "finance",
        "personnel",
        "procurement",
        "admin_approval",
        "admin_enforcement",
    }
    for group in groups:
        meeting = inspector.get(f"/api/v1/meetings/{group['id']}")
        assert meeting["state"] == "sealed"
        roles = {a["username"]: a["role"] for a in meeting["attendance"]}
        assert roles.get("jb-fgw-inspector") == "inspector", meeting["title"]
        assert meeting["items"]
        for item in meeting["items"]:
            assert item["decision"] == "passed" and item["matter"]
            assert "jb-fgw-inspector" in [s["member"] for s in item["statements"]]
            assert item["statements"][0]["member"] == item["presenter"]  # the deputy in charge first
            matter = inspector.get(f"/api/v1/matters/{item['matter']}")
            assert matter["decided_by_meeting"] == f"meeting:{meeting['id']}/item:{item['id']}"
            assert matter["state"] == "executed"


def test_jw_campus_agreement_handled_by_its_deputy_within_about_a_month(api):
    inspector = api("nc-jw-inspector")
    m = find(inspector, "nc-jw", "校区")
    assert m["amount"] == "500000000.00" and m["state"] == "executed"
    assert m["deputy"] == "nc-jw-deputy2" and name_of(inspector, "nc-jw", m["deputy"]) == "曾文涛"
    assert ("executed", "nc-jw-deputy2") in acts(m)
    took = (done_at(m, "executed") - day(m["submitted_at"])).days
    assert 28 <= took <= 40, took
    assert done_at(m, "executed") == dt.date(YEAR, 5, 21)


def test_wsj_hospital_led_by_the_principal_decided_collectively_principal_last(api):
    inspector = api("nc-wsj-inspector")
    m = find(inspector, "nc-wsj", "人民医院迁建")
    assert m["amount"] == "1600000000.00" and m["state"] == "executed"
    assert name_of(inspector, "nc-wsj", "nc-wsj-principal") == "孟雅琴" and "孟雅琴" in m["description"]
    _, item = meeting_of(inspector, m)
    speakers = [s["member"] for s in item["statements"]]
    assert item["decision"] == "passed" and speakers[-1] == "nc-wsj-principal"
    assert speakers[0] == m["deputy"] != "nc-wsj-principal"
    # Freed of routine signing: the principal decided none of the unit's matters.
    assert all(
        x["decided_by"] != "nc-wsj-principal" for x in inspector.items("/api/v1/matters", unit="nc-wsj")
    )


def test_wsj_plan_stands_out_as_filed_a_month_early(api):
    board = api("nanchuan-admin").get("/api/v1/districts/nanchuan/filing-board")
    due = dt.date.fromisoformat(board["due"])
    filed = {r["unit"]: day(r["filed_at"]) for r in board["units"] if r["filed_at"]}
    assert filed["nc-wsj"] == dt.date(YEAR, 2, 28) and (due - filed["nc-wsj"]).days >= 30
    assert min(filed, key=filed.__getitem__) == "nc-wsj"
    statuses = {r["unit"]: r["status"] for r in board["units"]}
    assert statuses["nc-jtj"] == "late" and statuses["nc-jsz"] == "missing"


def test_matters_vary_across_units(api):
    """No (title, amount) pair appears in two units; no title appears in every unit."""
    units_of: dict[tuple[str, str | None], set[str]] = defaultdict(set)
    titles: dict[str, set[str]] = defaultdict(set)
    all_units = set()
    for district in ("jiangbei", "nanchuan", "yongchuan"):
        for m in api(f"{district}-admin").items("/api/v1/matters"):
            units_of[(m["title"], m["amount"])].add(m["unit"])
            titles[m["title"]].add(m["unit"])
            all_units.add(m["unit"])
    assert len(all_units) > 20
    repeated = {pair: units for pair, units in units_of.items() if len(units) > 1}
    assert not repeated, repeated
    assert max(len(u) for u in titles.values()) < len(all_units) // 2


def test_warnings_are_raised_by_the_real_red_flags_where_the_history_triggers_them(api):
    """RF1: 南城街道's and 交通局's principals tried to sign restricted matters. The late and missing plans and
    the long waits raise warnings only through their own red flags (RF6, RF7) once these exist."""
    from zhiheng.risk.redflags import RULES

    admin = api("nanchuan-admin")
    rf1 = admin.items("/api/v1/warnings", rule="RF1")
    assert {w["unit"] for w in rf1} >= {"nc-ncjd", "nc-jtj"}
    for w in rf1:
        matter = admin.get(f"/api/v1/matters/{w['subject'].split(':')[1]}")
        assert matter["state"] in ("approved", "executed") and matter["decided_by"] == matter["deputy"]
    all_rules = {
        w["rule"]
        for d in ("jiangbei", "nanchuan", "yongchuan")
        for w in api(f"{d}-admin").items("/api/v1/warnings")
    }
    assert all_rules <= set(RULES), all_rules  # nothing but the registered red flags raised anything
    if "RF6" in RULES:
        rf6 = {w["unit"] for w in admin.items("/api/v1/warnings", rule="RF6")}
        assert {"nc-jtj", "nc-jsz"} <= rf6


def test_the_ledger_of_the_stories_verifies(demo):
    from zhiheng.ledger.services import verify_all

    report = verify_all()
    assert report.ok, report
