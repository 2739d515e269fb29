"""The API of API.md "Supervision (R-SUP-1)": list, one report (JSON, Excel, PDF), acknowledge — shapes,
403 / 404 / 422 and what a refusal leaves unchanged."""

from __future__ import annotations

import datetime as dt
from urllib.parse import unquote

import pytest

from zhiheng.core import clock
from zhiheng.ledger.models import Entry
from zhiheng.supervision import services
from zhiheng.supervision.models import Acknowledgement

from .conftest import FEB

pytestmark = pytest.mark.django_db

BASE = "/api/v1/units/t-unit/monthly-reports"


@pytest.fixture
def report(sw):
    return services.issue_report(unit=sw.unit, month=FEB)[0]


def test_the_list_is_paginated_with_the_contract_fields(sw, report, api_client):
    r = api_client.as_(sw.principal).get(BASE)
    assert r.status_code == 200
    body = r.json()
    assert body["count"] == 1
    item = body["items"][0]
    assert {"month", "issued_at", "digest", "total", "acknowledged_by", "overdue"} <= set(item)
    assert (item["month"], item["total"], item["digest"]) == ("2026-02", "91000.00", report.digest)
    assert item["issued_at"].endswith("+08:00") and item["acknowledged_by"] == [] and item["overdue"] is False


def test_one_report_has_items_and_totals(sw, report, api_client):
    body = api_client.as_(sw.admin).get(f"{BASE}/2026-02").json()
    assert len(body["items"]) == 4
    assert {"matter", "deputy", "counterparty", "amount", "budget_line", "meeting"} <= set(body["items"][1])
    assert body["items"][1]["meeting"] == sw.meeting.pk and body["items"][1]["amount"] == "86000.00"
    assert body["items"][2]["budget_line"] is None
    assert set(body["totals"]) == {"by_deputy", "by_category", "by_counterparty"}
    assert body["totals"]["by_deputy"][0] == {
        "key": "t-deputy2",
        "name": "王副乙",
        "count": 1,
        "amount": "86000.00",
    }


@pytest.mark.parametrize(
    ("fmt", "content_type", "magic"), [("xlsx", "spreadsheetml", b"PK"), ("pdf", "pdf", b"%PDF")]
)
def test_the_files_carry_a_chinese_name(sw, report, api_client, fmt, content_type, magic):
    r = api_client.as_(sw.deputy).get(f"{BASE}/2026-02", {"format": fmt})
    assert r.status_code == 200 and content_type in r["Content-Type"]
    assert r.content.startswith(magic)
    disposition = r["Content-Disposition"]
    assert disposition.startswith("attachment;") and f"monthly-report-t-unit-2026-02.{fmt}" in disposition
    assert "2026年2月" in unquote(disposition.split("filename*=UTF-8''")[1])


def test_the_team_acknowledges_and_again_is_a_no_op(sw, report, api_client):
    r = api_client.as_(sw.deputy).post(f"{BASE}/2026-02/acknowledge")
    assert r.status_code == 200 and r.json()["acknowledged_by"] == ["t-deputy"]
    size = Entry.objects.count()
    again = api_client.as_(sw.deputy).post(f"{BASE}/2026-02/acknowledge")
    assert again.status_code == 200 and again.json()["acknowledged_by"] == ["t-deputy"]
    assert Entry.objects.count() == size


@pytest.mark.parametrize(
    ("who", "status", "rule"),
    [
        ("admin", 403, "R-SUP-1"),
        ("staff", 403, "R-SUP-1"),
        ("other_principal", 404, "not-found"),
        ("outsider", 404, "not-found"),
    ],
)
def test_others_may_not_acknowledge(sw, report, api_client, who, status, rule):
    size = Entry.objects.count()
    r = api_client.as_(getattr(sw, who)).post(f"{BASE}/2026-02/acknowledge")
    assert r.status_code == status and r.json()["error"]["rule"] == rule
    assert Acknowledgement.objects.count() == 0 and Entry.objects.count() == size


@pytest.mark.parametrize("who", ["staff", "other_principal", "other_admin", "outsider"])
def test_reports_are_invisible_to_staff_and_other_units(sw, report, api_client, who):
    client = api_client.as_(getattr(sw, who))
    for path in (BASE, f"{BASE}/2026-02", f"{BASE}/2026-02?format=pdf"):
        r = client.get(path)
        assert r.status_code == 404 and r.json()["error"]["rule"] == "not-found", path


def test_bad_month_422_unknown_month_404(sw, report, api_client):
    client = api_client.as_(sw.principal)
    for bad in ("2026-13", "202602", "2026-2"):
        r = client.get(f"{BASE}/{bad}")
        assert r.status_code == 422 and r.json()["error"]["rule"] == "validation", bad
    assert client.get(f"{BASE}/2026-01").status_code == 404
    assert client.post(f"{BASE}/2026-01/acknowledge").status_code == 404
    assert client.get(f"{BASE}/2026-02", {"format": "doc"}).status_code == 422


def test_overdue_shows_in_the_list(sw, report, api_client):
    with clock.frozen(clock.at(dt.date(2026, 3, 13))):
        item = api_client.as_(sw.inspector).get(BASE).json()["items"][0]
    assert item["overdue"] is True
