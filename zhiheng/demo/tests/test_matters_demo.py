"""On a fresh demo, through the API (issue #5 "done when"): the principal's approve gets 403 R-MAT-2 and
an RF1 warning appears in GET /warnings; the deputy in charge approves a small matter; a matter over
the threshold is refused with 409 R-MAT-3. Also the demo's R-MAT guarantees."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from zhiheng.accounts.services import issue_token
from zhiheng.core import clock
from zhiheng.demo.tests.snapshot import restore_demo
from zhiheng.matters.models import BudgetLine, Matter
from zhiheng.org.models import Unit
from zhiheng.powers.selectors import deputy_in_charge, get_power

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 11, 24)


@pytest.fixture
def demo():
    with clock.frozen(clock.at(TODAY)):
        restore_demo(TODAY)
        yield


def login(api_client, username):
    return type(api_client)(issue_token(username=username, password="zhiheng-demo"))


def test_acceptance_through_the_api(demo, api_client):
    unit = Unit.objects.get(code="jb-fsz")
    staff = login(api_client, "jb-fsz-staff1")
    principal = login(
        api_client,
        next(
            t["username"]
            for t in staff.get("/api/v1/units/jb-fsz/team").json()["items"]
            if t["role"] == "principal"
        ),
    )
    open_small = staff.get("/api/v1/matters", {"unit": "jb-fsz", "state": "submitted"}).json()["items"]
    small = next(m for m in open_small if not m["requires"]["collective"] and m["power"] == "finance")
    assert small["budget_line"] and Decimal(small["amount"]) < 50000

    r = principal.post(f"/api/v1/matters/{small['id']}/approve", {})
    assert r.status_code == 403 and r.json()["error"]["rule"] == "R-MAT-2"
    admin = login(api_client, "jiangbei-admin")
    warnings = admin.get("/api/v1/warnings", {"unit": "jb-fsz", "rule": "RF1"}).json()
    assert warnings["count"] >= 1 and warnings["items"][0]["subject"] == f"matter:{small['id']}"

    deputy = deputy_in_charge(unit, get_power(unit, "finance"))
    assert small["deputy"] == deputy.username
    r = login(api_client, deputy.username).post(f"/api/v1/matters/{small['id']}/approve", {"comment": "同意"})
    assert r.status_code == 200 and r.json()["state"] == "approved"

    r = staff.post(
        "/api/v1/matters",
        {
            "unit": "jb-fsz",
            "power": "finance",
            "title": "会议室改造",
            "amount": "60000.00",
            "counterparty": "某装修公司",
            "budget_line": "office",
        },
    )
    assert r.status_code == 201 and r.json()["requires"]["collective"] is True
    r = login(api_client, deputy.username).post(f"/api/v1/matters/{r.json()['id']}/approve", {})
    assert r.status_code == 409 and r.json()["error"]["rule"] == "R-MAT-3"


def test_every_demo_unit_has_budget_lines_and_open_matters(demo, api_client):
    for unit in Unit.objects.all():
        assert BudgetLine.objects.filter(unit=unit).count() >= 3
        assert Matter.objects.filter(unit=unit, state="submitted", requires_collective=False).exists()
        assert Matter.objects.filter(unit=unit, requires_collective=True, state="submitted").exists()
    for line in BudgetLine.objects.all():
        assert line.reserved <= line.amount
    ncjd = Matter.objects.get(
        title="电脑耗材货款结算（供应商多次上门催办）"
    )  # the seed story (steps/matters.py)
    assert (ncjd.decided_at - ncjd.submitted_at).days > 90
    assert Matter.objects.filter(unit__code="nc-hbj", amount="296000000.00").exists()


def test_after_the_full_build_pools_and_inboxes_are_not_empty(demo):
    """The meetings step runs after ours: some units still have an agenda pool, co-sign-pending matters
    wait in every missing co-signer's inbox, and every unit has an open matter in someone's inbox."""
    from zhiheng.matters.selectors import inbox_of, list_awaiting_collective
    from zhiheng.org.selectors import memberships_on

    units = list(Unit.objects.all())
    pools = {u.code: list(list_awaiting_collective(u)) for u in units}
    assert sum(1 for p in pools.values() if p) >= 3, {k: len(v) for k, v in pools.items()}
    pending = list(Matter.objects.filter(state="awaiting_cosign"))
    assert pending, "the meetings step leaves co-sign-pending matters"
    for m in pending:
        for c in m.cosigns.filter(signed_at__isnull=True).select_related("signer"):
            assert inbox_of(c.signer).filter(pk=m.pk).exists(), (m.pk, c.signer.username)
    for unit in units:
        people = {ms.person for ms in memberships_on(unit)}
        assert any(inbox_of(p).filter(unit=unit).exists() for p in people), unit.code
