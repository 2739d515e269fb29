"""The leadership team's meeting decides a matter (R-MAT-3): the decision it passed takes effect on the
matter, or — when a rule of the matter refuses the effect — the block is recorded on it. The decider
the ledger names is the meeting item, never its chair (issue 9 hole 9)."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from zhiheng.accounts.models import Person
from zhiheng.core import clock
from zhiheng.core.errors import Invalid

from .. import rules, selectors, states
from ..errors import JointReviewIncomplete
from ..models import Matter
from .budget import take_reservation
from .decision import cosign_pending
from .handover import locked
from .history import MeetingDecider, record

COLLECTIVE_OUTCOMES = {
    "passed": "collective_pass",
    "rejected": "collective_reject",
    "deferred": "collective_defer",
}
OUTCOME_LABELS = {"passed": "通过", "rejected": "未通过", "deferred": "缓议"}


@transaction.atomic
def apply_collective_decision(
    *,
    matter: Matter,
    outcome: str,
    by: Person | None,
    meeting_ref: str,
    tally: dict[str, Any] | None = None,
) -> Matter:
    """The meeting's decision (R-MAT-3): passed → approved (budget reserved, then awaiting co-sign under
    R-MAT-4); rejected → rejected; deferred → stays in collective review.

    The decider is the meeting (`meeting_ref` with its tally); `by` is the chair who closed it and is
    recorded as chair, never as the decider: `decided_by` stays empty for a collective decision."""
    if outcome not in COLLECTIVE_OUTCOMES:
        raise Invalid("validation", "会议决定无效", {"outcome": outcome})
    matter = locked(matter)
    rules.ensure_apply_collective_decision(by, matter)
    action = COLLECTIVE_OUTCOMES[outcome]
    target = states.next_state(matter.state, action, cosign_pending=cosign_pending(matter))
    if action == "collective_pass":
        missing = selectors.joint_review_missing(matter)
        if missing:
            raise JointReviewIncomplete(
                "该执法决定尚未完成执法会审，会议决定不能生效", {"matter": matter.pk, "waiting_for": missing}
            )
    fields = ["state", "decision_ref", "updated_at"]
    if action == "collective_pass":
        take_reservation(matter)
    if action in ("collective_pass", "collective_reject"):
        matter.decided_by, matter.decided_at = None, clock.now()
        fields += ["decided_by", "decided_at", "reserved_amount"]
    matter.state, matter.decision_ref = target, meeting_ref[:64]
    matter.save(update_fields=fields)
    counts = tally or {}
    record(
        matter,
        by=MeetingDecider(meeting_ref),
        action="collective",
        note=_collective_note(outcome, meeting_ref, counts),
        payload={
            "outcome": outcome,
            "meeting": meeting_ref,
            "decider": meeting_ref,
            "tally": counts,
            "chair": by.username if by is not None else None,
        },
        event="matter.collective_decision",
    )
    return matter


def _collective_note(outcome: str, meeting_ref: str, counts: dict[str, Any]) -> str:
    # The note is read by people (the matter's history); the ledger payload keeps the reference itself.
    meeting, _sep, item = meeting_ref.partition("/")
    where = f"会议 #{meeting.partition(':')[2]}" + (f" 议题 #{item.partition(':')[2]}" if item else "")
    note = f"会议集体决定：{OUTCOME_LABELS.get(outcome, outcome)}（{where}）"
    if counts:
        note += (
            f"，同意{counts.get('agree', 0)}、不同意{counts.get('disagree', 0)}、缓议{counts.get('defer', 0)}"
        )
    return note


@transaction.atomic
def record_collective_block(*, matter: Matter, meeting_ref: str, rule: str, message: str) -> Matter:
    """Issue 9 hole 4: a meeting passed the matter but a rule of the matter refuses the effect (the
    budget line is short, R-MAT-5; the joint review is incomplete, R-MAT-7; the matter moved on). The
    meeting still seals; the matter keeps its state, and the block is recorded on it and in the ledger."""
    matter = locked(matter)
    record(
        matter,
        by=MeetingDecider(meeting_ref),
        action="collective_blocked",
        note=f"会议决定未能生效（{rule}）：{message}",
        payload={"meeting": meeting_ref, "rule": rule, "message": message},
        event="matter.collective_blocked",
    )
    return matter
