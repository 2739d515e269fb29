"""Reads of the powers app. THE authority on "who is in charge of power P in unit U on date D".

Every approval calls deputy_in_charge(), so it answers in a bounded number of queries whatever the
history length (asserted in tests).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db.models import Q, QuerySet

from zhiheng.accounts.models import Person
from zhiheng.core import clock
from zhiheng.core.errors import NotFound
from zhiheng.org.models import Role, Unit
from zhiheng.org.selectors import current

from .models import Assignment, Category, DivisionPlan, PlanStatus, Power, UnitPolicy


def _on(day: dt.date | None) -> dt.date:
    return day or clock.today()


def policy_on(unit: Unit, day: dt.date | None = None) -> UnitPolicy | None:
    """The unit's policy (template + X choice) in force on a date."""
    return (
        UnitPolicy.objects.filter(unit=unit, in_force_from__lte=_on(day))
        .select_related("template")
        .order_by("-in_force_from")
        .first()
    )


def policy_codes_for_units(units: Iterable[Unit], day: dt.date | None = None) -> dict[int, str]:
    """{unit pk: policy template code in force on the date} for the units given (one query)."""
    ids = [u.pk for u in units]
    rows = (
        UnitPolicy.objects.filter(unit_id__in=ids, in_force_from__lte=_on(day))
        .order_by("unit_id", "in_force_from")
        .values_list("unit_id", "template__code")
    )
    return dict(rows)  # later in_force_from overwrite earlier ones


def restricted_category_ids(unit: Unit, day: dt.date | None = None) -> set[int]:
    """R-DIV-2/3: the template's restricted categories plus the unit's X choice, on a date."""
    policy = policy_on(unit, day)
    if policy is None:
        return set()
    ids = set(policy.template.restricted.values_list("pk", flat=True))
    if policy.template.x_choice:
        ids |= set(policy.x_categories.values_list("pk", flat=True))
    return ids


def is_restricted(power: Power, day: dt.date | None = None) -> bool:
    return power.category_id in restricted_category_ids(power.unit, day)


def list_powers(unit: Unit, *, active_only: bool = True) -> QuerySet[Power]:
    qs = Power.objects.filter(unit=unit).select_related("category")
    return qs.filter(is_active=True) if active_only else qs


def get_power(unit: Unit, code: str) -> Power:
    power = Power.objects.filter(unit=unit, code=code).select_related("category", "unit").first()
    if power is None:
        raise NotFound("该单位没有此职权", {"power": code})
    return power


def list_categories(district=None) -> QuerySet[Category]:
    return Category.objects.filter(Q(district__isnull=True) | Q(district=district)).order_by("sort", "code")


def plan_in_force(unit: Unit, day: dt.date | None = None) -> DivisionPlan | None:
    """R-DIV-6: the filed plan in force on a date — the latest in-force date on or before it."""
    return (
        DivisionPlan.objects.filter(unit=unit, status=PlanStatus.FILED, in_force_from__lte=_on(day))
        .order_by("-in_force_from", "-version")
        .first()
    )


def deputy_in_charge(unit: Unit, power: Power, day: dt.date | None = None) -> Person | None:
    """Who is in charge of `power` in `unit` on `day`: the deputy the plan in force assigns it to,
    provided they still hold a deputy term on that day. None if nobody is (no plan, unassigned,
    or the deputy has left) — callers refuse the action rather than guess.
    """
    day = _on(day)
    plan = plan_in_force(unit, day)
    if plan is None:
        return None
    assignment = Assignment.objects.filter(plan=plan, power=power).select_related("deputy").first()
    if assignment is None:
        return None
    holds_term = current(
        assignment.deputy.memberships.filter(unit=unit, role=Role.DEPUTY), day
    ).exists()
    return assignment.deputy if holds_term else None


def powers_held_by(person: Person, unit: Unit, day: dt.date | None = None) -> QuerySet[Power]:
    """The reverse question: which powers `person` is in charge of in `unit` on `day`."""
    day = _on(day)
    plan = plan_in_force(unit, day)
    if plan is None:
        return Power.objects.none()
    if not current(person.memberships.filter(unit=unit, role=Role.DEPUTY), day).exists():
        return Power.objects.none()
    return Power.objects.filter(assignments__plan=plan, assignments__deputy=person).select_related("category")
