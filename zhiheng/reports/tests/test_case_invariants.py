"""Report cases over random sequences (hypothesis stateful): reports filed about the unit or its neighbour,
naming nobody, the principal, a deputy or one of the commission's own admins; cases opened, joined, handed to
handlers, their deadline moved and closed, by every persona, with the clock moving in days. After every step:

  1. only a commission admin of the district who is concerned by none of the case's reports acts on a case,
     exactly when the model below allows it — and a refused action writes nothing (R-SUP-3);
  2. no handler of a case is concerned by any of its reports: a report naming a handler cannot be slipped
     into their case, and a concerned person cannot be named afterwards;
  3. a report is in one case at most, and its status follows its case (in a case while open, closed with it);
  4. a closed case never changes again — outcome, handlers, reports and deadline stay as they were;
  5. a deadline is never set in the past: it never falls before the day the case was opened.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from hypothesis import strategies as st
from hypothesis.stateful import invariant, precondition, rule

from zhiheng.core import clock
from zhiheng.core.errors import DomainError
from zhiheng.core.tests.stateful import FrozenAndRolledBack, run
from zhiheng.ledger.models import Entry
from zhiheng.org.tests.factories import DistrictRoleFactory, PersonFactory
from zhiheng.reports import rules, services
from zhiheng.reports.models import Case, Report
from zhiheng.reports.states import CaseStatus, Outcome, ReportStatus

TERM_START = dt.date(2012, 1, 1)
PERSONAS = ("admin", "admin2", "principal", "deputy", "inspector", "other_admin", "outsider")
ADMINS = {"admin", "admin2"}  # the commission admins of the district; other_admin is of another district
NAMED = (None, "principal", "deputy", "admin2")  # whom a report names
UNIT_ROLES = {"principal", "deputy", "inspector"}  # each holds a role in `unit` (not in `other_unit`)
OUTCOMES = (*Outcome.values, "bogus")
# Draws lean towards what can succeed (the district's admins acting, the newest reports, which are likely
# still free), so that the allowed paths are walked as often as the refused ones.
actors = st.one_of(st.sampled_from(("admin", "admin2")), st.sampled_from(PERSONAS))
handler_lists = st.lists(
    st.sampled_from(("admin", "admin2", "admin2", "deputy", "other_admin")), max_size=2, unique=True
)
newest = st.lists(st.integers(1, 4), min_size=0, max_size=3)  # counted from the newest report


def _machine(w):
    w.admin2 = PersonFactory(username="t-admin2", name="第二位管理员")
    DistrictRoleFactory(person=w.admin2, district=w.district, role="commission_admin", start=TERM_START)

    class Cases(FrozenAndRolledBack):
        begins_at = clock.at(dt.date(2026, 3, 2), 9)

        def __init__(self) -> None:
            super().__init__()
            self.reports: list[tuple[int, str, str | None]] = []  # (pk, unit: "unit"/"other", named persona)
            self.cases: list[int] = []
            self.frozen: dict[int, tuple] = {}  # closed case pk → what it was when closed

        # -- the model ------------------------------------------------------------------------------------

        def concerned(self, who: str, report: int) -> bool:
            _pk, unit, named = next(r for r in self.reports if r[0] == report)
            return named == who or (unit == "unit" and who in UNIT_ROLES)

        def free(self, report: int) -> bool:
            return Report.objects.get(pk=report).case_id is None

        def case_reports(self, case: int) -> list[int]:
            return list(Report.objects.filter(case_id=case).values_list("pk", flat=True))

        def handles(self, who: str, case: int) -> bool:
            return who in ADMINS and not any(self.concerned(who, r) for r in self.case_reports(case))

        def is_open(self, case: int) -> bool:
            return Case.objects.get(pk=case).status == CaseStatus.OPEN

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
            assert Entry.objects.count() > before, "an action left no ledger entry"
            return result

        def _people(self, names) -> list:
            return [getattr(w, n) for n in names]

        # -- the rules ------------------------------------------------------------------------------------

        @rule(unit=st.sampled_from(("unit", "other")), named=st.sampled_from(NAMED))
        def file_report(self, unit, named):
            target = w.unit if unit == "unit" else w.other_unit
            receipt = services.receive(
                by=None,
                channel="web",
                subject="反映问题",
                body="内容",
                unit=target.code,
                person=getattr(w, named).username if named else None,
            )
            self.reports.append((receipt.report.pk, unit, named))

        @rule(days=st.integers(1, 40))
        def time_passes(self, days):
            self.advance(dt.timedelta(days=days))

        @precondition(lambda self: self.reports)
        @rule(
            who=actors,
            picks=newest,
            handlers=handler_lists,
            days=st.one_of(st.none(), st.integers(-2, 90)),
        )
        def open_case(self, who, picks, handlers, days):
            chosen = sorted({self.reports[-i % len(self.reports)][0] for i in picks})
            deadline = None if days is None else clock.today() + dt.timedelta(days=days)
            named = handlers or [who]
            allowed = (
                bool(chosen)
                and who in ADMINS
                and all(self.free(r) and not self.concerned(who, r) for r in chosen)
                and (deadline is None or deadline >= clock.today())
                and all(h in ADMINS and not any(self.concerned(h, r) for r in chosen) for h in named)
            )
            case = self._attempt(
                lambda: services.open_case(
                    by=getattr(w, who),
                    reports=list(Report.objects.filter(pk__in=chosen)),
                    handlers=self._people(handlers),
                    deadline=deadline,
                ),
                allowed,
            )
            if case is not None:
                self.cases.append(case.pk)

        @precondition(lambda self: self.cases and self.reports)
        @rule(
            who=actors,
            which=st.integers(1, 3),
            picks=newest.filter(bool),
        )
        def join_case(self, who, which, picks):
            case = self.cases[-which % len(self.cases)]  # counted from the newest case
            chosen = sorted({self.reports[-i % len(self.reports)][0] for i in picks})
            handlers = Case.objects.get(pk=case).handlers.values_list("username", flat=True)
            named = [p for p in PERSONAS if getattr(w, p).username in set(handlers)]
            allowed = (
                self.is_open(case)
                and self.handles(who, case)
                and all(self.free(r) and not self.concerned(who, r) for r in chosen)
                and all(not self.concerned(h, r) for h in named for r in chosen)
            )
            self._attempt(
                lambda: services.join_case(
                    by=getattr(w, who),
                    case=Case.objects.get(pk=case),
                    reports=list(Report.objects.filter(pk__in=chosen)),
                ),
                allowed,
            )

        @precondition(lambda self: self.cases)
        @rule(
            who=actors,
            which=st.integers(1, 3),
            handlers=handler_lists,
        )
        def assign_handlers(self, who, which, handlers):
            case = self.cases[-which % len(self.cases)]  # counted from the newest case
            allowed = (
                self.is_open(case)
                and self.handles(who, case)
                and bool(handlers)
                and all(self.handles(h, case) for h in handlers)
            )
            self._attempt(
                lambda: services.assign_handlers(
                    by=getattr(w, who), case=Case.objects.get(pk=case), handlers=self._people(handlers)
                ),
                allowed,
            )

        @precondition(lambda self: self.cases)
        @rule(
            who=actors,
            which=st.integers(1, 3),
            days=st.integers(-5, 60),
            reason=st.sampled_from(("", "  ", "需补充调查", "需补充调查")),
        )
        def set_deadline(self, who, which, days, reason):
            case = self.cases[-which % len(self.cases)]  # counted from the newest case
            deadline = clock.today() + dt.timedelta(days=days)
            allowed = self.is_open(case) and self.handles(who, case) and bool(reason.strip()) and days >= 0
            self._attempt(
                lambda: services.set_deadline(
                    by=getattr(w, who), case=Case.objects.get(pk=case), deadline=deadline, reason=reason
                ),
                allowed,
            )

        @precondition(lambda self: self.cases)
        @rule(
            who=actors,
            which=st.integers(1, 3),
            outcome=st.sampled_from(OUTCOMES),
            reason=st.sampled_from(("", "查无实据", "查无实据")),
        )
        def close_case(self, who, which, outcome, reason):
            case = self.cases[-which % len(self.cases)]  # counted from the newest case
            allowed = self.is_open(case) and self.handles(who, case) and outcome != "bogus" and bool(reason)
            closed = self._attempt(
                lambda: services.close_case(
                    by=getattr(w, who), case=Case.objects.get(pk=case), outcome=outcome, reason=reason
                ),
                allowed,
            )
            if closed is not None:
                self.frozen[case] = self.snapshot(case)

        def snapshot(self, case_pk: int) -> tuple:
            case = Case.objects.get(pk=case_pk)
            return (
                case.outcome,
                case.deadline,
                case.closed_at,
                frozenset(case.handlers.values_list("pk", flat=True)),
                frozenset(self.case_reports(case_pk)),
            )

        # -- the invariants -------------------------------------------------------------------------------

        @invariant()
        def no_handler_is_concerned_by_their_case(self):
            for case in Case.objects.prefetch_related("handlers"):
                reports = list(case.reports.select_related("unit", "person"))
                for handler in case.handlers.all():
                    assert not any(rules.is_concerned(handler, r) for r in reports), (case.pk, handler)

        @invariant()
        def a_report_follows_its_case(self):
            for report in Report.objects.select_related("case"):
                if report.case is None:
                    assert report.status == ReportStatus.RECEIVED, report.pk
                elif report.case.status == CaseStatus.CLOSED:
                    assert report.status == ReportStatus.CLOSED, report.pk
                else:
                    assert report.status == ReportStatus.IN_CASE, report.pk

        @invariant()
        def a_closed_case_never_changes(self):
            for pk, was in self.frozen.items():
                assert self.snapshot(pk) == was, pk

        @invariant()
        def no_deadline_before_the_case_opened(self):
            for case in Case.objects.all():
                assert case.deadline >= clock.local_date(case.opened_at), case.pk

    return Cases


def test_no_sequence_of_actions_gets_round_the_case_rules(world):
    run(_machine(world), examples=25, steps=30)
