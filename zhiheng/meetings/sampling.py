"""The unit's meetings as candidates for an inspection group's sample (R-SUP-2; zhiheng.inspections.
sampling), and the weight collective decisions with dissent add to the matters they decided."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

from django.utils.translation import gettext as _

from zhiheng.core import clock
from zhiheng.inspections.sampling import Candidate
from zhiheng.matters.sampling import LOOK_BACK
from zhiheng.org.models import Unit

from .models import Meeting, Position, Statement


def _dissent(unit: Unit) -> tuple[Counter[int], Counter[int]]:
    """Disagreeing statements of the last year's meetings of the unit, per meeting and per matter."""
    since = clock.today() - LOOK_BACK
    rows = Statement.objects.filter(
        item__meeting__unit=unit, item__meeting__date__gte=since, position=Position.DISAGREE
    ).values_list("item__meeting_id", "item__matter_id")
    by_meeting: Counter[int] = Counter()
    by_matter: Counter[int] = Counter()
    for meeting, matter in rows:
        by_meeting[meeting] += 1
        if matter is not None:
            by_matter[matter] += 1
    return by_meeting, by_matter


def candidates(unit: Unit) -> Iterator[Candidate]:
    """The last year's meetings: weight 1, plus one per disagreeing statement (at most 4 more)."""
    by_meeting, _by_matter = _dissent(unit)
    since = clock.today() - LOOK_BACK
    for pk in Meeting.objects.filter(unit=unit, date__gte=since).values_list("pk", flat=True):
        dissent = by_meeting.get(pk, 0)
        yield Candidate("meeting", pk, 1.0 + min(dissent, 4), (_("有不同意见"),) if dissent else ())


def dissent_booster(unit: Unit, population: list[Candidate]) -> dict[tuple[str, int], tuple[float, str]]:
    """Matters decided collectively with dissent weigh double."""
    _by_meeting, by_matter = _dissent(unit)
    return {
        ("matter", c.id): (2.0, _("集体决策有不同意见"))
        for c in population
        if c.kind == "matter" and by_matter.get(c.id)
    }
