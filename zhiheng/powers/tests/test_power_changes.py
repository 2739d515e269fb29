"""Issue 9 hole 7: the unit cannot re-categorise or deactivate its restricted powers on its own.

A change of the restricted catalogue made by the unit (its principal) waits for the district's
commission admin, who accepts or rejects it; every step is on the ledger. Made by the admin, it applies
at once. The restricted list itself (template + X choice) is the commission's alone.
"""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from zhiheng.core.errors import Conflict, Forbidden, Invalid
from zhiheng.ledger.models import Entry
from zhiheng.powers import excel, selectors, services
from zhiheng.powers.models import Power, PowerChange, PowerChangeStatus, UnitPolicy

from .conftest import DAY, set_policy

pytestmark = pytest.mark.django_db
PASSWORD = "zhiheng-test-pass"


def finance(w) -> Power:
    return Power.objects.select_related("category").get(unit=w.unit, code="finance")


def entries(event_type: str) -> list[dict]:
    return [json.loads(e.text) for e in Entry.objects.filter(event_type=event_type).order_by("index")]


def recategorise(w, by, category="general", **extra):
    return services.save_power(
        by=by, unit=w.unit, code="finance", name="财务收支审批", category=category, **extra
    )


def propose(w) -> PowerChange:
    recategorise(w, w.principal)
    return PowerChange.objects.get(power=finance(w), status=PowerChangeStatus.PENDING)


# --- services -----------------------------------------------------------------------------------------


def test_principal_recategorising_a_restricted_power_leaves_it_pending(pw):
    assert selectors.is_restricted(finance(pw))
    recategorise(pw, pw.principal)
    power = finance(pw)
    assert power.category.code == "finance" and selectors.is_restricted(power)  # unchanged
    change = PowerChange.objects.get()
    assert (change.status, change.proposed_by, change.unit) == ("pending", pw.principal, pw.unit)
    assert change.before == {"category": "finance", "is_active": True}
    assert change.after == {"category": "general", "is_active": True}
    [proposed] = entries("powers.power_change_proposed")
    assert proposed["unit"] == "t-unit" and proposed["who"] == pw.principal.username
    assert (
        proposed["payload"]["change"] == change.pk and proposed["payload"]["after"]["category"] == "general"
    )
    assert entries("powers.power_saved")[-1]["payload"]["category"] == "finance"


def test_the_commission_accepts_and_the_power_changes(pw):
    change = propose(pw)
    services.accept_power_change(by=pw.admin, change=change, reason="职能调整，经核实")
    power = finance(pw)
    assert power.category.code == "general" and not selectors.is_restricted(power)
    change.refresh_from_db()
    assert (change.status, change.decided_by, change.reason) == ("accepted", pw.admin, "职能调整，经核实")
    [accepted] = entries("powers.power_change_accepted")
    assert accepted["who"] == pw.admin.username and accepted["payload"]["change"] == change.pk
    with pytest.raises(Conflict) as exc:  # decided once
        services.accept_power_change(by=pw.admin, change=change)
    assert exc.value.rule == "R-DIV-2"


def test_the_commission_rejects_with_a_reason_and_nothing_changes(pw):
    change = propose(pw)
    with pytest.raises(Invalid):
        services.reject_power_change(by=pw.admin, change=change, reason="  ")
    services.reject_power_change(by=pw.admin, change=change, reason="财务审批不得转为综合事务")
    assert finance(pw).category.code == "finance"
    change.refresh_from_db()
    assert change.status == "rejected" and change.reason == "财务审批不得转为综合事务"
    assert len(entries("powers.power_change_rejected")) == 1


@pytest.mark.parametrize("who", ["principal", "deputy", "inspector", "other_principal"])
def test_only_the_commission_decides(pw, who):
    change = propose(pw)
    before = Entry.objects.count()
    for decide in (services.accept_power_change, services.reject_power_change):
        with pytest.raises(Forbidden) as exc:
            decide(by=getattr(pw, who), change=change, reason="同意")
        assert exc.value.rule == "R-DIV-2"
    assert finance(pw).category.code == "finance" and Entry.objects.count() == before
    assert PowerChange.objects.get().status == "pending"


def test_the_commission_applies_its_own_change_at_once_on_record(pw):
    recategorise(pw, pw.admin)
    assert finance(pw).category.code == "general" and not PowerChange.objects.exists()
    payload = entries("powers.power_saved")[-1]["payload"]
    assert payload["restricted_change"] == {
        "before": {"category": "finance", "is_active": True},
        "after": {"category": "general", "is_active": True},
    }


def test_harmless_changes_take_effect_at_once(pw):
    # a restricted power renamed, its legal basis edited; an unrestricted power moved between
    # unrestricted categories; a new power, even in a restricted category
    services.save_power(by=pw.principal, unit=pw.unit, code="finance", name="财务审批", category="finance")
    services.save_power(
        by=pw.principal, unit=pw.unit, code="general", name="综合事务", category="project_approval"
    )
    services.save_power(by=pw.principal, unit=pw.unit, code="fin-2", name="专项资金", category="finance")
    assert finance(pw).name == "财务审批"
    assert Power.objects.get(unit=pw.unit, code="general").category.code == "project_approval"
    assert selectors.is_restricted(Power.objects.get(unit=pw.unit, code="fin-2"))
    assert not PowerChange.objects.exists()


def test_moving_a_power_into_a_restricted_category_or_deactivating_one_waits(pw):
    services.save_power(
        by=pw.principal, unit=pw.unit, code="general", name="综合事务", category="procurement"
    )
    recategorise(pw, pw.principal, category="finance", is_active=False)  # deactivation
    assert Power.objects.get(unit=pw.unit, code="general").category.code == "general"
    assert finance(pw).is_active
    assert sorted(c.after["category"] for c in PowerChange.objects.all()) == ["finance", "procurement"]
    assert PowerChange.objects.get(power=finance(pw)).after == {"category": "finance", "is_active": False}


def test_a_restriction_set_to_begin_later_already_counts(pw):
    services.save_power(by=None, unit=pw.unit, code="approval", name="行政审批", category="admin_approval")
    set_policy(
        pw,
        "jiangbei-3x",
        by=pw.admin,
        x_categories=["construction", "admin_approval"],
        in_force_from=DAY + dt.timedelta(days=30),
    )
    services.save_power(by=pw.principal, unit=pw.unit, code="approval", name="行政审批", category="general")
    assert Power.objects.get(unit=pw.unit, code="approval").category.code == "admin_approval"
    assert PowerChange.objects.get().after["category"] == "general"


def test_one_pending_change_per_power_and_no_accepting_a_stale_one(pw):
    change = propose(pw)
    with pytest.raises(Conflict) as exc:
        recategorise(pw, pw.principal, category="personnel")
    assert exc.value.rule == "R-DIV-2"
    recategorise(pw, pw.admin, category="procurement")  # the commission changed it meanwhile
    with pytest.raises(Conflict):
        services.accept_power_change(by=pw.admin, change=change)
    assert finance(pw).category.code == "procurement"


def test_the_principal_cannot_narrow_the_restricted_list(pw):
    with pytest.raises(Forbidden) as exc:
        set_policy(pw, "jiangbei-3x", by=pw.principal, in_force_from=DAY + dt.timedelta(days=1))
    assert exc.value.rule == "R-DIV-3" and UnitPolicy.objects.count() == 1


# --- API ----------------------------------------------------------------------------------------------


def test_api_principal_puts_then_admin_accepts(pw, api_client, client):
    body = {"name": "财务收支审批", "category": "general"}
    r = client.put(
        "/api/v1/units/t-unit/powers/finance",
        json.dumps(body),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {api_client.as_(pw.principal).token}",
    )
    assert r.status_code == 200, r.content
    out = r.json()
    assert out["power"]["category"] == "finance" and out["power"]["restricted"] is True
    pk = out["pending_change"]
    listed = api_client.as_(pw.inspector).get("/api/v1/units/t-unit/power-changes").json()
    assert (
        listed["count"] == 1 and listed["items"][0]["id"] == pk and listed["items"][0]["status"] == "pending"
    )

    r = api_client.as_(pw.principal).post(f"/api/v1/power-changes/{pk}/accept", {"reason": "自己同意"})
    assert r.status_code == 403 and r.json()["error"]["rule"] == "R-DIV-2"
    r = api_client.as_(pw.other_admin).post(f"/api/v1/power-changes/{pk}/accept", {})
    assert r.status_code == 404
    assert api_client.as_(pw.other_admin).get("/api/v1/units/t-unit/power-changes").status_code == 404
    assert finance(pw).category.code == "finance"

    r = api_client.as_(pw.admin).post(f"/api/v1/power-changes/{pk}/accept", {"reason": "同意"})
    assert r.status_code == 200 and r.json()["status"] == "accepted" and r.json()["decided_by"] == "t-admin"
    assert finance(pw).category.code == "general"
    r = api_client.as_(pw.admin).post(f"/api/v1/power-changes/{pk}/reject", {"reason": "晚了"})
    assert r.status_code == 409


def test_api_reject_needs_a_reason(pw, api_client):
    change = propose(pw)
    r = api_client.as_(pw.admin).post(f"/api/v1/power-changes/{change.pk}/reject", {"reason": ""})
    assert r.status_code == 422
    r = api_client.as_(pw.admin).post(f"/api/v1/power-changes/{change.pk}/reject", {"reason": "不同意"})
    assert r.status_code == 200 and r.json()["status"] == "rejected"


# --- Excel import and pages ---------------------------------------------------------------------------


def xlsx(rows) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append(excel.HEADERS)
    for row in rows:
        ws.append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def test_import_applies_the_rest_and_leaves_restricted_rows_to_the_commission(pw, client):
    data = xlsx(
        [
            ["finance", "财务收支审批", "general", "", ""],  # out of a restricted category
            ["general", "综合事务（新名）", "general", "", ""],
            ["new-one", "新职权", "project_approval", "", ""],
        ]
    )
    assert client.login(username=pw.principal.username, password=PASSWORD)
    r = client.post(f"/powers/units/{pw.unit.code}/import/", {"file": SimpleUploadedFile("c.xlsx", data)})
    assert r.status_code == 302
    assert finance(pw).category.code == "finance"
    assert Power.objects.get(unit=pw.unit, code="general").name == "综合事务（新名）"
    assert Power.objects.filter(unit=pw.unit, code="new-one").exists()
    change = PowerChange.objects.get()
    assert entries("powers.catalogue_imported")[-1]["payload"]["pending_changes"] == [change.pk]
    html = client.get(f"/powers/units/{pw.unit.code}/").content.decode()
    assert 'data-testid="power-changes"' in html and f'data-change="{change.pk}"' in html
    assert f'data-testid="accept-{change.pk}"' not in html  # the principal sees it, cannot decide
    assert client.post(f"/powers/power-changes/{change.pk}/accept/").status_code == 403
    assert finance(pw).category.code == "finance"

    client.force_login(pw.other_admin)
    assert client.post(f"/powers/power-changes/{change.pk}/accept/").status_code == 404

    client.force_login(pw.admin)
    config = client.get("/powers/districts/testdistrict/config/").content.decode()
    assert f'data-testid="accept-{change.pk}"' in config
    assert (
        f'data-testid="accept-{change.pk}"' in client.get(f"/powers/units/{pw.unit.code}/").content.decode()
    )
    r = client.post(f"/powers/power-changes/{change.pk}/accept/", {"reason": "同意"})
    assert r.status_code == 302 and r["Location"] == f"/powers/units/{pw.unit.code}/"
    assert finance(pw).category.code == "general"
    assert len(entries("powers.power_change_accepted")) == 1
