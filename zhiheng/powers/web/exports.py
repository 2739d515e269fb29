"""The district's plan filing board (R-DIV-5) as Excel (issue 13 item 5): the board page's own reads
(`selectors.filing_board` for the open round) behind the board's own rule (`rules.ensure_can_view_board`:
the commission's; anyone else gets 404 as for an unknown district)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse

from zhiheng.accounts.http import PersonRequest
from zhiheng.web.exports import Column, shown, stamped, xlsx_response

from .. import rules, selectors

STATUS = {"filed": "按时报送", "late": "逾期报送", "missing": "未报送"}

COLUMNS = [
    Column("单位代码", width=14),
    Column("单位", width=20),
    Column("报送状态", width=10),
    Column("版本", "int", 6),
    Column("报送时间", "datetime", 17),
    Column("报送人", width=10),
    Column("报送期限", width=24),
    Column("开始日期", "date", 12),
    Column("截止日期", "date", 12),
]


@login_required
def board_xlsx(request: PersonRequest, code: str) -> HttpResponse:
    district = selectors.get_district_for(request.user, code)
    rules.ensure_can_view_board(request.user, district)
    deadline = selectors.open_deadline(district)
    status = request.GET.get("status", "")  # the board's filter: one status, or every unit
    rows = [
        [
            r["unit"].code,
            r["unit"].name,
            shown("powers.filing", r["status"], STATUS.get(r["status"], r["status"])),
            r["plan"].version if r["plan"] else None,
            r["plan"].filed_at if r["plan"] else None,
            r["plan"].filed_by.name if r["plan"] and r["plan"].filed_by else "",
            deadline.label if deadline else "",
            deadline.opens_on if deadline else None,
            deadline.due if deadline else None,
        ]
        for r in selectors.filing_board(district, deadline)
        if status not in STATUS or r["status"] == status
    ]
    return xlsx_response(stamped(f"{district.name}分工方案报送情况"), "报送情况", COLUMNS, rows)
