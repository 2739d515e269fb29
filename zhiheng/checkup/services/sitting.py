"""The online sitting of a paper (R-GATE-1): the candidate starts it, answers with autosave until they
submit or the time limit in force at the start runs out, and the commission marks it; the mark becomes the
candidate's exam sitting in turn (judging.enter_sitting), so a failed make-up cancels the candidacy here as
on paper.

How a candidate would get around it, and what stops them:
- open a paper, read its questions and walk away to be given another: a started paper always becomes a
  sitting — while one waits to be marked no other starts and no result is recorded by hand
  (SittingUnfinished);
- answer after the time is up, or change an answer after submitting: every save checks the clock and the
  submission under the sitting's row lock (SittingClosed), and the submission's ledger entry holds the
  sha256 of the answers kept;
- start again to get a fresh deadline: starting is idempotent, a retry finds the sitting and its deadline;
- let someone else answer: only the candidate's own account starts, saves and submits (NotTheCandidate).

Answers are sealed like declarations, and every opening of them is a ledger entry (`checkup.answers_read`).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction

from zhiheng import ledger
from zhiheng.accounts.models import Person
from zhiheng.core import clock

from .. import events, marking, rules, sealing, selectors
from ..errors import BadAnswers, NoSittingLeft, NotYetMarkable, SittingClosed, SittingUnfinished
from ..models import ExamSitting, OnlineSitting, Paper, Question
from ..states import exam_status, next_attempt
from .declaring import district_of
from .judging import enter_sitting


def keys_of(paper: Paper) -> dict[int, marking.Key]:
    """What marking needs of each of the paper's questions, in the paper's order."""
    bank = Question.objects.in_bulk([q["id"] for q in paper.questions])
    return {
        q["id"]: marking.Key(bank[q["id"]].kind, bank[q["id"]].answer, len(bank[q["id"]].options))
        for q in paper.questions
    }


def _lock(sitting: OnlineSitting) -> OnlineSitting:
    return OnlineSitting.objects.select_for_update().select_related("paper__person").get(pk=sitting.pk)


def _record(code: str, by: Person | None, sitting: OnlineSitting, **payload: Any) -> None:
    person = sitting.paper.person
    ledger.record(
        code,
        by=by,
        district=district_of(person),
        subject=sitting.subject,
        payload={"candidate": person.username, "paper": sitting.paper_id, **payload},
    )


@transaction.atomic
def start_sitting(*, by: Person, paper: Paper) -> OnlineSitting:
    """Open the paper to its candidate, with the deadline the time limit in force sets now."""
    person = paper.person
    rules.ensure_can_sit(by, person)
    Person.objects.select_for_update().filter(pk=person.pk).first()  # one start at a time per candidate
    started = OnlineSitting.objects.filter(paper=paper).first()
    if started is not None:
        return started  # a retry after a lost answer: same sitting, same deadline
    sittings = selectors.sittings_of(person)
    if next_attempt(sittings) is None:
        raise NoSittingLeft(detail={"person": person.username, "status": exam_status(sittings)})
    if selectors.unfinished_sitting(person) is not None:
        raise SittingUnfinished(detail={"person": person.username})
    now = clock.now()
    minutes = int(selectors.rules_for(person)["exam_minutes"])
    sitting = OnlineSitting.objects.create(
        paper=paper,
        started_at=now,
        deadline=now + dt.timedelta(minutes=minutes),
        sealed_answers=sealing.seal({}),
        saved_at=now,
    )
    _record(
        events.SITTING_STARTED.code,
        by,
        sitting,
        deadline=sitting.deadline.astimezone(clock.SHANGHAI).isoformat(timespec="seconds"),
    )
    return sitting


@transaction.atomic
def save_answers(*, by: Person, sitting: OnlineSitting, answers: Mapping[str, Any]) -> OnlineSitting:
    """Keep the candidate's answers as they stand (the whole set, replacing the last save): autosave. Not a
    ledger entry each time — the submission's entry fixes what was kept."""
    rules.ensure_can_sit(by, sitting.paper.person)
    sitting = _lock(sitting)
    now = clock.now()
    if sitting.closed_at(now) is not None:
        raise SittingClosed(detail={"deadline": sitting.deadline.isoformat()})
    kept, errors = marking.clean_answers(answers, keys_of(sitting.paper))
    if errors:
        raise BadAnswers(detail={"fields": errors})
    sitting.sealed_answers = sealing.seal(kept)
    sitting.saved_at = now
    sitting.save(update_fields=["sealed_answers", "saved_at", "updated_at"])
    return sitting


def _close(by: Person | None, sitting: OnlineSitting, closed_at: dt.datetime) -> OnlineSitting:
    """End answering at `closed_at`, mark the choice questions and fix the answers' digest in the ledger."""
    answers = sealing.unseal(sitting.sealed_answers)
    sitting.submitted_at = closed_at
    sitting.marks = marking.auto_marks(answers, keys_of(sitting.paper))
    sitting.save(update_fields=["submitted_at", "marks", "updated_at"])
    digest = hashlib.sha256(json.dumps(answers, sort_keys=True, ensure_ascii=False).encode()).hexdigest()
    _record(
        events.SITTING_SUBMITTED.code,
        by,
        sitting,
        answered=len(answers),
        answers_sha256=digest,
        out_of_time=closed_at >= sitting.deadline,
    )
    return sitting


@transaction.atomic
def submit(*, by: Person, sitting: OnlineSitting) -> OnlineSitting:
    """The candidate hands in. After the deadline it closes at the deadline with the answers saved until
    then; a second submission changes nothing."""
    rules.ensure_can_sit(by, sitting.paper.person)
    sitting = _lock(sitting)
    if sitting.submitted_at is not None:
        return sitting
    now = clock.now()
    return _close(by, sitting, min(now, sitting.deadline))


def close_if_out_of_time(sitting: OnlineSitting) -> OnlineSitting:
    """A sitting the candidate never submitted closes at its deadline, by the system, with what was saved.
    Called under the sitting's lock by whoever needs it closed (the marker)."""
    if sitting.submitted_at is None and clock.now() > sitting.deadline:
        return _close(None, sitting, sitting.deadline)
    return sitting


@transaction.atomic
def read_answers(*, by: Person, sitting: OnlineSitting) -> dict[str, Any]:
    """The answers kept, opened; a ledger entry says who read whose answers. The caller has checked the
    reader may see the person's check-up."""
    _record(events.ANSWERS_READ.code, by, sitting, reader=by.username)
    answers: dict[str, Any] = sealing.unseal(sitting.sealed_answers)
    return answers


@transaction.atomic
def mark(*, by: Person | None, sitting: OnlineSitting, points: Mapping[str, Any]) -> ExamSitting:
    """The commission marks the short answers (points out of each question's worth); the score — the
    choice questions as marked on closing, plus these — is recorded as the candidate's sitting in turn."""
    person = sitting.paper.person
    rules.ensure_can_judge(by, person, rule="R-GATE-1", action="评阅在线考试")
    Person.objects.select_for_update().filter(pk=person.pk).first()
    sitting = close_if_out_of_time(_lock(sitting))
    if sitting.submitted_at is None or sitting.sitting_id is not None:
        raise NotYetMarkable(detail={"paper": sitting.paper_id})
    keys = keys_of(sitting.paper)
    count = len(keys)
    shares, errors = _short_marks(points, keys, marking.worth(count))
    if errors:
        raise BadAnswers(detail={"fields": errors})
    marks = {**sitting.marks, **{qid: marking.share_of(p, count) for qid, p in shares.items()}}
    closed_on = clock.local_date(sitting.submitted_at)
    exam = enter_sitting(
        by=by,
        person=person,
        score=marking.score(marks, count),
        sat_on=closed_on,
        extra={"paper": sitting.paper_id},
    )
    sitting.marks = marks
    sitting.marked_by = by
    sitting.sitting = exam
    sitting.save(update_fields=["marks", "marked_by", "sitting", "updated_at"])
    return exam


def _short_marks(
    points: Mapping[str, Any], keys: Mapping[int, marking.Key], worth: Decimal
) -> tuple[dict[str, Decimal], dict[str, str]]:
    """Every short answer's points, each between 0 and the question's worth; nothing else is marked by hand."""
    shares: dict[str, Decimal] = {}
    errors: dict[str, str] = {}
    short = {str(qid) for qid, key in keys.items() if key.kind == marking.SHORT}
    for qid in sorted(short):
        raw = points.get(qid)
        try:
            value = Decimal(str(raw))
        except (InvalidOperation, ValueError):
            errors[qid] = f"请给出 0–{worth} 分"
            continue
        if not value.is_finite() or not Decimal(0) <= value <= worth:
            errors[qid] = f"请给出 0–{worth} 分"
        else:
            shares[qid] = value
    for qid in points:
        if str(qid) not in short:
            errors[str(qid)] = "只有简答题由人工评分"
    return shares, errors
