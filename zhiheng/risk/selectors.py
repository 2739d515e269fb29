"""Reads of the risk app."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import QuerySet

from zhiheng.accounts.models import Person
from zhiheng.core import clock
from zhiheng.core.compiled import CompiledQuery
from zhiheng.core.errors import NotFound
from zhiheng.org.models import Membership, Role, Unit
from zhiheng.org.selectors import administered_districts, current

from .models import Warning


def _supervised_units(person: int, day: dt.date) -> QuerySet[Any]:
    """The units whose warnings the person sees on `day` (rules.visible_warnings, as ids): where they are
    the inspector, and every unit of a district whose commission they administer."""
    who = Person(pk=person)
    inspected = current(Membership.objects.filter(person=who, role=Role.INSPECTOR), day)
    administered = Unit.objects.filter(district__in=administered_districts(who, day).values("pk"))
    return (
        inspected.order_by().values_list("unit_id").union(administered.order_by().values_list("pk"), all=True)
    )


# Compiled once per process (issue 12): the nested subqueries cost more to build than to run, and the
# count and the page each built them again. The warnings are then filtered by plain unit ids.
_SUPERVISED_UNITS: CompiledQuery[Any] = CompiledQuery(_supervised_units, person=int, day=dt.date)


def visible_warnings(person: Person) -> QuerySet[Warning]:
    """rules.visible_warnings with the units read first: the same rows, a filter on the warnings alone."""
    if not person.is_authenticated:
        return Warning.objects.none()
    units = sorted({pk for (pk,) in _SUPERVISED_UNITS.rows(person=person.pk, day=clock.today())})
    return Warning.objects.filter(unit_id__in=units)


def list_warnings_for(
    person: Person,
    *,
    unit: str | None = None,
    rule: str | None = None,
    status: str | None = None,
    level: str | None = None,
) -> QuerySet[Warning]:
    qs = visible_warnings(person).select_related("unit", "owner")
    if unit:
        qs = qs.filter(unit__code=unit)
    if level:
        qs = qs.filter(level=level)
    if rule:
        qs = qs.filter(rule=rule)
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("-created", "-pk")


def get_warning_for(person: Person, pk: int) -> Warning:
    warning = visible_warnings(person).select_related("unit").filter(pk=pk).first()
    if warning is None:
        raise NotFound()
    return warning


def inspector_of(unit: Unit, day: dt.date | None = None) -> Person | None:
    """The unit's inspector on `day` (default today): a new warning's owner (R-GATE-7), or None."""
    term = current(Membership.objects.filter(unit=unit, role=Role.INSPECTOR), day or clock.today())
    first = term.select_related("person").order_by("start", "pk").first()
    return first.person if first is not None else None
