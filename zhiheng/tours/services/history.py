"""Tours recorded after the fact 补录 (R-GATE-5): a district's earlier tours — finished, every rectification
closed — written in bulk, one ledger entry a tour naming its figures, instead of one a record. The records
pass the same constraints as live ones (closed with a date and evidence, never before the opening)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db import transaction

from zhiheng.accounts.models import Person
from zhiheng.org import rules as org_rules
from zhiheng.org.models import District, Unit

from .. import events, parameters
from ..errors import BadTour
from ..models import Lead, Opinion, Rectification, Target, Tour
from ..states import FindingState
from .common import record


@dataclass
class HistoricalTour:
    title: str
    started_on: dt.date
    done_on: dt.date
    # (unit code, unit name, the Unit when the system knows it, the principal's name then)
    targets: list[tuple[str, str, Unit | None, str]]
    opinions: list[tuple[str, int, str]] = field(default_factory=list)  # (way, count, unit code)
    # (unit code, problem, deadline, closed on, evidence): answered and closed as recorded
    rectifications: list[tuple[str, str, dt.date, dt.date, str]] = field(default_factory=list)
    leads: list[tuple[str, str]] = field(default_factory=list)  # (unit code, summary)


@transaction.atomic
def record_history(*, by: Person | None, district: District, tour: HistoricalTour) -> Tour:
    org_rules.ensure_commission_admin(by, district, rule="R-GATE-5", action="补录历史巡察")
    if not tour.started_on <= tour.done_on:
        raise BadTour(detail={"fields": {"done_on": ["结束日期不得早于开始日期"]}})
    method = parameters.method_of(district)
    row = Tour.objects.create(
        district=district,
        title=tour.title,
        started_on=tour.started_on,
        done_on=tour.done_on,
        method=method,
        step=len(method["steps"]),
        opened_by=by,
    )
    targets = {
        code: Target(tour=row, unit=unit, unit_code=code, unit_name=name, principal_name=principal)
        for code, name, unit, principal in tour.targets
    }
    Target.objects.bulk_create(targets.values())
    Opinion.objects.bulk_create(
        Opinion(tour=row, target=targets[code], way=way, count=count, collected_on=tour.started_on)
        for way, count, code in tour.opinions
    )
    Rectification.objects.bulk_create(
        Rectification(
            tour=row,
            target=targets[code],
            title=title,
            opened_on=tour.started_on,
            deadline=deadline,
            state=FindingState.ACCEPTED,
            response=evidence,
            answered_on=closed_on,
            evidence=evidence,
            closed_on=closed_on,
        )
        for code, title, deadline, closed_on, evidence in tour.rectifications
    )
    Lead.objects.bulk_create(
        Lead(tour=row, target=targets[code], summary=summary, transferred_on=tour.done_on)
        for code, summary in tour.leads
    )
    row.ledger_index = record(
        events.HISTORY.code,
        by=by,
        tour=row,
        title=row.title,
        started_on=row.started_on.isoformat(),
        done_on=row.done_on.isoformat() if row.done_on else None,
        units=sorted(targets),
        opinions=sum(count for _w, count, _c in tour.opinions),
        rectifications=len(tour.rectifications),
        leads=len(tour.leads),
    )
    row.save(update_fields=["ledger_index"])
    return row
