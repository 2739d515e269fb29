"""Open warnings left with the unit inspector past the unit's `escalate_after_days` (the "risk" parameter
set, default 14) go to the district's commission (R-GATE-7: warnings are routed to the unit inspector and
the commission). Run daily with the scans; idempotent (an escalated warning is not escalated again)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from zhiheng import parameters
from zhiheng.core import clock
from zhiheng.org.models import Unit

from .. import services
from ..models import Warning, WarningStatus
from ..parameters import NAMESPACE


def escalate_overdue(*, now: dt.datetime | None = None) -> int:
    """Escalate every overdue open warning; returns how many were escalated."""
    now = now or clock.now()
    pending: dict[int, list[Warning]] = defaultdict(list)
    for w in Warning.objects.filter(status=WarningStatus.OPEN, escalated_at__isnull=True).order_by("pk"):
        pending[w.unit_id].append(w)
    escalated = 0
    for unit in Unit.objects.filter(pk__in=pending):
        days = int(parameters.effective(NAMESPACE, unit).values["escalate_after_days"])
        for warning in pending[unit.pk]:
            if warning.created <= now - dt.timedelta(days=days):
                services.escalate_warning(warning=warning, after_days=days)
                escalated += 1
    return escalated
