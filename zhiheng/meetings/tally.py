"""The pure tally of a collective decision (R-MTG-2, R-MTG-6, R-MTG-8, R-MTG-9). No ORM, no clock.

Given who is on the team, who is present, who is recused and how each member stated, `decide()`
computes the item's decision. Nobody types a decision in: services build an `ItemFacts` from the
database and store what this module returns. The exact function is documented in
docs/decisions/0006-meetings-tally.md; in short:

1. eligible = team − recused; voters = present ∩ eligible (recused members count nowhere, R-MTG-9).
2. quorum (R-MTG-2): general items need |voters| > 1/2 · |eligible|; personnel items
   |voters| ≥ 2/3 · |eligible| (both configurable as fractions). A working-group item also needs the
   unit inspector present (R-MTG-8). Otherwise → "no-quorum".
3. the base of the majority (R-MTG-6): |voters| for general items, |eligible| (all team members
   who may vote on it) for personnel items.
4. a yes/no item passes when agree · 2 > base; otherwise "deferred" when defer > agree, else "rejected".
5. a personnel item with several candidates: the candidate named by more than half of the base wins
   ("passed"); otherwise "rejected" if disagree · 2 > base, else "deferred" (no decision).
A member present who never stated counts as neither agree nor disagree: silence is not consent.
Blind statements change what members see during the meeting, never the tally.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from fractions import Fraction

AGREE, DISAGREE, DEFER = "agree", "disagree", "defer"
POSITIONS = (AGREE, DISAGREE, DEFER)

PASSED, REJECTED, DEFERRED, NO_QUORUM = "passed", "rejected", "deferred", "no-quorum"
DECISIONS = (PASSED, REJECTED, DEFERRED, NO_QUORUM)


@dataclass(frozen=True)
class Threshold:
    """A share of a whole: `strict` means "more than" (more than half), else "at least" (two thirds)."""

    share: Fraction
    strict: bool

    def met(self, count: int, whole: int) -> bool:
        if whole <= 0:
            return False
        ratio = Fraction(count, whole)
        return ratio > self.share if self.strict else ratio >= self.share


MORE_THAN_HALF = Threshold(Fraction(1, 2), strict=True)
TWO_THIRDS = Threshold(Fraction(2, 3), strict=False)


@dataclass(frozen=True)
class Rules:
    """A unit's (or district's) meeting rules, as values. Defaults are SPEC's."""

    quorum: Threshold = MORE_THAN_HALF
    personnel_quorum: Threshold = TWO_THIRDS


@dataclass(frozen=True)
class Vote:
    member: str
    position: str
    candidate: str | None = None


@dataclass(frozen=True)
class ItemFacts:
    team: frozenset[str]  # voting members (principal + deputies) holding a term on the meeting date
    present: frozenset[str]
    votes: tuple[Vote, ...] = ()
    recused: frozenset[str] = frozenset()
    personnel: bool = False
    candidates: tuple[str, ...] = ()
    needs_inspector: bool = False  # working-group items (R-MTG-8)
    inspector_present: bool = False


@dataclass(frozen=True)
class Outcome:
    decision: str
    agree: int
    disagree: int
    defer: int
    winner: str | None = None
    eligible: int = 0
    voters: int = 0
    base: int = 0
    reason: str = ""
    per_candidate: dict[str, int] = field(default_factory=dict)


def eligible(facts: ItemFacts) -> frozenset[str]:
    return facts.team - facts.recused


def voters(facts: ItemFacts) -> frozenset[str]:
    return facts.present & eligible(facts)


def quorum_met(facts: ItemFacts, rules: Rules = Rules()) -> bool:
    threshold = rules.personnel_quorum if facts.personnel else rules.quorum
    return threshold.met(len(voters(facts)), len(eligible(facts)))


def counted_votes(facts: ItemFacts) -> list[Vote]:
    """One vote per voter: statements of recused, absent or non-team people never count."""
    allowed = voters(facts)
    seen: set[str] = set()
    votes = []
    for vote in facts.votes:
        if vote.member in allowed and vote.member not in seen and vote.position in POSITIONS:
            seen.add(vote.member)
            votes.append(vote)
    return votes


def is_multi_candidate(facts: ItemFacts) -> bool:
    return facts.personnel and len(facts.candidates) >= 2


def decide(facts: ItemFacts, rules: Rules = Rules()) -> Outcome:
    votes = counted_votes(facts)
    tally = Counter(v.position for v in votes)
    agree, disagree, defer = tally[AGREE], tally[DISAGREE], tally[DEFER]
    n_eligible, n_voters = len(eligible(facts)), len(voters(facts))
    base = n_eligible if facts.personnel else n_voters

    def outcome(
        decision: str,
        *,
        winner: str | None = None,
        reason: str = "",
        per_candidate: dict[str, int] | None = None,
    ) -> Outcome:
        return Outcome(
            decision,
            agree,
            disagree,
            defer,
            winner=winner,
            eligible=n_eligible,
            voters=n_voters,
            base=base,
            reason=reason,
            per_candidate=per_candidate or {},
        )

    if facts.needs_inspector and not facts.inspector_present:
        return outcome(NO_QUORUM, reason="R-MTG-8")
    if not quorum_met(facts, rules):
        return outcome(NO_QUORUM, reason="R-MTG-2")

    if is_multi_candidate(facts):
        named = Counter(v.candidate for v in votes if v.position == AGREE and v.candidate in facts.candidates)
        per_candidate = {c: named[c] for c in facts.candidates}
        winners = [c for c in facts.candidates if MORE_THAN_HALF.met(named[c], base)]
        if winners:  # more than half of one base: at most one candidate can reach it
            return outcome(PASSED, winner=winners[0], per_candidate=per_candidate)
        decision = REJECTED if MORE_THAN_HALF.met(disagree, base) else DEFERRED
        return outcome(decision, per_candidate=per_candidate, reason="R-MTG-6")

    if MORE_THAN_HALF.met(agree, base):
        winner = facts.candidates[0] if facts.candidates else None
        return outcome(PASSED, winner=winner)
    if defer > agree:
        return outcome(DEFERRED, reason="R-MTG-6")
    return outcome(REJECTED, reason="R-MTG-6")


def speaking_order_violation(
    *,
    speaker: str,
    principal: str | None,
    presenter: str | None,
    voters: Iterable[str],
    stated: Iterable[str],
) -> str | None:
    """R-MTG-3 as a pure check: why `speaker` may not state now, or None if they may.

    `voters` are the present, non-recused voting members; `stated` those who already stated.
    The deputy in charge (if present and voting) states first; the principal states last.
    """
    voters, stated = set(voters), set(stated)
    if presenter and presenter in voters and presenter not in stated and speaker != presenter:
        return "presenter-first"
    if principal and speaker == principal:
        waiting = voters - stated - {principal}
        if waiting:
            return "principal-last"
    return None
