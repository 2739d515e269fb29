"""R-SUP-2 over random sequences (hypothesis stateful): checks opened and closed by anyone, time passing,
and reads of the unit's matters and meetings by every persona. After every step:

  1. a read succeeds exactly when the reader has a right of their own (team, commission, submitter) or
     holds a valid grant — their own group's check, not closed, not expired;
  2. every read that only a grant allowed is in the read log once, with its `inspection.read` entry, and
     no other read is logged;
  3. only inspection members of the unit's district ever open a check, and a check's expiry never moves.
"""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import strategies as st
from hypothesis.stateful import invariant, rule

from zhiheng.core import clock
from zhiheng.core.errors import DomainError, NotFound
from zhiheng.core.tests.stateful import FrozenAndRolledBack, run
from zhiheng.inspections import services
from zhiheng.inspections.models import Inspection, Read
from zhiheng.ledger.models import Entry
from zhiheng.matters import selectors as matters
from zhiheng.meetings import selectors as meetings

GROUP = {"checker": 1, "checker_b": 1, "checker2": 2}  # far_checker serves in another district
PERSONAS = (*GROUP, "far_checker", "principal", "deputy", "inspector", "staff", "admin", "outsider")
# Who reads by a right of their own: the team and the commission see both; the staff member submitted the
# matters (R-MAT-8) but is not at the meeting.
OWN_RIGHT = {
    "matter": {"principal", "deputy", "inspector", "admin", "staff"},
    "meeting": {"principal", "deputy", "inspector", "admin"},
}


def _machine(w):
    class Checks(FrozenAndRolledBack):
        begins_at = clock.at(w.day)

        def __init__(self) -> None:
            super().__init__()
            self.checks: dict[int, tuple[int | None, dt.datetime]] = {}  # pk → (group, expiry)
            self.closed: set[int] = set()
            self.logged = 0
            self.entries_before = Entry.objects.filter(event_type="inspection.read").count()

        def _granted(self, who: str) -> bool:
            now = clock.now()
            return any(
                group == GROUP.get(who, -1) and pk not in self.closed and now < expiry
                for pk, (group, expiry) in self.checks.items()
            )

        @rule(who=st.sampled_from(PERSONAS), days=st.sampled_from((1, 3, 30)))
        def open_check(self, who, days):
            try:
                check = services.open_inspection(by=getattr(w, who), unit=w.unit, days=days)
            except DomainError:
                assert who not in GROUP, f"{who} was refused opening a check"
                return
            assert who in GROUP, f"{who} opened a check"
            self.checks[check.pk] = (check.group, check.expires_at)

        @rule(who=st.sampled_from(PERSONAS), pick=st.integers(0, 5))
        def close_check(self, who, pick):
            if not self.checks:
                return
            pk = sorted(self.checks)[pick % len(self.checks)]
            try:
                services.close_inspection(by=getattr(w, who), inspection=Inspection.objects.get(pk=pk))
            except DomainError:
                assert pk in self.closed or GROUP.get(who) != self.checks[pk][0]
                return
            assert GROUP.get(who) == self.checks[pk][0] and pk not in self.closed
            self.closed.add(pk)

        @rule(who=st.sampled_from(PERSONAS), kind=st.sampled_from(("matter", "meeting")), large=st.booleans())
        def read(self, who, kind, large):
            own, granted = who in OWN_RIGHT[kind], self._granted(who)
            person = getattr(w, who)
            try:
                if kind == "matter":
                    matters.get_matter_for(person, (w.large if large else w.small).pk)
                else:
                    meetings.get_meeting_for(person, w.meeting.pk)
            except NotFound:
                assert not (own or granted), f"{who} could not read the {kind}"
                return
            assert own or granted, f"{who} read the {kind} without a right"
            self.logged += not own

        @rule(days=st.sampled_from((1, 2, 29)))
        def time_passes(self, days):
            self.advance(dt.timedelta(days=days))

        @invariant()
        def every_grant_only_read_is_logged_once(self):
            assert Read.objects.count() == self.logged
            entries = Entry.objects.filter(event_type="inspection.read").count() - self.entries_before
            assert entries == self.logged
            assert set(Read.objects.values_list("person__username", flat=True)) <= {f"t-{g}" for g in GROUP}

        @invariant()
        def expiry_never_moves(self):
            for pk, (_group, expiry) in self.checks.items():
                assert Inspection.objects.get(pk=pk).expires_at == expiry

    return Checks


@pytest.mark.django_db(transaction=False)
def test_no_sequence_reads_around_a_grant(iw):
    run(_machine(iw), examples=15, steps=20)
