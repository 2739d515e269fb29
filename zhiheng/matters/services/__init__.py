"""Writes of the matters engine (R-MAT-1..7), one module per use case; every interface — API, pages,
meetings, demo — calls these. Shape of each: lock → authorize (rules.ensure_<verb>) → write → ledger.

    submission   submit, withdraw                      the submitter's side
    decision     approve, reject, refer, veto, joint review   deciding the matter
    collective   the meeting's decision taking effect (or its block)
    execution    co-sign (R-MAT-4), then execute
    budget       budget lines and the reservation that never overspends (R-MAT-5)
    evidence     evidence files, accepted for what their bytes are
    handover     the row lock, and the hand-over when a deputy or co-signer has left (issue 9 hole 8)
    history      the matter event and ledger entry every change writes
    rf1          the principal's refused attempt kept as an RF1 warning

A refused action changes nothing and writes no ledger entry; the one exception is RF1: the principal's
attempt on a restricted matter is written as a warning in its own transaction before the refusal is
raised, so the trace survives the refusal (risk.rules.rf1). Re-exported here: `services.approve(...)`.
"""

from .budget import set_budget_line
from .collective import (
    COLLECTIVE_OUTCOMES,
    OUTCOME_LABELS,
    apply_collective_decision,
    record_collective_block,
)
from .decision import approve, joint_review, refer_to_collective, reject, veto
from .evidence import add_evidence
from .execution import cosign, execute
from .handover import hand_over_matters_of_departed
from .history import MeetingDecider
from .submission import requires_of, submit, withdraw

__all__ = [
    "COLLECTIVE_OUTCOMES",
    "OUTCOME_LABELS",
    "MeetingDecider",
    "add_evidence",
    "apply_collective_decision",
    "approve",
    "cosign",
    "execute",
    "hand_over_matters_of_departed",
    "joint_review",
    "record_collective_block",
    "refer_to_collective",
    "reject",
    "requires_of",
    "set_budget_line",
    "submit",
    "veto",
    "withdraw",
]
