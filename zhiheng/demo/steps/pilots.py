"""Jiangbei's pilot programme (R-PIL-1; issue 18 part 1), as the seed tells it: in January the district
commission chose eight representative units — 区发改委, 区房管局, 区市政园林局, 区安监局, 区环保局, 区国税局,
五里店街道 and 复盛镇 (the only township) — to try the principal's "3+X" not-directly-in-charge system; the
eight went through mobilisation and education 动员教育 and rule-making 制定制度 and entered formal
implementation 正式实施 "from 10 August"; the commission "checked and guided every pilot unit twice, in July
and in August"; and "in the following year the system is rolled out across the whole district" 全区全面推开.

The seed's year 2012 is the demo's first year of terms (TERMS_START): the programme is set up in January, the
phases run from 21 February (the seed's day the pilot started work; the seed dates no start of rule-making,
so the demo takes 1 April) and 10 August, the visits are in July and August, and the rollout is decided in
December for 1 January of the next year. The other units of the district already follow their policy from
TERMS_START (steps/powers.py), so the rollout finds it in force and keeps it."""

from __future__ import annotations

import datetime as dt

from zhiheng.core import clock
from zhiheng.pilots import services

from ..context import TERMS_START, DemoContext

YEAR = TERMS_START.year
NAME = "一把手“3+X”不直接分管制度试点"
CREATED = dt.date(YEAR, 1, 16)
PHASES = (
    ("动员教育", dt.date(YEAR, 2, 21)),
    ("制定制度", dt.date(YEAR, 4, 1)),
    ("正式实施", dt.date(YEAR, 8, 10)),
)
VISITORS = "区纪委检查督导组"
VISITS = (
    (
        dt.date(YEAR, 7, 17),
        "检查各试点单位动员教育、制定制度两个阶段的完成情况。区安监局围绕行政执法、财务审批两方面规范了16项"
        "制度；区发改委针对财务、人事、物资采购、行政审批、行政执法等权力分别成立5个工作小组，部门纪检监察组织"
        "全程参与决策、执行的监督。要求制度汇编尚未完成的单位于8月10日前完成，按期进入正式实施阶段。",
    ),
    (
        dt.date(YEAR, 8, 28),
        "检查正式实施情况。区国税局、复盛镇、五里店街道在“三重一大”决策时坚持主要领导“末位表态制”；区房管局"
        "在重大财务开支、重大物资采购方面实行“预算申报制”和“领导会签制”。各试点单位“一把手”从具体、繁琐的"
        "事务中摆脱出来，集中精力理思路、抓大事、谋发展。要求纪检监察组织全程监督，及时总结经验。",
    ),
)
DECIDED = dt.date(YEAR, 12, 20)
ROLLOUT = dt.date(YEAR + 1, 1, 1)


def build(ctx: DemoContext) -> None:
    if "jiangbei" not in ctx.districts or not ctx.pilot_units:
        return
    admin = ctx.admins["jiangbei"]
    units = [ctx.units[code] for code in sorted(ctx.pilot_units)]
    with clock.frozen(clock.at(CREATED, 10)):
        programme = services.create_programme(
            by=admin, district=ctx.districts["jiangbei"], name=NAME, units=units
        )
        for name, start in PHASES:
            programme = services.set_phase(by=admin, programme=programme, name=name, start=start)
    for day, findings in VISITS:
        with clock.frozen(clock.at(day, 17)):
            services.record_visit(
                by=admin, programme=programme, on=day, units=units, visitors=VISITORS, findings=findings
            )
    with clock.frozen(clock.at(DECIDED, 10)):
        services.roll_out(by=admin, programme=programme, on=ROLLOUT)
