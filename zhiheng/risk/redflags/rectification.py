"""RF6 (SPEC §10, late duties) for an inspection group's rectification items (R-SUP-2): an item past its
deadline and not yet accepted (销号) raises one warning, owned by the unit's inspector and escalated to the
commission like every warning. Never to the item's owner as the only reader: the principal often owns the
rectification, and a warning about them must not be theirs to handle (SPEC §10 visibility)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from zhiheng.core import clock
from zhiheng.inspections import selectors as inspections

from .. import selectors, services
from ..models import Warning

RULE = "RF6"


def source(finding_id: int) -> str:
    return f"scan:rf6:rectification:{finding_id}"


def raise_overdue() -> int:
    """One RF6 per overdue rectification item (idempotent through the source); how many were new."""
    raised = 0
    today = clock.today()
    for finding in inspections.overdue(today).select_related("inspection__unit", "owner"):
        unit = finding.inspection.unit
        before = Warning.objects.filter(rule=RULE, source=source(finding.pk)).exists()
        services.raise_warning(
            rule=RULE,
            level="high" if finding.severity == "high" else "medium",
            unit=unit,
            subject=finding.subject,
            explanation=_(
                "督察整改事项“%(title)s”整改期限为 %(deadline)s，逾期 %(days)s 天仍未验收销号（整改责任人：%(owner)s）。"
            )
            % {
                "title": finding.title,
                "deadline": finding.deadline.isoformat(),
                "days": (today - finding.deadline).days,
                "owner": finding.owner.name or finding.owner.username,
            },
            records=[
                {
                    "finding": finding.pk,
                    "inspection": finding.inspection_id,
                    "title": finding.title,
                    "deadline": finding.deadline.isoformat(),
                    "state": finding.state,
                }
            ],
            owner=selectors.inspector_of(unit),
            source=source(finding.pk),
        )
        raised += not before
    return raised
