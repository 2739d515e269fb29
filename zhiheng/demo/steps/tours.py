"""Yongchuan's inspection tours 集中巡察 (R-GATE-5; issue 18 part 4). The seed: "创新巡察“968”工作法……2007年
以来，共对23个镇街和29个重点部门一把手开展了巡察监督，收集意见和建议1000余条，要求整改问题100余个，提供违纪线索4条".

- 2007–2019: thirteen rounds of four units each — the 23 镇街 and 29 部门, 52 units — recorded after the fact
  in bulk (services.record_history: one ledger entry a tour, every rectification closed with its date and
  evidence). The six units the demo models are linked; the others are named as they were.
- 2026 H1: a tour of 区财政局 and 胜利路街道 run through the services to its last step, so its results reach
  the two principals' integrity archives.
- 2026 H2: a tour of 区教委 and 松溉镇 under way (step 6, 巡察反馈): one rectification closed, one answered and
  waiting to be closed, one past its deadline, one due in December, and one lead transferred.

Together: 52 units, 1,000+ opinions, 100+ rectifications, 4 leads. The figures are fixed (no draw from the
demo's shared random source, so the steps after this one meet the same draws as before)."""

from __future__ import annotations

import datetime as dt

from zhiheng.core import clock
from zhiheng.tours import services
from zhiheng.tours.parameters import method_of

from ..context import DemoContext
from ..names import NameMaker

# 镇街: the 7 街道 and 16 镇 of Yongchuan; the demo models three of them.
TOWNS = [
    ("yc-sll", "胜利路街道"), ("yc-ztz", "朱沱镇"), ("yc-slz", "松溉镇"),
    ("yc-t01", "中山路街道"), ("yc-t02", "南大街街道"), ("yc-t03", "茶山竹海街道"), ("yc-t04", "大安街道"),
    ("yc-t05", "陈食街道"), ("yc-t06", "卫星湖街道"), ("yc-t07", "吉安镇"), ("yc-t08", "五间镇"),
    ("yc-t09", "来苏镇"), ("yc-t10", "宝峰镇"), ("yc-t11", "仙龙镇"), ("yc-t12", "双石镇"), ("yc-t13", "红炉镇"),
    ("yc-t14", "永荣镇"), ("yc-t15", "三教镇"), ("yc-t16", "板桥镇"), ("yc-t17", "金龙镇"), ("yc-t18", "临江镇"),
    ("yc-t19", "何埂镇"), ("yc-t20", "青峰镇"),
]  # fmt: skip
# 重点部门: 29, the demo models three of them.
DEPARTMENTS = [
    ("yc-czj", "区财政局"), ("yc-jw", "区教委"), ("yc-wsj", "区卫生局"),
    ("yc-d01", "区发展改革委"), ("yc-d02", "区经济信息委"), ("yc-d03", "区公安局"), ("yc-d04", "区民政局"),
    ("yc-d05", "区司法局"), ("yc-d06", "区人力社保局"), ("yc-d07", "区国土房管局"), ("yc-d08", "区城乡建委"),
    ("yc-d09", "区交通局"), ("yc-d10", "区水务局"), ("yc-d11", "区农委"), ("yc-d12", "区商务局"),
    ("yc-d13", "区文化广电新闻出版局"), ("yc-d14", "区安监局"), ("yc-d15", "区环保局"), ("yc-d16", "区林业局"),
    ("yc-d17", "区审计局"), ("yc-d18", "区食品药品监管局"), ("yc-d19", "区规划局"), ("yc-d20", "区市政园林局"),
    ("yc-d21", "区旅游局"), ("yc-d22", "区畜牧兽医局"), ("yc-d23", "区移民局"), ("yc-d24", "区粮食局"),
    ("yc-d25", "区科委"), ("yc-d26", "区国资委"),
]  # fmt: skip
PROBLEMS = (
    "“三重一大”事项未经班子集体研究决定",
    "公务接待超标准、无公函",
    "财务报销手续不规范，白条入账",
    "政府采购未按规定程序执行",
    "干部选拔任用程序不规范",
    "党风廉政建设“一岗双责”落实不到位",
    "工程项目变更签证不规范",
    "专项资金未专款专用",
    "公务用车管理不规范",
    "惠民政策公开不及时、不完整",
)
EVIDENCE = "整改报告、相关制度文件及凭证已报巡察组审核"
LEADS = {  # round → (unit index in the round, lead)
    2: (1, "反映该单位原主要负责人在工程发包中收受好处费的问题线索"),
    6: (0, "反映该单位违规发放津贴补贴的问题线索"),
    10: (3, "反映该单位原分管负责人插手干预政府采购的问题线索"),
}
ROUNDS = 13  # 2007–2019, four units each
OPINIONS_PER_UNIT = (3, 5, 4, 2, 4, 2)  # by the six ways, per toured unit: 20


def _history(ctx: DemoContext) -> None:
    district = ctx.districts["yongchuan"]
    names = NameMaker(2007)
    units = [u for pair in zip(TOWNS, DEPARTMENTS, strict=False) for u in pair] + DEPARTMENTS[len(TOWNS) :]
    ways = method_of(district)["ways"]
    for n in range(ROUNDS):
        start = dt.date(2007 + n, 4, 1)
        batch = units[4 * n : 4 * n + 4]
        rectifications = [
            (
                code,
                PROBLEMS[(n + i + k) % len(PROBLEMS)],
                start + dt.timedelta(days=90),
                start + dt.timedelta(days=75 + k),
                EVIDENCE,
            )
            for i, (code, _name) in enumerate(batch)
            for k in range(2)
        ]
        lead = LEADS.get(n)
        services.record_history(
            by=None,
            district=district,
            tour=services.HistoricalTour(
                title=f"{start.year}年集中巡察",
                started_on=start,
                done_on=start + dt.timedelta(days=120),
                targets=[(code, name, ctx.units.get(code), names()) for code, name in batch],
                opinions=[
                    (way, count, code)
                    for code, _name in batch
                    for way, count in zip(ways, OPINIONS_PER_UNIT, strict=True)
                ],
                rectifications=rectifications,
                leads=[(batch[lead[0]][0], lead[1])] if lead else [],
            ),
        )


def _at(day: dt.date, hour: int = 10):
    return clock.frozen(clock.at(day, hour))


def _finished(ctx: DemoContext, group) -> None:
    """2026 H1: 区财政局 and 胜利路街道, every rectification closed, the tour done: the archive has it."""
    admin = ctx.admins["yongchuan"]
    with _at(dt.date(2026, 3, 2)):
        tour = services.open_tour(
            by=admin,
            district=ctx.districts["yongchuan"],
            title="2026年第一轮巡察",
            units=[ctx.units["yc-czj"], ctx.units["yc-sll"]],
            team=[group],
        )
    for step, day in enumerate((3, 4, 16, 30), start=1):
        with _at(dt.date(2026, 3, day)):
            services.advance_step(by=group, tour=tour)
        if step == 3:
            for code, way, count in (
                ("yc-czj", "个别谈话", 14),
                ("yc-czj", "问卷调查", 12),
                ("yc-sll", "实地走访", 10),
            ):
                with _at(dt.date(2026, 3, 20)):
                    services.record_opinions(by=group, tour=tour, way=way, count=count, unit=ctx.units[code])
    items = []
    with _at(dt.date(2026, 4, 8)):
        for code, title in (("yc-czj", "非税收入未及时足额缴库"), ("yc-sll", "社区工程项目未公开比选")):
            items.append(
                services.open_rectification(
                    by=group, tour=tour, unit=ctx.units[code], title=title, deadline=dt.date(2026, 6, 8)
                )
            )
    for item, code in zip(items, ("yc-czj", "yc-sll"), strict=True):
        with _at(dt.date(2026, 5, 25)):
            services.answer_rectification(
                by=ctx.teams[code].principal, item=item, response="已完成整改并建立长效制度"
            )
        with _at(dt.date(2026, 5, 28)):
            services.close_rectification(by=group, item=item, evidence="缴库凭证及比选公示材料")
    for day in (
        dt.date(2026, 6, 1),
        dt.date(2026, 6, 10),
        dt.date(2026, 6, 20),
        dt.date(2026, 6, 30),
        dt.date(2026, 6, 30),
    ):
        with _at(day, 15):
            services.advance_step(by=group, tour=tour)


def _under_way(ctx: DemoContext, group) -> None:
    """2026 H2: 区教委 and 松溉镇, at its sixth step (巡察反馈), rectifications in every state, one lead."""
    admin = ctx.admins["yongchuan"]
    with _at(dt.date(2026, 9, 7)):
        tour = services.open_tour(
            by=admin,
            district=ctx.districts["yongchuan"],
            title="2026年第二轮巡察",
            units=[ctx.units["yc-jw"], ctx.units["yc-slz"]],
            team=[group],
        )
    for day in (8, 9, 10):
        with _at(dt.date(2026, 9, day)):
            services.advance_step(by=group, tour=tour)
    for n, (code, way, count) in enumerate(
        (
            ("yc-jw", "个别谈话", 9),
            ("yc-jw", "受理来信来访", 4),
            ("yc-slz", "问卷调查", 11),
            ("yc-slz", "列席会议", 2),
        )
    ):
        with _at(dt.date(2026, 9, 14 + n)):
            services.record_opinions(by=group, tour=tour, way=way, count=count, unit=ctx.units[code])
    for day in (dt.date(2026, 9, 30), dt.date(2026, 10, 9), dt.date(2026, 10, 12)):
        with _at(day):
            services.advance_step(by=group, tour=tour)
    rows = (
        ("yc-jw", "教育装备采购未执行集体会审", dt.date(2026, 11, 10)),
        ("yc-jw", "公务接待清单不完整", dt.date(2026, 11, 15)),
        ("yc-slz", "村级工程项目未公开招标", dt.date(2026, 12, 31)),
        ("yc-slz", "惠民资金发放台账不全", dt.date(2026, 12, 10)),
    )
    items = []
    with _at(dt.date(2026, 10, 12), 15):
        for code, title, deadline in rows:
            items.append(
                services.open_rectification(
                    by=group, tour=tour, unit=ctx.units[code], title=title, deadline=deadline
                )
            )
    with _at(dt.date(2026, 10, 15)):
        services.transfer_lead(
            by=group,
            tour=tour,
            unit=ctx.units["yc-slz"],
            summary="反映镇原分管负责人插手干预村级工程发包的问题线索",
        )
    with _at(dt.date(2026, 11, 5)):
        services.answer_rectification(
            by=ctx.teams["yc-jw"].principal, item=items[0], response="已修订采购内控制度，补办集体会审"
        )
    with _at(dt.date(2026, 11, 12)):
        services.close_rectification(by=group, item=items[0], evidence="修订后的采购内控制度及会审纪要")
    with _at(dt.date(2026, 11, 18)):
        services.answer_rectification(
            by=ctx.teams["yc-slz"].inspector, item=items[2], response="已对3个村级工程补办公开招标"
        )


def build(ctx: DemoContext) -> None:
    _history(ctx)
    group = ctx.person("yongchuan-inspector1")
    _finished(ctx, group)
    _under_way(ctx, group)
