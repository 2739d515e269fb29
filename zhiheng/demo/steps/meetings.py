"""Step 4: the seed's collective decisions (R-MTG), replayed through the meetings services.

- 鱼泉乡 nc-yqx, early April: the party committee picks the head of the social-security office 社保所所长
  from two candidates, a man and a woman. The secretary stays silent until last; the deputy in charge of
  personnel speaks first; every member names the one most suitable candidate; the less obvious woman
  candidate wins on merit.
- 江北区国税局 jb-gsj: the director's office meeting decides with the director speaking last; one of its
  meetings is left open, the deputies having spoken and the director's statement still to come.
- 五里店街道 jb-wld uses blind statements (背靠背表态).
The meetings that decide matters — the working groups of 区发改委, the financing, the dam, the campus,
the hospital, the co-signed purchases — are told with their matters in steps/stories.py.
"""

from __future__ import annotations

import datetime as dt
import logging

from zhiheng import parameters
from zhiheng.core import clock
from zhiheng.meetings import services
from zhiheng.org import services as org_services
from zhiheng.org.models import DistrictRoleKind, Role
from zhiheng.powers import selectors as powers

from ..context import HISTORY_END, TERMS_START, YEAR, DemoContext, Team
from . import checkup as checkup_step
from .org import _district_person, _person

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


def _yuquan_candidates(ctx: DemoContext, team: Team) -> list[str]:
    """The two candidates are staff of the township (accounts nc-yqx-staff4 and -staff5), so R-MTG-5 and
    R-MTG-9 apply to them: exam, declaration and the commission's 无异议 are in order a fortnight before
    the meeting (issue 16)."""
    usernames = []
    for number, name in ((4, "何志强"), (5, "罗晓梅")):
        username = f"{team.unit.code}-staff{number}"
        with clock.frozen(clock.at(TERMS_START, 9)):
            person = _person(ctx, username, name, f"{team.unit.name}社保所所长人选")
            org_services.appoint(
                by=None,
                unit=team.unit,
                person=person,
                role=Role.STAFF,
                title="民政社保干事",
                start=TERMS_START,
            )
        checkup_step.put_in_order(ctx, "nanchuan", person, dt.date(YEAR, 3, 10))
        usernames.append(username)
    return usernames


def _yuquan(ctx: DemoContext) -> None:
    team = ctx.teams["nc-yqx"]
    day = dt.date(YEAR, 4, 3)
    candidates = _yuquan_candidates(ctx, team)
    with clock.frozen(clock.at(day, 9)):
        presenter = _in_charge(team, "personnel", day)
        man, woman = "何志强", "罗晓梅"
        meeting = _convene(
            team,
            day,
            "party_committee",
            [{"title": "乡社保所所长人选", "candidates": candidates, "presenter": presenter}],
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
            title="区国税局局长办公会（年终办公设备更新）",
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


def _inspection_groups(ctx: DemoContext) -> None:
    """One inspection-group 督察组 member per district (R-SUP-2), e.g. jiangbei-inspector1; Jiangbei's walks
    into the tax bureau's open office meeting unannounced."""
    from zhiheng.accounts.models import Person

    for code, district in ctx.districts.items():
        _district_person(
            ctx,
            district,
            f"{code}-inspector1",
            f"{district.name}督察组成员",
            f"{district.name}督察组成员（可不打招呼列席会议）",
            role=DistrictRoleKind.INSPECTION,
            title="区纪委第一督察组",
            group=1,
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
    _blind(ctx)
    _inspection_groups(ctx)
