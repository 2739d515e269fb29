"""The meetings app's one door to the matters app's behaviour (issue #5's contract).

Items hold a real foreign key to matters.Matter (`Item.matter`); reading it is plain ORM. What goes
through here is matters' logic: selectors.list_awaiting_collective(unit),
services.refer_to_collective(matter, by, reason), services.apply_collective_decision(matter, outcome,
by, meeting_ref), so the contract is visible in one place.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from zhiheng.matters import rules as matter_rules
from zhiheng.matters import selectors as matter_selectors
from zhiheng.matters import services as matter_services
from zhiheng.matters.models import Matter

PERSONNEL_KINDS = {"personnel_appointment", "personnel_action"}  # matters.MatterKind


def awaiting(unit) -> list[Any]:
    return list(matter_selectors.list_awaiting_collective(unit))


def get(pk: int | None) -> Any:
    if pk is None:
        return None
    return Matter.objects.select_related("unit", "power", "submitted_by").filter(pk=pk).first()


def refer_if_submitted(matter, *, by, reason: str) -> Any:
    if matter.state == "submitted":
        return matter_services.refer_to_collective(matter=matter, by=by, reason=reason)
    return matter


def apply_decision(matter, *, outcome: str, by, meeting_ref: str, tally: dict[str, Any] | None = None) -> Any:
    return matter_services.apply_collective_decision(
        matter=matter, outcome=outcome, by=by, meeting_ref=meeting_ref, tally=tally
    )


def record_block(matter, *, meeting_ref: str, rule: str, message: str) -> Any:
    return matter_services.record_collective_block(
        matter=matter, meeting_ref=meeting_ref, rule=rule, message=message
    )


def joint_review_missing(matter) -> list[str]:
    return matter_rules.joint_review_missing(matter)


def presenter_for(matter, day: dt.date):
    """The deputy in charge of the matter's power on the meeting date (powers is THE authority), else
    the deputy frozen on the matter at submission."""
    from zhiheng.powers.selectors import deputy_in_charge

    deputy = deputy_in_charge(matter.unit, matter.power, day) if getattr(matter, "power", None) else None
    return deputy or getattr(matter, "deputy", None)


def is_personnel(matter) -> bool:
    kind = str(getattr(matter, "kind", "") or "")
    category = getattr(getattr(getattr(matter, "power", None), "category", None), "code", "")
    return kind in PERSONNEL_KINDS or category == "personnel"
