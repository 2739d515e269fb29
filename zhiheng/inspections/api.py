"""REST endpoints of the inspections app (API.md "Supervision (R-SUP-1, R-SUP-2)"): open a check, its read
log, its findings; beyond API.md: the list and one check, closing, the sample's replay and the
rectification workflow. Interfaces only: parse, fetch through the selectors (404 alike), call a service."""

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
from zhiheng.core.errors import NotFound
from zhiheng.core.input_types import IsoDate
from zhiheng.org.models import Unit

from . import rules, selectors, services
from .models import Finding, Inspection

router = Router(tags=["inspections"])


def _at(moment: dt.datetime | None) -> str | None:
    return moment.astimezone(clock.SHANGHAI).isoformat() if moment else None


class SampleRow(Schema):
    kind: Literal["matter", "meeting"]
    id: int
    reasons: list[str] = []


class InspectionOut(Schema):
    id: int
    unit: str
    group: int | None
    opened_by: str
    opened_at: str
    expires_at: str
    closed_at: str | None
    open: bool
    sample: list[SampleRow] = Field(..., description="抽样建议；检查结束前被检查单位看不到（空列表）")
    findings: int
    actions: dict[str, bool]


def inspection_out(inspection: Inspection, viewer: Person) -> dict[str, Any]:
    may_see_sample = rules.can_read_log(viewer, inspection)
    return {
        "id": inspection.pk,
        "unit": inspection.unit.code,
        "group": inspection.group,
        "opened_by": inspection.opened_by.username,
        "opened_at": _at(inspection.opened_at),
        "expires_at": _at(inspection.expires_at),
        "closed_at": _at(inspection.closed_at),
        "open": inspection.is_open(),
        "sample": inspection.sample if may_see_sample else [],
        "findings": inspection.findings.count(),
        "actions": rules.actions_for(viewer, inspection),
    }


class OpenIn(Schema):
    unit: str = Field(..., max_length=32)
    days: int | None = Field(None, description="授权天数，默认按本区督察检查规则（30 天）")


@router.post("/inspections", response={201: InspectionOut}, summary="督察组开展突击检查（R-SUP-2）")
def open_inspection(request: AuthedRequest, payload: OpenIn) -> Status[dict[str, Any]]:
    unit = Unit.objects.select_related("district").filter(code=payload.unit).first()
    if unit is None:
        raise NotFound()
    inspection = services.open_inspection(by=request.auth, unit=unit, days=payload.days)
    return Status(201, inspection_out(inspection, request.auth))


@router.get(
    "/inspections", response=list[InspectionOut], summary="督察检查（督察组、纪委、被检查单位班子可见）"
)
@paginate(Page)
def list_inspections(request: AuthedRequest, unit: str | None = None) -> list[dict[str, Any]]:
    qs = selectors.list_inspections_for(request.auth)
    if unit:
        qs = qs.filter(unit__code=unit)
    return [inspection_out(i, request.auth) for i in qs]


@router.get("/inspections/{inspection_id}", response=InspectionOut, summary="一次督察检查")
def get_inspection(request: AuthedRequest, inspection_id: int) -> dict[str, Any]:
    return inspection_out(selectors.get_inspection_for(request.auth, inspection_id), request.auth)


class CloseIn(Schema):
    conclusion: str = Field("", max_length=4000)


@router.post("/inspections/{inspection_id}/close", response=InspectionOut, summary="结束检查（授权随即终止）")
def close_inspection(request: AuthedRequest, inspection_id: int, payload: CloseIn) -> dict[str, Any]:
    inspection = selectors.get_inspection_for(request.auth, inspection_id)
    inspection = services.close_inspection(
        by=request.auth, inspection=inspection, conclusion=payload.conclusion
    )
    return inspection_out(inspection, request.auth)


def _log_reader(person: Person, inspection_id: int) -> Inspection:
    """The check, for whoever may read its log and sample; 404 to everyone else (the unit during the
    check included: it must not learn what was looked at)."""
    inspection = selectors.get_inspection_for(person, inspection_id)
    if not rules.can_read_log(person, inspection):
        raise NotFound()
    return inspection


class ReadOut(Schema):
    who: str
    what: str
    at: str
    ledger_index: int | None


@router.get(
    "/inspections/{inspection_id}/reads",
    response=list[ReadOut],
    summary="调阅记录（督察组与纪委；检查结束前对被检查单位 404）",
)
@paginate(Page)
def list_reads(request: AuthedRequest, inspection_id: int) -> list[dict[str, Any]]:
    inspection = _log_reader(request.auth, inspection_id)
    return [
        {"who": r.person.username, "what": r.what, "at": _at(r.at), "ledger_index": r.ledger_index}
        for r in selectors.reads_of(inspection)
    ]


class SampleOut(Schema):
    seed: str
    population_size: int
    population_sha256: str
    sample: list[SampleRow]
    replayed: list[SampleRow] = Field(..., description="由种子与总体重新抽取的结果")
    reproducible: bool


@router.get("/inspections/{inspection_id}/sample", response=SampleOut, summary="抽样及其复现（种子记入账本）")
def sample(request: AuthedRequest, inspection_id: int) -> dict[str, object]:
    return selectors.sample_replay(_log_reader(request.auth, inspection_id))


class FindingIn(Schema):
    title: str = Field(..., max_length=200)
    severity: Literal["low", "medium", "high"]
    deadline: IsoDate
    description: str = Field("", max_length=8000)
    rule: str = Field("", max_length=16, description="违反的 SPEC 规则编号，如 R-MAT-3")
    owner: str | None = Field(None, description="整改责任人用户名，默认为被检查单位主要负责人")
    concerns: str | None = Field(None, description="涉及人员用户名")
    evidence: list[dict[str, Any]] = Field([], description='[{"kind": "matter|meeting", "id": 12}]')


class FindingOut(Schema):
    id: int
    inspection: int
    title: str
    description: str
    rule: str
    severity: str
    deadline: str
    owner: str
    concerns: str | None
    status: str
    overdue: bool
    response: str
    evidence: list[dict[str, Any]]
    actions: dict[str, bool]


def finding_out(finding: Finding, viewer: Person) -> dict[str, Any]:
    return {
        "id": finding.pk,
        "inspection": finding.inspection_id,
        "title": finding.title,
        "description": finding.description,
        "rule": finding.rule,
        "severity": finding.severity,
        "deadline": finding.deadline.isoformat(),
        "owner": finding.owner.username,
        "concerns": finding.concerns.username if finding.concerns else None,
        "status": finding.state,
        "overdue": rules.is_overdue(finding),
        "response": finding.response,
        "evidence": finding.evidence,
        "actions": rules.finding_actions(viewer, finding),
    }


@router.post(
    "/inspections/{inspection_id}/findings", response={201: FindingOut}, summary="记录检查发现，转为整改事项"
)
def record_finding(request: AuthedRequest, inspection_id: int, payload: FindingIn) -> Status[dict[str, Any]]:
    inspection = selectors.get_inspection_for(request.auth, inspection_id)
    finding = services.record_finding(
        by=request.auth,
        inspection=inspection,
        title=payload.title,
        severity=payload.severity,
        deadline=payload.deadline,
        description=payload.description,
        rule=payload.rule,
        evidence=payload.evidence,
        owner=person_in_field(payload.owner, "owner"),
        concerns=person_in_field(payload.concerns, "concerns"),
    )
    return Status(201, finding_out(finding, request.auth))


@router.get("/inspections/{inspection_id}/findings", response=list[FindingOut], summary="检查发现与整改事项")
@paginate(Page)
def list_findings(request: AuthedRequest, inspection_id: int) -> list[dict[str, Any]]:
    inspection = selectors.get_inspection_for(request.auth, inspection_id)
    return [finding_out(f, request.auth) for f in selectors.findings_of(inspection)]


class AnswerIn(Schema):
    response: str = Field(..., max_length=8000)


class JudgeIn(Schema):
    note: str = Field("", max_length=4000)


class ReturnIn(Schema):
    reason: str = Field(..., max_length=4000)


@router.post(
    "/inspections/{inspection_id}/findings/{finding_id}/answer",
    response=FindingOut,
    summary="被检查单位答复整改情况",
)
def answer(request: AuthedRequest, inspection_id: int, finding_id: int, payload: AnswerIn) -> dict[str, Any]:
    finding = selectors.get_finding_for(request.auth, inspection_id, finding_id)
    finding = services.answer_rectification(by=request.auth, finding=finding, response=payload.response)
    return finding_out(finding, request.auth)


@router.post(
    "/inspections/{inspection_id}/findings/{finding_id}/accept", response=FindingOut, summary="督察组验收销号"
)
def accept(request: AuthedRequest, inspection_id: int, finding_id: int, payload: JudgeIn) -> dict[str, Any]:
    finding = selectors.get_finding_for(request.auth, inspection_id, finding_id)
    finding = services.accept_rectification(by=request.auth, finding=finding, note=payload.note)
    return finding_out(finding, request.auth)


@router.post(
    "/inspections/{inspection_id}/findings/{finding_id}/return", response=FindingOut, summary="督察组退回整改"
)
def return_(request: AuthedRequest, inspection_id: int, finding_id: int, payload: ReturnIn) -> dict[str, Any]:
    finding = selectors.get_finding_for(request.auth, inspection_id, finding_id)
    finding = services.return_rectification(by=request.auth, finding=finding, reason=payload.reason)
    return finding_out(finding, request.auth)
