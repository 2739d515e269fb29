"""Step 2: power catalogues, unit policies, incompatible pairs, filing deadlines and division plans (R-DIV).

CONTRACT with the matters and meetings steps (they write matters against these power codes):
- every unit has `finance` 财务收支审批, `procurement` 物资采购, `personnel` 干部人事任免 and `general`
  综合事务 (never restricted);
- every Nanchuan unit also has `construction`, `admin-approval`, `admin-enforcement`;
- jb-szyl has `construction`, `project-approval`, `admin-enforcement` (its X choice);
  jb-ajj has `admin-enforcement` (X) and `construction` (not X);
- every plan: finance→deputy1, procurement→deputy2, personnel→deputy3, general→last deputy,
  the other powers spread from deputy2 on (so the district's finance × procurement pair holds);
- nc-swj: construction moved from deputy2 to deputy1 on 2026-03-02 (the dam story);
- each district has a 2026 filing round (Nanchuan's by 1 April; Jiangbei's and Yongchuan's in
  OTHER_ROUNDS) with units filed on time, late and missing; a re-filing keeps the unit's deputies.
Categories and the two templates come from the data migration powers/0003, not from here.
"""

from __future__ import annotations

import datetime as dt

from zhiheng.core import clock
from zhiheng.powers import selectors, services
from zhiheng.powers.seed import ensure_seeded

from ..context import TERMS_START, DemoContext

# power code → (name, category code, legal basis, flowchart steps (step, role, output))
CATALOGUE: dict[str, tuple[str, str, str, list[tuple[str, str, str]]]] = {
    "finance": (
        "财务收支审批",
        "finance",
        "《中华人民共和国预算法》第五十七条；《行政事业单位内部控制规范（试行）》第二十一条；本单位财务管理制度。",
        [
            ("提出支出申请", "经办人", "支出申请单"),
            ("财务审核", "财务科", "审核意见"),
            ("分管副职审批", "分管副职", "审批签字"),
            ("超限额提交集体会审", "领导班子", "会议纪要"),
            ("支付入账", "财务科", "记账凭证"),
        ],
    ),
    "procurement": (
        "物资采购",
        "procurement",
        "《中华人民共和国政府采购法》第二条、第二十六条；《政府采购法实施条例》；本单位采购管理办法。",
        [
            ("提出采购需求", "经办人", "采购申请"),
            ("编制采购计划", "办公室", "采购计划"),
            ("分管副职审批", "分管副职", "审批意见"),
            ("组织采购", "采购小组", "采购结果"),
            ("验收", "使用科室", "验收单"),
        ],
    ),
    "personnel": (
        "干部人事任免",
        "personnel",
        "《党政领导干部选拔任用工作条例》第二条、第十八条；《事业单位人事管理条例》。",
        [
            ("分析研判、提出动议", "分管副职", "动议方案"),
            ("民主推荐", "组织人事科", "推荐结果"),
            ("考察", "考察组", "考察材料"),
            ("党组（党委）会集体讨论", "领导班子", "会议纪要"),
            ("任前公示", "组织人事科", "公示材料"),
        ],
    ),
    "construction": (
        "工程建设项目管理",
        "construction",
        "《中华人民共和国招标投标法》第三条；《建设工程质量管理条例》；《政府投资条例》第十八条。",
        [
            ("项目立项", "项目科", "立项批复"),
            ("招标", "招标代理", "中标通知书"),
            ("合同签订", "分管副职", "施工合同"),
            ("设计变更审批", "分管副职", "变更审批单"),
            ("竣工验收", "验收小组", "验收报告"),
        ],
    ),
    "admin-approval": (
        "行政审批",
        "admin_approval",
        "《中华人民共和国行政许可法》第二十九条至第四十二条；本单位行政审批事项目录。",
        [
            ("受理", "窗口经办人", "受理通知书"),
            ("审查", "业务科室", "审查意见"),
            ("分管副职决定", "分管副职", "许可决定"),
            ("送达", "窗口经办人", "送达回证"),
        ],
    ),
    "admin-enforcement": (
        "行政执法",
        "admin_enforcement",
        "《中华人民共和国行政处罚法》第三十九条、第五十七条、第五十八条；本单位行政执法程序规定。",
        [
            ("立案", "执法人员", "立案审批表"),
            ("调查取证", "执法人员", "调查终结报告"),
            ("法制审核", "法制员", "法制审核意见"),
            ("集体会审（重大案件）", "会审小组", "会审记录"),
            ("作出决定", "分管副职", "行政处罚决定书"),
        ],
    ),
    "project-approval": (
        "项目审批",
        "project_approval",
        "《政府投资条例》第九条至第十一条；《企业投资项目核准和备案管理条例》。",
        [
            ("项目申报", "申请单位", "申报材料"),
            ("评审论证", "评审专家", "评审意见"),
            ("分管副职审批", "分管副职", "批复文件"),
            ("备案归档", "项目科", "档案"),
        ],
    ),
    "general": (
        "综合事务",
        "general",
        "本单位“三定”方案；机关内部管理制度。",
        [
            ("提出", "经办人", "请示"),
            ("办公室审核", "办公室", "审核意见"),
            ("分管副职审定", "分管副职", "批示"),
        ],
    ),
}

BASE = ("finance", "procurement", "personnel")
NANCHUAN_EXTRA = ("construction", "admin-approval", "admin-enforcement")

# Jiangbei / Yongchuan units: (extra powers, X categories of the unit's 3+X choice)
JB_EXTRAS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "jb-szyl": (
        ("construction", "project-approval", "admin-enforcement"),
        ("construction", "project_approval", "admin_enforcement"),
    ),
    "jb-ajj": (("admin-enforcement", "construction"), ("admin_enforcement",)),
    # The seed's five working groups: finance, personnel, procurement, approval and enforcement.
    "jb-fgw": (
        ("project-approval", "admin-approval", "admin-enforcement"),
        ("project_approval", "admin_approval", "admin_enforcement"),
    ),
    "jb-fgj": (("construction", "admin-approval"), ("construction",)),
    "jb-hbj": (("admin-enforcement", "admin-approval"), ("admin_enforcement", "admin_approval")),
    "jb-gsj": (("admin-enforcement",), ("admin_enforcement",)),
    "jb-jw": (("construction",), ("construction",)),
    "jb-wtj": (("admin-approval",), ("admin_approval",)),
    "yc-czj": (("project-approval",), ("project_approval",)),
    "yc-jw": (("construction",), ("construction",)),
    "yc-wsj": (("admin-enforcement",), ("admin_enforcement",)),
}
# Townships and subdistricts without an entry: construction and enforcement, X = construction.
LOCAL_DEFAULT = (("construction", "admin-enforcement"), ("construction",))

NANCHUAN_ROUND = ("2026年度分工方案报送", dt.date(2026, 2, 23), dt.date(2026, 4, 1))
# R-DIV-5 story: 卫生局 first, on 28 February; most at the end of March; one late; one missing.
NANCHUAN_FILINGS = {
    "nc-wsj": dt.date(2026, 2, 28),
    "nc-hbj": dt.date(2026, 3, 20),
    "nc-jw": dt.date(2026, 3, 27),
    "nc-yqx": dt.date(2026, 3, 30),
    "nc-ncjd": dt.date(2026, 3, 31),
    "nc-dcjd": dt.date(2026, 3, 31),
    "nc-jtj": dt.date(2026, 4, 8),  # late
    # nc-swj answered the round with its 2026-03-02 adjustment (after 卫生局, the first to file, as in the
    # seed); nc-jsz never filed (missing).
}
SWJ_ADJUSTMENT = dt.date(2026, 3, 2)

# Jiangbei and Yongchuan set their own rounds, so every district's board shows filed / late / missing.
# Re-filings keep each unit's division (same deputies): matters written against it stay valid.
OTHER_ROUNDS: dict[str, tuple[tuple[str, dt.date, dt.date], dict[str, dt.date]]] = {
    "jiangbei": (
        ("2026年度“3+X”分工方案报送", dt.date(2026, 3, 2), dt.date(2026, 3, 31)),
        {
            "jb-szyl": dt.date(2026, 3, 5),
            "jb-fgw": dt.date(2026, 3, 10),
            "jb-fgj": dt.date(2026, 3, 16),
            "jb-ajj": dt.date(2026, 3, 18),
            "jb-hbj": dt.date(2026, 3, 24),
            "jb-gsj": dt.date(2026, 3, 27),
            "jb-wld": dt.date(2026, 3, 30),
            "jb-fsz": dt.date(2026, 3, 31),
            "jb-jw": dt.date(2026, 4, 9),  # late
            "jb-gyq": dt.date(2026, 4, 15),  # late
            # jb-wtj never filed this round (missing): its 2024 plan stays in force.
        },
    ),
    "yongchuan": (
        ("2026年度分工方案报送", dt.date(2026, 6, 1), dt.date(2026, 6, 30)),
        {
            "yc-czj": dt.date(2026, 6, 5),
            "yc-wsj": dt.date(2026, 6, 19),
            "yc-jw": dt.date(2026, 6, 26),
            "yc-ztz": dt.date(2026, 6, 30),
            "yc-sll": dt.date(2026, 7, 8),  # late
            # yc-slz missing.
        },
    ),
}


def _powers_of(ctx: DemoContext, code: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(power codes, X categories) of a unit."""
    unit = ctx.units[code]
    if unit.district.code == "nanchuan":
        return (*BASE, *NANCHUAN_EXTRA, "general"), ()
    extras, x = JB_EXTRAS.get(
        code,
        LOCAL_DEFAULT
        if unit.kind in ("township", "subdistrict", "xiang")
        else (("admin-approval",), ("admin_approval",)),
    )
    return (*BASE, *extras, "general"), x


def _assignments(ctx: DemoContext, code: str, powers: tuple[str, ...]) -> list[tuple[str, str]]:
    deputies = [d.username for d in ctx.teams[code].deputies]
    plan = {
        "finance": deputies[0],
        "procurement": deputies[1],
        "personnel": deputies[2],
        "general": deputies[-1],
    }
    others = [p for p in powers if p not in plan]
    for i, power in enumerate(others):
        plan[power] = deputies[(i + 1) % len(deputies)]
    return [(p, plan[p]) for p in powers]


def _file(ctx: DemoContext, code: str, assignments, day: dt.date, note: str):
    with clock.frozen(clock.at(day, 10)):
        principal = ctx.teams[code].principal
        plan = services.draft_plan(by=principal, unit=ctx.units[code], assignments=assignments, note=note)
    with clock.frozen(clock.at(day, 16)):
        return services.file_plan(by=principal, plan=plan)


def build(ctx: DemoContext) -> None:
    ensure_seeded()  # normally present from migration 0003; back after a `flush`
    templates = {code: selectors.latest_template(code) for code in ("jiangbei-3x", "nanchuan-5")}
    with clock.frozen(clock.at(TERMS_START, 9)):
        for district_code, district in ctx.districts.items():
            if district_code == "jiangbei":
                services.add_incompatible_pair(
                    by=ctx.admins[district_code], district=district, first="finance", second="procurement"
                )
    plans: dict[str, list[tuple[str, str]]] = {}
    for code, unit in ctx.units.items():
        powers, x = _powers_of(ctx, code)
        with clock.frozen(clock.at(TERMS_START, 9)):
            for power in powers:
                name, category, basis, steps = CATALOGUE[power]
                services.save_power(
                    by=None,
                    unit=unit,
                    code=power,
                    name=name,
                    category=category,
                    legal_basis=basis,
                    flowchart=[{"step": s, "role": r, "output": o} for s, r, o in steps],
                )
            services.set_unit_policy(
                by=ctx.admins[unit.district.code],
                unit=unit,
                template=templates[ctx.policies[unit.district.code]],
                x_categories=x,
                in_force_from=TERMS_START,
            )
        plans[code] = _assignments(ctx, code, powers)
        _file(ctx, code, plans[code], TERMS_START, "班子分工（任期之初）")

    nanchuan = ctx.districts["nanchuan"]
    label, opens, due = NANCHUAN_ROUND
    with clock.frozen(clock.at(opens, 9)):
        services.set_deadline(
            by=ctx.admins["nanchuan"], district=nanchuan, label=label, opens_on=opens, due=due
        )
    # The dam story: the water bureau's construction goes to deputy1, who then decides it alone.
    swj_team = ctx.teams["nc-swj"]
    moved = [
        (p, swj_team.deputies[0].username) if p == "construction" else (p, d) for p, d in plans["nc-swj"]
    ]
    _file(ctx, "nc-swj", moved, SWJ_ADJUSTMENT, "分工调整：工程建设改由副局长一分管")
    for code, day in sorted(NANCHUAN_FILINGS.items(), key=lambda item: item[1]):
        _file(ctx, code, plans[code], day, "按区纪委通知重新报送分工方案")

    for district_code, ((label, opens, due), filings) in OTHER_ROUNDS.items():
        with clock.frozen(clock.at(opens, 9)):
            services.set_deadline(
                by=ctx.admins[district_code],
                district=ctx.districts[district_code],
                label=label,
                opens_on=opens,
                due=due,
            )
        for code, day in sorted(filings.items(), key=lambda item: item[1]):
            _file(ctx, code, plans[code], day, "按区纪委通知报送本年度分工方案")
