"""The meetings app's one door to the matters app (issue #5's contract), imported lazily.

Matters offers: selectors.list_awaiting_collective(unit), services.refer_to_collective(matter, by, reason),
services.apply_collective_decision(matter, outcome, by, meeting_ref). Everything meetings needs from a
matter goes through here, so the contract is visible in one place.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

PERSONNEL_KINDS = {"personnel_appointment", "personnel_action"}  # matters.MatterKind


def available() -> bool:
    try:
        from zhiheng.matters import selectors, services
        from zhiheng.matters.models import Matter  # noqa: F401
    except ImportError:
        return False
    return hasattr(selectors, "list_awaiting_collective") and hasattr(services, "apply_collective_decision")


def awaiting(unit) -> list[Any]:
    if not available():
        return []
    from zhiheng.matters.selectors import list_awaiting_collective

    return list(list_awaiting_collective(unit))


def get(pk: int | None) -> Any:
    if pk is None or not available():
        return None
    from zhiheng.matters.models import Matter

    return Matter.objects.select_related("unit", "power", "submitted_by").filter(pk=pk).first()


def get_many(pks: list[int]) -> dict[int, Any]:
    if not pks or not available():
        return {}
    from zhiheng.matters.models import Matter

    return {m.pk: m for m in Matter.objects.select_related("power").filter(pk__in=pks)}


def refer_if_submitted(matter, *, by, reason: str) -> Any:
    from zhiheng.matters import services

    if matter.state == "submitted":
        return services.refer_to_collective(matter=matter, by=by, reason=reason)
    return matter


def apply_decision(matter, *, outcome: str, by, meeting_ref: str) -> Any:
    from zhiheng.matters import services

    return services.apply_collective_decision(matter=matter, outcome=outcome, by=by, meeting_ref=meeting_ref)


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
