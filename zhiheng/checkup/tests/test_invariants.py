"""The check-up over random sequences (hypothesis stateful): declarations, exam results, opinions and
reads by every persona about two candidates, with time passing. After every step:

  1. only the person declares for themself; only their district's commission records exams and issues
     opinions; only the two of them open a declaration — and a refused action writes nothing;
  2. every opened declaration is one `checkup.declaration_read` entry, and nothing else is;
  3. one exam and one make-up at most; two failures disqualify for good (取消任职资格);
  4. R-MTG-5's prerequisites are empty exactly when the test's own model says the three gates are in
     order: a pass within its validity, a declaration for this year or the last, the latest opinion 无异议.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import transaction
from hypothesis import strategies as st
from hypothesis.stateful import invariant, rule

from zhiheng.checkup import selectors, services
from zhiheng.checkup.models import ExamSitting
from zhiheng.core import clock
from zhiheng.core.errors import DomainError
from zhiheng.core.tests.stateful import FrozenAndRolledBack, run
from zhiheng.ledger.models import Entry

from .test_checks import clean_items

PERSONAS = ("principal", "deputy", "staff", "inspector", "admin", "other_admin", "outsider")
CANDIDATES = ("deputy", "staff")
COMMISSION = "admin"  # the candidates' district's commission admin; other_admin serves another district
PASS_MARK = Decimal("60")
VALID_DAYS = 365  # the check-up parameters' defaults


def _machine(w):
    class Checkup(FrozenAndRolledBack):
        begins_at = clock.at(dt.date(2026, 3, 2), 9)

        def __init__(self) -> None:
            super().__init__()
            self.entries = Entry.objects.count()
            self.reads = 0
            self.before_reads = Entry.objects.filter(event_type="checkup.declaration_read").count()
            # the test's own model of each candidate's gates
            self.scores: dict[str, list[tuple[Decimal, dt.date]]] = {c: [] for c in CANDIDATES}
            self.declared: dict[str, int | None] = {c: None for c in CANDIDATES}  # latest year
            self.opinion: dict[str, str | None] = {c: None for c in CANDIDATES}

        def _attempt(self, who: str, call, allowed: bool, writes: int) -> bool:
            before = Entry.objects.count()
            try:
                with transaction.atomic():
                    call()
            except DomainError:
                assert not allowed, f"{who} was refused"
                assert Entry.objects.count() == before, "a refused action wrote to the ledger"
                return False
            assert allowed, f"{who} was allowed"
            assert Entry.objects.count() - before == writes
            return True

        def _disqualified(self, whom: str) -> bool:
            return len(self.scores[whom]) == 2 and all(s < PASS_MARK for s, _d in self.scores[whom])

        @rule(who=st.sampled_from(PERSONAS), whom=st.sampled_from(CANDIDATES), salary=st.integers(0, 400_000))
        def declare(self, who, whom, salary):
            year = clock.today().year
            ok = self._attempt(
                who,
                lambda: services.file_declaration(
                    by=getattr(w, who), person=getattr(w, whom), year=year, items=clean_items(salary=salary)
                ),
                allowed=who == whom,
                writes=1,
            )
            if ok:
                self.declared[whom] = max(year, self.declared[whom] or 0)

        @rule(
            who=st.sampled_from(PERSONAS),
            whom=st.sampled_from(CANDIDATES),
            score=st.sampled_from(("45", "59.5", "60", "88")),
        )
        def exam(self, who, whom, score):
            sittings = self.scores[whom]
            passed = any(s >= PASS_MARK for s, _d in sittings)
            left = not passed and len(sittings) < 2
            allowed = who == COMMISSION and left
            failing_make_up = len(sittings) == 1 and Decimal(score) < PASS_MARK
            ok = self._attempt(
                who,
                lambda: services.record_exam(
                    by=getattr(w, who), person=getattr(w, whom), score=Decimal(score), sat_on=clock.today()
                ),
                allowed=allowed,
                writes=2 if failing_make_up else 1,  # the result, and 取消任职资格 after a failed make-up
            )
            if ok:
                sittings.append((Decimal(score), clock.today()))

        @rule(
            who=st.sampled_from(PERSONAS),
            whom=st.sampled_from(CANDIDATES),
            status=st.sampled_from(("pending", "no_objection", "objection")),
        )
        def opinion(self, who, whom, status):
            ok = self._attempt(
                who,
                lambda: services.issue_opinion(
                    by=getattr(w, who), person=getattr(w, whom), status=status, reasons="依据廉政档案"
                ),
                allowed=who == COMMISSION,
                writes=1,
            )
            if ok:
                self.opinion[whom] = status

        @rule(who=st.sampled_from(PERSONAS), whom=st.sampled_from(CANDIDATES))
        def read(self, who, whom):
            person = getattr(w, whom)
            latest = selectors.latest_declaration(person)
            if latest is None:
                return
            allowed = who in (whom, COMMISSION)

            def open_it():
                found = selectors.get_declaration_for(getattr(w, who), person, latest.pk)
                services.read_declaration(by=getattr(w, who), declaration=found)

            if self._attempt(who, open_it, allowed=allowed, writes=1):
                self.reads += 1

        @rule(days=st.sampled_from((1, 30, 200, 400, 800)))
        def time_passes(self, days):
            self.advance(dt.timedelta(days=days))

        @invariant()
        def every_read_is_logged_once(self):
            logged = Entry.objects.filter(event_type="checkup.declaration_read").count() - self.before_reads
            assert logged == self.reads

        @invariant()
        def one_make_up_at_most_and_disqualification_sticks(self):
            for whom in CANDIDATES:
                person = getattr(w, whom)
                assert ExamSitting.objects.filter(person=person).count() == len(self.scores[whom]) <= 2
                status = selectors.integrity_of(person)["exam"]["status"]
                assert (status == "disqualified") == self._disqualified(whom)

        @invariant()
        def prerequisites_match_the_model(self):
            today = clock.today()
            for whom in CANDIDATES:
                passes = [d for s, d in self.scores[whom] if s >= PASS_MARK]
                exam_ok = bool(passes) and passes[-1] + dt.timedelta(days=VALID_DAYS) >= today
                declared_ok = self.declared[whom] is not None and self.declared[whom] >= today.year - 1
                opinion_ok = self.opinion[whom] == "no_objection"
                unmet = selectors.prerequisites(getattr(w, whom))
                assert (unmet == []) == (exam_ok and declared_ok and opinion_ok), (whom, unmet)
                assert len(unmet) == (not exam_ok) + (not declared_ok) + (not opinion_ok)

    return Checkup


@pytest.mark.django_db(transaction=False)
def test_no_sequence_of_actions_breaks_the_checkup_rules(world):
    run(_machine(world), examples=30, steps=25)
