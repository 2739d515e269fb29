"""The warnings list (/warnings/) as Excel (issue 13 item 5), with the page's filters (?rule=&status=&unit=&level=),
through the page's own selector `selectors.list_warnings_for`: the same visibility (the unit inspector
and the commission admin; never a principal's own warnings) and the same rows on every page."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import HttpResponse

from zhiheng.accounts.http import PersonRequest
from zhiheng.web.exports import Column, filters, shown, stamped, xlsx_response

from .. import selectors
from ..models import Warning

COLUMNS = [
    Column("编号", "int", 8),
    Column("时间", "datetime", 17),
    Column("规则", width=8),
    Column("级别", width=6),
    Column("单位", width=14),
    Column("对象", width=18),
    Column("说明", width=60),
    Column("状态", width=10),
    Column("负责人", width=12),
    Column("处理说明", width=30),
    Column("处理人", width=10),
    Column("处理时间", "datetime", 17),
]


def _rows(qs: QuerySet[Warning]) -> Iterator[list[Any]]:
    for w in qs.select_related("resolved_by").iterator(chunk_size=2000):
        yield [
            w.pk,
            w.created,
            w.rule,
            shown("risk.level", w.level, w.get_level_display()),
            w.unit.name,
            w.subject,
            w.explanation,
            shown("risk.status", w.status, w.get_status_display()),
            "区纪委" if w.escalated_at else (w.owner.name if w.owner else ""),
            w.resolution_note,
            w.resolved_by.name if w.resolved_by else "",
            w.resolved_at,
        ]


@login_required
def warnings_xlsx(request: PersonRequest) -> HttpResponse:
    qs = selectors.list_warnings_for(request.user, **filters(request, "unit", "rule", "status", "level"))
    return xlsx_response(stamped("风险预警"), "风险预警", COLUMNS, _rows(qs))
