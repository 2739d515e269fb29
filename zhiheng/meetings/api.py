"""REST endpoints of the meetings app (API.md "Meetings (R-MTG)", plus reads, items, recommendations and
corrections). Interfaces only: parse, fetch through get_meeting_for (404 alike), call one service."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from zhiheng import parameters
from zhiheng.accounts.http import AuthedRequest
from zhiheng.accounts.models import Person
from zhiheng.accounts.selectors import person_in_field
from zhiheng.api.pagination import Page
from zhiheng.core import clock
from zhiheng.core.input_types import IsoDate, Name
from zhiheng.org import selectors as org
from zhiheng.org.models import District, Unit
from zhiheng.parameters.selectors import get_district_for

from . import rules, selectors, services
from .models import Item, Meeting
from .parameters import NAMESPACE as RULES

router = Router(tags=["meetings"])


def iso(moment: dt.datetime | None) -> str | None:
    return moment.astimezone(clock.SHANGHAI).isoformat() if moment else None


def _people(usernames: list[str], field: str) -> list[Person]:
    return [p for p in (person_in_field(u, field) for u in usernames) if p is not None]


# -- output ---------------------------------------------------------------------------------------


def item_actions(item: Item, viewer: Person, st: selectors.ItemState) -> dict[str, Any]:
    """What the viewer may do with the item now, from the rules the services apply (additive to API.md):
    state (and, when a member entitled to state waits, the refusal they would get), defer, recommend."""
    lock = rules.statement_lock(viewer, item, st)
    return {
        "state": rules.can_state(viewer, item, st),
        "state_lock": lock.as_dict() if lock is not None else None,
        "defer": rules.can_defer(viewer, item, st),
        "recommend": rules.can_recommend(viewer, item),
    }


def item_out(item: Item, viewer: Person) -> dict[str, Any]:
    st = selectors.item_state(item)
    meeting = item.meeting
    return {
        "id": item.pk,
        "number": item.number,
        "title": item.title,
        "kind": item.kind,
        "matter": item.matter_id,
        "presenter": item.presenter.username if item.presenter else None,
        "candidates": [
            {
                "name": c.name,
                "username": c.person.username if c.person else None,
                "recommendations": [
                    {
                        "recommender": r.recommender.username,
                        "name": r.recommender.name,
                        "reason": r.reason,
                        "at": iso(r.created_at),
                    }
                    for r in c.recommendations.select_related("recommender")
                ],
            }
            for c in item.candidates.select_related("person")
        ],
        "recused": st.recused,
        "statements": [
            {**row, "at": iso(row["at"])}
            for row in selectors.statements_visible_to(item, viewer, st.statements)
        ],
        "waiting_for": [] if meeting.is_sealed or item.deferred_reason else sorted(st.waiting_for),
        "roll": item.roll if item.roll_frozen_at else None,
        "late": sorted(st.late),
        "deferred_reason": item.deferred_reason or None,
        "effect": item.effect or None,
        "effect_detail": item.effect_detail or None,
        "decision": item.decision or None,
        "decision_reason": item.decision_reason or None,
        "agree": item.agree,
        "disagree": item.disagree,
        "defer": item.defer,
        "winner": item.winner.name if item.winner else None,
        "actions": item_actions(item, viewer, st),
    }


def meeting_summary(meeting: Meeting) -> dict[str, Any]:
    return {
        "id": meeting.pk,
        "unit": meeting.unit.code,
        "unit_name": meeting.unit.name,
        "kind": meeting.kind,
        "kind_label": str(meeting.get_kind_display()),
        "category": meeting.category or None,
        "title": str(meeting),
        "date": meeting.date.isoformat(),
        "chair": meeting.chair.username,
        "state": meeting.state,
        "blind": meeting.blind,
        "sealed_at": iso(meeting.sealed_at),
        "minutes_digest": meeting.minutes_digest or None,
    }


def meeting_out(meeting: Meeting, viewer: Person) -> dict[str, Any]:
    items = meeting.items.select_related("presenter", "winner", "meeting")
    for item in items:
        item.meeting = meeting
    return {
        **meeting_summary(meeting),
        "attendance": [
            {
                "username": a.person.username,
                "name": a.person.name,
                "role": a.role,
                "invited_by": a.invited_by.username,
            }
            for a in selectors.attendance_of(meeting)
        ],
        "items": [item_out(i, viewer) for i in items],
        "corrections": [
            {"id": c.pk, "item": c.item_id, "by": c.by.username, "text": c.text, "at": iso(c.created_at)}
            for c in meeting.corrections.select_related("by")
        ],
        "can_close": rules.can_close(viewer, meeting),
        "actions": {
            "manage": rules.can_manage(viewer, meeting),
            "close": rules.can_close(viewer, meeting),
            "correct": rules.can_correct(viewer, meeting),
            "observe": rules.can_observe(viewer, meeting),
        },
    }


class MeetingSummaryOut(Schema):
    id: int
    unit: str
    unit_name: str
    kind: str
    kind_label: str
    category: str | None
    title: str
    date: str
    chair: str
    state: str
    blind: bool
    sealed_at: str | None
    minutes_digest: str | None


class MeetingOut(MeetingSummaryOut):
    attendance: list[dict[str, Any]]
    items: list[dict[str, Any]]
    corrections: list[dict[str, Any]]
    can_close: bool
    actions: dict[str, bool]


# -- input ----------------------------------------------------------------------------------------


class CandidateIn(Schema):
    name: str = Field("", max_length=64)
    username: str | None = Field(None, max_length=150)


MAX_ITEMS = 50  # issue 10: bounded input — no meeting takes 500 items, no post 2,000 candidates
MAX_CANDIDATES = 20


class ItemIn(Schema):
    title: str = Field("", max_length=200)
    matter: int | None = Field(None, ge=1, le=2**63 - 1)
    candidates: list[Name | CandidateIn] | None = Field(None, max_length=MAX_CANDIDATES)
    presenter: str | None = Field(None, max_length=150)
    personnel: bool | None = None


class MeetingIn(Schema):
    unit: str = Field(..., max_length=32)
    kind: str = Field(..., max_length=24)
    date: IsoDate
    items: list[ItemIn] = Field([], max_length=MAX_ITEMS)
    category: str = Field("", max_length=32)
    title: str = Field("", max_length=128)
    chair: str | None = Field(None, max_length=150)


class AttendanceIn(Schema):
    present: list[Name] = Field([], max_length=100)
    observers: list[Name] = Field([], max_length=100)


class StatementIn(Schema):
    # Optional on purpose: a statement without a clear position is refused by the service with R-MTG-4.
    position: str | None = Field(None, max_length=16)
    reason: str | None = Field(None, max_length=4000)
    candidate: str | None = Field(None, max_length=150)


class RecommendationIn(Schema):
    candidate: str | None = Field(None, max_length=150)
    reason: str | None = Field(None, max_length=4000)


class CorrectionIn(Schema):
    text: str = Field(..., max_length=4000)
    item: int | None = Field(None, ge=1, le=2**63 - 1)


def _item_kwargs(spec: ItemIn) -> dict[str, Any]:
    candidates = None
    if spec.candidates is not None:
        candidates = [c if isinstance(c, str) else (c.username or c.name) for c in spec.candidates]
    return {
        "title": spec.title,
        "matter": spec.matter,
        "candidates": candidates,
        "presenter": person_in_field(spec.presenter, "presenter"),
        "personnel": spec.personnel,
    }


# -- endpoints ------------------------------------------------------------------------------------


@router.get("/meetings", response=list[MeetingSummaryOut], summary="会议列表（我可见的）")
@paginate(Page)
def list_meetings(
    request: AuthedRequest, unit: str | None = None, state: str | None = None
) -> list[dict[str, Any]]:
    unit_obj = org.get_unit_for(request.auth, unit) if unit else None
    qs = selectors.list_meetings_for(request.auth, unit_obj)
    if state:
        qs = qs.filter(state=state)
    return [meeting_summary(m) for m in qs]


@router.post("/meetings", response={201: MeetingOut}, summary="召集会议（R-MTG-1）")
def create_meeting(request: AuthedRequest, payload: MeetingIn) -> Status[dict[str, Any]]:
    unit = org.get_unit_for(request.auth, payload.unit)
    meeting = services.create_meeting(
        by=request.auth,
        unit=unit,
        kind=payload.kind,
        date=payload.date,
        category=payload.category,
        title=payload.title,
        chair=person_in_field(payload.chair, "chair"),
        items=[_item_kwargs(i) for i in payload.items],
    )
    return Status(201, meeting_out(meeting, request.auth))


@router.get("/meetings/{meeting_id}", response=MeetingOut, summary="会议详情（背靠背表态时隐藏他人表态）")
def get_meeting(request: AuthedRequest, meeting_id: int) -> dict[str, Any]:
    return meeting_out(selectors.get_meeting_for(request.auth, meeting_id), request.auth)


@router.post("/meetings/{meeting_id}/items", response={201: dict}, summary="增加议题")
def add_item(request: AuthedRequest, meeting_id: int, payload: ItemIn) -> Status[dict[str, Any]]:
    meeting = selectors.get_meeting_for(request.auth, meeting_id)
    item = services.add_item(by=request.auth, meeting=meeting, **_item_kwargs(payload))
    item.meeting = meeting
    return Status(201, item_out(item, request.auth))


@router.post("/meetings/{meeting_id}/attendance", response=MeetingOut, summary="登记出席与列席（R-MTG-1）")
def attendance(request: AuthedRequest, meeting_id: int, payload: AttendanceIn) -> dict[str, Any]:
    meeting = selectors.get_meeting_for(request.auth, meeting_id)
    services.record_attendance(
        by=request.auth,
        meeting=meeting,
        present=_people(payload.present, "present"),
        observers=_people(payload.observers, "observers"),
    )
    meeting.refresh_from_db()
    return meeting_out(meeting, request.auth)


@router.post(
    "/meetings/{meeting_id}/items/{item_id}/statements", response={201: dict}, summary="本人表态（R-MTG-3/4）"
)
def make_statement(
    request: AuthedRequest, meeting_id: int, item_id: int, payload: StatementIn
) -> Status[dict[str, Any]]:
    item = selectors.get_item_for(request.auth, meeting_id, item_id)
    s = services.state(by=request.auth, item=item, **payload.dict())
    return Status(
        201,
        {
            "id": s.pk,
            "item": item.pk,
            "seq": s.seq,
            "member": request.auth.username,
            "position": s.position,
            "reason": s.reason,
            "candidate": s.candidate.name if s.candidate else None,
            "counted": s.counted,
            "at": iso(s.created_at),
        },
    )


@router.post(
    "/meetings/{meeting_id}/items/{item_id}/recommendations",
    response={201: dict},
    summary="实名推荐（R-MTG-5）",
)
def recommend(
    request: AuthedRequest, meeting_id: int, item_id: int, payload: RecommendationIn
) -> Status[dict[str, Any]]:
    item = selectors.get_item_for(request.auth, meeting_id, item_id)
    rec = services.recommend(by=request.auth, item=item, **payload.dict())
    return Status(
        201,
        {
            "id": rec.pk,
            "item": item.pk,
            "candidate": rec.candidate.name,
            "recommender": request.auth.username,
            "reason": rec.reason,
            "at": iso(rec.created_at),
        },
    )


class DeferIn(Schema):
    reason: str | None = Field(None, max_length=4000)


@router.post(
    "/meetings/{meeting_id}/items/{item_id}/defer", response=dict, summary="主持人决定议题缓议（须写明理由）"
)
def defer_item(request: AuthedRequest, meeting_id: int, item_id: int, payload: DeferIn) -> dict[str, Any]:
    """An item on which present members have not all stated is ended only by this explicit, reasoned
    deferral: its matter goes back to the pool, never to "rejected" (R-MTG-6, issue 9)."""
    item = selectors.get_item_for(request.auth, meeting_id, item_id)
    deferred = services.defer_item(by=request.auth, item=item, reason=payload.reason)
    deferred.meeting = item.meeting
    return item_out(deferred, request.auth)


@router.post("/meetings/{meeting_id}/close", response=dict, summary="闭会：系统计票并封存纪要（R-MTG-6/7）")
def close(request: AuthedRequest, meeting_id: int) -> dict[str, Any]:
    meeting = selectors.get_meeting_for(request.auth, meeting_id)
    return {"items": services.close_meeting(by=request.auth, meeting=meeting)}


@router.post("/meetings/{meeting_id}/corrections", response={201: dict}, summary="纪要更正（R-MTG-7）")
def correct(request: AuthedRequest, meeting_id: int, payload: CorrectionIn) -> Status[dict[str, Any]]:
    meeting = selectors.get_meeting_for(request.auth, meeting_id)
    item = selectors.get_item(meeting, payload.item) if payload.item else None
    c = services.correct(by=request.auth, meeting=meeting, text=payload.text, item=item)
    return Status(
        201, {"id": c.pk, "item": c.item_id, "by": c.by.username, "text": c.text, "at": iso(c.created_at)}
    )


# -- configurable rules (R-MTG-2/3): the "meetings" parameter set (meetings/parameters.py) ---------


class ShareIn(Schema):
    num: int | None = Field(None, ge=0, le=1000)
    den: int | None = Field(None, ge=0, le=1000)
    strict: bool | None = None


class WindowIn(Schema):
    past_days: int | None = Field(None, ge=0, le=3650)
    future_days: int | None = Field(None, ge=0, le=3650)


class MeetingRulesIn(Schema):
    quorum: ShareIn | None = None
    personnel_quorum: ShareIn | None = None
    blind_statements: bool | None = None
    record_window: WindowIn | None = None


def _changes(payload: MeetingRulesIn) -> dict[str, Any]:
    def share(s: Schema | None) -> dict[str, Any] | None:
        return None if s is None else {k: v for k, v in s.dict().items() if v is not None}

    return {
        "quorum": share(payload.quorum),
        "personnel_quorum": share(payload.personnel_quorum),
        "blind_statements": payload.blind_statements,
        "record_window": share(payload.record_window),
    }


def _rules_out(*, district: District | None = None, unit: Unit | None = None) -> dict[str, Any]:
    """The rules in force at the scope, a unit or else a district (whole: quorum, personnel_quorum,
    blind_statements, record_window), their source and the versions that set them, newest first."""
    if unit is not None:
        district = unit.district
    assert district is not None, "a scope: a unit or a district"
    rules = parameters.effective(RULES, unit, district=district)
    scope = {"unit": unit.code, "district": district.code} if unit else {"district": district.code}
    versions = parameters.history(RULES, unit, district=district)
    return {**scope, "source": rules.source, **rules.values, "versions": [c.as_dict() for c in versions]}


@router.get("/districts/{code}/meeting-rules", response=dict, summary="本区议事规则默认值（R-MTG-2）")
def get_district_rules(request: AuthedRequest, code: str) -> dict[str, Any]:
    return _rules_out(district=get_district_for(request.auth, code))


@router.post("/districts/{code}/meeting-rules", response=dict, summary="设定本区议事规则默认值（纪委管理员）")
def put_district_rules(request: AuthedRequest, code: str, payload: MeetingRulesIn) -> dict[str, Any]:
    district = get_district_for(request.auth, code)
    parameters.set_values(RULES, by=request.auth, district=district, values=_changes(payload))
    return _rules_out(district=district)


@router.get("/units/{code}/meeting-rules", response=dict, summary="单位现行议事规则及其来源")
def get_unit_rules(request: AuthedRequest, code: str) -> dict[str, Any]:
    return _rules_out(unit=org.get_unit_for(request.auth, code))


@router.post("/units/{code}/meeting-rules", response=dict, summary="设定单位议事规则（纪委管理员）")
def put_unit_rules(request: AuthedRequest, code: str, payload: MeetingRulesIn) -> dict[str, Any]:
    unit = org.get_unit_for(request.auth, code)
    parameters.set_values(RULES, by=request.auth, unit=unit, values=_changes(payload))
    return _rules_out(unit=unit)


@router.post("/units/{code}/meeting-rules/reset", response=dict, summary="取消单位议事规则，恢复本区默认值")
def delete_unit_rules(request: AuthedRequest, code: str) -> dict[str, Any]:
    unit = org.get_unit_for(request.auth, code)
    parameters.clear(RULES, by=request.auth, unit=unit)
    return _rules_out(unit=unit)


# -- unannounced inspection (R-MTG-1, R-SUP-2) ----------------------------------------------------


@router.post("/meetings/{meeting_id}/observe", response=MeetingOut, summary="督察组不打招呼列席（R-SUP-2）")
def observe(request: AuthedRequest, meeting_id: int) -> dict[str, Any]:
    meeting = selectors.get_observable_meeting(request.auth, meeting_id)
    services.observe(by=request.auth, meeting=meeting)
    meeting.refresh_from_db()
    return meeting_out(meeting, request.auth)
