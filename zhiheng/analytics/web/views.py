"""The analytics pages (SPEC §11): one page for a district or a unit, with filters (period, unit), and the
Excel export of each chart's table. Who reads what is rules.scope_for (404 otherwise)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from zhiheng.accounts.http import PersonRequest
from zhiheng.core.errors import NotFound
from zhiheng.risk.selectors import visible_warnings
from zhiheng.web import exports

from .. import rules
from . import charts

FILTERS = ("district", "unit", "from", "to")


def _page(request: PersonRequest) -> charts.Page:
    q = request.GET
    scope = rules.scope_for(request.user, unit=q.get("unit") or None, district=q.get("district") or None)
    period = rules.period(
        rules.parse_date("from", q.get("from", "")), rules.parse_date("to", q.get("to", ""))
    )
    warnings = visible_warnings(request.user) if rules.sees_warnings(request.user, scope) else None
    return charts.build(scope, period, warnings)


@login_required
def index(request: PersonRequest) -> HttpResponse:
    page = _page(request)
    scope = page.scope
    # The unit filter offers the units of the district the viewer reads as a whole, else their own units.
    district_units = scope.district is not None and rules.can_read_district(request.user, scope.district)
    choices = (
        list(scope.district.units.order_by("code"))
        if district_units and scope.district
        else list(rules.readable_units(request.user))
    )
    context = {
        "page": page,
        "scope": scope,
        "overall": page.figures.overall,
        "charts": page.charts,
        "unit_choices": choices if len(choices) > 1 else [],
        "district_code": scope.district.code if district_units and scope.district else "",
        "filters": {name: request.GET.get(name, "") for name in FILTERS},
        "query": request.GET.urlencode(),
    }
    return render(request, "analytics/index.html", context)


@login_required
def export(request: PersonRequest, chart: str) -> HttpResponse:
    page = _page(request)
    found = next((c for c in page.charts if c.id == chart), None)
    if found is None:
        raise NotFound()
    return exports.xlsx_response(
        exports.stamped(f"{page.scope.name}{_('成效分析')}-{found.title}"),
        found.title,
        found.columns,
        found.rows,
    )
