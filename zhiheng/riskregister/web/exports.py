"""A unit's risk register as Excel (issue 18 item 5): the register page's own read (the points the person
sees — the published register inside the unit, drafts for the team and the commission; 404 to anyone else)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse

from zhiheng.accounts.http import PersonRequest
from zhiheng.web.exports import Column, shown, stamped, xlsx_response

from .. import selectors

COLUMNS = [
    Column("职权代码", width=16),
    Column("职权", width=18),
    Column("风险点", width=40),
    Column("风险类型", width=10),
    Column("权力重要程度", "int", 8),
    Column("自由裁量权大小", "int", 8),
    Column("发生概率", "int", 8),
    Column("危害程度", "int", 8),
    Column("风险分值", "int", 8),
    Column("风险等级", width=8),
    Column("防控措施", width=48),
    Column("责任人", width=10),
    Column("状态", width=8),
    Column("公示时间", "datetime", 17),
    Column("上次复核", "datetime", 17),
    Column("下次复核", "date", 12),
    Column("版本", "int", 6),
]


@login_required
def register_xlsx(request: PersonRequest, code: str) -> HttpResponse:
    unit, qs = selectors.list_points_for_unit(request.user, code, status=request.GET.get("status") or None)
    rows = [
        [
            p.power.code,
            p.power.name,
            p.description,
            shown("riskregister.type", p.type, p.get_type_display()),
            p.importance,
            p.discretion,
            p.probability,
            p.harm,
            p.score,
            p.grade,
            p.measures,
            p.owner.name,
            shown("riskregister.status", p.status, p.get_status_display()),
            p.published_at,
            p.reviewed_at,
            p.review_due,
            p.version,
        ]
        for p in qs
    ]
    return xlsx_response(stamped(f"{unit.name}廉政风险点"), "廉政风险点", COLUMNS, rows)
