"""Deciding a matter: the panel's opinions (R-MAT-7), the deputy's approval or rejection (R-MAT-2/3/5),
a referral to the leadership team (R-MAT-3), the principal's veto (R-MAT-6). Each: lock → authorize
(rules.ensure_<verb>) → write → ledger."""

from __future__ import annotations

from django.db import transaction

from zhiheng.accounts.models import Person
from zhiheng.core import clock
from zhiheng.core.errors import Invalid
from zhiheng.core.money import yuan_str

from .. import rules, selectors, states
from ..models import JointOpinion, Matter
from .budget import drop_reservation, take_reservation
from .handover import lock, locked
from .history import record
from .rf1 import _raises_rf1


def cosign_pending(matter: Matter) -> bool:
    return matter.cosigns.filter(signed_at__isnull=True).exists()


@_raises_rf1
@transaction.atomic
def approve(*, matter: Matter, by: Person, comment: str = "") -> Matter:
    """R-MAT-2/3/5/7: the deputy in charge approves what they may decide alone; the budget is reserved."""
    matter, in_charge = lock(matter)
    rules.ensure_approve(by, matter, in_charge=in_charge)
    target = states.next_state(matter.state, "approve", cosign_pending=cosign_pending(matter))
    take_reservation(matter)
    matter.state, matter.decided_by, matter.decided_at = target, by, clock.now()
    matter.save(update_fields=["state", "decided_by", "decided_at", "reserved_amount", "updated_at"])
    record(
        matter, by=by, action="approved", note=comment, payload={"reserved": yuan_str(matter.reserved_amount)}
    )
    return matter


@_raises_rf1
@transaction.atomic
def reject(*, matter: Matter, by: Person, comment: str) -> Matter:
    """R-MAT-2/3/7: the deputy in charge rejects what they may decide alone, in writing."""
    matter, in_charge = lock(matter)
    rules.ensure_reject(by, matter, in_charge=in_charge)
    if not (comment or "").strip():
        raise Invalid("validation", "否定事项须写明理由", {"comment": "required"})
    target = states.next_state(matter.state, "reject")
    matter.state, matter.decided_by, matter.decided_at = target, by, clock.now()
    matter.save(update_fields=["state", "decided_by", "decided_at", "updated_at"])
    record(matter, by=by, action="rejected", note=comment)
    return matter


@transaction.atomic
def refer_to_collective(*, matter: Matter, by: Person, reason: str = "") -> Matter:
    """submitted/joint_review → collective_review. Allowed for the deputy in charge, and for any voting
    team member (the meeting's organiser) when the rules already require collective review. An
    enforcement decision goes to the meeting only after its joint review (R-MAT-7 on every path)."""
    matter = locked(matter)
    rules.ensure_refer(by, matter)
    matter.state = states.next_state(matter.state, "refer")
    if "referred" not in matter.collective_reasons and not matter.requires_collective:
        matter.collective_reasons = [*matter.collective_reasons, "referred"]
    matter.requires_collective = True
    matter.save(update_fields=["state", "requires_collective", "collective_reasons", "updated_at"])
    record(matter, by=by, action="referred", note=reason)
    return matter


@transaction.atomic
def veto(*, matter: Matter, by: Person, reason: str) -> Matter:
    """R-MAT-6: the principal stops a matter before execution, in writing; it then awaits collective
    review. A veto never approves; a held budget reservation is released."""
    matter = locked(matter)
    rules.ensure_veto(by, matter)
    if not (reason or "").strip():
        raise Invalid("R-MAT-6", "否决须写明理由", {"reason": "required"})
    matter.state = states.next_state(matter.state, "veto")
    drop_reservation(matter)
    matter.save(update_fields=["state", "reserved_amount", "updated_at"])
    record(matter, by=by, action="vetoed", note=reason.strip())
    return matter


@_raises_rf1
@transaction.atomic
def joint_review(*, matter: Matter, by: Person, opinion: str, reason: str = "") -> Matter:
    """R-MAT-7: each panel member gives one opinion; a panel that does not unanimously agree sends the
    matter to collective review; a unanimous panel lets the deputy decide. A vetoed or referred matter
    still collects its panel's opinions (in its present state) before any meeting may decide it."""
    matter = locked(matter)
    if opinion not in ("agree", "disagree"):
        raise Invalid("validation", "会审意见须为同意或不同意", {"opinion": opinion})
    rules.ensure_joint_review(by, matter)
    if opinion == "disagree" and not reason.strip():
        raise Invalid("validation", "不同意须写明理由", {"reason": "required"})
    panel = selectors.joint_panel(matter)
    awaiting_meeting = matter.state in states.AWAITING_COLLECTIVE
    if not awaiting_meeting:
        matter.state = states.next_state(matter.state, "joint_opinion")
    JointOpinion.objects.create(matter=matter, member=by, role=panel[by.pk], opinion=opinion, reason=reason)
    matter.save(update_fields=["state", "updated_at"])
    record(
        matter, by=by, action="joint_opinion", note=reason, payload={"opinion": opinion, "role": panel[by.pk]}
    )
    given = dict(matter.joint_opinions.values_list("member_id", "opinion"))
    complete = all(pk in given for pk in panel)
    if complete and not awaiting_meeting and any(v != "agree" for v in given.values()):
        matter.state = states.next_state(matter.state, "refer")
        matter.requires_collective = True
        matter.collective_reasons = [*matter.collective_reasons, "joint_review_disagreed"]
        matter.save(update_fields=["state", "requires_collective", "collective_reasons", "updated_at"])
        record(matter, by=None, action="referred", note="执法会审未一致同意，转集体会审")
    return matter
