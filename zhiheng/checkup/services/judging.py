"""What the commission records about a candidate: an exam sitting's result (R-GATE-1; a failed make-up
cancels the candidacy 取消任职资格, its own ledger entry) and the integrity opinion (R-GATE-4)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction

from zhiheng import ledger
from zhiheng.accounts.models import Person
from zhiheng.core import clock

from .. import events, rules, sealing, selectors
from ..errors import NoSittingLeft, SittingUnfinished
from ..models import ExamSitting, Opinion
from ..states import ExamStatus, OpinionStatus, exam_status, next_attempt
from .declaring import district_of


@transaction.atomic
def record_exam(*, by: Person | None, person: Person, score: Decimal, sat_on: dt.date) -> ExamSitting:
    """A sitting on paper, its result recorded by hand. Refused while an online sitting waits to be marked:
    that one is the candidate's sitting in turn (services.sitting)."""
    rules.ensure_can_judge(by, person, rule="R-GATE-1", action="登记廉政考试成绩")
    Person.objects.select_for_update().filter(pk=person.pk).first()  # one sitting at a time per candidate
    if selectors.unfinished_sitting(person) is not None:
        raise SittingUnfinished(detail={"person": person.username})
    return enter_sitting(by=by, person=person, score=score, sat_on=sat_on)


def enter_sitting(
    *,
    by: Person | None,
    person: Person,
    score: Decimal,
    sat_on: dt.date,
    extra: dict[str, object] | None = None,
) -> ExamSitting:
    """The sitting's result as the candidate's next attempt (R-GATE-1), with its ledger entry, and the
    cancelled candidacy when a make-up fails. The caller holds the candidate's row lock."""
    sittings = selectors.sittings_of(person)
    attempt = next_attempt(sittings)
    if attempt is None:
        raise NoSittingLeft(detail={"person": person.username, "status": exam_status(sittings)})
    pass_mark = Decimal(selectors.rules_for(person)["pass_mark"])
    sitting = ExamSitting.objects.create(
        person=person, attempt=attempt, score=score, pass_mark=pass_mark, sat_on=sat_on, recorded_by=by
    )
    district = district_of(person)
    payload = {
        "candidate": person.username,
        "attempt": attempt,
        "score": str(score),
        "passed": sitting.passed,
        **(extra or {}),
    }
    ledger.record(
        events.EXAM_RECORDED.code, by=by, district=district, subject=sitting.subject, payload=payload
    )
    if exam_status([*sittings, sitting]) == ExamStatus.DISQUALIFIED:
        ledger.record(
            events.CANDIDACY_CANCELLED.code,
            by=by,
            district=district,
            subject=sitting.subject,
            payload={"candidate": person.username},
        )
    return sitting


@transaction.atomic
def issue_opinion(*, by: Person | None, person: Person, status: str, reasons: str) -> Opinion:
    rules.ensure_can_judge(by, person, rule="R-GATE-4", action="出具廉政意见")
    if status not in {OpinionStatus.PENDING, OpinionStatus.NO_OBJECTION, OpinionStatus.OBJECTION}:
        raise ValueError(status)  # the interfaces admit only these three
    opinion = Opinion.objects.create(
        person=person,
        status=status,
        sealed_reasons=sealing.seal(reasons.strip()),
        issued_by=by,
        issued_at=clock.now(),
    )
    ledger.record(
        events.OPINION_ISSUED.code,
        by=by,
        district=district_of(person),
        subject=opinion.subject,
        payload={"candidate": person.username, "opinion": status},
    )
    return opinion
