"""Writes of the risk app: raise and resolve warnings (SPEC section 10)."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from zhiheng import ledger
from zhiheng.accounts.models import Person
from zhiheng.core import clock
from zhiheng.core.errors import Conflict, Forbidden, Invalid

from . import access
from .models import Warning, WarningStatus


@transaction.atomic
def raise_warning(
    *,
    rule: str,
    level: str,
    unit,
    subject: str,
    explanation: str,
    records: list[dict[str, Any]],
    owner: Person | None = None,
) -> Warning:
    """Raise a warning and record it in the ledger ("risk.warning_raised")."""
    warning = Warning.objects.create(
        rule=rule,
        level=level,
        unit=unit,
        subject=subject,
        explanation=explanation,
        records=records,
        owner=owner,
    )
    ledger.record(
        "risk.warning_raised",
        by=None,
        unit=unit.code,
        subject=f"warning:{warning.pk}",
        payload={"rule": rule, "level": level, "about": subject, "records": records},
    )
    return warning


RESOLUTIONS = (WarningStatus.EXPLAINED, WarningStatus.RECTIFIED, WarningStatus.CASE_OPENED)


@transaction.atomic
def resolve_warning(*, warning: Warning, by: Person, status: str, note: str) -> Warning:
    """Close a warning as explained, rectified or case opened, with a written note."""
    warning = Warning.objects.select_for_update().select_related("unit__district").get(pk=warning.pk)
    if not access.can_resolve(by, warning):
        raise Forbidden("R-GATE-7", "只有本单位纪检组长或区纪委管理员可以处理预警", {"warning": warning.pk})
    if status not in RESOLUTIONS:
        raise Invalid("validation", "处理结果无效", {"status": status})
    if not note.strip():
        raise Invalid("validation", "请填写处理说明", {"note": "required"})
    if warning.status != WarningStatus.OPEN:
        raise Conflict("R-GATE-7", "该预警已处理", {"status": warning.status})
    warning.status, warning.resolution_note = status, note.strip()
    warning.resolved_by, warning.resolved_at = by, clock.now()
    warning.save(update_fields=["status", "resolution_note", "resolved_by", "resolved_at"])
    ledger.record(
        "risk.warning_resolved",
        by=by,
        unit=warning.unit.code,
        subject=f"warning:{warning.pk}",
        payload={"status": status, "note": warning.resolution_note},
    )
    return warning
