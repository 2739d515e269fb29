"""Rectifications a tour orders (R-GATE-5): opened by the tour's staff on a targeted unit with a deadline,
answered by the unit's principal or inspector, closed (销号) by the tour's staff with a date and evidence.
The states are the inspections' rectification states; the closure's date is checked here: not before the
unit's report (so never before the opening), not after today, and not further back than the district's
`backdate_days`."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from zhiheng.accounts.models import Person
from zhiheng.core import clock
from zhiheng.org.models import Unit

from .. import events, parameters, rules, states
from ..errors import BadTour, OutOfOrder
from ..models import Rectification, Tour
from .common import content, locked, record, refuse, required_target


@transaction.atomic
def open_rectification(
    *, by: Person | None, tour: Tour, unit: Unit | None, title: str, deadline: dt.date
) -> Rectification:
    tour = locked(tour)
    rules.ensure_staff(by, tour)
    target = required_target(tour, unit)
    today = clock.today()
    errors: dict[str, list[str]] = {}
    if not title.strip():
        errors["title"] = ["必填"]
    if deadline < today:
        errors["deadline"] = ["整改期限不得早于今天"]
    refuse(errors)
    item = Rectification.objects.create(
        tour=tour, target=target, title=title.strip(), opened_on=today, deadline=deadline, opened_by=by
    )
    item.ledger_index = record(
        events.RECTIFICATION.code,
        by=by,
        tour=tour,
        unit=target.unit_code,
        subject=item.subject,
        title=item.title,
        deadline=deadline.isoformat(),
        principal=target.principal.username if target.principal else None,
    )
    item.save(update_fields=["ledger_index"])
    return item


def _locked(item: Rectification) -> Rectification:
    return (
        Rectification.objects.select_for_update(of=("self",))
        .select_related("tour__district", "target__unit")
        .get(pk=item.pk)
    )


def _move(item: Rectification, action: str) -> None:
    after = states.next_state(item.state, action)
    if after is None:
        raise OutOfOrder()
    item.state = after


@transaction.atomic
def answer_rectification(*, by: Person | None, item: Rectification, response: str) -> Rectification:
    """The unit reports what it rectified; the item waits for the tour team's closure."""
    item = _locked(item)
    rules.ensure_answer(by, item)
    if not response.strip():
        raise BadTour(detail={"fields": {"response": ["请填写整改情况"]}})
    _move(item, "answer")
    item.response = response.strip()
    item.answered_on = clock.today()
    item.save()
    record(
        events.ANSWERED.code,
        by=by,
        tour=item.tour,
        unit=item.target.unit_code,
        subject=item.subject,
        state=item.state,
        content=content(item.response),
    )
    return item


def _check_closure(item: Rectification, closed_on: dt.date, evidence: str) -> None:
    today = clock.today()
    back = int(parameters.in_force(item.tour.district)["backdate_days"])
    errors: dict[str, list[str]] = {}
    if not evidence:
        errors["evidence"] = ["销号须附整改依据"]
    if closed_on > today:
        errors["closed_on"] = ["销号日期不得晚于今天"]
    elif item.answered_on is not None and closed_on < item.answered_on:
        errors["closed_on"] = ["销号日期不得早于单位报告整改情况的日期"]
    elif closed_on < today - dt.timedelta(days=back):
        errors["closed_on"] = [f"销号日期最多追溯 {back} 天"]
    refuse(errors)


@transaction.atomic
def close_rectification(
    *, by: Person | None, item: Rectification, evidence: str, closed_on: dt.date | None = None
) -> Rectification:
    """The tour's staff close an answered rectification (销号) on `closed_on` (default today) with evidence."""
    item = _locked(item)
    locked(item.tour, open_only=False)
    rules.ensure_staff(by, item.tour)
    day = closed_on or clock.today()
    _move(item, "accept")
    _check_closure(item, day, evidence.strip())
    item.evidence = evidence.strip()
    item.closed_on = day
    item.closed_by = by
    item.save()
    record(
        events.CLOSED.code,
        by=by,
        tour=item.tour,
        unit=item.target.unit_code,
        subject=item.subject,
        closed_on=day.isoformat(),
        late=day > item.deadline,
        content=content(item.evidence),
    )
    return item
