"""The warning workflow (issue 15 item 3): owned by the unit inspector, escalated to the commission after
the unit's N days, resolved once in writing by its owner through POST /warnings/{id}/resolve (API.md),
recorded in the ledger, nothing deleted."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from zhiheng.core import clock
from zhiheng.ledger.models import Entry
from zhiheng.parameters.tests.factories import put
from zhiheng.risk import services
from zhiheng.risk.models import Warning
from zhiheng.risk.redflags import escalation

pytestmark = pytest.mark.django_db

NOW = clock.at(dt.date(2026, 3, 2), 10)


@pytest.fixture
def warning(world):
    with clock.frozen(NOW):
        return services.raise_warning(
            rule="RF2",
            level="medium",
            unit=world.unit,
            subject="matter:1",
            explanation="疑似拆分",
            records=[{"matter": 1}],
            source="scan:rf2:t-unit:1",
        )


def resolve(api_client, person, warning, body):
    return api_client.as_(person).post(f"/api/v1/warnings/{warning.pk}/resolve", body)


def test_a_new_warning_is_owned_by_the_unit_inspector(world, warning):
    assert warning.owner == world.inspector and warning.escalated_at is None


def test_resolving_needs_a_reason_422_and_happens_once_409(world, warning, api_client):
    before = Entry.objects.count()
    refused = resolve(api_client, world.inspector, warning, {"resolution": "explained", "reason": "  "})
    assert refused.status_code == 422 and refused.json()["error"]["rule"] == "validation"
    missing = resolve(api_client, world.inspector, warning, {"resolution": "explained"})
    assert missing.status_code == 422
    bad = resolve(api_client, world.inspector, warning, {"resolution": "ignored", "reason": "x"})
    assert bad.status_code == 422
    assert Entry.objects.count() == before and Warning.objects.get().status == "open"

    done = resolve(api_client, world.inspector, warning, {"resolution": "rectified", "reason": "已合并采购"})
    assert done.status_code == 200 and done.json()["status"] == "rectified"
    entry = Entry.objects.order_by("-index").first()
    assert (entry.event_type, entry.subject, entry.actor) == (
        "risk.warning_resolved",
        f"warning:{warning.pk}",
        world.inspector.username,
    )
    again = resolve(api_client, world.admin, warning, {"resolution": "case_opened", "reason": "立案"})
    assert again.status_code == 409 and again.json()["error"]["rule"] == "R-GATE-7"
    assert Warning.objects.get().status == "rectified" and Entry.objects.count() == before + 1


@pytest.mark.parametrize("who", ["principal", "deputy", "staff", "outsider", "other_admin"])
def test_nobody_else_resolves_and_the_principal_never_sees_it(world, warning, api_client, who):
    answer = resolve(api_client, getattr(world, who), warning, {"resolution": "explained", "reason": "x"})
    assert answer.status_code == 404  # not visible: 404 alike for missing and invisible
    assert api_client.as_(getattr(world, who)).get("/api/v1/warnings").json()["count"] == 0
    assert Warning.objects.get().status == "open"


def test_an_overdue_warning_goes_to_the_commission_which_alone_resolves_it(world, warning, api_client):
    put("risk", unit=world.unit, values={"escalate_after_days": 5})
    assert escalation.escalate_overdue(now=NOW + dt.timedelta(days=4)) == 0
    before = Entry.objects.count()
    assert escalation.escalate_overdue(now=NOW + dt.timedelta(days=5)) == 1
    assert escalation.escalate_overdue(now=NOW + dt.timedelta(days=9)) == 0  # once
    w = Warning.objects.get()
    assert w.owner is None and w.escalated_at is not None
    (entry,) = Entry.objects.order_by("index")[before:]
    assert entry.event_type == "risk.warning_escalated" and entry.subject == f"warning:{w.pk}"
    assert json.loads(bytes(entry.data))["payload"] == {
        "rule": "RF2",
        "from": world.inspector.username,
        "to": "commission",
        "after_days": 5,
    }

    refused = resolve(api_client, world.inspector, w, {"resolution": "explained", "reason": "已说明"})
    assert refused.status_code == 403 and refused.json()["error"]["rule"] == "R-GATE-7"
    assert "转区纪委" in refused.json()["error"]["message"]
    done = resolve(api_client, world.admin, w, {"resolution": "case_opened", "reason": "移交审查调查"})
    assert done.status_code == 200 and done.json()["status"] == "case_opened" and done.json()["owner"] is None


def test_the_district_default_escalates_after_fourteen_days(world, warning):
    assert escalation.escalate_overdue(now=NOW + dt.timedelta(days=13)) == 0
    assert escalation.escalate_overdue(now=NOW + dt.timedelta(days=14)) == 1


def test_the_page_shows_the_owner_and_offers_the_form_to_the_owner_only(world, warning, client):
    client.force_login(world.inspector)
    row = client.get("/warnings/").content.decode().split('data-testid="owner"')[1]
    assert world.inspector.name in row.split("</td>")[0] and 'name="note"' in row
    services.escalate_warning(warning=warning, after_days=14)
    row = client.get("/warnings/").content.decode().split('data-testid="owner"')[1]
    assert "区纪委" in row.split("</td>")[0] and 'name="note"' not in row
    client.force_login(world.admin)
    assert 'name="note"' in client.get("/warnings/").content.decode()
