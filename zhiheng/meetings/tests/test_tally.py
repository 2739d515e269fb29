"""The pure tally (R-MTG-2/3/6/8/9): examples, then properties with hypothesis. No database."""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from zhiheng.meetings import tally
from zhiheng.meetings.tally import (
    AGREE,
    DEFER,
    DEFERRED,
    DISAGREE,
    NO_QUORUM,
    PASSED,
    REJECTED,
    ItemFacts,
    Rules,
    Threshold,
    Vote,
    decide,
    speaking_order_violation,
)

TEAM = frozenset({"p", "d1", "d2", "d3", "d4"})


def facts(present=TEAM, votes=(), **kw):
    return ItemFacts(team=TEAM, present=frozenset(present), votes=tuple(votes), **kw)


def votes(**positions):
    return [Vote(m, p) for m, p in positions.items()]


# -- examples -------------------------------------------------------------------------------------


def test_quorum_is_more_than_half_of_the_team():
    assert tally.quorum_met(facts(present={"p", "d1", "d2"}))
    assert not tally.quorum_met(
        ItemFacts(team=frozenset("abcd"), present=frozenset("ab"))
    )  # 2 of 4: not more


def test_personnel_quorum_is_two_thirds():
    assert not tally.quorum_met(facts(present={"p", "d1", "d2"}, personnel=True))  # 3/5 < 2/3
    assert tally.quorum_met(facts(present={"p", "d1", "d2", "d3"}, personnel=True))
    six = ItemFacts(team=frozenset("abcdef"), present=frozenset("abcd"), personnel=True)
    assert tally.quorum_met(six)  # exactly two thirds is enough ("at least")


def test_quorum_is_configurable():
    strict_rules = Rules(quorum=Threshold(Fraction(3, 4), strict=False))
    assert not tally.quorum_met(facts(present={"p", "d1", "d2"}), strict_rules)
    assert tally.quorum_met(facts(present={"p", "d1", "d2", "d3"}), strict_rules)


def test_without_quorum_no_decision_whatever_the_votes():
    out = decide(facts(present={"p", "d1"}, votes=votes(p=AGREE, d1=AGREE)))
    assert out.decision == NO_QUORUM and out.reason == "R-MTG-2"


def test_general_item_passes_with_more_than_half_of_those_present():
    out = decide(
        facts(present={"p", "d1", "d2", "d3"}, votes=votes(p=AGREE, d1=AGREE, d2=AGREE, d3=DISAGREE))
    )
    assert (out.decision, out.agree, out.disagree, out.defer) == (PASSED, 3, 1, 0)
    half = decide(
        facts(present={"p", "d1", "d2", "d3"}, votes=votes(p=AGREE, d1=AGREE, d2=DISAGREE, d3=DISAGREE))
    )
    assert half.decision == REJECTED


def test_silence_is_not_consent():
    out = decide(facts(present={"p", "d1", "d2", "d3"}, votes=votes(d1=AGREE, d2=AGREE)))
    assert out.decision == REJECTED  # 2 of 4 present is not more than half


def test_more_defer_than_agree_defers():
    out = decide(facts(votes=votes(p=DEFER, d1=DEFER, d2=AGREE, d3=DISAGREE, d4=DISAGREE)))
    assert out.decision == DEFERRED
    tie = decide(facts(votes=votes(p=DEFER, d1=AGREE, d2=DISAGREE, d3=DISAGREE, d4=DISAGREE)))
    assert tie.decision == REJECTED


def test_personnel_majority_is_of_all_team_members():
    # 4 of 5 present (quorum met), 3 agree: more than half of those present AND of the whole team
    out = decide(
        facts(present={"p", "d1", "d2", "d3"}, votes=votes(p=AGREE, d1=AGREE, d2=AGREE), personnel=True)
    )
    assert out.decision == PASSED
    six = frozenset("abcdef")
    # 5 of 6 present, 3 agree: more than half of those present (3/5) but not of the team (3/6)
    out = decide(
        ItemFacts(
            team=six,
            present=frozenset("abcde"),
            votes=tuple(votes(a=AGREE, b=AGREE, c=AGREE)),
            personnel=True,
        )
    )
    assert out.decision == REJECTED and out.base == 6
    general = decide(
        ItemFacts(team=six, present=frozenset("abcde"), votes=tuple(votes(a=AGREE, b=AGREE, c=AGREE)))
    )
    assert general.decision == PASSED and general.base == 5


@pytest.mark.parametrize(
    ("candidates", "named", "decision", "winner", "per_candidate"),
    [
        pytest.param(
            ("男候选人", "女候选人"),
            {"p": "女候选人", "d1": "女候选人", "d2": "女候选人", "d3": "男候选人", "d4": "女候选人"},
            PASSED,
            "女候选人",
            {"男候选人": 1, "女候选人": 4},
            id="the-candidate-named-by-the-majority-wins",
        ),
        pytest.param(
            ("甲", "乙", "丙"),
            {"p": "甲", "d1": "甲", "d2": "乙", "d3": "乙", "d4": "丙"},
            DEFERRED,
            None,
            {"甲": 2, "乙": 2, "丙": 1},
            id="split-candidates-give-no-decision",
        ),
    ],
)
def test_everyone_agrees_naming_a_candidate(candidates, named, decision, winner, per_candidate):
    vs = [Vote(member, AGREE, candidate) for member, candidate in named.items()]
    out = decide(facts(votes=vs, personnel=True, candidates=candidates))
    assert (out.decision, out.winner, out.per_candidate) == (decision, winner, per_candidate)


def test_recused_member_counts_nowhere():
    # d1 is recused: eligible 4, present voters 3 → quorum; d1's vote ignored
    out = decide(
        facts(
            present={"p", "d1", "d2", "d3"},
            votes=votes(p=AGREE, d1=AGREE, d2=DISAGREE, d3=AGREE),
            recused=frozenset({"d1"}),
        )
    )
    assert (out.agree, out.eligible, out.voters, out.decision) == (2, 4, 3, PASSED)
    # without recusal d1 would not change the outcome here; with recusal of two the quorum fails
    out = decide(
        facts(present={"p", "d1", "d2"}, votes=votes(p=AGREE, d2=AGREE), recused=frozenset({"d1", "d2"}))
    )
    assert out.eligible == 3 and out.voters == 1 and out.decision == NO_QUORUM


def test_working_group_needs_the_inspector():
    out = decide(facts(votes=votes(p=AGREE, d1=AGREE, d2=AGREE), needs_inspector=True))
    assert out.decision == NO_QUORUM and out.reason == "R-MTG-8"
    out = decide(
        facts(votes=votes(p=AGREE, d1=AGREE, d2=AGREE), needs_inspector=True, inspector_present=True)
    )
    assert out.decision == PASSED


def test_outsider_and_duplicate_votes_are_ignored():
    out = decide(
        facts(present={"p", "d1", "d2"}, votes=[Vote("x", AGREE), Vote("d1", AGREE), Vote("d1", AGREE)])
    )
    assert out.agree == 1


def test_speaking_order():
    voters = {"p", "d1", "d2"}
    assert speaking_order_violation(
        speaker="d2", principal="p", presenter="d1", voters=voters, stated=[]
    ) == ("presenter-first")
    assert speaking_order_violation(speaker="p", principal="p", presenter="d1", voters=voters, stated=[]) == (
        "presenter-first"
    )
    assert (
        speaking_order_violation(speaker="d1", principal="p", presenter="d1", voters=voters, stated=[])
        is None
    )
    assert speaking_order_violation(
        speaker="p", principal="p", presenter="d1", voters=voters, stated=["d1"]
    ) == ("principal-last")
    assert (
        speaking_order_violation(
            speaker="p", principal="p", presenter="d1", voters=voters, stated=["d1", "d2"]
        )
        is None
    )
    # an absent or recused presenter does not block the others
    assert (
        speaking_order_violation(speaker="d2", principal="p", presenter="d9", voters=voters, stated=[])
        is None
    )


# -- properties -----------------------------------------------------------------------------------

members = st.sampled_from(["p", "d1", "d2", "d3", "d4", "d5", "d6"])
positions = st.sampled_from([AGREE, DISAGREE, DEFER])
BOOLEANS = st.booleans()


@st.composite
def item_facts(draw, personnel=BOOLEANS):
    team = frozenset(draw(st.sets(members, min_size=1)))
    present = frozenset(draw(st.sets(st.sampled_from(sorted(team)))))
    recused = frozenset(draw(st.sets(st.sampled_from(sorted(team)), max_size=2)))
    stated = draw(st.lists(st.sampled_from(sorted(team)), unique=True))
    vs = tuple(Vote(m, draw(positions)) for m in stated)
    return ItemFacts(team=team, present=present, votes=vs, recused=recused, personnel=draw(personnel))


@settings(max_examples=150, deadline=None)
@given(item_facts())
def test_property_decision_matches_the_rules(f):
    out = decide(f)
    eligible = f.team - f.recused
    voters = f.present & eligible
    quorum = 2 * len(voters) > len(eligible) if not f.personnel else 3 * len(voters) >= 2 * len(eligible)
    if not eligible or not quorum:  # nobody eligible: nothing can be decided
        assert out.decision == NO_QUORUM
        return
    base = len(eligible) if f.personnel else len(voters)
    if 2 * out.agree > base:
        assert out.decision == PASSED
    else:
        assert out.decision in (REJECTED, DEFERRED)
        assert (out.decision == DEFERRED) == (out.defer > out.agree)
    assert out.agree + out.disagree + out.defer <= len(voters)


@settings(max_examples=150, deadline=None)
@given(item_facts(), st.sampled_from(["p", "d1", "d2", "d3", "d4", "d5", "d6"]))
def test_property_a_recused_members_vote_never_matters(f, member):
    recused = f.recused | {member}
    f1 = ItemFacts(team=f.team, present=f.present, votes=f.votes, recused=recused, personnel=f.personnel)
    changed = tuple(
        Vote(v.member, AGREE if v.position != AGREE else DISAGREE) if v.member == member else v
        for v in f.votes
    )
    f2 = ItemFacts(team=f.team, present=f.present, votes=changed, recused=recused, personnel=f.personnel)
    assert decide(f1) == decide(f2)


@settings(max_examples=100, deadline=None)
@given(item_facts(personnel=st.just(False)))
def test_property_one_more_agree_never_turns_a_pass_into_a_failure(f):
    out = decide(f)
    if out.decision != PASSED:
        return
    voters = sorted((f.present & (f.team - f.recused)) - {v.member for v in f.votes})
    if voters:
        more = ItemFacts(
            team=f.team, present=f.present, votes=(*f.votes, Vote(voters[0], AGREE)), recused=f.recused
        )
        assert decide(more).decision == PASSED


@settings(max_examples=100, deadline=None)
@given(st.sets(members, min_size=2), st.data())
def test_property_principal_is_refused_while_any_other_voter_is_silent(voters, data):
    voters = set(voters) | {"p"}
    stated = set(data.draw(st.sets(st.sampled_from(sorted(voters - {"p"})))))
    refused = speaking_order_violation(
        speaker="p", principal="p", presenter=None, voters=voters, stated=stated
    )
    assert (refused is not None) == (stated != voters - {"p"})
