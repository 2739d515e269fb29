"""R-PIL-1 over random sequences (hypothesis stateful): two pilots of one district configured by the commission
(and attempted by a pilot unit's principal), units added and removed, phases set at any date, visits
recorded, rollouts tried at any date, time passing. After every step:
  1. each programme's phases are in the seed's order with strictly increasing dates;
  2. a phase once begun keeps its date for ever;
  3. once formal implementation has begun (or the rollout is decided) the pilot's units never change;
  4. a rollout comes after formal implementation, is decided once, and freezes the phases;
  5. a pilot is never empty nor the whole district, and no unit is in two running pilots;
  6. every visit happened (not after the day it was recorded, not before the pilot began), to its units;
  7. the principal never changes anything, and every change is one `pilots.*` ledger entry.
"""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import strategies as st
from hypothesis.stateful import invariant, rule

from zhiheng.core import clock
from zhiheng.core.errors import DomainError
from zhiheng.core.tests.stateful import FrozenAndRolledBack, run
from zhiheng.ledger.models import Entry
from zhiheng.org.models import Unit
from zhiheng.pilots import services, states
from zhiheng.pilots.models import Programme

from .conftest import DAY

pytestmark = pytest.mark.django_db

UNITS = ("t-unit", "t-other", "t-third")
OFFSETS = st.integers(-5, 40)


def _machine(w):
    second = services.create_programme(by=w.admin, district=w.district, name="第二批试点", units=[w.third])

    class Pilots(FrozenAndRolledBack):
        begins_at = clock.at(DAY, 10)

        def __init__(self) -> None:
            super().__init__()
            self.pks = [w.programme.pk, second.pk]
            self.begun: dict[tuple[int, str], dt.date] = {}
            self.fixed: dict[int, set[str]] = {}
            self.rolled: dict[int, tuple[dt.date, dict[str, dt.date]]] = {}
            self.entries = Entry.objects.filter(event_type__startswith="pilots.").count()
            self.changes = 0

        def _programme(self, pick: int) -> Programme:
            return Programme.objects.get(pk=self.pks[pick % 2])

        def _try(self, who: str, call, writes: bool = True) -> bool:
            """Call as `who`; a success is the commission's, and writes one entry unless it changed nothing."""
            try:
                call(getattr(w, who))
            except DomainError as refusal:
                assert refusal.rule in ("R-PIL-1", "validation"), refusal.rule
                return False
            assert who == "admin", f"{who} changed a pilot"
            self.changes += int(writes)
            return True

        @rule(days=st.sampled_from((1, 4, 15)))
        def time_passes(self, days):
            self.advance(dt.timedelta(days=days))

        @rule(
            who=st.sampled_from(("admin", "principal")), pick=st.integers(0, 1), unit=st.sampled_from(UNITS)
        )
        def add_unit(self, who, pick, unit):
            programme = self._programme(pick)
            already = programme.members.filter(unit__code=unit).exists()
            self._try(
                who,
                lambda by: services.add_unit(by=by, programme=programme, unit=Unit.objects.get(code=unit)),
                writes=not already,  # an idempotent add writes nothing
            )

        @rule(
            who=st.sampled_from(("admin", "principal")), pick=st.integers(0, 1), unit=st.sampled_from(UNITS)
        )
        def remove_unit(self, who, pick, unit):
            programme = self._programme(pick)
            self._try(
                who,
                lambda by: services.remove_unit(by=by, programme=programme, unit=Unit.objects.get(code=unit)),
            )

        @rule(
            who=st.sampled_from(("admin", "admin", "principal")),
            pick=st.integers(0, 1),
            name=st.sampled_from(states.ORDER),
            offset=OFFSETS,
        )
        def set_phase(self, who, pick, name, offset):
            programme = self._programme(pick)
            start = clock.today() + dt.timedelta(days=offset)
            unchanged = programme.phase_dates().get(name) == start  # the same date again writes nothing
            self._try(
                who,
                lambda by: services.set_phase(by=by, programme=programme, name=name, start=start),
                writes=not unchanged,
            )

        @rule(who=st.sampled_from(("admin", "principal")), pick=st.integers(0, 1), offset=OFFSETS)
        def roll_out(self, who, pick, offset):
            programme = self._programme(pick)
            on = clock.today() + dt.timedelta(days=offset)
            self._try(who, lambda by: services.roll_out(by=by, programme=programme, on=on))

        @rule(pick=st.integers(0, 1), offset=st.integers(-10, 3), unit=st.sampled_from(UNITS))
        def record_visit(self, pick, offset, unit):
            programme = self._programme(pick)
            on = clock.today() + dt.timedelta(days=offset)
            member = programme.members.filter(unit__code=unit).exists()
            recorded = self._try(
                "admin",
                lambda by: services.record_visit(
                    by=by,
                    programme=programme,
                    on=on,
                    units=[Unit.objects.get(code=unit)],
                    visitors="区纪委督查组",
                    findings="检查督导",
                ),
            )
            assert member or not recorded, f"a visit to {unit}, not in the pilot"  # 6

        @invariant()
        def the_rules_hold(self):
            today = clock.today()
            running: dict[str, int] = {}
            for programme in Programme.objects.filter(pk__in=self.pks):
                pk, phases = programme.pk, programme.phase_dates()
                members = set(programme.members.values_list("unit__code", flat=True))
                assert states.in_order(phases), phases  # 1
                for name, start in phases.items():  # 2
                    if start <= today:
                        assert self.begun.setdefault((pk, name), start) == start, (name, start)
                for (owner, name), start in self.begun.items():
                    if owner == pk:
                        assert phases.get(name) == start
                if pk in self.fixed:  # 3
                    assert members == self.fixed[pk]
                elif states.units_fixed(phases, programme.rolled_out_on is not None, today):
                    self.fixed[pk] = members
                if programme.rolled_out_on is not None:  # 4
                    assert states.rollout_follows(phases, programme.rolled_out_on)
                    on, frozen = self.rolled.setdefault(pk, (programme.rolled_out_on, phases))
                    assert (on, frozen) == (programme.rolled_out_on, phases)
                else:
                    assert pk not in self.rolled
                    for code in members:
                        assert code not in running, f"{code} in two running pilots"
                        running[code] = pk
                assert members and members != set(UNITS), members  # 5
                for visit in programme.visits.all():  # 6
                    assert visit.on <= clock.local_date(visit.recorded_at)
                    assert min(phases.values()) <= visit.on
            written = Entry.objects.filter(event_type__startswith="pilots.").count() - self.entries
            assert written == self.changes  # 7

    return Pilots


def test_no_sequence_bends_the_pilot_rules(pw):
    run(_machine(pw), examples=10, steps=20)
