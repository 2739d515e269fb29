"""REST endpoints of the matters app (API.md "Matters" and "Budget lines").

Beyond API.md: POST /matters/{id}/refer, /joint-review, /evidence (multipart), GET /matters/inbox,
GET /matters/{id}/evidence/{evidence_id} (the file, as an attachment: matters/web/downloads.py),
and extra fields on every matter ("actions" says which buttons the caller has, from rules.py).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any, Literal

from django.db.models import QuerySet
from django.http import FileResponse, HttpResponse
from ninja import Field, File, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate
from pydantic import StrictInt, StrictStr

from zhiheng.accounts.http import AuthedRequest
from zhiheng.accounts.models import Person
from zhiheng.api.pagination import Page, Rendered
from zhiheng.api.prebuilt import prebuilt
from zhiheng.core import clock
from zhiheng.core.errors import Invalid
from zhiheng.core.money import yuan_str
from zhiheng.org import selectors as org
from zhiheng.powers.selectors import list_powers

from .. import rules, selectors, services
from ..models import BudgetLine, Matter
from ..viewer import Viewer
from ..web import downloads

router = Router(tags=["matters"])


class RequiresOut(Schema):
    collective: bool
    cosign: list[str]
    joint_review: bool


class HistoryOut(Schema):
    at: str
    actor: str | None
    action: str
    note: str


class MatterOut(Schema):
    id: int
    unit: str
    power: str
    kind: str
    title: str
    description: str
    amount: str | None
    counterparty: str
    budget_line: str | None
    major: bool
    state: str
    deputy: str
    submitted_by: str
    submitted_at: str
    decided_by: str | None
    decided_by_meeting: str | None = None
    decided_at: str | None
    requires: RequiresOut
    actions: dict[str, bool]


class MatterDetailOut(MatterOut):
    history: list[HistoryOut]
    evidence: list[dict[str, Any]]
    cosigns: list[dict[str, Any]]


class MatterIn(Schema):
    unit: str = Field(..., min_length=1, max_length=32)
    power: str = Field(..., min_length=1, max_length=48)
    title: str = Field(..., min_length=1, max_length=200)
    amount: StrictStr | StrictInt | None = None  # issue 10: `true` is no amount (pydantic would coerce)
    counterparty: str = Field("", max_length=200)
    budget_line: str | None = Field(None, max_length=48)
    kind: str = Field("", max_length=32)
    major: bool = False
    description: str = Field("", max_length=5000)
    counterparty_person: str | None = Field(None, max_length=150)


class CommentIn(Schema):
    comment: str = Field("", max_length=2000)


class RejectIn(Schema):
    comment: str = Field(..., max_length=2000)


class VetoIn(Schema):
    reason: str = Field(..., max_length=2000)


class NoteIn(Schema):
    note: str = Field("", max_length=2000)


class ReferIn(Schema):
    reason: str = Field("", max_length=2000)


class JointIn(Schema):
    opinion: Literal["agree", "disagree"]
    reason: str = Field("", max_length=2000)


class BudgetLineOut(Schema):
    code: str
    name: str
    amount: str
    reserved: str
    remaining: str


def _iso(moment: dt.datetime | None) -> str | None:
    return moment.astimezone(clock.SHANGHAI).isoformat() if moment else None


def matter_out(matter: Matter, who: Person | Viewer, *, detail: bool = False) -> dict[str, Any]:
    """One matter as the API answers it. `who` is the caller; pass one Viewer for a whole list (the
    matter must come from selectors, which prefetch its co-signs and opinions)."""
    cosigns = selectors.cosigns_of(matter)
    out = {
        "id": matter.pk,
        "unit": matter.unit.code,
        "power": matter.power.code,
        "kind": matter.kind,
        "title": matter.title,
        "description": matter.description,
        "amount": yuan_str(matter.amount),
        "counterparty": matter.counterparty,
        "budget_line": matter.budget_line.code if matter.budget_line else None,
        "major": matter.major,
        "state": matter.state,
        "deputy": matter.deputy.username,
        "submitted_by": matter.submitted_by.username,
        "submitted_at": _iso(matter.submitted_at),
        "decided_by": matter.decided_by.username if matter.decided_by else None,
        # A collective decision is the meeting's (issue 9 hole 9): "meeting:12/item:3", never the chair.
        "decided_by_meeting": matter.decision_ref or None,
        "decided_at": _iso(matter.decided_at),
        "requires": {
            "collective": matter.requires_collective,
            "cosign": [c.signer.username for c in cosigns],
            "joint_review": matter.requires_joint_review,
        },
        "actions": rules.actions_for(who, matter),
    }
    if detail:
        out["history"] = [
            {
                "at": _iso(e.at),
                "actor": e.actor.username if e.actor else None,
                "action": e.action,
                "note": e.note,
            }
            for e in selectors.history(matter)
        ]
        out["evidence"] = [
            {
                "id": e.pk,
                "name": e.name,
                "size": e.size,
                "sha256": e.sha256,
                "content_type": e.content_type,
                "uploaded_at": _iso(e.uploaded_at),
                "download": f"/api/v1/matters/{matter.pk}/evidence/{e.pk}",
            }
            for e in matter.evidence.all()
        ]
        out["cosigns"] = [
            {"signer": c.signer.username, "role": c.role, "signed_at": _iso(c.signed_at)} for c in cosigns
        ]
    return out


def _acted(matter: Matter, viewer: Viewer) -> dict[str, Any]:
    """The answer after a write: the row the service wrote and returned. The caller has just acted on
    it, so it is not looked up again through the visibility filter; its people, co-signs, opinions
    (and whatever relation the service did not read with it) are loaded afresh."""
    return matter_out(selectors.with_relations([matter])[0], viewer, detail=True)


@router.post("/matters", response={201: MatterDetailOut}, summary="提交事项（R-MAT-1）")
def submit(request: AuthedRequest, payload: MatterIn) -> Status[dict[str, Any]]:
    person = request.auth
    unit = org.get_unit_for(person, payload.unit)
    power = list_powers(unit, active_only=False).filter(code=payload.power).first()
    if power is None:
        raise Invalid("validation", "该单位没有此职权", {"power": payload.power})
    line = None
    if payload.budget_line:
        line = BudgetLine.objects.filter(unit=unit, code=payload.budget_line).first()
        if line is None:
            raise Invalid("validation", "预算指标不存在", {"budget_line": payload.budget_line})
    counterparty_person = None
    if payload.counterparty_person:
        # Only the unit's district is searched, and an unknown name and a name from elsewhere answer
        # alike, so the field is no oracle of who has an account anywhere (issue 10 finding 8).
        counterparty_person = (
            org.people_of_district(unit.district).filter(username=payload.counterparty_person).first()
        )
        if counterparty_person is None:
            raise Invalid(
                "validation",
                "相对方人员须为本区人员的账号",
                {"counterparty_person": payload.counterparty_person},
            )
    viewer = Viewer(person)
    matter = services.submit(
        by=person,
        unit=unit,
        power=power,
        title=payload.title,
        kind=payload.kind,
        amount=payload.amount,
        counterparty=payload.counterparty,
        counterparty_person=counterparty_person,
        budget_line=line,
        major=payload.major,
        description=payload.description,
    )
    return Status(201, _acted(matter, viewer))


@router.get("/matters", response=list[MatterOut], summary="事项列表（R-MAT-8 可见范围）")
@prebuilt
@paginate(Page)
def list_matters(
    request: AuthedRequest, unit: str | None = None, state: str | None = None
) -> Rendered[Matter]:
    viewer = Viewer(request.auth)
    return _rendered(selectors.list_matters_for(viewer.visibility(), unit=unit, state=state), viewer)


@router.get("/matters/inbox", response=list[MatterOut], summary="待我处理的事项（最早的在前）")
@prebuilt
@paginate(Page)
def inbox(request: AuthedRequest) -> Rendered[Matter]:
    return _rendered(selectors.inbox_of(request.auth), Viewer(request.auth))


def _rendered(qs: QuerySet[Matter], viewer: Viewer) -> Rendered[Matter]:
    """Count the cheap visibility query, then load and render only the page's rows, with one Viewer
    (roles, visibility, panels read once per request) for every row's `actions`."""
    return Rendered(qs, lambda matter: matter_out(matter, viewer), load=selectors.with_relations)


@router.get("/matters/{matter_id}", response=MatterDetailOut, summary="事项详情与全部经过")
@prebuilt
def get_matter(request: AuthedRequest, matter_id: int) -> dict[str, Any]:
    viewer = Viewer(request.auth)
    return matter_out(selectors.get_matter_for(viewer.visibility(), matter_id), viewer, detail=True)


def _act(request: AuthedRequest, matter_id: int, fn: Callable[..., Matter], **kwargs: Any) -> dict[str, Any]:
    viewer = Viewer(request.auth)
    matter = selectors.get_matter_for(viewer.visibility(), matter_id, full=False)
    done = fn(matter=matter, by=request.auth, **kwargs)
    return _acted(selectors.carry_relations(matter, done), viewer)


@router.post(
    "/matters/{matter_id}/approve", response=MatterDetailOut, summary="分管副职批准（R-MAT-2/3/5/7）"
)
def approve(request: AuthedRequest, matter_id: int, payload: CommentIn | None = None) -> dict[str, Any]:
    return _act(request, matter_id, services.approve, comment=payload.comment if payload else "")


@router.post("/matters/{matter_id}/reject", response=MatterDetailOut, summary="分管副职否定（R-MAT-2）")
def reject(request: AuthedRequest, matter_id: int, payload: RejectIn) -> dict[str, Any]:
    return _act(request, matter_id, services.reject, comment=payload.comment)


@router.post("/matters/{matter_id}/veto", response=MatterDetailOut, summary="一把手否决（R-MAT-6）")
def veto(request: AuthedRequest, matter_id: int, payload: VetoIn) -> dict[str, Any]:
    return _act(request, matter_id, services.veto, reason=payload.reason)


@router.post("/matters/{matter_id}/cosign", response=MatterDetailOut, summary="领导会签（R-MAT-4）")
def cosign(request: AuthedRequest, matter_id: int, payload: CommentIn | None = None) -> dict[str, Any]:
    return _act(request, matter_id, services.cosign, comment=payload.comment if payload else "")


@router.post("/matters/{matter_id}/execute", response=MatterDetailOut, summary="执行（批准且会签完成后）")
def execute(request: AuthedRequest, matter_id: int, payload: NoteIn | None = None) -> dict[str, Any]:
    return _act(request, matter_id, services.execute, note=payload.note if payload else "")


@router.post("/matters/{matter_id}/withdraw", response=MatterDetailOut, summary="提交人撤回（决定前）")
def withdraw(request: AuthedRequest, matter_id: int, payload: NoteIn | None = None) -> dict[str, Any]:
    return _act(request, matter_id, services.withdraw, note=payload.note if payload else "")


@router.post("/matters/{matter_id}/refer", response=MatterDetailOut, summary="提交集体会审（R-MAT-3）")
def refer(request: AuthedRequest, matter_id: int, payload: ReferIn | None = None) -> dict[str, Any]:
    return _act(request, matter_id, services.refer_to_collective, reason=payload.reason if payload else "")


@router.post("/matters/{matter_id}/joint-review", response=MatterDetailOut, summary="执法会审意见（R-MAT-7）")
def joint_review(request: AuthedRequest, matter_id: int, payload: JointIn) -> dict[str, Any]:
    return _act(request, matter_id, services.joint_review, opinion=payload.opinion, reason=payload.reason)


@router.post("/matters/{matter_id}/evidence", response={201: MatterDetailOut}, summary="上传佐证材料")
def add_evidence(request: AuthedRequest, matter_id: int, file: File[UploadedFile]) -> Status[dict[str, Any]]:
    viewer = Viewer(request.auth)
    matter = selectors.get_matter_for(viewer.visibility(), matter_id)
    services.add_evidence(matter=matter, by=request.auth, upload=file)
    return Status(201, _acted(matter, viewer))


@router.get("/matters/{matter_id}/evidence/{evidence_id}", summary="下载佐证材料（附件）")
def download_evidence(
    request: AuthedRequest, matter_id: int, evidence_id: int
) -> HttpResponse | FileResponse:
    """The file, to whoever may see the matter (404 alike otherwise), as an attachment with nosniff."""
    return downloads.file_response(selectors.get_evidence_for(request.auth, matter_id, evidence_id))


@router.get("/units/{code}/budget-lines", response=list[BudgetLineOut], summary="预算指标（R-MAT-5）")
@paginate(Page)
def budget_lines(request: AuthedRequest, code: str) -> list[dict[str, str | None]]:
    unit = org.get_unit_for(request.auth, code)
    return [
        {
            "code": b.code,
            "name": b.name,
            "amount": yuan_str(b.amount),
            "reserved": yuan_str(b.reserved),
            "remaining": yuan_str(b.remaining),
        }
        for b in selectors.list_budget_lines(unit)
    ]
