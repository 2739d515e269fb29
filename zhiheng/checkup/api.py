"""REST endpoints of the integrity check-up (R-GATE-1..4); config/api.py mounts `router`. API.md fixes
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
from zhiheng.accounts.models import Person
from zhiheng.api.pagination import Page, Rendered
from zhiheng.core import clock
from zhiheng.core.input_types import IsoDate
from zhiheng.org.models import District

from . import archive, rules, selectors, services
from .models import Declaration, OnlineSitting, Paper, Question

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


# ------------------------------------------------------------------------ the integrity archive (R-GATE-3)


class ArchiveRowOut(Schema):
    date: dt.date
    category: str = Field(..., description="类别代码")
    category_name: str = Field(..., description="类别名称（现行类别中已没有的代码显示为“（已停用）代码”）")
    subcategory: str
    subcategory_name: str
    title: str
    detail: str
    source: str = Field(
        ..., description="来源记录：declaration:<id>、exam:<id>、opinion:<id>、finding:<id> 或 archive:<id>"
    )
    origin: str = Field("", description="其他功能推送的记录的原始来源（如 audit:3）；手工记录为空")


def archive_row(row: archive.Shown) -> dict[str, Any]:
    return {
        "date": row.on,
        "category": row.category,
        "category_name": row.category_name,
        "subcategory": row.subcategory,
        "subcategory_name": row.subcategory_name,
        "title": row.title,
        "detail": row.detail,
        "source": row.source,
        "origin": row.origin,
    }


@router.get(
    "/people/{username}/archive",
    response=list[ArchiveRowOut],
    summary="廉政档案（R-GATE-3）：由申报、考试、意见、检查发现和档案记录汇成，新的在前；每次查阅记入账本",
)
@paginate(Page)
def read_archive(request: AuthedRequest, username: str, category: str | None = None) -> list[dict[str, Any]]:
    person = selectors.get_person_for(request.auth, username)
    shown = services.read_archive(by=request.auth, person=person)
    return [archive_row(row) for row in shown.of(category)]


class ArchiveEntryIn(Schema):
    category: str = Field(..., max_length=32, description="现行类别的代码")
    subcategory: str = Field(..., max_length=32, description="该类别下子类的代码")
    occurred_on: IsoDate = Field(..., description="发生日期")
    title: str = Field(..., max_length=200)
    body: str = Field("", max_length=4000)


class ArchiveEntryOut(Schema):
    id: int
    person: str
    category: str
    subcategory: str
    occurred_on: dt.date
    title: str
    body: str
    recorded_at: dt.datetime


@router.post(
    "/people/{username}/archive",
    response={201: ArchiveEntryOut},
    summary="纪委在廉政档案中添加记录（R-GATE-3，内容加密保存）",
)
def add_archive_entry(
    request: AuthedRequest, username: str, payload: ArchiveEntryIn
) -> Status[dict[str, Any]]:
    person = selectors.get_person_for(request.auth, username)
    entry = services.add_archive_entry(
        by=request.auth,
        person=person,
        category=payload.category,
        subcategory=payload.subcategory,
        occurred_on=payload.occurred_on,
        title=payload.title,
        body=payload.body,
    )
    return Status(
        201,
        {
            "id": entry.pk,
            "person": person.username,
            "category": entry.category,
            "subcategory": entry.subcategory,
            "occurred_on": entry.occurred_on,
            "title": payload.title.strip(),
            "body": payload.body.strip(),
            "recorded_at": entry.recorded_at.astimezone(clock.SHANGHAI),
        },
    )


class ArchiveSubcategoryIO(Schema):
    code: str = Field(..., max_length=32)
    name: str = Field(..., max_length=40)


class ArchiveCategoryIO(Schema):
    code: str = Field(..., max_length=32)
    name: str = Field(..., max_length=40)
    subcategories: list[ArchiveSubcategoryIO] = Field(..., max_length=200)


class ArchiveSchemeIn(Schema):
    categories: list[ArchiveCategoryIO] = Field(..., max_length=30)


class ArchiveSchemeOut(Schema):
    district: str
    version: int = Field(..., description="版本号；0 表示尚未设置，使用默认的 7 大类 25 小类")
    set_at: dt.datetime | None
    digest: str = Field(..., description="类别清单的 SHA-256（设置时记入账本）")
    categories: list[ArchiveCategoryIO]


def archive_scheme_out(district: District) -> dict[str, Any]:
    latest = selectors.archive_schemes_of(district).first()
    scheme = selectors.archive_scheme_of(district)
    return {
        "district": district.code,
        "version": latest.version if latest else 0,
        "set_at": latest.set_at.astimezone(clock.SHANGHAI) if latest else None,
        "digest": scheme.digest(),
        "categories": scheme.as_data(),
    }


@router.get(
    "/districts/{code}/archive-scheme",
    response=ArchiveSchemeOut,
    summary="本区现行的廉政档案类别（R-GATE-3，本区纪委管理员）",
)
def archive_scheme(request: AuthedRequest, code: str) -> dict[str, Any]:
    return archive_scheme_out(selectors.get_archive_district_for(request.auth, code))


@router.put(
    "/districts/{code}/archive-scheme",
    response=ArchiveSchemeOut,
    summary="设置本区的廉政档案类别：生成新版本，仍在使用的类别和子类不能删除（R-GATE-3）",
)
def set_archive_scheme(request: AuthedRequest, code: str, payload: ArchiveSchemeIn) -> dict[str, Any]:
    district = selectors.get_archive_district_for(request.auth, code)
    scheme = archive.parse_data([c.model_dump() for c in payload.categories])
    services.set_archive_scheme(by=request.auth, district=district, scheme=scheme)
    return archive_scheme_out(district)


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


# ------------------------------------------------------------------------------ online sittings (R-GATE-1)


class SittingOut(Schema):
    paper: int
    status: Literal["in_progress", "awaiting_marking", "marked"]
    started_at: dt.datetime
    deadline: dt.datetime
    seconds_left: int = Field(..., description="距交卷截止的秒数（服务器时钟），已截止为 0")
    saved_at: dt.datetime
    submitted_at: dt.datetime | None
    score: str | None = Field(None, description="评阅后的成绩")
    questions: list[PaperQuestionOut] | None = Field(None, description="考生作答期间给考生本人")
    answers: dict[str, Any] | None = Field(
        None,
        description="作答（题目编号 → 选项序号列表 / 对错 / 文字）：考生作答期间给本人，交卷后给纪委；每次查阅记入账本",
    )
    marks: dict[str, str] | None = Field(None, description="交卷后给纪委：每题得分占该题分值的比例")


def sitting_out(
    request: AuthedRequest, person: Person, sitting: OnlineSitting, *, open_answers: bool = True
) -> dict[str, Any]:
    now = clock.now()
    closed = sitting.closed_at(now) is not None
    answering = rules.can_sit(request.auth, person) and not closed
    marker = rules.can_judge(request.auth, person) and closed
    answers = (
        services.read_answers(by=request.auth, sitting=sitting)
        if open_answers and (answering or marker)
        else None
    )
    return {
        "paper": sitting.paper_id,
        "status": selectors.status_of(sitting),
        "started_at": sitting.started_at.astimezone(clock.SHANGHAI),
        "deadline": sitting.deadline.astimezone(clock.SHANGHAI),
        "seconds_left": max(0, int((sitting.deadline - now).total_seconds())),
        "saved_at": sitting.saved_at.astimezone(clock.SHANGHAI),
        "submitted_at": sitting.submitted_at.astimezone(clock.SHANGHAI) if sitting.submitted_at else None,
        "score": str(sitting.sitting.score) if sitting.sitting is not None else None,
        "questions": selectors.paper_questions(sitting.paper) if answering else None,
        "answers": answers,
        "marks": sitting.marks if marker else None,
    }


@router.post(
    "/people/{username}/papers/{paper_id}/sitting",
    response={201: SittingOut},
    summary="考生开始在线考试（R-GATE-1）：开考计时；重复开考返回同一场考试",
)
def start_sitting(request: AuthedRequest, username: str, paper_id: int) -> Status[dict[str, Any]]:
    person = selectors.get_person_for(request.auth, username)
    sitting = services.start_sitting(by=request.auth, paper=selectors.get_person_paper(person, paper_id))
    return Status(201, sitting_out(request, person, sitting))


@router.get(
    "/people/{username}/papers/{paper_id}/sitting",
    response=SittingOut,
    summary="在线考试情况：作答期间考生本人可见试题和作答，交卷后纪委可见作答和评分",
)
def sitting(request: AuthedRequest, username: str, paper_id: int) -> dict[str, Any]:
    person = selectors.get_person_for(request.auth, username)
    return sitting_out(request, person, selectors.get_online_for(request.auth, person, paper_id))


class AnswersIn(Schema):
    answers: dict[str, Any] = Field(
        ..., description="全部作答（替换上次保存）：题目编号 → 选项序号列表 / 对错 / 文字"
    )


@router.put(
    "/people/{username}/papers/{paper_id}/sitting/answers",
    response=SittingOut,
    summary="保存作答（自动保存；截止后或交卷后 409 R-GATE-1）",
)
def save_answers(request: AuthedRequest, username: str, paper_id: int, payload: AnswersIn) -> dict[str, Any]:
    person = selectors.get_person_for(request.auth, username)
    found = selectors.get_online_for(request.auth, person, paper_id)
    saved = services.save_answers(by=request.auth, sitting=found, answers=payload.answers)
    return sitting_out(request, person, saved, open_answers=False)


@router.post(
    "/people/{username}/papers/{paper_id}/sitting/submit",
    response=SittingOut,
    summary="交卷（截止后交卷以截止时间为准；重复交卷不改变结果）",
)
def submit_sitting(request: AuthedRequest, username: str, paper_id: int) -> dict[str, Any]:
    person = selectors.get_person_for(request.auth, username)
    found = selectors.get_online_for(request.auth, person, paper_id)
    return sitting_out(request, person, services.submit(by=request.auth, sitting=found), open_answers=False)


class MarksIn(Schema):
    points: dict[str, Decimal] = Field(..., description="简答题得分：题目编号 → 分数（0 至每题分值）")


class MarkedOut(Schema):
    attempt: int
    score: str
    passed: bool
    sat_on: dt.date


@router.post(
    "/people/{username}/papers/{paper_id}/sitting/marks",
    response={201: MarkedOut},
    summary="纪委评阅简答题，成绩登记为考生的一场考试（R-GATE-1）",
)
def mark_sitting(
    request: AuthedRequest, username: str, paper_id: int, payload: MarksIn
) -> Status[dict[str, Any]]:
    person = selectors.get_person_for(request.auth, username)
    found = selectors.get_online_for(request.auth, person, paper_id)
    exam = services.mark(by=request.auth, sitting=found, points=payload.points)
    return Status(
        201, {"attempt": exam.attempt, "score": str(exam.score), "passed": exam.passed, "sat_on": exam.sat_on}
    )
