"""Step 4: the seed's collective decisions (R-MTG), replayed through the meetings services.

- 鱼泉乡 nc-yqx, early April: the party committee picks the head of the social-security office 社保所所长
  from two candidates, a man and a woman. The secretary stays silent until last; the deputy in charge of
  personnel speaks first; every member names the one most suitable candidate; the less obvious woman
  candidate wins on merit.
- 江北区国税局 jb-gsj: the director's office meeting decides with the director speaking last; one of its
  meetings is left open, the deputies having spoken and the director's statement still to come.
- 区发改委 jb-fgw: a finance working-group meeting with the unit inspector taking part (R-MTG-8).
- 五里店街道 jb-wld uses blind statements (背靠背表态).
- The matters waiting in collective review (matters step, list_awaiting_collective) are decided in a few
  units' meetings — Nanchuan environment bureau's ¥2.96亿 financing deal among them — and some are left
  undecided so the agenda pool is not empty.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.db import transaction

from zhiheng import parameters
from zhiheng.core import clock
from zhiheng.core.errors import DomainError
from zhiheng.meetings import selectors, services
from zhiheng.org import services as org_services
from zhiheng.org.models import DistrictRoleKind
from zhiheng.powers import selectors as powers

from ..context import HISTORY_END, TERMS_START, YEAR, DemoContext, Team
from .org import _demo_password_hash

log = logging.getLogger(__name__)


def _in_charge(team: Team, code: str, day: dt.date):
    power = powers.list_powers(team.unit).filter(code=code).first()
    deputy = powers.deputy_in_charge(team.unit, power, day) if power else None
    return deputy or team.deputies[min(2, len(team.deputies) - 1)]


def _convene(team: Team, day: dt.date, kind: str, items: list[dict], **kw):
    meeting = services.create_meeting(
        by=team.principal, unit=team.unit, kind=kind, date=day, items=items, **kw
    )
    services.record_attendance(
        by=team.principal,
        meeting=meeting,
        present=[team.principal, *team.deputies],
        observers=[team.inspector],
    )
    return meeting


def _speak(item, speakers: list[tuple], principal_last: tuple | None) -> None:
    """speakers: (person, position, reason[, candidate]) in speaking order, the principal after them."""
    for person, position, reason, *candidate in [*speakers, *([principal_last] if principal_last else [])]:
        services.state(
            by=person, item=item, position=position, reason=reason, candidate=(candidate or [None])[0]
        )


def _yuquan(ctx: DemoContext) -> None:
    team = ctx.teams["nc-yqx"]
    day = dt.date(YEAR, 4, 3)
    with clock.frozen(clock.at(day, 9)):
        presenter = _in_charge(team, "personnel", day)
        man, woman = "何志强", "罗晓梅"
        meeting = _convene(
            team,
            day,
            "party_committee",
            [{"title": "乡社保所所长人选", "candidates": [man, woman], "presenter": presenter}],
            title="鱼泉乡党委会（社保所所长人选）",
        )
        item = meeting.items.get()
        services.recommend(
            by=presenter,
            item=item,
            candidate=woman,
            reason="长期从事民政工作，业务熟，社保相关软件操作熟练；耐心细致，适合乡镇社保岗位。",
        )
        services.recommend(
            by=team.deputies[0],
            item=item,
            candidate=man,
            reason="年龄有优势，具有中级职称，下村入户工作积极。",
        )
        others = [d for d in team.deputies if d != presenter]
        _speak(
            item,
            [
                (
                    presenter,
                    "agree",
                    "社保工作需要极强的耐心和细致，她有此特点，且业务熟、软件操作驾轻就熟。",
                    woman,
                ),
                (others[0], "agree", "年纪轻、职称中级，有培养前途。", man),
                *[
                    (d, "agree", "社保所直接面对群众，业务熟悉比职称更要紧，她最合适。", woman)
                    for d in others[1:]
                ],
            ],
            (team.principal, "agree", "同意多数同志的意见：她更符合岗位的实际要求。", woman),
        )
        services.close_meeting(by=team.principal, meeting=meeting)


def _guoshui(ctx: DemoContext) -> None:
    team = ctx.teams["jb-gsj"]
    day = dt.date(YEAR, 5, 14)
    with clock.frozen(clock.at(day, 15)):
        finance = _in_charge(team, "finance", day)
        personnel = _in_charge(team, "personnel", day)
        meeting = _convene(
            team,
            day,
            "office",
            [
                {"title": "办税服务厅改造方案", "presenter": finance},
                {"title": "征管科科长人选", "candidates": ["周晓东", "彭丽娟"], "presenter": personnel},
            ],
            title="区国税局局长办公会",
        )
        building, post = meeting.items.order_by("number")
        others = [d for d in team.deputies if d != finance]
        _speak(
            building,
            [
                (finance, "agree", "方案经过三家比价，预算内可以安排。"),
                *[(d, "agree", "改造后可缩短纳税人排队时间。") for d in others],
            ],
            (team.principal, "agree", "同意，按预算执行，工程由分管副局长负责。"),
        )
        services.recommend(by=personnel, item=post, candidate="周晓东", reason="征管业务骨干，熟悉金税系统。")
        services.recommend(
            by=team.deputies[0], item=post, candidate="彭丽娟", reason="在基层分局任职多年，群众评价好。"
        )
        others = [d for d in team.deputies if d != personnel]
        _speak(
            post,
            [
                (personnel, "agree", "征管改革任务重，需要熟悉系统的同志。", "周晓东"),
                (others[0], "agree", "基层经验丰富。", "彭丽娟"),
                *[(d, "agree", "业务能力更强，更适合当前任务。", "周晓东") for d in others[1:]],
            ],
            (team.principal, "agree", "我最后表态：同意周晓东同志。", "周晓东"),
        )
        services.close_meeting(by=team.principal, meeting=meeting)
    # An open meeting: the deputies have spoken, the director's statement is still to come (R-MTG-3).
    day = HISTORY_END
    with clock.frozen(clock.at(day, 9)):
        finance = _in_charge(team, "finance", day)
        meeting = _convene(
            team,
            day,
            "office",
            [{"title": "年终办公设备更新计划", "presenter": finance}],
            title="区国税局局长办公会（进行中）",
        )
        item = meeting.items.get()
        _speak(
            item,
            [
                (d, "agree", "设备老化严重，影响办税效率。")
                for d in [finance, *[x for x in team.deputies if x != finance]]
            ],
            None,
        )


def _working_group(ctx: DemoContext) -> None:
    team = ctx.teams["jb-fgw"]
    day = dt.date(YEAR, 3, 20)
    with clock.frozen(clock.at(day, 10)):
        finance = _in_charge(team, "finance", day)
        meeting = services.create_meeting(
            by=team.principal,
            unit=team.unit,
            kind="working_group",
            category="finance",
            date=day,
            title="区发改委财务工作小组会议",
            items=[{"title": "一季度专项资金拨付计划", "presenter": finance}],
        )
        services.record_attendance(
            by=team.principal, meeting=meeting, present=[team.principal, *team.deputies, team.inspector]
        )
        item = meeting.items.get()
        services.state(
            by=team.inspector, item=item, position="agree", reason="拨付程序完整，监督意见：按进度拨付。"
        )
        _speak(
            item,
            [
                (finance, "agree", "项目已完成验收。"),
                *[(d, "agree", "同意。") for d in team.deputies if d != finance],
            ],
            (team.principal, "agree", "同意。"),
        )
        services.close_meeting(by=team.principal, meeting=meeting)


def _blind(ctx: DemoContext) -> None:
    team = ctx.teams["jb-wld"]
    day = dt.date(YEAR, 6, 9)
    # The sub-district chose blind statements; the district commission registers it (a ledger act).
    with clock.frozen(clock.at(day - dt.timedelta(days=20), 10)):
        parameters.set_values(
            "meetings",
            by=ctx.admins[team.unit.district.code],
            unit=team.unit,
            values={"blind_statements": True},
        )
    with clock.frozen(clock.at(day, 9)):
        presenter = _in_charge(team, "general", day)
        meeting = _convene(
            team,
            day,
            "party_committee",
            [{"title": "老旧小区改造居民议事规则", "presenter": presenter}],
            title="五里店街道党工委会（背靠背表态）",
        )
        item = meeting.items.get()
        others = [d for d in team.deputies if d != presenter]
        _speak(
            item,
            [
                (presenter, "agree", "居民代表已充分讨论。"),
                (others[0], "defer", "建议再征求商户意见。"),
                *[(d, "agree", "同意。") for d in others[1:]],
            ],
            (team.principal, "agree", "同意。"),
        )
        services.close_meeting(by=team.principal, meeting=meeting)


def _matter_meetings(ctx: DemoContext) -> None:
    """Decide waiting matters in a few units, leaving the last one of each unit's pool undecided."""
    for code in ("nc-hbj", "jb-fgw", "jb-szyl", "jb-fgj", "nc-swj"):
        team = ctx.teams.get(code)
        if team is None:
            continue
        pool = sorted(selectors.awaiting_matters(team.unit), key=lambda m: m.pk)
        big = [m for m in pool if m.amount is not None and m.amount >= 100_000_000]
        chosen = big or pool[:-1] if len(pool) > 1 else big
        if not chosen:
            continue
        day = min(max(clock.local_date(m.submitted_at) for m in chosen) + dt.timedelta(days=3), HISTORY_END)
        # A savepoint per unit: a matter the rules refuse to decide (e.g. the principal recused) is logged
        # and left in the pool rather than failing the whole demo build.
        try:
            with transaction.atomic(), clock.frozen(clock.at(day, 9)):
                _decide_pool(team, day, chosen)
        except DomainError:
            log.warning("demo: %s's collective matters left undecided", code, exc_info=True)


def _decide_pool(team: Team, day: dt.date, chosen: list) -> None:
    meeting = _convene(
        team,
        day,
        "party_committee",
        [{"matter": m.pk} for m in chosen],
        title=f"{team.unit.name}党组会（三重一大事项）",
    )
    for item in meeting.items.order_by("number").select_related("presenter"):
        first = item.presenter
        order = [first] if first else []
        order += [d for d in team.deputies if d not in order and not _recused(item, d)]
        _speak(
            item,
            [(d, "agree", "程序合规，金额在预算内，同意提交执行。") for d in order],
            (team.principal, "agree", "同意，严格按合同执行并接受审计。"),
        )
    services.close_meeting(by=team.principal, meeting=meeting)


def _recused(item, person) -> bool:
    return person.username in selectors.item_state(item).recused


def _inspection_groups(ctx: DemoContext) -> None:
    """One inspection-group 督察组 member per district (R-SUP-2), e.g. jiangbei-inspector1; Jiangbei's walks
    into the tax bureau's open office meeting unannounced."""
    from zhiheng.accounts.models import Person

    for code, district in ctx.districts.items():
        username = f"{code}-inspector1"
        name = f"{district.name}督察组成员"
        person = Person.objects.create(username=username, name=name, password=_demo_password_hash())
        ctx.accounts.append((username, name, f"{district.name}督察组成员（可不打招呼列席会议）"))
        org_services.grant_district_role(
            by=None,
            district=district,
            person=person,
            role=DistrictRoleKind.INSPECTION,
            start=TERMS_START,
            title="区纪委督察组",
        )
    gsj = ctx.teams.get("jb-gsj")
    if gsj is None:
        return
    walker = Person.objects.get(username=f"{gsj.unit.district.code}-inspector1")
    meeting = gsj.unit.meetings.filter(state="open").order_by("-date").first()
    if meeting is not None:
        with clock.frozen(clock.at(meeting.date, 10)):
            services.observe(by=walker, meeting=meeting)


def build(ctx: DemoContext) -> None:
    _yuquan(ctx)
    _guoshui(ctx)
    _working_group(ctx)
    _blind(ctx)
    _matter_meetings(ctx)
    _inspection_groups(ctx)
