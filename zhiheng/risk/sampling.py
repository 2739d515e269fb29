"""Open warnings weigh in an inspection group's sample (R-SUP-2: "weighted towards those with open
warnings"): a matter or meeting that an open warning is about weighs three times as much."""

from __future__ import annotations

from django.utils.translation import gettext as _

from zhiheng.inspections.sampling import Candidate
from zhiheng.org.models import Unit

from .models import Warning, WarningStatus

FACTOR = 3.0


def open_warnings_booster(
    unit: Unit, population: list[Candidate]
) -> dict[tuple[str, int], tuple[float, str]]:
    about = set(
        Warning.objects.filter(unit=unit, status=WarningStatus.OPEN).values_list("subject", flat=True)
    )
    return {(c.kind, c.id): (FACTOR, _("有未处理预警")) for c in population if f"{c.kind}:{c.id}" in about}
