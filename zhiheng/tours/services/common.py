"""What the tours' services share: locking a tour, finding a target, hashing a text for the ledger."""

from __future__ import annotations

import hashlib
from typing import Any

from zhiheng import ledger
from zhiheng.accounts.models import Person
from zhiheng.org.models import Unit

from ..errors import BadTour, TourDone
from ..models import Target, Tour


def locked(tour: Tour, *, open_only: bool = True) -> Tour:
    tour = Tour.objects.select_for_update(of=("self",)).select_related("district").get(pk=tour.pk)
    if open_only and tour.done_on is not None:
        raise TourDone()
    return tour


def target_of(tour: Tour, unit: Unit | None, field: str = "unit") -> Target | None:
    """The tour's target for `unit` (None for none): a unit the tour does not target is refused."""
    if unit is None:
        return None
    return required_target(tour, unit, field)


def required_target(tour: Tour, unit: Unit | None, field: str = "unit") -> Target:
    """The tour's target for `unit`, which must be given and targeted (422 otherwise)."""
    if unit is None:
        raise BadTour(detail={"fields": {field: ["必填"]}})
    target = tour.targets.select_related("unit", "principal").filter(unit=unit).first()
    if target is None:
        raise BadTour(detail={"fields": {field: [f"本次巡察未巡察该单位：{unit.code}"]}})
    return target


def refuse(errors: dict[str, list[str]]) -> None:
    """422 R-GATE-5 naming every wrong field, when there is any."""
    if errors:
        raise BadTour(detail={"fields": errors})


def content(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def record(
    event: str, *, by: Person | None, tour: Tour, unit: str = "", subject: str = "", **payload: Any
) -> int | None:
    """One ledger entry about the tour: scoped to the unit when it names one (rectifications, which the unit
    sees), else to the district (the tour itself, opinions and leads, which no toured unit reads)."""
    entry = ledger.record(
        event,
        by=by,
        unit=unit,
        district="" if unit else tour.district.code,
        subject=subject or tour.subject,
        payload={"tour": tour.pk, **payload},
    )
    return entry.index
