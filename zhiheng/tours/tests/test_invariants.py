"""R-GATE-5 over random sequences (hypothesis stateful): every persona — the tour's team, the commission,
the toured principal and inspector, a deputy, another unit's principal, an inspection-group member off the
team, an outsider — opens, answers and closes rectifications with any closure date and any evidence,
advances the tour, reads it, while time passes. After every step:

  1. a closed rectification has evidence, a closure date between the unit's report and the day it was
     recorded (so never before its opening), and was closed by the tour's staff — never by the unit;
  2. only the toured unit's principal or inspector ever reported on a rectification;
  3. a done tour has no rectification left open;
  4. nobody of a toured unit ever read the tour (its opinions) — and the staff always could.
"""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import strategies as st
from hypothesis.stateful import invariant, rule

from zhiheng.core import clock
from zhiheng.core.errors import DomainError, NotFound
from zhiheng.core.tests.stateful import FrozenAndRolledBack, run
from zhiheng.ledger.models import Entry
from zhiheng.tours import selectors, services
from zhiheng.tours.models import Rectification, Tour

STAFF = {"admin", "group"}
ANSWERERS = {"principal", "inspector"}
PERSONAS = (*STAFF, "group2", *ANSWERERS, "deputy", "other_principal", "outsider")


def _machine(w):
    class Tours(FrozenAndRolledBack):
        begins_at = clock.at(w.day, 10)

        def __init__(self) -> None:
            super().__init__()
            self.closed_when: dict[int, dt.date] = {}  # pk → the day its closure was recorded

        def _tour(self) -> Tour:
            return Tour.objects.get(pk=w.tour.pk)

        def _item(self, pick: int) -> Rectification | None:
            items = list(Rectification.objects.filter(tour=w.tour).order_by("pk"))
            return items[pick % len(items)] if items else None

        @rule(who=st.sampled_from(PERSONAS), days=st.integers(0, 40), other=st.booleans())
        def open_rectification(self, who, days, other):
            unit = w.other_unit if other else w.unit
            deadline = clock.today() + dt.timedelta(days=days)
            try:
                services.open_rectification(
                    by=getattr(w, who), tour=self._tour(), unit=unit, title="问题", deadline=deadline
                )
            except DomainError:
                return
            assert who in STAFF, f"{who} opened a rectification"

        @rule(who=st.sampled_from(PERSONAS), pick=st.integers(0, 9))
        def answer(self, who, pick):
            item = self._item(pick)
            if item is None:
                return
            try:
                services.answer_rectification(by=getattr(w, who), item=item, response="已整改")
            except DomainError:
                return
            assert (item.target.unit == w.unit and who in ANSWERERS) or (
                item.target.unit == w.other_unit and who == "other_principal"
            ), who

        @rule(
            who=st.sampled_from(PERSONAS),
            pick=st.integers(0, 9),
            back=st.integers(-2, 12),
            evidence=st.sampled_from(("", "  ", "凭证")),
        )
        def close(self, who, pick, back, evidence):
            item = self._item(pick)
            if item is None:
                return
            try:
                services.close_rectification(
                    by=getattr(w, who),
                    item=item,
                    evidence=evidence,
                    closed_on=clock.today() - dt.timedelta(days=back),
                )
            except DomainError:
                return
            self.closed_when[item.pk] = clock.today()

        @rule(who=st.sampled_from(PERSONAS))
        def advance_tour(self, who):
            try:
                services.advance_step(by=getattr(w, who), tour=self._tour())
            except DomainError:
                return
            assert who in STAFF, f"{who} advanced the tour"

        @rule(who=st.sampled_from(PERSONAS))
        def read(self, who):
            try:
                selectors.get_tour_for(getattr(w, who), w.tour.pk)
            except NotFound:
                assert who not in STAFF, f"{who} could not read the tour"
                return
            assert who in STAFF, f"{who} read the tour and its opinions"

        @rule(days=st.sampled_from((1, 3, 10)))
        def time_passes(self, days):
            self.advance(dt.timedelta(days=days))

        @invariant()
        def closures_are_evidenced_dated_and_by_staff(self):
            for item in Rectification.objects.filter(tour=w.tour, state="accepted"):
                assert item.evidence.strip()
                assert item.opened_on <= item.answered_on <= item.closed_on <= self.closed_when[item.pk]
                assert item.closed_by.username in {w.admin.username, w.group.username}
            closers = set(
                Entry.objects.filter(event_type="tours.rectification_closed").values_list("actor", flat=True)
            )
            assert closers <= {w.admin.username, w.group.username}

        @invariant()
        def only_the_unit_reports(self):
            actors = set(
                Entry.objects.filter(event_type="tours.rectification_answered").values_list(
                    "actor", flat=True
                )
            )
            assert actors <= {w.principal.username, w.inspector.username, w.other_principal.username}

        @invariant()
        def done_means_all_closed(self):
            tour = self._tour()
            if tour.done_on is not None:
                assert not tour.rectifications.exclude(state="accepted").exists()

    return Tours


@pytest.mark.django_db(transaction=False)
def test_no_sequence_closes_a_rectification_wrongly_or_shows_the_unit_its_opinions(tw):
    run(_machine(tw), examples=15, steps=25)
