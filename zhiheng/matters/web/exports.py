"""The matters lists as Excel (issue 13 item 5): the unit's matters page and the district-wide list
(the commission admin's), with the page's filters, through the page's own selector
(`selectors.list_matters_for` on the viewer's visibility): an export holds exactly the rows the person
may see and chose, on every page of the list."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import HttpResponse

from zhiheng.accounts.http import PersonRequest
from zhiheng.org import selectors as org
from zhiheng.web.exports import Column, filters, shown, stamped, xlsx_response

from .. import selectors
from ..models import Matter
from ..viewer import Viewer
from .views import list_filters

COLUMNS = [
    Column("编号", "int", 8),
    Column("单位", width=14),
    Column("事项", width=36),
    Column("类型", width=12),
    Column("职权", width=22),
    Column("金额（元）", "money", 18),
    Column("相对方", width=20),
    Column("预算指标", width=16),
    Column("分管副职", width=10),
    Column("提交人", width=10),
    Column("提交时间", "datetime", 17),
    Column("状态", width=12),
    Column("三重一大", width=9),
    Column("须集体会审", width=10),
    Column("决定人", width=10),
    Column("决定时间", "datetime", 17),
]


def _rows(qs: QuerySet[Matter]) -> Iterator[list[Any]]:
    people = qs.select_related("submitted_by", "deputy", "decided_by")
    for m in people.iterator(chunk_size=2000):
        yield [
            m.pk,
            m.unit.name,
            m.title,
            shown("matter.kind", m.kind, m.get_kind_display()),
            m.power.name,
            m.amount,
            m.counterparty,
            m.budget_line.name if m.budget_line else "",
            m.deputy.name if m.deputy else "",
            m.submitted_by.name,
            m.submitted_at,
            shown("matter.state", m.state, m.get_state_display()),
            "是" if m.major else "否",
            "是" if m.requires_collective else "否",
            m.decided_by.name if m.decided_by else "",
            m.decided_at,
        ]


@login_required
def unit_matters_xlsx(request: PersonRequest, code: str) -> HttpResponse:
    """The unit's matters page (`views.unit_matters`) as Excel, with its filters (`views.list_filters`)."""
    unit = org.get_unit_for(request.user, code)
    qs = selectors.list_matters_for(Viewer(request.user).visibility(), unit=unit, **list_filters(request))
    return xlsx_response(stamped(f"{unit.name}事项"), "事项", COLUMNS, _rows(qs))


@login_required
def matters_xlsx(request: PersonRequest) -> HttpResponse:
    """Every matter the person may see (the commission admin's district-wide list), filtered like the
    API's list: ?unit=<code>&state=<state>&deputy=<username>."""
    qs = selectors.list_matters_for(
        Viewer(request.user).visibility(), **filters(request, "unit", "state", "deputy")
    )
    return xlsx_response(stamped("事项"), "事项", COLUMNS, _rows(qs))
