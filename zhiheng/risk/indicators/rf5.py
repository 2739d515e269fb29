"""RF5 meeting irregularity: a collective-review matter decided outside a meeting, an item decided without
quorum, a sealed record that fails verification (R-MAT-3, R-MTG-2, R-MTG-7).

Source of the idea: the OCP red-flags guide (2016) flags decisions "not following the required approval
procedure" and "missing or altered records of the evaluation committee"; Prozorro's indicators check that
decisions required of a tender committee carry its protocol. The quorum test is R-MTG-2's own rule.

The engine refuses all three in normal operation; RF5 catches any record that reached the database or the
ledger around it (a script, an import, a restored backup, a hand edit).
"""

from __future__ import annotations

from collections.abc import Iterable
from fractions import Fraction

from .common import DECIDED_STATES, HIGH, Finding, ItemFact, MatterFact, MeetingSealFact

RULE = "RF5"
DECIDING = frozenset({"passed", "rejected"})


def outside_meeting(matters: Iterable[MatterFact], sealed_decisions: set[str]) -> list[Finding]:
    """A matter that needed collective review (R-MAT-3) and was decided, without a sealed meeting item
    that decided it (`sealed_decisions`: the "meeting:<m>/item:<i>" refs of passed or rejected items of
    sealed meetings)."""
    return [
        decided_outside(m)
        for m in matters
        if m.requires_collective and m.state in DECIDED_STATES and m.decision_ref not in sealed_decisions
    ]


def decided_outside(m: MatterFact) -> Finding:
    """The finding of one matter decided outside a meeting (also built by the columnar scan)."""
    return Finding(
        rule=RULE,
        unit=m.unit,
        key=f"matter:{m.id}",
        subject=f"matter:{m.id}",
        level=HIGH,
        explanation=(
            f"须集体会审的事项“{m.title}”已作出决定，但没有已封存会议的议题决定它"
            f"（决定来源：{m.decision_ref or m.decided_by or '无'}；R-MAT-3）。"
        ),
        records=(m.record(decision_ref=m.decision_ref, decided_by=m.decided_by),),
    )


def quorum_met(item: ItemFact) -> bool:
    numerator, denominator, strict = item.quorum
    if item.eligible <= 0:
        return False
    share, needed = Fraction(item.present, item.eligible), Fraction(numerator, denominator)
    return share > needed if strict else share >= needed


def without_quorum(items: Iterable[ItemFact]) -> list[Finding]:
    """A sealed item decided (passed or rejected) although fewer members were present than R-MTG-2 asks."""
    return [
        Finding(
            rule=RULE,
            unit=i.unit,
            key=f"item:{i.item}",
            subject=f"meeting:{i.meeting}",
            level=HIGH,
            explanation=(
                f"议题“{i.title}”在不足法定人数时作出决定：到会 {i.present} 人 / 应到 {i.eligible} 人"
                f"（要求{'超过' if i.quorum[2] else '不少于'} {i.quorum[0]}/{i.quorum[1]}；R-MTG-2）。"
            ),
            records=({"meeting": i.meeting, "item": i.item, "decision": i.decision},),
        )
        for i in items
        if i.decision in DECIDING and not quorum_met(i)
    ]


def failed_verification(seals: Iterable[MeetingSealFact]) -> list[Finding]:
    """A sealed meeting whose minutes, re-derived from the rows, differ from what the ledger sealed."""
    return [
        Finding(
            rule=RULE,
            unit=s.unit,
            key=f"sealed:{s.meeting}",
            subject=f"meeting:{s.meeting}",
            level=HIGH,
            explanation=f"会议“{s.title}”的封存纪要核验不通过（R-MTG-7）：{'；'.join(s.problems)}",
            records=({"meeting": s.meeting, "problems": list(s.problems)},),
        )
        for s in seals
        if s.problems
    ]
