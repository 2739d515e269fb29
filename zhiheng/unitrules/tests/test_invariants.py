"""R-PIL-2 over random sequences of legitimate calls by every persona (hypothesis stateful): recording rules,
revising them with meetings of any date (earlier, the same, later), of another unit or not sealed, with no
meeting at all, repealing, trying again after a repeal, and editing an old version in place. Whatever the
order, a unit's rules keep their invariants:

- versions are numbered 1..n without gaps, each adopted strictly after the one before; the rule's own
  fields are the latest version's;
- every version cites a sealed meeting of the rule's unit and a passed item of it, on the meeting's date —
  or none, adopted before the unit joined the system; a repeal cites one, after the version in force;
- a repealed rule takes no new version; a code is never reused;
- only the principal and the deputies record; no version row ever changes, and the ledger holds each
  version's digest (one entry per version, one per repeal)."""

from __future__ import annotations

import contextlib
import datetime as dt
import itertools

import pytest
from hypothesis import strategies as st
from hypothesis.stateful import initialize, invariant, rule

from zhiheng.core import clock
from zhiheng.core.errors import DomainError
from zhiheng.core.tests.stateful import FrozenAndRolledBack, run
from zhiheng.ledger.models import Entry
from zhiheng.meetings.tally import PASSED
from zhiheng.unitrules import selectors, services
from zhiheng.unitrules.models import Rule, RuleVersion

from .conftest import DAY, JOINED, passed_item, payload

pytestmark = pytest.mark.django_db(transaction=False)

# the writers weigh more: a sequence of refusals proves less than one of accepted calls
PERSONAS = ("principal", "deputy", "deputy2", "principal", "deputy", "inspector", "staff", "admin")
CODES = ("R-1", "R-2", "R-3")
LEGACY_DATES = (dt.date(2011, 5, 1), dt.date(2012, 3, 1), dt.date(2025, 12, 31), dt.date(2026, 1, 1))
BODIES = ("第一条 甲。", "第一条 甲。\n第二条 乙。", "第一条 丙。\n第二条 乙。", "第一条 丁。")


def test_rules_keep_their_invariants_under_any_sequence(uw):
    items = [passed_item(uw, dt.date(2026, 2, d), f"审议{d}") for d in (3, 10, 17, 24)]
    items.append(passed_item(uw, dt.date(2026, 2, 12), unit=uw.other_unit))  # another unit's
    items.append(passed_item(uw, dt.date(2026, 2, 14), seal=False))  # not sealed

    class Machine(FrozenAndRolledBack):
        begins_at = clock.at(DAY, 12)

        def __init__(self) -> None:
            super().__init__()
            self.snapshot: dict[int, tuple] = {}  # each version as first seen in this run

        @initialize()
        def a_rule_from_before_the_system(self) -> None:
            services.create_rule(
                by=uw.principal,
                unit=uw.unit,
                code="R-1",
                title="制度R-1",
                body=BODIES[0],
                powers=[uw.power["finance"]],
                adopted=LEGACY_DATES[1],
            )

        def _adoption(self, which: int) -> dict:
            if which < len(items):
                return {"meeting": items[which].meeting, "item": items[which]}
            return {"meeting": None, "item": None, "adopted": LEGACY_DATES[which - len(items)]}

        def _try(self, call, **kw) -> None:
            with contextlib.suppress(DomainError):
                call(**kw)

        @rule(
            who=st.sampled_from(PERSONAS),
            code=st.sampled_from(CODES),
            which=st.integers(0, len(items) + len(LEGACY_DATES) - 1),
            body=st.sampled_from(BODIES),
        )
        def create(self, who, code, which, body) -> None:
            self._try(
                services.create_rule,
                by=getattr(uw, who),
                unit=uw.unit,
                code=code,
                title=f"制度{code}",
                body=body,
                powers=[uw.power["finance"]],
                **self._adoption(which),
            )

        @rule(
            who=st.sampled_from(PERSONAS),
            code=st.sampled_from(CODES),
            which=st.integers(0, len(items) + len(LEGACY_DATES) - 1),
            body=st.sampled_from(BODIES),
        )
        def revise(self, who, code, which, body) -> None:
            found = Rule.objects.filter(unit=uw.unit, code=code).first()
            if found is not None:
                self._try(
                    services.revise_rule, by=getattr(uw, who), rule=found, body=body, **self._adoption(which)
                )

        @rule(
            who=st.sampled_from(PERSONAS), code=st.sampled_from(CODES), which=st.integers(0, len(items) - 1)
        )
        def repeal(self, who, code, which) -> None:
            found = Rule.objects.filter(unit=uw.unit, code=code).first()
            if found is not None:
                self._try(
                    services.repeal_rule,
                    by=getattr(uw, who),
                    rule=found,
                    meeting=items[which].meeting,
                    item=items[which],
                    reason="不再适用",
                )

        @rule(code=st.sampled_from(CODES))
        def edit_in_place(self, code) -> None:
            version = RuleVersion.objects.filter(rule__code=code).order_by("number").first()
            if version is not None:
                version.body = "悄悄改过"
                with pytest.raises(ValueError):
                    version.save()

        @invariant()
        def versions_are_a_chain_of_sealed_decisions(self) -> None:
            joined = selectors.onboarded_on(uw.unit)
            assert joined == JOINED
            for r in Rule.objects.filter(unit=uw.unit):
                versions = list(r.versions.select_related("meeting", "item").order_by("number"))
                assert [v.number for v in versions] == list(range(1, len(versions) + 1))
                last = versions[-1]
                assert (r.version, r.title, r.adopted) == (last.number, last.title, last.adopted)
                dates = [v.adopted for v in versions]
                assert all(a < b for a, b in itertools.pairwise(dates))
                for v in versions:
                    if v.meeting is None:
                        assert v.adopted < joined
                    else:
                        assert v.meeting.unit_id == r.unit_id and v.meeting.is_sealed
                        assert v.item.meeting_id == v.meeting_id and v.item.decision == PASSED
                        assert v.adopted == v.meeting.date
                if r.status == "repealed":
                    assert r.repealed_on is not None and r.repealed_on > last.adopted
                    assert r.repeal_meeting.is_sealed and r.repeal_meeting.unit_id == r.unit_id
                entries = [payload(e) for e in Entry.objects.filter(subject=r.subject).order_by("index")]
                recorded = [e for e in entries if "content" in e]
                assert [e["content"] for e in recorded] == [v.digest for v in versions]
                assert len(entries) == len(versions) + (r.status == "repealed")

        @invariant()
        def no_version_changes_and_only_the_team_records(self) -> None:
            for v in RuleVersion.objects.select_related("recorded_by"):
                row = (v.rule_id, v.number, v.title, v.body, v.adopted, v.meeting_id, v.digest)
                assert self.snapshot.setdefault(v.pk, row) == row
                assert v.recorded_by.username in {
                    uw.principal.username,
                    uw.deputy.username,
                    uw.deputy2.username,
                }

    run(Machine, examples=15, steps=12)
