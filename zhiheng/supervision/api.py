"""REST endpoints of the supervision app (API.md "Supervision (R-SUP-1 …)"): a unit's monthly financial
detail reports, one report (with its items and totals, or as a file with ?format=xlsx|pdf), and the team's
acknowledgement. Reads go through selectors.get_report_for / list_reports_for only."""

from __future__ import annotations

from typing import Any, Literal

from django.http import HttpResponse
from ninja import Router, Schema
from ninja.pagination import paginate

from zhiheng.accounts.http import AuthedRequest
from zhiheng.api.pagination import Page, Rendered
from zhiheng.core import clock
from zhiheng.org import selectors as org_selectors

from . import rules, selectors, services
from .models import MonthlyReport
from .web.downloads import report_file

router = Router(tags=["supervision"])


class ReportOut(Schema):
    month: str
    issued_at: str
    digest: str
    total: str
    count: int
    due: str
    acknowledged_by: list[str]
    team: list[str]
    overdue: bool
    ledger_index: int | None


class ItemOut(Schema):
    matter: int
    title: str
    kind: str
    deputy: str
    category: str
    counterparty: str
    amount: str
    budget_line: str | None
    meeting: int | None
    meeting_label: str | None
    decided_at: str
    over_threshold: bool
    no_budget_line: bool


class TotalOut(Schema):
    key: str
    name: str
    count: int
    amount: str


class TotalsOut(Schema):
    by_deputy: list[TotalOut]
    by_category: list[TotalOut]
    by_counterparty: list[TotalOut]


class ReportDetailOut(ReportOut):
    items: list[ItemOut]
    totals: TotalsOut
    comparison: dict[str, Any]
    threshold: str


def report_out(report: MonthlyReport) -> dict[str, Any]:
    state = selectors.standing(report)
    return {
        "month": report.month_code,
        "issued_at": report.issued_at.astimezone(clock.SHANGHAI).isoformat(),
        "digest": report.digest,
        "total": report.total,
        "count": int(report.frozen.get("count", 0)),
        "due": report.due.isoformat(),
        "acknowledged_by": state.acknowledged_by,
        "team": list(report.team),
        "overdue": state.overdue,
        "ledger_index": report.ledger_index,
    }


def report_detail_out(report: MonthlyReport) -> dict[str, Any]:
    frozen = report.frozen
    return {
        **report_out(report),
        "items": frozen["items"],
        "totals": frozen["totals"],
        "comparison": frozen["comparison"],
        "threshold": frozen["threshold"],
    }


@router.get(
    "/units/{code}/monthly-reports",
    response=list[ReportOut],
    summary="单位的月度财务明细（领导班子与区纪委可见，R-SUP-1）",
)
@paginate(Page)
def list_reports(request: AuthedRequest, code: str) -> Rendered[MonthlyReport]:
    return Rendered(selectors.list_reports_for(request.auth, code), report_out)


@router.get(
    "/units/{code}/monthly-reports/{month}",
    response=ReportDetailOut,
    summary="某月的财务明细（?format=xlsx|pdf 下载文件）",
)
def get_report(
    request: AuthedRequest, code: str, month: str, format: Literal["json", "xlsx", "pdf"] = "json"
) -> dict[str, Any] | HttpResponse:
    report = selectors.get_report_for(request.auth, code, month)
    if format != "json":
        return report_file(report, format)
    return report_detail_out(report)


@router.post(
    "/units/{code}/monthly-reports/{month}/acknowledge",
    response=ReportOut,
    summary="确认已阅（本单位领导班子成员；再次确认不变）",
)
def acknowledge(request: AuthedRequest, code: str, month: str) -> dict[str, Any]:
    # Whoever may not see the unit gets 404; whoever sees it but is not on its team (staff, the
    # commission) 403 R-SUP-1 — before the month is looked up, so the answer says nothing about it.
    rules.ensure_can_acknowledge(request.auth, org_selectors.get_unit_for(request.auth, code))
    report = selectors.get_report_for(request.auth, code, month)
    services.acknowledge(report=report, by=request.auth)
    return report_out(selectors.get_report_for(request.auth, code, month))
