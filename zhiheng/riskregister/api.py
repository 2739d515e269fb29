"""REST endpoints of the risk register (API.md "Programme": `GET /units/{code}/risk-points` → items
{"power", "type", "grade", "measures"}, with more fields added): the list, one point with its incidents and
versions, and the writes — propose, edit, review, publish, require a review, retire. Refusals cite R-GATE-6.
Interfaces only: parse, fetch through the selectors (404 alike), call a service."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from zhiheng.accounts.http import AuthedRequest
from zhiheng.accounts.models import Person
from zhiheng.accounts.selectors import person_in_field
from zhiheng.api.pagination import Page
from zhiheng.core import clock
from zhiheng.core.errors import Invalid
from zhiheng.core.input_types import IsoDate
from zhiheng.powers import selectors as powers

from . import rules, selectors, services
from .models import RiskPoint

router = Router(tags=["riskregister"])

RiskTypeCode = Literal["morals", "institutions", "duties", "process", "environment"]
GradeCode = Literal["A", "B", "C", "D"]


def _at(moment: dt.datetime | None) -> str | None:
    return moment.astimezone(clock.SHANGHAI).isoformat() if moment else None


class PointOut(Schema):
    id: int
    unit: str
    power: str = Field(..., description="职权代码")
    power_name: str
    type: RiskTypeCode = Field(..., description="风险类型：思想道德、制度机制、岗位职责、业务流程、外部环境")
    grade: GradeCode = Field(..., description="风险等级，A 最高")
    measures: str = Field(..., description="防控措施")
    description: str
    importance: int
    discretion: int
    probability: int
    harm: int
    score: int
    owner: str
    status: Literal["draft", "published", "retired"]
    version: int
    published_at: str | None
    reviewed_at: str | None
    review_due: str
    review_overdue: bool
    review_required: bool
    actions: dict[str, bool]


def point_out(point: RiskPoint, viewer: Person) -> dict[str, Any]:
    return {
        "id": point.pk,
        "unit": point.unit.code,
        "power": point.power.code,
        "power_name": point.power.name,
        "type": point.type,
        "grade": point.grade,
        "measures": point.measures,
        "description": point.description,
        **point.inputs(),
        "score": point.score,
        "owner": point.owner.username,
        "status": point.status,
        "version": point.version,
        "published_at": _at(point.published_at),
        "reviewed_at": _at(point.reviewed_at),
        "review_due": point.review_due.isoformat(),
        "review_overdue": point.status != "retired" and point.review_due < clock.today(),
        "review_required": point.review_required_at is not None,
        "actions": rules.actions_for(viewer, point),
    }


@router.get(
    "/units/{code}/risk-points",
    response=list[PointOut],
    summary="单位廉政风险点（R-GATE-6；单位内公示，草稿仅领导班子与区纪委可见）",
)
@paginate(Page)
def list_points(
    request: AuthedRequest, code: str, status: str | None = None, power: str | None = None
) -> list[dict[str, Any]]:
    _unit, qs = selectors.list_points_for_unit(request.auth, code, status=status)
    if power:
        qs = qs.filter(power__code=power)
    return [point_out(p, request.auth) for p in qs]


def _input(value: int | None, name: str) -> int | None:
    if value is not None and not 1 <= value <= 5:
        raise Invalid("validation", "风险点填写有误", {"fields": {name: ["须为 1–5 的整数"]}})
    return value


class ProposeIn(Schema):
    power: str = Field(..., max_length=48, description="职权代码")
    description: str = Field(..., max_length=4000)
    type: RiskTypeCode
    importance: int = Field(..., description="权力重要程度 1–5")
    discretion: int = Field(..., description="自由裁量权大小 1–5")
    probability: int = Field(..., description="发生概率 1–5")
    harm: int = Field(..., description="危害程度 1–5")
    measures: str = Field(..., max_length=8000, description="防控措施")
    owner: str = Field(..., description="责任人用户名（本单位在任人员）")
    review_due: IsoDate | None = Field(None, description="下次复核日期，默认按本区复核周期")


@router.post(
    "/units/{code}/risk-points",
    response={201: PointOut},
    summary="登记风险点（分管副职或纪检组长，R-GATE-6）",
)
def propose(request: AuthedRequest, code: str, payload: ProposeIn) -> Status[dict[str, Any]]:
    unit, _qs = selectors.list_points_for_unit(request.auth, code)
    power = powers.list_powers(unit).filter(code=payload.power).first()
    if power is None:
        raise Invalid(
            "validation", "风险点填写有误", {"fields": {"power": [f"本单位没有职权：{payload.power}"]}}
        )
    owner = person_in_field(payload.owner, "owner")
    assert owner is not None
    point = services.propose_point(
        by=request.auth,
        power=power,
        description=payload.description,
        type=payload.type,
        importance=_input(payload.importance, "importance") or 0,
        discretion=_input(payload.discretion, "discretion") or 0,
        probability=_input(payload.probability, "probability") or 0,
        harm=_input(payload.harm, "harm") or 0,
        measures=payload.measures,
        owner=owner,
        review_due=payload.review_due,
    )
    return Status(201, point_out(point, request.auth))


class IncidentsOut(Schema):
    warnings: list[dict[str, Any]] = Field(..., description="该职权事项上的风险预警（纪检组长与区纪委可见）")
    warnings_count: int | None
    findings: list[dict[str, Any]] = Field(..., description="证据涉及该职权事项的督察发现")
    reports_count: int | None = Field(None, description="涉及该职权事项的举报件数，仅区纪委经办人可见")
    latest: str | None
    needs_review: bool


class RevisionOut(Schema):
    number: int
    action: str
    by: str | None
    at: str
    old_grade: str
    grade: str
    reason: str
    ledger_index: int | None


class PointDetailOut(PointOut):
    incidents: IncidentsOut
    revisions: list[RevisionOut]


@router.get("/risk-points/{point_id}", response=PointDetailOut, summary="一个风险点：相关事件与历次版本")
def get_point(request: AuthedRequest, point_id: int) -> dict[str, Any]:
    point = selectors.get_point_for(request.auth, point_id)
    found = selectors.incidents_of(point, request.auth)
    return {
        **point_out(point, request.auth),
        "incidents": {
            "warnings": [
                {"id": w.pk, "rule": w.rule, "level": w.level, "created": _at(w.created), "status": w.status}
                for w in found.warnings
            ],
            "warnings_count": found.warnings_count if found.show_warnings else None,
            "findings": [
                {"id": f.pk, "inspection": f.inspection_id, "title": f.title, "severity": f.severity}
                for f in found.findings
            ],
            "reports_count": found.reports_count,
            "latest": _at(found.latest),
            "needs_review": found.needs_review,
        },
        "revisions": [
            {
                "number": r.number,
                "action": r.action,
                "by": r.by.username if r.by else None,
                "at": _at(r.at),
                "old_grade": r.old_grade,
                "grade": r.grade,
                "reason": r.reason,
                "ledger_index": r.ledger_index,
            }
            for r in selectors.revisions_of(point)
        ],
    }


class ChangeIn(Schema):
    description: str | None = Field(None, max_length=4000)
    type: RiskTypeCode | None = None
    importance: int | None = None
    discretion: int | None = None
    probability: int | None = None
    harm: int | None = None
    measures: str | None = Field(None, max_length=8000)
    owner: str | None = None
    reason: str = Field("", max_length=4000, description="改变已公示风险点的等级时必填")


def _changes(payload: ChangeIn) -> dict[str, Any]:
    changes: dict[str, Any] = {
        "description": payload.description,
        "type": payload.type,
        "measures": payload.measures,
        "owner": person_in_field(payload.owner, "owner"),
    }
    for name in ("importance", "discretion", "probability", "harm"):
        changes[name] = _input(getattr(payload, name), name)
    return {k: v for k, v in changes.items() if v is not None}


@router.patch(
    "/risk-points/{point_id}", response=PointOut, summary="修改风险点（改变等级须说明理由，R-GATE-6）"
)
def edit(request: AuthedRequest, point_id: int, payload: ChangeIn) -> dict[str, Any]:
    point = selectors.get_point_for(request.auth, point_id)
    point = services.edit_point(by=request.auth, point=point, reason=payload.reason, **_changes(payload))
    return point_out(point, request.auth)


@router.post(
    "/risk-points/{point_id}/publish", response=PointOut, summary="单位内公示风险点（一把手或纪检组长）"
)
def publish(request: AuthedRequest, point_id: int) -> dict[str, Any]:
    point = selectors.get_point_for(request.auth, point_id)
    return point_out(services.publish_point(by=request.auth, point=point), request.auth)


class ReviewIn(ChangeIn):
    note: str = Field("", max_length=4000, description="复核意见")


@router.post(
    "/risk-points/{point_id}/review", response=PointOut, summary="复核风险点（确认或调整，定下次复核日期）"
)
def review(request: AuthedRequest, point_id: int, payload: ReviewIn) -> dict[str, Any]:
    point = selectors.get_point_for(request.auth, point_id)
    point = services.review_point(
        by=request.auth, point=point, note=payload.note, reason=payload.reason, **_changes(payload)
    )
    return point_out(point, request.auth)


class ReasonIn(Schema):
    reason: str = Field(..., max_length=4000)


@router.post(
    "/risk-points/{point_id}/require-review",
    response=PointOut,
    summary="要求复核（区纪委或纪检组长，须说明理由）",
)
def require_review(request: AuthedRequest, point_id: int, payload: ReasonIn) -> dict[str, Any]:
    point = selectors.get_point_for(request.auth, point_id)
    return point_out(
        services.require_review(by=request.auth, point=point, reason=payload.reason), request.auth
    )


@router.post(
    "/risk-points/{point_id}/retire", response=PointOut, summary="停用风险点（纪检组长或区纪委，须说明理由）"
)
def retire(request: AuthedRequest, point_id: int, payload: ReasonIn) -> dict[str, Any]:
    point = selectors.get_point_for(request.auth, point_id)
    return point_out(services.retire_point(by=request.auth, point=point, reason=payload.reason), request.auth)
