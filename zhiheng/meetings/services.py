"""Writes of the meetings app: convene, agenda, attendance, statements, recommendations (R-MTG-1..5, 8, 9).

The close (computing decisions and sealing the minutes, R-MTG-6/7) lives in sealing.py.
Every write: lock the meeting → authorize → check it is still open → check the rule → write →
ledger.record. A refused write changes nothing and records nothing (the transaction rolls back).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from collections.abc import Iterable, Sequence
from typing import Any

from django.db import IntegrityError, transaction

from zhiheng import ledger
from zhiheng.accounts.models import Person
from zhiheng.accounts.selectors import people_named
from zhiheng.core import clock
from zhiheng.core.errors import Conflict, Forbidden, Invalid
from zhiheng.ledger.canonical import canonical_bytes
from zhiheng.org import selectors as org
from zhiheng.org.models import Role, Unit

from . import integrity, matters_link, rules, rules_config, selectors, tally
from .models import (
    Attendance,
    AttendanceRole,
    Candidate,
    Item,
    ItemKind,
    Meeting,
    MeetingKind,
    MeetingState,
    Recommendation,
    Statement,
)


def _locked(meeting: Meeting) -> Meeting:
    return Meeting.objects.select_for_update().select_related("unit", "unit__district").get(pk=meeting.pk)


def ensure_open(meeting: Meeting) -> None:
    if meeting.state != MeetingState.OPEN:
        raise Conflict(
            "R-MTG-7", "会议纪要已封存，不能再修改；如需更正请另行登记更正记录", {"meeting": meeting.pk}
        )


def _ensure_manager(by: Person, meeting_unit: Unit, day: dt.date) -> None:
    if not rules.can_convene(by, meeting_unit, day):
        raise Forbidden(
            "R-MTG-1",
            "只有本单位领导班子成员（一把手、副职、纪检组长）可以筹备会议",
            {"unit": meeting_unit.code},
        )


def _record(code: str, *, by: Person, meeting: Meeting, payload: dict[str, Any]) -> None:
    ledger.record(code, by=by, unit=meeting.unit.code, subject=meeting.ref, payload=payload)


# -- convene --------------------------------------------------------------------------------------


def _ensure_held_now(date: dt.date, in_force: dict[str, Any]) -> None:
    """Issue 9 hole 12: a meeting is held now. It may be recorded a few days after it was held on paper
    and convened a few days ahead (the district's record window), never months back or in year 9999:
    quorum, team and presenter are computed for its date, so a free date would choose them."""
    window = in_force.get("record_window") or rules_config.DEFAULTS["record_window"]
    today = clock.today()
    earliest = today - dt.timedelta(days=window["past_days"])
    latest = today + dt.timedelta(days=window["future_days"])
    if not earliest <= date <= latest:
        raise Invalid(
            "R-MTG-1",
            f"会议日期须在 {earliest.isoformat()} 至 {latest.isoformat()} 之间（补录纸质会议最多"
            f"{window['past_days']}天，提前召集最多{window['future_days']}天）",
            {
                "fields": {"date": [date.isoformat()]},
                "earliest": earliest.isoformat(),
                "latest": latest.isoformat(),
            },
        )


def ensure_started(meeting: Meeting) -> None:
    """Attendance, statements and the close happen at the meeting, not before its date (hole 12)."""
    if meeting.date > clock.today():
        raise Conflict(
            "R-MTG-1", f"会议定于{meeting.date.isoformat()}召开，尚未开始", {"meeting": meeting.pk}
        )


@transaction.atomic
def create_meeting(
    *,
    by: Person,
    unit: Unit,
    kind: str,
    date: dt.date,
    items: Sequence[dict[str, Any]] = (),
    category: str = "",
    title: str = "",
    chair: Person | None = None,
) -> Meeting:
    """R-MTG-1: a meeting of the unit's team on a date; the chair defaults to the principal."""
    _ensure_manager(by, unit, date)
    if kind not in MeetingKind.values:
        raise Invalid(
            "validation", "会议类型无效", {"fields": {"kind": [f"应为 {', '.join(MeetingKind.values)}"]}}
        )
    if kind == MeetingKind.WORKING_GROUP:
        from zhiheng.powers.models import Category

        if not category or not Category.objects.filter(code=category).exists():
            raise Invalid(
                "R-MTG-8", "工作小组会议须注明所决策的职权类别", {"fields": {"category": ["类别无效"]}}
            )
    elif category:
        raise Invalid(
            "validation", "只有工作小组会议有职权类别", {"fields": {"category": ["仅工作小组使用"]}}
        )
    members = selectors.voting_members(unit, date)
    if chair is None:
        chair = org.principal_of(unit, date)
        if chair is None:
            raise Conflict("R-MTG-1", "会议日期当天本单位没有一把手，无法确定主持人", {"date": str(date)})
    elif chair.pk not in {p.pk for p in members}:
        raise Invalid("R-MTG-1", "主持人须为会议日期在任的班子成员", {"fields": {"chair": [chair.username]}})
    in_force, _source = rules_config.effective(unit)
    _ensure_held_now(date, in_force)
    meeting = Meeting.objects.create(
        unit=unit,
        kind=kind,
        category=category,
        title=title[:128],
        date=date,
        chair=chair,
        created_by=by,
        blind=in_force["blind_statements"],
        rules=in_force,
    )
    _record(
        "meeting.created",
        by=by,
        meeting=meeting,
        payload={
            "kind": kind,
            "category": category,
            "date": str(date),
            "chair": chair.username,
            "blind": meeting.blind,
            "rules": in_force,
            "title": meeting.title,
        },
    )
    for spec in items:
        _add_item(by=by, meeting=meeting, **spec)
    return meeting


@transaction.atomic
def add_item(
    *,
    by: Person,
    meeting: Meeting,
    title: str = "",
    matter: Any = None,
    candidates: Iterable[str] | None = None,
    presenter: Person | None = None,
    personnel: bool | None = None,
) -> Item:
    meeting = _locked(meeting)
    _ensure_manager(by, meeting.unit, meeting.date)
    ensure_open(meeting)
    return _add_item(
        by=by,
        meeting=meeting,
        title=title,
        matter=matter,
        candidates=candidates,
        presenter=presenter,
        personnel=personnel,
    )


def _resolve_matter(meeting: Meeting, matter: Any) -> Any:
    if matter is None:
        return None
    if not hasattr(matter, "pk"):
        found = matters_link.get(int(matter))
        if found is None:
            raise Invalid("R-MTG-1", "关联事项不存在", {"fields": {"matter": [str(matter)]}})
        matter = found
    awaiting = {m.pk for m in matters_link.awaiting(meeting.unit)}
    if matter.pk not in awaiting:
        raise Conflict(
            "R-MTG-1",
            "该事项不在本单位待集体决策的事项中（R-MAT-3/6/7 移送的事项才能列入议程）",
            {"matter": matter.pk, "state": getattr(matter, "state", "")},
        )
    if clock.local_date(matter.submitted_at) > meeting.date:
        # Hole 12: nothing a meeting decides predates what it decides.
        raise Conflict(
            "R-MTG-1",
            "会议日期早于事项提交日期，不能决定该事项",
            {"matter": matter.pk, "submitted": clock.local_date(matter.submitted_at).isoformat()},
        )
    missing = matters_link.joint_review_missing(matter)
    if missing:
        # Hole 4/5: R-MAT-7 holds on every path — the panel gives its opinions before any decision.
        raise Conflict(
            "R-MAT-7",
            "该执法决定须先完成执法会审（分管副职、法制员、纪检组长均发表意见）后方可列入议程",
            {"matter": matter.pk, "waiting_for": missing},
        )
    pending = Item.objects.filter(matter=matter, meeting__state=MeetingState.OPEN, decision="")
    if pending.exists():
        raise Conflict("R-MTG-1", "该事项已列入另一次尚未封存会议的议程", {"matter": matter.pk})
    return matter


def _resolve_presenter(meeting: Meeting, matter: Any, presenter: Person | None) -> Person | None:
    deputies = {
        p.pk
        for p in selectors.voting_members(meeting.unit, meeting.date)
        if Role.DEPUTY in org.roles_of(p, meeting.unit, meeting.date)
    }
    if matter is not None:
        # powers is THE authority: the deputy in charge on the meeting date presents, whoever was named.
        presenter = matters_link.presenter_for(matter, meeting.date) or presenter
    if presenter is not None and presenter.pk not in deputies:
        raise Invalid(
            "R-MTG-3", "汇报人须为会议日期在任的分管副职", {"fields": {"presenter": [presenter.username]}}
        )
    return presenter


def _candidate_people(meeting: Meeting, names: list[str]) -> dict[str, Person]:
    """R-MTG-5/9 (issue 9 hole 6): internal candidates are people, named by account, so that recusal
    and the refusal of self-recommendation apply to them. A name that is the display name of someone in
    the district is refused: written as a name, a team member could recommend and vote for themselves.
    A name nobody in the district bears is an external candidate."""
    by_username = people_named(names)
    free = [n for n in names if n not in by_username]
    if free:
        insiders = org.people_of_district(meeting.unit.district).filter(name__in=free)
        clashes: dict[str, list[str]] = {}
        for person in insiders:
            clashes.setdefault(person.name, []).append(person.username)
        if clashes:
            raise Invalid(
                "R-MTG-5",
                "本区人员作为候选人须以账号指定（以便回避和实名推荐规则适用）",
                {
                    "fields": {
                        "candidates": [f"{n}：请改用账号 {'、'.join(sorted(u))}" for n, u in clashes.items()]
                    }
                },
            )
    return by_username


def _add_item(
    *,
    by: Person,
    meeting: Meeting,
    title: str = "",
    matter: Any = None,
    candidates: Iterable[str] | None = None,
    presenter: Person | None = None,
    personnel: bool | None = None,
) -> Item:
    matter = _resolve_matter(meeting, matter)
    title = (title or (getattr(matter, "title", "") if matter is not None else "")).strip()
    if not title:
        raise Invalid("validation", "议题名称不能为空", {"fields": {"title": ["必填"]}})
    names = [str(c).strip() for c in (candidates or [])]
    if any(not n for n in names) or len(set(names)) != len(names):
        raise Invalid("R-MTG-4", "候选人姓名不能为空或重复", {"fields": {"candidates": names}})
    people = _candidate_people(meeting, names)
    presenter = _resolve_presenter(meeting, matter, presenter)
    is_personnel = (
        bool(names) or bool(personnel) or (matter is not None and matters_link.is_personnel(matter))
    )
    number = meeting.items.count() + 1
    try:
        with transaction.atomic():
            item = Item.objects.create(
                meeting=meeting,
                number=number,
                title=title[:200],
                kind=ItemKind.PERSONNEL if is_personnel else ItemKind.GENERAL,
                matter=matter,
                presenter=presenter,
            )
    except IntegrityError as exc:
        raise Conflict(
            "R-MTG-1", "该事项已在本次会议议程中", {"matter": getattr(matter, "pk", None)}
        ) from exc
    for i, name in enumerate(names, start=1):
        person = people.get(name)
        Candidate.objects.create(item=item, number=i, name=person.name if person else name, person=person)
    if matter is not None:
        matters_link.refer_if_submitted(matter, by=by, reason=f"列入{meeting.ref}议程")
    _record(
        "meeting.item_added",
        by=by,
        meeting=meeting,
        payload={
            "item": item.pk,
            "number": number,
            "title": item.title,
            "kind": item.kind,
            "matter": item.matter_id,
            "presenter": presenter.username if presenter else None,
            "candidates": [c.name for c in item.candidates.all()],
        },
    )
    return item


# -- attendance -----------------------------------------------------------------------------------


@transaction.atomic
def record_attendance(
    *, by: Person, meeting: Meeting, present: Iterable[Person] = (), observers: Iterable[Person] = ()
) -> list[Attendance]:
    """R-MTG-1: attendance is additive (arrivals are recorded; nobody is struck out of the record).

    Present voting members (principal, deputies on the date) attend as members; the unit inspector,
    named in either list, attends as the inspector (observer, and required in working groups, R-MTG-8);
    anyone else is an observer — invited representatives, a district inspection group — recorded with
    who registered them.
    """
    meeting = _locked(meeting)
    _ensure_manager(by, meeting.unit, meeting.date)
    ensure_open(meeting)
    ensure_started(meeting)
    voting = {p.pk for p in selectors.voting_members(meeting.unit, meeting.date)}
    inspector = selectors.inspector_of(meeting.unit, meeting.date)
    wanted: dict[int, tuple[Person, str]] = {}
    errors: list[str] = []
    for person in present:
        if inspector is not None and person.pk == inspector.pk:
            wanted[person.pk] = (person, AttendanceRole.INSPECTOR)
        elif person.pk in voting:
            wanted[person.pk] = (person, AttendanceRole.MEMBER)
        else:
            errors.append(person.username)
    if errors:
        raise Invalid(
            "R-MTG-1", "出席名单只能包含会议日期在任的班子成员；其他人员请登记为列席", {"present": errors}
        )
    for person in observers:
        if person.pk in voting:
            raise Invalid("R-MTG-1", "班子成员应登记为出席而非列席", {"observers": [person.username]})
        role = (
            AttendanceRole.INSPECTOR
            if inspector is not None and person.pk == inspector.pk
            else AttendanceRole.OBSERVER
        )
        wanted.setdefault(person.pk, (person, role))
    existing = set(meeting.attendance.values_list("person_id", flat=True))
    added = [
        Attendance.objects.create(meeting=meeting, person=person, role=role, invited_by=by)
        for pk, (person, role) in wanted.items()
        if pk not in existing
    ]
    if added:
        _record(
            "meeting.attendance",
            by=by,
            meeting=meeting,
            payload={"added": [{"person": a.person.username, "role": a.role} for a in added]},
        )
    return selectors.attendance_of(meeting)


# -- statements -----------------------------------------------------------------------------------


def _clean_statement(
    state: selectors.ItemState, position: str | None, reason: str | None, candidate: str | None
):
    fields: dict[str, list[str]] = {}
    position = (position or "").strip()
    if position not in tally.POSITIONS:
        fields["position"] = ["须明确表态：agree 同意、disagree 不同意或 defer 缓议"]
    if not (reason or "").strip():
        fields["reason"] = ["须说明理由"]
    chosen = None
    cands = list(state.item.candidates.all())
    name = (candidate or "").strip()
    if name:
        chosen = next((c for c in cands if name in (c.name, getattr(c.person, "username", None))), None)
        if chosen is None:
            fields["candidate"] = [f"“{name}”不是本议题的候选人"]
    multi = state.item.kind == ItemKind.PERSONNEL and len(cands) >= 2
    if multi and position == tally.AGREE and chosen is None and "candidate" not in fields:
        fields["candidate"] = ["人事议题须明确提出一名最合适的人选，不能说“都合适”"]
    if chosen is not None and position != tally.AGREE:
        fields["candidate"] = ["只有同意时才提名人选"]
    if len(cands) == 1 and position == tally.AGREE and chosen is None:
        chosen = cands[0]
    if fields:
        raise Invalid(
            "R-MTG-4",
            "表态须明确：同意、不同意或缓议，并说明理由；人事议题须提名一名人选",
            {"fields": fields},
        )
    return position, reason.strip(), chosen


def statement_digest(
    *, item: Item, member: str, seq: int, position: str, reason: str, candidate: str | None, salt: str
) -> str:
    body = {
        "item": item.pk,
        "member": member,
        "seq": seq,
        "position": position,
        "reason": reason,
        "candidate": candidate,
        "salt": salt,
    }
    return hashlib.sha256(canonical_bytes(body)).hexdigest()


def order_refusal(state: selectors.ItemState, speaker: Person) -> Conflict | None:
    """R-MTG-3 for this speaker now, as the refusal to raise (or None)."""
    why = tally.speaking_order_violation(
        speaker=speaker.username,
        principal=state.principal.username if state.principal else None,
        presenter=state.item.presenter.username if state.item.presenter else None,
        voters=state.voters,
        stated=state.stated,
    )
    if why == "presenter-first":
        return Conflict(
            "R-MTG-3",
            "分管副职须首先汇报并表态，其他成员随后发言",
            {"waiting_for": [state.item.presenter.username]},
        )
    if why == "principal-last":
        waiting = sorted(state.voters - state.stated - {speaker.username})
        return Conflict("R-MTG-3", "一把手末位表态：须待其他出席成员全部表态后发言", {"waiting_for": waiting})
    return None


def missing_recommendations(item: Item) -> list[str]:
    return [c.name for c in item.candidates.all() if not c.recommendations.exists()]


@transaction.atomic
def state(
    *, by: Person, item: Item, position: str | None, reason: str | None, candidate: str | None = None
) -> Statement:
    """R-MTG-3/4/5/9: the caller states their own position on an item."""
    meeting = _locked(item.meeting)
    item = Item.objects.select_related("meeting", "presenter").get(pk=item.pk)
    item.meeting = meeting
    ensure_open(meeting)
    ensure_started(meeting)
    if item.deferred_reason:
        raise Conflict("R-MTG-6", "本议题已由主持人决定缓议，不再表态", {"item": item.pk})
    attending = meeting.attendance.filter(person=by).first()
    is_wg_inspector = (
        attending is not None
        and attending.role == AttendanceRole.INSPECTOR
        and meeting.kind == MeetingKind.WORKING_GROUP
    )
    if attending is None or (attending.role != AttendanceRole.MEMBER and not is_wg_inspector):
        raise Forbidden(
            "R-MTG-1", "只有登记出席的班子成员可以表态（列席人员不表态）", {"member": by.username}
        )
    st = selectors.item_state(item)
    if by.username in st.late and not is_wg_inspector:
        raise Conflict(
            "R-MTG-3",
            "您在本议题开始表态后才登记出席，不参与本议题表态（其他议题不受影响）",
            {"member": by.username, "roll": sorted(st.present)},
        )
    if by.username in st.recused:
        reason_code = st.recused[by.username]
        raise Conflict(
            "R-MTG-9",
            f"您须回避本议题（{integrity.RECUSAL_LABELS.get(reason_code, reason_code)}）",
            {"member": by.username, "reason": reason_code},
        )
    if by.username in st.stated:
        raise Conflict("R-MTG-4", "您已就本议题表态，表态不可更改", {"member": by.username})
    position, reason, chosen = _clean_statement(st, position, reason, candidate)
    missing = missing_recommendations(item)
    if missing:
        raise Conflict("R-MTG-5", "每名候选人须先有实名推荐，方可讨论表态", {"candidates": missing})
    if not is_wg_inspector:
        refusal = order_refusal(st, by)
        if refusal is not None:
            raise refusal
    if not item.roll_frozen_at:
        # Hole 3: the first statement fixes who states on this item; later arrivals are late for it.
        item.roll, item.roll_frozen_at = sorted(st.present), clock.now()
        item.save(update_fields=["roll", "roll_frozen_at", "updated_at"])
    seq = len(st.statements) + 1
    salt = secrets.token_hex(16)
    digest = statement_digest(
        item=item,
        member=by.username,
        seq=seq,
        position=position,
        reason=reason,
        candidate=chosen.name if chosen else None,
        salt=salt,
    )
    statement = Statement.objects.create(
        item=item,
        person=by,
        seq=seq,
        position=position,
        reason=reason,
        candidate=chosen,
        counted=not is_wg_inspector,
        salt=salt,
        digest=digest,
    )
    payload: dict[str, Any] = {
        "item": item.pk,
        "seq": seq,
        "member": by.username,
        "digest": digest,
        "counted": statement.counted,
    }
    if seq == 1:
        payload["roll"] = item.roll
    if not meeting.blind:  # blind statements enter the ledger as a commitment; the seal reveals them
        payload |= {"position": position, "reason": reason, "candidate": chosen.name if chosen else None}
    ledger.record("meeting.statement", by=by, unit=meeting.unit.code, subject=item.ref, payload=payload)
    return statement


# -- recommendations ------------------------------------------------------------------------------


@transaction.atomic
def recommend(*, by: Person, item: Item, candidate: str | None, reason: str | None) -> Recommendation:
    """R-MTG-5: a named person recommends one of the item's candidates, with written reasons."""
    meeting = _locked(item.meeting)
    ensure_open(meeting)
    if not rules.can_recommend(by, meeting):
        raise Forbidden("R-MTG-5", "只有本单位人员可以实名推荐", {"unit": meeting.unit.code})
    name = (candidate or "").strip()
    chosen = next(
        (
            c
            for c in item.candidates.select_related("person")
            if name and name in (c.name, getattr(c.person, "username", None))
        ),
        None,
    )
    fields = {}
    if chosen is None:
        fields["candidate"] = ["须为本议题的候选人"]
    if not (reason or "").strip():
        fields["reason"] = ["须写明推荐理由"]
    if fields:
        raise Invalid("R-MTG-5", "实名推荐须指明候选人并写明理由", {"fields": fields})
    if chosen.person_id == by.pk:
        raise Forbidden("R-MTG-5", "不能推荐自己", {"candidate": chosen.name})
    try:
        with transaction.atomic():
            rec = Recommendation.objects.create(candidate=chosen, recommender=by, reason=reason.strip())
    except IntegrityError as exc:
        raise Conflict("R-MTG-5", "您已推荐过该候选人", {"candidate": chosen.name}) from exc
    ledger.record(
        "meeting.recommendation",
        by=by,
        unit=meeting.unit.code,
        subject=item.ref,
        payload={"item": item.pk, "candidate": chosen.name, "recommender": by.username, "reason": rec.reason},
    )
    return rec


# -- explicit deferral ----------------------------------------------------------------------------


@transaction.atomic
def defer_item(*, by: Person, item: Item, reason: str | None) -> Item:
    """Issue 9 hole 2: silence is not a decision. While present members have not all stated on an
    item, the meeting cannot close unless the chair defers the item explicitly, with a reason recorded
    in the ledger; the item's matter goes back to the pool (collective review), never to "rejected".
    Once everyone has stated the tally decides, and the chair can no longer defer."""
    meeting = _locked(item.meeting)
    item = Item.objects.select_related("presenter").get(pk=item.pk)
    item.meeting = meeting
    if not rules.can_close(by, meeting):
        raise Forbidden("R-MTG-6", "只有会议主持人可以决定议题缓议", {"meeting": meeting.pk})
    ensure_open(meeting)
    if item.deferred_reason:
        raise Conflict("R-MTG-6", "本议题已决定缓议", {"item": item.pk})
    st = selectors.item_state(item)
    if st.statements and not st.waiting_for:
        raise Conflict("R-MTG-6", "出席成员已全部表态，议题由系统计票决定，不能再缓议", {"item": item.pk})
    reason = (reason or "").strip()
    if not reason:
        raise Invalid("R-MTG-6", "缓议须写明理由", {"fields": {"reason": ["必填"]}})
    item.deferred_reason, item.deferred_by = reason, by
    item.save(update_fields=["deferred_reason", "deferred_by", "updated_at"])
    ledger.record(
        "meeting.item_deferred",
        by=by,
        unit=meeting.unit.code,
        subject=item.ref,
        payload={"item": item.pk, "reason": reason, "waiting_for": sorted(st.waiting_for)},
    )
    return item
