"""Step 5: the seed's stories told fully (issue 13 item 6) — each matter from submission through its
collective decision, co-signatures and execution, in time order, through the services.

- 环保局 nc-hbj: the ¥2.96亿 financing of the urban-rural sewage system. Its deputy in charge of finance,
  柯明远, ran it from the first talks; the party committee decides, the leaders co-sign (R-MAT-4), and
  柯明远 signs the deal on 12 May.
- 房管局 jb-fgj: 预算申报制 and 领导会签制 — major purchases decided by the team, co-signed by the deputy in
  charge, the finance deputy and the inspector, then executed; the vehicle purchase is vetoed by the
  principal while it awaits co-signatures (R-MAT-6) and the team then turns it down.
- 水务局 nc-swj: the 金狮村 dam and the 南山堰 weir, decided on 3 March, the day after construction became
  罗建川's alone, completed on 28 April: two months instead of half a year.
- 发改委 jb-fgw: five standing working groups (finance, personnel, procurement, approval, enforcement), each
  chaired by the deputy in charge and deciding its matters with the unit inspector taking part (R-MTG-8).
- 教委 nc-jw: the ¥5亿 campus framework agreement, handled by deputy 曾文涛 and signed at the 渝洽会 on
  21 May, a little over a month after it was filed.
- 卫生局 nc-wsj: the ¥16亿 hospital relocation investment, negotiated by the principal 孟雅琴 once freed of
  routine signing, decided collectively with her speaking last, executed by the deputy in charge.
- 交通局 nc-jtj: the principal who locked the reform's notice in his cabinet tries to sign a road payment
  out of habit; the engine refuses (R-MAT-2) and the attempt stays on record (RF1).
- 市政园林局 jb-szyl: a purchase decided last week waits for two co-signatures today (the co-signers'
  inboxes and the API's co-sign example).

Who presents, who is in charge and who co-signs are asked of powers and matters, never hard-coded.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from zhiheng.matters import services as matters
from zhiheng.meetings import services as meetings
from zhiheng.meetings.models import MeetingKind
from zhiheng.powers.selectors import deputy_in_charge, get_power

from ..context import YEAR, DemoContext, Team
from .matters import Script, _act, _deputy, _principal_tries

D = dt.date
AGREE = "agree"

# A statement script for one agenda item: what the presenter says, what the other members say (in turn),
# the inspector's supervisory opinion (working groups), and the principal's, last. A value is a reason
# (agreeing) or a (position, reason) pair.
Lines = dict[str, object]


def _position(value: object) -> tuple[str, str]:
    return value if isinstance(value, tuple) else (AGREE, str(value))  # type: ignore[return-value]


def _statements(team: Team, item, voters: list, lines: Lines, inspector: bool) -> list[tuple]:
    """Speaking order (R-MTG-3): the presenter first, the other members, the principal last."""
    presenter = item.presenter if item.presenter in voters else None
    order = [presenter] if presenter is not None else []
    order += [p for p in voters if p not in order and p != team.principal]
    out = [(order[0], *_position(lines["first"]))]
    if inspector and "inspector" in lines:
        out.append((team.inspector, *_position(lines["inspector"])))
    others = lines.get("others") or [lines["first"]]
    out += [(p, *_position(others[i % len(others)])) for i, p in enumerate(order[1:])]  # type: ignore[index]
    if team.principal in voters:
        out.append((team.principal, *_position(lines["principal"])))
    return out


def _hold(
    script: Script,
    team: Team,
    day: dt.date,
    *,
    title: str,
    items: list[tuple[str, Lines]],
    kind: str = MeetingKind.PARTY_COMMITTEE,
    category: str = "",
    chair: Callable[[], object] | None = None,
    hour: int = 9,
) -> None:
    """A meeting on `day` deciding the matters `items` names (keys of script.matters), then sealed.

    A working group is chaired by the deputy in charge of its category, its voters are the deputies, and
    the unit inspector takes part in every decision; other meetings are the whole team's, chaired by the
    principal, with the inspector observing."""

    def go() -> None:
        working = kind == MeetingKind.WORKING_GROUP
        head = chair() if chair else team.principal
        voters = list(team.deputies) if working else [team.principal, *team.deputies]
        meeting = meetings.create_meeting(
            by=head,
            unit=team.unit,
            kind=kind,
            category=category,
            date=day,
            title=title,
            chair=head if working else None,
            items=[{"matter": script.matters[key].pk} for key, _ in items],
        )
        meetings.record_attendance(
            by=head,
            meeting=meeting,
            present=[*voters, team.inspector] if working else voters,
            observers=[] if working else [team.inspector],
        )
        for item, (_key, lines) in zip(
            meeting.items.order_by("number").select_related("presenter"), items, strict=True
        ):
            for person, position, reason in _statements(team, item, voters, lines, working):
                meetings.state(by=person, item=item, position=position, reason=reason)
        meetings.close_meeting(by=head, meeting=meeting)

    script.at(day, hour, go)


def _refer_and_decide(
    script: Script,
    team: Team,
    key: str,
    *,
    referred: tuple[dt.date, int],
    reason: str,
    meeting: dt.date,
    title: str,
    lines: Lines,
    **hold: Any,
) -> None:
    """The deputy in charge refers the matter to the team (R-MAT-3) on `referred` (day, hour), and a
    meeting on `meeting` decides it, its one item (see _hold)."""
    script.at(*referred, _act(script, key, "refer_to_collective", _deputy, reason=reason))
    _hold(script, team, meeting, title=title, items=[(key, lines)], **hold)


COSIGN_NOTES = {
    "deputy": "分管领导会签：同意。",
    "finance_deputy": "财务分管领导会签：预算已申报，资金有保障。",
    "inspector": "纪检组长会签：程序合规。",
}


def _cosign_all(script: Script, key: str, days: list[dt.date], *, skip: int = 0) -> None:
    """The matter's co-signers (R-MAT-4) sign in their order, one on each of `days`; the last `skip` of
    them have not signed yet."""
    for index, day in enumerate(days[: len(days) - skip]):

        def go(index: int = index) -> None:
            matter = script.matters[key]
            rows = list(matter.cosigns.order_by("pk").select_related("signer"))
            if index < len(rows) and rows[index].signed_at is None:
                row = rows[index]
                matters.cosign(
                    matter=matter, by=row.signer, comment=COSIGN_NOTES.get(row.role, "会签：同意。")
                )

        script.at(day, 10 + index, go)


def _hbj(ctx: DemoContext, script: Script) -> None:
    team = ctx.teams["nc-hbj"]
    song = team.deputies[0]  # in charge of finance (powers step); the seed's 柯明远
    script.submit(
        D(YEAR, 4, 27),
        "hbj-financing",
        team,
        "finance",
        title="城乡污水处理系统建设工程融资协议",
        amount="296000000.00",
        counterparty="重庆清源水务投资有限公司",
        line="financing",
        major=True,
        description=f"南川区环保史上最大的项目：城乡污水处理系统建设工程融资招标。自2月意向性谈判起由分管副局长"
        f"{song.name}全权负责，三个月谈成。引资2.96亿元，超过南川环保建设20年投入总和。",
    )
    _refer_and_decide(
        script,
        team,
        "hbj-financing",
        referred=(D(YEAR, 4, 28), 10),
        reason="三重一大：大额资金运作，提请党组会集体研究",
        meeting=D(YEAR, 5, 6),
        title="区环保局党组会（城乡污水处理系统建设工程融资）",
        lines={
            "first": "融资招标已完成，中标方资信良好，融资成本低于同期市场水平，建议签约。",
            "others": ["项目纳入区重点工程，环评手续齐全，同意。", "还款来源清楚，同意签约。"],
            "principal": f"项目由{song.name}同志从意向谈判起全程负责，同意签约；我不分管，只把方向、管监督。",
        },
    )
    _cosign_all(script, "hbj-financing", [D(YEAR, 5, 7), D(YEAR, 5, 8)])
    script.at(
        D(YEAR, 5, 12),
        10,
        _act(
            script,
            "hbj-financing",
            "execute",
            _deputy,
            note=f"5月12日融资招标签约仪式，由分管副局长{song.name}代表区环保局签字。",
        ),
    )


FGJ_VETO = "经核实，本局执法车辆编制尚未获区机关事务管理局批准，暂停采购，提请班子重新研究。"


def _fgj(ctx: DemoContext, script: Script) -> None:
    """预算申报制 + 领导会签制: each major purchase cites its declared line, is decided by the team and
    co-signed before it is executed; one is vetoed."""
    team = ctx.teams["jb-fgj"]
    purchases = (
        (
            "fgj-lift",
            "公租房小区电梯更新采购（12台）",
            "380000.00",
            "重庆山城电梯工程有限公司",
            D(YEAR, 6, 10),
        ),
        ("fgj-archive", "房产档案数字化加工采购", "260000.00", "重庆两江信息技术有限公司", D(YEAR, 7, 6)),
        (
            "fgj-car",
            "房屋安全巡查执法车辆采购（2辆）",
            "230000.00",
            "重庆渝通汽车销售有限公司",
            D(YEAR, 8, 3),
        ),
    )
    lines: Lines = {
        "first": "已列入年度预算申报，三家询价后择优，建议采购。",
        "others": ["预算额度充足，同意。", "采购方式符合规定，同意。"],
        "principal": "同意，按领导会签制会签后执行。",
    }
    for key, title, amount, vendor, day in purchases:
        script.submit(
            day, key, team, "procurement", title=title, amount=amount, counterparty=vendor, line="equipment"
        )
        _refer_and_decide(
            script,
            team,
            key,
            referred=(day + dt.timedelta(days=1), 10),
            reason="重大物资采购，提请局党组会集体研究",
            meeting=day + dt.timedelta(days=8 if key != "fgj-car" else 9),
            title=f"区房管局党组会（{title}）",
            lines=lines,
        )
    _cosign_all(script, "fgj-lift", [D(YEAR, 6, 19), D(YEAR, 6, 22), D(YEAR, 6, 23)])
    script.at(
        D(YEAR, 7, 2),
        10,
        _act(script, "fgj-lift", "execute", lambda m: m.submitted_by, note="电梯已安装验收，货款已支付。"),
    )
    _cosign_all(script, "fgj-archive", [D(YEAR, 7, 16), D(YEAR, 7, 17), D(YEAR, 7, 20)])
    script.at(
        D(YEAR, 7, 28),
        10,
        _act(
            script,
            "fgj-archive",
            "execute",
            lambda m: m.submitted_by,
            note="首批档案数字化成果验收合格，按合同付款。",
        ),
    )
    # The car: the deputy in charge co-signs; before the others sign, the principal vetoes (R-MAT-6).
    _cosign_all(script, "fgj-car", [D(YEAR, 8, 13)])
    script.at(D(YEAR, 8, 14), 15, _act(script, "fgj-car", "veto", lambda m: team.principal, reason=FGJ_VETO))
    _hold(
        script,
        team,
        D(YEAR, 8, 26),
        title="区房管局党组会（复议执法车辆采购）",
        items=[
            (
                "fgj-car",
                {
                    "first": ("disagree", "车辆编制未获批准，同意暂停采购，待编制批准后重新申报。"),
                    "others": [("disagree", "编制未批不宜采购，不同意。")],
                    "principal": ("disagree", "同意大家意见：本次不予采购。"),
                },
            )
        ],
    )


def _swj(ctx: DemoContext, script: Script) -> None:
    team = ctx.teams["nc-swj"]
    zhu = team.deputies[0]  # in charge of construction since the 2 March adjustment; the seed's 罗建川
    works = (
        ("swj-dam", "金狮村4.2公里拦水大坝工程施工合同", "1260000.00"),
        ("swj-weir", "南山堰整治修复工程施工合同", "1080000.00"),
    )
    for key, title, amount in works:
        script.submit(
            D(YEAR, 3, 2),
            key,
            team,
            "construction",
            hour=17,
            title=title,
            amount=amount,
            counterparty="重庆南川水利建设工程有限公司",
            line="project",
            description=f"按3月2日报送的分工调整，工程建设由副局长{zhu.name}全权负责。",
        )
        script.at(
            D(YEAR, 3, 3),
            9,
            _act(
                script,
                key,
                "refer_to_collective",
                _deputy,
                reason="工程合同超过集体会审起点，提请局党组会研究",
            ),
        )
    say: Lines = {
        "first": "两项工程设计、预算已审定，施工单位经公开招标确定，建议实施，我全程负责。",
        "others": ["汛期前必须完工，同意。", "资金已落实，同意。"],
        "principal": f"同意，由{zhu.name}同志全权负责，汛前完工。",
    }
    _hold(
        script,
        team,
        D(YEAR, 3, 3),
        title="区水务局党组会（金狮村拦水大坝、南山堰整治）",
        items=[("swj-dam", say), ("swj-weir", say)],
        hour=15,
    )
    for key, _title, _amount in works:
        script.at(D(YEAR, 4, 28), 16, _act(script, key, "execute", _deputy, note="4月28日竣工验收合格。"))


def _fgw(ctx: DemoContext, script: Script) -> None:
    """The development commission's five standing working groups (R-MTG-8)."""
    team = ctx.teams["jb-fgw"]
    unit = team.unit

    def in_charge(power: str):
        return lambda: deputy_in_charge(unit, get_power(unit, power))

    groups = (
        # key, group category, power, title, submitted, meeting day, executed, submit kwargs, inspector says
        (
            "fgw-fund",
            "finance",
            "finance",
            "财务工作小组",
            D(YEAR, 3, 12),
            D(YEAR, 3, 20),
            D(YEAR, 3, 25),
            {
                "title": "2026年一季度重点项目前期工作经费拨付",
                "amount": "186000.00",
                "counterparty": "区重点项目前期工作办公室",
                "line": "project",
            },
            "拨付程序完整，监督意见：按项目进度拨付。",
        ),
        (
            "fgw-buy",
            "procurement",
            "procurement",
            "物资采购工作小组",
            D(YEAR, 4, 7),
            D(YEAR, 4, 14),
            D(YEAR, 4, 30),
            {
                "title": "价格监测中心检测设备采购",
                "amount": "128000.00",
                "counterparty": "重庆长江检测技术有限公司",
                "line": "equipment",
            },
            "三家比价记录齐全，监督意见：验收时纪检组到场。",
        ),
        (
            "fgw-post",
            "personnel",
            "personnel",
            "人事工作小组",
            D(YEAR, 5, 11),
            D(YEAR, 5, 19),
            D(YEAR, 5, 26),
            {
                "title": "任命价格监测科科长（拟任：科员马晓丽）",
                "description": "民主推荐得票第一，考察无异议。",
            },
            "任前公示无异议，廉政意见无异议，程序合规。",
        ),
        (
            "fgw-approve",
            "admin_approval",
            "admin-approval",
            "行政审批工作小组",
            D(YEAR, 6, 8),
            D(YEAR, 6, 16),
            D(YEAR, 6, 20),
            {"title": "两江物流园区固定资产投资项目节能审查", "counterparty": "重庆两江物流园开发有限公司"},
            "审查意见已公示，未发现利益关联，同意。",
        ),
        (
            "fgw-fine",
            "admin_enforcement",
            "admin-enforcement",
            "行政执法工作小组",
            D(YEAR, 7, 6),
            D(YEAR, 7, 21),
            D(YEAR, 7, 28),
            {
                "title": "对重庆鑫达商贸有限公司哄抬价格行为罚款",
                "amount": "86000.00",
                "counterparty": "重庆鑫达商贸有限公司",
            },
            "执法会审意见一致，裁量适当，同意。",
        ),
    )
    for key, category, power, group, submitted, meeting_day, executed, kwargs, inspector_says in groups:
        script.submit(submitted, key, team, power, **kwargs)
        refer_day = submitted + dt.timedelta(days=1)
        if category == "admin_enforcement":
            # R-MAT-7: the panel (deputy in charge, legal officer, inspector) first.
            panel = (
                (_deputy, "案件事实清楚，证据确凿。"),
                (lambda m: team.legal_officer, "法制审核：适用法律正确，裁量在基准内。"),
                (lambda m: team.inspector, "程序合法。"),
            )
            for i, (who, reason) in enumerate(panel):
                script.at(
                    submitted + dt.timedelta(days=3 + i),
                    10,
                    _act(script, key, "joint_review", who, opinion=AGREE, reason=reason),
                )
            refer_day = submitted + dt.timedelta(days=7)
        _refer_and_decide(
            script,
            team,
            key,
            referred=(refer_day, 10),
            reason=f"提交{group}集体研究",
            meeting=meeting_day,
            kind=MeetingKind.WORKING_GROUP,
            category=category,
            chair=in_charge(power),
            title=f"区发改委{group}会议",
            lines={
                "first": "材料齐全，程序合规，提请小组决定。",
                "inspector": inspector_says,
                "others": ["同意。", "同意，按程序办理。", "同意，注意留存过程资料。"],
            },
        )
        script.at(executed, 15, _act(script, key, "execute", _deputy, note="已按小组决定办理完毕。"))


def _jw(ctx: DemoContext, script: Script) -> None:
    team = ctx.teams["nc-jw"]
    zhang = team.deputies[1]  # in charge of construction; the seed's 曾文涛
    script.submit(
        D(YEAR, 4, 16),
        "jw-campus",
        team,
        "construction",
        title="重庆职工会计专科学校南川校区建设投资框架协议",
        amount="500000000.00",
        counterparty="重庆职工会计专科学校",
        major=True,
        description=f"南川教育史上第一大项目，总投资5亿元，由分管副主任{zhang.name}全程负责。",
    )
    _refer_and_decide(
        script,
        team,
        "jw-campus",
        referred=(D(YEAR, 4, 17), 10),
        reason="重大项目安排，提请党委会集体研究",
        meeting=D(YEAR, 5, 8),
        title="区教委党委会（职工会计专科学校南川校区项目）",
        lines={
            "first": "框架协议条款已经法律顾问审核，用地已纳入规划，建议在渝洽会上签约。",
            "others": ["项目对全区职业教育意义重大，同意。", "同意，后续投资分期落实。"],
            "principal": f"同意，由{zhang.name}同志代表教委签约并负责后续推进。",
        },
    )
    script.at(
        D(YEAR, 5, 21),
        14,
        _act(script, "jw-campus", "execute", _deputy, note="5月21日第十三届渝洽会上签订框架协议。"),
    )


def _wsj(ctx: DemoContext, script: Script) -> None:
    team = ctx.teams["nc-wsj"]
    qian = team.principal  # the seed's 孟雅琴
    in_charge = team.deputies[1]  # construction (powers step)
    script.submit(
        D(YEAR, 5, 19),
        "wsj-hospital",
        team,
        "construction",
        by=team.staff[0],
        title="区人民医院迁建工程引资协议",
        amount="1600000000.00",
        counterparty="重庆康宁医疗投资集团有限公司",
        major=True,
        description=f"引资谈判始于去年8月，至今年3月毫无进展；新政实施后，局长{qian.name}从日常签字中解脱出来，"
        f"专心牵头谈判，5月18日基本敲定。引资16亿元，相当于全区卫生医疗系统过去20年总投入。"
        f"按分工，协议由分管基建的副局长{in_charge.name}负责签订和执行。",
    )
    _refer_and_decide(
        script,
        team,
        "wsj-hospital",
        referred=(D(YEAR, 5, 19), 11),
        reason="重大项目安排，提请党组会集体研究",
        meeting=D(YEAR, 5, 22),
        title="区卫生局党组会（区人民医院迁建工程引资）",
        lines={
            "first": "协议文本已经法律顾问和财政局审核，建设用地已落实，建议签订。",
            "others": [
                "医院迁建是群众盼了多年的事，同意。",
                "分期投资安排合理，同意。",
                "同意，建议成立工程监督小组。",
            ],
            "principal": "谈判由我牵头，签字和执行由分管副局长负责。听了大家的意见，我最后表态：同意签订。",
        },
    )
    script.at(D(YEAR, 6, 5), 10, _act(script, "wsj-hospital", "execute", _deputy, note="引资协议正式签订。"))


def _jtj(ctx: DemoContext, script: Script) -> None:
    """The principal of habit: an attempt to sign a restricted matter, refused and kept as RF1."""
    team = ctx.teams["nc-jtj"]
    script.submit(
        D(YEAR, 3, 9),
        "jtj-road",
        team,
        "construction",
        title="大观至兴隆农村公路水毁修复工程进度款",
        amount="86000.00",
        counterparty="重庆嘉陵建筑劳务有限公司",
        line="project",
    )
    script.at(D(YEAR, 3, 9), 16, _principal_tries(script, "jtj-road", team, "按老规矩，我签了"))
    script.at(D(YEAR, 3, 10), 9, _act(script, "jtj-road", "approve", _deputy, comment="同意，按进度支付。"))
    script.at(D(YEAR, 3, 16), 10, _act(script, "jtj-road", "execute", _deputy, note="进度款已支付。"))


def _szyl(ctx: DemoContext, script: Script) -> None:
    """Open today: decided on 17 November, co-signed by the deputy in charge, two signatures to come."""
    team = ctx.teams["jb-szyl"]
    script.submit(
        D(YEAR, 11, 10),
        "szyl-mowers",
        team,
        "procurement",
        title="园林绿化养护机械采购（绿篱机、草坪修剪车）",
        amount="356000.00",
        counterparty="南山园林绿化工程有限公司",
        line="equipment",
    )
    _refer_and_decide(
        script,
        team,
        "szyl-mowers",
        referred=(D(YEAR, 11, 11), 10),
        reason="重大物资采购，提请局党委会研究",
        meeting=D(YEAR, 11, 17),
        title="区市政园林局党委会（园林养护机械采购）",
        lines={
            "first": "现有机械老化，冬季修剪任务重，建议采购。",
            "others": ["预算已申报，同意。", "同意，按会签制会签后执行。"],
            "principal": "同意，会签完成后执行。",
        },
    )
    _cosign_all(script, "szyl-mowers", [D(YEAR, 11, 18), D(YEAR, 11, 19), D(YEAR, 11, 20)], skip=2)


def build(ctx: DemoContext) -> None:
    script = Script()
    for story in (_swj, _jtj, _fgw, _jw, _hbj, _wsj, _fgj, _szyl):
        story(ctx, script)
    script.run()
    ctx.stories = script.matters
