"""The monthly report pages (R-SUP-1): a unit's reports, one report (the frozen body, who acknowledged,
确认已阅, the inspector's remarks, Excel/PDF), and the commission's district month. Every report is read
through selectors.get_report_for / list_reports_for; refusals propagate to web.refusals."""

from __future__ import annotations

import functools
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zhiheng.accounts.http import PersonRequest
from zhiheng.core import clock
from zhiheng.org import selectors as org_selectors

from .. import documents, months, rules, selectors, services
from ..models import MonthlyReport
from .downloads import report_file

MOVERS = 10  # units shown on the district month's chart of who moved most against last year


@login_required
def unit_reports(request: PersonRequest, code: str) -> HttpResponse:
    qs = selectors.list_reports_for(request.user, code)
    page = Paginator(qs, 24).get_page(request.GET.get("page"))
    reports = list(page.object_list)
    today = clock.today()
    unit = reports[0].unit if reports else selectors.get_unit_for_reports(request.user, code)
    return render(
        request,
        "supervision/unit_reports.html",
        {
            "unit": unit,
            "page": page,
            "rows": [
                {"report": r, "standing": selectors.standing(r, today), "label": months.label(r.month)}
                for r in reports
            ],
        },
    )


def _report_context(request: PersonRequest, report: MonthlyReport) -> dict[str, Any]:
    state = selectors.standing(report)
    names = selectors.team_names([report])
    acknowledged = {a.person.username: a for a in state.acknowledged}
    return {
        "report": report,
        "frozen": report.frozen,
        # Called only where the page shows it (not for the htmx acknowledgement panel).
        "report_body": functools.partial(documents.report_html, report.frozen),
        "label": months.label(report.month),
        "standing": state,
        "team": [{"username": u, "name": names.get(u, u), "ack": acknowledged.get(u)} for u in report.team],
        "others": [a for a in state.acknowledged if a.person.username not in report.team],
        "remarks": list(report.remarks.select_related("author")),
        "can_acknowledge": rules.can_acknowledge(request.user, report.unit)
        and request.user.username not in acknowledged,
        "can_remark": rules.can_remark(request.user, report.unit),
        "is_admin": rules.can_view_district(request.user, report.unit.district),
    }


@login_required
def report(request: PersonRequest, code: str, month: str) -> HttpResponse:
    found = selectors.get_report_for(request.user, code, month)
    return render(request, "supervision/report.html", _report_context(request, found))


@login_required
def export(request: PersonRequest, code: str, month: str, fmt: str) -> HttpResponse:
    found = selectors.get_report_for(request.user, code, month)
    return report_file(found, fmt)  # the URL allows xlsx|pdf only


@login_required
@require_POST
def acknowledge(request: PersonRequest, code: str, month: str) -> HttpResponse:
    # As the API: whoever sees the unit but is not on its team is refused (403 R-SUP-1) before the month is
    # looked up; whoever does not see the unit gets 404.
    rules.ensure_can_acknowledge(request.user, org_selectors.get_unit_for(request.user, code))
    found = selectors.get_report_for(request.user, code, month)
    _ack, new = services.acknowledge(report=found, by=request.user)
    if request.headers.get("HX-Request"):
        found = selectors.get_report_for(request.user, code, month)
        return render(request, "supervision/report.html#ack-panel", _report_context(request, found))
    messages.success(request, _("已确认已阅") if new else _("您此前已确认"))
    return redirect("supervision:report", code, month)


@login_required
@require_POST
def remark(request: PersonRequest, code: str, month: str) -> HttpResponse:
    found = selectors.get_report_for(request.user, code, month)
    services.add_remark(report=found, by=request.user, body=request.POST.get("body", ""))
    messages.success(request, _("纪检意见已记录"))
    return redirect("supervision:report", code, month)


@login_required
def district_month(request: PersonRequest, code: str, month: str = "") -> HttpResponse:
    month = month or months.code(months.previous(clock.today()))
    district, wanted, rows = selectors.district_month_for(request.user, code, month)
    movers = sorted(
        (r for r in rows if r.report is not None and r.last_year is not None),
        key=lambda r: abs(r.total - (r.last_year or Decimal(0))),
        reverse=True,
    )[:MOVERS]
    chart = {
        "id": f"chart-movers-{district.code}",
        "title": _("与去年同月相比支出变化最大的单位（元）"),
        "spec": {
            "categories": [r.unit.name for r in movers],
            "unit": _("元"),
            "integer": False,
            "dual": False,
            "stack": False,
            "horizontal": True,
            "series": [
                {"name": _("本月"), "data": [str(r.total) for r in movers], "type": "bar"},
                {"name": _("去年同月"), "data": [str(r.last_year) for r in movers], "type": "bar"},
            ],
        },
        "head": ["", _("本月"), _("去年同月"), _("变化")],
        "rows": [
            [
                r.unit.name,
                f"¥{r.total:,.2f}",
                f"¥{r.last_year:,.2f}",
                f"{r.change_pct}%" if r.change_pct else "—",
            ]
            for r in movers
        ],
    }
    issued = [r for r in rows if r.standing is not None]
    return render(
        request,
        "supervision/district_month.html",
        {
            "district": district,
            "month": wanted,
            "label": months.label(wanted),
            "previous": months.code(months.shift(wanted, -1)),
            "next": months.code(months.shift(wanted, 1)) if months.shift(wanted, 1) <= clock.today() else "",
            "rows": rows,
            "issued": len(issued),
            "complete": sum(1 for r in issued if r.standing and not r.standing.missing),
            "overdue": sum(1 for r in issued if r.standing and r.standing.overdue),
            "charts": [chart],
        },
    )
