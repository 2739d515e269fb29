"""RF1: the principal attempted or performed a restricted action (R-MAT-2)."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from ..models import Level, Warning

RULE = "RF1"
TITLE = "一把手尝试或实施了不直接分管的行为"


def principal_attempted(*, unit, person, action: str, subject: str, records: list[dict[str, Any]]) -> Warning:
    """Record the attempt in its own transaction, so the warning stays although the action is refused."""
    from ..services import raise_warning

    with transaction.atomic():
        return raise_warning(
            rule=RULE,
            level=Level.HIGH,
            unit=unit,
            subject=subject,
            explanation=f"一把手 {person.name}（{person.username}）试图对不直接分管的事项执行“{action}”，已被系统拒绝（R-MAT-2）。",
            records=records,
            owner=None,
        )
