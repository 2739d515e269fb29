"""The pure transition table (R-MAT-1) and the requirement calculation (R-MAT-3/4/5/7), without a DB."""

from decimal import Decimal

import pytest

from zhiheng.core.errors import Conflict
from zhiheng.matters import states
from zhiheng.matters.requirements import MatterRulesValues, requirements
from zhiheng.matters.states import MatterState as S


@pytest.mark.parametrize(
    ("state", "action", "target"),
    [
        (S.SUBMITTED, "approve", S.APPROVED),
        (S.JOINT_REVIEW, "approve", S.APPROVED),
        (S.SUBMITTED, "reject", S.REJECTED),
        (S.SUBMITTED, "refer", S.COLLECTIVE_REVIEW),
        (S.COLLECTIVE_REVIEW, "collective_pass", S.APPROVED),
        (S.VETOED, "collective_pass", S.APPROVED),
        (S.VETOED, "collective_defer", S.COLLECTIVE_REVIEW),
        (S.COLLECTIVE_REVIEW, "collective_reject", S.REJECTED),
        (S.APPROVED, "veto", S.VETOED),
        (S.AWAITING_COSIGN, "veto", S.VETOED),
        (S.APPROVED, "execute", S.EXECUTED),
        (S.SUBMITTED, "withdraw", S.WITHDRAWN),
        (S.VETOED, "withdraw", S.WITHDRAWN),
        (S.AWAITING_COSIGN, "cosign_complete", S.APPROVED),
    ],
)
def test_allowed_transitions(state, action, target):
    assert states.next_state(state, action) == target


@pytest.mark.parametrize(
    ("state", "action", "rule"),
    [
        (S.APPROVED, "approve", "R-MAT-1"),
        (S.EXECUTED, "veto", "R-MAT-6"),
        (S.REJECTED, "veto", "R-MAT-6"),
        (S.SUBMITTED, "collective_pass", "R-MAT-3"),
        (S.APPROVED, "collective_pass", "R-MAT-3"),
        (S.AWAITING_COSIGN, "execute", "R-MAT-1"),
        (S.APPROVED, "withdraw", "R-MAT-1"),
        (S.EXECUTED, "withdraw", "R-MAT-1"),
        (S.SUBMITTED, "cosign", "R-MAT-4"),
        (S.VETOED, "approve", "R-MAT-1"),
    ],
)
def test_refused_transitions(state, action, rule):
    with pytest.raises(Conflict) as exc:
        states.next_state(state, action)
    assert exc.value.rule == rule


def test_approval_with_missing_cosigns_awaits_them():
    assert states.next_state(S.SUBMITTED, "approve", cosign_pending=True) == S.AWAITING_COSIGN
    assert states.next_state(S.COLLECTIVE_REVIEW, "collective_pass", cosign_pending=True) == S.AWAITING_COSIGN


def test_closed_states_accept_nothing():
    for state in states.CLOSED:
        assert not any(states.can(state, action) for action in states.TRANSITIONS)


def test_veto_never_leads_to_approval():
    assert states.TRANSITIONS["veto"][1] == S.VETOED


def req(kind, amount, *, major=False, line=True, remaining="1000000000", **rules):
    return requirements(
        kind=kind,
        amount=Decimal(amount),
        major=major,
        has_line=line,
        line_remaining=Decimal(remaining) if line else None,
        rules=MatterRulesValues(**rules),
    )


@pytest.mark.parametrize(
    ("kind", "amount", "collective"),
    [
        ("expenditure", "49999.99", False),
        ("expenditure", "50000.00", True),  # "reaches" means >=
        ("purchase", "50000.00", True),
        ("construction_contract", "99999.99", False),
        ("construction_contract", "100000.00", True),
        ("design_change", "100000.00", True),
        ("admin_approval", "900000.00", False),
        ("personnel_appointment", "0", True),
    ],
)
def test_collective_thresholds(kind, amount, collective):
    assert req(kind, amount).collective is collective


def test_major_no_line_and_over_line_require_collective():
    assert req("general", "0", major=True).reasons == ("major",)
    assert req("expenditure", "100", line=False).reasons == ("no_budget_line",)
    assert req("expenditure", "100", remaining="99.99").reasons == ("over_budget_line",)


def test_cosign_and_joint_review_defaults():
    assert req("purchase", "199999.99").cosign_roles == ()
    assert req("purchase", "200000.00").cosign_roles == ("deputy", "finance_deputy", "inspector")
    assert req("construction_contract", "5000000").cosign_roles == ()
    assert req("penalty", "10000.00").joint_review is False  # "above" ¥10,000
    assert req("penalty", "10000.01").joint_review is True
    assert req("licence_revocation", "0").joint_review is True


def test_configured_thresholds_apply():
    assert req("expenditure", "30000", collective_threshold=Decimal("30000")).collective is True
    assert req("expenditure", "60000", collective_threshold=Decimal("80000")).collective is False
