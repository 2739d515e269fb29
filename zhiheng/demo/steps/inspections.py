"""Inspection groups' unannounced checks (R-SUP-2; issue 14's demo): Nanchuan's five 督察组 — one closed
check with its findings rectified and accepted, one open check still reading — and a Jiangbei check whose
rectification item is overdue (RF6, raised by the scans of steps/warnings.py, which runs after this).

Members: `<district>-inspector1` (steps/meetings.py) serves in 第一督察组; this step adds the others:
Nanchuan's groups 1–5 (nanchuan-inspector2 … -inspector7) and Jiangbei's second member of group 1. The
reads are real reads through the matters and meetings selectors, so each lands in the read log and the
ledger at the moment the clock is frozen to."""

from __future__ import annotations

import datetime as dt

from zhiheng.core import clock
from zhiheng.inspections import services
from zhiheng.inspections.models import Inspection
from zhiheng.matters import selectors as matters
from zhiheng.meetings import selectors as meetings
from zhiheng.org.models import DistrictRoleKind

from ..context import DemoContext
from .org import _district_person

# Nanchuan had five inspection groups (seed: 五个督察组); (username suffix, group) of the added members.
NANCHUAN_MEMBERS = [(2, 1), (3, 2), (4, 2), (5, 3), (6, 4), (7, 5)]
CHINESE_NUMBERS = "一二三四五"


def _members(ctx: DemoContext) -> None:
    nanchuan = ctx.districts["nanchuan"]
    for n, group in NANCHUAN_MEMBERS:
        _district_person(
            ctx,
            nanchuan,
            f"nanchuan-inspector{n}",
            f"南川区第{CHINESE_NUMBERS[group - 1]}督察组成员{n}",
            f"南川区第{CHINESE_NUMBERS[group - 1]}督察组成员（开展突击检查、调阅、整改验收）",
            role=DistrictRoleKind.INSPECTION,
            title=f"区纪委第{CHINESE_NUMBERS[group - 1]}督察组",
            group=group,
        )
    _district_person(
        ctx,
        ctx.districts["jiangbei"],
        "jiangbei-inspector2",
        "江北区督察组成员2",
        "江北区第一督察组成员（开展突击检查、调阅、整改验收）",
        role=DistrictRoleKind.INSPECTION,
        title="区纪委第一督察组",
        group=1,
    )


def _read_sample(
    check: Inspection, reader_username: str, ctx: DemoContext, day: dt.date, how_many: int
) -> None:
    """The group follows its sample: real reads, each logged (R-SUP-2)."""
    reader = ctx.person(reader_username)
    for hour, row in enumerate(check.sample[:how_many]):
        with clock.frozen(clock.at(day, 9 + hour % 8, 10 * (hour // 8))):
            if row["kind"] == "matter":
                matters.get_matter_for(reader, row["id"])
            else:
                meetings.get_meeting_for(reader, row["id"])


def _open(ctx: DemoContext, unit: str, by: str, day: dt.date, days: int = 30) -> Inspection:
    with clock.frozen(clock.at(day, 8, 30)):
        return services.open_inspection(by=ctx.person(by), unit=ctx.units[unit], days=days)


def _nanchuan_closed(ctx: DemoContext) -> None:
    """第一督察组 checks the water bureau in September: two findings, both rectified and accepted."""
    check = _open(ctx, "nc-swj", "nanchuan-inspector1", dt.date(2026, 9, 7))
    _read_sample(check, "nanchuan-inspector1", ctx, dt.date(2026, 9, 8), 6)
    _read_sample(check, "nanchuan-inspector2", ctx, dt.date(2026, 9, 9), 3)
    team = ctx.teams["nc-swj"]
    with clock.frozen(clock.at(dt.date(2026, 9, 15), 16)):
        first = services.record_finding(
            by=ctx.person("nanchuan-inspector1"),
            inspection=check,
            title="工程变更未附集体决策会议纪要",
            description="抽查的工程类事项中，一项设计变更仅有分管副职签字，会议纪要未归档。",
            rule="R-MAT-3",
            severity="medium",
            deadline=dt.date(2026, 10, 15),
            owner=team.principal,
        )
        second = services.record_finding(
            by=ctx.person("nanchuan-inspector2"),
            inspection=check,
            title="月度财务明细确认不及时",
            description="两个月的财务明细汇报逾期确认。",
            rule="R-SUP-1",
            severity="low",
            deadline=dt.date(2026, 10, 8),
            owner=team.deputies[0],
        )
    with clock.frozen(clock.at(dt.date(2026, 9, 30), 10)):
        services.close_inspection(
            by=ctx.person("nanchuan-inspector1"),
            inspection=check,
            conclusion="分工制衡总体落实，发现问题两项，已交单位限期整改。",
        )
    with clock.frozen(clock.at(dt.date(2026, 10, 6), 11)):
        services.answer_rectification(
            by=team.principal, finding=first, response="已补开局务会追认并归档纪要，建立变更台账。"
        )
        services.answer_rectification(
            by=team.deputies[0], finding=second, response="已明确每月5日前确认，指定专人提醒。"
        )
    with clock.frozen(clock.at(dt.date(2026, 10, 12), 15)):
        services.accept_rectification(
            by=ctx.person("nanchuan-inspector2"), finding=first, note="整改到位，同意销号。"
        )
        services.accept_rectification(by=ctx.person("nanchuan-inspector1"), finding=second, note="同意销号。")


def _nanchuan_open(ctx: DemoContext) -> None:
    """第二督察组 opened a check on 南城街道 on 16 November; it is still reading, one item open."""
    check = _open(ctx, "nc-ncjd", "nanchuan-inspector3", dt.date(2026, 11, 16), days=45)
    _read_sample(check, "nanchuan-inspector3", ctx, dt.date(2026, 11, 17), 5)
    _read_sample(check, "nanchuan-inspector4", ctx, dt.date(2026, 11, 18), 2)
    with clock.frozen(clock.at(dt.date(2026, 11, 19), 16)):
        services.record_finding(
            by=ctx.person("nanchuan-inspector3"),
            inspection=check,
            title="供应商等候签字时间过长",
            description="抽查事项中一项付款从提交到决定超过60天，其间无任何处理记录。",
            rule="R-MAT-1",
            severity="medium",
            deadline=dt.date(2026, 12, 31),
        )


def _jiangbei_overdue(ctx: DemoContext) -> None:
    """第一督察组 checked the housing bureau in August; one item was accepted, one is overdue (RF6)."""
    check = _open(ctx, "jb-fgj", "jiangbei-inspector1", dt.date(2026, 8, 3))
    _read_sample(check, "jiangbei-inspector1", ctx, dt.date(2026, 8, 4), 5)
    _read_sample(check, "jiangbei-inspector2", ctx, dt.date(2026, 8, 5), 3)
    team = ctx.teams["jb-fgj"]
    with clock.frozen(clock.at(dt.date(2026, 8, 20), 16)):
        done = services.record_finding(
            by=ctx.person("jiangbei-inspector1"),
            inspection=check,
            title="会签记录未随事项归档",
            rule="R-MAT-4",
            severity="low",
            deadline=dt.date(2026, 9, 20),
        )
        services.record_finding(
            by=ctx.person("jiangbei-inspector2"),
            inspection=check,
            title="同一供应商多笔采购未合并审议",
            description="一个月内对同一供应商的三笔采购均略低于集体决策额度，疑似拆分。",
            rule="R-MAT-3",
            severity="high",
            deadline=dt.date(2026, 10, 31),
            owner=team.principal,
        )
    with clock.frozen(clock.at(dt.date(2026, 9, 2), 10)):
        services.close_inspection(
            by=ctx.person("jiangbei-inspector1"), inspection=check, conclusion="发现问题两项，限期整改。"
        )
    with clock.frozen(clock.at(dt.date(2026, 9, 10), 10)):
        services.answer_rectification(by=team.principal, finding=done, response="已补齐会签记录并归档。")
    with clock.frozen(clock.at(dt.date(2026, 9, 18), 10)):
        services.accept_rectification(by=ctx.person("jiangbei-inspector2"), finding=done, note="同意销号。")


def build(ctx: DemoContext) -> None:
    _members(ctx)
    _nanchuan_closed(ctx)
    _jiangbei_overdue(ctx)
    _nanchuan_open(ctx)
