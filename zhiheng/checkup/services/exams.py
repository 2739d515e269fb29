"""The exam bank and papers (R-GATE-1): a commission imports its questions from Excel, all or nothing, and
draws each candidate's paper from a blueprint with a seed recorded in the ledger, so the paper can be drawn
again and shown to be the one the candidate sat."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Mapping

from django.db import transaction

from zhiheng import ledger
from zhiheng.accounts.models import Person
from zhiheng.core import clock
from zhiheng.org.models import District

from .. import bank_excel, events, papers, rules, selectors
from ..errors import BadBankFile, BankTooSmall
from ..models import Paper, Question
from .declaring import district_of


@transaction.atomic
def import_questions(*, by: Person | None, district: District, data: bytes) -> list[Question]:
    """Add every question of the file to the district's bank, or none: BadBankFile lists every row error."""
    rules.ensure_can_keep_bank(by, district)
    found = bank_excel.read(data)
    if found.errors:
        raise BadBankFile(detail={"rows": found.errors})
    created = Question.objects.bulk_create(Question(district=district, **q) for q in found.questions)
    ledger.record(
        events.QUESTIONS_IMPORTED.code,
        by=by,
        district=district.code,
        subject=f"district:{district.code}",
        payload={"imported": len(created), "file_sha256": hashlib.sha256(data).hexdigest()},
    )
    return created


def bank_of(district: District) -> list[papers.BankQuestion]:
    """What the draw needs of the district's questions in use."""
    return [
        papers.BankQuestion(q.pk, q.category, q.difficulty, q.kind, len(q.options))
        for q in Question.objects.filter(district=district, active=True)
    ]


@transaction.atomic
def draw_paper(
    *,
    by: Person | None,
    person: Person,
    blueprint: Mapping[papers.Cell, int],
    district: District | None = None,
    seed: int | None = None,
) -> Paper:
    """The candidate's paper from the bank of the commission drawing it (`district` when the system
    draws). The seed is drawn here unless given (the demo and tests give one); it goes into the paper and
    its ledger entry with the blueprint and the questions."""
    rules.ensure_can_judge(by, person, rule="R-GATE-1", action="生成廉政考试试卷")
    if district is None:
        if by is None:
            raise ValueError("the system names the district whose bank it draws from")
        district = selectors.bank_district_for(by, person)
    seed = secrets.randbits(62) if seed is None else seed
    bank = bank_of(district)
    try:
        drawn = papers.draw(bank, blueprint, seed)
    except papers.BlueprintUnmet as short:
        raise BankTooSmall(
            detail={
                "short": [
                    {"category": c, "difficulty": d, "asked": asked, "available": have}
                    for (c, d), (asked, have) in short.short.items()
                ]
            }
        ) from short
    plan = [{"category": c, "difficulty": d, "count": n} for (c, d), n in sorted(blueprint.items()) if n]
    questions = [{"id": q.id, "options": list(q.option_order)} for q in drawn.questions]
    paper = Paper.objects.create(
        person=person,
        seed=seed,
        blueprint=plan,
        questions=questions,
        bank=sorted(q.id for q in bank),
        generated_by=by,
        generated_at=clock.now(),
    )
    ledger.record(
        events.PAPER_DRAWN.code,
        by=by,
        district=district_of(person),
        subject=paper.subject,
        payload={
            "candidate": person.username,
            "seed": str(seed),
            "blueprint": plan,
            "questions": questions,
            "bank_sha256": hashlib.sha256(",".join(map(str, paper.bank)).encode()).hexdigest(),
        },
    )
    return paper


def reproduces(paper: Paper) -> bool:
    """Whether the paper, drawn again from its seed (redraw), is question for question the one kept."""
    kept: list[dict[str, object]] = paper.questions
    return [{"id": q.id, "options": list(q.option_order)} for q in redraw(paper).questions] == kept


def redraw(paper: Paper) -> papers.Paper:
    """The paper drawn again from its recorded seed and blueprint over the bank as it was (the kept ids:
    questions retired since still count, questions added since do not)."""
    rows = Question.objects.filter(pk__in=paper.bank)
    bank = [papers.BankQuestion(q.pk, q.category, q.difficulty, q.kind, len(q.options)) for q in rows]
    blueprint = {(b["category"], b["difficulty"]): b["count"] for b in paper.blueprint}
    return papers.draw(bank, blueprint, paper.seed)
