"""The matter state machine of SPEC R-MAT-1 as a pure transition table (no queries, no ORM).

draft → submitted → (joint_review | collective_review | awaiting_cosign) → approved | rejected | vetoed
→ executed | withdrawn. A transition is named by its *action*; `next_state` answers where an action
leads from a state, or refuses with the rule that makes the order wrong.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from zhiheng.core.errors import Conflict


class MatterState(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("已提交")
    JOINT_REVIEW = "joint_review", _("执法会审中")
    COLLECTIVE_REVIEW = "collective_review", _("待集体会审")
    AWAITING_COSIGN = "awaiting_cosign", _("待会签")
    APPROVED = "approved", _("已批准")
    REJECTED = "rejected", _("已否定")
    VETOED = "vetoed", _("已否决（待集体会审）")
    EXECUTED = "executed", _("已执行")
    WITHDRAWN = "withdrawn", _("已撤回")


S = MatterState

# States in which a budget reservation is held (R-MAT-5): reserve on entering, release on leaving.
RESERVING = frozenset({S.AWAITING_COSIGN, S.APPROVED, S.EXECUTED})
# Open = something still has to happen; closed states never change again.
CLOSED = frozenset({S.REJECTED, S.EXECUTED, S.WITHDRAWN})
# A meeting may put these on its agenda (R-MAT-3, R-MAT-6: a veto sends the matter to collective review).
AWAITING_COLLECTIVE = frozenset({S.COLLECTIVE_REVIEW, S.VETOED})
UNDECIDED = frozenset({S.SUBMITTED, S.JOINT_REVIEW})

# action → (states it may start from, the state it leads to). `approve` and `collective_pass` lead to
# APPROVED, or AWAITING_COSIGN when R-MAT-4 co-signatures are still missing (see next_state).
TRANSITIONS: dict[str, tuple[frozenset[str], str]] = {
    "submit": (frozenset({S.DRAFT}), S.SUBMITTED),
    "joint_opinion": (UNDECIDED, S.JOINT_REVIEW),
    "refer": (UNDECIDED, S.COLLECTIVE_REVIEW),
    "approve": (UNDECIDED, S.APPROVED),
    "reject": (UNDECIDED, S.REJECTED),
    "collective_pass": (AWAITING_COLLECTIVE, S.APPROVED),
    "collective_reject": (AWAITING_COLLECTIVE, S.REJECTED),
    "collective_defer": (AWAITING_COLLECTIVE, S.COLLECTIVE_REVIEW),
    "cosign": (frozenset({S.AWAITING_COSIGN}), S.AWAITING_COSIGN),
    "cosign_complete": (frozenset({S.AWAITING_COSIGN}), S.APPROVED),
    # R-MAT-6: before execution; a veto only stops.
    "veto": (
        frozenset({S.SUBMITTED, S.JOINT_REVIEW, S.COLLECTIVE_REVIEW, S.AWAITING_COSIGN, S.APPROVED}),
        S.VETOED,
    ),
    "execute": (frozenset({S.APPROVED}), S.EXECUTED),
    # Withdraw: the submitter, before a decision (a vetoed matter is undecided again).
    "withdraw": (
        frozenset({S.DRAFT, S.SUBMITTED, S.JOINT_REVIEW, S.COLLECTIVE_REVIEW, S.VETOED}),
        S.WITHDRAWN,
    ),
}

# The rule cited when an action comes out of order from a state.
_ORDER_RULE = {
    "approve": "R-MAT-1",
    "reject": "R-MAT-1",
    "collective_pass": "R-MAT-3",
    "collective_reject": "R-MAT-3",
    "collective_defer": "R-MAT-3",
    "refer": "R-MAT-3",
    "cosign": "R-MAT-4",
    "cosign_complete": "R-MAT-4",
    "veto": "R-MAT-6",
    "joint_opinion": "R-MAT-7",
}


def can(state: str, action: str) -> bool:
    sources, _target = TRANSITIONS[action]
    return state in sources


def next_state(state: str, action: str, *, cosign_pending: bool = False) -> str:
    """Where `action` leads from `state`; Conflict (409) if the action is out of order."""
    if action not in TRANSITIONS:
        raise ValueError(f"unknown matter action {action!r}")
    sources, target = TRANSITIONS[action]
    if state not in sources:
        raise Conflict(
            _ORDER_RULE.get(action, "R-MAT-1"),
            f"事项当前状态为“{MatterState(state).label}”，不能执行此操作",
            {"state": str(state), "action": action},
        )
    if target == S.APPROVED and cosign_pending and action in ("approve", "collective_pass"):
        return S.AWAITING_COSIGN
    return target
