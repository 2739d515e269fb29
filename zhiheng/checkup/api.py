"""REST endpoints of the integrity check-up (R-GATE-1/2/4); config/api.py mounts `router`. API.md fixes
`GET /people/{username}/integrity` and `POST /people/{username}/declarations`; the rest are ours.

A person's check-up is seen by the person and by their district's commission admins; anyone else gets 404,
as for a person who does not exist."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, Literal

from ninja import Field, File, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate

from zhiheng.accounts.http import AuthedRequest
from zhiheng.api.pagination import Page, Rendered
from zhiheng.core import clock
from zhiheng.core.input_types import IsoDate

from . import rules, selectors, services
from .models import Declaration, Paper, Question

router = Router(tags=["checkup"])


class ExamSummaryOut(Schema):
    status: Literal["none", "passed", "failed", "disqualified"]
    score: str | None = Field(None, description="通过的成绩，未通过时为最近一次成绩")
    valid_until: str | None = Field(None, description="合格有效期至（YYYY-MM-DD）")
    attempts: int


class DeclarationSummaryOut(Schema):
    year: int | None
    status: Literal["none", "filed"]
    risk_score: int | None
    checks: list[str] = Field(..., description="触发的核查项代码")


class OpinionSummaryOut(Schema):
    status: Literal["none", "pending", "no_objection", "objection"]
    issued_at: dt.datetime | None


class IntegrityOut(Schema):
    person: str
    exam: ExamSummaryOut
    declaration: DeclarationSummaryOut
    opinion: OpinionSummaryOut
    prerequisites: list[str] = Field(..., description="尚未满足的任前廉政要求（R-MTG-5）；为空即已齐备")
    actions: dict[str, bool]


@router.get("/people/{username}/integrity", response=IntegrityOut, summary="任前廉政体检情况（R-GATE-1..4）")
def integrity(request: AuthedRequest, username: str) -> dict[str, Any]:
    person = selectors.get_person_for(request.auth, username)
    summary = selectors.integrity_of(person)
    return {
        **summary,
        "prerequisites": selectors.unmet(summary),
        "actions": rules.actions_for(request.auth, person, selectors.sittings_of(person)),
    }


class DeclarationIn(Schema):
    year: int = Field(..., description="申报年度")
    items: dict[str, Any] = Field(
        ..., description="14 项申报内容，键见 checkup/checks.py 的 ITEMS；空列表表示“无”"
    )


class CheckOut(Schema):
    code: str
    message: str
    weight: int


class DeclarationFiledOut(Schema):
    id: int
    year: int
    version: int
    risk_score: int
    checks: list[CheckOut]


@router.post(
    "/people/{username}/declarations",
    response={201: DeclarationFiledOut},
    summary="本人廉情申报（R-GATE-2），自动核查并计算风险分",
)
def declare(request: AuthedRequest, username: str, payload: DeclarationIn) -> Status[dict[str, Any]]:
    person = selectors.get_person_for(request.auth, username)
    declaration = services.file_declaration(
        by=request.auth, person=person, year=payload.year, items=payload.items
    )
    return Status(
        201,
        {
            "id": declaration.pk,
            "year": declaration.year,
            "version": declaration.version,
            "risk_score": declaration.risk_score,
            "checks": [c.as_dict() for c in declaration.checks],  # type: ignore[attr-defined]
        },
    )


class DeclarationRowOut(Schema):
    id: int
    person: str
    year: int
    version: int
    filed_at: dt.datetime
    risk_score: int
    checks: list[str]


def declaration_row(declaration: Declaration) -> dict[str, Any]:
    return {
        "id": declaration.pk,
        "person": declaration.person.username,
        "year": declaration.year,
        "version": declaration.version,
        "filed_at": declaration.filed_at.astimezone(clock.SHANGHAI),
        "risk_score": declaration.risk_score,
        "checks": list(declaration.check_codes),
    }


@router.get(
    "/people/{username}/declarations", response=list[DeclarationRowOut], summary="廉情申报（各年度各版本）"
)
@paginate(Page)
def declarations(request: AuthedRequest, username: str) -> Rendered[Declaration]:
    person = selectors.get_person_for(request.auth, username)
    return Rendered(selectors.declarations_of(person).select_related("person"), declaration_row)


class DeclarationOut(DeclarationRowOut):
    items: dict[str, Any]
    findings: list[CheckOut] = Field(..., description="自动核查的说明")


@router.get(
    "/people/{username}/declarations/{declaration_id}",
    response=DeclarationOut,
    summary="查阅一份廉情申报（每次查阅都记入账本）",
)
def declaration(request: AuthedRequest, username: str, declaration_id: int) -> dict[str, Any]:
    person = selectors.get_person_for(request.auth, username)
    found = selectors.get_declaration_for(request.auth, person, declaration_id)
    opened = services.read_declaration(by=request.auth, declaration=found)
    return {**declaration_row(found), "items": opened["items"], "findings": opened["checks"]}


class ExamIn(Schema):
    score: Decimal = Field(..., ge=0, le=100, max_digits=5, decimal_places=1, description="成绩（满分100）")
    sat_on: IsoDate = Field(..., description="考试日期")


class ExamOut(Schema):
    id: int
    attempt: int
    score: str
    passed: bool
    status: Literal["none", "passed", "failed", "disqualified"]


@router.post(
    "/people/{username}/exams", response={201: ExamOut}, summary="登记廉政考试成绩（R-GATE-1，可补考一次）"
)
def record_exam(request: AuthedRequest, username: str, payload: ExamIn) -> Status[dict[str, Any]]:
    person = selectors.get_person_for(request.auth, username)
    sitting = services.record_exam(by=request.auth, person=person, score=payload.score, sat_on=payload.sat_on)
    status = selectors.exam_summary(person, selectors.rules_for(person))["status"]
    return Status(
        201,
        {
            "id": sitting.pk,
            "attempt": sitting.attempt,
            "score": str(sitting.score),
            "passed": sitting.passed,
            "status": status,
        },
    )


class OpinionIn(Schema):
    status: Literal["pending", "no_objection", "objection"]
    reasons: str = Field("", max_length=4000)


class OpinionOut(Schema):
    id: int
    status: str
    issued_at: dt.datetime


@router.post("/people/{username}/opinions", response={201: OpinionOut}, summary="出具廉政意见（R-GATE-4）")
def issue_opinion(request: AuthedRequest, username: str, payload: OpinionIn) -> Status[dict[str, Any]]:
    person = selectors.get_person_for(request.auth, username)
    opinion = services.issue_opinion(
        by=request.auth, person=person, status=payload.status, reasons=payload.reasons
    )
    return Status(
        201,
        {
            "id": opinion.pk,
            "status": opinion.status,
            "issued_at": opinion.issued_at.astimezone(clock.SHANGHAI),
        },
    )


@router.get("/checkup/queue", response=list[DeclarationRowOut], summary="纪委核查队列（按风险分从高到低）")
@paginate(Page)
def queue(request: AuthedRequest) -> Rendered[Declaration]:
    return Rendered(selectors.verification_queue(request.auth), declaration_row)


# ------------------------------------------------------------------------ the exam bank and papers (R-GATE-1)


class QuestionOut(Schema):
    id: int
    kind: Literal["single", "multiple", "true_false", "short"]
    category: str
    difficulty: int
    stem: str
    options: list[str]
    active: bool


def question_row(q: Question) -> dict[str, Any]:
    return {
        "id": q.pk,
        "kind": q.kind,
        "category": q.category,
        "difficulty": q.difficulty,
        "stem": q.stem,
        "options": q.options,
        "active": q.active,
    }


@router.get(
    "/districts/{code}/exam-questions", response=list[QuestionOut], summary="廉政考试题库（本区纪委管理员）"
)
@paginate(Page)
def questions(request: AuthedRequest, code: str) -> Rendered[Question]:
    district = selectors.get_bank_district_for(request.auth, code)
    return Rendered(selectors.questions_of(district), question_row)


class ImportedOut(Schema):
    imported: int


@router.post(
    "/districts/{code}/exam-questions",
    response={201: ImportedOut},
    summary="从 Excel 导入考试题目（有任何一行出错则不导入，逐行列出错误）",
)
def import_questions(request: AuthedRequest, code: str, file: File[UploadedFile]) -> Status[dict[str, Any]]:
    district = selectors.get_bank_district_for(request.auth, code)
    created = services.import_questions(by=request.auth, district=district, data=file.read())
    return Status(201, {"imported": len(created)})


class BlueprintCellIn(Schema):
    category: str = Field(..., min_length=1, max_length=32)
    difficulty: int = Field(..., ge=1, le=3)
    count: int = Field(..., ge=1, le=100)


class PaperIn(Schema):
    blueprint: list[BlueprintCellIn] = Field(..., min_length=1, max_length=60)


class PaperQuestionOut(Schema):
    number: int
    id: int
    kind: str
    category: str
    difficulty: int
    stem: str
    options: list[str] = Field(..., description="选择题按本卷顺序排列的选项")


class PaperOut(Schema):
    id: int
    person: str
    seed: str = Field(..., description="组卷随机种子（已记入账本）")
    blueprint: list[dict[str, Any]]
    generated_at: dt.datetime
    questions: list[PaperQuestionOut]
    reproduces: bool = Field(..., description="按记录的种子和组卷时的题库重新组卷，结果与本卷一致")


def paper_out(paper: Paper, username: str) -> dict[str, Any]:
    return {
        "id": paper.pk,
        "person": username,
        "seed": str(paper.seed),
        "blueprint": paper.blueprint,
        "generated_at": paper.generated_at.astimezone(clock.SHANGHAI),
        "questions": selectors.paper_questions(paper),
        "reproduces": services.reproduces(paper),
    }


@router.post(
    "/people/{username}/papers",
    response={201: PaperOut},
    summary="按组卷规则为候选人生成廉政考试试卷（R-GATE-1）",
)
def draw_paper(request: AuthedRequest, username: str, payload: PaperIn) -> Status[dict[str, Any]]:
    person = selectors.get_person_for(request.auth, username)
    blueprint: dict[tuple[str, int], int] = {}
    for cell in payload.blueprint:
        key = (cell.category.strip(), cell.difficulty)
        blueprint[key] = blueprint.get(key, 0) + cell.count
    paper = services.draw_paper(by=request.auth, person=person, blueprint=blueprint)
    return Status(201, paper_out(paper, person.username))


@router.get("/people/{username}/papers/{paper_id}", response=PaperOut, summary="候选人的廉政考试试卷（纪委）")
def paper(request: AuthedRequest, username: str, paper_id: int) -> dict[str, Any]:
    person = selectors.get_person_for(request.auth, username)
    return paper_out(selectors.get_paper_for(request.auth, person, paper_id), person.username)
