"""A unit's rules and the district's library as Excel (R-PIL-2), in the columns the import reads
(excel.py) — so a file exported, edited and imported again records exactly the changes as new versions —
followed by read-only columns (版本, 状态, 来源范本). The list pages' own reads: 404 to whoever may not see them."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse

from zhiheng.accounts.http import PersonRequest
from zhiheng.web.exports import Column, shown, stamped, xlsx_response

from .. import excel, selectors

WIDTHS = {"正文": 60, "标题": 28, "所涉职权": 20, "适用职权类别": 20}
RULE_COLUMNS = [
    *(
        Column(
            h,
            "date" if h == "通过日期" else "int" if h in ("会议编号", "议题序号") else "text",
            WIDTHS.get(h, 12),
        )
        for h in excel.RULE_HEADERS
    ),
    Column("版本", "int", 6),
    Column("状态", width=8),
    Column("来源范本", width=12),
]
LIBRARY_COLUMNS = [
    *(Column(h, width=WIDTHS.get(h, 12)) for h in excel.LIBRARY_HEADERS),
    Column("版本", "int", 6),
    Column("状态", width=8),
]


@login_required
def rules_xlsx(request: PersonRequest, code: str) -> HttpResponse:
    unit, qs = selectors.list_rules_for_unit(request.user, code, include_repealed=True)
    rows = []
    for rule in qs:
        v = selectors.current_version(rule)
        rows.append(
            [
                rule.code,
                v.group,
                v.title,
                v.body,
                "、".join(selectors.power_codes(v)),
                v.adopted,
                v.meeting_id,
                v.item.number if v.item else None,
                v.number,
                shown("unitrules.status", rule.status, rule.get_status_display()),
                rule.model.code if rule.model else "",
            ]
        )
    return xlsx_response(stamped(f"{unit.name}制度"), "单位制度", RULE_COLUMNS, rows)


@login_required
def library_xlsx(request: PersonRequest, code: str) -> HttpResponse:
    district = selectors.get_district_for_library(request.user, code)
    rows = [
        [
            m.code,
            m.group,
            m.title,
            m.body,
            "、".join(sorted(c.code for c in m.categories.all())),
            m.version,
            shown("unitrules.model_status", m.status, m.get_status_display()),
        ]
        for m in selectors.list_models(district, include_withdrawn=True)
    ]
    return xlsx_response(stamped(f"{district.name}制度范本"), "制度范本", LIBRARY_COLUMNS, rows)
