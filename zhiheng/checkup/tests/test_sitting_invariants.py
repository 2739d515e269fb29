"""The online sitting over random sequences (hypothesis stateful): papers drawn, started, answered, handed in
and marked, results recorded by hand, by every persona, with the clock moving in minutes and days. After
every step:

  1. only the candidate starts, answers and hands in; only their commission draws, marks and records — and a
     refused action writes nothing;
  2. the answers kept are the last ones the candidate saved before the sitting closed: nothing saved after
     the deadline or after handing in counts;
  3. a started paper becomes exactly one exam sitting, in turn: at most one online sitting waits to be
     marked, none is marked twice, and every exam sitting is either a marked online sitting or a result
     recorded by hand while none waited;
  4. one exam and one make-up at most; a sitting closes no later than its deadline.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import transaction
from hypothesis import strategies as st
from hypothesis.stateful import invariant, rule

from zhiheng.checkup import sealing, selectors, services
from zhiheng.checkup.models import ExamSitting, OnlineSitting, Question
from zhiheng.checkup.services import exams
from zhiheng.core import clock
from zhiheng.core.errors import DomainError
from zhiheng.core.tests.stateful import FrozenAndRolledBack, run
from zhiheng.ledger.models import Entry

from .test_exams import GOOD, xlsx

PERSONAS = ("deputy", "admin", "other_admin", "principal", "outsider")
CANDIDATE = "deputy"
COMMISSION = "admin"
BLUEPRINT = {("党纪法规", 1): 2, ("廉洁从政", 2): 1, ("警示案例", 3): 1}


def _machine(w):
    class Sitting(FrozenAndRolledBack):
        begins_at = clock.at(dt.date(2026, 3, 2), 9)

        def __init__(self) -> None:
            super().__init__()
            exams.import_questions(by=w.admin, district=w.district, data=xlsx(GOOD))
            self.ids = {q.kind: str(q.pk) for q in Question.objects.all()}
            self.kept: dict[int, dict] = {}  # online sitting pk → the answers the model says were kept
            self.by_hand = 0
            self.seed = 0

        def _attempt(self, call, allowed: bool) -> object | None:
            before = Entry.objects.count()
            try:
                with transaction.atomic():
                    result = call()
            except DomainError:
                assert not allowed, "refused what the rules allow"
                assert Entry.objects.count() == before, "a refused action wrote to the ledger"
                return None
            assert allowed, "allowed what the rules refuse"
            return result

        def _current(self) -> OnlineSitting | None:
            return OnlineSitting.objects.filter(paper__person=w.deputy).order_by("-pk").first()

        @rule()
        def the_commission_draws(self):
            self.draw(COMMISSION)

        @rule()
        def the_candidate_starts(self):
            self.start(CANDIDATE)

        @rule(who=st.sampled_from(PERSONAS))
        def draw(self, who):
            self.seed += 1
            self._attempt(
                lambda: exams.draw_paper(
                    by=getattr(w, who), person=w.deputy, blueprint=BLUEPRINT, seed=self.seed
                ),
                allowed=who == COMMISSION,
            )

        @rule(who=st.sampled_from(PERSONAS))
        def start(self, who):
            paper = selectors.papers_of(w.deputy).filter(online__isnull=True).first()
            if paper is None:
                return
            sittings = selectors.sittings_of(w.deputy)
            waiting = selectors.unfinished_sitting(w.deputy) is not None
            left = len(sittings) < 2 and not any(s.passed for s in sittings)
            started = self._attempt(
                lambda: services.start_sitting(by=getattr(w, who), paper=paper),
                allowed=who == CANDIDATE and left and not waiting,
            )
            if started is not None:
                self.kept[started.pk] = {}

        @rule(who=st.sampled_from(PERSONAS), right=st.booleans(), text=st.text(max_size=20))
        def save(self, who, right, text):
            sitting = self._current()
            if sitting is None:
                return
            answers = {self.ids["single"]: [1] if right else [0], self.ids["short"]: text}
            open_ = sitting.closed_at(clock.now()) is None
            saved = self._attempt(
                lambda: services.save_answers(by=getattr(w, who), sitting=sitting, answers=answers),
                allowed=who == CANDIDATE and open_,
            )
            if saved is not None:  # kept as cleaned: a blank short answer is no answer, text is trimmed
                kept = {self.ids["single"]: answers[self.ids["single"]]}
                if text.strip():
                    kept[self.ids["short"]] = text.strip()
                self.kept[sitting.pk] = kept

        @rule(who=st.sampled_from(PERSONAS))
        def submit(self, who):
            sitting = self._current()
            if sitting is not None:
                self._attempt(
                    lambda: services.submit(by=getattr(w, who), sitting=sitting), allowed=who == CANDIDATE
                )

        @rule(who=st.sampled_from(PERSONAS), points=st.sampled_from(("0", "10", "25", "26")))
        def mark(self, who, points):
            sitting = self._current()
            if sitting is None:
                return
            closed = sitting.closed_at(clock.now()) is not None
            allowed = who == COMMISSION and closed and sitting.sitting_id is None and points != "26"
            self._attempt(
                lambda: services.mark(
                    by=getattr(w, who), sitting=sitting, points={self.ids["short"]: points}
                ),
                allowed=allowed,
            )

        @rule(who=st.sampled_from(PERSONAS), score=st.sampled_from((40, 75)))
        def record_by_hand(self, who, score):
            sittings = selectors.sittings_of(w.deputy)
            left = len(sittings) < 2 and not any(s.passed for s in sittings)
            waiting = selectors.unfinished_sitting(w.deputy) is not None
            done = self._attempt(
                lambda: services.record_exam(
                    by=getattr(w, who), person=w.deputy, score=Decimal(score), sat_on=clock.today()
                ),
                allowed=who == COMMISSION and left and not waiting,
            )
            if done is not None:
                self.by_hand += 1

        @rule(minutes=st.sampled_from((1, 30, 89, 91, 60 * 24)))
        def time_passes(self, minutes):
            self.advance(dt.timedelta(minutes=minutes))

        @invariant()
        def the_answers_kept_are_the_last_saved_in_time(self):
            for sitting in OnlineSitting.objects.filter(paper__person=w.deputy):
                assert sealing.unseal(sitting.sealed_answers) == self.kept[sitting.pk]
                if sitting.submitted_at is not None:
                    assert sitting.submitted_at <= sitting.deadline

        @invariant()
        def a_started_paper_becomes_one_sitting_in_turn(self):
            online = OnlineSitting.objects.filter(paper__person=w.deputy)
            assert online.filter(sitting__isnull=True).count() <= 1
            marked = online.filter(sitting__isnull=False).count()
            assert ExamSitting.objects.filter(person=w.deputy).count() == marked + self.by_hand <= 2
            assert Entry.objects.filter(event_type="checkup.exam_recorded").count() == marked + self.by_hand

    return Sitting


@pytest.mark.django_db(transaction=False)
def test_no_sequence_of_actions_gets_round_the_online_sitting(world):
    run(_machine(world), examples=30, steps=30)
