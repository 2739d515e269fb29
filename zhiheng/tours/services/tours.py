"""A tour's own writes (R-GATE-5): opening it over units and their principals, completing its steps (the
last one only when every rectification is closed, and then its results reach each principal's integrity
archive), recording the opinions collected, and transferring leads to the commission's case handling."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from zhiheng.accounts.models import Person
from zhiheng.core import clock
from zhiheng.org import rules as org_rules
from zhiheng.org import selectors as org
from zhiheng.org.models import District, Unit
from zhiheng.reports.models import Case

from .. import events, parameters, rules, states
from ..errors import OpenRectifications
from ..models import Lead, Opinion, Target, Tour
from .common import content, locked, record, refuse, required_target, target_of

MAX_OPINIONS = 10_000


def _check_open(
    district: District, title: str, units: list[Unit], team: list[Person], started_on: dt.date
) -> None:
    errors: dict[str, list[str]] = {}
    if not title.strip():
        errors["title"] = ["必填"]
    if not units:
        errors["units"] = ["至少巡察一个单位"]
    elsewhere = [u.code for u in units if u.district_id != district.pk]
    if elsewhere:
        errors["units"] = [f"不是本区单位：{'、'.join(elsewhere)}"]
    if not team:
        errors["team"] = ["至少一名巡察组成员"]
    probe = Tour(district=district)
    outsiders = [p.username for p in team if not rules.is_group_member(p, probe)]
    if outsiders:
        errors["team"] = [f"须为本区纪委或督察组人员：{'、'.join(outsiders)}"]
    toured = [p.username for p in team for u in units if org.roles_of(p, u)]
    if toured:
        errors["team"] = [f"被巡察单位的人员不得参加巡察组：{'、'.join(sorted(set(toured)))}"]
    if started_on > clock.today():
        errors["started_on"] = ["开始日期不得晚于今天"]
    refuse(errors)


@transaction.atomic
def open_tour(
    *,
    by: Person | None,
    district: District,
    title: str,
    units: list[Unit],
    team: list[Person],
    started_on: dt.date | None = None,
) -> Tour:
    """A tour of the district's commission over `units`, each with its principal today, run by `team`
    following the district's method in force (copied onto the tour)."""
    org_rules.ensure_commission_admin(by, district, rule="R-GATE-5", action="开展巡察")
    start = started_on or clock.today()
    units = list(dict.fromkeys(units))
    _check_open(district, title, units, team, start)
    tour = Tour.objects.create(
        district=district,
        title=title.strip(),
        started_on=start,
        method=parameters.method_of(district),
        opened_by=by,
    )
    tour.team.set(team)
    for unit in sorted(units, key=lambda u: u.code):
        principal = org.principal_of(unit, start)
        Target.objects.create(
            tour=tour,
            unit=unit,
            unit_code=unit.code,
            unit_name=unit.name,
            principal=principal,
            principal_name=principal.name if principal else "",
        )
    tour.ledger_index = record(
        events.OPENED.code,
        by=by,
        tour=tour,
        title=tour.title,
        started_on=start.isoformat(),
        units=sorted(u.code for u in units),
        team=sorted(p.username for p in team),
        steps=tour.steps,
    )
    tour.save(update_fields=["ledger_index"])
    return tour


@transaction.atomic
def advance_step(*, by: Person | None, tour: Tour, note: str = "") -> Tour:
    """Complete the tour's next step. The last step ends the tour — refused while a rectification it ordered
    is open (409 R-GATE-5) — and files its results in each targeted principal's integrity archive."""
    tour = locked(tour)
    rules.ensure_staff(by, tour)
    last = tour.step + 1 == len(tour.steps)
    if last and tour.rectifications.exclude(state=states.FindingState.ACCEPTED).exists():
        raise OpenRectifications()
    tour.step += 1
    record(
        events.STEP.code,
        by=by,
        tour=tour,
        step=tour.step,
        step_name=tour.steps[tour.step - 1],
        content=content(note.strip()) if note.strip() else "",
    )
    if states.is_done(tour.step, len(tour.steps)):
        tour.done_on = clock.today()
        record(events.DONE.code, by=by, tour=tour, done_on=tour.done_on.isoformat())
        _to_the_archive(tour)
    tour.save(update_fields=["step", "done_on", "updated_at"])
    return tour


def archive_title(opinions: int, rectifications: int, leads: int) -> str:
    return f"接受巡察：收集意见建议{opinions}条，整改问题{rectifications}个，移交线索{leads}条"


def _to_the_archive(tour: Tour) -> None:
    """R-GATE-3: each targeted principal's archive gets the tour's results about their unit, once per target
    (source "tour-target:<id>"), seen only by the tour's staff (the guard registered in apps.py)."""
    from zhiheng.checkup import services as checkup

    for target in tour.targets.select_related("principal").exclude(principal=None):
        assert target.principal is not None
        opinions = sum(target.opinions.values_list("count", flat=True))
        checkup.add_archive_entry(
            by=None,
            person=target.principal,
            category="supervision",
            subcategory="tour",
            occurred_on=tour.done_on or clock.today(),
            title=archive_title(opinions, target.rectifications.count(), target.leads.count()),
            body=f"{tour.title}（{target.unit_name}）",
            source=f"tour-target:{target.pk}",
        )


def _check_opinions(tour: Tour, way: str, count: int, collected_on: dt.date) -> None:
    errors: dict[str, list[str]] = {}
    if way not in tour.ways:
        errors["way"] = [f"须为本次巡察的了解情况方式之一：{'、'.join(tour.ways)}"]
    if not 1 <= count <= MAX_OPINIONS:
        errors["count"] = [f"须为 1–{MAX_OPINIONS} 的整数"]
    if not tour.started_on <= collected_on <= clock.today():
        errors["collected_on"] = ["收集日期须在巡察开始之后、今天之前"]
    refuse(errors)


@transaction.atomic
def record_opinions(
    *,
    by: Person | None,
    tour: Tour,
    way: str,
    count: int = 1,
    unit: Unit | None = None,
    summary: str = "",
    collected_on: dt.date | None = None,
) -> Opinion:
    """Opinions collected by one of the tour's ways, counted, about one targeted unit or the whole tour."""
    tour = locked(tour)
    rules.ensure_staff(by, tour)
    day = collected_on or clock.today()
    _check_opinions(tour, way.strip(), count, day)
    target = target_of(tour, unit)
    opinion = Opinion.objects.create(
        tour=tour,
        target=target,
        way=way.strip(),
        count=count,
        summary=summary.strip(),
        collected_on=day,
        recorded_by=by,
    )
    opinion.ledger_index = record(
        events.OPINIONS.code,
        by=by,
        tour=tour,
        subject=f"tour-opinion:{opinion.pk}",
        way=opinion.way,
        count=count,
        target=target.unit_code if target else None,
        collected_on=day.isoformat(),
        content=content(opinion.summary),
    )
    opinion.save(update_fields=["ledger_index"])
    return opinion


@transaction.atomic
def transfer_lead(
    *, by: Person | None, tour: Tour, unit: Unit | None, summary: str, case: Case | None = None
) -> Lead:
    """A lead about a targeted unit (and its principal then) transferred to the commission's case handling;
    `case` names the district's report case it joins, when there is one."""
    tour = locked(tour)
    rules.ensure_staff(by, tour)
    target = required_target(tour, unit)
    errors: dict[str, list[str]] = {}
    if not summary.strip():
        errors["summary"] = ["必填"]
    if case is not None and case.district_id != tour.district_id:
        errors["case"] = ["须为本区的案件"]
    refuse(errors)
    lead = Lead.objects.create(
        tour=tour,
        target=target,
        summary=summary.strip(),
        transferred_on=clock.today(),
        case=case,
        transferred_by=by,
    )
    lead.ledger_index = record(
        events.LEAD.code,
        by=by,
        tour=tour,
        subject=f"tour-lead:{lead.pk}",
        target=target.unit_code,
        principal=target.principal.username if target.principal else None,
        report_case=case.pk if case else None,
        content=content(lead.summary),
    )
    lead.save(update_fields=["ledger_index"])
    return lead
