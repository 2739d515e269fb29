"""The unit's matters as candidates for an inspection group's sample (R-SUP-2; zhiheng.inspections.sampling):
the last year's matters, weighted towards large amounts and long waits."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal

from django.utils.translation import gettext as _

from zhiheng.core import clock
from zhiheng.inspections.sampling import Candidate
from zhiheng.org.models import Unit

from .models import Matter
from .selectors import rules_for
from .states import MatterState

LOOK_BACK = dt.timedelta(days=365)
LONG_WAIT = dt.timedelta(days=30)


def candidates(unit: Unit) -> Iterator[Candidate]:
    """Weight 1, plus up to 4 for an amount at or over the collective threshold (in multiples of it),
    doubled for a wait over 30 days from submission to decision (or to now, still undecided)."""
    now = clock.now()
    threshold = rules_for(unit).collective_threshold or Decimal("1")
    rows = (
        Matter.objects.filter(unit=unit, submitted_at__gte=now - LOOK_BACK)
        .exclude(state=MatterState.WITHDRAWN)
        .values_list("pk", "amount", "submitted_at", "decided_at")
    )
    for pk, amount, submitted, decided in rows:
        weight, reasons = 1.0, []
        if amount is not None and amount >= threshold:
            weight += min(float(amount / threshold), 4.0)
            reasons.append(_("金额较大"))
        if (decided or now) - submitted > LONG_WAIT:
            weight *= 2
            reasons.append(_("等待时间长"))
        yield Candidate("matter", pk, weight, tuple(reasons))
