"""Writes of the risk app: raise and resolve warnings (SPEC section 10)."""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction

from zhiheng import ledger
from zhiheng.accounts.models import Person
from zhiheng.core import clock
from zhiheng.org.models import Unit

from . import rules, selectors
from .errors import AlreadyResolved, BadResolution
from .models import Warning, WarningStatus


@transaction.atomic
def raise_warning(
    *,
    rule: str,
    level: str,
    unit: Unit,
    subject: str,
    explanation: str,
    records: list[dict[str, Any]],
    owner: Person | None = None,
    source: str = "",
) -> Warning:
    """Raise a warning and record it in the ledger ("risk.warning_raised").

    The owner is the unit's inspector today unless one is given (R-GATE-7).

    With a `source` (what raised it: "entry:<index>", "attempt:<key>", …) it is raised once: a second
    call for the same rule, subject and source returns the first warning and records nothing — so red
    flags can be delivered again (retries, replays, scans) without duplicating a warning.
    """
    if source:
        existing = Warning.objects.filter(rule=rule, subject=subject, source=source).first()
        if existing is not None:
            return existing
    if owner is None:
        owner = selectors.inspector_of(unit)
    try:
        with transaction.atomic():
            warning = Warning.objects.create(
                rule=rule,
                level=level,
                unit=unit,
                subject=subject,
                explanation=explanation,
                records=records,
                owner=owner,
                source=source,
            )
    except IntegrityError:
        if not source:
            raise
        # A concurrent delivery of the same source committed first (the unique constraint decided).
        return Warning.objects.get(rule=rule, subject=subject, source=source)
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
    rules.ensure_can_resolve(by, warning)
    if status not in RESOLUTIONS:
        raise BadResolution("处理结果无效", {"status": status})
    if not note.strip():
        raise BadResolution("请填写处理说明", {"note": "required"})
    if warning.status != WarningStatus.OPEN:
        raise AlreadyResolved(detail={"status": warning.status})
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


@transaction.atomic
def escalate_warning(*, warning: Warning, after_days: int) -> Warning:
    """Hand an open warning left with the unit inspector for `after_days` to the district's commission
    (R-GATE-7): the owner is cleared (the commission's admins resolve it), the moment and a ledger entry
    ("risk.warning_escalated") record it. A warning already escalated or resolved is left as it is."""
    warning = Warning.objects.select_for_update().select_related("unit").get(pk=warning.pk)
    if warning.status != WarningStatus.OPEN or warning.escalated_at is not None:
        return warning
    previous = warning.owner.username if warning.owner is not None else None
    warning.owner, warning.escalated_at = None, clock.now()
    warning.save(update_fields=["owner", "escalated_at"])
    ledger.record(
        "risk.warning_escalated",
        by=None,
        unit=warning.unit.code,
        subject=f"warning:{warning.pk}",
        payload={"rule": warning.rule, "from": previous, "to": "commission", "after_days": after_days},
    )
    return warning
