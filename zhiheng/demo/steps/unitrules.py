"""Jiangbei's unit rules (R-PIL-2; issue 18 part 2). The seed: 区安监局 "围绕本单位重点涉及的工程建设、行政执法两方面
内容，从4个方面规范16项制度"; 区市政园林局 "细化了8个制度，配套'3+X'制度" — 每月财务明细汇报制度, 大额资金集体会审制度,
工程合同 (施工合同、设计更改超过一定金额必须集体讨论), and the rules of procedure of 局党委会、局长办公会、行政办公会.

- jb-ajj: sixteen rules in four groups, written in the 2024 rule-making phase (before the unit joined the
  system, so no meeting); in June the party group's meeting revises the enforcement-discretion rule
  (version 2, lower thresholds for collective discussion);
- Jiangbei's commission keeps a small library of model rules 制度范本;
- jb-szyl: adopts two of them at its office meeting in March (each its own rule, version 1, the model
  recorded) and keeps six rules of its own from 2024 — eight in force."""

from __future__ import annotations

import datetime as dt

from zhiheng.core import clock
from zhiheng.meetings import services as meetings
from zhiheng.powers import selectors as powers
from zhiheng.powers.models import Category
from zhiheng.unitrules import services
from zhiheng.unitrules.models import Rule

from ..context import YEAR, DemoContext, Team
from .meetings import _convene, _in_charge, _speak

AJJ_WRITTEN = dt.date(2024, 3, 15)
SZYL_WRITTEN = dt.date(2024, 4, 20)

# group → [(code, title, powers)]
AJJ: dict[str, list[tuple[str, str, tuple[str, ...]]]] = {
    "行政执法": [
        ("AJ-01", "安全生产行政处罚自由裁量基准制度", ("admin-enforcement",)),
        ("AJ-02", "重大行政执法案件集体讨论制度", ("admin-enforcement",)),
        ("AJ-03", "行政执法全过程记录制度", ("admin-enforcement",)),
        ("AJ-04", "执法人员回避和责任追究制度", ("admin-enforcement",)),
    ],
    "工程建设": [
        ("AJ-05", "工程项目立项集体决策制度", ("construction",)),
        ("AJ-06", "工程招投标监督管理制度", ("construction", "procurement")),
        ("AJ-07", "工程变更和现场签证审批制度", ("construction",)),
        ("AJ-08", "工程款支付审核制度", ("construction", "finance")),
    ],
    "财务审批": [
        ("AJ-09", "财务收支审批制度", ("finance",)),
        ("AJ-10", "大额资金使用集体会审制度", ("finance",)),
        ("AJ-11", "每月财务明细汇报制度", ("finance",)),
        ("AJ-12", "物资采购管理制度", ("procurement",)),
    ],
    "议事决策与监督": [
        ("AJ-13", "党组会议事规则", ()),
        ("AJ-14", "局长办公会议事规则", ()),
        ("AJ-15", "一把手末位表态制度", ("personnel",)),
        ("AJ-16", "纪检组长列席监督制度", ()),
    ],
}
SZYL_OWN: list[tuple[str, str, str, tuple[str, ...]]] = [
    ("SZ-01", "工程建设", "工程施工合同集体讨论制度", ("construction",)),
    ("SZ-02", "工程建设", "工程设计变更审批制度", ("construction",)),
    ("SZ-03", "行政审批与执法", "项目审批内部监督制度", ("project-approval",)),
    ("SZ-04", "行政审批与执法", "行政执法案件审核制度", ("admin-enforcement",)),
    ("SZ-05", "议事决策", "局党委会议事规则", ()),
    ("SZ-06", "议事决策", "局长办公会和行政办公会议事规则", ()),
]
# code, group, title, categories, body
MODELS: list[tuple[str, str, str, tuple[str, ...], str]] = [
    (
        "FB-01",
        "财务管理",
        "每月财务明细汇报制度",
        ("finance",),
        "第一条 为落实一把手不直接分管财务的要求，加强对财务运行的监督，制定本制度。\n"
        "第二条 每月5日前，分管财务的副职向领导班子汇报上月全部支出和采购明细，列明经办人、相对方、金额、预算指标及决策会议。\n"
        "第三条 一把手和班子成员对明细逐项签阅；超过集体会审标准的事项单独列示。\n"
        "第四条 汇报材料抄送纪检组长，并按规定存档备查。",
    ),
    (
        "FB-02",
        "财务管理",
        "大额资金集体会审制度",
        ("finance", "procurement"),
        "第一条 单笔5万元以上的支出和采购，须提交领导班子集体会审。\n"
        "第二条 会审时分管副职先汇报并表态，其他成员依次表态，一把手最后表态。\n"
        "第三条 会审意见和表决情况如实记入会议纪要。",
    ),
    (
        "FB-03",
        "议事决策",
        "“三重一大”集体决策制度",
        (),
        "第一条 重大决策、重要干部任免、重大项目安排和大额资金使用，必须经领导班子集体讨论决定。\n"
        "第二条 一把手末位表态，纪检组长列席。",
    ),
    (
        "FB-04",
        "工程建设",
        "工程变更集体讨论制度",
        ("construction",),
        "第一条 施工合同、设计变更超过10万元的，须经领导班子集体讨论。\n第二条 变更资料报纪检组长备案。",
    ),
]


def _text(title: str, powers_named: str) -> str:
    return (
        f"第一条 为规范{powers_named}权力运行，落实一把手“3+X”不直接分管制度，制定《{title}》。\n"
        "第二条 本制度所涉事项由分管副职负责，一把手履行监督责任，不直接审批。\n"
        "第三条 达到集体决策标准的事项，须经领导班子集体讨论决定，纪检组长列席监督。\n"
        "第四条 本制度自印发之日起施行。"
    )


def _passed(team: Team, day: dt.date, title: str, power: str, meeting_title: str):
    """An item passed unanimously at a sealed meeting of the unit on `day`, the deputy in charge of `power`
    presenting and the principal speaking last."""
    with clock.frozen(clock.at(day, 15)):
        presenter = _in_charge(team, power, day)
        meeting = _convene(
            team, day, "party_committee", [{"title": title, "presenter": presenter}], title=meeting_title
        )
        item = meeting.items.get()
        others = [d for d in team.deputies if d != presenter]
        _speak(
            item,
            [(presenter, "agree", "按集体讨论意见完善后印发。"), *[(d, "agree", "同意。") for d in others]],
            (team.principal, "agree", "我最后表态：同意。"),
        )
        meetings.close_meeting(by=team.principal, meeting=meeting)
    item.refresh_from_db()
    return item


def _record(team: Team, code: str, group: str, title: str, codes: tuple[str, ...], day: dt.date):
    unit_powers = [p for p in powers.list_powers(team.unit) if p.code in codes]
    named = "、".join(p.name for p in unit_powers) or "议事决策"
    with clock.frozen(clock.at(day, 10)):
        return services.create_rule(
            by=team.principal,
            unit=team.unit,
            code=code,
            title=title,
            group=group,
            body=_text(title, named),
            powers=unit_powers,
            adopted=day,
        )


def build(ctx: DemoContext) -> None:
    jiangbei, admin = ctx.districts["jiangbei"], ctx.admins["jiangbei"]
    with clock.frozen(clock.at(dt.date(YEAR, 1, 8), 9)):
        models = {
            code: services.create_model(
                by=admin,
                district=jiangbei,
                code=code,
                title=title,
                group=group,
                body=body,
                categories=list(Category.objects.filter(code__in=categories)),
            )
            for code, group, title, categories, body in MODELS
        }

    ajj = ctx.teams["jb-ajj"]
    for group, rules in AJJ.items():
        for code, title, codes in rules:
            _record(ajj, code, group, title, codes, AJJ_WRITTEN)
    day = dt.date(YEAR, 6, 18)
    item = _passed(
        ajj, day, "修订《安全生产行政处罚自由裁量基准制度》", "admin-enforcement", "区安监局党组会"
    )
    rule = Rule.objects.get(unit=ajj.unit, code="AJ-01")
    current = rule.versions.get(number=1)
    with clock.frozen(clock.at(day, 17)):
        services.revise_rule(
            by=ajj.principal,
            rule=rule,
            body=current.body.replace(
                "第三条 达到集体决策标准的事项",
                "第三条 拟处罚款1万元以上或吊销许可证的案件，须经执法会审；达到集体决策标准的事项",
            ),
            meeting=item.meeting,
            item=item,
            note="细化自由裁量基准，罚款1万元以上案件一律会审",
        )

    szyl = ctx.teams["jb-szyl"]
    for code, group, title, codes in SZYL_OWN:
        _record(szyl, code, group, title, codes, SZYL_WRITTEN)
    day = dt.date(YEAR, 3, 10)
    item = _passed(
        szyl, day, "采用区纪委制度范本：每月财务明细汇报、大额资金集体会审", "finance", "区市政园林局党委会"
    )
    with clock.frozen(clock.at(day, 17)):
        for code in ("FB-01", "FB-02"):
            services.adopt_model(
                by=szyl.principal,
                unit=szyl.unit,
                model=models[code],
                code=code.replace("FB", "SZ-F"),
                meeting=item.meeting,
                item=item,
            )
