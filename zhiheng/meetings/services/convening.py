"""Convening a meeting and setting its agenda (R-MTG-1, 3, 5, 8): the meeting with its date, chair and
frozen rules; items linked to the matters awaiting collective review or free proposals, with their
presenter and candidates."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from typing import Any, TypedDict, Unpack

from django.db import IntegrityError, transaction

from zhiheng import ledger
from zhiheng.accounts.models import Person
from zhiheng.accounts.selectors import people_named
from zhiheng.core import clock
from zhiheng.core.errors import Conflict, Invalid
from zhiheng.matters import selectors as matter_selectors
from zhiheng.matters import services as matter_services
from zhiheng.matters.models import Matter
from zhiheng.matters.states import MatterState
from zhiheng.org import selectors as org
from zhiheng.org.models import Role, Unit

from .. import parameters as meeting_parameters
from .. import rules, selectors
from ..models import Candidate, Item, ItemKind, Meeting, MeetingKind, MeetingState


def _record(code: str, *, by: Person, meeting: Meeting, payload: dict[str, Any]) -> None:
    ledger.record(code, by=by, unit=meeting.unit.code, subject=meeting.ref, payload=payload)


# -- convene --------------------------------------------------------------------------------------


def _ensure_held_now(date: dt.date, in_force: dict[str, Any]) -> None:
    """Issue 9 hole 12: a meeting is held now. It may be recorded a few days after it was held on paper
    and convened a few days ahead (the district's record window), never months back or in year 9999:
    quorum, team and presenter are computed for its date, so a free date would choose them."""
    window = in_force.get("record_window") or meeting_parameters.DEFAULTS["record_window"]
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
    rules.ensure_convene(by, unit, date)
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
    in_force, _source = meeting_parameters.in_force(unit)
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


class ItemSpec(TypedDict, total=False):
    """An agenda item as asked for, each part optional: its title (the matter's when blank), the matter
    awaiting collective review it decides, the candidates of a personnel item, its presenter, and whether
    it is a personnel item."""

    title: str
    matter: Matter | int | None
    candidates: Iterable[str] | None
    presenter: Person | None
    personnel: bool | None


@transaction.atomic
def add_item(*, by: Person, meeting: Meeting, **item: Unpack[ItemSpec]) -> Item:
    """R-MTG-1: an item on the agenda of an open meeting, by the team."""
    meeting = selectors.locked_meeting(meeting)
    rules.ensure_manage(by, meeting)
    return _add_item(by=by, meeting=meeting, **item)


def _resolve_matter(meeting: Meeting, matter: Matter | int | None) -> Matter | None:
    if matter is None:
        return None
    if not isinstance(matter, Matter):
        found = selectors.get_matter(int(matter))
        if found is None:
            raise Invalid("R-MTG-1", "关联事项不存在", {"fields": {"matter": [str(matter)]}})
        matter = found
    awaiting = {m.pk for m in selectors.awaiting_matters(meeting.unit)}
    if matter.pk not in awaiting:
        raise Conflict(
            "R-MTG-1",
            "该事项不在本单位待集体决策的事项中（R-MAT-3/6/7 移送的事项才能列入议程）",
            {"matter": matter.pk, "state": matter.state},
        )
    if clock.local_date(matter.submitted_at) > meeting.date:
        # Hole 12: nothing a meeting decides predates what it decides.
        raise Conflict(
            "R-MTG-1",
            "会议日期早于事项提交日期，不能决定该事项",
            {"matter": matter.pk, "submitted": clock.local_date(matter.submitted_at).isoformat()},
        )
    missing = matter_selectors.joint_review_missing(matter)
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


def _resolve_presenter(meeting: Meeting, matter: Matter | None, presenter: Person | None) -> Person | None:
    deputies = {
        p.pk
        for p in selectors.voting_members(meeting.unit, meeting.date)
        if Role.DEPUTY in org.roles_of(p, meeting.unit, meeting.date)
    }
    if matter is not None:
        # powers is THE authority: the deputy in charge on the meeting date presents, whoever was named.
        presenter = selectors.presenter_for(matter, meeting.date) or presenter
    if presenter is not None and presenter.pk not in deputies:
        raise Invalid(
            "R-MTG-3", "汇报人须为会议日期在任的分管副职", {"fields": {"presenter": [presenter.username]}}
        )
    return presenter


_NOT_PART_OF_A_NAME = re.compile(r"[\s\u200b\u3000·•.．]")


def _bare(name: str) -> str:
    return _NOT_PART_OF_A_NAME.sub("", name)


def _candidate_people(meeting: Meeting, names: list[str]) -> dict[str, Person]:
    """R-MTG-5/9 (issue 9 hole 6): internal candidates are people, named by account, so that recusal
    and the refusal of self-recommendation apply to them. A name that is the display name of someone in
    the district is refused: written as a name, a team member could recommend and vote for themselves.
    A name nobody in the district bears is an external candidate."""
    by_username = people_named(names)
    free = {_bare(n): n for n in names if n not in by_username}
    if free:
        # Compared without spaces and dots, so "张 三" or "张　三" does not pass for 张三 (issue 16: a
        # free name escapes R-MTG-5's gates, which only an account can be checked against).
        clashes: dict[str, list[str]] = {}
        for name, username in org.people_of_district(meeting.unit.district).values_list("name", "username"):
            if _bare(name) in free:
                clashes.setdefault(free[_bare(name)], []).append(username)
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
    matter: Matter | int | None = None,
    candidates: Iterable[str] | None = None,
    presenter: Person | None = None,
    personnel: bool | None = None,
) -> Item:
    resolved = _resolve_matter(meeting, matter)
    title = (title or (resolved.title if resolved is not None else "")).strip()
    if not title:
        raise Invalid("validation", "议题名称不能为空", {"fields": {"title": ["必填"]}})
    names = [str(c).strip() for c in (candidates or [])]
    if any(not n for n in names) or len(set(names)) != len(names):
        raise Invalid("R-MTG-4", "候选人姓名不能为空或重复", {"fields": {"candidates": names}})
    people = _candidate_people(meeting, names)
    presenter = _resolve_presenter(meeting, resolved, presenter)
    is_personnel = (
        bool(names) or bool(personnel) or (resolved is not None and selectors.is_personnel_matter(resolved))
    )
    number = meeting.items.count() + 1
    try:
        with transaction.atomic():
            item = Item.objects.create(
                meeting=meeting,
                number=number,
                title=title[:200],
                kind=ItemKind.PERSONNEL if is_personnel else ItemKind.GENERAL,
                matter=resolved,
                presenter=presenter,
            )
    except IntegrityError as exc:
        raise Conflict(
            "R-MTG-1", "该事项已在本次会议议程中", {"matter": resolved.pk if resolved else None}
        ) from exc
    for i, name in enumerate(names, start=1):
        person = people.get(name)
        Candidate.objects.create(item=item, number=i, name=person.name if person else name, person=person)
    if resolved is not None and resolved.state == MatterState.SUBMITTED:
        matter_services.refer_to_collective(matter=resolved, by=by, reason=f"列入{meeting.ref}议程")
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
