"""Yongchuan's risk register (R-GATE-6; issue 18 part 3): the seed's 排查廉政风险 → 评估风险等级 for two units —
区财政局 and 朱沱镇. Each unit's deputy in charge registers the points of their powers (the inspector those of
powers nobody holds), five types graded A–D from the four inputs; the principal publishes them inside the unit
(公示) in July; the finance deputy lowers one point's grade in September with a reason; the commission
requires a review of a procurement point; one point's review is already overdue. The points of a power whose
matters raised warnings show them as incidents (steps/warnings.py replays the red flags afterwards)."""

from __future__ import annotations

import datetime as dt

from zhiheng.core import clock
from zhiheng.powers import selectors as powers
from zhiheng.riskregister import services

from ..context import YEAR, DemoContext

UNITS = ("yc-czj", "yc-ztz")

# category → [(description, type, importance, discretion, probability, harm, measures)]
POINTS: dict[str, list[tuple[str, str, int, int, int, int, str]]] = {
    "finance": [
        (
            "虚列支出、套取财政资金，或以拆分报销规避集体审批",
            "process",
            5,
            4,
            3,
            5,
            "支出实行经办、审核、审批三分离；单笔5万元以上提交集体会审；每月收支明细报纪检组长。",
        ),
        (
            "分管副职对本人经手事项自批自签",
            "duties",
            4,
            4,
            2,
            4,
            "本人经手事项回避审批，改由其他班子成员审批并留痕。",
        ),
    ],
    "procurement": [
        (
            "化整为零规避政府采购，或指定供应商",
            "process",
            5,
            5,
            3,
            4,
            "采购计划年初编制、集中采购；同一供应商30日内多笔采购自动预警；供应商库随机抽取。",
        ),
        (
            "与供应商存在利益关系未申报回避",
            "morals",
            4,
            3,
            2,
            4,
            "采购经办人员每年申报利益关系；廉政谈话每半年一次。",
        ),
    ],
    "personnel": [
        (
            "干部选拔中个人说了算、带病提拔",
            "institutions",
            5,
            4,
            2,
            5,
            "动议、推荐、考察、讨论决定全程纪实；一把手末位表态；纪检组长全程列席。",
        ),
    ],
    "construction": [
        (
            "工程变更、签证随意，虚增工程量",
            "process",
            5,
            4,
            3,
            5,
            "设计变更一律集体研究；跟踪审计全覆盖；工程款按审定量拨付。",
        ),
        (
            "施工方围猎、请托说情",
            "environment",
            4,
            3,
            3,
            4,
            "请托事项登记报告制度；项目负责人廉政承诺书。",
        ),
    ],
    "admin_approval": [
        (
            "审批时限、条件把握尺度不一，吃拿卡要",
            "duties",
            4,
            4,
            2,
            3,
            "审批事项清单公开；一次性告知；办结时限电子监察。",
        ),
    ],
    "admin_enforcement": [
        (
            "处罚自由裁量畸轻畸重、以罚代管",
            "institutions",
            4,
            5,
            3,
            3,
            "执行处罚裁量基准；重大处罚法制审核与集体讨论；案卷季度评查。",
        ),
    ],
}


def _register(ctx: DemoContext, code: str, *, first_due: dt.date | None = None) -> list:
    unit = ctx.units[code]
    team = ctx.teams[code]
    in_charge = powers.in_charge_map(unit, dt.date(YEAR, 7, 1))
    points = []
    for n, power in enumerate(powers.list_powers(unit)):
        rows = POINTS.get(power.category.code, [])
        deputy = in_charge.get(power.pk)
        by = deputy or team.inspector
        for m, (text, kind, importance, discretion, probability, harm, measures) in enumerate(rows):
            with clock.frozen(clock.at(dt.date(YEAR, 7, 1 + n % 10), 9 + m)):
                points.append(
                    services.propose_point(
                        by=by,
                        power=power,
                        description=text,
                        type=kind,
                        importance=importance,
                        discretion=discretion,
                        probability=probability,
                        harm=harm,
                        measures=measures,
                        owner=by,
                        review_due=first_due if not points else None,
                    )
                )
    with clock.frozen(clock.at(dt.date(YEAR, 7, 15), 10)):
        points = [services.publish_point(by=team.principal, point=p) for p in points]
    return points


def build(ctx: DemoContext) -> None:
    if not all(code in ctx.units for code in UNITS):
        return
    # 朱沱镇's first point: its review fell due on 30 September and was not done (listed as overdue).
    registers = {
        code: _register(ctx, code, first_due=dt.date(YEAR, 9, 30) if code == "yc-ztz" else None)
        for code in UNITS
    }
    czj = registers["yc-czj"]
    finance = next((p for p in czj if p.power.category.code == "finance" and p.type == "duties"), None)
    if finance is not None:
        by = powers.deputy_in_charge(finance.unit, finance.power, dt.date(YEAR, 9, 10))
        if by is not None:
            with clock.frozen(clock.at(dt.date(YEAR, 9, 10), 15)):
                services.edit_point(
                    by=by,
                    point=finance,
                    probability=1,
                    reason="已上线财务审批系统，本人经手事项自动转其他班子成员审批",
                )
    procurement = next((p for p in czj if p.power.category.code == "procurement"), None)
    if procurement is not None:
        with clock.frozen(clock.at(dt.date(YEAR, 10, 20), 11)):
            services.require_review(
                by=ctx.admins["yongchuan"],
                point=procurement,
                reason="区纪委督察发现采购比价材料不全，请对照复核本风险点及其防控措施",
            )
